"""A hostile endpoint gets a clear refusal, in bounded time and memory, from the connector's own errors.

The client is pointed at a loopback server (hostile_server.py) through the
`endpoint` credential, with a short retry policy so that slow answers are
decided in seconds.
"""

import time
import tracemalloc
from datetime import datetime, timedelta, timezone

import pytest

from mws_component import errors
from mws_component.endpoint import MAX_BODY, Endpoint
from mws_component.mws import feeds as feed_submissions, orders
from mws_component.mws.client import MwsClient
from mws_component.credentials import MwsCredentials as Credentials
from mws_component.retry import RetryPolicy
from mws_tools.runner import LocalContext, run_function

from . import hostile_server as hostile
from .hostile_server import HostileServer

ORDER_ID = "111-0000000-0000000"
SECRET_FILE_TEXT = "root:x:0:0:THE-FILE-AN-XXE-WOULD-READ"
SHORT_RETRIES = RetryPolicy(max_elapsed=3, max_attempts=3, base_delay=0.01, max_delay=0.05)
ORDERS_NS = "https://mws.amazonservices.com/Orders/2013-09-01"


@pytest.fixture
def server():
    with HostileServer() as hostile_endpoint:
        yield hostile_endpoint


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "passwd"
    path.write_text(SECRET_FILE_TEXT)
    return path


def client_for(server, retry=SHORT_RETRIES):
    credentials = Credentials("A1SELLER", "AKIDEXAMPLE1", "not-a-real-secret", "ATVPDKIKX0DER", server.url)
    return MwsClient(credentials, endpoint=Endpoint(server.url, connect_timeout=1, read_timeout=0.5), retry=retry)


