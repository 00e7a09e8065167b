"""Every SP-API operation the face serves, as rows, with its usage plan.

Usage plans: each operation's "Usage Plan" table in its model (Feeds API 2021-06-30, Listings Items API
2021-08-01, Product Type Definitions API 2020-09-01), as "Usage Plans and Rate Limits" describes them;
the Orders API's are in tables.py.
"""

from . import feeds, listings
from . import product_type_definitions as product_types
from .orders import OPERATIONS as ORDERS_OPERATIONS, Operation
from .tables import USAGE_PLANS as ORDERS_USAGE_PLANS, UsagePlan

FEEDS = "/feeds/2021-06-30"
LISTINGS = "/listings/2021-08-01/items/{sellerId}/{sku}"
DEFINITIONS = "/definitions/2020-09-01/productTypes"
WRITE_PARAMETERS = ("marketplaceIds", "includedData", "mode", "issueLocale")

OPERATIONS = ORDERS_OPERATIONS + (
    Operation("createFeedDocument", "POST", f"{FEEDS}/documents", (), feeds.create_feed_document),
    Operation("getFeedDocument", "GET", f"{FEEDS}/documents/{{feedDocumentId}}", ("enableContentEncodingUrlHeader",),
              feeds.get_feed_document),
    Operation("createFeed", "POST", f"{FEEDS}/feeds", (), feeds.create_feed),
    Operation("getFeeds", "GET", f"{FEEDS}/feeds", ("feedTypes", "marketplaceIds", "pageSize", "processingStatuses",
                                                    "createdSince", "createdUntil", "nextToken"), feeds.get_feeds),
    Operation("getFeed", "GET", f"{FEEDS}/feeds/{{feedId}}", (), feeds.get_feed),
    Operation("cancelFeed", "DELETE", f"{FEEDS}/feeds/{{feedId}}", (), feeds.cancel_feed),
    Operation("putListingsItem", "PUT", LISTINGS, WRITE_PARAMETERS, listings.put_listings_item),
    Operation("patchListingsItem", "PATCH", LISTINGS, WRITE_PARAMETERS, listings.patch_listings_item),
    Operation("deleteListingsItem", "DELETE", LISTINGS, ("marketplaceIds", "issueLocale"),
              listings.delete_listings_item),
    Operation("getListingsItem", "GET", LISTINGS, ("marketplaceIds", "issueLocale", "includedData"),
              listings.get_listings_item),
    Operation("searchDefinitionsProductTypes", "GET", DEFINITIONS,
              ("keywords", "marketplaceIds", "itemName", "locale", "searchLocale"),
              product_types.search_definitions_product_types),
    Operation("getDefinitionsProductType", "GET", f"{DEFINITIONS}/{{productType}}",
              ("sellerId", "marketplaceIds", "productTypeVersion", "requirements", "requirementsEnforced", "locale",
               "parentageLevel"), product_types.get_definitions_product_type),
)

USAGE_PLANS = {
    **ORDERS_USAGE_PLANS,
    "createFeedDocument": UsagePlan(0.5, 15),
    "createFeed": UsagePlan(0.0083, 15),
    "getFeed": UsagePlan(2, 15),
    "cancelFeed": UsagePlan(2, 15),
    "getFeeds": UsagePlan(0.0222, 10),
    "getFeedDocument": UsagePlan(0.0222, 10),
    "putListingsItem": UsagePlan(5, 10),
    "patchListingsItem": UsagePlan(5, 5),
    "deleteListingsItem": UsagePlan(5, 5),
    "getListingsItem": UsagePlan(5, 10),
    "searchDefinitionsProductTypes": UsagePlan(5, 10),
    "getDefinitionsProductType": UsagePlan(5, 10),
}

# First path segments that are SP-API's (MWS paths are capitalised: /Orders/2013-09-01).
ROOTS = tuple(sorted({op.template.lstrip("/").split("/", 1)[0] for op in OPERATIONS}))
