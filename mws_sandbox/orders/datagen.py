"""Deterministic order data: the same seed and anchor time always give the same orders.

Only `random.Random(seed)` is used (never set iteration or hash order), so a
seed reproduces every field; dates are offsets from `anchor_ms`.
"""

import random
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from .markets import MARKET_BY_COUNTRY, MARKETS
from .models import PENDING_STATUSES, Address, Money, Order, OrderItem, TaxInfo

MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS
HISTORY_MS = 30 * DAY_MS
# Initial data ends a little before "now" so all of it is visible at once under the two-minute rule.
NEWEST_INITIAL_AGE_MS = 3 * MINUTE_MS

# (title, USD price); a few titles are not ASCII, as real catalogues are.
PRODUCTS = (
    ("Stainless Steel Water Bottle 750 ml", "18.99"), ("USB-C Charging Cable 2 m", "9.49"),
    ("Organic Green Tea, 100 Bags", "12.00"), ("Wireless Mouse, Silent Click", "24.95"),
    ("Yoga Mat 6 mm, Non-Slip", "29.90"), ("LED Desk Lamp with Dimmer", "34.99"),
    ("Ceramic Coffee Mug 350 ml", "11.50"), ("Notebook A5, Dotted, 160 Pages", "8.75"),
    ("Bluetooth Speaker, Waterproof", "45.00"), ("Kitchen Knife Set, 5 Pieces", "59.99"),
    ("Running Socks (3 Pairs)", "14.99"), ("Phone Case, Clear", "7.99"),
    ("Puzzle 1000 Pieces: Alpine Lake", "19.99"), ("Garden Hose 15 m", "27.49"),
    ("Scented Candle, Vanilla", "13.25"), ("Backpack 25 L", "49.00"),
    ("Screwdriver Set, 32 Pieces", "22.80"), ("Dog Leash, Reflective", "15.60"),
    ("Kaffeemühle „Bärenstark“, Edelstahl", "39.90"), ("Crème hydratante à l'aloe vera", "16.40"),
    ("抹茶 宇治産 100g", "21.00"), ("Zestaw śrubokrętów – 12 części", "17.30"),
    ("Children's Book: The Little Fox", "6.99"), ("HDMI Cable 4K, 1.5 m", "8.20"),
)
SKU_SHAPES = ("SKU-{n:05d}", "{n:04d}-BLK", "MUG {n} WHITE", "TEA/{n}*GRN", "{n}_A~B")
ITEM_COUNT_WEIGHTS = {1: 45, 2: 20, 3: 12, 4: 8, 5: 5, 6: 3, 7: 2, 8: 2, 9: 1, 10: 1, 11: 1, 12: 1}
STATUS_WEIGHTS = {"Pending": 12, "Unshipped": 16, "PartiallyShipped": 6, "Shipped": 45, "Canceled": 10,
                  "Unfulfillable": 3, "InvoiceUnconfirmed": 1, "PendingAvailability": 3}
SERVICE_LEVEL_NAMES = {"Standard": "Std", "Expedited": "Exp", "FreeEconomy": "Econ", "SecondDay": "Second",
                       "NextDay": "Next", "SameDay": "SameDay"}
GIFT_MESSAGES = {"DE": "Alles Gute zum Geburtstag!", "FR": "Joyeux anniversaire !", "JP": "お誕生日おめでとう"}
SERVICE_LEVELS = (("Standard", 60), ("Expedited", 18), ("FreeEconomy", 8), ("SecondDay", 5),
                  ("NextDay", 5), ("SameDay", 4))
# The first orders are made to order, so that even a small data set has every case tests need.
RECIPES = (
    {"status": "Pending"}, {"status": "Unshipped"}, {"status": "PartiallyShipped"},
    {"status": "Shipped"}, {"status": "Canceled"}, {"status": "Unfulfillable"},
    {"status": "InvoiceUnconfirmed"}, {"status": "PendingAvailability", "country": "JP"},
    {"status": "Unshipped", "country": "JP", "channel": "MFN", "payment": "COD"},
    {"status": "Shipped", "items": 12}, {"status": "Unshipped", "items": 7},
    {"status": "Shipped", "country": "DE", "business": True},
    {"status": "Pending", "items": 6}, {"status": "Shipped", "country": "DE", "polish_buyer": True},
)


