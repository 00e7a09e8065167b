"""The message loop against a real RabbitMQ: data, errors, rebounds, snapshots and the other emits."""

import time
import uuid

import pytest

from testkit.runtime import CIPHER, assert_inputs_settled, decode_error, decrypt_data, wait_until

pytestmark = pytest.mark.rabbitmq

UUID_LENGTH = 36


def test_encrypted_message_comes_out_on_the_next_step_queue(broker, topology, start_runner):
    runner = start_runner("echo", ELASTICIO_ADDITIONAL_VARS_FOR_HEADERS="ELASTICIO_TENANT_ID",
                          ELASTICIO_TENANT_ID="tenant-7", ELASTICIO_FLOW_TYPE="ordinary")
    message = {"id": "in-1", "body": {"amazonOrderId": "902-3159896-1390916", "name": "Müller"},
               "headers": {}, "attachments": {}}
    before = int(time.time() * 1000)
    message_id = broker.publish_message(topology, message, headers={"x-EIO-meta-trace": "abc",
                                                                    "reply_to": topology.reply_rk})

    [(method, props, body)] = broker.wait_for(topology.next_queue)

    assert method.routing_key == topology.data_rk
    assert props.content_type == "application/json"
    assert props.content_encoding == "utf8"
    assert props.delivery_mode == 1
    headers = props.headers
    assert headers["parentMessageId"] == message_id
    assert headers["threadId"] == "thread-" + message_id[:8]
    assert len(headers["messageId"]) == UUID_LENGTH and headers["messageId"] != message_id
    assert {k: headers[k] for k in ("execId", "taskId", "workspaceId", "containerId", "userId", "stepId",
                                    "compId", "function", "protocolVersion", "tenantId", "x-eio-meta-trace",
                                    "reply_to")} == {
        "execId": "exec-1", "taskId": topology.flow_id, "workspaceId": "ws-1", "containerId": "container-1",
        "userId": "user-1", "stepId": "step_1", "compId": "comp-1", "function": "echo",
        "protocolVersion": 1, "tenantId": "tenant-7", "x-eio-meta-trace": "abc", "reply_to": topology.reply_rk}
    assert before <= headers["start"] <= headers["end"] <= int(time.time() * 1000)
    # protocolVersion 1: base64 text of the ciphertext.
    assert CIPHER.decrypt(body, 1) == {"body": {"echo": message["body"], "tag": "t1", "flowType": "ordinary",
                                                "stepId": "step_1"}}
    assert_inputs_settled(runner, broker, topology.listen_queue)
    assert broker.drain(topology.error_queue, settle=0) == []
    log_lines = runner.output()
    assert "s3cret-value" not in log_lines and "api-key-5f1e2d" not in log_lines
    assert "Müller" not in log_lines  # no body above debug level


def test_protocol_version_2_in_and_out_and_routing_key_header(broker, topology, start_runner):
    start_runner("echo", ELASTICIO_PROTOCOL_VERSION="2")
    broker.publish_message(topology, {"body": {"routeTo": topology.other_rk}}, protocol_version=2)

    [(method, props, body)] = broker.wait_for(topology.other_queue)

    assert method.routing_key == topology.other_rk
    assert props.headers["protocolVersion"] == 2
    payload = CIPHER.decrypt(body, 2)  # raw ciphertext
    assert payload["headers"] == {}  # x-eio-routing-key is removed before encryption
    assert payload["body"]["echo"] == {"routeTo": topology.other_rk}


def test_failing_function_error_lands_on_error_queue_and_input_is_rejected(broker, topology, start_runner):
    runner = start_runner("fail")
    message = {"body": {"what": "order 1"}}
    message_id = broker.publish_message(topology, message, headers={"reply_to": topology.reply_rk})

    [(method, props, body)] = broker.wait_for(topology.error_queue)

    decoded = decode_error(body)
    assert decoded["error"]["name"] == "OrderRejected"
    assert decoded["error"]["message"] == "cannot handle order 1"
    assert "Traceback" in decoded["error"]["stack"]
    assert decoded["errorInput"] == message  # v1: the original base64 body, unchanged
    assert props.headers["parentMessageId"] == message_id and "end" in props.headers
    # The error reply goes to reply_to, base64-encrypted, marked as an error response.
    [(_, reply_props, reply_body)] = broker.wait_for(topology.reply_queue)
    assert reply_props.headers["x-eio-error-response"] is True
    assert CIPHER.decrypt(reply_body, 1)["name"] == "OrderRejected"
    # Rejected without requeue: gone from the queue, not redelivered.
    assert [e["outcome"] for e in runner.log_entries() if e.get("message") == "message processed"] == ["reject"]
    assert_inputs_settled(runner, broker, topology.listen_queue)
    assert broker.drain(topology.next_queue) == []
    assert broker.drain(topology.error_queue, settle=0) == []


