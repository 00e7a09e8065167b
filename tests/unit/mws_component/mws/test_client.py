"""The client's throttle, retries and request building, with `responses` standing in for MWS."""

import re
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import parse_qsl

import pytest
import requests
import responses

from mws_component import errors
from mws_component.mws.client import USER_AGENT, MwsClient
from mws_component.credentials import MwsCredentials as Credentials
from mws_component.mws.operations import OPERATIONS
from mws_component.mws.signing import sign_params
from mws_component.endpoint import Endpoint
from mws_component.retry import RetryPolicy
from ..fake_time import FakeTime

BASE = "https://mws.amazonservices.com"
ORDERS_URL = BASE + "/Orders/2013-09-01"
NS = "https://mws.amazonservices.com/Orders/2013-09-01"
SECRET = "Secret/Key+WithSymbols=="
TOKEN = "amzn.mws.0123abcd-0000-1111-2222-333344445555"


@pytest.fixture
def fake():
    return FakeTime()


def make_client(fake, token=None, retry=None):
    creds = Credentials("A1SELLER", "AKIDEXAMPLE1", SECRET, "ATVPDKIKX0DER", BASE, token)
    endpoint = Endpoint(BASE, clock=fake.clock, sleep=fake.sleep, session=requests.Session())
    return MwsClient(creds, endpoint=endpoint, retry=retry or RetryPolicy(max_elapsed=600))


def ok(op, inner="", ns=NS):
    return f'<{op}Response xmlns="{ns}"><{op}Result>{inner}</{op}Result><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></{op}Response>'


def err(code, message="m", ns=NS):
    return f'<ErrorResponse xmlns="{ns}"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestID>r</RequestID></ErrorResponse>'


def sent_params(call):
    return dict(parse_qsl(call.request.body if isinstance(call.request.body, str) else call.request.body.decode()))


@responses.activate
def test_mandatory_parameters_and_valid_signature(fake):
    responses.post(ORDERS_URL, body=ok("GetServiceStatus", "<Status>GREEN</Status>"))
    make_client(fake).call("GetServiceStatus")
    call = responses.calls[0]
    params = sent_params(call)
    assert {k for k in params} == {"AWSAccessKeyId", "Action", "SellerId", "SignatureMethod", "SignatureVersion",
                                   "Timestamp", "Version", "Signature"}
    assert params["Version"] == "2013-09-01" and params["SignatureMethod"] == "HmacSHA256"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", params["Timestamp"])
    unsigned = {k: v for k, v in params.items() if k != "Signature"}
    assert sign_params(unsigned, SECRET, "POST", BASE, "/Orders/2013-09-01")["Signature"] == params["Signature"]
    assert call.request.headers["User-Agent"] == USER_AGENT
    assert re.fullmatch(r"mws-component/[^ ]+ \(Language=Python/[\d.]+; Platform=[^)]+\)", USER_AGENT)
    assert call.request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")


@responses.activate
def test_auth_token_only_when_configured_and_merchant_for_feeds(fake):
    responses.post(BASE + "/Feeds/2009-01-01", body=ok("GetFeedSubmissionCount", "<Count>1</Count>",
                                                       ns="http://mws.amazonaws.com/doc/2009-01-01/"))
    make_client(fake, token=TOKEN).call("GetFeedSubmissionCount")
    params = sent_params(responses.calls[0])
    assert params["MWSAuthToken"] == TOKEN and params["Merchant"] == "A1SELLER" and "SellerId" not in params


@responses.activate
def test_list_parameters_spelled_amazons_way(fake):
    responses.post(ORDERS_URL, body=ok("ListOrders", "<Orders/>"))
    make_client(fake).call("ListOrders", MarketplaceId=["A", "B"], OrderStatus=["Unshipped", "PartiallyShipped"],
                           CreatedAfter="2020-01-01T00:00:00.000Z")
    params = sent_params(responses.calls[0])
    assert params["MarketplaceId.Id.1"] == "A" and params["MarketplaceId.Id.2"] == "B"
    assert params["OrderStatus.Status.2"] == "PartiallyShipped"


def test_too_many_list_values_refused_before_sending(fake):
    with pytest.raises(ValueError, match="at most 50"):
        make_client(fake).call("GetOrder", AmazonOrderId=[f"111-0000000-{i:07d}" for i in range(51)])


def answer_by_action(request):
    action = dict(parse_qsl(request.body))["Action"]
    return 200, {}, ok(action, "<Orders/>")


