"""Amazon's own sample answers (../shared/mws-samples) mapped to the out-schemas."""

import jsonschema
import pytest

from tests.schema_check import assert_valid

from mws_component import mapper, schemas, xmlsafe
from mws_component.mws import orders
from mws_component.mws.envelope import Result

ORDER_OPS = ["ListOrders", "ListOrdersByNextToken", "GetOrder"]
ITEM_OPS = ["ListOrderItems", "ListOrderItemsByNextToken"]


def result_of(path, op):
    root = xmlsafe.parse(path.read_bytes())
    return Result(op, root, xmlsafe.find(root, f"{op}Result"), None, {})


@pytest.mark.parametrize("op", ORDER_OPS)
def test_order_mocks_map_every_element(shared_dir, op):
    found = orders.orders_of(result_of(shared_dir / f"mws-samples/orders/{op}Response.xml", op))
    assert len(found) == 1
    order = found[0]
    assert_valid(order, "order.json", strict=False)
    # repeated elements are lists even with one child; wrappers are flattened
    assert order["paymentMethodDetails"] == ["String"]
    assert order["paymentExecutionDetail"] == [{"payment": {"currencyCode": "String", "amount": "String"},
                                                "paymentMethod": "String"}]
    assert order["buyerTaxInfo"]["taxClassifications"] == [{"name": "String", "value": "String"}]
    assert order["numberOfItemsShipped"] == 1 and isinstance(order["numberOfItemsUnshipped"], int)
    assert order["isBusinessOrder"] is True and order["shippedByAmazonTFM"] is True
    assert order["orderTotal"] == {"currencyCode": "String", "amount": "String"}
    assert order["purchaseDate"] == "1969-07-21T02:56:03Z"
    # every schema property of the Order appears in the schema-shaped mock, except the newest elements
    missing = set(schemas.load("order.json")["properties"]) - set(order)
    assert missing <= {"isAccessPointOrder", "isIBA", "isSoldByAB", "isEstimatedShipDateSet", "promiseResponseDueDate",
                       "automatedShippingSettings", "defaultShipFromLocationAddress", "isGlobalExpressEnabled",
                       "buyerCounty", "replacedOrderId", "isReplacementOrder", "isPremiumOrder",
                       "purchaseOrderNumber", "isPrime",
                       "buyerCompanyName"}, missing  # SP-API only (Orders API 2026-01-01 buyer.buyerCompanyName)


@pytest.mark.parametrize("op", ITEM_OPS)
def test_order_item_mocks(shared_dir, op):
    items = orders.order_items_of(result_of(shared_dir / f"mws-samples/orders/{op}Response.xml", op))
    assert len(items) == 1
    item = items[0]
    assert_valid(item, "orderItem.json", strict=False)
    assert item["asin"] == "String" and item["sellerSKU"] == "String" and item["orderItemId"] == "String"
    assert item["quantityOrdered"] == 1
    assert item["promotionIds"] == ["String"]
    assert item["codFee"] == {"currencyCode": "String", "amount": "String"}
    assert item["invoiceData"]["invoiceRequirement"] == "String"


def test_documented_list_orders_with_its_defects(shared_dir):
    result = result_of(shared_dir / "mws-samples/docs/ListOrders-example1.xml", "ListOrders")
    found = orders.orders_of(result)
    assert [o["amazonOrderId"] for o in found] == ["902-3159896-1390916", "483-3488972-0896720", "058-1233752-8214740"]
    for order in found:
        assert_valid(order, "order.json", strict=False)
    us, br, jp = found
    assert us["orderTotal"] == {"currencyCode": "USD", "amount": "25.00"}
    assert us["defaultShipFromLocationAddress"]["isAddressSharingConfidential"] is False
    assert br["purchaseDate"] == "20178-02-20T19:49:35Z"  # impossible date kept as sent, not a crash
    assert jp["purchaseDate"] == "2017-02-05T00:06:07.000Z"  # percent-escapes undone
    assert jp["shipmentServiceLevelCategory"] == "Standard"  # "Standard " trimmed
    assert jp["paymentExecutionDetail"][0]["payment"]["amount"]  # Amount before CurrencyCode is fine
    assert jp["paymentExecutionDetail"][0]["payment"]["currencyCode"] == "JPY"


