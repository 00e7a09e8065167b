"""Orders API 2026-01-01 orders and items mapped into schemas/order.json and orderItem.json."""

import copy
import json

import pytest

from mws_component import schemas
from mws_component.errors import ConfigurationError
from mws_component.spapi.orders import (ADDED_PROPERTIES, NO_COUNTERPART, NO_COUNTERPART_VALUES, STATUS_TO_MWS, fulfillment_statuses,
                                        item_of, order_items_of, order_of)
from tests.schema_check import assert_valid


def money(amount, currency="EUR"):
    return {"amount": amount, "currencyCode": currency}


HAND_MADE_ITEM = {
    "orderItemId": "40912345678901",
    "quantityOrdered": 2,
    "programs": ["TRANSPARENCY", "SUBSCRIBE_AND_SAVE"],
    "product": {
        "asin": "B0EXAMPLE1", "title": "Lamp", "sellerSku": "LAMP-1",
        "condition": {"conditionType": "USED", "conditionSubtype": "VERY_GOOD", "conditionNote": "Scratch on base"},
        "price": {"unitPrice": money("20.00"), "priceDesignation": "BUSINESS_PRICE"},
        "serialNumbers": ["S1"], "customization": {"customizedUrl": "https://example.com/c/1"},
    },
    "proceeds": {"proceedsTotal": money("47.10"), "breakdowns": [
        {"type": "ITEM", "subtotal": money("40.00")},
        {"type": "SHIPPING", "subtotal": money("5.00")},
        {"type": "GIFT_WRAP", "subtotal": money("2.50")},
        {"type": "COD_FEE", "subtotal": money("1.00")},
        {"type": "TAX", "subtotal": money("4.10"), "detailedBreakdowns": [
            {"subtype": "ITEM", "value": money("3.00")}, {"subtype": "SHIPPING", "value": money("0.60")},
            {"subtype": "GIFT_WRAP", "value": money("0.30")}, {"subtype": "DISCOUNT", "value": money("-0.20")}]},
        {"type": "DISCOUNT", "subtotal": money("-5.50"), "detailedBreakdowns": [
            {"subtype": "ITEM", "value": money("-4.00")}, {"subtype": "SHIPPING", "value": money("-1.00")},
            {"subtype": "COD_FEE", "value": money("-0.50")}]},
    ]},
    "expense": {"pointsCost": {"pointsGranted": {"pointsNumber": 40, "pointsMonetaryValue": money("40", "JPY")}}},
    "promotion": {"breakdowns": [{"promotionId": "PROMO-1"}, {"promotionId": "PROMO-2"}]},
    "cancellation": {"cancellationRequest": {"requester": "BUYER", "cancelReason": "Ordered by mistake"}},
    "fulfillment": {
        "quantityFulfilled": 1, "quantityUnfulfilled": 1,
        "packing": {"giftOption": {"giftMessage": "Enjoy", "giftWrapLevel": "CLASSIC"},
                    "serialNumberRequirement": {"requirementType": "REQUIRED"}},
        "shipping": {"scheduledDeliveryWindow": {"earliestDateTime": "2026-02-03T09:00:00Z",
                                                 "latestDateTime": "2026-02-03T12:00:00Z"},
                     "internationalShipping": {"iossNumber": "IM0001"}},
    },
    "tax": {"taxCollections": [{"model": "MARKETPLACE_FACILITATOR", "responsibleParty": "Amazon Services, Inc."}]},
}

