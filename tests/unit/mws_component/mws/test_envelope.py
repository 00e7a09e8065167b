"""The MWS envelope parser: every kind of answer, no HTTP."""

import pytest

from mws_component import errors
from mws_component.errors import ResponseError
from mws_component.mws.envelope import MwsEnvelope, Result, outcome_kind, parse, parse_error
from mws_component.mws.operations import OPERATIONS
from mws_component.pipeline import RawAnswer, Request

NS = "https://mws.amazonservices.com/Orders/2013-09-01"


def answer(status, body, headers=None):
    return RawAnswer(status, headers or {}, body)


def request(name="GetOrder"):
    return Request(OPERATIONS[name], "POST", "https://mws.amazonservices.com/Orders/2013-09-01")


def error_body(code, message="m", detail=""):
    return (f'<ErrorResponse xmlns="{NS}"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>'
            f'{detail}</Error><RequestID>rid-1</RequestID></ErrorResponse>').encode()


def test_success_is_the_result_element_with_its_request_id():
    body = (f'<GetOrderResponse xmlns="{NS}"><GetOrderResult><Orders/></GetOrderResult>'
            f'<ResponseMetadata><RequestId>req-9</RequestId></ResponseMetadata></GetOrderResponse>').encode()
    result = MwsEnvelope().parse(request(), answer(200, body, {"x-mws-request-id": "header-id"}))
    assert isinstance(result, Result)
    assert result.operation == "GetOrder" and result.result.tag == f"{{{NS}}}GetOrderResult"
    assert result.request_id == "req-9"  # the body's id before the header's


def test_error_response_with_detail_is_its_generated_class():
    body = error_body("InvalidParameterValue", "bad date", "<Detail><Field>CreatedAfter</Field></Detail>")
    with pytest.raises(errors.InvalidParameterValue) as caught:
        MwsEnvelope().parse(request(), answer(400, body))
    error = caught.value
    assert isinstance(error, errors.ApiError) and isinstance(error, errors.MwsError)
    assert (error.code, error.status, error.request_id, error.error_type) == ("InvalidParameterValue", 400, "rid-1", "Sender")
    assert error.detail == error.details == {"Field": "CreatedAfter"}
    assert error.outcome_kind == "final"


def test_non_xml_503_is_service_unavailable_and_retried_as_a_server_error():
    with pytest.raises(errors.ServiceUnavailable) as caught:
        MwsEnvelope().parse(request(), answer(503, b"<html><body>Service Unavailable</body></html>",
                                              {"x-mws-request-id": "r2"}))
    assert caught.value.status == 503 and caught.value.request_id == "r2"
    assert "Service Unavailable" in caught.value.message and "<" not in caught.value.message
    assert caught.value.outcome_kind == "server_error"


def test_a_200_holding_an_error_response_is_an_error():
    with pytest.raises(errors.RequestThrottled) as caught:
        MwsEnvelope().parse(request(), answer(200, error_body("RequestThrottled", "Request is throttled")))
    assert caught.value.status == 200 and caught.value.outcome_kind == "throttled"


def test_a_200_with_the_wrong_root_is_refused():
    body = f'<ListOrdersResponse xmlns="{NS}"><ListOrdersResult/></ListOrdersResponse>'.encode()
    with pytest.raises(ResponseError, match="expected GetOrderResponse, got <ListOrdersResponse>"):
        MwsEnvelope().parse(request(), answer(200, body))
    with pytest.raises(ResponseError, match="no GetOrderResult"):
        MwsEnvelope().parse(request(), answer(200, f'<GetOrderResponse xmlns="{NS}"/>'.encode()))


def test_a_streamed_body_is_handed_back_for_its_reader():
    streamed = RawAnswer(200, {}, None, file=object(), size=10, md5="x")
    assert parse("GetFeedSubmissionResult", streamed) is streamed


def test_secrets_are_scrubbed_from_error_texts():
    body = error_body("SignatureDoesNotMatch", "string to sign had amzn.mws.secret-token in it")
    with pytest.raises(errors.SignatureDoesNotMatch) as caught:
        MwsEnvelope(secrets=("amzn.mws.secret-token",)).parse(request(), answer(403, body))
    assert "amzn.mws.secret-token" not in str(caught.value)


@pytest.mark.parametrize("code, status, kind", [
    ("RequestThrottled", 503, "throttled"), ("QuotaExceeded", 503, "throttled"),
    ("RequestExpired", 400, "clock_skew"), ("InternalError", 500, "server_error"),
    ("HttpError", 502, "server_error"), ("HttpError", 504, "server_error"), ("HttpError", 404, "final"),
    ("AccessDenied", 401, "final"), ("InvalidParameterValue", 400, "final")])
def test_each_error_classifies_itself_for_the_retry_decision(code, status, kind):
    assert outcome_kind(code, status) == kind


@pytest.mark.parametrize("section", ["orders", "feeds"])
def test_error_mocks(shared_dir, section):
    body = (shared_dir / f"mws-samples/{section}/ErrorResponse.xml").read_bytes()
    error = parse_error(400, body, {})
    assert isinstance(error, errors.MwsError)
    assert error.code == "string" or error.code == "String"
    assert error.request_id.lower() == "string"
    assert error.error_type == "Sender"
    assert error.detail == {"AnyElement": ""}


def test_error_with_request_id_spelling_and_blank_type():
    body = (b'<ErrorResponse xmlns="https://mws.amazonservices.com/Orders/2011-01-01"><Error><Type>  </Type>'
            b'<Code>RequestThrottled</Code><Message>Request is throttled</Message></Error>'
            b'<RequestID>da90a758-492a-48bf-aae2-0f08e127e34b</RequestID></ErrorResponse>')
    error = parse_error(503, body, {})
    assert isinstance(error, errors.RequestThrottled) and isinstance(error, errors.MwsError)
    assert error.request_id == "da90a758-492a-48bf-aae2-0f08e127e34b"
    assert error.error_type is None and error.status == 503
    assert "RequestThrottled: Request is throttled" in str(error)


def test_non_xml_error_bodies_still_give_clear_errors():
    error = parse_error(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", {"x-mws-request-id": "r1"})
    assert error.code == "HttpError" and "502 Bad Gateway" in error.message and error.status == 502
    assert parse_error(503, b"", {}).code == "ServiceUnavailable"
    assert "not MWS XML" in parse_error(200, b"garbage", {}).message
