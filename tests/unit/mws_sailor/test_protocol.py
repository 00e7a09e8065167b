"""Header, rebound, error and passthrough rules (as sailor-nodejs lib/sailor.js and lib/amqp.js apply them), without a broker."""

import json

import pytest

from mws_sailor import protocol
from mws_sailor.emitter import IncomingMessage, OutgoingMessageTooLarge, Publications
from mws_sailor.settings import Settings

from testkit.runtime import CIPHER, Topology


@pytest.fixture
def settings():
    env = Topology("t").env("amqp://x", "http://api", "echo", "/tmp/ledger",
                            ELASTICIO_ADDITIONAL_VARS_FOR_HEADERS="ELASTICIO_TENANT_ID", ELASTICIO_TENANT_ID="ten",
                            ELASTICIO_OUTGOING_MESSAGE_SIZE_LIMIT="500", ELASTICIO_REBOUND_LIMIT="3",
                            ELASTICIO_REBOUND_INITIAL_EXPIRATION="1000")
    return Settings.from_env(env)


def incoming(body_obj=None, version=1, headers=None):
    amqp_headers = {"messageId": "in-1", **(headers or {})}
    body = CIPHER.encrypt(body_obj or {"body": {"a": 1}}, version)
    return IncomingMessage(body, {"headers": amqp_headers, "content_type": "application/json", "delivery_mode": 2},
                           protocol.read_incoming_headers(amqp_headers), version, body_obj or {"body": {"a": 1}})


def test_incoming_headers():
    headers = protocol.read_incoming_headers({
        "messageId": "m", "parentMessageId": "p", "X-EIO-Meta-Trace-Id": "trace-9", "x-eio-meta-Foo": "bar",
        "stepId": "step_0", "reply_to": "r", "execId": "not carried", "protocolVersion": 2})
    assert headers == {"messageId": "m", "parentMessageId": "p", "threadId": "trace-9", "stepId": "step_0",
                       "x-eio-meta-trace-id": "trace-9", "x-eio-meta-foo": "bar", "reply_to": "r"}
    assert protocol.read_incoming_headers({"threadId": "t", "x-eio-meta-trace-id": "x"})["threadId"] == "t"
    assert len(protocol.read_incoming_headers({})["threadId"]) == 36  # a new UUID


def test_outgoing_headers_override_incoming_ones(settings):
    incoming_headers = {"messageId": "m", "threadId": "t", "stepId": "step_0", "x-eio-meta-a": "1"}
    headers = protocol.outgoing_headers(settings, incoming_headers, "new-id", 123)
    assert headers == {"messageId": "new-id", "parentMessageId": "m", "threadId": "t", "stepId": "step_1",
                       "x-eio-meta-a": "1", "tenantId": "ten", "execId": "exec-1", "taskId": settings.flow_id,
                       "workspaceId": "ws-1", "containerId": "container-1", "userId": "user-1",
                       "compId": "comp-1", "function": "echo", "start": 123}


@pytest.mark.parametrize("previous, expected", [(None, 1), (1, 2), (5, 6), ("3", 1), (True, 1), (0, 1)])
def test_rebound_iteration(previous, expected):
    headers = {} if previous is None else {"reboundIteration": previous}
    assert protocol.next_rebound_iteration(headers) == expected


def test_rebound_expiration_doubles():
    assert [protocol.rebound_expiration_ms(i, 15000) for i in (1, 2, 3)] == [15000, 30000, 60000]


def test_error_records():
    try:
        raise KeyError("sku")
    except KeyError as exc:
        record = protocol.error_record(exc)
    assert record["name"] == "KeyError" and record["message"] == "'sku'" and "Traceback" in record["stack"]
    assert protocol.error_record({"message": "m"}) == {"name": "Error", "message": "m", "stack": "Not Available"}
    assert protocol.error_record("plain") == {"name": "Error", "message": "plain", "stack": "Not Available"}


def test_routing_key_header_is_removed_whatever_its_case():
    message = protocol.as_message({"body": 1, "headers": {"X-Eio-Routing-Key": "rk", "other": "x"}})
    assert protocol.pop_routing_key(message) == "rk" and message["headers"] == {"other": "x"}
    assert protocol.as_message([1, 2]) == {"body": [1, 2]}


