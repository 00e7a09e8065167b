"""Order feeds: acknowledgements and shipments change the orders the Orders section (and its trigger) serves."""

from datetime import timedelta

from lxml.builder import E

from mws_component.mws import signing

from .conftest import Caller
from .feedkit import ACKNOWLEDGEMENT, FULFILLMENT, envelope


def an_order(sandbox, status, min_items=1):
    return next(o for o in sandbox.store.all() if o.status == status and len(o.items) >= min_items)


def acknowledgement(order_id, status="Success", merchant_order_id=None, items=()):
    payload = E.OrderAcknowledgement(E.AmazonOrderID(order_id))
    if merchant_order_id:
        payload.append(E.MerchantOrderID(merchant_order_id))
    payload.append(E.StatusCode(status))
    for code, merchant_item_id, reason in items:
        item = E.Item(E.AmazonOrderItemCode(code))
        if merchant_item_id:
            item.append(E.MerchantOrderItemID(merchant_item_id))
        if reason:
            item.append(E.CancelReason(reason))
        payload.append(item)
    return payload


def fulfillment(reference, shipped_at, *items, by="AmazonOrderID", carrier_code="UPS"):
    payload = E.OrderFulfillment(E(by, reference), E.FulfillmentDate(signing.timestamp(shipped_at)),
                                 E.FulfillmentData(E.CarrierCode(carrier_code), E.ShippingMethod("Ground"),
                                                   E.ShipperTrackingNumber("1Z999AA10123456784")))
    for item_by, code, quantity in items:
        item = E.Item(E(item_by, code))
        if quantity is not None:
            item.append(E.Quantity(str(quantity)))
        payload.append(item)
    return payload


def orders_updated_since(sandbox, since):
    """AmazonOrderId -> OrderStatus of what ListOrders (LastUpdatedAfter) serves, two minutes later."""
    sandbox.clock.advance(121)  # the two-minute rule
    mws = Caller(sandbox)
    response = mws.call("ListOrders", mws.all_markets(LastUpdatedAfter=since))
    assert response.status_code == 200, response.text
    return {o.findtext("{*}AmazonOrderId"): o.findtext("{*}OrderStatus") for o in response.xml.iter("{*}Order")}


# -- OrderAcknowledgement -------------------------------------------------------------------

def test_acknowledgement_records_the_merchant_order_id(instant, feeds):
    order = an_order(instant, "Unshipped")
    since = signing.timestamp(instant.clock.now())
    report = feeds.report(ACKNOWLEDGEMENT, envelope("OrderAcknowledgement",
                                                    acknowledgement(order.amazon_order_id, merchant_order_id="M-1")))
    assert report.summary == (1, 1, 0, 0)
    acknowledged = instant.store.get(order.amazon_order_id)
    assert acknowledged.acknowledged and acknowledged.seller_order_id == "M-1"
    assert acknowledged.status == "Unshipped" and acknowledged.last_update_ms > order.last_update_ms
    assert order.amazon_order_id in orders_updated_since(instant, since)


def test_failure_cancels_the_order_and_cancel_reasons_cancel_items(instant, feeds):
    whole = an_order(instant, "Unshipped")
    several = next(o for o in instant.store.all()
                   if o.status == "Unshipped" and len(o.items) >= 2 and o is not whole
                   and o.amazon_order_id != whole.amazon_order_id)
    dropped = several.items[0].order_item_id
    report = feeds.report(ACKNOWLEDGEMENT, envelope(
        "OrderAcknowledgement",
        acknowledgement(whole.amazon_order_id, status="Failure"),
        acknowledgement(several.amazon_order_id, items=[(dropped, "LINE-1", "NoInventory")]),
    ))
    assert report.summary == (2, 2, 0, 0)
    assert instant.store.get(whole.amazon_order_id).status == "Canceled"
    changed = instant.store.get(several.amazon_order_id)
    assert changed.status == "Unshipped"
    assert {i.order_item_id: i.quantity_ordered for i in changed.items}[dropped] == 0
    # Cancelling every remaining item cancels the order.
    rest = [(i.order_item_id, None, "BuyerCanceled") for i in changed.items[1:]]
    feeds.report(ACKNOWLEDGEMENT, envelope("OrderAcknowledgement",
                                           acknowledgement(several.amazon_order_id, items=rest)))
    assert instant.store.get(several.amazon_order_id).status == "Canceled"


def test_acknowledgement_errors(instant, feeds, envelope_schema):
    shipped = an_order(instant, "Shipped")
    unshipped = an_order(instant, "Unshipped")
    report = feeds.report(ACKNOWLEDGEMENT, envelope(
        "OrderAcknowledgement",
        acknowledgement("999-9999999-9999999"),  # 1 not this seller's
        acknowledgement("12-34"),  # 2 not the 3-7-7 form
        acknowledgement(unshipped.amazon_order_id, items=[("12345678901234", None, None)]),  # 3 not its item
        acknowledgement(unshipped.amazon_order_id, items=[("123", None, None)]),  # 4 not 14 digits
        acknowledgement(unshipped.amazon_order_id, status="Maybe"),  # 5
        acknowledgement(shipped.amazon_order_id, status="Failure"),  # 6 nothing left to cancel
        acknowledgement(unshipped.amazon_order_id, items=[(unshipped.items[0].order_item_id, None, "Boredom")]),
    ))
    envelope_schema.assertValid(report.root)
    assert report.summary == (7, 0, 7, 0)
    assert [(r["id"], r["code"], r["order"], r["item"]) for r in report.results] == [
        (1, 18021, "999-9999999-9999999", None), (2, 99010, None, None),
        (3, 18022, unshipped.amazon_order_id, "12345678901234"), (4, 99010, unshipped.amazon_order_id, None),
        (5, 99010, unshipped.amazon_order_id, None), (6, 18023, shipped.amazon_order_id, None),
        (7, 99010, unshipped.amazon_order_id, None)]
    assert instant.store.get(shipped.amazon_order_id).status == "Shipped"
    assert not instant.store.get(unshipped.amazon_order_id).acknowledged


