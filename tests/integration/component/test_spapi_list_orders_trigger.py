"""The List Orders trigger over SP-API (searchOrders), over many runs, as the platform's scheduler would run it.

The same promises as on MWS (test_list_orders_trigger.py): nothing lost or repeated across runs, ties on
the boundary, a crash repeats at most the page in flight, stable message ids, small snapshots.
"""

import json
import random
from collections import Counter

import pytest

from mws_component.function import stable_id
from mws_sandbox import FaultConfig, Sandbox
from mws_sandbox.spapi.tables import MARKETPLACES
from mws_tools.runner import LocalContext, run_function

from .conftest import TIME_SCALE, grants, spapi_calls
from .test_list_orders_trigger import SETTLE, CrashingContext, Crash, emitted_versions


def na_markets(sb):
    return sorted({o.marketplace_id for o in sb.store.all() if MARKETPLACES[o.marketplace_id].region == "NA"})


def trigger_cfg(sb, **fields):
    return dict(sb.spapi_credentials, marketplaceIds=na_markets(sb), **fields)


def asked_versions(sb, markets):
    """Every version the store had of an order in `markets` (what the trigger must emit, once each)."""
    markets = set(markets)
    return {tuple(v) for v in sb.store.versions() if sb.store.get(v.amazon_order_id).marketplace_id in markets}


def poll(cfg, snapshot, ctx=None, allow=()):
    ctx = ctx or LocalContext(out=None, flow_type="ordinary")
    run_function("listOrders", cfg, {"body": {}}, snapshot, ctx=ctx)
    errors = [e["error"] for e in ctx.events if e["event"] == "error"]
    assert all(e["name"] in allow for e in errors), errors
    return ctx


def own_429s(sb):
    """429 answers the sandbox's quotas gave (not injected throttle faults): the client should never cause one."""
    return [r for r in sb.requests.snapshot() if r.status == 429 and r.fault is None]


@pytest.fixture
def faulty_sandbox(fast_quotas, fresh_tokens):
    faults = FaultConfig(throttle=0.15, error500=0.05, drop=0.02, truncate=0.01, slow=0.05, slow_seconds=0.05, seed=5)
    # The sandbox scales a token's lifetime by its time scale (as it does quotas): these last 200 s of its
    # clock, so every other run (130 s apart) meets an expired one, while the component, told expires_in
    # 60000, keeps using it.
    with Sandbox(seed=11, orders=250, time_scale=TIME_SCALE, faults=faults, token_lifetime=200 * TIME_SCALE) as sb:
        yield sb


def test_many_runs_under_faults_429s_and_token_expiries_lose_and_repeat_nothing(faulty_sandbox):
    sb = faulty_sandbox
    cfg = trigger_cfg(sb, maxResultsPerPage="17")
    rng = random.Random(3)
    seen = Counter()
    ids = {}
    snapshot = {}
    for run in range(15):
        sb.clock.advance(SETTLE)
        ctx = poll(cfg, snapshot)  # the retries outlast the faults: no run fails
        for event in ctx.events:
            if event["event"] == "data":
                key = (event["body"]["amazonOrderId"], event["body"]["lastUpdateDate"])
                seen[key] += 1
                ids[key] = event["id"]
        snapshot = ctx.snapshot
        assert len(json.dumps(snapshot)) < 5 * 1024
        sb.store.tick(rng.randint(3, 15), shared_timestamp=run % 3 == 0)
    sb.faults = FaultConfig()
    sb.clock.advance(SETTLE)
    for key in emitted_versions(poll(cfg, snapshot)):
        seen[key] += 1
    expected = asked_versions(sb, cfg["marketplaceIds"])
    assert set(seen) == expected, (len(expected - set(seen)), len(set(seen) - expected))
    assert max(seen.values()) == 1
    assert all(ids[key] == stable_id(*key) for key in ids)
    log = sb.requests.snapshot()
    faults = Counter(r.fault for r in log if r.fault)
    assert faults["throttle"] and faults["error500"] and faults["drop"]  # the faults really happened
    expired = [r for r in log if r.status == 403 and r.fault is None]
    assert len(expired) >= 2 and {r.action for r in expired} == {"searchOrders"}
    assert len(grants(sb)) <= len(expired) + 1 + sum(r.action == "LwaToken" and r.fault is not None for r in log)
    assert not own_429s(sb)


def test_backfill_paced_by_the_usage_plan_collects_no_429(fast_quotas, fresh_tokens):
    # 30 pages of 1: the burst of 20, then the bucket's pace (one per 179 s, time-scaled)
    with Sandbox(seed=9, orders=110, time_scale=TIME_SCALE) as sb:
        sb.clock.advance(SETTLE)
        cfg = trigger_cfg(sb, maxResultsPerPage="1")
        ctx = poll(cfg, {})
        assert set(emitted_versions(ctx)) == asked_versions(sb, cfg["marketplaceIds"])
        assert len(spapi_calls(sb)) > 20
        assert not own_429s(sb)


