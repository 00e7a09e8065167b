"""The SP-API face's own tables, written from Amazon's documentation (never from the component).

Sources, by page name: "SP-API Endpoints" and "Marketplace IDs" (regions and
marketplaces), "Usage Plans and Rate Limits" and the usage-plan tables in the
Orders API 2026-01-01 model (searchOrders, getOrder), the Orders API
2026-01-01 model's enums (FulfillmentStatus, includedData, fulfilledBy), and
the Orders API migration guide for the v0/MWS spellings.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Marketplace:
    marketplace_id: str
    country: str  # as Amazon's "Marketplace IDs" page writes it (UK, not GB)
    region: str  # NA, EU or FE


REGIONS = ("NA", "EU", "FE")
# The region's lower-case name as Amazon's hosts spell it (sellingpartnerapi-eu.amazon.com); the
# sandbox serves every region on one port and takes it from a path prefix (/eu/orders/...) or the Host.
REGION_PREFIXES = {"na": "NA", "eu": "EU", "fe": "FE"}

MARKETPLACES = {m.marketplace_id: m for m in (
    Marketplace("A2EUQ1WTGCTBG2", "CA", "NA"), Marketplace("ATVPDKIKX0DER", "US", "NA"),
    Marketplace("A1AM78C64UM0Y8", "MX", "NA"), Marketplace("A2Q3Y263D00KWC", "BR", "NA"),
    Marketplace("A28R8C7NBKEWEA", "IE", "EU"), Marketplace("A1RKKUPIHCS9HS", "ES", "EU"),
    Marketplace("A1F83G8C2ARO7P", "UK", "EU"), Marketplace("A13V1IB3VIYZZH", "FR", "EU"),
    Marketplace("AMEN7PMS3EDWL", "BE", "EU"), Marketplace("A1805IZSGTT6HS", "NL", "EU"),
    Marketplace("A1PA6795UKMFR9", "DE", "EU"), Marketplace("APJ6JRA9NG5V4", "IT", "EU"),
    Marketplace("A2NODRKZP88ZB9", "SE", "EU"), Marketplace("AE08WJ6YKNBMC", "ZA", "EU"),
    Marketplace("A1C3SOZRARQ6R3", "PL", "EU"), Marketplace("ARBP9OOSHTCHU", "EG", "EU"),
    Marketplace("A33AVAJ2PDY3EV", "TR", "EU"), Marketplace("A17E79C6D8DWNP", "SA", "EU"),
    Marketplace("A2VIGQ35RCS4UG", "AE", "EU"), Marketplace("A21TJRUUN4KGV", "IN", "EU"),
    Marketplace("A19VAU5U5O7RUS", "SG", "FE"), Marketplace("A39IBJ37TRP1C6", "AU", "FE"),
    Marketplace("A1VC38T7YXB528", "JP", "FE"),
)}

# The marketplace the credentials name for a region other than the sandbox marketplace's: one where
# the sandbox's seller has orders.
REGION_MARKETPLACE = {"NA": "ATVPDKIKX0DER", "EU": "A1PA6795UKMFR9", "FE": "A1VC38T7YXB528"}


@dataclass(frozen=True)
class UsagePlan:
    rate: float  # requests restored per second
    burst: int  # bucket size

    @property
    def header(self):
        """x-amzn-RateLimit-Limit: the rate in requests per second, as a string."""
        return f"{self.rate:g}"


# Orders API 2026-01-01 model, each operation's "Usage Plan" table. The LWA token endpoint is
# Login with Amazon, not SP-API: no usage plan is published for it, so it is not limited here.
USAGE_PLANS = {
    "searchOrders": UsagePlan(0.0056, 20),
    "getOrder": UsagePlan(0.5, 30),
}

# MWS/v0 OrderStatus -> 2026-01-01 FulfillmentStatus (Orders API migration guide). InvoiceUnconfirmed has
# no 2026 value; v0 describes it as shipped with the invoice not yet confirmed, so it reads SHIPPED.
FULFILLMENT_STATUS = {
    "PendingAvailability": "PENDING_AVAILABILITY", "Pending": "PENDING", "Unshipped": "UNSHIPPED",
    "PartiallyShipped": "PARTIALLY_SHIPPED", "Shipped": "SHIPPED", "Canceled": "CANCELLED",
    "Unfulfillable": "UNFULFILLABLE", "InvoiceUnconfirmed": "SHIPPED",
}
FULFILLMENT_STATUSES = ("PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED",
                        "CANCELLED", "UNFULFILLABLE")
FULFILLED_BY = {"AFN": "AMAZON", "MFN": "MERCHANT"}
INCLUDED_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT",
                 "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS")
# ShipmentServiceLevelCategory -> fulfillmentServiceLevel (upper snake case).
SERVICE_LEVELS = {"Standard": "STANDARD", "Expedited": "EXPEDITED", "FreeEconomy": "FREE_ECONOMY",
                  "SecondDay": "SECOND_DAY", "NextDay": "NEXT_DAY", "SameDay": "SAME_DAY",
                  "Priority": "PRIORITY", "Scheduled": "SCHEDULED"}
# ConditionId / ConditionSubtypeId -> conditionType / conditionSubtype (spaces dropped, upper case).
CONDITIONS = {"New": "NEW", "Used": "USED", "Collectible": "COLLECTIBLE", "Refurbished": "REFURBISHED",
              "Preorder": "PREORDER", "Club": "CLUB", "Mint": "MINT", "Very Good": "VERY_GOOD", "Good": "GOOD",
              "Acceptable": "ACCEPTABLE", "Poor": "POOR", "OEM": "OEM", "Warranty": "WARRANTY",
              "Refurbished Warranty": "REFURBISHED_WARRANTY", "Open Box": "OPEN_BOX", "Any": "ANY",
              "Other": "OTHER"}
# v0 PaymentExecutionDetail methods -> paymentMethod (the model's examples name CashOnDelivery; the other
# two spellings are the sandbox's).
PAYMENT_METHODS = {"COD": "CashOnDelivery", "GC": "GiftCard", "PointsAccount": "PointsAccount"}

# The two-minute rule on createdBefore and lastUpdatedBefore (Orders API 2026-01-01 model: searchOrders).
BEFORE_MARGIN_MS = 2 * 60 * 1000
MAX_MARKETPLACE_IDS = 50
MAX_RESULTS_PER_PAGE = 100
PAGINATION_TOKEN_LIFETIME_MS = 24 * 3600 * 1000  # "expires after 24 hours"
ACCESS_TOKEN_LIFETIME = 3600  # seconds (SP-API: Connect to the SP-API)
