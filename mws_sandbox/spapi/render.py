"""One stored order version in the Orders API 2026-01-01 shape, with the sections `includedData` asks for.

Field names and nesting follow the Orders API 2026-01-01 model (Order, OrderItem and their parts); the
MWS-to-2026 correspondence follows Amazon's Orders API migration guide. Which section each includedData
value governs: BUYER -> buyer, RECIPIENT -> recipient, PAYMENT -> payment, PACKAGES -> packages,
FULFILLMENT_ORDERS -> fulfillmentOrders; PROCEEDS, TAX and FULFILLMENT -> the section of that name on the
order and on each item; EXPENSE, PROMOTION and CANCELLATION -> the item sections. Without FULFILLMENT
there is no `fulfillment` (and so no status): what Amazon sends then is not documented, and a client
that needs the status must ask for it.

Money amounts are strings (the model's Decimal); times keep the store's milliseconds, so an order's
(orderId, lastUpdatedTime) is exactly one of the store's versions. What MWS hid before the buyer was
charged (address, prices, buyer identity) is hidden here too.
"""

from decimal import Decimal

from ..clock import format_ms
from ..orders.models import Money
from .tables import CONDITIONS, FULFILLED_BY, FULFILLMENT_STATUS, PAYMENT_METHODS, SERVICE_LEVELS


def money(value):
    return {"amount": str(value.amount), "currencyCode": value.currency}


def window(earliest_ms, latest_ms):
    out = {}
    if earliest_ms is not None:
        out["earliestDateTime"] = format_ms(earliest_ms)
    if latest_ms is not None:
        out["latestDateTime"] = format_ms(latest_ms)
    return out


def _breakdown(kind, value, details=()):
    entry = {"type": kind, "subtotal": money(value)}
    detailed = [{"subtype": subtype, "value": money(v)} for subtype, v in details if v is not None and v.amount]
    if detailed:
        entry["detailedBreakdowns"] = detailed
    return entry


def _negated(value):
    return None if value is None else Money(value.currency, -value.amount)


def render_order(order, included, now_ms):
    """The 2026-01-01 Order for a stored (immutable) order, as a JSON-ready dict."""
    out = {"orderId": order.amazon_order_id}
    if order.seller_order_id:
        out["orderAliases"] = [{"aliasId": order.seller_order_id, "aliasType": "SELLER_ORDER_ID"}]
    out["createdTime"] = format_ms(order.purchase_ms)
    out["lastUpdatedTime"] = format_ms(order.last_update_ms)
    programs = [name for name, on in (("AMAZON_BUSINESS", order.is_business), ("PREMIUM", order.is_premium),
                                      ("PREORDER", order.order_type == "Preorder"), ("PRIME", order.is_prime))
                if on]
    if programs:
        out["programs"] = programs
    if order.is_replacement and order.replaced_order_id:
        out["associatedOrders"] = [{"orderId": order.replaced_order_id,
                                    "associationType": "REPLACEMENT_ORIGINAL_ID"}]
    amazon = order.sales_channel != "Non-Amazon"
    channel = {"channelName": "AMAZON" if amazon else "NON_AMAZON", "marketplaceId": order.marketplace_id}
    if amazon:
        channel["marketplaceName"] = order.sales_channel
    out["salesChannel"] = channel
    paid = order.shows_shipping_and_total
    if "BUYER" in included:
        buyer = {}
        if order.shows_buyer_identity:
            buyer["buyerName"] = order.buyer_name
            # "FBM only" (Orders API 2026-01-01 model: Buyer.buyerEmail).
            if order.shows_buyer_email and order.fulfillment_channel == "MFN":
                buyer["buyerEmail"] = order.buyer_email
            if order.buyer_tax_info is not None:
                buyer["buyerCompanyName"] = order.buyer_tax_info.company_legal_name
            if order.purchase_order_number:
                buyer["buyerPurchaseOrderNumber"] = order.purchase_order_number
        if buyer:
            out["buyer"] = buyer
    if "RECIPIENT" in included and paid:
        out["recipient"] = {"deliveryAddress": _address(order, now_ms)}
    if "PROCEEDS" in included and paid:
        out["proceeds"] = _order_proceeds(order)
    if "PAYMENT" in included and paid and order.payment_execution:
        out["payment"] = {"paymentExecutions": [
            {"paymentMethod": PAYMENT_METHODS.get(method, method), "paymentAmount": money(amount)}
            for amount, method in order.payment_execution]}
    if "TAX" in included and order.buyer_tax_info is not None:
        info = order.buyer_tax_info
        registrations = [{"entityType": "BUYER", "legalName": info.company_legal_name,
                          "taxRegistrationType": "VAT" if name == "VATNumber" else "BUSINESS",
                          "taxRegistrationNumber": value} for name, value in info.classifications]
        out["tax"] = {"taxRegistrations": registrations}
    if "FULFILLMENT" in included:
        fulfillment = {"fulfillmentStatus": FULFILLMENT_STATUS[order.status],
                       "fulfilledBy": FULFILLED_BY[order.fulfillment_channel]}
        level = SERVICE_LEVELS.get(order.shipment_service_level_category)
        if level:
            fulfillment["fulfillmentServiceLevel"] = level
        ship_by = window(order.earliest_ship_ms, order.latest_ship_ms)
        if ship_by:
            fulfillment["shipByWindow"] = ship_by
        deliver_by = window(order.earliest_delivery_ms, order.latest_delivery_ms)
        if deliver_by:
            fulfillment["deliverByWindow"] = deliver_by
        out["fulfillment"] = fulfillment
    out["orderItems"] = [_item(order, item, included, paid) for item in order.items]
    if "PACKAGES" in included and order.fulfillment_channel == "MFN" and order.number_of_items_shipped:
        out["packages"] = [_package(order)]
    if "FULFILLMENT_ORDERS" in included and order.easy_ship_status:
        out["fulfillmentOrders"] = [{"fulfillmentOrderId": "FO" + order.amazon_order_id.replace("-", "")}]
    return out