HAND_MADE_ORDER = {
    "orderId": "305-1234567-7654321",
    "orderAliases": [{"aliasId": "OTHER", "aliasType": "OTHER_ID"}, {"aliasId": "MY-42", "aliasType": "SELLER_ORDER_ID"}],
    "createdTime": "2026-02-01T10:00:00Z",
    "lastUpdatedTime": "2026-02-01T11:30:00Z",
    "programs": ["PRIME", "AMAZON_BUSINESS", "PREMIUM", "INVOICE_BY_AMAZON", "PREORDER"],
    "associatedOrders": [{"orderId": "305-0000000-0000001", "associationType": "REPLACEMENT_ORIGINAL_ID"}],
    "salesChannel": {"channelName": "AMAZON", "marketplaceId": "A1PA6795UKMFR9", "marketplaceName": "Amazon.de"},
    "buyer": {"buyerName": "Erika Muster", "buyerEmail": "x@marketplace.amazon.de", "buyerCompanyName": "Muster GmbH",
              "buyerPurchaseOrderNumber": "PO-7"},
    "recipient": {"deliveryAddress": {
        "name": "Erika Muster", "companyName": "Muster GmbH", "addressLine1": "Hauptstr. 1", "addressLine2": "Hof",
        "addressLine3": "3. OG", "city": "Köln", "districtOrCounty": "Innenstadt", "stateOrRegion": "NRW",
        "municipality": "Köln-Altstadt", "postalCode": "50667", "countryCode": "DE", "phone": "+49 221 1",
        "addressType": "RESIDENTIAL", "extendedFields": {"streetName": "Hauptstr."}}},
    "proceeds": {"grandTotal": money("47.10"), "breakdowns": [{"type": "ITEM", "subtotal": money("40.00")}]},
    "payment": {"paymentExecutions": [{"paymentMethod": "CreditCard", "paymentAmount": money("47.10")},
                                      {"paymentMethod": "GiftCard"}]},
    "tax": {"taxRegistrations": [
        {"entityType": "MERCHANT", "legalName": "Seller AG"},
        {"entityType": "BUYER", "legalName": "Muster GmbH", "taxRegistrationType": "VAT",
         "taxRegistrationNumber": "DE123", "taxRegistrationAttributes": [{"key": "TAX_OFFICE", "value": "Köln-Mitte"}]}]},
    "fulfillment": {"fulfillmentStatus": "PARTIALLY_SHIPPED", "fulfilledBy": "AMAZON",
                    "fulfillmentServiceLevel": "FREE_ECONOMY",
                    "shipByWindow": {"earliestDateTime": "2026-02-02T00:00:00Z", "latestDateTime": "2026-02-03T00:00:00Z"},
                    "deliverByWindow": {"earliestDateTime": "2026-02-04T00:00:00Z",
                                        "latestDateTime": "2026-02-06T00:00:00Z"}},
    "orderItems": [HAND_MADE_ITEM, {"orderItemId": "2", "quantityOrdered": 1, "product": {"asin": "B0EXAMPLE2"},
                                    "fulfillment": {"quantityFulfilled": 1, "quantityUnfulfilled": 0}}],
}

EXPECTED_ORDER = {
    "amazonOrderId": "305-1234567-7654321",
    "sellerOrderId": "MY-42",
    "purchaseDate": "2026-02-01T10:00:00Z",
    "lastUpdateDate": "2026-02-01T11:30:00Z",
    "orderStatus": "PartiallyShipped",
    "fulfillmentChannel": "AFN",
    "salesChannel": "Amazon.de",
    "marketplaceId": "A1PA6795UKMFR9",
    "shippingAddress": {"name": "Erika Muster", "companyName": "Muster GmbH", "addressLine1": "Hauptstr. 1",
                        "addressLine2": "Hof", "addressLine3": "3. OG", "city": "Köln", "municipality": "Köln-Altstadt",
                        "districtOrCounty": "Innenstadt", "stateOrRegion": "NRW", "postalCode": "50667",
                        "countryCode": "DE", "phone": "+49 221 1", "addressType": "Residential"},
    "orderTotal": {"currencyCode": "EUR", "amount": "47.10"},
    "paymentExecutionDetail": [{"payment": {"currencyCode": "EUR", "amount": "47.10"}, "paymentMethod": "CreditCard"},
                               {"paymentMethod": "GiftCard"}],
    "isReplacementOrder": True,
    "replacedOrderId": "305-0000000-0000001",
    "buyerEmail": "x@marketplace.amazon.de",
    "buyerName": "Erika Muster",
    "buyerCompanyName": "Muster GmbH",
    "purchaseOrderNumber": "PO-7",
    "buyerTaxInfo": {"companyLegalName": "Muster GmbH",
                     "taxClassifications": [{"name": "VAT", "value": "DE123"}, {"name": "TAX_OFFICE", "value": "Köln-Mitte"}]},
    "shipmentServiceLevelCategory": "FreeEconomy",
    "orderType": "Preorder",
    "earliestShipDate": "2026-02-02T00:00:00Z",
    "latestShipDate": "2026-02-03T00:00:00Z",
    "earliestDeliveryDate": "2026-02-04T00:00:00Z",
    "latestDeliveryDate": "2026-02-06T00:00:00Z",
    "isBusinessOrder": True,
    "isIBA": True,
    "isAccessPointOrder": False,
    "isPrime": True,
    "isPremiumOrder": True,
    "numberOfItemsShipped": 2,
    "numberOfItemsUnshipped": 1,
}

