"""The sandbox's order data: immutable records, replaced whole on every change.

Immutability lets a request render a consistent snapshot without holding the
store lock while a ticker changes orders underneath it.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

# Statuses before Amazon has charged the buyer; see `Order.paid`.
PENDING_STATUSES = ("PendingAvailability", "Pending")
ORDER_STATUSES = ("PendingAvailability", "Pending", "Unshipped", "PartiallyShipped", "Shipped",
                  "Canceled", "Unfulfillable", "InvoiceUnconfirmed")
FULFILLMENT_CHANNELS = ("AFN", "MFN")
PAYMENT_METHODS = ("COD", "CVS", "Other")
EASY_SHIP_STATUSES = ("PendingPickUp", "LabelCanceled", "PickedUp", "OutForDelivery", "Damaged",
                      "Delivered", "RejectedByBuyer", "Undeliverable", "ReturnedToSeller",
                      "ReturningToSeller", "Lost")


@dataclass(frozen=True)
class Money:
    currency: str
    amount: Decimal

    def __add__(self, other):
        assert self.currency == other.currency
        return Money(self.currency, self.amount + other.amount)

    def __sub__(self, other):
        assert self.currency == other.currency
        return Money(self.currency, self.amount - other.amount)

    @property
    def text(self):
        return f"{self.amount:.2f}"


@dataclass(frozen=True)
class Address:
    name: str
    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    city: str | None = None
    municipality: str | None = None
    county: str | None = None
    district: str | None = None
    state_or_region: str | None = None
    postal_code: str | None = None
    country_code: str | None = None
    phone: str | None = None
    address_type: str | None = None


@dataclass(frozen=True)
class TaxInfo:
    company_legal_name: str
    taxing_region: str
    classifications: tuple = ()  # ((name, value), ...)


@dataclass(frozen=True)
class OrderItem:
    asin: str
    order_item_id: str  # 14 digits
    seller_sku: str
    title: str
    quantity_ordered: int
    quantity_shipped: int
    item_price: Money
    shipping_price: Money
    item_tax: Money
    shipping_tax: Money
    shipping_discount: Money
    promotion_discount: Money
    gift_wrap_price: Money | None = None
    gift_wrap_tax: Money | None = None
    gift_wrap_level: str | None = None
    gift_message: str | None = None
    is_gift: bool = False
    cod_fee: Money | None = None
    cod_fee_discount: Money | None = None
    points: tuple | None = None  # (points number, Money)
    promotion_ids: tuple = ()
    tax_collection: tuple | None = None  # (Model, ResponsibleParty)
    condition_id: str = "New"
    condition_subtype_id: str = "New"
    condition_note: str | None = None
    price_designation: str | None = None
    number_of_items: int = 1
    is_transparency: bool = False
    serial_number_required: bool = False


@dataclass(frozen=True)
class Order:
    amazon_order_id: str
    marketplace_id: str
    currency: str
    purchase_ms: int
    last_update_ms: int
    status: str
    fulfillment_channel: str
    sales_channel: str
    ship_service_level: str
    shipment_service_level_category: str
    shipping_address: Address
    buyer_email: str
    buyer_name: str
    items: tuple
    payment_method: str = "Other"
    payment_method_details: tuple = ("Standard",)
    payment_execution: tuple = ()  # ((Money, "COD"|"GC"|"PointsAccount"), ...), JP COD only
    tax_included: bool = False  # VAT markets: ItemPrice includes ItemTax
    seller_order_id: str | None = None
    order_channel: str | None = None
    ship_from_address: Address | None = None
    is_replacement: bool = False
    replaced_order_id: str | None = None
    buyer_county: str | None = None
    buyer_tax_info: TaxInfo | None = None
    easy_ship_status: str | None = None
    order_type: str = "StandardOrder"
    earliest_ship_ms: int | None = None
    latest_ship_ms: int | None = None
    earliest_delivery_ms: int | None = None
    latest_delivery_ms: int | None = None
    is_business: bool = False
    purchase_order_number: str | None = None
    is_prime: bool = False
    is_premium: bool = False
    # Set once the buyer was charged (the order left Pending); buyer and price data appear from then on.
    paid: bool = False
    acknowledged: bool = False  # for the Feeds section: an OrderAcknowledgement was received

    # -- what Amazon shows, by status (Orders_ListOrders) ------------------------------------
    @property
    def shows_buyer_identity(self):
        """BuyerEmail/BuyerName: once charged; pre-orders show them while still pending."""
        return self.paid or self.order_type == "Preorder"

    @property
    def shows_buyer_email(self):
        # BuyerEmail is never returned for Fulfillment-by-Amazon gift orders.
        gift = any(item.is_gift for item in self.items)
        return self.shows_buyer_identity and not (self.fulfillment_channel == "AFN" and gift)

    @property
    def shows_shipping_and_total(self):
        """ShippingAddress/OrderTotal, and the items' prices and taxes: only once charged."""
        return self.paid

    @property
    def order_total(self):
        total = Money(self.currency, Decimal(0))
        for item in self.items:
            total = total + item.item_price + item.shipping_price - item.shipping_discount - item.promotion_discount
            if item.gift_wrap_price:
                total = total + item.gift_wrap_price
            if not self.tax_included:
                total = total + item.item_tax + item.shipping_tax
            if item.cod_fee:
                total = total + item.cod_fee - item.cod_fee_discount
        return total

    @property
    def number_of_items_shipped(self):
        return sum(item.quantity_shipped for item in self.items)

    @property
    def number_of_items_unshipped(self):
        # Amazon's own Pending example reports 0 shipped and 0 unshipped (Orders_GetOrder).
        if self.status in ("Canceled", "Unfulfillable", *PENDING_STATUSES):
            return 0
        return sum(item.quantity_ordered - item.quantity_shipped for item in self.items)

    @property
    def units(self):
        return sum(item.quantity_ordered for item in self.items)


class OrderVersion(NamedTuple):
    """One state of an order a client could have seen: equal to a plain (id, date) tuple."""

    amazon_order_id: str
    last_update_date: str  # exactly as the XML carries it, e.g. 2024-03-01T10:00:00.123Z