def test_orders_sharing_the_boundary_timestamp_are_neither_lost_nor_repeated(fast_quotas, fresh_tokens):
    with Sandbox(seed=5, orders=60, time_scale=TIME_SCALE) as sb:
        cfg = trigger_cfg(sb, maxResultsPerPage="3")
        sb.clock.advance(SETTLE)
        first = poll(cfg, {})
        with sb.store.batch():  # a batch of changes carrying one timestamp, split across pages of 3
            for order in [o for o in sb.store.all() if o.marketplace_id in cfg["marketplaceIds"]][:7]:
                sb.store.set_status(order.amazon_order_id, "Canceled")
        sb.clock.advance(SETTLE)
        second = poll(cfg, first.snapshot)
        sb.store.tick(6, shared_timestamp=True)
        sb.clock.advance(SETTLE)
        third = poll(cfg, second.snapshot)
        everything = emitted_versions(first) + emitted_versions(second) + emitted_versions(third)
        assert len(emitted_versions(second)) >= 7
        assert Counter(everything).most_common(1)[0][1] == 1
        assert set(everything) == asked_versions(sb, cfg["marketplaceIds"])


def test_a_crash_repeats_at_most_the_page_in_flight(fast_quotas, fresh_tokens):
    with Sandbox(seed=8, orders=90, time_scale=TIME_SCALE) as sb:
        cfg = trigger_cfg(sb, maxResultsPerPage="10")
        sb.clock.advance(SETTLE)
        crashed = CrashingContext(crash_after_data=25)  # dies in the third page, before its snapshot
        with pytest.raises(Crash):
            run_function("listOrders", cfg, {"body": {}}, {}, ctx=crashed)
        assert crashed.snapshot["window"]["nextToken"]  # the last snapshot was taken after page 2
        resumed = poll(cfg, crashed.snapshot)
        counts = Counter(emitted_versions(crashed) + emitted_versions(resumed))
        assert set(counts) == asked_versions(sb, cfg["marketplaceIds"])
        repeated = [k for k, n in counts.items() if n > 1]
        assert 0 < len(repeated) <= 10  # only the page that was in flight


def test_sample_retrieval_makes_one_call_plus_the_grant_and_no_snapshot(spapi_sandbox, fast_quotas, fresh_tokens):
    sb = spapi_sandbox
    before = len(sb.requests)
    ctx = LocalContext(out=None, flow_type="debug")
    run_function("listOrders", trigger_cfg(sb), {"body": {}}, {}, ctx=ctx)
    assert [r.action for r in sb.requests.snapshot()[before:]] == ["LwaToken", "searchOrders"]
    data = [e for e in ctx.events if e["event"] == "data"]
    assert 1 <= len(data) <= 10
    assert not [e for e in ctx.events if e["event"] == "snapshot"]


def test_end_time_reached_sends_nothing(spapi_sandbox, spapi_cfg):
    sb = spapi_sandbox
    cfg = spapi_cfg | {"startTime": "2001-01-01T00:00:00Z", "endTime": "2001-02-01T00:00:00Z"}
    first = poll(cfg, {})
    assert first.snapshot["cursor"] == "2001-02-01T00:00:00.000Z"
    before = len(sb.requests)
    again = poll(cfg, first.snapshot)
    assert not [e for e in again.events if e["event"] in ("data", "error")]
    assert len(sb.requests) == before


def test_invoice_unconfirmed_is_refused_naming_order_status_before_any_call(spapi_sandbox, spapi_cfg):
    sb = spapi_sandbox
    before = len(sb.requests)
    ctx = LocalContext(out=None, flow_type="ordinary")
    run_function("listOrders", spapi_cfg | {"orderStatus": ["Shipped", "InvoiceUnconfirmed"]}, {"body": {}}, {}, ctx=ctx)
    assert [e["event"] for e in ctx.events] == ["error"]
    error = ctx.events[0]["error"]
    assert error.get("field") == "orderStatus" and error["message"].startswith("orderStatus: ")
    assert "InvoiceUnconfirmed" in error["message"]
    assert len(sb.requests) == before  # not even the token grant


def test_unshipped_is_asked_together_with_partially_shipped(spapi_sandbox, spapi_cfg):
    sb = spapi_sandbox
    before = len(sb.requests)
    ctx = poll(spapi_cfg | {"orderStatus": ["Unshipped"]}, {})
    request = spapi_calls(sb, before)[0]
    assert set(request.params["fulfillmentStatuses"].split(",")) == {"UNSHIPPED", "PARTIALLY_SHIPPED"}
    statuses = {e["body"]["orderStatus"] for e in ctx.events if e["event"] == "data"}
    assert statuses and statuses <= {"Unshipped", "PartiallyShipped"}


def test_the_window_is_last_updated_after_the_cursor_to_server_now_minus_two_minutes(spapi_sandbox, spapi_cfg):
    from dateutil.parser import isoparse
    sb = spapi_sandbox
    poll(spapi_cfg, {})  # teaches the client the server's clock
    before = len(sb.requests)
    ctx = poll(spapi_cfg, {"cursor": "2020-01-01T00:00:00.000Z", "startTime": None})
    request = spapi_calls(sb, before)[0]
    assert isoparse(request.params["lastUpdatedAfter"]) == isoparse("2020-01-01T00:00:00Z")
    lag = (sb.clock.now() - isoparse(request.params["lastUpdatedBefore"])).total_seconds()
    assert 120 <= lag <= 140
    assert not {"createdAfter", "createdBefore"} & set(request.params)
    assert isoparse(ctx.snapshot["cursor"]) == isoparse(request.params["lastUpdatedBefore"])
