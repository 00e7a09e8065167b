"""The SP-API JSON envelope: success bodies, error bodies, bodies that are not JSON, the outcome kinds."""

import io
import json

import pytest

from mws_component.errors import ResponseError
from mws_component.spapi import envelope as envelope_module
from mws_component.spapi.envelope import JsonEnvelope
from mws_component.spapi.errors import SpApiError
from mws_component.spapi.operations import operation

from .support import ACCESS, REFRESH, SECRET, RawAnswer, Request

REQUEST = Request(operation("searchOrders"), "GET", "https://x.example/orders/2026-01-01/orders", {}, {})
ENVELOPE = JsonEnvelope(lambda: (SECRET, REFRESH, ACCESS))


def answer(status, body, **headers):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return RawAnswer(status, {"x-amzn-requestid": "req-1"} | {k.replace("_", "-"): v for k, v in headers.items()}, raw)


def error_of(raw):
    with pytest.raises(SpApiError) as caught:
        ENVELOPE.parse(REQUEST, raw)
    return caught.value


def test_success_bodies_are_dicts():
    body = {"orders": [{"orderId": "1"}], "pagination": {"nextToken": "t"}}
    assert ENVELOPE.parse(REQUEST, answer(200, body)) == body
    assert ENVELOPE.parse(REQUEST, RawAnswer(204, {}, b"")) == {}
    assert ENVELOPE.parse(REQUEST, RawAnswer(200, {}, None)) == {}
    assert ENVELOPE.parse(REQUEST, answer(202, {"feedId": "5"})) == {"feedId": "5"}
    streamed = RawAnswer(200, {}, None, file=io.BytesIO(b'{"order": {"orderId": "2"}}'))
    assert ENVELOPE.parse(REQUEST, streamed) == {"order": {"orderId": "2"}}


@pytest.mark.parametrize("body", [b"<html>hello</html>", b"[1, 2]", b'"text"', b"\xff\xfe", b'{"orders": '])
def test_a_200_that_is_not_a_json_object_is_a_response_error(body):
    with pytest.raises(ResponseError) as caught:
        ENVELOPE.parse(REQUEST, RawAnswer(200, {}, body))
    assert "searchOrders: HTTP 200" in str(caught.value)


def test_an_oversized_body_is_refused(monkeypatch):
    monkeypatch.setattr(envelope_module, "MAX_JSON_BODY", 100)
    with pytest.raises(ResponseError, match="larger than"):
        ENVELOPE.parse(REQUEST, RawAnswer(200, {}, b'{"a": "' + b"x" * 200 + b'"}'))


def test_an_error_body_becomes_an_sp_api_error_with_every_part():
    error = error_of(answer(400, {"errors": [
        {"code": "InvalidInput", "message": "Invalid createdAfter", "details": "TEST_CASE_400"},
        {"code": "InvalidInput", "message": "second"}]}))
    assert (error.code, error.message, error.details, error.status, error.request_id) == (
        "InvalidInput", "Invalid createdAfter", "TEST_CASE_400", 400, "req-1")
    assert error.outcome_kind == "final" and error.operation == "searchOrders" and len(error.errors) == 2
    assert str(error) == "searchOrders: InvalidInput: Invalid createdAfter (TEST_CASE_400) [HTTP 400, request id req-1]"


@pytest.mark.parametrize("status, body, kind", [
    (429, {"errors": [{"code": "QuotaExceeded", "message": "You exceeded your quota for the requested resource.",
                       "details": ""}]}, "throttled"),
    (429, b"", "throttled"),
    (500, {"errors": [{"code": "InternalFailure", "message": "We encountered an internal error."}]}, "server_error"),
    (502, b"<html><body>Bad Gateway</body></html>", "server_error"),
    (503, b"<html><head><title>503</title></head><body>Service Unavailable</body></html>", "server_error"),
    (504, b"", "server_error"),
    (403, {"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied.",
                       "details": "The access token you provided has expired."}]}, "auth_expired"),
    (403, {"errors": [{"code": "Unauthorized", "message": "The security token included in the request is expired"}]},
     "auth_expired"),
    (403, {"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied.", "details": ""}]},
     "final"),
    (403, {"errors": [{"code": "Unauthorized", "message": "Access to requested resource is denied.",
                       "details": "The access token you provided is revoked, malformed or invalid."}]}, "final"),
    (404, {"errors": [{"code": "NotFound", "message": "The requested order was not found"}]}, "final"),
    (415, b"", "final"),
])
def test_outcome_kinds(status, body, kind):
    assert error_of(answer(status, body)).outcome_kind == kind


def test_a_non_json_error_body_is_described_by_its_status_and_text():
    error = error_of(answer(503, b"<html><body><h1>Service Unavailable</h1> try later</body></html>"))
    assert error.code == "ServiceUnavailable" and error.status == 503
    assert "HTTP 503 with a body that is not SP-API JSON: Service Unavailable try later" in str(error)
    assert "<h1>" not in str(error)
    assert error_of(answer(418, b"")).message == "HTTP 418 with a body that is not SP-API JSON (empty)"


def test_a_success_status_carrying_only_errors_is_an_error():
    error = error_of(answer(200, {"errors": [{"code": "InvalidInput", "message": "bad"}]}))
    assert error.code == "InvalidInput" and error.status == 200


def test_secrets_are_scrubbed_from_every_text():
    from urllib.parse import quote
    error = error_of(answer(400, {"errors": [{"code": "InvalidInput", "message": f"token {ACCESS} refused",
                                              "details": f"secret {quote(SECRET, safe='')}"}]}))
    html = error_of(answer(502, f"<p>upstream saw {REFRESH}</p>".encode()))
    with pytest.raises(ResponseError) as not_json:
        ENVELOPE.parse(REQUEST, RawAnswer(200, {}, f"<p>{ACCESS}</p>".encode()))
    for text in (str(error), repr(error.errors), str(html), str(not_json.value)):
        for secret in (SECRET, REFRESH, ACCESS, quote(SECRET, safe="")):
            assert secret not in text, text
    assert "***" in str(error) and "***" in str(html)
