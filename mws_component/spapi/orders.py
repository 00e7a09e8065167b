"""Orders API 2026-01-01 orders and items, mapped into the connector's out-schemas.

schemas/order.json and schemas/orderItem.json keep the MWS names (a flow built
on MWS keeps working); each property is filled from its 2026-01-01
counterpart (SP-API: Orders API migration guide; Orders API 2026-01-01 model:
Order, OrderItem). A property with no counterpart stays absent: it is never
invented (NO_COUNTERPART lists them, with the reason). Empty strings, which
Amazon's examples send for "nothing", count as absent.

The mapping is data: (out property, 2026-01-01 path, conversion) rows. A path
reads as in Amazon's migration guide: `fulfillment.shipByWindow.earliestDateTime`;
`orderAliases[aliasType=SELLER_ORDER_ID].aliasId` takes the first element with
that value; `promotion.breakdowns[].promotionId` collects from every element.
"""

import logging
import re
from decimal import Decimal, InvalidOperation

from ..errors import ConfigurationError, shown

log = logging.getLogger("mws_component.spapi.orders")

# Orders API 2026-01-01 FulfillmentStatus -> the MWS / Orders v0 OrderStatus.
STATUS_TO_MWS = {
    "PENDING_AVAILABILITY": "PendingAvailability",
    "PENDING": "Pending",
    "UNSHIPPED": "Unshipped",
    "PARTIALLY_SHIPPED": "PartiallyShipped",
    "SHIPPED": "Shipped",
    "CANCELLED": "Canceled",
    "UNFULFILLABLE": "Unfulfillable",
}
MWS_TO_STATUS = {mws: status for status, mws in STATUS_TO_MWS.items()}
FULFILLED_BY_TO_CHANNEL = {"AMAZON": "AFN", "MERCHANT": "MFN"}
ADDRESS_TYPES = {"RESIDENTIAL": "Residential", "COMMERCIAL": "Commercial"}  # PICKUP_POINT: isAccessPointOrder
CONDITION_TYPES = {"NEW": "New", "USED": "Used", "COLLECTIBLE": "Collectible", "REFURBISHED": "Refurbished",
                   "PREORDER": "Preorder", "CLUB": "Club"}
CONDITION_SUBTYPES = {"NEW": "New", "MINT": "Mint", "VERY_GOOD": "Very Good", "GOOD": "Good",
                      "ACCEPTABLE": "Acceptable", "POOR": "Poor", "CLUB": "Club", "OEM": "OEM",
                      "WARRANTY": "Warranty", "REFURBISHED_WARRANTY": "Refurbished Warranty",
                      "REFURBISHED": "Refurbished", "OPEN_BOX": "Open Box", "ANY": "Any", "OTHER": "Other"}

# The sections searchOrders / getOrder must be asked for so that every mapped field can come
# (Orders API 2026-01-01 model: includedData). PACKAGES and FULFILLMENT_ORDERS feed no mapped field.
ORDER_INCLUDED_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT",
                       "TAX", "PAYMENT")
ITEM_INCLUDED_DATA = ("PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT", "TAX")

# Properties of the out-schemas that no Orders API 2026-01-01 field fills (for the README).
NO_COUNTERPART = {
    "order.json": {
        "orderChannel": "no counterpart in Orders 2026-01-01",
        "shipServiceLevel": "no counterpart (free text such as 'Std US D2D Dom'); "
                            "shipmentServiceLevelCategory is filled",
        "defaultShipFromLocationAddress": "no counterpart (packages[].shipFromAddress is per package)",
        "paymentMethod": "no counterpart (payment.paymentExecutions[].paymentMethod is per payment)",
        "paymentMethodDetails": "no counterpart",
        "buyerCounty": "no counterpart",
        "buyerTaxInfo.taxingRegion": "no counterpart",
        "easyShipShipmentStatus": "only an uncertain one (packages[].packageStatus.detailedStatus, per package)",
        "isSoldByAB": "no counterpart",
        "isGlobalExpressEnabled": "no counterpart",
        "promiseResponseDueDate": "no counterpart",
        "isEstimatedShipDateSet": "no counterpart",
        "automatedShippingSettings": "no counterpart",
        "shippedByAmazonTFM": "no counterpart",
        "tfmShipmentStatus": "no counterpart",
        "cbaDisplayableShippingLabel": "no counterpart",
        "shippingAddress.county": "merged with district into districtOrCounty (filled instead)",
        "shippingAddress.district": "merged with county into districtOrCounty (filled instead)",
        "shippingAddress.isAddressSharingConfidential": "no counterpart",
    },
    "orderItem.json": {
        "productInfo": "no counterpart (ProductInfo.NumberOfItems)",
        "invoiceData": "no counterpart",
        "promotionDiscountTax": "one value for promotion and shipping discount tax (filled as discountTax)",
        "shippingDiscountTax": "one value for promotion and shipping discount tax (filled as discountTax)",
    },
}

