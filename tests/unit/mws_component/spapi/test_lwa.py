"""LwaAuthoriser: the refresh-token grant, its cache, its errors, the headers and the query encoding."""

import logging
import threading
import time
from datetime import datetime, timezone
from urllib.parse import parse_qs, quote, quote_plus

import pytest
import requests
import responses

from mws_component.errors import TransportError
from mws_component.spapi.errors import LwaError
from mws_component.spapi.lwa import USER_AGENT, LwaAuthoriser, TokenCache, encode_query
from mws_component.spapi.operations import operation

from .support import ACCESS, REFRESH, SECRET, Clock, Request, credentials

TOKEN_URL = "https://api.amazon.com/auth/o2/token"
NOW = datetime(2026, 3, 1, 12, 30, 45, tzinfo=timezone.utc)
FORBIDDEN = {form for s in (SECRET, REFRESH, ACCESS) for form in (s, quote(s, safe=""), quote_plus(s))}


def leaks(text):
    return sorted(f for f in FORBIDDEN if f in str(text))


def granted(token=ACCESS, expires_in=3600):
    return {"access_token": token, "token_type": "bearer", "expires_in": expires_in}


def search_request(**params):
    op = operation("searchOrders")
    return Request(op, "GET", op.url("https://sellingpartnerapi-na.amazon.com"), params, {"accept": "application/json"})


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def authoriser(clock):
    return LwaAuthoriser(credentials(), session=requests.Session(), cache=TokenCache(), clock=clock, sleep=clock.sleep)


@responses.activate
def test_the_grant_posts_the_four_form_fields_and_the_token_goes_in_the_header(authoriser):
    responses.post(TOKEN_URL, json=granted())
    signed = authoriser.authorise(search_request(marketplaceIds=["ATVPDKIKX0DER"]), NOW)
    call = responses.calls[0].request
    assert call.headers["Content-Type"] == "application/x-www-form-urlencoded;charset=UTF-8"
    assert parse_qs(call.body) == {"grant_type": ["refresh_token"], "refresh_token": [REFRESH],
                                   "client_id": ["amzn1.application-oa2-client.0123456789abcdef"],
                                   "client_secret": [SECRET]}
    assert signed.headers["x-amz-access-token"] == ACCESS
    assert signed.headers["x-amz-date"] == "20260301T123045Z"
    assert signed.headers["user-agent"] == USER_AGENT and signed.headers["accept"] == "application/json"
    assert "authorization" not in {k.lower() for k in signed.headers}  # no SigV4 any more
    assert signed.url == "https://sellingpartnerapi-na.amazon.com/orders/2026-01-01/orders?marketplaceIds=ATVPDKIKX0DER"
    assert signed.params == {}


def test_the_query_is_encoded_once_arrays_comma_separated():
    query = encode_query({"createdAfter": "2024-12-25T00:00:00Z", "marketplaceIds": ["A1F83G8C2ARO7P", "A1PA6795UKMFR9"],
                          "includedData": ("BUYER", "RECIPIENT"), "maxResultsPerPage": 50, "flag": True,
                          "paginationToken": "9ZhB+RmV/yc2=="})
    assert query == ("createdAfter=2024-12-25T00%3A00%3A00Z&marketplaceIds=A1F83G8C2ARO7P,A1PA6795UKMFR9"
                     "&includedData=BUYER,RECIPIENT&maxResultsPerPage=50&flag=true&paginationToken=9ZhB%2BRmV%2Fyc2%3D%3D")
    # requests sends such a URL as it is: the token stays encoded exactly once
    sent = requests.Request("GET", f"https://example.com/orders?{query}").prepare().url
    assert "paginationToken=9ZhB%2BRmV%2Fyc2%3D%3D" in sent and "%25" not in sent


@responses.activate
def test_authorise_adds_a_json_content_type_for_a_body_and_refuses_a_url_with_a_query(authoriser):
    responses.post(TOKEN_URL, json=granted())
    op = operation("getOrder")
    with_body = Request(op, "POST", op.url("https://x.example", orderId="1"), {}, {}, b"{}")
    assert authoriser.authorise(with_body, NOW).headers["content-type"] == "application/json"
    with pytest.raises(ValueError):
        authoriser.authorise(Request(op, "GET", "https://x.example/a?b=c", {}, {}), NOW)