def test_error_input_of_a_protocol_2_message_is_reencrypted_base64(broker, topology, start_runner):
    start_runner("fail")
    message = {"body": {"what": "v2"}}
    broker.publish_message(topology, message, protocol_version=2)

    [(_, _, body)] = broker.wait_for(topology.error_queue)

    assert decode_error(body)["errorInput"] == message


def test_undecryptable_message_is_rejected_without_calling_the_function(broker, topology, start_runner):
    runner = start_runner("echo")
    broker.publish_message(topology, None, encrypted_body=b"this is not encrypted")
    broker.publish_message(topology, {"body": {"after": True}})

    [(_, props, body)] = broker.wait_for(topology.next_queue)

    assert decrypt_data(props, body)["body"]["echo"] == {"after": True}
    assert broker.drain(topology.error_queue, settle=0) == []
    assert_inputs_settled(runner, broker, topology.listen_queue)
    assert any("cannot decrypt" in e.get("message", "") for e in runner.log_entries())


def test_rebound_comes_back_after_expiration_and_the_limit_becomes_the_error(broker, topology, start_runner):
    runner = start_runner("rebound", ELASTICIO_REBOUND_INITIAL_EXPIRATION="200", ELASTICIO_REBOUND_LIMIT="2",
                          LOG_LEVEL="debug")
    message = {"body": {"order": 1}}
    message_id = broker.publish_message(topology, message)

    # Iteration 1 waits 200 ms, iteration 2 waits 400 ms, the third attempt exceeds the limit of 2.
    [(_, props, body)] = broker.wait_for(topology.error_queue, timeout=20)

    assert decode_error(body)["error"]["message"] == "Rebound limit exceeded"
    assert decode_error(body)["errorInput"] == message
    assert props.headers["parentMessageId"] == message_id
    rebounds = [e for e in runner.log_entries() if e.get("message") == "rebound"]
    assert [e["limitExceeded"] for e in rebounds] == [False, False, True]
    processed = [e for e in runner.log_entries() if e.get("message") == "message processed"]
    # A rebound is not an error: every attempt was acknowledged.
    assert [e["outcome"] for e in processed] == ["ack", "ack", "ack"]
    assert_inputs_settled(runner, broker, topology.listen_queue)
    assert broker.counts(topology.rebound_queue)[0] == 0


def test_rebound_message_keeps_its_content_and_gets_iteration_and_expiration(broker, topology, start_runner):
    # No dead-letter loop here: the rebound is read straight from a plain queue.
    broker.channel.queue_unbind(topology.rebound_queue, topology.publish_exchange, topology.rebound_rk)
    broker.channel.queue_bind(topology.other_queue, topology.publish_exchange, topology.rebound_rk)
    start_runner("rebound", ELASTICIO_REBOUND_INITIAL_EXPIRATION="60000")
    message = {"body": {"order": 2}}
    original = CIPHER.encrypt(message, 1)
    message_id = broker.publish_message(topology, message, headers={"reboundIteration": 3})

    [(_, props, body)] = broker.wait_for(topology.other_queue)

    assert body == original
    assert props.expiration == str(2 ** (4 - 1) * 60000)
    assert props.headers["reboundIteration"] == 4
    assert props.headers["reboundReason"] == "Not ready yet"
    assert props.headers["messageId"] == message_id and "end" in props.headers


def test_snapshot_is_published_and_used_on_the_next_tick(broker, topology, start_runner, platform_api, step):
    step["snapshot"] = {"count": 10}
    start_runner("tick")
    broker.publish_message(topology, {"body": {}})
    broker.publish_message(topology, {"body": {}})

    data = [decrypt_data(p, b)["body"] for _, p, b in broker.wait_for(topology.next_queue, 2)]
    snapshots = broker.wait_for(topology.snapshot_queue, 2)

    assert data == [{"tick": 11, "previousSnapshot": {"count": 10}},
                    {"tick": 12, "previousSnapshot": {"count": 11}}]
    for (_, props, body), expected in zip(snapshots, (11, 12)):
        assert props.headers["snapshotEvent"] == "snapshot"
        assert props.content_type == "application/json"
        assert body == b'{"count":%d}' % expected  # plain JSON, not encrypted


