"""Request quotas: burst, restore (scaled), shared groups, hourly caps, headers."""

import re
import time
from datetime import datetime, timezone

import pytest

from mws_sandbox import Sandbox
from mws_sandbox.apierror import ApiError
from mws_sandbox.clock import SandboxClock
from mws_sandbox.quotas import QuotaBook
from mws_sandbox.tables import OPERATIONS, QuotaGroup

from .conftest import EARLY, Caller, error_of

ISO_MS = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


@pytest.fixture
def quota_sandbox():
    with Sandbox(seed=1, orders=30, time_scale=1.0) as sb:
        yield sb


def test_list_orders_burst_of_six_then_throttled(quota_sandbox):
    mws = Caller(quota_sandbox)
    remaining = []
    for _ in range(6):
        response = mws.list_orders(CreatedAfter=EARLY)
        assert response.status_code == 200
        assert response.headers["x-mws-quota-max"] == "6.0"
        assert re.fullmatch(ISO_MS, response.headers["x-mws-quota-resetsOn"])
        remaining.append(response.headers["x-mws-quota-remaining"])
    assert remaining == ["5.0", "4.0", "3.0", "2.0", "1.0", "0.0"]
    throttled = mws.list_orders(CreatedAfter=EARLY)
    assert error_of(throttled) == (503, "Sender", "RequestThrottled", "Request is throttled")
    assert throttled.xml.findtext("{*}RequestID") == throttled.headers["x-mws-request-id"]
    assert throttled.headers["x-mws-quota-remaining"] == "0.0"
    # ListOrdersByNextToken draws from the same quota group.
    assert error_of(mws.call("ListOrdersByNextToken", {"NextToken": "x"}))[2] == "RequestThrottled"
    # Other groups are separate.
    assert mws.call("GetOrder", {"AmazonOrderId.Id.1": "111-1111111-1111111"}).status_code == 200
    # One request's worth comes back a minute later (server time).
    quota_sandbox.clock.advance(60)
    assert mws.list_orders(CreatedAfter=EARLY).status_code == 200
    assert error_of(mws.list_orders(CreatedAfter=EARLY))[2] == "RequestThrottled"


def test_time_scale_speeds_up_restore():
    with Sandbox(seed=1, orders=5, time_scale=60.0) as sb:  # ListOrders: one request a second
        mws = Caller(sb)
        statuses = [mws.call("GetServiceStatus").status_code for _ in range(3)]
        assert statuses == [200, 200, 503]  # GetServiceStatus: burst of 2
        for _ in range(6):
            assert mws.list_orders(CreatedAfter=EARLY).status_code == 200
        assert mws.list_orders(CreatedAfter=EARLY).status_code == 503
        time.sleep(1.1)
        assert mws.list_orders(CreatedAfter=EARLY).status_code == 200


def test_quota_headers_also_on_parameter_errors(quota_sandbox):
    response = Caller(quota_sandbox).list_orders()  # no CreatedAfter: 400, but the request counted
    assert response.status_code == 400 and response.headers["x-mws-quota-remaining"] == "5.0"


def test_requests_refused_before_the_operation_cost_nothing(quota_sandbox):
    mws = Caller(quota_sandbox)
    for _ in range(10):
        assert mws.call("GetServiceStatus", secret="wrong").status_code == 403
    assert mws.call("GetServiceStatus").status_code == 200


def test_quotas_off():
    with Sandbox(seed=1, orders=5, quotas=False) as sb:
        mws = Caller(sb)
        responses = [mws.call("GetServiceStatus") for _ in range(5)]
        assert all(r.status_code == 200 for r in responses)
        assert "x-mws-quota-max" not in responses[0].headers


def test_group_figures_come_from_the_operations_table():
    clock = SandboxClock()
    book = QuotaBook(clock)
    group = OPERATIONS["ListOrderItems"].quota
    headers = [book.charge("S", group) for _ in range(group.max_request)]
    assert headers[0]["x-mws-quota-max"] == f"{float(group.max_request)}"
    with pytest.raises(ApiError) as caught:
        book.charge("S", group)
    assert caught.value.code == "RequestThrottled" and caught.value.status == 503
    assert book.charge("another seller", group)  # buckets are per seller


def test_hourly_quota_exceeded():
    clock = SandboxClock(start_time=datetime(2024, 3, 1, 12, 1, tzinfo=timezone.utc))  # well inside an hour
    book = QuotaBook(clock)
    group = QuotaGroup("SubmitFeedLike", max_request=3, restore_seconds=1, hourly=4)
    for expected in ("3.0", "2.0", "1.0"):
        assert book.charge("S", group)["x-mws-quota-remaining"] == expected  # hourly figures are reported
    clock.advance(10)
    assert book.charge("S", group)["x-mws-quota-remaining"] == "0.0"
    clock.advance(10)
    with pytest.raises(ApiError) as caught:
        book.charge("S", group)
    assert (caught.value.code, caught.value.status) == ("QuotaExceeded", 503)
    assert caught.value.headers["x-mws-quota-max"] == "4.0"
    clock.advance(3600)
    assert book.charge("S", group)["x-mws-quota-remaining"] == "3.0"
