"""Usage plans (429 QuotaExceeded), x-amzn-* headers, and the sandbox's fault flags on the SP-API face."""

import pytest
import requests

from mws_sandbox import FaultConfig, Sandbox
from mws_sandbox.faults import FaultInjector

from .conftest import EARLY, SpApi, error_of

QUOTA = (429, "QuotaExceeded", "You exceeded your quota for the requested resource.", "")


@pytest.fixture
def limited():
    with Sandbox(seed=2, orders=10) as sandbox:
        yield sandbox


def test_get_order_bursts_30_then_429_and_restores_at_half_a_call_per_second(limited):
    spapi = SpApi(limited)
    order_id = limited.store.all()[0].amazon_order_id
    statuses = [spapi.order(order_id).status_code for _ in range(30)]
    assert set(statuses) <= {200, 404}
    throttled = spapi.order(order_id)
    assert error_of(throttled) == QUOTA
    assert throttled.headers["x-amzn-ErrorType"] == "TooManyRequestsException"
    assert "x-amzn-RateLimit-Limit" not in throttled.headers
    limited.clock.advance(2)  # one call back at 0.5/s
    assert spapi.order(order_id).status_code != 429
    assert spapi.order(order_id).status_code == 429
    # Per operation: searchOrders has its own bucket.
    searched = spapi.search(createdAfter=EARLY)
    assert searched.status_code == 200 and searched.headers["x-amzn-RateLimit-Limit"] == "0.0056"


def test_search_orders_bursts_20_and_restores_one_call_in_about_179_seconds(limited):
    spapi = SpApi(limited)
    for _ in range(20):
        assert spapi.search(createdAfter=EARLY).status_code == 200
    assert error_of(spapi.search(createdAfter=EARLY)) == QUOTA
    limited.clock.advance(170)
    assert spapi.search(createdAfter=EARLY).status_code == 429
    limited.clock.advance(10)
    assert spapi.search(createdAfter=EARLY).status_code == 200
    # A bad request spends a call too, and carries the rate header (the model declares it on 400).
    limited.clock.advance(180)
    bad = spapi.search()
    assert bad.status_code == 400 and bad.headers["x-amzn-RateLimit-Limit"] == "0.0056"
    assert spapi.search(createdAfter=EARLY).status_code == 429


def test_the_time_scale_restores_faster():
    with Sandbox(seed=2, orders=5, time_scale=100) as sandbox:
        spapi = SpApi(sandbox)
        for _ in range(20):
            spapi.search(createdAfter=EARLY)
        assert spapi.search(createdAfter=EARLY).status_code == 429
        sandbox.clock.advance(1.8)  # 180 s at 100x
        assert spapi.search(createdAfter=EARLY).status_code == 200


def test_quotas_off_never_throttles_and_the_token_endpoint_is_not_limited(spapi):
    for _ in range(25):
        assert spapi.search(createdAfter=EARLY, maxResultsPerPage="1").status_code == 200
    with Sandbox(seed=2, orders=5) as sandbox:
        limited = SpApi(sandbox)
        assert all(limited.grant().status_code == 200 for _ in range(40))


def test_the_rate_header_on_200_400_and_404_only(spapi):
    assert spapi.search(createdAfter=EARLY).headers["x-amzn-RateLimit-Limit"] == "0.0056"
    assert spapi.order("111-1111111-1111111").headers["x-amzn-RateLimit-Limit"] == "0.5"
    assert spapi.order("bad").headers["x-amzn-RateLimit-Limit"] == "0.5"
    assert "x-amzn-RateLimit-Limit" not in spapi.search(createdAfter=EARLY, token=None).headers
    ids = {spapi.search(createdAfter=EARLY, maxResultsPerPage="1").headers["x-amzn-RequestId"] for _ in range(3)}
    assert len(ids) == 3


# -- faults ---------------------------------------------------------------------------------------------

MIXED = FaultConfig(throttle=0.15, error500=0.15, drop=0.1, truncate=0.1, seed=11)


def outcome(spapi):
    try:
        response = spapi.search(createdAfter=EARLY, maxResultsPerPage="2")
    except requests.exceptions.ChunkedEncodingError:
        return "truncate"
    except requests.exceptions.ConnectionError:
        return "drop"
    if response.status_code == 200:
        return "ok"
    return {QUOTA: "throttle",
            (500, "InternalFailure", "We encountered an internal error. Please try again.", None): "error500"}[
        error_of(response)]


def test_faults_apply_to_spapi_in_the_seeded_order():
    with Sandbox(seed=1, orders=10, quotas=False) as sandbox:
        spapi = SpApi(sandbox)
        spapi.access_token()
        sandbox.faults = MIXED
        n = 120
        seen = [outcome(spapi) for _ in range(n)]
        injector = FaultInjector(MIXED)
        assert seen == [injector.draw().kind or "ok" for _ in range(n)]
        assert {"ok", "throttle", "error500", "drop", "truncate"} == set(seen)
        records = [r for r in sandbox.requests.snapshot() if r.action == "searchOrders"]
        assert [r.fault or "ok" for r in records] == seen
        assert all(r.status is None for r in records if r.fault == "drop")
        assert all((r.status, r.error_code) == (429, "QuotaExceeded") for r in records if r.fault == "throttle")
        assert all((r.status, r.error_code) == (500, "InternalFailure") for r in records if r.fault == "error500")


def test_a_faulted_request_has_no_effect():
    with Sandbox(seed=1, orders=10, faults=FaultConfig(throttle=1.0)) as sandbox:
        spapi = SpApi(sandbox)
        response = spapi.grant()
        assert response.status_code == 429  # the token endpoint meets faults too
        sandbox.faults = None
        spapi.access_token()
        sandbox.faults = FaultConfig(error500=1.0)
        for _ in range(25):
            assert spapi.search(createdAfter=EARLY).status_code == 500
        sandbox.faults = None
        assert spapi.search(createdAfter=EARLY).status_code == 200  # no quota was spent by the faults