def test_update_snapshot_http_reply_and_update_keys(broker, topology, start_runner, platform_api):
    start_runner("events")
    events = [
        {"event": "updateSnapshot", "payload": {"cursor": "c1"}},
        {"event": "updateSnapshot", "payload": {"$set": {"ignored": True}}},
        {"event": "httpReply", "payload": {"statusCode": 200, "body": {"ok": True}}},
        {"event": "updateKeys", "payload": {"accessToken": "fresh-token-123"}},
        {"event": "data", "payload": {"body": {"done": True}}},
    ]
    broker.publish_message(topology, {"body": {"emit": events}}, headers={"reply_to": topology.reply_rk})

    [(_, snap_props, snap_body)] = broker.wait_for(topology.snapshot_queue)
    [(_, reply_props, reply_body)] = broker.wait_for(topology.reply_queue)
    broker.wait_for(topology.next_queue)

    assert snap_props.headers["snapshotEvent"] == "updateSnapshot" and snap_body == b'{"cursor":"c1"}'
    assert reply_props.headers["protocolVersion"] == 1
    assert CIPHER.decrypt(reply_body, 1) == {"statusCode": 200, "body": {"ok": True}}
    puts = [r for r in platform_api.requests if r["method"] == "PUT"]
    assert [(r["path"], r["body"]) for r in puts] == [("/v1/accounts/acc-42", {"keys": {"accessToken": "fresh-token-123"}})]
    assert broker.drain(topology.snapshot_queue, settle=0.2) == []  # the $set one was ignored
    assert broker.drain(topology.error_queue, settle=0) == []


def test_passthrough_step_adds_its_output_under_its_step_id(broker, topology, start_runner, step):
    step["is_passthrough"] = True
    start_runner("echo")
    broker.publish_message(topology, {"body": {"a": 1}, "passthrough": {"step_0": {"body": {"first": True}}}})

    [(_, props, body)] = broker.wait_for(topology.next_queue)

    payload = decrypt_data(props, body)
    assert payload["passthrough"]["step_0"] == {"body": {"first": True}}
    assert payload["passthrough"]["step_1"] == {"body": payload["body"]}


def test_outgoing_message_over_the_size_limit_is_refused_with_an_error(broker, topology, start_runner):
    runner = start_runner("big", ELASTICIO_OUTGOING_MESSAGE_SIZE_LIMIT="1000")
    broker.publish_message(topology, {"body": {"size": 5000}})

    [(_, _, body)] = broker.wait_for(topology.error_queue)

    error = decode_error(body)["error"]
    assert error["name"] == "OutgoingMessageTooLarge"
    assert error["message"].startswith("Outgoing message size ") and error["message"].endswith(
        "exceeds limit of 1000.")
    assert broker.drain(topology.next_queue, settle=0.2) == []
    assert_inputs_settled(runner, broker, topology.listen_queue)


def test_function_that_cannot_be_imported_reports_on_every_message(broker, topology, start_runner):
    start_runner("broken")
    broker.publish_message(topology, {"body": {}})

    [(_, _, body)] = broker.wait_for(topology.error_queue)

    assert decode_error(body)["error"]["name"] == "ModuleNotFoundError"


def test_duplicate_delivery_of_a_message_in_progress_is_ignored(broker, topology, start_runner, tmp_path):
    runner = start_runner("slow", ELASTICIO_RABBITMQ_PREFETCH_SAILOR="2")
    message_id = str(uuid.uuid4())
    marker = tmp_path / "runs"
    message = {"body": {"n": 1, "marker": str(marker), "sleep": 1.5, "alwaysSleep": True}}
    broker.publish_message(topology, message, message_id=message_id)
    wait_until(marker.exists, what="the function to start")
    broker.publish_message(topology, message, message_id=message_id)

    outputs = broker.wait_for(topology.next_queue, 2)

    assert [decrypt_data(p, b)["body"]["part"] for _, p, b in outputs] == ["first", "second"]
    assert broker.drain(topology.next_queue, settle=1.0) == []
    assert marker.read_text().count("run") == 1
    # Both deliveries were settled: nothing waits for redelivery.
    assert_inputs_settled(runner, broker, topology.listen_queue)
    assert any("duplicate delivery" in e.get("message", "") for e in runner.log_entries())