def _address(order, now_ms):
    address = order.shipping_address
    out = {"name": address.name}
    for key, value in (("addressLine1", address.line1), ("addressLine2", address.line2),
                       ("addressLine3", address.line3), ("city", address.city),
                       ("districtOrCounty", address.county or address.district),
                       ("stateOrRegion", address.state_or_region), ("municipality", address.municipality),
                       ("postalCode", address.postal_code), ("countryCode", address.country_code)):
        if value:
            out[key] = value
    # The phone is suppressed for FBA orders, and for shipped FBM orders after the latest delivery date.
    delivered = order.status == "Shipped" and order.latest_delivery_ms is not None \
        and now_ms > order.latest_delivery_ms
    if address.phone and order.fulfillment_channel == "MFN" and not delivered:
        out["phone"] = address.phone
    if address.address_type:
        out["addressType"] = address.address_type.upper()
    return out


def _item_parts(order, item):
    """(type, value, detailed breakdowns) of an item's proceeds; discounts are negative."""
    parts = [("ITEM", item.item_price, ())]
    if item.shipping_price.amount:
        parts.append(("SHIPPING", item.shipping_price, ()))
    if item.gift_wrap_price is not None and item.gift_wrap_price.amount:
        parts.append(("GIFT_WRAP", item.gift_wrap_price, ()))
    if item.cod_fee is not None and item.cod_fee.amount:
        parts.append(("COD_FEE", item.cod_fee, ()))
    if not order.tax_included:  # in VAT markets the tax is inside the prices
        tax_details = (("ITEM", item.item_tax), ("SHIPPING", item.shipping_tax), ("GIFT_WRAP", item.gift_wrap_tax))
        tax = item.item_tax + item.shipping_tax + (item.gift_wrap_tax or Money(order.currency, 0))
        if tax.amount:
            parts.append(("TAX", tax, tax_details))
    discounts = (("ITEM", _negated(item.promotion_discount)), ("SHIPPING", _negated(item.shipping_discount)),
                 ("COD_FEE", _negated(item.cod_fee_discount)))
    discount = sum((v.amount for _, v in discounts if v is not None), Decimal(0))
    if discount:
        parts.append(("DISCOUNT", Money(order.currency, discount), discounts))
    return parts