def weighted(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def money(market, amount):
    return Money(market.currency, Decimal(amount).quantize(market.quantum, rounding=ROUND_HALF_UP))


class OrderFactory:
    """Makes orders and items with unique 3-7-7 order ids and 14-digit item ids."""

    def __init__(self, rng, seller_id):
        self.rng = rng
        self.seller_id = seller_id
        self._order_ids = set()
        self._item_ids = set()
        self.catalog = [(f"B0{self._alnum(8)}", SKU_SHAPES[i % len(SKU_SHAPES)].format(n=1000 + i), title,
                         Decimal(price)) for i, (title, price) in enumerate(PRODUCTS)]

    def _alnum(self, n):
        return "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(n))

    def new_order_id(self):
        while True:
            oid = f"{self.rng.randint(100, 999)}-{self.rng.randint(0, 9999999):07d}-{self.rng.randint(0, 9999999):07d}"
            if oid not in self._order_ids:
                self._order_ids.add(oid)
                return oid

    def new_item_id(self):
        while True:
            iid = str(self.rng.randint(10**13, 10**14 - 1))
            if iid not in self._item_ids:
                self._item_ids.add(iid)
                return iid

    # -- orders -----------------------------------------------------------------------------
    def pick_market(self, status):
        if status == "PendingAvailability":
            return MARKET_BY_COUNTRY["JP"]  # pre-orders awaiting availability exist only in Japan
        if status == "Unfulfillable":
            return self.rng.choice([MARKET_BY_COUNTRY[c] for c in ("US", "DE", "GB")])
        return self.rng.choices(MARKETS, weights=[m.weight for m in MARKETS])[0]

    def make(self, *, purchase_ms, last_update_ms, status, country=None, channel=None, payment=None,
             item_count=None, business=None, polish_buyer=False):
        rng = self.rng
        market = MARKET_BY_COUNTRY[country] if country else self.pick_market(status)
        if channel is None:
            channel = "AFN" if status == "Unfulfillable" else ("AFN" if rng.random() < 0.35 else "MFN")
        if payment is None:
            payment = "Other"
            if market.country == "JP" and channel == "MFN" and status not in PENDING_STATUSES:
                payment = rng.choices(["COD", "CVS", "Other"], weights=[25, 10, 65])[0]
        if item_count is None:
            item_count = weighted(rng, ITEM_COUNT_WEIGHTS)
        if status == "PartiallyShipped":
            item_count = max(2, item_count)  # something shipped and something not
        if business is None:
            business = rng.random() < 0.08
        prime = rng.random() < (0.5 if channel == "AFN" else 0.1)
        category = rng.choices([c for c, _ in SERVICE_LEVELS], weights=[w for _, w in SERVICE_LEVELS])[0]
        if category == "SameDay" and market.country != "US":
            category = "Standard"

        buyer_name = rng.choice(market.buyer_names)
        if polish_buyer:
            buyer_name = "Łukasz Wiśniewski"
        city, region, postal = rng.choice(market.places)
        address = Address(
            name=buyer_name, line1=rng.choice(market.streets),
            line2=f"Apt {rng.randint(1, 40)}" if rng.random() < 0.3 else None,
            city=city, state_or_region=region, postal_code=postal, country_code=market.country,
            phone=f"{market.phone_prefix}{rng.randint(1000, 9999)}" if channel == "MFN" else None,
            address_type=("Commercial" if business else "Residential") if market.country == "US" else None)
        items = tuple(self.make_item(market, channel, prime, business, payment == "COD" and i == 0)
                      for i in range(item_count))
        tax_info = None
        if business and market.company:
            legal, tax_name, number = market.company
            tax_info = TaxInfo(legal, market.country, ((tax_name, number),))
        ship_from = None
        if channel == "MFN" and rng.random() < 0.5:
            wcity, wregion, wpostal = market.places[0]
            ship_from = Address(name="Sandbox Seller Warehouse", line1=market.streets[-1], city=wcity,
                                state_or_region=wregion, postal_code=wpostal, country_code=market.country)
        order = Order(
            amazon_order_id=self.new_order_id(),
            marketplace_id=market.marketplace_id,
            currency=market.currency,
            purchase_ms=purchase_ms,
            last_update_ms=last_update_ms,
            status=status,
            fulfillment_channel=channel,
            sales_channel="Non-Amazon" if status == "Unfulfillable" else market.sales_channel,
            ship_service_level=("Std JP Kanto8" if market.country == "JP" and category == "Standard"
                                else f"{SERVICE_LEVEL_NAMES[category]} {market.country} Dom"),
            shipment_service_level_category=category,
            shipping_address=address,
            buyer_email=f"{self._alnum(15).lower()}@{market.email_domain}",
            buyer_name=buyer_name,
            items=items,
            payment_method=payment,
            payment_method_details={"COD": ("COD",), "CVS": ("ConvenienceStore",)}.get(
                payment, rng.choice([("Standard",), ("CreditCard",), ("CreditCard", "GiftCertificate")])),
            tax_included=market.tax_included,
            seller_order_id=f"SO-{rng.randint(100000, 999999)}" if rng.random() < 0.3 else None,
            ship_from_address=ship_from,
            buyer_tax_info=tax_info,
            order_type="Preorder" if status == "PendingAvailability" else "StandardOrder",
            earliest_ship_ms=purchase_ms + rng.randint(0, 2) * HOUR_MS,
            latest_ship_ms=purchase_ms + rng.randint(2, 3) * DAY_MS,
            earliest_delivery_ms=purchase_ms + 3 * DAY_MS if channel == "MFN" else None,
            latest_delivery_ms=purchase_ms + 7 * DAY_MS if channel == "MFN" else None,
            is_business=business,
            purchase_order_number=f"PO-{rng.randint(10000, 99999)}" if business and rng.random() < 0.5 else None,
            is_prime=prime,
            is_premium=rng.random() < 0.05,
        )
        if market.country == "IN" and channel == "MFN" and rng.random() < 0.5:
            order = replace(order, easy_ship_status="PendingPickUp")
        if status == "Canceled" and rng.random() < 0.5:
            order = replace(order, paid=True)  # canceled after the buyer was charged
        return set_status(order, status, rng)

    def make_item(self, market, channel, prime, business, cod):
        rng = self.rng
        asin, sku, title, usd = rng.choice(self.catalog)
        quantity = rng.choices([1, 2, 3, 5], weights=[70, 20, 8, 2])[0]
        unit = money(market, usd * market.usd_rate)
        price = money(market, unit.amount * quantity)
        shipping = money(market, Decimal("4.99") * market.usd_rate) if channel == "MFN" else money(market, 0)
        ship_discount = shipping if prime else money(market, 0)
        promo = rng.random() < 0.1
        gift = rng.random() < 0.05

        def tax(amount):
            if market.tax_included:  # the VAT share of a gross price
                return money(market, amount.amount - amount.amount / (1 + market.tax_rate))
            return money(market, amount.amount * market.tax_rate)

        return OrderItem(
            asin=asin, order_item_id=self.new_item_id(), seller_sku=sku, title=title,
            quantity_ordered=quantity, quantity_shipped=0,
            item_price=price, shipping_price=shipping, item_tax=tax(price), shipping_tax=tax(shipping),
            shipping_discount=ship_discount,
            promotion_discount=money(market, price.amount / 10) if promo else money(market, 0),
            promotion_ids=(f"PLM-{rng.randint(10**7, 10**8 - 1)}",) if promo else (),
            is_gift=gift,
            gift_wrap_price=money(market, Decimal("3.99") * market.usd_rate) if gift else None,
            gift_wrap_tax=money(market, 0) if gift else None,
            gift_wrap_level="Classic" if gift else None,
            gift_message=GIFT_MESSAGES.get(market.country, "Happy birthday!") if gift else None,
            cod_fee=money(market, 330) if cod else None,
            cod_fee_discount=money(market, 0) if cod else None,
            points=jp_points(market, price),
            tax_collection=("MarketplaceFacilitator", "Amazon Services, Inc.") if market.country == "US" else None,
            price_designation="BusinessPrice" if business else None,
        )


def jp_points(market, price):
    """Amazon points (JP only): about 1% of the price, as (PointsNumber, PointsMonetaryValue)."""
    points = int(price.amount / 100)
    return (points, money(market, points)) if market.country == "JP" and points else None


def set_status(order, status, rng):
    """`order` in `status`, with shipped quantities, payment flag and COD payments to match."""
    items = list(order.items)
    if status == "Shipped":
        items = [replace(i, quantity_shipped=i.quantity_ordered) for i in items]
    elif status == "PartiallyShipped":
        items = [replace(i, quantity_shipped=0) for i in items]
        # Ship a strict, non-empty part of the units.
        units = [(n, u) for n, i in enumerate(items) for u in range(i.quantity_ordered)]
        for n, _ in units[:max(1, rng.randint(1, len(units) - 1))]:
            items[n] = replace(items[n], quantity_shipped=items[n].quantity_shipped + 1)
    elif status != "Canceled":
        items = [replace(i, quantity_shipped=0) for i in items]
    paid = order.paid or status not in (*PENDING_STATUSES, "Canceled")
    changed = replace(order, status=status, items=tuple(items), paid=paid)
    if changed.payment_method == "COD" and paid and not changed.payment_execution:
        total = changed.order_total
        points = Money(total.currency, Decimal(100))
        changed = replace(changed, payment_execution=((total - points, "COD"), (points, "PointsAccount")))
    if changed.easy_ship_status:
        easy = {"Unshipped": "PendingPickUp", "PartiallyShipped": "PickedUp", "Shipped": "Delivered",
                "Canceled": "LabelCanceled"}.get(status, changed.easy_ship_status)
        changed = replace(changed, easy_ship_status=easy)
    return changed


def initial_status(rng, index):
    if index < len(RECIPES):
        return RECIPES[index]
    return {"status": weighted(rng, STATUS_WEIGHTS)}


def age_range_ms(status):
    """How long ago an order in `status` was plausibly placed: (min, max) in ms."""
    return {"Pending": (0, 2 * DAY_MS), "PendingAvailability": (0, 10 * DAY_MS),
            "Unshipped": (0, 4 * DAY_MS), "PartiallyShipped": (DAY_MS, 6 * DAY_MS)}.get(status, (0, HISTORY_MS))


def generate_orders(seed, count, anchor_ms, seller_id="A1SANDBOXSELLER"):
    """`count` orders placed within 30 days before `anchor_ms`, plus the factory for new ones."""
    rng = random.Random(seed)
    factory = OrderFactory(rng, seller_id)
    orders = []
    for index in range(count):
        recipe = dict(initial_status(rng, index))
        status = recipe.pop("status")
        low, high = age_range_ms(status)
        newest = anchor_ms - NEWEST_INITIAL_AGE_MS
        purchase = newest - rng.randint(low, high)
        # Pending orders have not changed since they were placed; others changed once or more.
        update = purchase
        if status not in PENDING_STATUSES:
            update += rng.randint(0, min(3 * DAY_MS, newest - purchase))
        orders.append(factory.make(purchase_ms=purchase, last_update_ms=update, status=status,
                                   country=recipe.get("country"), channel=recipe.get("channel"),
                                   payment=recipe.get("payment"), item_count=recipe.get("items"),
                                   business=recipe.get("business"),
                                   polish_buyer=recipe.get("polish_buyer", False)))
    share_timestamps(rng, orders)
    return orders, factory


def share_timestamps(rng, orders):
    """Make a few orders share a LastUpdateDate (and a few a PurchaseDate) to the millisecond.

    Amazon stamps whole batches with one time; a client paging on dates must
    not lose or repeat orders that sit exactly on a page or window boundary.
    """
    for _ in range(max(1, len(orders) // 20)):
        if len(orders) < 2:
            return
        a, b = rng.sample(range(len(orders)), 2)
        first, second = orders[a], orders[b]
        if second.purchase_ms <= first.last_update_ms and second.status not in PENDING_STATUSES:
            orders[b] = replace(second, last_update_ms=first.last_update_ms)
        elif first.purchase_ms <= second.last_update_ms:
            orders[b] = replace(second, purchase_ms=first.purchase_ms,
                                last_update_ms=max(second.last_update_ms, first.purchase_ms))


__all__ = ["OrderFactory", "generate_orders", "set_status"]