# Properties filled for some of their values only.
NO_COUNTERPART_VALUES = {
    "order.json": {
        "orderStatus": "InvoiceUnconfirmed has none (every other status maps)",
        "orderType": "only Preorder (programs PREORDER); StandardOrder and the other values have none",
    },
    "orderItem.json": {},
}

# Optional properties added to the out-schemas for values only SP-API has.
ADDED_PROPERTIES = {
    "order.json": ("buyerCompanyName", "shippingAddress.companyName", "shippingAddress.districtOrCounty"),
    "orderItem.json": ("unitPrice", "discountTax"),
}


# -- conversions ----------------------------------------------------------------

def _text(value):
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        return None
    text = str(value).strip() if value is not None else ""
    return text or None


def _integer(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _money(value):
    """{currencyCode, amount} with the amount as the decimal string Amazon sent (a number is written exactly)."""
    if not isinstance(value, dict):
        return None
    amount, currency = value.get("amount"), _text(value.get("currencyCode"))
    if isinstance(amount, bool) or amount in (None, ""):
        return None
    if isinstance(amount, (int, float)):
        try:
            amount = format(Decimal(str(amount)), "f")
        except InvalidOperation:
            return None
    money = {"amount": str(amount).strip()}
    if currency:
        money = {"currencyCode": currency} | money
    return money


def _enum(table, what):
    def convert(value):
        text = _text(value)
        if text is None:
            return None
        if text not in table:
            log.warning("%s %r has no MWS counterpart known to the connector; kept as sent", what, text[:60])
            return text
        return table[text]
    return convert


def _camel(value):
    """FREE_ECONOMY -> FreeEconomy, BUSINESS_PRICE -> BusinessPrice (the v0 spelling)."""
    text = _text(value)
    return "".join(part.capitalize() for part in text.split("_")) if text else None


def _has(program):
    return lambda programs: program in programs if isinstance(programs, list) else None


def _each_text(values):
    out = [t for t in (_text(v) for v in values)] if isinstance(values, list) else []
    return [t for t in out if t] or None


# -- paths ----------------------------------------------------------------------

_STEP = re.compile(r"^(\w+)(?:\[(?:(\w+)=(\w+))?\])?$")
_ABSENT = object()
_compiled = {}


def _steps(path):
    steps = _compiled.get(path)
    if steps is None:
        steps = []
        for part in path.split("."):
            m = _STEP.match(part)
            if not m:
                raise ValueError(f"bad mapping path {path!r}")
            name, key, value = m.groups()
            each = part.endswith("[]")
            steps.append((name, key, value, each))
        _compiled[path] = steps
    return steps


def at(node, path):
    """The value at `path` in `node`, or _ABSENT."""
    return _walk(node, _steps(path))


def _walk(node, steps):
    for i, (name, key, value, each) in enumerate(steps):
        if not isinstance(node, dict) or node.get(name) in (None, ""):
            return _ABSENT
        node = node[name]
        if key is not None:
            if not isinstance(node, list):
                return _ABSENT
            node = next((e for e in node if isinstance(e, dict) and e.get(key) == value), _ABSENT)
            if node is _ABSENT:
                return _ABSENT
        elif each:
            if not isinstance(node, list):
                return _ABSENT
            found = [v for v in (_walk(e, steps[i + 1:]) for e in node) if v is not _ABSENT]
            return found or _ABSENT
    return node


def _apply(rows, source):
    out = {}
    for key, path, convert in rows:
        value = at(source, path)
        if value is _ABSENT:
            continue
        value = convert(value)
        if value is not None and value != {} and value != []:
            out[key] = value
    return out


# -- the rows -------------------------------------------------------------------

ADDRESS_ROWS = (
    ("name", "name", _text),
    ("companyName", "companyName", _text),  # added to order.json's address
    ("addressLine1", "addressLine1", _text),
    ("addressLine2", "addressLine2", _text),
    ("addressLine3", "addressLine3", _text),
    ("city", "city", _text),
    ("municipality", "municipality", _text),
    ("districtOrCounty", "districtOrCounty", _text),  # added: MWS's County and District, merged
    ("stateOrRegion", "stateOrRegion", _text),
    ("postalCode", "postalCode", _text),
    ("countryCode", "countryCode", _text),
    ("phone", "phone", _text),
    ("addressType", "addressType", lambda v: ADDRESS_TYPES.get(v)),
)


def _address(value):
    return _apply(ADDRESS_ROWS, value) if isinstance(value, dict) else None


def _payments(executions):
    if not isinstance(executions, list):
        return None
    out = []
    for execution in executions:
        if isinstance(execution, dict):
            entry = _apply((("payment", "paymentAmount", _money), ("paymentMethod", "paymentMethod", _text)),
                           execution)
            if entry:
                out.append(entry)
    return out or None


def _buyer_tax_info(registration):
    """tax.taxRegistrations[entityType=BUYER] as MWS's BuyerTaxInfo (classifications: the registration's
    type and number, then its attributes such as TAX_OFFICE, as Amazon spells them)."""
    if not isinstance(registration, dict):
        return None
    info = {}
    legal_name = _text(registration.get("legalName"))
    if legal_name:
        info["companyLegalName"] = legal_name
    classes = []
    kind, number = _text(registration.get("taxRegistrationType")), _text(registration.get("taxRegistrationNumber"))
    if kind and number:
        classes.append({"name": kind, "value": number})
    for attribute in registration.get("taxRegistrationAttributes") or ():
        if isinstance(attribute, dict) and _text(attribute.get("key")) and _text(attribute.get("value")):
            classes.append({"name": _text(attribute["key"]), "value": _text(attribute["value"])})
    if classes:
        info["taxClassifications"] = classes
    return info or None


def _replacement(associated):
    return any(isinstance(a, dict) and a.get("associationType") == "REPLACEMENT_ORIGINAL_ID"
               for a in associated) if isinstance(associated, list) else None


def _access_point(address_type):
    text = _text(address_type)
    if text == "PICKUP_POINT":
        return True
    return False if text in ADDRESS_TYPES else None


def _sales_channel(channel):
    """marketplaceName (Amazon.com, ...); an order of another channel (channelName NON_AMAZON) carries
    none, and is MWS's "Non-Amazon"."""
    if not isinstance(channel, dict):
        return None
    name = _text(channel.get("marketplaceName"))
    return name or ("Non-Amazon" if channel.get("channelName") == "NON_AMAZON" else None)


ORDER_ROWS = (
    ("amazonOrderId", "orderId", _text),
    ("sellerOrderId", "orderAliases[aliasType=SELLER_ORDER_ID].aliasId", _text),
    ("purchaseDate", "createdTime", _text),
    ("lastUpdateDate", "lastUpdatedTime", _text),
    ("orderStatus", "fulfillment.fulfillmentStatus", _enum(STATUS_TO_MWS, "fulfillmentStatus")),
    ("fulfillmentChannel", "fulfillment.fulfilledBy", _enum(FULFILLED_BY_TO_CHANNEL, "fulfilledBy")),
    ("salesChannel", "salesChannel", _sales_channel),
    ("marketplaceId", "salesChannel.marketplaceId", _text),
    ("shippingAddress", "recipient.deliveryAddress", _address),
    ("orderTotal", "proceeds.grandTotal", _money),
    ("paymentExecutionDetail", "payment.paymentExecutions", _payments),
    ("isReplacementOrder", "associatedOrders", _replacement),
    ("replacedOrderId", "associatedOrders[associationType=REPLACEMENT_ORIGINAL_ID].orderId", _text),
    ("buyerEmail", "buyer.buyerEmail", _text),
    ("buyerName", "buyer.buyerName", _text),
    ("buyerCompanyName", "buyer.buyerCompanyName", _text),  # added to order.json
    ("purchaseOrderNumber", "buyer.buyerPurchaseOrderNumber", _text),
    ("buyerTaxInfo", "tax.taxRegistrations[entityType=BUYER]", _buyer_tax_info),
    ("shipmentServiceLevelCategory", "fulfillment.fulfillmentServiceLevel", _camel),
    ("orderType", "programs", lambda p: "Preorder" if isinstance(p, list) and "PREORDER" in p else None),
    ("earliestShipDate", "fulfillment.shipByWindow.earliestDateTime", _text),
    ("latestShipDate", "fulfillment.shipByWindow.latestDateTime", _text),
    ("earliestDeliveryDate", "fulfillment.deliverByWindow.earliestDateTime", _text),
    ("latestDeliveryDate", "fulfillment.deliverByWindow.latestDateTime", _text),
    ("isBusinessOrder", "programs", _has("AMAZON_BUSINESS")),
    ("isIBA", "programs", _has("INVOICE_BY_AMAZON")),
    ("isAccessPointOrder", "recipient.deliveryAddress.addressType", _access_point),
    ("isPrime", "programs", _has("PRIME")),
    ("isPremiumOrder", "programs", _has("PREMIUM")),
)


def _breakdown(kind):
    return f"proceeds.breakdowns[type={kind}].subtotal"


def _detail(kind, subtype):
    return f"proceeds.breakdowns[type={kind}].detailedBreakdowns[subtype={subtype}].value"


def _points(value):
    if not isinstance(value, dict):
        return None
    return _apply((("pointsNumber", "pointsNumber", _integer), ("pointsMonetaryValue", "pointsMonetaryValue", _money)),
                  value) or None


def _requested_cancel(request):
    if not isinstance(request, dict):
        return None
    out = {"isBuyerRequestedCancel": request.get("requester") == "BUYER"}
    reason = _text(request.get("cancelReason"))
    if reason:
        out["buyerCancelReason"] = reason
    return out


def _tax_collection(collections):
    first = next((c for c in collections if isinstance(c, dict)), None) if isinstance(collections, list) else None
    return _apply((("model", "model", _text), ("responsibleParty", "responsibleParty", _text)), first or {}) or None


ITEM_ROWS = (
    ("asin", "product.asin", _text),
    ("orderItemId", "orderItemId", _text),
    ("sellerSKU", "product.sellerSku", _text),
    ("buyerCustomizedInfo", "product.customization.customizedUrl",
     lambda v: {"customizedURL": _text(v)} if _text(v) else None),
    ("buyerRequestedCancel", "cancellation.cancellationRequest", _requested_cancel),
    ("title", "product.title", _text),
    ("quantityOrdered", "quantityOrdered", _integer),
    ("quantityShipped", "fulfillment.quantityFulfilled", _integer),
    ("pointsGranted", "expense.pointsCost.pointsGranted", _points),
    ("unitPrice", "product.price.unitPrice", _money),  # added to orderItem.json: the price of one unit
    ("itemPrice", _breakdown("ITEM"), _money),
    ("shippingPrice", _breakdown("SHIPPING"), _money),
    ("giftWrapPrice", _breakdown("GIFT_WRAP"), _money),
    ("itemTax", _detail("TAX", "ITEM"), _money),
    ("shippingTax", _detail("TAX", "SHIPPING"), _money),
    ("giftWrapTax", _detail("TAX", "GIFT_WRAP"), _money),
    # Discounts as Amazon sends them: its examples have none, so their sign is not known.
    ("shippingDiscount", _detail("DISCOUNT", "SHIPPING"), _money),
    ("promotionDiscount", _detail("DISCOUNT", "ITEM"), _money),
    ("discountTax", _detail("TAX", "DISCOUNT"), _money),  # added: promotion and shipping discount tax in one
    ("codFee", _breakdown("COD_FEE"), _money),
    ("codFeeDiscount", _detail("DISCOUNT", "COD_FEE"), _money),
    ("taxCollection", "tax.taxCollections", _tax_collection),
    ("promotionIds", "promotion.breakdowns[].promotionId", _each_text),
    ("isGift", "fulfillment", lambda f: isinstance(f.get("packing"), dict) and "giftOption" in f["packing"]
     if isinstance(f, dict) else None),
    ("giftMessageText", "fulfillment.packing.giftOption.giftMessage", _text),
    ("giftWrapLevel", "fulfillment.packing.giftOption.giftWrapLevel", _text),
    ("conditionNote", "product.condition.conditionNote", _text),
    ("conditionId", "product.condition.conditionType", _enum(CONDITION_TYPES, "conditionType")),
    ("conditionSubtypeId", "product.condition.conditionSubtype", _enum(CONDITION_SUBTYPES, "conditionSubtype")),
    ("scheduledDeliveryStartDate", "fulfillment.shipping.scheduledDeliveryWindow.earliestDateTime", _text),
    ("scheduledDeliveryEndDate", "fulfillment.shipping.scheduledDeliveryWindow.latestDateTime", _text),
    ("priceDesignation", "product.price.priceDesignation", _camel),
    ("isTransparency", "programs", _has("TRANSPARENCY")),
    ("serialNumberRequired", "fulfillment",
     lambda f: at(f, "packing.serialNumberRequirement.requirementType") == "REQUIRED" if isinstance(f, dict) else None),
    ("iossNumber", "fulfillment.shipping.internationalShipping.iossNumber", _text),
)


def _item_total(items, path):
    """The sum of every item's value at `path`, only when every item has one (else absent)."""
    if not isinstance(items, list) or not items:
        return None
    values = [_integer(at(i, path)) if at(i, path) is not _ABSENT else None for i in items]
    return sum(values) if all(v is not None for v in values) else None


# -- the mapping ----------------------------------------------------------------

def order_of(order):
    """A 2026-01-01 Order as schemas/order.json (its items are order_items_of(order))."""
    out = _apply(ORDER_ROWS, order)
    items = order.get("orderItems")
    for key, path in (("numberOfItemsShipped", "fulfillment.quantityFulfilled"),
                      ("numberOfItemsUnshipped", "fulfillment.quantityUnfulfilled")):
        total = _item_total(items, path)
        if total is not None:
            out[key] = total
    return out


def item_of(item):
    """A 2026-01-01 OrderItem as schemas/orderItem.json."""
    return _apply(ITEM_ROWS, item)


def order_items_of(order):
    items = order.get("orderItems") if isinstance(order, dict) else None
    return [item_of(i) for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def fulfillment_statuses(mws_statuses, field="orderStatus"):
    """The trigger's MWS status names as searchOrders fulfillmentStatuses.

    Unshipped and PartiallyShipped go together, as MWS required. InvoiceUnconfirmed
    has no 2026-01-01 status: asking for it would silently match nothing, so it is refused.
    """
    wanted = list(dict.fromkeys(mws_statuses or ()))
    if "InvoiceUnconfirmed" in wanted:
        raise ConfigurationError(f"{field}: InvoiceUnconfirmed has no counterpart in the SP-API Orders API "
                                 "(2026-01-01); remove it from the status filter", field=field)
    unknown = [s for s in wanted if s not in MWS_TO_STATUS]
    if unknown:
        raise ConfigurationError(f"{field}: unknown status {shown(unknown[0])}; one of {', '.join(MWS_TO_STATUS)}",
                                 field=field)
    if ("Unshipped" in wanted) != ("PartiallyShipped" in wanted):
        wanted.append("PartiallyShipped" if "Unshipped" in wanted else "Unshipped")
    return [MWS_TO_STATUS[s] for s in wanted]
