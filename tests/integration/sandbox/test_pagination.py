"""NextToken pagination of orders and order items, stable while data changes."""

import pytest
from lxml import etree

from mws_sandbox import Sandbox

from .conftest import EARLY, NS, Caller, error_of, order_ids, result

# OrderItem children in the documented order (Orders_Datatypes, OrderItem).
ITEM_CHILDREN = [
    "ASIN", "OrderItemId", "SellerSKU", "BuyerCustomizedInfo", "BuyerRequestedCancel", "Title", "QuantityOrdered",
    "QuantityShipped", "PointsGranted", "ProductInfo", "ItemPrice", "ShippingPrice", "GiftWrapPrice", "ItemTax",
    "ShippingTax", "GiftWrapTax", "ShippingDiscount", "ShippingDiscountTax", "PromotionDiscount",
    "PromotionDiscountTax", "CODFee", "CODFeeDiscount", "TaxCollection", "PromotionIds", "IsGift", "GiftMessageText",
    "GiftWrapLevel", "InvoiceData", "ConditionNote", "ConditionId", "ConditionSubtypeId",
    "ScheduledDeliveryStartDate", "ScheduledDeliveryEndDate", "PriceDesignation", "IsTransparency",
    "SerialNumberRequired", "IossNumber"]
PRICE_ELEMENTS = {"ItemTax", "GiftWrapPrice", "ItemPrice", "PromotionDiscount", "GiftWrapTax", "ShippingTax",
                  "ShippingPrice", "ShippingDiscount"}


def next_token(response):
    return result(response).findtext("o:NextToken", namespaces=NS)


def pages(mws, first):
    """The responses of a whole ListOrders walk, starting from the first response."""
    responses = [first]
    while next_token(responses[-1]):
        responses.append(mws.call("ListOrdersByNextToken", {"NextToken": next_token(responses[-1])}))
    return responses


def test_pages_cover_the_query_exactly_once(shared_sandbox, mws):
    walk = pages(mws, mws.list_orders(**mws.all_markets(LastUpdatedAfter=EARLY, MaxResultsPerPage="17")))
    ids = [i for r in walk for i in order_ids(r)]
    expected = [o.amazon_order_id for o in sorted(shared_sandbox.store.all(),
                                                  key=lambda o: (o.last_update_ms, o.amazon_order_id))]
    assert ids == expected
    assert [len(order_ids(r)) for r in walk[:-1]] == [17] * (len(walk) - 1)
    for response in walk:  # every page echoes the same upper bound, after the token if there is one
        names = [etree.QName(c).localname for c in result(response)]
        assert names == (["NextToken"] if next_token(response) else []) + ["LastUpdatedBefore", "Orders"]
    assert len({result(r).findtext("o:LastUpdatedBefore", namespaces=NS) for r in walk}) == 1
    assert etree.QName(walk[1].xml).localname == "ListOrdersByNextTokenResponse"


def served_keys(response):
    return [(e.findtext("o:LastUpdateDate", namespaces=NS), e.findtext("o:AmazonOrderId", namespaces=NS))
            for e in result(response).iterfind("o:Orders/o:Order", NS)]


def test_pagination_is_stable_while_orders_change():
    with Sandbox(seed=3, orders=80, quotas=False) as sb:
        mws = Caller(sb)
        before = {o.amazon_order_id: o.last_update_ms for o in sb.store.all()}
        response = mws.list_orders(**mws.all_markets(LastUpdatedAfter=EARLY, MaxResultsPerPage="9"))
        bound = result(response).findtext("o:LastUpdatedBefore", namespaces=NS)
        keys = served_keys(response)
        while next_token(response):
            sb.store.tick(4)  # orders move on and new ones arrive between pages...
            sb.clock.advance(200)  # ... and would already be visible to a new query
            response = mws.call("ListOrdersByNextToken", {"NextToken": next_token(response)})
            assert response.status_code == 200, response.text
            keys += served_keys(response)
        ids = [i for _, i in keys]
        changed = {o.amazon_order_id for o in sb.store.all() if before.get(o.amazon_order_id) != o.last_update_ms}
        assert changed
        assert keys == sorted(set(keys))  # keyset order across pages: nothing twice, nothing out of order
        assert len(ids) == len(set(ids))
        assert set(before) - changed <= set(ids)  # every order that did not change is there
        assert all(date < bound for date, _ in keys)  # changed versions lie past the echoed bound