def test_passthrough(settings):
    incoming_payload = {"body": {"in": 1}, "passthrough": {"step_0": {"body": {"first": 1}}}}
    out = protocol.with_passthrough({"body": {"out": 2}}, incoming_payload, {"stepId": "step_0"}, settings, True)
    assert out["passthrough"] == {"step_0": {"body": {"first": 1}}, "step_1": {"body": {"out": 2}}}
    assert "passthrough" not in protocol.with_passthrough({"body": 1}, incoming_payload, {}, settings, False)


def test_passthrough_without_self(settings):
    no_self = Settings(**{**settings.__dict__, "no_self_passtrhough": True})
    incoming_payload = {"body": {"in": 1}, "passthrough": {"step_a": {"body": 0}}}
    out = protocol.with_passthrough({"body": {"out": 2}}, incoming_payload, {"stepId": "step_0"}, no_self, True)
    assert out["passthrough"] == {"step_a": {"body": 0}, "step_0": {"body": {"in": 1}}}


def test_data_publication(settings):
    publication = Publications(settings, CIPHER).data({"body": {"x": 1}}, {"messageId": "ignored"}, "out-1")
    assert publication.routing_key == settings.data_routing_key
    assert publication.properties["content_type"] == "application/json"
    assert publication.properties["content_encoding"] == "utf8" and publication.properties["delivery_mode"] == 1
    assert publication.headers["messageId"] == "out-1" and publication.headers["protocolVersion"] == 1
    assert CIPHER.decrypt(publication.body, 1) == {"body": {"x": 1}}


def test_data_over_the_size_limit(settings):
    with pytest.raises(OutgoingMessageTooLarge, match="exceeds limit of 500"):
        Publications(settings, CIPHER).data({"body": "x" * 600}, {}, "id")


def test_persistent_messages_setting(settings):
    persistent = Settings(**{**settings.__dict__, "amqp_persistent_messages": True})
    assert Publications(persistent, CIPHER).data({"body": 1}, {}, "id").properties["delivery_mode"] == 2


def test_error_publications(settings):
    message = incoming(headers={"reply_to": "reply-rk"})
    base = {"reply_to": "reply-rk", "messageId": "x"}
    error, reply = Publications(settings, CIPHER).error({"name": "E", "message": "m", "stack": "s"}, base, message)
    payload = json.loads(error.body)
    assert CIPHER.decrypt(payload["error"], 1) == {"name": "E", "message": "m", "stack": "s"}
    assert payload["errorInput"] == message.body.decode()
    assert error.routing_key == settings.error_routing_key and "end" in error.headers
    assert reply.routing_key == "reply-rk" and reply.headers["x-eio-error-response"] is True
    assert reply.body.decode() == payload["error"]
    no_replies = Settings(**{**settings.__dict__, "no_error_replies": True})
    assert len(Publications(no_replies, CIPHER).error({"name": "E", "message": "m"}, base, message)) == 1


def test_error_input_of_protocol_2_is_reencrypted_base64(settings):
    message = incoming({"body": {"v": 2}}, version=2)
    [error] = Publications(settings, CIPHER).error({"name": "E", "message": "m"}, {}, message)
    assert CIPHER.decrypt(json.loads(error.body)["errorInput"], 1) == {"body": {"v": 2}}


def test_rebound_publication_and_limit(settings):
    publications = Publications(settings, CIPHER)
    [rebound] = publications.rebound("later", {}, incoming(headers={"reboundIteration": 2}))
    assert rebound.body == incoming().body and rebound.routing_key == settings.rebound_routing_key
    assert rebound.properties["expiration"] == "4000" and rebound.properties["delivery_mode"] == 2
    assert rebound.headers["reboundIteration"] == 3 and rebound.headers["reboundReason"] == "later"
    assert rebound.headers["messageId"] == "in-1"
    [error] = publications.rebound("later", {}, incoming(headers={"reboundIteration": 3}))
    assert error.event == "error"
    assert CIPHER.decrypt(json.loads(error.body)["error"], 1)["message"] == "Rebound limit exceeded"


def test_snapshot_and_http_reply_publications(settings):
    publications = Publications(settings, CIPHER)
    snapshot = publications.snapshot({"n": 1}, {"messageId": "x"}, "updateSnapshot")
    assert snapshot.body == b'{"n":1}' and snapshot.headers["snapshotEvent"] == "updateSnapshot"
    reply = publications.http_reply({"statusCode": 200}, {"reply_to": "r"})
    assert reply.routing_key == "r" and reply.headers["protocolVersion"] == 1
    with pytest.raises(ValueError, match="reply_to"):
        publications.http_reply({}, {})