@responses.activate
def test_waits_for_a_token_instead_of_being_throttled(fake):
    responses.add_callback(responses.POST, ORDERS_URL, callback=answer_by_action)
    client = make_client(fake)
    for _ in range(6):  # ListOrders: burst of 6
        client.call("ListOrders", MarketplaceId=["A"], CreatedAfter="x")
    assert fake.sleeps == []
    client.call("ListOrdersByNextToken", NextToken="t")  # shares the ListOrders bucket: one restore (60 s) away
    assert sum(fake.sleeps) == pytest.approx(60, abs=0.01)
    before = sum(fake.sleeps)
    client.call("GetOrder", AmazonOrderId=["111-0000000-0000000"])  # its own bucket: no wait
    assert sum(fake.sleeps) == before


@responses.activate
def test_server_throttle_waits_one_restore_interval_and_resigns(fake):
    responses.post(ORDERS_URL, body=err("RequestThrottled", "Request is throttled"), status=503)
    responses.post(ORDERS_URL, body=ok("ListOrderItems", "<AmazonOrderId>1</AmazonOrderId><OrderItems/>"))
    make_client(fake).call("ListOrderItems", AmazonOrderId="111-0000000-0000000")
    assert len(responses.calls) == 2
    assert 1.5 <= sum(fake.sleeps) <= 2.5  # ListOrderItems restores one request every 2 s
    first, second = (sent_params(c) for c in responses.calls)
    assert first["Signature"] != second["Signature"] or first["Timestamp"] != second["Timestamp"]


@responses.activate
def test_quota_headers_correct_the_bucket(fake):
    responses.post(ORDERS_URL, body=ok("GetOrder", "<Orders/>"),
                   headers={"x-mws-quota-max": "6.0", "x-mws-quota-remaining": "0.0",
                            "x-mws-quota-resetsOn": "2999-01-01T00:00:00.000Z"})
    client = make_client(fake, retry=RetryPolicy(max_elapsed=120))
    client.call("GetOrder", AmazonOrderId=["111-0000000-0000000"])
    with pytest.raises(errors.QuotaExhausted) as caught:  # the server said none remain until far away: don't send
        client.call("GetOrder", AmazonOrderId=["111-0000000-0000000"])
    assert not isinstance(caught.value, errors.ApiError)  # our own quota, not a server throttle
    assert caught.value.retry_after > 120  # says when to come back: at the reset, far beyond this call's time
    assert len(responses.calls) == 1


@responses.activate
def test_quota_headers_rfc1123_and_integers(fake):
    reset = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    remaining = iter(["2", "1", "0"])
    responses.add_callback(responses.POST, ORDERS_URL, callback=lambda request: (
        200, {"x-mws-quota-max": "6", "x-mws-quota-remaining": next(remaining, "0"), "x-mws-quota-resetsOn": reset},
        ok("GetOrder", "<Orders/>")))
    client = make_client(fake)
    for _ in range(3):
        client.call("GetOrder", AmazonOrderId=["111-0000000-0000000"])
    assert fake.sleeps == []  # the server said 2, then 1 remained
    client.call("GetOrder", AmazonOrderId=["111-0000000-0000000"])  # 0 remain until the RFC 1123 reset time
    assert 25 <= sum(fake.sleeps) <= 31


@responses.activate
def test_internal_error_and_gateway_errors_retried_with_backoff(fake):
    responses.post(ORDERS_URL, body=err("InternalError"), status=500)
    responses.post(ORDERS_URL, body="<html>bad gateway</html>", status=502)
    responses.post(ORDERS_URL, body="", status=504)
    responses.post(ORDERS_URL, body=ok("GetOrder", "<Orders/>"))
    make_client(fake).call("GetOrder", AmazonOrderId=["111-0000000-0000000"])
    assert len(responses.calls) == 4
    assert len(fake.sleeps) == 3 and fake.sleeps[2] > fake.sleeps[0] * 0.9  # growing, jittered


@responses.activate
def test_connection_errors_retried(fake):
    responses.post(ORDERS_URL, body=requests.exceptions.ConnectionError("reset by peer"))
    responses.post(ORDERS_URL, body=requests.exceptions.ReadTimeout("slow"))
    responses.post(ORDERS_URL, body=ok("GetOrder", "<Orders/>"))
    make_client(fake).call("GetOrder", AmazonOrderId=["111-0000000-0000000"])
    assert len(responses.calls) == 3


@responses.activate
def test_submit_feed_not_resent_after_an_unknown_outcome(fake):
    url = BASE + "/Feeds/2009-01-01"
    responses.post(url, body=requests.exceptions.ReadTimeout("slow"))
    with pytest.raises(errors.TransportError, match="may have been accepted"):
        make_client(fake).call("SubmitFeed", body=b"<x/>", FeedType="_POST_INVENTORY_AVAILABILITY_DATA_")
    assert len(responses.calls) == 1