# -- OrderFulfillment -----------------------------------------------------------------------

def test_shipping_everything_or_part_of_an_order(instant, feeds):
    whole = an_order(instant, "Unshipped")
    split = next(o for o in instant.store.all() if o.status == "Unshipped" and len(o.items) >= 2
                 and o.amazon_order_id != whole.amazon_order_id)
    since = signing.timestamp(instant.clock.now())
    now = instant.clock.now()
    first_item = split.items[0]
    report = feeds.report(FULFILLMENT, envelope(
        "OrderFulfillment",
        fulfillment(whole.amazon_order_id, now),
        fulfillment(split.amazon_order_id, now, ("AmazonOrderItemCode", first_item.order_item_id, None)),
    ))
    assert report.summary == (2, 2, 0, 0), report.results
    shipped = instant.store.get(whole.amazon_order_id)
    assert shipped.status == "Shipped" and all(i.quantity_shipped == i.quantity_ordered for i in shipped.items)
    partly = instant.store.get(split.amazon_order_id)
    assert partly.status == "PartiallyShipped"
    assert [i.quantity_shipped for i in partly.items][0] == first_item.quantity_ordered
    assert orders_updated_since(instant, since) == {whole.amazon_order_id: "Shipped",
                                                    split.amazon_order_id: "PartiallyShipped"}
    # The rest, by item and quantity.
    rest = [("AmazonOrderItemCode", i.order_item_id, i.quantity_ordered) for i in split.items[1:]]
    report = feeds.report(FULFILLMENT, envelope("OrderFulfillment",
                                                fulfillment(split.amazon_order_id, instant.clock.now(), *rest)))
    assert report.summary == (1, 1, 0, 0)
    assert instant.store.get(split.amazon_order_id).status == "Shipped"


def test_merchant_ids_from_the_acknowledgement_find_orders_and_items(instant, feeds):
    order = an_order(instant, "Unshipped")
    item = order.items[0]
    feeds.report(ACKNOWLEDGEMENT, envelope("OrderAcknowledgement", acknowledgement(
        order.amazon_order_id, merchant_order_id="SHOP-77", items=[(item.order_item_id, "SHOP-77-1", None)])))
    report = feeds.report(FULFILLMENT, envelope("OrderFulfillment", fulfillment(
        "SHOP-77", instant.clock.now(), ("MerchantOrderItemID", "SHOP-77-1", 1), by="MerchantOrderID")))
    assert report.summary == (1, 1, 0, 0), report.results
    assert instant.store.get(order.amazon_order_id).items[0].quantity_shipped == 1


def test_fulfillment_errors(instant, feeds, envelope_schema):
    pending = an_order(instant, "Pending")
    shipped = an_order(instant, "Shipped")
    canceled = an_order(instant, "Canceled")
    open_order = an_order(instant, "Unshipped")
    item = open_order.items[0]
    now = instant.clock.now()
    both = fulfillment(open_order.amazon_order_id, now)
    both.insert(1, E.MerchantOrderID("M"))
    report = feeds.report(FULFILLMENT, envelope(
        "OrderFulfillment",
        fulfillment("999-9999999-9999999", now),  # 1 unknown order
        fulfillment(pending.amazon_order_id, now),  # 2 not paid yet
        fulfillment(shipped.amazon_order_id, now),  # 3 already shipped
        fulfillment(canceled.amazon_order_id, now),  # 4 canceled
        fulfillment(open_order.amazon_order_id, now, ("AmazonOrderItemCode", "12345678901234", 1)),  # 5
        fulfillment(open_order.amazon_order_id, now,
                    ("AmazonOrderItemCode", item.order_item_id, item.quantity_ordered + 1)),  # 6 too many
        fulfillment(open_order.amazon_order_id, now + timedelta(days=2)),  # 7 in the future
        fulfillment(open_order.amazon_order_id, now - timedelta(days=400)),  # 8 before the purchase
        fulfillment(open_order.amazon_order_id, now, carrier_code="Pigeon"),  # 9
        both,  # 10 AmazonOrderID and MerchantOrderID
        fulfillment("UNKNOWN-REF", now, by="MerchantOrderID"),  # 11
        fulfillment(open_order.amazon_order_id, now, ("AmazonOrderItemCode", item.order_item_id, 0)),  # 12
    ))
    envelope_schema.assertValid(report.root)
    assert report.summary == (12, 0, 12, 0)
    assert [(r["id"], r["code"]) for r in report.results] == [
        (1, 18021), (2, 18023), (3, 18023), (4, 18023), (5, 18022), (6, 18023), (7, 99010), (8, 99010),
        (9, 99010), (10, 99010), (11, 18021), (12, 99010)]
    assert report.results[1]["order"] == pending.amazon_order_id
    assert report.results[5]["item"] == item.order_item_id
    assert instant.store.get(open_order.amazon_order_id).status == "Unshipped"
