"""Generated data (deterministic per seed) and how orders change over time."""

import collections
import re
import time
from datetime import datetime, timezone

from lxml import etree

from mws_sandbox import OrderVersion, Sandbox
from mws_sandbox.clock import SandboxClock, format_ms
from mws_sandbox.orders.markets import MARKET_BY_ID
from mws_sandbox.orders.store import OrderStore

from .conftest import EARLY, NS, Caller, every_order_element, order_ids

START = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)


def every_order_xml(sb):
    """All orders as ListOrders serves them, as bytes, in id order."""
    return sorted(etree.tostring(e) for e in every_order_element(Caller(sb)))


def test_same_seed_and_start_time_give_identical_orders():
    with Sandbox(seed=11, orders=120, quotas=False, start_time=START) as a, \
            Sandbox(seed=11, orders=120, quotas=False, start_time=START) as b:
        assert every_order_xml(a) == every_order_xml(b)
    assert OrderStore(SandboxClock(), seed=11, orders=50, anchor_ms=0).all() == \
        OrderStore(SandboxClock(), seed=11, orders=50, anchor_ms=0).all()
    assert OrderStore(SandboxClock(), seed=12, orders=50, anchor_ms=0).all() != \
        OrderStore(SandboxClock(), seed=11, orders=50, anchor_ms=0).all()


def test_start_time_sets_the_server_clock():
    with Sandbox(seed=1, orders=3, quotas=False, start_time=START) as sb:
        assert abs((sb.clock.now() - START).total_seconds()) < 5
        assert sb.store.anchor_ms == int(START.timestamp() * 1000)


def test_data_covers_what_clients_must_handle(shared_sandbox):
    orders = shared_sandbox.store.all()
    assert len(orders) == 200
    statuses = collections.Counter(o.status for o in orders)
    assert set(statuses) == {"PendingAvailability", "Pending", "Unshipped", "PartiallyShipped", "Shipped",
                             "Canceled", "Unfulfillable", "InvoiceUnconfirmed"}
    assert statuses["InvoiceUnconfirmed"] <= 3  # rare
    assert all(MARKET_BY_ID[o.marketplace_id].country == "JP" for o in orders if o.status == "PendingAvailability")
    countries = {MARKET_BY_ID[o.marketplace_id].country for o in orders}
    assert countries == {"US", "CA", "MX", "DE", "GB", "FR", "JP", "IN"}
    for o in orders:
        assert o.currency == MARKET_BY_ID[o.marketplace_id].currency
        assert re.fullmatch(r"\d{3}-\d{7}-\d{7}", o.amazon_order_id)
        assert all(re.fullmatch(r"\d{14}", i.order_item_id) for i in o.items)
        assert o.purchase_ms <= o.last_update_ms
        assert 0 < shared_sandbox.store.anchor_ms - o.purchase_ms <= 30 * 86_400_000
    assert len({o.amazon_order_id for o in orders}) == 200
    assert {o.fulfillment_channel for o in orders} == {"AFN", "MFN"}
    assert max(len(o.items) for o in orders) == 12 and sum(len(o.items) > 5 for o in orders) >= 3
    assert any(o.payment_method == "COD" and o.payment_execution for o in orders)
    assert any(o.is_business and o.buyer_tax_info for o in orders) and any(o.is_prime for o in orders)
    names = " ".join(o.buyer_name for o in orders)
    assert "ü" in names or "ö" in names or "ß" in names
    assert "Ł" in names and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", names)
    assert len({o.last_update_ms for o in orders}) < len(orders)  # some share a LastUpdateDate exactly


def test_non_ascii_travels_as_utf8(shared_sandbox):
    mws = Caller(shared_sandbox)
    response = mws.list_orders(**mws.all_markets(CreatedAfter=EARLY))
    assert "utf-8" in response.content[:60].decode().lower()
    names = [e.text for e in response.xml.iterfind(".//o:BuyerName", NS)]
    assert any(any(ord(ch) > 127 for ch in name) for name in names)


