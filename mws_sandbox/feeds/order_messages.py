"""Message handlers that change orders: OrderAcknowledgement and OrderFulfillment.

The messages' rules are those of OrderAcknowledgement.xsd and OrderFulfillment.xsd.

Values are checked first, then the order and its items are looked up, then
the order's state is checked; only a message that passes all of that
changes the store, in one batch, so the List Orders trigger sees one new
LastUpdateDate per message.

- OrderAcknowledgement Success: the order is acknowledged and keeps the
  MerchantOrderID; items with a CancelReason lose their unshipped units.
- OrderAcknowledgement Failure: acknowledged, and the order is cancelled
  (what is not shipped yet; a fully shipped order cannot be).
- OrderFulfillment: ships the items given (all that is left when none are),
  so the order becomes Shipped or PartiallyShipped.
"""

from . import values as v
from .results import ORDER_STATE_CONFLICT, UNKNOWN_ORDER, UNKNOWN_ORDER_ITEM, MessageError

CANCEL_REASONS = ("NoInventory", "ShippingAddressUndeliverable", "CustomerExchange", "BuyerCanceled",
                  "GeneralAdjustment", "CarrierCreditDecision", "RiskAssessmentInformationNotValid",
                  "CarrierCoverageFailure", "CustomerReturn", "MerchandiseNotReceived")
# amzn-base.xsd CarrierCode enumeration.
CARRIER_CODES = ("USPS", "UPS", "UPSMI", "FedEx", "DHL", "Fastway", "GLS", "GO!", "Hermes Logistik Gruppe",
                 "Royal Mail", "Parcelforce", "City Link", "TNT", "Target", "SagawaExpress", "NipponExpress",
                 "YamatoTransport", "DHL Global Mail", "UPS Mail Innovations", "FedEx SmartPost", "OSM", "OnTrac",
                 "Streamlite", "Newgistics", "Canada Post", "Blue Package", "Chronopost", "Deutsche Post", "DPD",
                 "La Poste", "Parcelnet", "Poste Italiane", "SDA", "Smartmail", "FEDEX_JP", "JP_EXPRESS", "NITTSU",
                 "SAGAWA", "YAMATO", "BlueDart", "AFL/Fedex", "Aramex", "India Post", "Professional", "DTDC",
                 "Overnite Express", "First Flight", "Delhivery", "Lasership", "Yodel", "Other")
SHIPPABLE_STATUSES = ("Unshipped", "PartiallyShipped")
# A FulfillmentDate may run ahead of server time by as much as a request Timestamp may (clock skew).
FUTURE_TOLERANCE_MS = 15 * 60 * 1000


def read_order_id(payload, *, required=True):
    return v.pattern(payload, "AmazonOrderID", v.AMAZON_ORDER_ID, "the 3-7-7 form, e.g. 902-3159896-1390916",
                     required=required)


def read_item_code(parent, *, required=True):
    return v.pattern(parent, "AmazonOrderItemCode", v.AMAZON_ORDER_ITEM_CODE, "14 digits", required=required)


def unknown_order(order_id, by="AmazonOrderID"):
    return MessageError(UNKNOWN_ORDER, f"The {by} {order_id} was not found among this seller's orders.",
                        order_id=order_id if by == "AmazonOrderID" else None)


def unknown_item(order, item, by="AmazonOrderItemCode"):
    return MessageError(UNKNOWN_ORDER_ITEM, f"The {by} {item} is not an item of order {order.amazon_order_id}.",
                        order_id=order.amazon_order_id, item_code=item if by == "AmazonOrderItemCode" else None)


def conflict(order, reason):
    return MessageError(ORDER_STATE_CONFLICT, f"Order {order.amazon_order_id} ({order.status}): {reason}.",
                        order_id=order.amazon_order_id)


# -- OrderAcknowledgement -------------------------------------------------------------------