@responses.activate
def test_one_grant_serves_every_client_of_the_seller_until_the_margin(clock):
    responses.post(TOKEN_URL, json=granted(expires_in=3600))
    cache = TokenCache()
    a = LwaAuthoriser(credentials(), session=requests.Session(), cache=cache, clock=clock)
    b = LwaAuthoriser(credentials(marketplaceId="A2EUQ1WTGCTBG2"), session=requests.Session(), cache=cache, clock=clock)
    a.authorise(search_request(), NOW)
    b.authorise(search_request(), NOW)
    assert len(responses.calls) == 1
    clock.now += 3600 - 61  # still more than the 60 s safety margin left
    a.authorise(search_request(), NOW)
    assert len(responses.calls) == 1
    clock.now += 2
    b.authorise(search_request(), NOW)
    assert len(responses.calls) == 2
    other_seller = LwaAuthoriser(credentials(refreshToken="Atzr|another-seller"), session=requests.Session(),
                                 cache=cache, clock=clock)
    other_seller.authorise(search_request(), NOW)
    assert len(responses.calls) == 3
    # a wrong secret with the same refresh token gets no cached token: it must pass the grant itself
    LwaAuthoriser(credentials(lwaClientSecret="wrong-secret"), session=requests.Session(), cache=cache,
                  clock=clock).authorise(search_request(), NOW)
    assert len(responses.calls) == 4


@responses.activate
def test_on_a_time_scale_the_token_lifetime_runs_as_fast_as_the_sandboxs(clock):
    # A sandbox on --time-scale 100 expires a 3600 s token after 36 real seconds; so does the client.
    responses.post(TOKEN_URL, json=granted(expires_in=3600))
    a = LwaAuthoriser(credentials(), session=requests.Session(), cache=TokenCache(), clock=clock, time_scale=100)
    a.authorise(search_request(), NOW)
    clock.now += (3600 - 61) / 100
    a.authorise(search_request(), NOW)
    assert len(responses.calls) == 1
    clock.now += 2 / 100
    a.authorise(search_request(), NOW)
    assert len(responses.calls) == 2


@responses.activate
def test_invalidate_drops_the_token_but_not_one_another_client_renewed(clock):
    responses.post(TOKEN_URL, json=granted("Atza|first"))
    responses.post(TOKEN_URL, json=granted("Atza|second"))
    cache = TokenCache()
    a = LwaAuthoriser(credentials(), session=requests.Session(), cache=cache, clock=clock)
    b = LwaAuthoriser(credentials(), session=requests.Session(), cache=cache, clock=clock)
    assert a.access_token() == b.access_token() == "Atza|first"
    a.invalidate()  # 403 "expired" on a's call
    assert b.access_token() == "Atza|second"
    a.invalidate()  # a second 403 on a call made with the first token must not drop the second
    assert a.access_token() == "Atza|second" and len(responses.calls) == 2


@responses.activate
def test_concurrent_clients_wait_for_one_grant():
    def slow_grant(request):
        time.sleep(0.05)  # widen the race; no assertion on time
        return 200, {}, '{"access_token": "Atza|shared", "expires_in": 3600}'
    responses.add_callback(responses.POST, TOKEN_URL, callback=slow_grant)
    cache = TokenCache()
    tokens = []

    def worker():
        tokens.append(LwaAuthoriser(credentials(), session=requests.Session(), cache=cache).access_token())
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert tokens == ["Atza|shared"] * 8 and len(responses.calls) == 1


@responses.activate
def test_server_errors_and_lost_connections_are_retried(authoriser, clock):
    responses.post(TOKEN_URL, status=503, body="<html>busy</html>")
    responses.post(TOKEN_URL, body=requests.exceptions.ConnectionError("reset by peer"))
    responses.post(TOKEN_URL, json=granted())
    assert authoriser.access_token() == ACCESS
    assert len(responses.calls) == 3 and clock.slept == [0.5, 1.5]


