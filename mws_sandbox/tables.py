"""Amazon MWS as its documentation describes it: sections, operations, quotas, list parameters, marketplaces.

The sandbox's own table, written from Amazon's pages, not taken from the
component: a wrong figure in the client must meet a server that disagrees,
not one that echoes it. tests/sandbox/test_tables_agree.py compares the two.

Sources (Amazon MWS documentation, by page):
- sections, paths, versions: Orders API Overview (Orders_Overview), the Feeds
  API examples, Developer Guide "Required request parameters";
- response namespaces: Orders and Feeds response examples;
- quotas: each operation's page (Orders_ListOrders, Orders_GetOrder,
  Orders_ListOrderItems, Orders_GetServiceStatus, Feeds_SubmitFeed,
  Feeds_GetFeedSubmissionList, Feeds_GetFeedSubmissionListByNextToken,
  Feeds_GetFeedSubmissionCount, Feeds_CancelFeedSubmissions,
  Feeds_GetFeedSubmissionResult) and Developer Guide "Throttling" (only
  Products, Reports and Feeds have hourly quotas);
- list parameters (`Name.Member.N`): the request-parameter table of each
  operation's page;
- marketplaces: Developer Guide "Amazon MWS endpoints" (DG_Endpoints).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    name: str
    path: str  # where the section is served; the request's Version must be `version`
    version: str
    namespace: str  # of its responses and errors


ORDERS = Section("Orders", "/Orders/2013-09-01", "2013-09-01", "https://mws.amazonservices.com/Orders/2013-09-01")
FEEDS = Section("Feeds", "/Feeds/2009-01-01", "2009-01-01", "http://mws.amazonaws.com/doc/2009-01-01/")
SECTIONS = {s.name: s for s in (ORDERS, FEEDS)}

# Amazon's 404 for a path no section serves is in no section's namespace (a real one, recorded in ScaleLeap's
# amazon-mws-api-sdk).
ROOT_NAMESPACE = "https://mws.amazonservices.com/"


@dataclass(frozen=True)
class QuotaGroup:
    """Operations in one group share one bucket (e.g. ListOrders and ListOrdersByNextToken)."""

    name: str
    max_request: int  # the "maximum request quota": the bucket's size
    restore_seconds: float  # the "restore rate": one request back every this many seconds
    hourly: int | None = None  # the "hourly request quota" (Feeds); past it, QuotaExceeded


@dataclass(frozen=True)
class Operation:
    name: str
    section: Section
    quota: QuotaGroup
    lists: dict = field(default_factory=dict)  # list parameter -> member word: MarketplaceId -> MarketplaceId.Id.N
    max_list_items: dict = field(default_factory=dict)  # list parameter -> most values accepted


MINUTE = 60

# Orders_ListOrders, Orders_GetOrder, Orders_ListOrderItems, Orders_GetServiceStatus.
LIST_ORDERS = QuotaGroup("ListOrders", 6, 1 * MINUTE)
GET_ORDER = QuotaGroup("GetOrder", 6, 1 * MINUTE)
LIST_ORDER_ITEMS = QuotaGroup("ListOrderItems", 30, 2)
ORDERS_SERVICE_STATUS = QuotaGroup("Orders.GetServiceStatus", 2, 5 * MINUTE)

# Feeds_SubmitFeed, Feeds_GetFeedSubmissionList, ..., Feeds_GetFeedSubmissionResult.
SUBMIT_FEED = QuotaGroup("SubmitFeed", 15, 2 * MINUTE, hourly=30)
FEED_SUBMISSION_LIST = QuotaGroup("GetFeedSubmissionList", 10, 45, hourly=80)
FEED_SUBMISSION_LIST_NEXT = QuotaGroup("GetFeedSubmissionListByNextToken", 30, 2, hourly=1800)
FEED_SUBMISSION_COUNT = QuotaGroup("GetFeedSubmissionCount", 10, 45, hourly=80)
CANCEL_FEED_SUBMISSIONS = QuotaGroup("CancelFeedSubmissions", 10, 45, hourly=80)
FEED_SUBMISSION_RESULT = QuotaGroup("GetFeedSubmissionResult", 15, 1 * MINUTE, hourly=60)

OPERATIONS = {op.name: op for op in (
    Operation("ListOrders", ORDERS, LIST_ORDERS,
              {"MarketplaceId": "Id", "OrderStatus": "Status", "FulfillmentChannel": "Channel",
               "PaymentMethod": "Method", "EasyShipShipmentStatus": "Status"},
              {"MarketplaceId": 50}),
    Operation("ListOrdersByNextToken", ORDERS, LIST_ORDERS),
    Operation("GetOrder", ORDERS, GET_ORDER, {"AmazonOrderId": "Id"}, {"AmazonOrderId": 50}),
    Operation("ListOrderItems", ORDERS, LIST_ORDER_ITEMS),
    Operation("ListOrderItemsByNextToken", ORDERS, LIST_ORDER_ITEMS),
    Operation("GetServiceStatus", ORDERS, ORDERS_SERVICE_STATUS),

    Operation("SubmitFeed", FEEDS, SUBMIT_FEED, {"MarketplaceIdList": "Id"}),
    Operation("GetFeedSubmissionList", FEEDS, FEED_SUBMISSION_LIST,
              {"FeedSubmissionIdList": "Id", "FeedTypeList": "Type", "FeedProcessingStatusList": "Status"},
              {"FeedSubmissionIdList": 100}),
    Operation("GetFeedSubmissionListByNextToken", FEEDS, FEED_SUBMISSION_LIST_NEXT),
    Operation("GetFeedSubmissionCount", FEEDS, FEED_SUBMISSION_COUNT,
              {"FeedTypeList": "Type", "FeedProcessingStatusList": "Status"}),
    # The page gives no cap for CancelFeedSubmissions' id list; the sandbox applies GetFeedSubmissionList's.
    Operation("CancelFeedSubmissions", FEEDS, CANCEL_FEED_SUBMISSIONS,
              {"FeedSubmissionIdList": "Id", "FeedTypeList": "Type"}, {"FeedSubmissionIdList": 100}),
    Operation("GetFeedSubmissionResult", FEEDS, FEED_SUBMISSION_RESULT),
)}


@dataclass(frozen=True)
class Marketplace:
    country: str
    name: str
    region: str
    endpoint: str
    marketplace_id: str


# Developer Guide, Amazon MWS endpoints; India is listed under Europe there.
MARKETPLACES = (
    Marketplace("BR", "Brazil", "NA", "https://mws.amazonservices.com", "A2Q3Y263D00KWC"),
    Marketplace("CA", "Canada", "NA", "https://mws.amazonservices.ca", "A2EUQ1WTGCTBG2"),
    Marketplace("MX", "Mexico", "NA", "https://mws.amazonservices.com.mx", "A1AM78C64UM0Y8"),
    Marketplace("US", "United States", "NA", "https://mws.amazonservices.com", "ATVPDKIKX0DER"),
    Marketplace("AE", "United Arab Emirates", "EU", "https://mws.amazonservices.ae", "A2VIGQ35RCS4UG"),
    Marketplace("DE", "Germany", "EU", "https://mws-eu.amazonservices.com", "A1PA6795UKMFR9"),
    Marketplace("EG", "Egypt", "EU", "https://mws-eu.amazonservices.com", "ARBP9OOSHTCHU"),
    Marketplace("ES", "Spain", "EU", "https://mws-eu.amazonservices.com", "A1RKKUPIHCS9HS"),
    Marketplace("FR", "France", "EU", "https://mws-eu.amazonservices.com", "A13V1IB3VIYZZH"),
    Marketplace("BE", "Belgium", "EU", "https://mws-eu.amazonservices.com", "AMEN7PMS3EDWL"),
    Marketplace("GB", "United Kingdom", "EU", "https://mws-eu.amazonservices.com", "A1F83G8C2ARO7P"),
    Marketplace("IN", "India", "EU", "https://mws.amazonservices.in", "A21TJRUUN4KGV"),
    Marketplace("IT", "Italy", "EU", "https://mws-eu.amazonservices.com", "APJ6JRA9NG5V4"),
    Marketplace("NL", "Netherlands", "EU", "https://mws-eu.amazonservices.com", "A1805IZSGTT6HS"),
    Marketplace("PL", "Poland", "EU", "https://mws-eu.amazonservices.com", "A1C3SOZRARQ6R3"),
    Marketplace("SA", "Saudi Arabia", "EU", "https://mws-eu.amazonservices.com", "A17E79C6D8DWNP"),
    Marketplace("SE", "Sweden", "EU", "https://mws-eu.amazonservices.com", "A2NODRKZP88ZB9"),
    Marketplace("TR", "Turkey", "EU", "https://mws-eu.amazonservices.com", "A33AVAJ2PDY3EV"),
    Marketplace("SG", "Singapore", "FE", "https://mws-fe.amazonservices.com", "A19VAU5U5O7RUS"),
    Marketplace("AU", "Australia", "FE", "https://mws.amazonservices.com.au", "A39IBJ37TRP1C6"),
    Marketplace("JP", "Japan", "FE", "https://mws.amazonservices.jp", "A1VC38T7YXB528"),
    # China: in Amazon's older endpoint list and the official PHP client samples, gone from the later page.
    Marketplace("CN", "China", "CN", "https://mws.amazonservices.com.cn", "AAHKV2X7AFYLW"),
)

MARKETPLACE_BY_ID = {m.marketplace_id: m for m in MARKETPLACES}
MARKETPLACE_BY_COUNTRY = {m.country: m for m in MARKETPLACES}