def test_documented_get_order_stray_text_and_whitespace(shared_dir):
    [order] = orders.orders_of(result_of(shared_dir / "mws-samples/docs/GetOrder-example1.xml", "GetOrder"))
    assert_valid(order, "order.json")
    assert order["marketplaceId"] == "ATVPDKIKX0DER"
    assert order["shipmentServiceLevelCategory"] == "Standard"
    assert order["paymentMethodDetails"] == ["CreditCard", "GiftCerificate"]  # Amazon's misspelling kept
    assert "orderTotal" not in order and "buyerEmail" not in order  # Pending: no buyer or price data


def test_documented_order_items(shared_dir):
    items = orders.order_items_of(result_of(shared_dir / "mws-samples/docs/ListOrderItems-example1.xml", "ListOrderItems"))
    assert len(items) == 2
    for item in items:
        assert_valid(item, "orderItem.json")
    first = items[0]
    assert first["itemPrice"] == {"currencyCode": "JPY", "amount": "25.99"}  # string, never a float
    assert first["scheduledDeliveryStartDate"] == "2013-09-071T02:00:00.000-06:00"  # xs:string, trimmed
    assert first["isGift"] is False and first["giftMessageText"] == "For you!"
    assert first["productInfo"] == {"numberOfItems": 12}
    assert first["buyerCustomizedInfo"]["customizedURL"].startswith("https://")


def test_documented_by_next_token_examples_parse(shared_dir):
    orders_page = orders.orders_of(result_of(shared_dir / "mws-samples/docs/ListOrdersByNextToken-example1.xml",
                                             "ListOrdersByNextToken"))
    assert orders_page and all(o["amazonOrderId"] for o in orders_page)
    items = orders.order_items_of(result_of(shared_dir / "mws-samples/docs/ListOrderItemsByNextToken-example1.xml",
                                            "ListOrderItemsByNextToken"))
    assert len(items) == 2 and items[0]["itemPrice"]["currencyCode"] == "USD"


def test_service_status_mock(shared_dir):
    result = result_of(shared_dir / "mws-samples/orders/GetServiceStatusResponse.xml", "GetServiceStatus")
    status = mapper.map_element(result.result, schemas.load("serviceStatus.json"))
    assert status == {"status": "String", "timestamp": "1969-07-21T02:56:03Z", "messageId": "String",
                      "messages": [{"locale": "String", "text": "String"}]}


def test_every_function_schema_is_valid_and_shares_definitions():
    for name in ["order.json", "orderItem.json", "getOrder.in.json", "getOrder.out.json", "listOrderItems.in.json",
                 "listOrderItems.out.json", "listOrders.page.out.json", "serviceStatus.json", "feedSubmissionInfo.json",
                 "submitFeed.out.json", "feedSubmissionId.in.json", "processingResult.json",
                 "feedSubmissionResult.out.json"]:
        jsonschema.Draft7Validator.check_schema(schemas._to_draft7(schemas.load(name)))
    order = {k: v for k, v in schemas.load("order.json").items() if k not in ("$schema", "definitions")}
    item = {k: v for k, v in schemas.load("orderItem.json").items() if k not in ("$schema", "definitions")}
    # the platform cannot follow references across files, so the out files embed copies; they must not drift
    assert schemas.load("getOrder.out.json")["definitions"]["order"] == order
    assert schemas.load("listOrders.page.out.json")["definitions"]["order"] == order
    assert schemas.load("listOrderItems.out.json")["definitions"]["orderItem"] == item
    result = {k: v for k, v in schemas.load("processingResult.json").items() if k != "$schema"}
    assert schemas.load("feedSubmissionResult.out.json")["definitions"]["result"] == result