EXPECTED_ITEM = {
    "asin": "B0EXAMPLE1",
    "orderItemId": "40912345678901",
    "sellerSKU": "LAMP-1",
    "buyerCustomizedInfo": {"customizedURL": "https://example.com/c/1"},
    "buyerRequestedCancel": {"isBuyerRequestedCancel": True, "buyerCancelReason": "Ordered by mistake"},
    "title": "Lamp",
    "quantityOrdered": 2,
    "quantityShipped": 1,
    "pointsGranted": {"pointsNumber": 40, "pointsMonetaryValue": {"currencyCode": "JPY", "amount": "40"}},
    "unitPrice": {"currencyCode": "EUR", "amount": "20.00"},
    "itemPrice": {"currencyCode": "EUR", "amount": "40.00"},
    "shippingPrice": {"currencyCode": "EUR", "amount": "5.00"},
    "giftWrapPrice": {"currencyCode": "EUR", "amount": "2.50"},
    "itemTax": {"currencyCode": "EUR", "amount": "3.00"},
    "shippingTax": {"currencyCode": "EUR", "amount": "0.60"},
    "giftWrapTax": {"currencyCode": "EUR", "amount": "0.30"},
    "shippingDiscount": {"currencyCode": "EUR", "amount": "-1.00"},
    "promotionDiscount": {"currencyCode": "EUR", "amount": "-4.00"},
    "discountTax": {"currencyCode": "EUR", "amount": "-0.20"},
    "codFee": {"currencyCode": "EUR", "amount": "1.00"},
    "codFeeDiscount": {"currencyCode": "EUR", "amount": "-0.50"},
    "taxCollection": {"model": "MARKETPLACE_FACILITATOR", "responsibleParty": "Amazon Services, Inc."},
    "promotionIds": ["PROMO-1", "PROMO-2"],
    "isGift": True,
    "giftMessageText": "Enjoy",
    "giftWrapLevel": "CLASSIC",
    "conditionNote": "Scratch on base",
    "conditionId": "Used",
    "conditionSubtypeId": "Very Good",
    "scheduledDeliveryStartDate": "2026-02-03T09:00:00Z",
    "scheduledDeliveryEndDate": "2026-02-03T12:00:00Z",
    "priceDesignation": "BusinessPrice",
    "isTransparency": True,
    "serialNumberRequired": True,
    "iossNumber": "IM0001",
}


def test_a_hand_made_order_maps_field_by_field():
    assert order_of(HAND_MADE_ORDER) == EXPECTED_ORDER
    assert_valid(EXPECTED_ORDER, "order.json")


def test_a_hand_made_item_maps_field_by_field():
    assert item_of(HAND_MADE_ITEM) == EXPECTED_ITEM
    assert_valid(EXPECTED_ITEM, "orderItem.json")
    assert order_items_of(HAND_MADE_ORDER) == [EXPECTED_ITEM, {"asin": "B0EXAMPLE2", "orderItemId": "2",
                                                               "quantityOrdered": 1, "quantityShipped": 1, "isGift": False,
                                                               "serialNumberRequired": False}]


def _properties(schema_name):
    schema = schemas.load(schema_name)
    names = set(schema["properties"])
    if "address" in schema.get("definitions", {}):
        names |= {f"shippingAddress.{p}" for p in schema["definitions"]["address"]["properties"]}
    return names


def _produced(mapped):
    names = set(mapped)
    names |= {f"shippingAddress.{p}" for p in mapped.get("shippingAddress", {})}
    names |= {f"buyerTaxInfo.{p}" for p in mapped.get("buyerTaxInfo", {})}
    return names


@pytest.mark.parametrize("schema_name, mapped", [("order.json", EXPECTED_ORDER), ("orderItem.json", EXPECTED_ITEM)])
def test_every_property_is_mapped_or_listed_as_without_counterpart(schema_name, mapped):
    """The hand-made cases fill every property with a counterpart; the rest is the NO_COUNTERPART list."""
    listed = set(NO_COUNTERPART[schema_name])
    properties = _properties(schema_name)
    assert {n.split(".")[0] if n.startswith("buyerTaxInfo.") else n for n in listed} <= properties | {"buyerTaxInfo"}
    produced = _produced(mapped)
    assert not (produced & listed), produced & listed
    assert set(NO_COUNTERPART_VALUES[schema_name]) <= produced
    missing = properties - produced - listed
    assert not missing, missing
    for added in ADDED_PROPERTIES[schema_name]:
        assert added in properties and added in produced


def test_absent_sections_give_absent_fields_never_invented():
    bare = {"orderId": "111-2222222-3333333", "createdTime": "2026-01-01T00:00:00Z",
            "lastUpdatedTime": "2026-01-01T00:00:00Z", "salesChannel": {"channelName": "AMAZON"},
            "orderItems": [{"orderItemId": "1", "quantityOrdered": 1, "product": {"asin": "B1"}}]}
    assert order_of(bare) == {"amazonOrderId": "111-2222222-3333333", "purchaseDate": "2026-01-01T00:00:00Z",
                              "lastUpdateDate": "2026-01-01T00:00:00Z"}
    assert order_items_of(bare) == [{"asin": "B1", "orderItemId": "1", "quantityOrdered": 1}]
    empty_strings = copy.deepcopy(HAND_MADE_ORDER)
    empty_strings["recipient"]["deliveryAddress"] |= {"addressLine3": "", "municipality": "", "phone": ""}
    empty_strings["buyer"]["buyerEmail"] = ""
    mapped = order_of(empty_strings)
    assert "buyerEmail" not in mapped
    assert not {"addressLine3", "municipality", "phone"} & set(mapped["shippingAddress"])