@pytest.mark.parametrize("code, status", [("InvalidParameterValue", 400), ("AccessDenied", 401),
                                          ("SignatureDoesNotMatch", 403), ("InvalidAddress", 404)])
@responses.activate
def test_other_errors_not_retried(fake, code, status):
    responses.post(ORDERS_URL, body=err(code), status=status)
    with pytest.raises(errors.error_class(code)) as caught:
        make_client(fake).call("GetOrder", AmazonOrderId=["111-0000000-0000000"])
    assert len(responses.calls) == 1 and caught.value.status == status and caught.value.code == code


@responses.activate
def test_retries_bounded_in_total_time(fake):
    responses.post(ORDERS_URL, body=err("InternalError"), status=500)
    with pytest.raises(errors.InternalError):
        make_client(fake, retry=RetryPolicy(max_elapsed=20)).call("GetOrder", AmazonOrderId=["111-0000000-0000000"])
    assert sum(fake.sleeps) <= 20 and len(responses.calls) >= 2


@responses.activate
def test_error_inside_a_200_is_an_error(fake):
    responses.post(ORDERS_URL, body=err("InvalidParameterValue"), status=200)
    with pytest.raises(errors.InvalidParameterValue):
        make_client(fake).call("GetOrder", AmazonOrderId=["111-0000000-0000000"])


@responses.activate
def test_secrets_never_in_error_text(fake):
    echoed = f"The request signature we calculated ... MWSAuthToken={TOKEN} key {SECRET}"
    responses.post(ORDERS_URL, body=err("SignatureDoesNotMatch", echoed), status=403)
    client = make_client(fake, token=TOKEN)
    with pytest.raises(errors.MwsError) as caught:
        client.call("GetOrder", AmazonOrderId=["111-0000000-0000000"])
    text = str(caught.value) + repr(caught.value.args) + repr(client.credentials)
    assert TOKEN not in text and SECRET not in text


@responses.activate
def test_pagination_follows_next_token_and_stops_on_a_repeated_one(fake):
    responses.post(ORDERS_URL, body=ok("ListOrderItems", "<NextToken>T1</NextToken><OrderItems/>"))
    responses.post(ORDERS_URL, body=ok("ListOrderItemsByNextToken", "<NextToken>T2</NextToken><OrderItems/>"))
    responses.post(ORDERS_URL, body=ok("ListOrderItemsByNextToken", "<OrderItems/>"))
    pages = list(make_client(fake).pages("ListOrderItems", AmazonOrderId="111-0000000-0000000"))
    assert [p.operation for p in pages] == ["ListOrderItems", "ListOrderItemsByNextToken", "ListOrderItemsByNextToken"]
    assert sent_params(responses.calls[1])["NextToken"] == "T1"


@responses.activate
def test_repeating_token_from_amazons_examples_does_not_loop(fake):
    responses.post(ORDERS_URL, body=ok("ListOrderItems", "<NextToken>SAME</NextToken><OrderItems/>"))
    responses.post(ORDERS_URL, body=ok("ListOrderItemsByNextToken", "<NextToken>SAME</NextToken><OrderItems/>"))
    with pytest.raises(errors.ResponseError, match="same NextToken"):
        list(make_client(fake).pages("ListOrderItems", AmazonOrderId="111-0000000-0000000"))


def test_feeds_paginate_by_has_next_orders_by_token_alone():
    assert OPERATIONS["GetFeedSubmissionList"].section.has_next
    assert not OPERATIONS["ListOrders"].section.has_next
    assert OPERATIONS["ListOrders"].quota is OPERATIONS["ListOrdersByNextToken"].quota
    assert OPERATIONS["ListOrderItems"].quota is OPERATIONS["ListOrderItemsByNextToken"].quota
    assert OPERATIONS["SubmitFeed"].quota.hourly == 30


@pytest.mark.parametrize("body", [
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><GetOrderResponse>&x;</GetOrderResponse>',
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><a>&lol2;</a>',
    b'<GetOrderResponse xmlns="x"><GetOrderResult><Orders><Order>',
])
@responses.activate
def test_hostile_or_cut_bodies_refused_clearly(fake, body):
    responses.post(ORDERS_URL, body=body)
    with pytest.raises(errors.ResponseError):
        make_client(fake).call("GetOrder", AmazonOrderId=["111-0000000-0000000"])
