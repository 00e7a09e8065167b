"""The MWS face's Orders API section (2013-09-01), with Amazon's parameter rules (Orders_ListOrders,
Orders_GetOrder, Orders_ListOrderItems, Orders_GetServiceStatus).

`orders_route(store, tokens, items_page_size)` builds the section's handlers
from the services they use: the order store, the NextToken codec, and how
many items a ListOrderItems page holds.

Semantics where Amazon's pages are silent, chosen so that a client can page
through time windows without gaps or repeats:
- *After bounds are inclusive (>=), *Before bounds exclusive (<).
- Results are ordered by (LastUpdateDate, AmazonOrderId) for LastUpdated
  queries and by (PurchaseDate, AmazonOrderId) for Created queries.
- NextToken is a keyset token (the query plus the last key served), so it
  stays valid and consistent while orders change.
"""

import re

from ..apierror import invalid
from ..clock import format_ms
from ..gateway import SectionRoute
from ..tables import ORDERS
from .elements import add_order, add_order_item
from .models import EASY_SHIP_STATUSES, FULFILLMENT_CHANNELS, ORDER_STATUSES, PAYMENT_METHODS

TWO_MINUTES_MS = 120_000
AMAZON_ORDER_ID = re.compile(r"\d{3}-\d{7}-\d{7}")
# Parameters that BuyerEmail and SellerOrderId each exclude (Orders_ListOrders).
EXCLUDED_BY_BUYER_SEARCH = ("FulfillmentChannel", "OrderStatus", "PaymentMethod",
                            "LastUpdatedAfter", "LastUpdatedBefore")


def orders_route(store, tokens, items_page_size):
    handlers = OrdersHandlers(store, tokens, items_page_size)
    return SectionRoute(ORDERS, {
        "ListOrders": handlers.list_orders,
        "ListOrdersByNextToken": handlers.list_orders_by_next_token,
        "GetOrder": handlers.get_order,
        "ListOrderItems": handlers.list_order_items,
        "ListOrderItemsByNextToken": handlers.list_order_items_by_next_token,
        "GetServiceStatus": get_service_status,
    })


class OrdersHandlers:
    def __init__(self, store, tokens, items_page_size):
        self.store = store
        self.tokens = tokens
        self.items_page_size = items_page_size

    # -- ListOrders / ListOrdersByNextToken ------------------------------------------------
    def list_orders(self, call):
        """Orders created or updated in a time window, with filters (Orders_ListOrders)."""
        return self.orders_page(call, read_list_orders_query(call), last_key=None)

    def list_orders_by_next_token(self, call):
        payload = self.tokens.decode("ListOrders", call.params.require("NextToken"))
        query = payload["q"]
        if query["seller"] != call.account.seller_id:
            raise invalid("Invalid NextToken: the token was issued to another seller")
        return self.orders_page(call, query, last_key=tuple(payload["last"]))

    def orders_page(self, call, q, last_key):
        key = order_key(q["by"])
        rows = self.store.select(order_filter(q), key, after=last_key, limit=q["size"] + 1)
        page = rows[:q["size"]]
        token = None
        if len(rows) > q["size"]:
            token = self.tokens.encode("ListOrders", {"q": q, "last": list(key(page[-1]))})

        def fill(b, result):
            b.text(result, "NextToken", token)
            # The upper bound actually used, so a client can start its next window exactly there.
            b.text(result, f"{q['by']}Before", format_ms(q["before"]))
            orders = b.child(result, "Orders")
            for order in page:
                add_order(b, orders, order)
        return call.respond(fill)

    # -- GetOrder --------------------------------------------------------------------------
    def get_order(self, call):
        """Up to 50 orders by AmazonOrderId; unknown ids are left out, as Amazon did."""
        ids = call.list("AmazonOrderId", required=True)
        for amazon_order_id in ids:
            check_order_id(amazon_order_id)
        orders = self.store.get_many(list(dict.fromkeys(ids)))

        def fill(b, result):
            element = b.child(result, "Orders")
            for order in orders:
                add_order(b, element, order)
        return call.respond(fill)

    # -- ListOrderItems / ListOrderItemsByNextToken ----------------------------------------
    def list_order_items(self, call):
        amazon_order_id = call.params.require("AmazonOrderId")
        check_order_id(amazon_order_id)
        return self.items_page(call, amazon_order_id, start=0)

    def list_order_items_by_next_token(self, call):
        payload = self.tokens.decode("ListOrderItems", call.params.require("NextToken"))
        if payload["seller"] != call.account.seller_id:
            raise invalid("Invalid NextToken: the token was issued to another seller")
        return self.items_page(call, payload["order"], start=payload["start"])

    def items_page(self, call, amazon_order_id, start):
        order = self.store.get(amazon_order_id)
        if order is None:
            raise invalid(f"Invalid AmazonOrderId: {amazon_order_id}")
        size = self.items_page_size
        # An order's items never change their set or order, so a position is a stable key.
        page = order.items[start:start + size]
        token = None
        if start + size < len(order.items):
            token = self.tokens.encode("ListOrderItems", {"seller": call.account.seller_id,
                                                          "order": amazon_order_id, "start": start + size})

        def fill(b, result):
            b.text(result, "NextToken", token)
            b.text(result, "AmazonOrderId", amazon_order_id)
            items = b.child(result, "OrderItems")
            for item in page:
                add_order_item(b, items, order, item)
        return call.respond(fill)