def test_garbled_and_foreign_tokens_are_invalid(shared_sandbox, mws):
    response = mws.list_orders(**mws.all_markets(LastUpdatedAfter=EARLY, MaxResultsPerPage="5"))
    token = next_token(response)
    garbled = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    for bad in (garbled, "not base64!", "", token[:-8]):
        status, _, code, message = error_of(mws.call("ListOrdersByNextToken", {"NextToken": bad}))
        assert (status, code) == (400, "InvalidParameterValue") and "NextToken" in message
    with Sandbox(seed=1, orders=20, quotas=False) as other:
        assert error_of(Caller(other).call("ListOrdersByNextToken", {"NextToken": token}))[2] == "InvalidParameterValue"
    status, _, code, message = error_of(mws.call("ListOrderItemsByNextToken", {"NextToken": token}))
    assert (status, code) == (400, "InvalidParameterValue") and "another operation" in message


def test_by_next_token_needs_the_token(mws):
    assert "NextToken" in error_of(mws.call("ListOrdersByNextToken"))[3]


def test_max_results_per_page_default_is_100(mws):
    response = mws.list_orders(**mws.all_markets(LastUpdatedAfter=EARLY))
    assert len(order_ids(response)) == 100 and next_token(response)


# -- order items ----------------------------------------------------------------------------

def item_pages(mws, amazon_order_id):
    responses = [mws.call("ListOrderItems", {"AmazonOrderId": amazon_order_id})]
    while next_token(responses[-1]):
        responses.append(mws.call("ListOrderItemsByNextToken", {"NextToken": next_token(responses[-1])}))
    return responses


def test_order_items_page_by_five(shared_sandbox, mws):
    order = next(o for o in shared_sandbox.store.all() if len(o.items) == 12)
    walk = item_pages(mws, order.amazon_order_id)
    counts = [len(result(r).findall("o:OrderItems/o:OrderItem", NS)) for r in walk]
    assert counts == [5, 5, 2]
    ids = [e.text for r in walk for e in result(r).iterfind("o:OrderItems/o:OrderItem/o:OrderItemId", NS)]
    assert ids == [i.order_item_id for i in order.items]
    for response in walk:
        names = [etree.QName(c).localname for c in result(response)]
        assert names == (["NextToken"] if next_token(response) else []) + ["AmazonOrderId", "OrderItems"]
        assert result(response).findtext("o:AmazonOrderId", namespaces=NS) == order.amazon_order_id
    assert etree.QName(walk[1].xml).localname == "ListOrderItemsByNextTokenResponse"


def test_item_children_follow_the_documented_order(shared_sandbox, mws):
    for order in shared_sandbox.store.all()[:40]:
        for response in item_pages(mws, order.amazon_order_id):
            for item in result(response).iterfind("o:OrderItems/o:OrderItem", NS):
                names = [etree.QName(c).localname for c in item]
                positions = [ITEM_CHILDREN.index(n) for n in names]
                assert positions == sorted(positions), names
                assert item.findtext("o:OrderItemId", namespaces=NS).isdigit()
                assert len(item.findtext("o:OrderItemId", namespaces=NS)) == 14


def test_pending_order_items_have_no_prices_or_taxes(shared_sandbox, mws):
    pending = [o for o in shared_sandbox.store.all() if o.status == "Pending"]
    shipped = next(o for o in shared_sandbox.store.all() if o.status == "Shipped")
    for order in pending[:5]:
        for response in item_pages(mws, order.amazon_order_id):
            for item in result(response).iterfind("o:OrderItems/o:OrderItem", NS):
                assert not {etree.QName(c).localname for c in item} & PRICE_ELEMENTS
    item = result(item_pages(mws, shipped.amazon_order_id)[0]).find("o:OrderItems/o:OrderItem", NS)
    assert {"ItemPrice", "ItemTax"} <= {etree.QName(c).localname for c in item}


@pytest.mark.parametrize("value,expected", [("111-1111111-1111111", "Invalid AmazonOrderId: 111-1111111-1111111"),
                                            ("1111111111", "3-7-7")])
def test_list_order_items_unknown_or_malformed_id(mws, value, expected):
    status, _, code, message = error_of(mws.call("ListOrderItems", {"AmazonOrderId": value}))
    assert (status, code) == (400, "InvalidParameterValue") and expected in message


def test_list_order_items_needs_an_id(mws):
    assert "AmazonOrderId" in error_of(mws.call("ListOrderItems"))[3]
