"""The endpoint: its learnt server clock, the one registry, and one HTTP exchange's failures."""

from datetime import datetime, timezone

import requests
import responses

import pytest

from mws_component.credentials import MwsCredentials
from mws_component.endpoint import Endpoint, Endpoints, ServerClock
from mws_component.mws.client import MwsClient
from mws_component.pipeline import Request, TransportFailure

WALL = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc).timestamp()
BASE = "https://mws.amazonservices.com"


def test_the_clock_is_ours_until_the_server_answers_then_the_servers():
    clock = ServerClock(wall=lambda: WALL)
    assert not clock.known and clock.now() == datetime.fromtimestamp(WALL, timezone.utc)
    clock.learn({"content-type": "text/xml"})
    assert not clock.known
    clock.learn({"date": "Sun, 01 Mar 2026 12:05:00 GMT"})
    assert clock.known and clock.offset == pytest.approx(300)
    clock.learn({"x-mws-timestamp": "2026-03-01T11:59:00.250Z", "date": "Sun, 01 Mar 2026 12:05:00 GMT"})
    assert clock.offset == pytest.approx(-59.75)  # the precise header wins
    clock.learn({"x-amz-date": "20260301T120010Z"})  # SP-API's spelling
    assert clock.now() == datetime(2026, 3, 1, 12, 0, 10, tzinfo=timezone.utc)


def test_clients_of_one_endpoint_share_its_session_clock_and_quotas():
    registry = Endpoints()
    first = MwsClient(MwsCredentials("A1SELLER", "AKIDEXAMPLE1", "s", "ATVPDKIKX0DER", BASE), endpoints=registry)
    second = MwsClient(MwsCredentials("A1SELLER", "AKIDEXAMPLE2", "t", "ATVPDKIKX0DER", BASE), endpoints=registry)
    other = MwsClient(MwsCredentials("A1SELLER", "AKIDEXAMPLE1", "s", "A1PA6795UKMFR9",
                                     "https://mws-eu.amazonservices.com"), endpoints=registry)
    assert first.endpoint is second.endpoint and first.session is second.session
    assert other.endpoint is not first.endpoint
    assert registry.get(BASE, time_scale=10) is not first.endpoint  # a sandbox on a faster clock is another quota
    assert registry.get(BASE) is first.endpoint


def request():
    return Request(type("Op", (), {"name": "Op", "idempotent": True})(), "POST", BASE + "/x", body=b"a=1")


@responses.activate
def test_an_exchange_is_one_request_with_lower_cased_headers():
    responses.post(BASE + "/x", body=b"<ok/>", headers={"X-Mws-Request-Id": "r1"})
    answer = Endpoint(BASE).exchange(request().but(query="Signature=abc"))
    assert (answer.status, answer.body, answer.headers["x-mws-request-id"]) == (200, b"<ok/>", "r1")
    assert responses.calls[0].request.url == BASE + "/x?Signature=abc"


@responses.activate
@pytest.mark.parametrize("failure, safe", [
    (requests.exceptions.ConnectTimeout("no"), True),
    (requests.exceptions.ReadTimeout("slow"), False),
    (requests.exceptions.ConnectionError("reset by peer"), False),
    (requests.exceptions.ChunkedEncodingError("cut"), False)])
def test_transport_failures_say_whether_the_request_may_have_arrived(failure, safe):
    responses.post(BASE + "/x", body=failure)
    with pytest.raises(TransportFailure) as caught:
        Endpoint(BASE).exchange(request())
    assert caught.value.safe is safe


def test_a_refused_connection_is_safe():
    with pytest.raises(TransportFailure) as caught:
        Endpoint("http://127.0.0.1:9", connect_timeout=2).exchange(
            Request(request().operation, "POST", "http://127.0.0.1:9/x"))
    assert caught.value.safe and "connection refused" in str(caught.value)
