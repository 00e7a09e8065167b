"""Benchmark: 1,000 perItem price updates (Change Product Price, submitMode perItem) at the real usage plan.

patchListingsItem's usage plan is 5 requests per second with a burst of 5 (Listings Items API 2021-08-01
model; SP-API: Usage Plans and Rate Limits). N calls then take at least (N - burst) / rate seconds; this
prints the measured time over that minimum (goal <= 1.02) and the 429s the sandbox answered (goal 0).

Time-scaled: the sandbox restores its buckets S times faster (Sandbox(time_scale=S)) and the component
its own (MWS_TIME_SCALE=S), so the run takes (N - burst) / rate / S seconds; the ratio is the same as
at S = 1. `--scale S` (default 2: about 100 s; at a faster scale one interval gets shorter than a call
lasts on a busy machine), `--items N` (default 1,000).
"""

import argparse
import os
import sys
import time

from mws_component.spapi.operations import operation
from mws_sandbox import Sandbox
from mws_tools.runner import LocalContext, run_function


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--scale", type=float, default=2.0)
    args = parser.parse_args(argv)
    os.environ["MWS_TIME_SCALE"] = str(args.scale)
    plan = operation("patchListingsItem").plan
    with Sandbox(seed=5, orders=10, time_scale=args.scale) as sb:
        cfg = dict(sb.spapi_credentials)
        skus = sorted(sb.catalogue.skus())
        items = [{"sku": skus[n % len(skus)], "standardPrice": {"value": f"{10 + n % 90}.{n % 100:02d}",
                                                                "currency": "USD"}}
                 for n in range(args.items)]
        ctx = LocalContext(out=None, flow_type="ordinary")
        started = time.monotonic()
        run_function("changeProductPrice", cfg | {"submitMode": "perItem"}, {"body": {"items": items}}, {}, ctx=ctx)
        elapsed = time.monotonic() - started
        data = [e["body"] for e in ctx.events if e["event"] == "data"]
        others = [e for e in ctx.events if e["event"] != "data"]
        results = data[0]["results"] if data else []
        accepted = sum(1 for r in results if r["status"] == "ACCEPTED")
        calls = sb.requests.count(action="patchListingsItem")
        throttled = sb.requests.count(action="patchListingsItem", status=429)
        minimum = max(args.items - plan.burst, 0) / plan.rate / args.scale
        print(f"items: {args.items}, patchListingsItem calls: {calls}, accepted: {accepted} "
              f"(plan {plan.rate:g}/s, burst {plan.burst}; time scale {args.scale:g})")
        print(f"quota minimum: {minimum:.2f} s; measured: {elapsed:.2f} s")
        print(f"ratio measured / minimum: {elapsed / minimum:.3f} (goal <= 1.02)" if minimum else "ratio: n/a")
        print(f"429s answered: {throttled} (goal 0)")
        if others:
            print(f"other events: {others[:3]}", file=sys.stderr)
        return 0 if accepted == args.items and throttled == 0 and not others else 1


if __name__ == "__main__":
    sys.exit(main())