def test_tick_moves_orders_on_and_adds_new_ones(fresh_sandbox):
    store = fresh_sandbox.store
    count = len(store)
    before = {o.amazon_order_id: o.status for o in store.all()}
    made = store.tick(40)
    assert len(made) == 40
    stamps = [v.last_update_date for v in made]
    assert stamps == sorted(stamps) and len(set(stamps)) == 40  # strictly increasing
    assert len(store) > count  # new orders
    moves = {(before[v.amazon_order_id], store.get(v.amazon_order_id).status)
             for v in made if v.amazon_order_id in before}
    allowed = {("PendingAvailability", "Pending"), ("Pending", "Unshipped"), ("Pending", "Canceled"),
               ("Unshipped", "Shipped"), ("Unshipped", "PartiallyShipped"), ("Unshipped", "Canceled"),
               ("PartiallyShipped", "Shipped")}
    assert moves and moves <= allowed
    assert all(stamp >= format_ms(fresh_sandbox.clock.now_ms() - 5000) for stamp in stamps)


def test_shared_timestamp_batches(fresh_sandbox):
    made = fresh_sandbox.store.tick(5, shared_timestamp=True)
    assert len({v.last_update_date for v in made}) == 1 and len({v.amazon_order_id for v in made}) == 5
    with fresh_sandbox.store.batch() as stamp:
        a = fresh_sandbox.store.add_order()
        b = fresh_sandbox.store.add_order(status="Unshipped", country="DE")
    assert a.last_update_ms == b.last_update_ms == stamp
    assert format_ms(stamp) > made[0].last_update_date  # a new batch still moves time forward


def test_versions_record_every_state(fresh_sandbox):
    store = fresh_sandbox.store
    initial = store.versions()
    assert len(initial) == len(store)
    made = store.tick(10)
    versions = store.versions()
    assert versions[:len(initial)] == initial and versions[len(initial):] == made
    assert all(isinstance(v, OrderVersion) for v in versions)
    assert (made[0].amazon_order_id, made[0].last_update_date) == tuple(made[0])


def test_changes_appear_after_the_two_minute_window(fresh_sandbox):
    mws = Caller(fresh_sandbox)
    query = mws.all_markets(LastUpdatedAfter=EARLY)
    seen = set(order_ids(mws.list_orders(**query)))
    made = fresh_sandbox.store.tick(6)
    new_ids = {v.amazon_order_id for v in made} - seen
    assert new_ids  # tick adds orders with some probability; seed 7 does within 6 changes
    assert not new_ids & set(order_ids(mws.list_orders(**query)))  # changed just now: not settled yet
    fresh_sandbox.clock.advance(121)
    visible = order_ids(mws.list_orders(**query))
    assert new_ids <= set(visible)


def test_store_api_for_feeds(fresh_sandbox):
    store = fresh_sandbox.store
    order = next(o for o in store.all() if o.status == "Unshipped" and o.units >= 2)
    acked = store.acknowledge(order.amazon_order_id, seller_order_id="MY-ORDER-1")
    assert acked.acknowledged and acked.seller_order_id == "MY-ORDER-1" and acked.last_update_ms > order.last_update_ms
    first = order.items[0]
    partial = store.ship(order.amazon_order_id, {first.order_item_id: 1})
    assert partial.status == "PartiallyShipped" and partial.number_of_items_shipped == 1
    done = store.ship(order.amazon_order_id)
    assert done.status == "Shipped" and done.number_of_items_unshipped == 0
    assert [v.amazon_order_id for v in store.versions()[-3:]] == [order.amazon_order_id] * 3


def test_background_ticker_changes_orders():
    with Sandbox(seed=2, orders=20, quotas=False, change_interval=0.02) as sb:
        initial = len(sb.store.versions())
        deadline = time.monotonic() + 5
        while len(sb.store.versions()) < initial + 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(sb.store.versions()) >= initial + 5