def _order_proceeds(order):
    totals = {}
    for item in order.items:
        for kind, value, _ in _item_parts(order, item):
            totals[kind] = totals[kind] + value if kind in totals else value
    return {"grandTotal": money(order.order_total),
            "breakdowns": [_breakdown(kind, value) for kind, value in totals.items()]}


def _item(order, item, included, paid):
    product = {"asin": item.asin, "title": item.title, "sellerSku": item.seller_sku,
               "condition": {"conditionType": CONDITIONS.get(item.condition_id, "NEW"),
                             "conditionSubtype": CONDITIONS.get(item.condition_subtype_id, "NEW")}}
    if item.condition_note:
        product["condition"]["conditionNote"] = item.condition_note
    if paid and item.quantity_ordered:
        price = {"unitPrice": money(Money(
            order.currency, (item.item_price.amount / item.quantity_ordered).quantize(item.item_price.amount)))}
        if item.price_designation:
            price["priceDesignation"] = "BUSINESS_PRICE"
        product["price"] = price
    out = {"orderItemId": item.order_item_id, "quantityOrdered": item.quantity_ordered}
    if item.is_transparency:
        out["programs"] = ["TRANSPARENCY"]
    out["product"] = product
    if "PROCEEDS" in included and paid:
        parts = _item_parts(order, item)
        total = sum((value.amount for _, value, _ in parts), Decimal(0))
        out["proceeds"] = {"proceedsTotal": money(Money(order.currency, total)),
                           "breakdowns": [_breakdown(kind, value, details) for kind, value, details in parts]}
    if "EXPENSE" in included and item.points:
        number, value = item.points
        out["expense"] = {"pointsCost": {"pointsGranted": {"pointsNumber": number,
                                                          "pointsMonetaryValue": money(value)}}}
    if "PROMOTION" in included and item.promotion_ids:
        out["promotion"] = {"breakdowns": [{"promotionId": pid} for pid in item.promotion_ids]}
    if "CANCELLATION" in included and order.status == "Canceled":
        # Who cancelled is not in the store: an order the seller acknowledged was cancelled through its
        # feeds (the MERCHANT), any other by Amazon's own flow.
        out["cancellation"] = {"cancellationExecution": {
            "cancelledBy": "MERCHANT" if order.acknowledged else "AMAZON"}}
    if "FULFILLMENT" in included:
        unfulfilled = item.quantity_ordered - item.quantity_shipped
        if order.status in ("Canceled", "Unfulfillable"):
            unfulfilled = 0
        fulfillment = {"quantityFulfilled": item.quantity_shipped, "quantityUnfulfilled": unfulfilled}
        packing = {}
        if item.is_gift:
            gift = {}
            if item.gift_message:
                gift["giftMessage"] = item.gift_message
            if item.gift_wrap_level:
                gift["giftWrapLevel"] = item.gift_wrap_level
            packing["giftOption"] = gift
        if item.serial_number_required:
            packing["serialNumberRequirement"] = {"requirementType": "REQUIRED"}
        if packing:
            fulfillment["packing"] = packing
        out["fulfillment"] = fulfillment
    if "TAX" in included and item.tax_collection:
        _, party = item.tax_collection
        out["tax"] = {"taxCollections": [{"model": "MARKETPLACE_FACILITATOR", "responsibleParty": party}]}
    return out


def _package(order):
    status = "SHIPPED"
    package = {"packageReferenceId": "PKG-" + order.amazon_order_id.replace("-", ""),
               "packageStatus": {"status": status},
               "packageItems": [{"orderItemId": i.order_item_id, "quantity": i.quantity_shipped}
                                for i in order.items if i.quantity_shipped]}
    if order.ship_from_address is not None:
        a = order.ship_from_address
        package["shipFromAddress"] = {k: v for k, v in (
            ("name", a.name), ("addressLine1", a.line1), ("addressLine2", a.line2), ("city", a.city),
            ("stateOrRegion", a.state_or_region), ("postalCode", a.postal_code),
            ("countryCode", a.country_code)) if v}
    return package