def test_a_pickup_point_address_is_an_access_point_order():
    order = copy.deepcopy(HAND_MADE_ORDER)
    order["recipient"]["deliveryAddress"]["addressType"] = "PICKUP_POINT"
    mapped = order_of(order)
    assert mapped["isAccessPointOrder"] is True and "addressType" not in mapped["shippingAddress"]


def test_a_number_amount_is_written_exactly_and_an_unknown_status_is_kept_as_sent(caplog):
    order = copy.deepcopy(HAND_MADE_ORDER)
    order["proceeds"]["grandTotal"] = {"amount": 0.1, "currencyCode": "EUR"}
    order["fulfillment"]["fulfillmentStatus"] = "ON_THE_MOON"
    mapped = order_of(order)
    assert mapped["orderTotal"] == {"currencyCode": "EUR", "amount": "0.1"}
    assert mapped["orderStatus"] == "ON_THE_MOON" and "ON_THE_MOON" in caplog.text


def model_orders(shared_dir):
    """Every order in the model's examples and static sandbox cases, by where it came from."""
    model = json.loads((shared_dir / "spapi-models/models/orders_2026-01-01.json").read_text())
    for path, ops in model["paths"].items():
        for op in ops.values():
            ok = op["responses"]["200"]
            answers = [("examples", ok["examples"]["application/json"])]
            answers += [(f"sandbox {i}", case["response"]) for i, case in enumerate(ok["x-amzn-api-sandbox"]["static"])]
            for where, body in answers:
                for order in body.get("orders") or [body["order"]]:
                    yield f"{op['operationId']} {where}", order


def test_the_models_own_examples_map_into_valid_documents(shared_dir):
    seen = 0
    for where, order in model_orders(shared_dir):
        mapped = order_of(order)
        assert_valid(mapped, "order.json")
        assert mapped["amazonOrderId"] == order["orderId"], where
        assert mapped["orderStatus"] == STATUS_TO_MWS[order["fulfillment"]["fulfillmentStatus"]], where
        items = order_items_of(order)
        assert len(items) == len(order["orderItems"]), where
        for item in items:
            assert_valid(item, "orderItem.json")
        seen += 1
    assert seen == 8


def test_model_examples_values(shared_dir):
    orders = dict(model_orders(shared_dir))
    uk = order_of(orders["getOrder examples"])
    assert (uk["orderTotal"], uk["fulfillmentChannel"], uk["shippingAddress"]["districtOrCounty"]) == (
        {"currencyCode": "GBP", "amount": "103.97"}, "MFN", "Greater Manchester")
    item = order_items_of(orders["getOrder examples"])[0]
    assert (item["itemPrice"]["amount"], item["itemTax"]["amount"], item["shippingTax"]["amount"],
            item["unitPrice"]["amount"]) == ("89.97", "3.00", "1.00", "29.99")
    br = order_of(orders["searchOrders sandbox 2"])  # asked for TAX and PAYMENT
    assert br["buyerTaxInfo"] == {"companyLegalName": "Oliveira Tecnologia Ltda",
                                  "taxClassifications": [{"name": "VAT", "value": "1234567890"}]}
    assert br["paymentExecutionDetail"] == [{"payment": {"currencyCode": "BRL", "amount": "1599.90"},
                                             "paymentMethod": "CreditCard"}]


def test_the_triggers_statuses_become_fulfillment_statuses():
    assert fulfillment_statuses(["Pending", "Shipped", "Canceled"]) == ["PENDING", "SHIPPED", "CANCELLED"]
    assert fulfillment_statuses(["Unshipped"]) == ["UNSHIPPED", "PARTIALLY_SHIPPED"]
    assert fulfillment_statuses(["PartiallyShipped", "PartiallyShipped"]) == ["PARTIALLY_SHIPPED", "UNSHIPPED"]
    assert fulfillment_statuses(["PendingAvailability", "Unfulfillable"]) == ["PENDING_AVAILABILITY", "UNFULFILLABLE"]
    assert fulfillment_statuses([]) == []
    for bad in (["Shipped", "InvoiceUnconfirmed"], ["Delivered"]):
        with pytest.raises(ConfigurationError) as caught:
            fulfillment_statuses(bad)
        assert caught.value.field == "orderStatus" and bad[-1] in str(caught.value)