def refusal(call, memory_limit=16 * 1024 * 1024, time_limit=5.0):
    """The ConnectorError `call()` raises, checked for time taken and Python memory allocated meanwhile."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(errors.ConnectorError) as caught:
            call()
    finally:
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < time_limit, f"took {elapsed:.1f} s"
    assert peak < memory_limit, f"allocated {peak / 2 ** 20:.0f} MB"
    return caught.value


def get_order(server, retry=SHORT_RETRIES):
    return lambda: orders.get_orders(client_for(server, retry), [ORDER_ID])


def xml_answer(inner):
    return (f'<?xml version="1.0"?>\n{inner}').encode()


# -- XML meant to attack the parser ------------------------------------------------------------

def test_external_entity_to_a_local_file_is_refused_unread(server, secret_file):
    server.answer = hostile.fixed(200, xml_answer(
        f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret_file}">]>'
        f'<GetOrderResponse xmlns="{ORDERS_NS}"><GetOrderResult><Orders><Order>'
        '<AmazonOrderId>&x;</AmazonOrderId></Order></Orders></GetOrderResult></GetOrderResponse>'))
    error = refusal(get_order(server))
    assert isinstance(error, errors.ResponseError) and "DTD" in str(error)
    assert SECRET_FILE_TEXT not in str(error)
    assert len(server.asked) == 1  # refused, not retried


def test_billion_laughs_is_refused_without_expanding(server):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    server.answer = hostile.fixed(200, xml_answer(
        f'<!DOCTYPE lolz [{entities}]><GetOrderResponse><GetOrderResult>&lol9;</GetOrderResult></GetOrderResponse>'))
    error = refusal(get_order(server), time_limit=2.0)
    assert isinstance(error, errors.ResponseError) and "DTD" in str(error)


@pytest.mark.parametrize("padding", [0, 70_000], ids=["at-start", "behind-a-70KB-comment"])
def test_external_dtd_is_never_fetched(server, padding):
    # A DTD may follow any amount of comments; the parser itself must refuse it, not only a first-bytes check.
    comment = f"<!--{'x' * padding}-->" if padding else ""
    server.answer = hostile.fixed(200, xml_answer(
        f'{comment}<!DOCTYPE GetOrderResponse SYSTEM "{server.url}/evil.dtd">'
        f'<GetOrderResponse xmlns="{ORDERS_NS}"><GetOrderResult/></GetOrderResponse>'))
    error = refusal(get_order(server))
    assert isinstance(error, errors.ResponseError) and "DTD" in str(error)
    assert [path for path, _ in server.asked] == ["/Orders/2013-09-01"]  # no request for evil.dtd


def test_internal_entities_behind_a_long_comment_are_refused(server, secret_file):
    server.answer = hostile.fixed(200, xml_answer(
        f'<!--{"x" * 70_000}--><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret_file}">]>'
        f'<GetOrderResponse xmlns="{ORDERS_NS}"><GetOrderResult>&x;</GetOrderResult></GetOrderResponse>'))
    error = refusal(get_order(server))
    assert isinstance(error, errors.ResponseError) and SECRET_FILE_TEXT not in str(error)


# -- size and time -----------------------------------------------------------------------------

def test_a_declared_gigabyte_is_refused_before_reading(server):
    server.answer = hostile.gigabyte(chunked=False)
    error = refusal(get_order(server))
    assert isinstance(error, errors.ResponseError) and "larger than" in str(error)
    assert server.bytes_sent < 64 * 1024 * 1024  # what socket buffers took before the client hung up


def test_a_streamed_gigabyte_is_cut_off_at_the_cap(server):
    # The size cap is under test, not the call's deadline: reading 64 MB on a slow machine may take more than 3 s.
    server.answer = hostile.gigabyte(chunked=True)
    patient = RetryPolicy(max_elapsed=120, max_attempts=1, base_delay=0.01, max_delay=0.05)
    error = refusal(get_order(server, patient), memory_limit=MAX_BODY + 16 * 1024 * 1024, time_limit=120.0)
    assert isinstance(error, errors.ResponseError) and "larger than" in str(error)
    assert server.bytes_sent < MAX_BODY + 32 * 1024 * 1024  # read up to the cap, not the gigabyte
    assert len(server.asked) == 1


def test_slow_loris_headers_then_nothing_ends_at_the_read_timeout(server):
    server.answer = hostile.stall_after_headers
    error = refusal(get_order(server), time_limit=SHORT_RETRIES.max_elapsed + 2)
    assert isinstance(error, errors.TransportError) and "timed out" in str(error)


def test_slow_loris_trickling_bytes_ends_at_the_calls_deadline(server):
    # Each byte arrives within the read timeout, so only the call's own deadline can end it.
    server.answer = hostile.trickle
    error = refusal(get_order(server), time_limit=SHORT_RETRIES.max_elapsed + 2)
    assert isinstance(error, errors.TransportError) and "still arriving" in str(error)


# -- answers that are cut, corrupt or not MWS at all ----------------------------------------------

FULL_ANSWER = xml_answer(f'<GetOrderResponse xmlns="{ORDERS_NS}"><GetOrderResult><Orders><Order>'
                         f'<AmazonOrderId>{ORDER_ID}</AmazonOrderId></Order></Orders></GetOrderResult>'
                         '</GetOrderResponse>')


def test_a_body_cut_off_mid_element_is_refused(server):
    server.answer = hostile.fixed(200, FULL_ANSWER[:FULL_ANSWER.index(b"</AmazonOrderId>") - 4])
    error = refusal(get_order(server))
    assert isinstance(error, errors.ResponseError) and "not well-formed" in str(error)


def test_a_body_cut_off_in_transit_is_retried_then_refused(server):
    server.answer = hostile.cut_in_transit(FULL_ANSWER)
    error = refusal(get_order(server))
    assert isinstance(error, errors.TransportError) and "cut off" in str(error)
    assert len(server.asked) == SHORT_RETRIES.max_attempts


def test_a_report_with_a_wrong_content_md5_is_fetched_again_then_refused(server):
    report = xml_answer('<AmazonEnvelope><Header><DocumentVersion>1.02</DocumentVersion></Header>'
                        '<MessageType>ProcessingReport</MessageType></AmazonEnvelope>')
    server.answer = hostile.fixed(200, report, headers={"Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA=="})
    error = refusal(lambda: feed_submissions.download_report(client_for(server), "50001018000"))
    assert isinstance(error, errors.ContentMD5Mismatch)
    assert len(server.asked) == feed_submissions.MD5_ATTEMPTS


PROXY_PAGE = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"


def test_a_proxys_html_502_is_retried_then_reported_with_its_status(server):
    server.answer = hostile.fixed(502, PROXY_PAGE, content_type="text/html")
    error = refusal(get_order(server))
    assert isinstance(error, errors.MwsError) and error.status == 502 and "Bad Gateway" in str(error)
    assert len(server.asked) == SHORT_RETRIES.max_attempts


@pytest.mark.parametrize("page", [PROXY_PAGE, b"<html><body>Login required<br></body></html>",
                                  b"<html><body><p>Maintenance</p></body></html>", b""],
                         ids=["with-doctype", "not-well-formed", "well-formed-xhtml", "empty"])
def test_a_proxys_html_200_is_not_taken_for_an_answer(server, page):
    server.answer = hostile.fixed(200, page, content_type="text/html")
    error = refusal(get_order(server))
    assert isinstance(error, errors.ResponseError)


def test_an_error_response_inside_a_200_is_an_error(server):
    server.answer = hostile.fixed(200, xml_answer(
        f'<ErrorResponse xmlns="{ORDERS_NS}"><Error><Type>Sender</Type><Code>AccessDenied</Code>'
        '<Message>Access to Orders.GetOrder is denied</Message></Error><RequestID>r-1</RequestID></ErrorResponse>'))
    error = refusal(get_order(server))
    assert isinstance(error, errors.MwsError) and error.code == "AccessDenied" and error.request_id == "r-1"
    assert len(server.asked) == 1


def test_a_redirect_is_not_followed(server):
    # Following it would send the signed request to wherever the Location points.
    server.answer = hostile.fixed(302, b"", headers={"Location": "http://127.0.0.1:9/elsewhere"})
    error = refusal(get_order(server))
    assert isinstance(error, errors.MwsError) and error.status == 302
    assert len(server.asked) == 1


def test_a_skewed_clock_is_corrected_even_when_the_first_attempt_is_lost(server):
    # The host's clock is two hours behind; the first attempt gets no answer to learn the time from.
    server_time = datetime.now(timezone.utc) + timedelta(hours=2)
    expired = hostile.fixed(400, xml_answer(
        f'<ErrorResponse xmlns="{ORDERS_NS}"><Error><Type>Sender</Type><Code>RequestExpired</Code>'
        '<Message>Request has expired.</Message></Error><RequestId>r-2</RequestId></ErrorResponse>'),
        headers={"x-mws-timestamp": server_time.strftime("%Y-%m-%dT%H:%M:%S.000Z")})
    server.answer = hostile.in_turn(hostile.hang_up, expired, hostile.fixed(200, FULL_ANSWER))
    found, missing = orders.get_orders(client_for(server), [ORDER_ID])
    assert [o["amazonOrderId"] for o in found] == [ORDER_ID] and not missing
    signed_at = datetime.fromisoformat(server.params[2]["Timestamp"].replace("Z", "+00:00"))
    assert abs((signed_at - server_time).total_seconds()) < 60  # the third attempt was signed on the server's clock


def test_through_a_function_the_refusal_is_an_error_event(server, secret_file):
    server.answer = hostile.fixed(200, xml_answer(
        f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret_file}">]><GetOrderResponse>&x;</GetOrderResponse>'))
    cfg = {"sellerId": "A1SELLER", "accessKeyId": "AKIDEXAMPLE1", "secretAccessKey": "not-a-real-secret",
           "marketplaceId": "ATVPDKIKX0DER", "endpoint": server.url}
    ctx = run_function("getOrder", cfg, {"body": {"amazonOrderIds": [ORDER_ID]}}, ctx=LocalContext(out=None))
    assert [e["event"] for e in ctx.events] == ["error"]
    assert ctx.events[0]["error"]["name"] == "ResponseError"
    assert SECRET_FILE_TEXT not in ctx.events[0]["error"]["message"]
