"""List Order Items, Get Order and the trigger's output over SP-API, compared field by field with the
sandbox's own order data (sb.store), not with the component's mapper; the out-schemas hold."""

from datetime import datetime, timezone

from mws_component.spapi.orders import NO_COUNTERPART
from mws_sandbox.spapi.tables import MARKETPLACES
from mws_tools.runner import LocalContext, run_function
from tests.schema_check import assert_valid

from .conftest import grants, spapi_calls


def run(name, cfg, body):
    ctx = LocalContext(out=None, flow_type="ordinary")
    run_function(name, cfg, {"body": body}, {}, ctx=ctx)
    return ctx


def iso(ms):
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc) if ms is not None else None


def when(text):
    from dateutil.parser import isoparse
    return isoparse(text)


def money(m):
    return {"currencyCode": m.currency, "amount": m.text} if m is not None else None


def na_orders(sb):
    return [o for o in sb.store.all() if MARKETPLACES[o.marketplace_id].region == "NA" and o.status != "InvoiceUnconfirmed"]


def sample_orders(sb):
    """A few orders of different kinds: paid and pending, MFN and AFN, business, gift, shipped."""
    orders = na_orders(sb)
    picks = {}
    for key, test in [("paid", lambda o: o.paid), ("pending", lambda o: not o.paid),
                      ("afn", lambda o: o.fulfillment_channel == "AFN" and o.paid),
                      ("business", lambda o: o.is_business), ("prime", lambda o: o.is_prime),
                      ("gift", lambda o: any(i.is_gift for i in o.items)),
                      ("shipped", lambda o: o.status == "Shipped"), ("partly", lambda o: o.status == "PartiallyShipped"),
                      ("canceled", lambda o: o.status == "Canceled"), ("seller id", lambda o: o.seller_order_id)]:
        found = next((o for o in orders if test(o)), None)
        if found is not None:
            picks[found.amazon_order_id] = found
    assert len(picks) >= 6
    return list(picks.values())


ADDRESS = (("name", "name"), ("addressLine1", "line1"), ("addressLine2", "line2"), ("addressLine3", "line3"),
           ("city", "city"), ("stateOrRegion", "state_or_region"), ("postalCode", "postal_code"),
           ("countryCode", "country_code"), ("phone", "phone"), ("municipality", "municipality"))


def check_order(out, o, now):
    """Every mapped order field against the store's record of the order (`now`: the sandbox's clock)."""
    assert out["amazonOrderId"] == o.amazon_order_id
    assert when(out["purchaseDate"]) == iso(o.purchase_ms)
    assert when(out["lastUpdateDate"]) == iso(o.last_update_ms)
    assert out["orderStatus"] == o.status
    assert out["fulfillmentChannel"] == o.fulfillment_channel
    assert out["salesChannel"] == o.sales_channel
    assert out["marketplaceId"] == o.marketplace_id
    assert out.get("shipmentServiceLevelCategory") == o.shipment_service_level_category
    for name, ms in (("earliestShipDate", o.earliest_ship_ms), ("latestShipDate", o.latest_ship_ms),
                     ("earliestDeliveryDate", o.earliest_delivery_ms), ("latestDeliveryDate", o.latest_delivery_ms)):
        assert (when(out[name]) if name in out else None) == iso(ms), name
    if o.shows_shipping_and_total:
        assert out["orderTotal"] == money(o.order_total)
        address = out["shippingAddress"]
        for key, attr in ADDRESS:
            if key != "phone":
                assert address.get(key) == getattr(o.shipping_address, attr), key
        # SP-API leaves the phone out for FBA orders and for FBM orders shipped and past their delivery date
        delivered = o.status == "Shipped" and o.latest_delivery_ms is not None and \
            o.latest_delivery_ms < o.last_update_ms + 10 ** 12 and iso(o.latest_delivery_ms) < now
        expected_phone = o.shipping_address.phone if o.fulfillment_channel == "MFN" and not delivered else None
        assert address.get("phone") == expected_phone
        assert address.get("districtOrCounty") == (o.shipping_address.county or o.shipping_address.district)
        assert address.get("addressType") == o.shipping_address.address_type
    else:
        assert "orderTotal" not in out
    # buyerEmail: FBM orders only (Orders API 2026-01-01 model: Buyer.buyerEmail)
    assert out.get("buyerEmail") == (o.buyer_email if o.shows_buyer_email and o.fulfillment_channel == "MFN" else None)
    assert out.get("buyerName") == (o.buyer_name if o.shows_buyer_identity else None)
    assert out.get("sellerOrderId") == o.seller_order_id
    # the buyer section (name, purchase order number) comes once the buyer is known (charged, or a pre-order)
    assert out.get("purchaseOrderNumber") == (o.purchase_order_number if o.shows_buyer_identity else None)
    assert out.get("isBusinessOrder", False) == o.is_business
    assert out.get("isPrime", False) == o.is_prime
    assert out.get("isPremiumOrder", False) == o.is_premium
    assert out.get("isReplacementOrder", False) == o.is_replacement
    assert out.get("replacedOrderId") == o.replaced_order_id
    assert out.get("orderType") == ("Preorder" if o.order_type == "Preorder" else None)
    assert out.get("numberOfItemsShipped", 0) == o.number_of_items_shipped
    for name in NO_COUNTERPART["order.json"]:
        top, _, inner = name.partition(".")
        if inner:
            assert inner not in out.get(top, {}), name
        else:
            assert top not in out, name
    assert_valid(out, "order.json")


