"""ListOrders rules, bounds, ordering, filters and the Order element (Orders_ListOrders)."""

import re
from datetime import datetime, timedelta

import pytest
from lxml import etree

from mws_component.mws import signing
from mws_sandbox.clock import datetime_to_ms, format_ms

from .conftest import EARLY, JP, NS, US, error_of, every_order_element, order_ids, result

# Order children in the documented order (Orders_Datatypes, Order).
ORDER_CHILDREN = [
    "AmazonOrderId", "SellerOrderId", "PurchaseDate", "LastUpdateDate", "OrderStatus", "FulfillmentChannel",
    "SalesChannel", "OrderChannel", "ShipServiceLevel", "ShippingAddress", "DefaultShipFromLocationAddress",
    "OrderTotal", "NumberOfItemsShipped", "NumberOfItemsUnshipped", "PaymentExecutionDetail", "PaymentMethod",
    "PaymentMethodDetails", "IsReplacementOrder", "ReplacedOrderId", "MarketplaceId", "BuyerEmail", "BuyerName",
    "BuyerCounty", "BuyerTaxInfo", "ShipmentServiceLevelCategory", "EasyShipShipmentStatus", "OrderType",
    "EarliestShipDate", "LatestShipDate", "EarliestDeliveryDate", "LatestDeliveryDate", "IsBusinessOrder",
    "IsSoldByAB", "IsIBA", "IsAccessPointOrder", "PurchaseOrderNumber", "IsPrime", "IsPremiumOrder",
    "IsGlobalExpressEnabled", "PromiseResponseDueDate", "IsEstimatedShipDateSet", "AutomatedShippingSettings"]
ADDRESS_CHILDREN = ["Name", "AddressLine1", "AddressLine2", "AddressLine3", "City", "Municipality", "County",
                    "District", "StateOrRegion", "PostalCode", "CountryCode", "Phone", "AddressType"]


def stamp(sandbox, seconds_ago):
    return signing.timestamp(sandbox.clock.now() - timedelta(seconds=seconds_ago))


def in_documented_order(names, documented):
    positions = [documented.index(n) for n in names]
    return positions == sorted(positions) and len(set(names)) == len(names)


def invalid_message(response):
    status, kind, code, message = error_of(response)
    assert (status, kind, code) == (400, "Sender", "InvalidParameterValue"), message
    return message


# -- parameter rules ------------------------------------------------------------------------

def test_neither_created_after_nor_last_updated_after(mws):
    assert invalid_message(mws.list_orders()) == "CreatedAfter or LastUpdatedAfter must be specified"


def test_created_after_and_last_updated_after_together(mws):
    assert "cannot both" in invalid_message(mws.list_orders(CreatedAfter=EARLY, LastUpdatedAfter=EARLY))


@pytest.mark.parametrize("after,before", [("CreatedAfter", "LastUpdatedBefore"),
                                          ("LastUpdatedAfter", "CreatedBefore")])
def test_before_of_the_other_kind_is_refused(mws, after, before):
    message = invalid_message(mws.list_orders(**{after: EARLY, before: "2001-01-01T00:00:00Z"}))
    assert before in message


@pytest.mark.parametrize("name", ["CreatedAfter", "LastUpdatedAfter", "CreatedBefore", "LastUpdatedBefore"])
def test_two_minute_rule(shared_sandbox, mws, name):
    kind = "Created" if name.startswith("Created") else "LastUpdated"
    params = {f"{kind}After": EARLY, name: stamp(shared_sandbox, 60)}
    message = invalid_message(mws.list_orders(**params))
    assert message.startswith(f"{name} date [") and "two minutes" in message


def test_two_minute_rule_boundary_and_default_upper_bound(shared_sandbox, mws):
    response = mws.list_orders(LastUpdatedAfter=stamp(shared_sandbox, 125))
    assert response.status_code == 200
    echoed = result(response).findtext("o:LastUpdatedBefore", namespaces=NS)
    gap = parse_ms(response.headers["x-mws-timestamp"]) - parse_ms(echoed)
    assert 119_000 <= gap <= 121_000  # *Before defaults to "now minus two minutes"


