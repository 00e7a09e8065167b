"""Benchmark: the List Orders trigger reading 10,000 orders over SP-API at the real usage plan.

searchOrders allows a burst of 20 calls, then one every 1/0.0056 ≈ 179 s
(Orders API 2026-01-01 model: searchOrders usage plan). At 100 orders a page,
10,000 orders are 100 pages: the fastest possible read takes (pages - 20)
restore intervals. The run is time-scaled: the sandbox restores its buckets
S times faster (Sandbox(time_scale=S)) and so does the client
(MWS_TIME_SCALE=S), so both count the same quota; the trigger's budget per run
(MWS_POLL_BUDGET_SECONDS) is scaled alike, so the backfill spreads over many
runs, each from the snapshot the last one left, as on the platform.

Prints the elapsed time over the quota minimum (goal <= 1.02) and the number
of 429 answers the sandbox gave (goal 0). Runs for about a minute after the
data is generated.
"""

import math
import os
import sys
import time

SCALE = 240.0  # 80 restore intervals of 179 s become about a minute
BUDGET = 480.0  # the trigger's real budget per run (seconds of quota waits), scaled below
os.environ["MWS_TIME_SCALE"] = str(SCALE)
os.environ["MWS_POLL_BUDGET_SECONDS"] = str(BUDGET / SCALE)

from mws_component import endpoint as endpoint_module  # noqa: E402  (after the environment is set)
from mws_component.marketplaces import MARKETPLACES  # noqa: E402
from mws_sandbox import Sandbox  # noqa: E402
from mws_tools.runner import LocalContext, run_function  # noqa: E402

ORDERS = 10_000
PAGE = 100
SEED = 9
RATE, BURST = 0.0056, 20  # searchOrders' usage plan
MAX_RUNS = 1000




class Exchanges:
    """When each searchOrders left and its answer came back (to tell quota waits from slow answers)."""

    def __init__(self):
        self.spans = []
        self._original = endpoint_module.Endpoint.exchange
        spans, original = self.spans, self._original

        def exchange(endpoint, request, **kwargs):
            sent = time.monotonic()
            try:
                return original(endpoint, request, **kwargs)
            finally:
                if getattr(request.operation, "name", "") == "searchOrders":
                    spans.append((sent, time.monotonic()))
        endpoint_module.Endpoint.exchange = exchange

    def summary(self, interval):
        answers = sorted(end - sent for sent, end in self.spans)
        gaps = [b[0] - a[0] for a, b in zip(self.spans, self.spans[1:])]
        paced = gaps[BURST:]
        late = sum(max(0.0, g - interval) for g in paced)
        return (f"answer time per call: median {answers[len(answers) // 2]:.3f} s, max {answers[-1]:.3f} s; "
                f"after the burst the calls went {sum(paced) / max(len(paced), 1):.3f} s apart on average "
                f"({late:.1f} s later than the plan in all)")


def main():
    exchanges = Exchanges()
    started = time.monotonic()
    with Sandbox(seed=SEED, orders=int(ORDERS * 2.35), time_scale=SCALE) as sb:
        generated = time.monotonic() - started
        cfg = dict(sb.spapi_credentials)
        region = next(m.region for m in MARKETPLACES if m.marketplace_id == cfg["marketplaceId"])
        in_region = {m.marketplace_id for m in MARKETPLACES if m.region == region}
        wanted = sorted((o for o in sb.store.all() if o.marketplace_id in in_region),
                        key=lambda o: (o.last_update_ms, o.amazon_order_id))
        cfg["marketplaceIds"] = sorted({o.marketplace_id for o in wanted})
        cfg["maxResultsPerPage"] = PAGE
        # End Time just after the 10,000th order in the region: the read is exactly those orders.
        print(f"sandbox data: {len(sb.store)} orders generated in {generated:.1f} s, "
              f"{len(wanted)} in the {region} region")
        sb.clock.advance(180)  # every order settled past the two-minute rule
        sb.requests.clear()
        snapshot, emitted, runs = {}, set(), 0
        start = time.monotonic()
        while runs < MAX_RUNS:
            runs += 1
            ctx = run_function("listOrders", cfg, snapshot=snapshot, ctx=LocalContext(out=None, flow_type="ordinary"))
            errors = [e for e in ctx.events if e["event"] == "error"]
            if errors:
                raise SystemExit(f"run {runs} failed: {errors[0]['error']}")
            for e in ctx.events:
                if e["event"] == "data":
                    emitted.add((e["body"]["amazonOrderId"], e["body"]["lastUpdateDate"]))
            snapshot = ctx.snapshot
            if "window" not in snapshot and len(emitted) >= len(wanted):
                break
        elapsed = time.monotonic() - start
        calls = sb.requests.count(action="searchOrders")
        throttled = sb.requests.count(action="searchOrders", status=429)
        pages = math.ceil(len(wanted) / PAGE)
        interval = 1 / RATE / SCALE
        minimum = max(calls - BURST, 0) * interval
        missing = len({(o.amazon_order_id, o.last_update_ms) for o in wanted}) - len(emitted)
        print(f"orders emitted: {len(emitted)} of {len(wanted)} in {runs} runs; searchOrders calls: {calls} "
              f"({pages} pages of {PAGE} needed); token grants: {sb.requests.count(action='LwaToken')}")
        print(f"time scale {SCALE:g}: one call per {interval:.3f} s after the burst of {BURST}; "
              f"budget per run {BUDGET / SCALE:.1f} s")
        print(f"quota minimum: {minimum:.1f} s; measured: {elapsed:.1f} s")
        print(f"ratio measured / minimum: {elapsed / minimum:.3f} (goal <= 1.02)")
        print(f"429 answers from the sandbox: {throttled} (goal 0)")
        print(exchanges.summary(interval))
        return 0 if throttled == 0 and missing == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
