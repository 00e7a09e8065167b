"""The List Orders trigger over many runs, as the platform's scheduler would run it."""

import json
import random
from collections import Counter

import pytest

from mws_component.function import stable_id
from mws_sandbox import FaultConfig, Sandbox
from mws_tools.runner import LocalContext, run_function

from .conftest import TIME_SCALE

SETTLE = 130  # seconds of server time that make a change pass Amazon's two-minute rule


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the function catches it."""


class CrashingContext(LocalContext):
    def __init__(self, crash_after_data):
        super().__init__(out=None, flow_type="ordinary")
        self.crash_after_data = crash_after_data

    def emit(self, event, payload=None):
        super().emit(event, payload)
        if event == "data" and sum(e["event"] == "data" for e in self.events) == self.crash_after_data:
            raise Crash()


def poll(cfg, snapshot, ctx=None):
    ctx = ctx or LocalContext(out=None, flow_type="ordinary")
    run_function("listOrders", cfg, {"body": {}}, snapshot, ctx=ctx)
    errors = [e for e in ctx.events if e["event"] == "error"]
    assert not errors, errors
    return ctx


def emitted_versions(ctx):
    return [(e["body"]["amazonOrderId"], e["body"]["lastUpdateDate"]) for e in ctx.events if e["event"] == "data"]


def trigger_cfg(sb, **fields):
    return dict(sb.credentials, marketplaceIds=sorted({o.marketplace_id for o in sb.store.all()}), **fields)


@pytest.fixture
def faulty_sandbox(fast_quotas):
    faults = FaultConfig(throttle=0.2, error500=0.05, drop=0.02, truncate=0.01, slow=0.05, slow_seconds=0.05, seed=5)
    with Sandbox(seed=11, orders=250, time_scale=TIME_SCALE, faults=faults) as sb:
        yield sb


def test_many_runs_under_faults_lose_and_repeat_nothing(faulty_sandbox):
    sb = faulty_sandbox
    cfg = trigger_cfg(sb, maxResultsPerPage="17")
    rng = random.Random(3)
    seen = Counter()
    ids = {}
    snapshot = {}
    for run in range(14):
        sb.clock.advance(SETTLE)
        ctx = poll(cfg, snapshot)
        for event in ctx.events:
            if event["event"] == "data":
                key = (event["body"]["amazonOrderId"], event["body"]["lastUpdateDate"])
                seen[key] += 1
                ids[key] = event["id"]
        snapshot = ctx.snapshot
        assert len(json.dumps(snapshot)) < 5 * 1024
        # orders change between runs; every third run's changes share one timestamp
        sb.store.tick(rng.randint(3, 15), shared_timestamp=run % 3 == 0)
    sb.clock.advance(SETTLE)
    ctx = poll(cfg, snapshot)
    for key in emitted_versions(ctx):
        seen[key] += 1
    expected = set(sb.store.versions())
    assert set(seen) == expected, (len(expected - set(seen)), len(set(seen) - expected))
    assert max(seen.values()) == 1
    assert all(ids[key] == stable_id(*key) for key in ids)  # a downstream step can drop repeats by id
    faults = Counter(r.fault for r in sb.requests if r.fault)
    assert faults["throttle"] and faults["error500"]  # the faults really happened


def test_orders_sharing_the_boundary_timestamp_are_neither_lost_nor_repeated(fast_quotas):
    with Sandbox(seed=5, orders=40, time_scale=TIME_SCALE) as sb:
        cfg = trigger_cfg(sb, maxResultsPerPage="3")
        sb.clock.advance(SETTLE)
        first = poll(cfg, {})
        # a batch of changes carrying one timestamp, split across pages of 3
        with sb.store.batch():
            for order in sb.store.all()[:7]:
                sb.store.set_status(order.amazon_order_id, "Canceled")
        sb.clock.advance(SETTLE)
        second = poll(cfg, first.snapshot)
        sb.store.tick(4, shared_timestamp=True)
        sb.clock.advance(SETTLE)
        third = poll(cfg, second.snapshot)
        everything = emitted_versions(first) + emitted_versions(second) + emitted_versions(third)
        assert Counter(everything).most_common(1)[0][1] == 1
        assert set(everything) == set(sb.store.versions())


def test_a_crash_repeats_at_most_the_page_in_flight(fast_quotas):
    with Sandbox(seed=8, orders=60, time_scale=TIME_SCALE) as sb:
        cfg = trigger_cfg(sb, maxResultsPerPage="10")
        sb.clock.advance(SETTLE)
        crashed = CrashingContext(crash_after_data=25)  # dies in the third page, before its snapshot
        with pytest.raises(Crash):
            run_function("listOrders", cfg, {"body": {}}, {}, ctx=crashed)
        assert crashed.snapshot["window"]["nextToken"]  # the last snapshot was taken after page 2
        resumed = poll(cfg, crashed.snapshot)
        counts = Counter(emitted_versions(crashed) + emitted_versions(resumed))
        assert set(counts) == set(sb.store.versions())
        repeated = [k for k, n in counts.items() if n > 1]
        assert 0 < len(repeated) <= 10  # only the page that was in flight


def test_end_time_reached_is_not_an_error_and_sends_nothing(sandbox, cfg):
    cfg = cfg | {"startTime": "2001-01-01T00:00:00Z", "endTime": "2001-02-01T00:00:00Z"}
    first = poll(cfg, {})
    assert first.snapshot["cursor"] == "2001-02-01T00:00:00.000Z"
    before = len(sandbox.requests)
    again = poll(cfg, first.snapshot)
    assert not [e for e in again.events if e["event"] in ("data", "error")]
    assert len(sandbox.requests) == before


def test_unshipped_is_always_asked_with_partially_shipped(sandbox, cfg):
    sandbox.clock.advance(SETTLE)
    before = len(sandbox.requests)
    ctx = poll(cfg | {"orderStatus": ["Unshipped"]}, {})
    request = sandbox.requests[before]
    statuses = {v for k, v in request.params.items() if k.startswith("OrderStatus.Status.")}
    assert statuses == {"Unshipped", "PartiallyShipped"}
    assert {e["body"]["orderStatus"] for e in ctx.events if e["event"] == "data"} <= {"Unshipped", "PartiallyShipped"}


def test_window_is_last_updated_after_cursor_to_server_now_minus_two_minutes(sandbox, cfg):
    from dateutil.parser import isoparse
    sandbox.clock.advance(SETTLE)
    poll(cfg, {})  # teaches the client the server's clock
    before = len(sandbox.requests)
    ctx = poll(cfg, {"cursor": "2020-01-01T00:00:00.000Z", "startTime": None})
    request = sandbox.requests[before]
    assert request.params["LastUpdatedAfter"] == "2020-01-01T00:00:00.000Z"
    upper = isoparse(request.params["LastUpdatedBefore"])
    lag = (sandbox.clock.now() - upper).total_seconds()
    assert 120 <= lag <= 140
    assert "CreatedAfter" not in request.params
    assert ctx.snapshot["cursor"] == request.params["LastUpdatedBefore"]


def test_emit_page_sends_one_message_per_page(sandbox, cfg):
    sandbox.clock.advance(SETTLE)
    ctx = poll(cfg | {"emitBehavior": "emitPage", "maxResultsPerPage": "25"}, {})
    pages = [e["body"] for e in ctx.events if e["event"] == "data"]
    snapshots = [e for e in ctx.events if e["event"] == "snapshot"]
    assert len(pages) >= 2 and len(snapshots) >= len(pages)  # a snapshot after every page, empty ones too
    assert all(1 <= len(p["orders"]) <= 25 for p in pages)
    assert len({e["id"] for e in ctx.events if e["event"] == "data"}) == len(pages)


def test_sample_retrieval_makes_one_request_and_no_snapshot(sandbox, cfg):
    sandbox.clock.advance(SETTLE)
    before = len(sandbox.requests)
    ctx = LocalContext(out=None, flow_type="debug")
    run_function("listOrders", cfg, {"body": {}}, {}, ctx=ctx)
    assert len(sandbox.requests) - before == 1
    data = [e for e in ctx.events if e["event"] == "data"]
    assert 1 <= len(data) <= 10
    assert not [e for e in ctx.events if e["event"] == "snapshot"]


def test_changing_start_time_starts_again(sandbox, cfg):
    sandbox.clock.advance(SETTLE)
    first = poll(cfg, {})
    assert emitted_versions(first)
    same = poll(cfg, first.snapshot)
    assert not emitted_versions(same)
    moved = poll(cfg | {"startTime": "2000-01-01T00:00:00Z"}, first.snapshot)
    assert len(emitted_versions(moved)) == len(emitted_versions(first))
