"""Benchmark (a): the items of 60 orders from the sandbox at Amazon's real quota rates.

ListOrderItems and ListOrderItemsByNextToken share one quota: a burst of 30,
then one request every 2 seconds. With N requests the fastest possible run
takes (N - 30) × 2 s; this prints the measured time over that minimum
(goal ≤ 1.05) and checks that no throttled error escaped to the caller.
Runs for about two minutes.
"""

import sys
import time

from mws_component import errors
from mws_component.mws import orders
from mws_component.mws.client import MwsClient
from mws_component.credentials import MwsCredentials as Credentials
from mws_sandbox import Sandbox

ORDERS = 60


def main():
    with Sandbox(seed=21, orders=ORDERS, time_scale=1.0) as sb:
        client = MwsClient(Credentials.from_cfg(sb.credentials))
        ids = [o.amazon_order_id for o in sb.store.all()][:ORDERS]
        escaped = 0
        started = time.monotonic()
        total_items = 0
        for order_id in ids:
            try:
                total_items += len(orders.list_order_items(client, order_id))
            except errors.MwsError as exc:  # pragma: no cover - the benchmark's point is that this never happens
                escaped += 1
                print(f"escaped: {exc}", file=sys.stderr)
        elapsed = time.monotonic() - started
        calls = sb.requests.count(action="ListOrderItems") + sb.requests.count(action="ListOrderItemsByNextToken")
        throttled = sb.requests.count(error_code="RequestThrottled")
        burst, restore = 30, 2.0
        minimum = max(calls - burst, 0) * restore
        print(f"orders: {len(ids)}, items: {total_items}, requests: {calls} (burst {burst}, one per {restore:.0f} s after)")
        print(f"theoretical minimum: {minimum:.1f} s; measured: {elapsed:.1f} s")
        print(f"ratio measured / minimum: {elapsed / minimum:.3f} (goal <= 1.05)" if minimum else "ratio: n/a (within the burst)")
        print(f"answers the server throttled: {throttled}; throttled errors that escaped: {escaped}")
        return 0 if escaped == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
