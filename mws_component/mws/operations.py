"""Every MWS operation the connector uses, as data.

One row per operation: its API section, its quota group, for list parameters
how Amazon spells their members and how many values one call takes, the
operation that continues its listing, and what its result holds (`out`: the
element and the JSON schema it is mapped with). The client, the quota model and
the account read this table; adding an operation is adding a row.

Quotas are Amazon's published figures (Orders API reference: the Throttling
section of each operation's page, e.g. "ListOrders"; Feeds API reference:
"SubmitFeed", "GetFeedSubmissionList", ... with their hourly request quotas).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    name: str
    path: str
    version: str
    namespace: str
    seller_param: str  # Feeds clients send the legacy `Merchant`; Orders sends `SellerId`
    has_next: bool  # Feeds paginates with HasNext + NextToken, Orders with NextToken alone


ORDERS = Section("Orders", "/Orders/2013-09-01", "2013-09-01",
                 "https://mws.amazonservices.com/Orders/2013-09-01", "SellerId", has_next=False)
FEEDS = Section("Feeds", "/Feeds/2009-01-01", "2009-01-01",
                "http://mws.amazonaws.com/doc/2009-01-01/", "Merchant", has_next=True)
SECTIONS = {s.name: s for s in (ORDERS, FEEDS)}


@dataclass(frozen=True)
class QuotaGroup:
    name: str
    max_request: int  # burst size
    restore_seconds: float  # one request restored every this many seconds
    hourly: int | None = None  # Feeds also cap requests per hour (QuotaExceeded)


@dataclass(frozen=True)
class Out:
    """What an operation's result holds: `element`s (inside `wrapper` when given) mapped with
    `schema`; without `element`, the result element itself is mapped."""
    schema: str
    element: str | None = None
    wrapper: str | None = None


@dataclass(frozen=True)
class Operation:
    name: str
    section: Section
    quota: QuotaGroup
    # list parameter name -> member word: MarketplaceId=[a, b] -> MarketplaceId.Id.1=a&MarketplaceId.Id.2=b
    lists: dict = field(default_factory=dict)
    next_token_operation: str | None = None
    # Safe to send again after an unreadable answer. SubmitFeed is not: the feed may have been accepted.
    idempotent: bool = True
    max_list_items: dict = field(default_factory=dict)
    out: Out | None = None

    @property
    def result_element(self):
        return f"{self.name}Result"

    def limit(self, list_name):
        """How many values the list parameter takes in one call (None: no documented limit)."""
        return self.max_list_items.get(list_name)


_LIST_ORDERS = QuotaGroup("ListOrders", 6, 60)
_GET_ORDER = QuotaGroup("GetOrder", 6, 60)
_LIST_ORDER_ITEMS = QuotaGroup("ListOrderItems", 30, 2)
_ORDERS_STATUS = QuotaGroup("Orders.GetServiceStatus", 2, 300)

_SUBMIT_FEED = QuotaGroup("SubmitFeed", 15, 120, hourly=30)
_FEED_LIST = QuotaGroup("GetFeedSubmissionList", 10, 45, hourly=80)
_FEED_LIST_NEXT = QuotaGroup("GetFeedSubmissionListByNextToken", 30, 2, hourly=1800)
_FEED_COUNT = QuotaGroup("GetFeedSubmissionCount", 10, 45, hourly=80)
_FEED_CANCEL = QuotaGroup("CancelFeedSubmissions", 10, 45, hourly=80)
_FEED_RESULT = QuotaGroup("GetFeedSubmissionResult", 15, 60, hourly=60)

_ORDER_LISTS = {"MarketplaceId": "Id", "OrderStatus": "Status", "FulfillmentChannel": "Channel",
                "PaymentMethod": "Method", "EasyShipShipmentStatus": "Status"}
# Each Feeds operation takes the lists its own page documents (Feeds API Reference: SubmitFeed,
# GetFeedSubmissionList, GetFeedSubmissionCount, CancelFeedSubmissions).
_ID, _TYPE, _STATUS = {"FeedSubmissionIdList": "Id"}, {"FeedTypeList": "Type"}, {"FeedProcessingStatusList": "Status"}

_ORDERS_OUT = Out("order.json", "Order", "Orders")
_ITEMS_OUT = Out("orderItem.json", "OrderItem", "OrderItems")
_SUBMISSIONS_OUT = Out("feedSubmissionInfo.json", "FeedSubmissionInfo")

OPERATIONS = {op.name: op for op in (
    Operation("ListOrders", ORDERS, _LIST_ORDERS, _ORDER_LISTS, "ListOrdersByNextToken",
              max_list_items={"MarketplaceId": 50}, out=_ORDERS_OUT),
    Operation("ListOrdersByNextToken", ORDERS, _LIST_ORDERS, {}, "ListOrdersByNextToken", out=_ORDERS_OUT),
    Operation("GetOrder", ORDERS, _GET_ORDER, {"AmazonOrderId": "Id"},
              max_list_items={"AmazonOrderId": 50}, out=_ORDERS_OUT),
    Operation("ListOrderItems", ORDERS, _LIST_ORDER_ITEMS, {}, "ListOrderItemsByNextToken", out=_ITEMS_OUT),
    Operation("ListOrderItemsByNextToken", ORDERS, _LIST_ORDER_ITEMS, {}, "ListOrderItemsByNextToken",
              out=_ITEMS_OUT),
    Operation("GetServiceStatus", ORDERS, _ORDERS_STATUS, out=Out("serviceStatus.json")),

    Operation("SubmitFeed", FEEDS, _SUBMIT_FEED, {"MarketplaceIdList": "Id"}, idempotent=False, out=_SUBMISSIONS_OUT),
    Operation("GetFeedSubmissionList", FEEDS, _FEED_LIST, _ID | _TYPE | _STATUS, "GetFeedSubmissionListByNextToken",
              max_list_items={"FeedSubmissionIdList": 100}, out=_SUBMISSIONS_OUT),
    Operation("GetFeedSubmissionListByNextToken", FEEDS, _FEED_LIST_NEXT, {}, "GetFeedSubmissionListByNextToken",
              out=_SUBMISSIONS_OUT),
    Operation("GetFeedSubmissionCount", FEEDS, _FEED_COUNT, _TYPE | _STATUS),
    Operation("CancelFeedSubmissions", FEEDS, _FEED_CANCEL, _ID | _TYPE, out=_SUBMISSIONS_OUT),
    Operation("GetFeedSubmissionResult", FEEDS, _FEED_RESULT),  # the body is the report itself (mws/feeds.py)
)}


def operation(name):
    try:
        return OPERATIONS[name]
    except KeyError:
        raise ValueError(f"unknown MWS operation {name!r}") from None


def flatten_params(op, params):
    """Spell list parameters Amazon's way and drop unset ones; values stay unencoded."""
    flat = {}
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            member = op.lists.get(name)
            if member is None:
                raise ValueError(f"{op.name} has no list parameter {name!r}")
            limit = op.limit(name)
            if limit is not None and len(value) > limit:
                raise ValueError(f"{op.name}: {name} takes at most {limit} values, got {len(value)}")
            for i, item in enumerate(value, 1):
                flat[f"{name}.{member}.{i}"] = str(item)
        elif isinstance(value, bool):
            flat[name] = "true" if value else "false"
        else:
            flat[name] = str(value)
    return flat