def present(m):
    """A Money the 2026-01-01 proceeds carry: a breakdown is there only when it is not zero."""
    return money(m) if m is not None and m.amount else None


def check_item(out, item, order):
    assert out["orderItemId"] == item.order_item_id
    assert out["asin"] == item.asin
    assert out["sellerSKU"] == item.seller_sku
    assert out["title"] == item.title
    assert out["quantityOrdered"] == item.quantity_ordered
    assert out["quantityShipped"] == item.quantity_shipped
    if order.shows_shipping_and_total:
        assert out["itemPrice"] == money(item.item_price)
        assert out.get("shippingPrice") == present(item.shipping_price)
        assert out.get("giftWrapPrice") == present(item.gift_wrap_price)
        assert out.get("codFee") == present(item.cod_fee)
        taxed = not order.tax_included  # in VAT markets the tax is inside the prices: no TAX breakdown
        assert out.get("itemTax") == (present(item.item_tax) if taxed else None)
        assert out.get("shippingTax") == (present(item.shipping_tax) if taxed else None)
    else:
        assert not {"itemPrice", "itemTax", "shippingPrice", "unitPrice"} & set(out)
    assert out.get("isGift", False) == item.is_gift
    assert out.get("giftMessageText") == (item.gift_message if item.is_gift else None)
    assert out.get("giftWrapLevel") == (item.gift_wrap_level if item.is_gift else None)
    assert out.get("conditionId") == item.condition_id
    assert out.get("conditionNote") == item.condition_note
    assert sorted(out.get("promotionIds", [])) == sorted(item.promotion_ids)
    assert out.get("serialNumberRequired", False) == item.serial_number_required
    assert out.get("isTransparency", False) == item.is_transparency
    for name in NO_COUNTERPART["orderItem.json"]:
        assert name not in out, name
    assert_valid(out, "orderItem.json")


def test_get_order_maps_every_listed_field_from_the_sandbox_order(spapi_sandbox, spapi_cfg):
    orders = sample_orders(spapi_sandbox)
    ctx = run("getOrder", spapi_cfg, {"amazonOrderIds": [o.amazon_order_id for o in orders]})
    [event] = ctx.events
    got = {o["amazonOrderId"]: o for o in event["body"]["orders"]}
    assert set(got) == {o.amazon_order_id for o in orders} and event["body"]["notFound"] == []
    for order in orders:
        check_order(got[order.amazon_order_id], order, spapi_sandbox.clock.now())


def test_list_order_items_gives_every_item_mapped_from_the_sandbox_order(spapi_sandbox, spapi_cfg):
    sb = spapi_sandbox
    for order in sample_orders(sb):
        before = len(sb.requests)
        ctx = run("listOrderItems", spapi_cfg, {"amazonOrderId": order.amazon_order_id})
        [event] = ctx.events
        assert event["event"] == "data" and event["body"]["amazonOrderId"] == order.amazon_order_id
        items = event["body"]["orderItems"]
        by_id = {i.order_item_id: i for i in order.items}
        assert {i["orderItemId"] for i in items} == set(by_id)
        for item in items:
            check_item(item, by_id[item["orderItemId"]], order)
        assert [r.action for r in spapi_calls(sb, before)] == ["getOrder"]  # all items from one call


def test_the_trigger_emits_orders_mapped_like_get_order(spapi_sandbox, spapi_cfg):
    sb = spapi_sandbox
    ctx = run("listOrders", spapi_cfg | {"marketplaceIds": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8"]}, {})
    emitted = [e["body"] for e in ctx.events if e["event"] == "data"]
    assert emitted
    for out in emitted:
        order = sb.store.get(out["amazonOrderId"])
        if order.status != "InvoiceUnconfirmed":
            check_order(out, order, sb.clock.now())


def test_get_order_reports_unknown_ids_as_not_found(spapi_sandbox, spapi_cfg):
    sb = spapi_sandbox
    known = na_orders(sb)[0].amazon_order_id
    eu = next(o for o in sb.store.all() if MARKETPLACES[o.marketplace_id].region == "EU").amazon_order_id
    ctx = run("getOrder", spapi_cfg, {"amazonOrderIds": ["111-0000000-0000000", known, eu]})
    [event] = ctx.events
    assert [o["amazonOrderId"] for o in event["body"]["orders"]] == [known]
    assert event["body"]["notFound"] == ["111-0000000-0000000", eu]  # the EU order is not on the NA endpoint


def test_get_order_is_paced_by_its_bucket_and_collects_no_429(spapi_sandbox, spapi_cfg):
    sb = spapi_sandbox
    ids = [o.amazon_order_id for o in na_orders(sb)][:40]  # more than getOrder's burst of 30
    before = len(sb.requests)
    ctx = run("getOrder", spapi_cfg, {"amazonOrderIds": ids})
    [event] = ctx.events
    assert len(event["body"]["orders"]) == len(ids)
    calls = spapi_calls(sb, before)
    assert len(calls) == len(ids) and all(r.status == 200 for r in calls)
    assert len(grants(sb, before)) <= 1


def test_an_unknown_order_for_list_order_items_is_an_error_naming_it(spapi_sandbox, spapi_cfg):
    ctx = run("listOrderItems", spapi_cfg, {"amazonOrderId": "111-0000000-0000000"})
    [event] = ctx.events
    assert event["event"] == "error" and "111-0000000-0000000" in event["error"]["message"]
    assert "NotFound" in event["error"]["message"]
