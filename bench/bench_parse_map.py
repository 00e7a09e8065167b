"""Benchmark (b): parsing and mapping a ListOrders page of 100 orders, beside bare lxml parsing.

The page is a real answer of the sandbox. Both sides run the same number of
times in one process, alternating, and the best of several rounds is kept.
"""

import sys
import time

from lxml import etree

from mws_component import xmlsafe
from mws_component.mws import envelope, orders
from mws_component.mws.client import MwsClient
from mws_component.credentials import MwsCredentials as Credentials
from mws_component.pipeline import RawAnswer
from mws_sandbox import Sandbox

ROUNDS, REPEAT = 7, 50


def best_of(fn):
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(REPEAT):
            fn()
        best = min(best, (time.perf_counter() - started) / REPEAT)
    return best


def main():
    with Sandbox(seed=4, orders=300, quotas=False) as sb:
        client = MwsClient(Credentials.from_cfg(sb.credentials))
        markets = sorted({o.marketplace_id for o in sb.store.all()})
        fetched = client.call("ListOrders", MarketplaceId=markets, CreatedAfter="2000-01-01T00:00:00Z",
                              MaxResultsPerPage=100)
    body = etree.tostring(fetched.root, xml_declaration=True, encoding="UTF-8")  # the answer as it came, re-serialised
    answer = RawAnswer(200, {}, body)
    page = envelope.parse("ListOrders", answer)
    assert len(orders.orders_of(page)) == 100

    def bare():
        etree.fromstring(body)

    def connector():
        orders.orders_of(envelope.parse("ListOrders", answer))

    def safe_parse_only():
        xmlsafe.parse(body)

    t_bare, t_safe, t_full = best_of(bare), best_of(safe_parse_only), best_of(connector)
    print(f"page: 100 orders, {len(body):,} bytes")
    print(f"bare lxml parse:              {t_bare * 1e3:7.2f} ms")
    print(f"safe parse (no entities/DTD): {t_safe * 1e3:7.2f} ms  ({t_safe / t_bare:.2f}x bare)")
    print(f"parse + map to JSON:          {t_full * 1e3:7.2f} ms  ({t_full / t_bare:.2f}x bare)")
    print(f"mapping throughput: {100 / t_full:,.0f} orders/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
