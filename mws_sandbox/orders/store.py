"""The order store: the sandbox's orders, how they change over time, and every version ever seen.

Every change replaces an order with a new immutable `Order` whose
LastUpdateDate is the server time of the change. Stamps strictly increase
from one change to the next, except inside `batch()`, where all changes
share one stamp (Amazon stamps bulk updates that way, and clients must
cope with ties on window and page boundaries).

Sections read with `get`, `get_many` and `select`; the Feeds section
(acknowledgements, shipments) changes orders with `update`, `acknowledge`,
`ship`, `cancel` and `cancel_items`.
"""

import random
import threading
from contextlib import contextmanager
from dataclasses import replace

from ..clock import format_ms
from .datagen import generate_orders, set_status
from .models import OrderVersion

# How an order may move on in a tick, with weights (Orders_ListOrders, OrderStatus values).
NEXT_STATUSES = {
    "PendingAvailability": {"Pending": 1},
    "Pending": {"Unshipped": 8, "Canceled": 2},
    "Unshipped": {"Shipped": 6, "PartiallyShipped": 3, "Canceled": 1},
    "PartiallyShipped": {"Shipped": 1},
}


class UnknownOrder(KeyError):
    pass


class OrderStore:
    def __init__(self, clock, *, seed=1, orders=200, seller_id="A1SANDBOXSELLER", anchor_ms=None):
        self.clock = clock
        self.seed = seed
        self.anchor_ms = clock.now_ms() if anchor_ms is None else anchor_ms
        generated, self._factory = generate_orders(seed, orders, self.anchor_ms, seller_id)
        # Evolution has its own generator, so ticking never changes what the seed generated.
        self._rng = random.Random(f"mws-sandbox-evolution-{seed}")
        self._lock = threading.RLock()
        self._orders = {}
        self._versions = []
        self._seen_versions = set()
        self._last_stamp_ms = 0
        self._batch_stamp_ms = None
        for order in sorted(generated, key=lambda o: (o.last_update_ms, o.amazon_order_id)):
            self._put(order)
        self._last_stamp_ms = max((o.last_update_ms for o in generated), default=0)

    # -- reading --------------------------------------------------------------------------
    def __len__(self):
        with self._lock:
            return len(self._orders)

    def get(self, amazon_order_id):
        with self._lock:
            return self._orders.get(amazon_order_id)

    def get_many(self, amazon_order_ids):
        with self._lock:
            return [self._orders[i] for i in amazon_order_ids if i in self._orders]

    def all(self):
        with self._lock:
            return list(self._orders.values())

    def select(self, where, key, after=None, limit=None):
        """Orders matching `where`, sorted by `key`, strictly after the key `after`; at most `limit`."""
        with self._lock:
            rows = [o for o in self._orders.values() if where(o)]
        rows.sort(key=key)
        if after is not None:
            rows = [o for o in rows if key(o) > after]
        return rows if limit is None else rows[:limit]

    @property
    def products(self):
        """What the orders sell: (ASIN, SellerSKU, title, USD price) rows; the Feeds catalogue starts from them."""
        return list(self._factory.catalog)

    def versions(self):
        """Every (AmazonOrderId, LastUpdateDate) state any order has had, oldest first."""
        with self._lock:
            return list(self._versions)

    # -- changing -------------------------------------------------------------------------
    @contextmanager
    def batch(self):
        """All changes inside the block carry one and the same LastUpdateDate."""
        with self._lock:
            outer = self._batch_stamp_ms is not None
            if not outer:
                self._batch_stamp_ms = self._next_stamp()
            try:
                yield self._batch_stamp_ms
            finally:
                if not outer:
                    self._batch_stamp_ms = None

    def update(self, amazon_order_id, change):
        """Apply `change(order) -> order` and stamp the result with the server time; returns it."""
        with self._lock:
            current = self._orders.get(amazon_order_id)
            if current is None:
                raise UnknownOrder(amazon_order_id)
            stamp = self._batch_stamp_ms if self._batch_stamp_ms is not None else self._next_stamp()
            return self._put(replace(change(current), last_update_ms=stamp))

    def set_status(self, amazon_order_id, status):
        return self.update(amazon_order_id, lambda o: set_status(o, status, self._rng))

    def acknowledge(self, amazon_order_id, seller_order_id=None):
        """What an OrderAcknowledgement feed does: mark it, and record the seller's own order id."""
        def change(order):
            return replace(order, acknowledged=True, seller_order_id=seller_order_id or order.seller_order_id)
        return self.update(amazon_order_id, change)

    def ship(self, amazon_order_id, quantities=None):
        """Ship items ({OrderItemId: units}, default: everything left); status follows."""
        def change(order):
            items = []
            for item in order.items:
                extra = item.quantity_ordered - item.quantity_shipped if quantities is None \
                    else quantities.get(item.order_item_id, 0)
                items.append(replace(item, quantity_shipped=min(item.quantity_ordered, item.quantity_shipped + extra)))
            shipped = replace(order, items=tuple(items), paid=True)
            done = all(i.quantity_shipped == i.quantity_ordered for i in items)
            status = "Shipped" if done else ("PartiallyShipped" if shipped.number_of_items_shipped else order.status)
            return replace(shipped, status=status)
        return self.update(amazon_order_id, change)

    def cancel(self, amazon_order_id):
        return self.set_status(amazon_order_id, "Canceled")

    def cancel_items(self, amazon_order_id, order_item_ids):
        """Cancel the unshipped units of some items (an acknowledgement's CancelReason).

        Nothing shipped and nothing left: the whole order is Canceled. Some
        units shipped and none left to ship: it is Shipped.
        """
        ids = set(order_item_ids)

        def change(order):
            items = tuple(replace(i, quantity_ordered=i.quantity_shipped) if i.order_item_id in ids else i
                          for i in order.items)
            if all(i.quantity_ordered == 0 for i in items):
                return set_status(order, "Canceled", self._rng)
            if all(i.quantity_shipped == i.quantity_ordered for i in items):
                return replace(order, items=items, status="Shipped", paid=True)
            return replace(order, items=items)
        return self.update(amazon_order_id, change)

    def add_order(self, status="Pending", **options):
        """A new order placed now (options as for `OrderFactory.make`: country, channel, item_count...)."""
        with self._lock:
            stamp = self._batch_stamp_ms if self._batch_stamp_ms is not None else self._next_stamp()
            order = self._factory.make(purchase_ms=stamp, last_update_ms=stamp, status=status, **options)
            return self._put(order)

    def tick(self, changes=1, *, shared_timestamp=False):
        """Let time act on the orders: `changes` status moves or new orders. Returns the new versions.

        With `shared_timestamp`, all of this tick's changes carry one LastUpdateDate.
        """
        with self._lock:
            made = []
            if shared_timestamp:
                with self.batch():
                    self._evolve(changes, made)
            else:
                self._evolve(changes, made)
            return [self._version(o) for o in made]

    def _evolve(self, changes, made):
        touched = set()
        for _ in range(changes):
            movable = [o for o in self._orders.values()
                       if o.status in NEXT_STATUSES and o.amazon_order_id not in touched]
            if not movable or self._rng.random() < 0.25:
                order = self._new_order()
            else:
                order = self._move_on(self._rng.choice(movable))
            touched.add(order.amazon_order_id)
            made.append(order)

    def _new_order(self):
        status = self._rng.choices(["Pending", "Unshipped"], weights=[3, 1])[0]
        return self.add_order(status)

    def _move_on(self, order):
        choices = dict(NEXT_STATUSES[order.status])
        if order.units < 2:
            choices.pop("PartiallyShipped", None)
        status = self._rng.choices(list(choices), weights=list(choices.values()))[0]
        if status == "Shipped":
            return self.ship(order.amazon_order_id)
        return self.set_status(order.amazon_order_id, status)

    # -- internals ------------------------------------------------------------------------
    def _next_stamp(self):
        stamp = max(self.clock.now_ms(), self._last_stamp_ms + 1)
        self._last_stamp_ms = stamp
        return stamp

    def _put(self, order):
        self._orders[order.amazon_order_id] = order
        version = self._version(order)
        if version not in self._seen_versions:  # one batch may touch an order twice
            self._seen_versions.add(version)
            self._versions.append(version)
        return order

    @staticmethod
    def _version(order):
        return OrderVersion(order.amazon_order_id, format_ms(order.last_update_ms))


__all__ = ["OrderStore", "UnknownOrder"]