def parse_ms(text):
    return datetime_to_ms(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ"))


def test_before_earlier_than_after_uses_amazons_message(mws):
    message = invalid_message(mws.list_orders(LastUpdatedAfter="2021-02-19T13:38:48.974Z",
                                              LastUpdatedBefore="2021-01-20T10:00:00Z"))
    assert message == ("LastUpdatedAfter date [2021-02-19T13:38:48.974Z] cannot be after "
                       "LastUpdatedBefore date [2021-01-20T10:00:00.000Z]")


@pytest.mark.parametrize("value", ["2020-01-01T00%3A00%3A00Z", "yesterday", "2020-13-01T00:00:00Z",
                                   "20178-02-20T19:49:35Z", ""])
def test_dates_must_be_iso_8601(mws, value):
    status, _, code, message = error_of(mws.list_orders(CreatedAfter=value))
    assert (status, code) == (400, "MalformedInput") and "ISO8601" in message


@pytest.mark.parametrize("statuses", [["Unshipped"], ["PartiallyShipped"], ["Unshipped", "Shipped"]])
def test_unshipped_and_partially_shipped_go_together(mws, statuses):
    params = {f"OrderStatus.Status.{i}": s for i, s in enumerate(statuses, 1)}
    assert "Unshipped and PartiallyShipped" in invalid_message(mws.list_orders(CreatedAfter=EARLY, **params))


def test_unknown_enumeration_values(mws):
    assert "Cancelled" in invalid_message(mws.list_orders(CreatedAfter=EARLY, **{"OrderStatus.Status.1": "Cancelled"}))
    assert "FBA" in invalid_message(mws.list_orders(CreatedAfter=EARLY, **{"FulfillmentChannel.Channel.1": "FBA"}))
    assert "Card" in invalid_message(mws.list_orders(CreatedAfter=EARLY, **{"PaymentMethod.Method.1": "Card"}))


@pytest.mark.parametrize("value", ["0", "101", "-1", "ten", "1.5"])
def test_max_results_per_page_range(mws, value):
    assert "MaxResultsPerPage" in invalid_message(mws.list_orders(CreatedAfter=EARLY, MaxResultsPerPage=value))


def test_marketplace_id_is_required(mws):
    response = mws.call("ListOrders", {"CreatedAfter": EARLY})
    assert "MarketplaceId.Id.1" in invalid_message(response)


def test_marketplace_ids_at_most_50(mws):
    params = {f"MarketplaceId.Id.{i}": US for i in range(1, 52)}
    assert "at most 50" in invalid_message(mws.call("ListOrders", {"CreatedAfter": EARLY, **params}))
    params.pop("MarketplaceId.Id.51")
    assert mws.call("ListOrders", {"CreatedAfter": EARLY, **params}).status_code == 200


@pytest.mark.parametrize("marketplace_id,why", [("A39IBJ37TRP1C6", "not registered"), ("XYZ", "no such")])
def test_marketplace_must_be_one_the_seller_is_registered_in(mws, marketplace_id, why):
    params = {"CreatedAfter": EARLY, "MarketplaceId.Id.1": US, "MarketplaceId.Id.2": marketplace_id}
    message = invalid_message(mws.call("ListOrders", params))
    assert marketplace_id in message and why in message


@pytest.mark.parametrize("search", ["BuyerEmail", "SellerOrderId"])
@pytest.mark.parametrize("other", ["FulfillmentChannel.Channel.1", "OrderStatus.Status.1", "PaymentMethod.Method.1",
                                   "LastUpdatedAfter", "LastUpdatedBefore", "the other"])
def test_buyer_email_and_seller_order_id_exclusions(mws, search, other):
    values = {"FulfillmentChannel.Channel.1": "MFN", "OrderStatus.Status.1": "Shipped",
              "PaymentMethod.Method.1": "Other", "LastUpdatedAfter": EARLY, "LastUpdatedBefore": "2001-01-01T00:00:00Z"}
    if other == "the other":
        other = "SellerOrderId" if search == "BuyerEmail" else "BuyerEmail"
    params = {search: "x@example.com", other: values.get(other, "SO-1")}
    if other != "LastUpdatedAfter":
        params["CreatedAfter"] = EARLY
    message = invalid_message(mws.list_orders(**params))
    assert search in message and other.split(".")[0] in message


# -- bounds, ordering, echo -------------------------------------------------------------------

def all_pages(mws, **params):
    """Every order of a ListOrders query, following NextToken."""
    response = mws.list_orders(**params)
    ids = order_ids(response)
    token = result(response).findtext("o:NextToken", namespaces=NS)
    while token:
        response = mws.call("ListOrdersByNextToken", {"NextToken": token})
        ids += order_ids(response)
        token = result(response).findtext("o:NextToken", namespaces=NS)
    return ids


def test_last_updated_bounds_inclusive_after_exclusive_before(shared_sandbox, mws):
    us_orders = sorted((o for o in shared_sandbox.store.all() if o.marketplace_id == US),
                       key=lambda o: (o.last_update_ms, o.amazon_order_id))
    middle = us_orders[len(us_orders) // 2]
    after = format_ms(middle.last_update_ms)
    later = next(o for o in us_orders if o.last_update_ms > middle.last_update_ms + 1000)
    before = format_ms(later.last_update_ms)
    ids = all_pages(mws, LastUpdatedAfter=after, LastUpdatedBefore=before)
    expected = [o.amazon_order_id for o in us_orders if middle.last_update_ms <= o.last_update_ms < later.last_update_ms]
    assert ids == expected
    assert middle.amazon_order_id in ids and later.amazon_order_id not in ids


def test_created_queries_order_by_purchase_date_and_echo_created_before(shared_sandbox, mws):
    response = mws.list_orders(CreatedAfter=EARLY, **{"MarketplaceId.Id.1": JP})
    res = result(response)
    assert res.find("o:CreatedBefore", NS) is not None and res.find("o:LastUpdatedBefore", NS) is None
    dates = [(e.findtext("o:PurchaseDate", namespaces=NS), e.findtext("o:AmazonOrderId", namespaces=NS))
             for e in res.iterfind("o:Orders/o:Order", NS)]
    assert dates == sorted(dates) and len(dates) > 5


def test_last_updated_queries_order_by_last_update_then_id(mws):
    response = mws.list_orders(LastUpdatedAfter=EARLY)
    res = result(response)
    keys = [(e.findtext("o:LastUpdateDate", namespaces=NS), e.findtext("o:AmazonOrderId", namespaces=NS))
            for e in res.iterfind("o:Orders/o:Order", NS)]
    assert keys == sorted(keys)
    assert [etree.QName(c).localname for c in res] == ["LastUpdatedBefore", "Orders"]  # one page: no NextToken


def test_explicit_before_is_echoed(mws):
    response = mws.list_orders(LastUpdatedAfter=EARLY, LastUpdatedBefore="2020-05-28T11:20:25.747Z")
    assert result(response).findtext("o:LastUpdatedBefore", namespaces=NS) == "2020-05-28T11:20:25.747Z"


# -- filters --------------------------------------------------------------------------------

def test_all_marketplaces_return_every_order(shared_sandbox, mws):
    assert sorted(all_pages(mws, **mws.all_markets(CreatedAfter=EARLY))) == \
        sorted(o.amazon_order_id for o in shared_sandbox.store.all())


@pytest.mark.parametrize("param,value,attribute", [
    ("OrderStatus.Status.1", "Canceled", "status"), ("FulfillmentChannel.Channel.1", "AFN", "fulfillment_channel"),
    ("PaymentMethod.Method.1", "COD", "payment_method")])
def test_list_filters(shared_sandbox, mws, param, value, attribute):
    ids = all_pages(mws, **mws.all_markets(CreatedAfter=EARLY, **{param: value}))
    expected = [o.amazon_order_id for o in shared_sandbox.store.all() if getattr(o, attribute) == value]
    assert sorted(ids) == sorted(expected) and ids


def test_unshipped_with_partially_shipped(shared_sandbox, mws):
    ids = all_pages(mws, **mws.all_markets(LastUpdatedAfter=EARLY, **{
        "OrderStatus.Status.1": "Unshipped", "OrderStatus.Status.2": "PartiallyShipped"}))
    expected = [o.amazon_order_id for o in shared_sandbox.store.all() if o.status in ("Unshipped", "PartiallyShipped")]
    assert sorted(ids) == sorted(expected)


def test_buyer_email_and_seller_order_id_search(shared_sandbox, mws):
    order = next(o for o in shared_sandbox.store.all() if o.seller_order_id and o.shows_buyer_email)
    assert all_pages(mws, **mws.all_markets(CreatedAfter=EARLY, SellerOrderId=order.seller_order_id)) == \
        [order.amazon_order_id]
    assert all_pages(mws, **mws.all_markets(CreatedAfter=EARLY, BuyerEmail=order.buyer_email)) == \
        [order.amazon_order_id]


# -- the Order element ----------------------------------------------------------------------

def test_order_children_follow_the_documented_order(mws):
    for order in every_order_element(mws):
        names = [etree.QName(c).localname for c in order]
        assert in_documented_order(names, ORDER_CHILDREN), names
        for address in order.iterfind("o:ShippingAddress", NS):
            assert in_documented_order([etree.QName(c).localname for c in address], ADDRESS_CHILDREN)
        for money in order.iterfind("o:OrderTotal", NS):
            assert [etree.QName(c).localname for c in money] == ["CurrencyCode", "Amount"]


def test_pending_orders_show_no_buyer_or_charge_data(mws):
    seen = 0
    for order in every_order_element(mws):
        status = order.findtext("o:OrderStatus", namespaces=NS)
        names = {etree.QName(c).localname for c in order}
        if status == "Pending" and order.findtext("o:OrderType", namespaces=NS) == "StandardOrder":
            seen += 1
            assert not names & {"BuyerEmail", "BuyerName", "ShippingAddress", "OrderTotal"}
        if status == "PendingAvailability":  # pre-orders: buyer identity only
            assert "BuyerName" in names and not names & {"ShippingAddress", "OrderTotal"}
        if status in ("Unshipped", "PartiallyShipped", "Shipped"):
            assert {"BuyerName", "ShippingAddress", "OrderTotal"} <= names
    assert seen >= 1


def test_jp_cod_orders_carry_payment_execution_detail(mws):
    cod = [o for o in every_order_element(mws) if o.findtext("o:PaymentMethod", namespaces=NS) == "COD"]
    assert cod
    for order in cod:
        assert order.findtext("o:MarketplaceId", namespaces=NS) == JP
        items = order.findall("o:PaymentExecutionDetail/o:PaymentExecutionDetailItem", NS)
        assert {i.findtext("o:PaymentMethod", namespaces=NS) for i in items} >= {"COD"}
        total = sum(float(i.findtext("o:Payment/o:Amount", namespaces=NS)) for i in items)
        assert total == pytest.approx(float(order.findtext("o:OrderTotal/o:Amount", namespaces=NS)))


def test_get_order(shared_sandbox, mws):
    known = [o.amazon_order_id for o in shared_sandbox.store.all()[:3]]
    response = mws.call("GetOrder", {"AmazonOrderId.Id.1": known[0], "AmazonOrderId.Id.2": "111-1111111-1111111",
                                     "AmazonOrderId.Id.3": known[2]})
    assert order_ids(response) == [known[0], known[2]]  # unknown ids are left out
    assert [etree.QName(c).localname for c in result(response)] == ["Orders"]


def test_get_order_id_rules(mws):
    assert "AmazonOrderId" in invalid_message(mws.call("GetOrder"))
    assert "3-7-7" in invalid_message(mws.call("GetOrder", {"AmazonOrderId.Id.1": "12345"}))
    many = {f"AmazonOrderId.Id.{i}": f"111-1111111-{i:07d}" for i in range(1, 52)}
    assert "at most 50" in invalid_message(mws.call("GetOrder", many))


def test_get_service_status(mws):
    response = mws.call("GetServiceStatus")
    res = result(response)
    assert [etree.QName(c).localname for c in res] == ["Status", "Timestamp"]
    assert res.findtext("{*}Status") == "GREEN"
    root = response.xml
    assert [etree.QName(c).localname for c in root] == ["GetServiceStatusResult", "ResponseMetadata"]
    assert root.findtext("{*}ResponseMetadata/{*}RequestId") == response.headers["x-mws-request-id"]


def test_response_headers(mws):
    response = mws.call("GetServiceStatus")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", response.headers["x-mws-timestamp"])
    assert response.headers["x-mws-request-id"]
    assert response.headers["Date"].endswith("GMT")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