def order_acknowledgement(message, context):
    payload = v.Fields(message.payload)
    order_id = read_order_id(payload)
    merchant_order_id = v.string(payload, "MerchantOrderID")
    status = v.choice(payload, "StatusCode", ("Success", "Failure"), required=True)
    items = [(read_item_code(item), v.string(item, "MerchantOrderItemID"),
              v.choice(item, "CancelReason", CANCEL_REASONS)) for item in map(v.Fields, payload.all("Item"))]
    order = context.store.get(order_id)
    if order is None:
        raise unknown_order(order_id)
    codes = {item.order_item_id for item in order.items}
    for code, _, _ in items:
        if code not in codes:
            raise unknown_item(order, code)
    if status == "Failure":
        to_cancel = codes
    else:
        to_cancel = {code for code, _, reason in items if reason}
    unshipped = {i.order_item_id for i in order.items if i.quantity_shipped < i.quantity_ordered}
    if to_cancel and order.status != "Canceled" and not to_cancel & unshipped:
        raise conflict(order, "nothing left to cancel, the items are shipped")

    store = context.store
    with store.batch():
        store.acknowledge(order_id, merchant_order_id)
        if to_cancel and order.status != "Canceled":
            store.cancel_items(order_id, to_cancel)
    for code, merchant_item_id, _ in items:
        if merchant_item_id:
            context.merchant_item_ids[(order_id, merchant_item_id)] = code
    return []


# -- OrderFulfillment -----------------------------------------------------------------------

def order_fulfillment(message, context):
    payload = v.Fields(message.payload)
    by = v.exactly_one(payload, ("AmazonOrderID", "MerchantOrderID"))
    order_id = read_order_id(payload, required=False)
    merchant_order_id = v.string(payload, "MerchantOrderID")
    v.id_number(payload, "MerchantFulfillmentID")
    shipped_ms = v.datetime_ms(payload, "FulfillmentDate", required=True)
    read_fulfillment_data(payload)
    v.choice(payload, "CODCollectionMethod", ("DirectPayment",))
    wanted = [read_fulfilled_item(v.Fields(item)) for item in payload.all("Item")]

    order = find_order(context, by, order_id or merchant_order_id)
    if order.status not in SHIPPABLE_STATUSES:
        raise conflict(order, f"only {' or '.join(SHIPPABLE_STATUSES)} orders can be shipped")
    shipped_text = payload.first("FulfillmentDate").text.strip()
    if shipped_ms < order.purchase_ms:
        raise v.invalid(payload, "FulfillmentDate", shipped_text, "the order cannot ship before it was placed")
    if shipped_ms > context.now_ms + FUTURE_TOLERANCE_MS:
        raise v.invalid(payload, "FulfillmentDate", shipped_text, "the date lies in the future")
    quantities = units_to_ship(context, order, wanted)
    context.store.ship(order.amazon_order_id, quantities)
    return []


def read_fulfillment_data(payload):
    data = v.nested(payload, "FulfillmentData")
    if data is None:
        return
    v.exactly_one(data, ("CarrierCode", "CarrierName"))
    v.choice(data, "CarrierCode", CARRIER_CODES)
    for name in ("CarrierName", "ShippingMethod", "ShipperTrackingNumber"):
        v.string(data, name)


def read_fulfilled_item(item):
    by = v.exactly_one(item, ("AmazonOrderItemCode", "MerchantOrderItemID"))
    code = read_item_code(item, required=False) or v.string(item, "MerchantOrderItemID")
    v.id_number(item, "MerchantFulfillmentItemID")
    return by, code, v.integer(item, "Quantity", minimum=1)


def find_order(context, by, value):
    if by == "AmazonOrderID":
        order = context.store.get(value)
    else:
        found = context.store.select(lambda o: o.seller_order_id == value, key=lambda o: o.amazon_order_id)
        order = found[0] if found else None
    if order is None:
        raise unknown_order(value, by)
    return order


def units_to_ship(context, order, wanted):
    """{OrderItemId: units} for the items given, or None (everything left) when none are."""
    if not wanted:
        return None
    left = {item.order_item_id: item.quantity_ordered - item.quantity_shipped for item in order.items}
    quantities = {}
    for by, value, quantity in wanted:
        code = value if by == "AmazonOrderItemCode" else \
            context.merchant_item_ids.get((order.amazon_order_id, value))
        if code not in left:
            raise unknown_item(order, value, by)
        units = quantity if quantity is not None else left[code] - quantities.get(code, 0)
        quantities[code] = quantities.get(code, 0) + units
        if quantities[code] > left[code] or units == 0:
            raise MessageError(ORDER_STATE_CONFLICT, f"Order {order.amazon_order_id}: item {code} has "
                                                     f"{left[code]} unshipped units, {quantities[code]} were given.",
                               order_id=order.amazon_order_id, item_code=code)
    return quantities