@responses.activate
def test_an_unreachable_lwa_endpoint_gives_up_after_three_attempts(authoriser):
    for _ in range(3):
        responses.post(TOKEN_URL, body=requests.exceptions.ConnectionError("Connection refused"))
    with pytest.raises(TransportError) as caught:
        authoriser.access_token()
    assert "LWA endpoint https://api.amazon.com/auth/o2/token is unreachable" in str(caught.value)
    assert len(responses.calls) == 3


@responses.activate
def test_lasting_server_errors_end_as_a_server_error(authoriser):
    for _ in range(3):
        responses.post(TOKEN_URL, status=500, json={"error": "server_error", "error_description": "oops"})
    with pytest.raises(LwaError) as caught:
        authoriser.access_token()
    assert caught.value.outcome_kind == "server_error" and caught.value.status == 500


@pytest.mark.parametrize("status, body, part, fields, says", [
    (401, {"error": "invalid_client", "error_description": "Client authentication failed"},
     "LWA client id or client secret", ("lwaClientId", "lwaClientSecret"), "client id or client secret"),
    (400, {"error": "invalid_grant", "error_description": "The request has an invalid grant parameter : refresh_token"},
     "refresh token", ("refreshToken",), "refresh token"),
    (400, {"error": "unauthorized_client", "error_description": "Not authorized for requested operation"},
     "LWA client id", ("lwaClientId",), "may not use the refresh-token grant"),
    (400, {"error": "unsupported_grant_type"}, "LWA endpoint", ("lwaEndpoint",), "does not support"),
    (400, {"error": "something_new", "error_description": "new"}, "LWA credentials",
     ("lwaClientId", "lwaClientSecret", "refreshToken"), "something_new"),
    (404, "<html><body>Not Found</body></html>", "LWA endpoint", ("lwaEndpoint",), "Not Found"),
    (200, {"token_type": "bearer"}, "LWA endpoint", ("lwaEndpoint",), "without an access token"),
    (200, '{"access_token": "' + "x" * 100_000 + '"}', "LWA endpoint", ("lwaEndpoint",), "without an access token"),
    (302, "", "LWA endpoint", ("lwaEndpoint",), "HTTP 302"),
])
@responses.activate
def test_grant_failures_say_which_part_is_wrong(authoriser, status, body, part, fields, says):
    if isinstance(body, dict):
        responses.post(TOKEN_URL, status=status, json=body)
    else:
        responses.post(TOKEN_URL, status=status, body=body)
    with pytest.raises(LwaError) as caught:
        authoriser.access_token()
    error = caught.value
    assert error.part == part and error.fields == fields and error.field == fields[0]
    assert says in str(error) and error.outcome_kind == "final" and len(responses.calls) == 1


@responses.activate
def test_no_secret_in_any_log_record_or_error_text(caplog):
    caplog.set_level(logging.DEBUG)
    clock = Clock()
    cache = TokenCache()
    authoriser = LwaAuthoriser(credentials(), session=requests.Session(), cache=cache, clock=clock, sleep=clock.sleep)
    # LWA echoing what it was sent, in a failure, must not carry it into the error
    responses.post(TOKEN_URL, status=503, body=f"<p>bad {REFRESH} {SECRET}</p>")
    responses.post(TOKEN_URL, status=503, body=f"<p>bad {REFRESH} {SECRET}</p>")
    responses.post(TOKEN_URL, status=503, body=f"<p>bad {quote(REFRESH, safe='')}</p>")
    with pytest.raises(LwaError) as first:
        authoriser.access_token()
    responses.post(TOKEN_URL, status=400, json={"error": "invalid_grant",
                                                "error_description": f"bad refresh_token {REFRESH} for {SECRET}"})
    with pytest.raises(LwaError) as second:
        authoriser.access_token()
    responses.post(TOKEN_URL, json=granted())
    signed = authoriser.authorise(search_request(paginationToken="x"), NOW)
    assert signed.headers["x-amz-access-token"] == ACCESS
    texts = [str(first.value), repr(first.value), str(second.value), repr(second.value), repr(authoriser),
             repr(authoriser.credentials)] + [r.getMessage() for r in caplog.records]
    assert caplog.records  # the retries were logged
    assert not [t for t in texts if leaks(t)], [t for t in texts if leaks(t)]
    assert set(authoriser.secrets) == {SECRET, REFRESH, ACCESS}