# -- ListOrders' query and its rules ------------------------------------------------------

def read_list_orders_query(call):
    """The validated query as plain data: it travels inside NextTokens."""
    p = call.params
    check_search_parameters(p)
    by, after, before = read_window(p, call.now_ms)
    statuses = call.list("OrderStatus", allowed=ORDER_STATUSES)
    if ("Unshipped" in statuses) != ("PartiallyShipped" in statuses):
        raise invalid("OrderStatus Unshipped and PartiallyShipped must be used together in this version "
                      "of the Orders API section; using one and not the other is an error")
    return {
        "seller": call.account.seller_id,
        "by": by,
        "after": after,
        "before": before,
        "markets": call.marketplace_ids("MarketplaceId"),
        "statuses": statuses or None,
        "channels": call.list("FulfillmentChannel", allowed=FULFILLMENT_CHANNELS) or None,
        "payments": call.list("PaymentMethod", allowed=PAYMENT_METHODS) or None,
        "easyShip": call.list("EasyShipShipmentStatus", allowed=EASY_SHIP_STATUSES) or None,
        "buyerEmail": p.get("BuyerEmail"),
        "sellerOrderId": p.get("SellerOrderId"),
        "size": p.integer("MaxResultsPerPage", low=1, high=100, default=100),
    }


def check_search_parameters(p):
    """Exactly one of CreatedAfter/LastUpdatedAfter; BuyerEmail and SellerOrderId exclude other filters."""
    if "CreatedAfter" not in p and "LastUpdatedAfter" not in p:
        raise invalid("CreatedAfter or LastUpdatedAfter must be specified")
    if "CreatedAfter" in p and "LastUpdatedAfter" in p:
        raise invalid("CreatedAfter and LastUpdatedAfter cannot both be specified")
    for name in ("BuyerEmail", "SellerOrderId"):
        if name in p:
            partner = "SellerOrderId" if name == "BuyerEmail" else "BuyerEmail"
            for excluded in (*EXCLUDED_BY_BUYER_SEARCH, partner):
                if p.given(excluded):
                    raise invalid(f"{name} cannot be specified together with {excluded}")


def read_window(p, now):
    """("Created"|"LastUpdated", after, before) in ms; after inclusive, before exclusive."""
    by = "Created" if "CreatedAfter" in p else "LastUpdated"
    other = "LastUpdated" if by == "Created" else "Created"
    if f"{other}Before" in p:
        raise invalid(f"{other}Before cannot be specified together with {by}After")
    # The two-minute rule: no date later than two minutes before the request; *Before defaults to that.
    latest = now - TWO_MINUTES_MS
    after = p.datetime_ms(f"{by}After")
    before = p.datetime_ms(f"{by}Before")
    for name, value in ((f"{by}After", after), (f"{by}Before", before)):
        if value is not None and value > latest:
            raise invalid(f"{name} date [{p.get(name)}] must be no later than two minutes before the time "
                          f"the request was submitted [{format_ms(now)}]")
    if before is None:
        before = latest
    if before < after:
        raise invalid(f"{by}After date [{format_ms(after)}] cannot be after {by}Before date [{format_ms(before)}]")
    return by, after, before


def order_key(by):
    if by == "Created":
        return lambda o: (o.purchase_ms, o.amazon_order_id)
    return lambda o: (o.last_update_ms, o.amazon_order_id)


def order_filter(q):
    key = order_key(q["by"])
    markets = set(q["markets"])

    def matches(order):
        stamp = key(order)[0]
        return (q["after"] <= stamp < q["before"]
                and order.marketplace_id in markets
                and (q["statuses"] is None or order.status in q["statuses"])
                and (q["channels"] is None or order.fulfillment_channel in q["channels"])
                and (q["payments"] is None or order.payment_method in q["payments"])
                and (q["easyShip"] is None or order.easy_ship_status in q["easyShip"])
                and (q["buyerEmail"] is None
                     or (order.shows_buyer_email and order.buyer_email.lower() == q["buyerEmail"].lower()))
                and (q["sellerOrderId"] is None or order.seller_order_id == q["sellerOrderId"]))
    return matches


def check_order_id(amazon_order_id):
    if not AMAZON_ORDER_ID.fullmatch(amazon_order_id):
        raise invalid(f"Invalid AmazonOrderId [{amazon_order_id}]: expected the 3-7-7 digit form")


# -- GetServiceStatus ----------------------------------------------------------------------

def get_service_status(call):
    def fill(b, result):
        b.text(result, "Status", "GREEN")
        b.text(result, "Timestamp", format_ms(call.now_ms))
    return call.respond(fill)
