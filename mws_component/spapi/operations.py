"""Every SP-API operation the connector uses, as data.

One row per operation: its method and path template, its usage plan (the
default rate per second and burst each operation's description in Amazon's
models gives; SP-API: Usage Plans and Rate Limits), whether it is safe to send
again, its array parameters (Swagger 2 `csv`: comma-separated) with the most
values one call takes, the key of its answer that holds the result, its
pagination, and the out-schema its result is mapped into. The authoriser, the
quota model and the account read this table; adding an operation is adding a row.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import quote

_PATH_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class UsagePlan:
    key: str  # the bucket: one per operation (operations never share a plan in SP-API)
    rate: float  # requests restored per second
    burst: int

    @property
    def interval(self):
        """Seconds to restore one request."""
        return 1.0 / self.rate


@dataclass(frozen=True)
class Operation:
    name: str  # the model's operationId
    api: str  # the model, e.g. "orders_2026-01-01"
    method: str
    path: str  # template: /orders/2026-01-01/orders/{orderId}
    plan: UsagePlan
    # Safe to send again after an answer that never came: createFeed is not (the feed may have been taken).
    idempotent: bool = True
    # array parameter -> the most values one call takes (None: the model declares no maximum); callers chunk by it
    arrays: dict = field(default_factory=dict)
    # query parameter -> its allowed values (the model's enums), checked before anything is sent
    enums: dict = field(default_factory=dict)
    result_key: str | None = None  # the answer's key holding the result ("orders", "order"); None: the whole body
    # pagination: the query parameter carrying the token, the answer's path to the next token, and
    # whether the token goes alone (getFeeds) or with every other parameter repeated (searchOrders)
    page_token: str | None = None
    next_token_path: tuple = ()
    token_alone: bool = False
    out_schema: str | None = None  # schemas/<name> the mapped result follows
    content_type: str | None = None  # for operations with a JSON body (createFeed, putListingsItem)
    success: tuple = (200,)

    @property
    def quota(self):
        return self.plan

    @property
    def path_params(self):
        return tuple(_PATH_PARAM.findall(self.path))

    def url(self, base_url, **values):
        """base_url + the path with each {name} percent-encoded as one segment (a SKU may hold / or spaces)."""
        missing = [name for name in self.path_params if values.get(name) in (None, "")]
        if missing:
            raise ValueError(f"{self.name}: path parameter {missing[0]} is required")
        extra = set(values) - set(self.path_params)
        if extra:
            raise ValueError(f"{self.name}: {sorted(extra)[0]} is not a path parameter")
        path = _PATH_PARAM.sub(lambda m: quote(str(values[m.group(1)]), safe=""), self.path)
        return base_url.rstrip("/") + path

    def check_params(self, params):
        """The query parameters as the model allows them (arrays as lists within their maximum, enums known);
        ValueError names the parameter. Unset values are dropped."""
        out = {}
        for name, value in params.items():
            if value is None or (isinstance(value, (list, tuple)) and not value):
                continue
            if isinstance(value, (list, tuple)):
                if name not in self.arrays:
                    raise ValueError(f"{self.name}: {name} is not an array parameter")
                limit = self.arrays[name]
                if limit is not None and len(value) > limit:
                    raise ValueError(f"{self.name}: {name} takes at most {limit} values, got {len(value)}")
                value = [str(v) for v in value]
            allowed = self.enums.get(name)
            if allowed is not None:
                unknown = [v for v in (value if isinstance(value, list) else [value]) if v not in allowed]
                if unknown:
                    raise ValueError(f"{self.name}: {name} value {unknown[0]!r} is not one of {', '.join(allowed)}")
            out[name] = value
        return out


FULFILLMENT_STATUSES = ("PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED",
                        "CANCELLED", "UNFULFILLABLE")
INCLUDED_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT",
                 "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS")
FULFILLED_BY = ("MERCHANT", "AMAZON")

_ORDERS = "orders_2026-01-01"

OPERATIONS = {op.name: op for op in (
    # Orders API 2026-01-01 model: searchOrders (rate 0.0056/s, burst 20)
    Operation("searchOrders", _ORDERS, "GET", "/orders/2026-01-01/orders", UsagePlan("searchOrders", 0.0056, 20),
              arrays={"fulfillmentStatuses": None, "marketplaceIds": 50, "fulfilledBy": None, "includedData": None},
              enums={"fulfillmentStatuses": FULFILLMENT_STATUSES, "fulfilledBy": FULFILLED_BY,
                     "includedData": INCLUDED_DATA},
              result_key="orders", page_token="paginationToken", next_token_path=("pagination", "nextToken"),
              out_schema="order.json"),
    # Orders API 2026-01-01 model: getOrder (rate 0.5/s, burst 30); every item comes inside the order
    Operation("getOrder", _ORDERS, "GET", "/orders/2026-01-01/orders/{orderId}", UsagePlan("getOrder", 0.5, 30),
              arrays={"includedData": None}, enums={"includedData": INCLUDED_DATA},
              result_key="order", out_schema="order.json"),
)}


def operation(name):
    try:
        return OPERATIONS[name]
    except KeyError:
        raise ValueError(f"unknown SP-API operation {name!r}") from None


# -- Feeds, Listings Items and Product Type Definitions (added by the listings branch) -------------
# Plans: each operation's description in Amazon's models (SP-API: Usage Plans and Rate Limits).
_FEEDS = "feeds_2021-06-30"
_LISTINGS = "listingsItems_2021-08-01"
_DEFINITIONS = "definitionsProductTypes_2020-09-01"
FEED_PROCESSING_STATUSES = ("CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE")
LISTINGS_SUBMIT_DATA = ("identifiers", "issues")
LISTINGS_ITEM_DATA = ("summaries", "attributes", "issues", "offers", "fulfillmentAvailability", "procurement",
                      "relationships", "productTypes")
REQUIREMENTS = ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY")
# getDefinitionsProductType's locale (display names): the model's enumeration
DEFINITION_LOCALES = ("DEFAULT", "ar", "ar_AE", "de", "de_DE", "en", "en_AE", "en_AU", "en_CA", "en_GB", "en_IN",
                      "en_SG", "en_US", "es", "es_ES", "es_MX", "es_US", "fr", "fr_CA", "fr_FR", "it", "it_IT", "ja",
                      "ja_JP", "nl", "nl_NL", "pl", "pl_PL", "pt", "pt_BR", "pt_PT", "sv", "sv_SE", "tr", "tr_TR",
                      "zh", "zh_CN", "zh_TW")
_LISTINGS_ITEM = "/listings/2021-08-01/items/{sellerId}/{sku}"
_JSON = "application/json"

OPERATIONS.update({op.name: op for op in (
    # Feeds API 2021-06-30 model: createFeedDocument (0.5/s, burst 15) answers 201 {feedDocumentId, url};
    # sent again it only makes a second upload URL that is never used (it expires), so it is safe to repeat
    Operation("createFeedDocument", _FEEDS, "POST", "/feeds/2021-06-30/documents",
              UsagePlan("createFeedDocument", 0.5, 15), content_type=_JSON, success=(201,)),
    # createFeed (0.0083/s, burst 15): one feed every two minutes after the burst; a repeat makes a second feed
    Operation("createFeed", _FEEDS, "POST", "/feeds/2021-06-30/feeds", UsagePlan("createFeed", 0.0083, 15),
              idempotent=False, content_type=_JSON, success=(202,)),
    # getFeed (2/s, burst 15)
    Operation("getFeed", _FEEDS, "GET", "/feeds/2021-06-30/feeds/{feedId}", UsagePlan("getFeed", 2, 15)),
    # getFeeds (0.0222/s, burst 10): nextToken goes alone; feedTypes and marketplaceIds 1..10 values
    Operation("getFeeds", _FEEDS, "GET", "/feeds/2021-06-30/feeds", UsagePlan("getFeeds", 0.0222, 10),
              arrays={"feedTypes": 10, "marketplaceIds": 10, "processingStatuses": None},
              enums={"processingStatuses": FEED_PROCESSING_STATUSES},
              result_key="feeds", page_token="nextToken", next_token_path=("nextToken",), token_alone=True),
    # cancelFeed (2/s, burst 15): only IN_QUEUE feeds; 200 without a body
    Operation("cancelFeed", _FEEDS, "DELETE", "/feeds/2021-06-30/feeds/{feedId}", UsagePlan("cancelFeed", 2, 15)),
    # getFeedDocument (0.0222/s, burst 10): {feedDocumentId, url, compressionAlgorithm?}
    Operation("getFeedDocument", _FEEDS, "GET", "/feeds/2021-06-30/documents/{feedDocumentId}",
              UsagePlan("getFeedDocument", 0.0222, 10)),
    # Listings Items API 2021-08-01 model: putListingsItem (5/s, burst 10), marketplaceIds at most 1
    Operation("putListingsItem", _LISTINGS, "PUT", _LISTINGS_ITEM, UsagePlan("putListingsItem", 5, 10),
              arrays={"marketplaceIds": 1, "includedData": None}, enums={"includedData": LISTINGS_SUBMIT_DATA,
                                                                         "mode": ("VALIDATION_PREVIEW",)},
              content_type=_JSON),
    # patchListingsItem (5/s, burst 5): no maximum declared for marketplaceIds
    Operation("patchListingsItem", _LISTINGS, "PATCH", _LISTINGS_ITEM, UsagePlan("patchListingsItem", 5, 5),
              arrays={"marketplaceIds": None, "includedData": None}, enums={"includedData": LISTINGS_SUBMIT_DATA,
                                                                            "mode": ("VALIDATION_PREVIEW",)},
              content_type=_JSON),
    # deleteListingsItem (5/s, burst 5), marketplaceIds at most 1
    Operation("deleteListingsItem", _LISTINGS, "DELETE", _LISTINGS_ITEM, UsagePlan("deleteListingsItem", 5, 5),
              arrays={"marketplaceIds": 1}),
    # getListingsItem (5/s, burst 10)
    Operation("getListingsItem", _LISTINGS, "GET", _LISTINGS_ITEM, UsagePlan("getListingsItem", 5, 10),
              arrays={"marketplaceIds": None, "includedData": None}, enums={"includedData": LISTINGS_ITEM_DATA}),
    # Product Type Definitions API 2020-09-01 model: searchDefinitionsProductTypes (5/s, burst 10)
    Operation("searchDefinitionsProductTypes", _DEFINITIONS, "GET", "/definitions/2020-09-01/productTypes",
              UsagePlan("searchDefinitionsProductTypes", 5, 10), arrays={"keywords": None, "marketplaceIds": None},
              result_key="productTypes"),
    # getDefinitionsProductType (5/s, burst 10); the answer links the JSON Schema to download
    Operation("getDefinitionsProductType", _DEFINITIONS, "GET", "/definitions/2020-09-01/productTypes/{productType}",
              UsagePlan("getDefinitionsProductType", 5, 10), arrays={"marketplaceIds": None},
              enums={"requirements": REQUIREMENTS, "requirementsEnforced": ("ENFORCED", "NOT_ENFORCED"),
                     "parentageLevel": ("NONE", "CHILD", "PARENT"), "locale": DEFINITION_LOCALES}),
)})
