"""Fault injection: each kind at its configured rate, reproducible by seed, without side effects."""

import http.client
import time

import pytest
import requests

from mws_component.mws import signing
from mws_sandbox import FaultConfig, Sandbox
from mws_sandbox.faults import FaultInjector

from .conftest import EARLY, ORDERS_PATH, Caller, error_of

MIXED = FaultConfig(throttle=0.1, error500=0.1, drop=0.05, truncate=0.05, seed=5)


def outcome(mws):
    """What a client sees for one request: ok, throttle, error500, drop or truncate."""
    try:
        response = mws.call("GetServiceStatus")
    except requests.exceptions.ChunkedEncodingError:
        return "truncate"
    except requests.exceptions.ConnectionError:
        return "drop"
    if response.status_code == 200:
        return "ok"
    status, kind, code, _ = error_of(response)
    return {(503, "Sender", "RequestThrottled"): "throttle", (500, "Receiver", "InternalError"): "error500"}[
        (status, kind, code)]


def expected_outcomes(config, n):
    injector = FaultInjector(config)
    return [injector.draw().kind or "ok" for _ in range(n)]


@pytest.fixture
def faulty():
    with Sandbox(seed=1, orders=10, quotas=False, faults=MIXED) as sb:
        yield sb


def test_each_fault_kind_at_its_rate_and_in_the_seeded_order(faulty):
    n = 300
    seen = [outcome(Caller(faulty)) for _ in range(n)]
    assert seen == expected_outcomes(MIXED, n)
    counts = {kind: seen.count(kind) for kind in ("throttle", "error500", "drop", "truncate")}
    assert 15 <= counts["throttle"] <= 45 and 15 <= counts["error500"] <= 45
    assert 5 <= counts["drop"] <= 28 and 5 <= counts["truncate"] <= 28
    assert faulty.requests.count(fault="drop") == counts["drop"]
    assert faulty.requests.count(fault="drop", status=None) == counts["drop"]
    assert faulty.requests.count(fault="throttle", status=503, error_code="RequestThrottled") == counts["throttle"]


def test_same_seed_same_faults_and_runtime_changes(faulty):
    mws = Caller(faulty)
    first = [outcome(mws) for _ in range(40)]
    faulty.faults = MIXED  # setting a config restarts its sequence
    assert [outcome(mws) for _ in range(40)] == first
    faulty.faults = FaultConfig(error500=1.0)
    assert {outcome(mws) for _ in range(5)} == {"error500"}
    faulty.faults = None
    assert {outcome(mws) for _ in range(5)} == {"ok"}


def test_truncated_answer_promises_more_than_it_sends():
    with Sandbox(seed=1, orders=10, quotas=False, faults=FaultConfig(truncate=1.0)) as sb:
        mws = Caller(sb)
        signed = mws.signed("ListOrders", {"CreatedAfter": EARLY, "MarketplaceId.Id.1": "ATVPDKIKX0DER"})
        connection = http.client.HTTPConnection(sb.url.split("//")[1], timeout=10)
        connection.request("POST", ORDERS_PATH, body=signing.encode_query(signed),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        assert response.status == 200
        with pytest.raises(http.client.IncompleteRead) as caught:
            response.read()
        assert 0 < len(caught.value.partial) < int(response.getheader("Content-Length"))
        connection.close()


def test_slow_answers_wait_then_answer():
    with Sandbox(seed=1, orders=10, quotas=False, faults=FaultConfig(slow=0.5, slow_seconds=0.15, seed=3)) as sb:
        mws = Caller(sb)
        slow = []
        for _ in range(12):
            started = time.monotonic()
            assert mws.call("GetServiceStatus").status_code == 200
            slow.append(time.monotonic() - started >= 0.15)
        injector = FaultInjector(sb.faults)
        assert slow == [injector.draw().delay > 0 for _ in range(12)]
        assert 2 <= sum(slow) <= 10


def test_injected_faults_have_no_effect_on_quota_or_data():
    with Sandbox(seed=1, orders=10, faults=FaultConfig(throttle=0.5, error500=0.5)) as sb:
        mws = Caller(sb)
        versions = sb.store.versions()
        for _ in range(20):
            assert mws.list_orders(CreatedAfter=EARLY).status_code in (500, 503)
        sb.faults = None
        assert [mws.list_orders(CreatedAfter=EARLY).status_code for _ in range(7)] == [200] * 6 + [503]
        assert sb.store.versions() == versions


def test_fault_config_validation():
    with pytest.raises(ValueError):
        FaultConfig(throttle=1.5)
    with pytest.raises(ValueError):
        FaultConfig(throttle=0.6, drop=0.6)
    assert not FaultConfig().active
