"""The Orders section's Order and OrderItem elements, in Amazon's documented child order.

Order and Address children follow Orders_Datatypes (Order, Address), OrderItem
children Orders_Datatypes (OrderItem). What a status hides (buyer data and
prices of orders not yet charged, Orders_ListOrders) is
decided by the `Order` record; this module only writes what it is given.
"""

from ..clock import format_ms


def add_address(b, parent, name, address):
    if address is None:
        return
    element = b.child(parent, name)
    for tag, value in (
            ("Name", address.name), ("AddressLine1", address.line1), ("AddressLine2", address.line2),
            ("AddressLine3", address.line3), ("City", address.city), ("Municipality", address.municipality),
            ("County", address.county), ("District", address.district),
            ("StateOrRegion", address.state_or_region), ("PostalCode", address.postal_code),
            ("CountryCode", address.country_code), ("Phone", address.phone),
            ("AddressType", address.address_type)):
        b.text(element, tag, value)


def _date(ms):
    return None if ms is None else format_ms(ms)


def add_order(b, parent, order):
    el = b.child(parent, "Order")
    b.text(el, "AmazonOrderId", order.amazon_order_id)
    b.text(el, "SellerOrderId", order.seller_order_id)
    b.text(el, "PurchaseDate", format_ms(order.purchase_ms))
    b.text(el, "LastUpdateDate", format_ms(order.last_update_ms))
    b.text(el, "OrderStatus", order.status)
    b.text(el, "FulfillmentChannel", order.fulfillment_channel)
    b.text(el, "SalesChannel", order.sales_channel)
    b.text(el, "OrderChannel", order.order_channel)
    b.text(el, "ShipServiceLevel", order.ship_service_level)
    charged = order.shows_shipping_and_total
    if charged:
        add_address(b, el, "ShippingAddress", order.shipping_address)
    add_address(b, el, "DefaultShipFromLocationAddress", order.ship_from_address)
    if charged:
        b.money(el, "OrderTotal", order.order_total)
    b.text(el, "NumberOfItemsShipped", order.number_of_items_shipped)
    b.text(el, "NumberOfItemsUnshipped", order.number_of_items_unshipped)
    if charged and order.payment_execution:
        detail = b.child(el, "PaymentExecutionDetail")
        for payment, method in order.payment_execution:
            item = b.child(detail, "PaymentExecutionDetailItem")
            b.money(item, "Payment", payment)
            b.text(item, "PaymentMethod", method)
    b.text(el, "PaymentMethod", order.payment_method)
    if order.payment_method_details:
        details = b.child(el, "PaymentMethodDetails")
        for value in order.payment_method_details:
            b.text(details, "PaymentMethodDetail", value)
    b.text(el, "IsReplacementOrder", order.is_replacement)
    b.text(el, "ReplacedOrderId", order.replaced_order_id)
    b.text(el, "MarketplaceId", order.marketplace_id)
    if order.shows_buyer_email:
        b.text(el, "BuyerEmail", order.buyer_email)
    if order.shows_buyer_identity:
        b.text(el, "BuyerName", order.buyer_name)
    b.text(el, "BuyerCounty", order.buyer_county)
    if order.buyer_tax_info is not None and charged:
        info = b.child(el, "BuyerTaxInfo")
        b.text(info, "CompanyLegalName", order.buyer_tax_info.company_legal_name)
        b.text(info, "TaxingRegion", order.buyer_tax_info.taxing_region)
        classifications = b.child(info, "TaxClassifications")
        for name, value in order.buyer_tax_info.classifications:
            classification = b.child(classifications, "TaxClassification")
            b.text(classification, "Name", name)
            b.text(classification, "Value", value)
    b.text(el, "ShipmentServiceLevelCategory", order.shipment_service_level_category)
    b.text(el, "EasyShipShipmentStatus", order.easy_ship_status)
    b.text(el, "OrderType", order.order_type)
    b.text(el, "EarliestShipDate", _date(order.earliest_ship_ms))
    b.text(el, "LatestShipDate", _date(order.latest_ship_ms))
    b.text(el, "EarliestDeliveryDate", _date(order.earliest_delivery_ms))
    b.text(el, "LatestDeliveryDate", _date(order.latest_delivery_ms))
    b.text(el, "IsBusinessOrder", order.is_business)
    b.text(el, "IsSoldByAB", False)
    b.text(el, "PurchaseOrderNumber", order.purchase_order_number)
    b.text(el, "IsPrime", order.is_prime)
    b.text(el, "IsPremiumOrder", order.is_premium)
    b.text(el, "IsGlobalExpressEnabled", False)
    return el


def add_order_item(b, parent, order, item):
    el = b.child(parent, "OrderItem")
    b.text(el, "ASIN", item.asin)
    b.text(el, "OrderItemId", item.order_item_id)
    b.text(el, "SellerSKU", item.seller_sku)
    b.text(el, "Title", item.title)
    b.text(el, "QuantityOrdered", item.quantity_ordered)
    b.text(el, "QuantityShipped", item.quantity_shipped)
    if item.points is not None:
        points = b.child(el, "PointsGranted")
        b.text(points, "PointsNumber", item.points[0])
        b.money(points, "PointsMonetaryValue", item.points[1])
    info = b.child(el, "ProductInfo")
    b.text(info, "NumberOfItems", item.number_of_items)
    if order.shows_shipping_and_total:  # no prices or taxes before the buyer is charged (Orders_ListOrders)
        b.money(el, "ItemPrice", item.item_price)
        b.money(el, "ShippingPrice", item.shipping_price)
        b.money(el, "GiftWrapPrice", item.gift_wrap_price)
        b.money(el, "ItemTax", item.item_tax)
        b.money(el, "ShippingTax", item.shipping_tax)
        b.money(el, "GiftWrapTax", item.gift_wrap_tax)
        b.money(el, "ShippingDiscount", item.shipping_discount)
        b.money(el, "ShippingDiscountTax", _zero_like(item.shipping_discount))
        b.money(el, "PromotionDiscount", item.promotion_discount)
        b.money(el, "PromotionDiscountTax", _zero_like(item.promotion_discount))
        b.money(el, "CODFee", item.cod_fee)
        b.money(el, "CODFeeDiscount", item.cod_fee_discount)
    if item.tax_collection is not None:
        collection = b.child(el, "TaxCollection")
        b.text(collection, "Model", item.tax_collection[0])
        b.text(collection, "ResponsibleParty", item.tax_collection[1])
    if item.promotion_ids:
        ids = b.child(el, "PromotionIds")
        for promotion_id in item.promotion_ids:
            b.text(ids, "PromotionId", promotion_id)
    b.text(el, "IsGift", item.is_gift)
    b.text(el, "GiftMessageText", item.gift_message)
    b.text(el, "GiftWrapLevel", item.gift_wrap_level)
    b.text(el, "ConditionNote", item.condition_note)
    b.text(el, "ConditionId", item.condition_id)
    b.text(el, "ConditionSubtypeId", item.condition_subtype_id)
    b.text(el, "PriceDesignation", item.price_designation)
    b.text(el, "IsTransparency", item.is_transparency)
    b.text(el, "SerialNumberRequired", item.serial_number_required)
    return el


def _zero_like(money):
    return type(money)(money.currency, money.amount * 0) if money is not None else None
