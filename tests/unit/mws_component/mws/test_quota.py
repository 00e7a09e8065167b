"""The MWS quota model: quota groups from the table, x-mws-quota-* corrections, hourly caps, server throttles."""

from datetime import datetime, timezone
from email.utils import format_datetime

import pytest

from mws_component.endpoint import Endpoint
from mws_component.errors import QuotaExhausted
from mws_component.mws.operations import OPERATIONS
from mws_component.mws.quota import MwsQuotaModel
from mws_component.pipeline import RawAnswer, Request
from ..fake_time import FakeTime

WALL = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc).timestamp()
THROTTLED = (b'<ErrorResponse><Error><Type>Sender</Type><Code>RequestThrottled</Code><Message>Request is throttled'
             b'</Message></Error><RequestID>r</RequestID></ErrorResponse>')
QUOTA_EXCEEDED = THROTTLED.replace(b"RequestThrottled", b"QuotaExceeded")


@pytest.fixture
def fake():
    return FakeTime(0.0)


def model_for(fake, time_scale=1.0):
    endpoint = Endpoint("https://mws.amazonservices.com", time_scale=time_scale, clock=fake.clock, sleep=fake.sleep,
                        wall=lambda: WALL)
    return MwsQuotaModel(endpoint), endpoint


def quota(model, name, seller="A1SELLER"):
    return model.quota_for(Request(OPERATIONS[name], "POST", "https://mws.amazonservices.com"), seller)


def at(seconds):
    return datetime.fromtimestamp(WALL + seconds, timezone.utc)


def test_operations_of_one_group_share_its_buckets_per_seller(fake):
    model, _ = model_for(fake)
    listing = quota(model, "ListOrders")
    assert quota(model, "ListOrdersByNextToken").burst is listing.burst
    assert quota(model, "GetOrder").burst is not listing.burst
    assert quota(model, "ListOrders", seller="A2OTHER").burst is not listing.burst
    assert listing.hourly is None and (listing.burst.capacity, listing.burst.interval) == (6, 60)
    feed = quota(model, "SubmitFeed")
    assert (feed.burst.capacity, feed.burst.interval) == (15, 120)
    assert (feed.hourly.capacity, feed.hourly.interval) == (30, 120)  # 30 an hour: one every two minutes


def test_remaining_headers_correct_the_burst_bucket(fake):
    model, _ = model_for(fake)
    q = quota(model, "GetOrder")
    model.observe(q, RawAnswer(200, {"x-mws-quota-max": "6.0", "x-mws-quota-remaining": "2.0"}, b""))
    model.acquire(q, deadline=None)
    model.acquire(q, deadline=None)
    assert fake.sleeps == []
    with pytest.raises(QuotaExhausted):
        model.acquire(q, deadline=fake.now + 30)  # the next is one restore (60 s) away


def test_none_remaining_blocks_until_the_reset_on_the_servers_clock(fake):
    model, endpoint = model_for(fake)
    endpoint.clock.learn({"x-mws-timestamp": at(-30).isoformat()})  # the server is 30 s behind us
    q = quota(model, "GetOrder")
    reset = format_datetime(at(60), usegmt=True)  # RFC 1123, as documented
    model.observe(q, RawAnswer(200, {"x-mws-quota-remaining": "0", "x-mws-quota-resetson": reset}, b""))
    with pytest.raises(QuotaExhausted) as caught:
        model.acquire(q, deadline=fake.now + 10)
    assert caught.value.retry_after == pytest.approx(90.0)  # 60 s on our clock + the 30 s the server is behind


def test_hourly_groups_are_corrected_on_their_hourly_bucket(fake):
    model, _ = model_for(fake)
    q = quota(model, "SubmitFeed")
    model.observe(q, RawAnswer(200, {"x-mws-quota-max": "30", "x-mws-quota-remaining": "0",
                                     "x-mws-quota-resetson": at(600).isoformat()}, b""))
    assert q.burst.tokens == 15 and q.hourly.tokens == 0
    with pytest.raises(QuotaExhausted) as caught:
        model.acquire(q, deadline=fake.now + 120)
    assert caught.value.retry_after == pytest.approx(600.0)


def test_a_server_throttle_blocks_one_restore_interval(fake):
    model, _ = model_for(fake)
    q = quota(model, "ListOrderItems")
    wait = model.throttled(q, RawAnswer(503, {}, THROTTLED))
    assert wait == pytest.approx(2.0)  # ListOrderItems restores one request every 2 s
    assert q.burst.tokens <= 0


def test_quota_exceeded_blocks_the_hour_until_its_reset(fake):
    model, _ = model_for(fake)
    q = quota(model, "SubmitFeed")
    wait = model.throttled(q, RawAnswer(503, {"x-mws-quota-resetson": at(1800).isoformat()}, QUOTA_EXCEEDED))
    assert wait == pytest.approx(1800.0)
    assert q.burst.delay(fake.now) == 0  # the burst is untouched: it is the hour that ran out


def test_quota_exceeded_without_a_reset_waits_one_hourly_interval(fake):
    model, _ = model_for(fake)
    q = quota(model, "SubmitFeed")
    assert model.throttled(q, RawAnswer(503, {}, QUOTA_EXCEEDED)) == pytest.approx(120.0)


def test_a_faster_clock_scales_every_wait(fake):
    model, _ = model_for(fake, time_scale=60)
    q = quota(model, "ListOrders")
    assert q.burst.interval == pytest.approx(1.0)
    model.observe(q, RawAnswer(200, {"x-mws-quota-remaining": "0", "x-mws-quota-resetson": at(600).isoformat()}, b""))
    with pytest.raises(QuotaExhausted) as caught:
        model.acquire(q, deadline=fake.now + 1)
    assert caught.value.retry_after == pytest.approx(10.0)


def test_answers_without_quota_headers_change_nothing(fake):
    model, _ = model_for(fake)
    q = quota(model, "GetOrder")
    model.observe(q, RawAnswer(200, {"x-mws-quota-remaining": "not a number"}, b""))
    model.observe(q, RawAnswer(200, {}, b""))
    assert q.burst.tokens == 6
