"""Every message type and operation type writes XML that Amazon's XSDs accept and
that reads back as the normalized item."""

import pytest

from mws_component.feeds import FEED_TYPES, validate_item
from mws_component.feeds.model import default_model

from .support import (assert_valid_feed, build_bytes, choice_variants, kind_example,
                      messages_read_back)

KIND_OPERATIONS = [(kind.key, operation) for kind in FEED_TYPES.values()
                   for operation in (kind.operation_types or (None,))]


def _round_trip(kind, items, **options):
    data, feed = build_bytes(kind, items, **options)
    root = assert_valid_feed(data)
    expected = []
    for index, item in enumerate(items):
        normalized = validate_item(kind, item, index, **options)
        expected.append((normalized.pop("operationType", None), normalized))
    assert messages_read_back(kind, root) == expected
    assert feed.message_count == len(items)
    return root


@pytest.mark.parametrize("kind, operation", KIND_OPERATIONS)
def test_every_kind_and_operation_validates(xsd, kind, operation):
    payload = default_model().element(FEED_TYPES[kind].element).type
    variants = choice_variants(payload)
    items = [kind_example(kind, operation, variant, full)
             for full in (False, True) for variant in range(variants)]
    root = _round_trip(kind, items)
    assert {m.findtext("OperationType") for m in root.iter("Message")} == {operation}


def test_envelope_header(xsd):
    data, _ = build_bytes("inventory", [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 2}])
    root = assert_valid_feed(data)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert root.findtext("Header/DocumentVersion") == "1.01"
    assert root.findtext("Header/MerchantIdentifier") == "M_EXAMPLE_123456"
    assert root.findtext("MessageType") == "Inventory"
    assert root.findtext("PurgeAndReplace") == "false"
    assert [m.findtext("MessageID") for m in root.iter("Message")] == ["1", "2"]


def test_order_feeds_carry_no_operation_type(xsd):
    root = _round_trip("orderAcknowledgement", [kind_example("orderAcknowledgement")])
    assert root.find("Message/OperationType") is None


def test_operation_per_item(xsd):
    items = [{"sku": "A", "imageType": "Main", "imageLocation": "https://example.com/a.jpg"},
             {"sku": "A", "imageType": "PT1", "operationType": "Delete"}]
    root = _round_trip("image", items)
    assert [m.findtext("OperationType") for m in root.iter("Message")] == ["Update", "Delete"]


def test_feed_wide_operation(xsd):
    root = _round_trip("product", [{"sku": "A"}], operation_type="PartialUpdate")
    assert root.findtext("Message/OperationType") == "PartialUpdate"


@pytest.mark.parametrize("value", default_model().element("ProductImage").type.particles[1].type.facets["enum"])
def test_every_image_type(xsd, value):
    _round_trip("image", [{"sku": "A", "imageType": value, "imageLocation": "https://example.com/a.jpg"}])


def test_image_types_are_those_of_the_xsd():
    image_type = default_model().element("ProductImage").type.particles[1]
    assert image_type.key == "imageType"
    values = image_type.type.facets["enum"]
    assert len(values) == 29 and {"Main", "Swatch", "PT8", "EGUS", "ELFL"} <= set(values)
    assert "PM01" not in values


def test_every_relationship_type(xsd):
    relation = default_model().element("Relationship").type.particles[1]
    types = next(e for e in relation.type.particles if e.key == "type").type.facets["enum"]
    assert len(types) == 13
    _round_trip("relationship", [{"parentSKU": "P", "relation": [{"sku": f"C{i}", "type": t}
                                                                  for i, t in enumerate(types)]}])


def test_relation_has_only_sku_and_type():
    # Relationship.xsd of this XSD set has no SortHeuristic/Quantity/ComponentNumber (MWS_API.md §4.8).
    relation = default_model().element("Relationship").type.particles[1]
    assert [e.key for e in relation.type.particles] == ["sku", "type"]


def test_every_carrier_code(xsd):
    fulfillment_data = default_model().element("OrderFulfillment").type.nested
    codes = default_model().store.element("CarrierCode")["type"]
    codes = default_model().store.type(codes)["enum"] if isinstance(codes, str) else codes["enum"]
    assert "UPS" in codes and "USPS" in codes and fulfillment_data
    items = [{"merchantOrderID": f"M{i}", "fulfillmentDate": "2024-05-01T10:00:00+02:00",
              "fulfillmentData": {"carrierCode": code, "shippingMethod": "Ground", "shipperTrackingNumber": "1Z"},
              "item": [{"merchantOrderItemID": "I1", "quantity": 2}]} for i, code in enumerate(codes)]
    _round_trip("orderFulfillment", items)


def test_price_with_every_part(xsd):
    item = {
        "sku": "P-1",
        "standardPrice": {"value": "19.9999", "currency": "DEFAULT", "zero": False},
        "standardPricePoints": 100,
        "businessPrice": 18.5,
        "quantityPriceType": "percent",
        "quantityPrice": {"quantityPrice1": 5, "quantityLowerBound1": 10, "quantityPrice5": "1.25",
                          "quantityLowerBound5": 100},
        "minimumSellerAllowedPrice": {"value": "10.00", "currency": "USD"},
        "maximumSellerAllowedPrice": {"value": "30", "currency": "USD"},
        "map": {"value": "12.00", "currency": "EUR"},
        "depositAmount": {"value": "1.50", "currency": "GBP"},
        "sale": {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-02-01T00:00:00Z",
                 "salePrice": {"value": "15.99", "currency": "USD"}, "salePricePoints": 5},
        "compareAt": {"compareAtPrice": {"value": "25.00", "currency": "USD"}, "delete": False},
        "previous": {"endDate": "2024-01-01T00:00:00Z", "previousPrice": {"value": "21.00", "currency": "USD"}},
        "rental_0": {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-02-01T00:00:00Z",
                     "rentalPrice": {"value": "3.5", "currency": "USD", "valueWithoutTax": "2.9412"}},
        "rental_9": {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-02-01T00:00:00Z",
                     "rentalPrice": {"value": "3.5", "currency": "USD"}},
        "costPerClickBidPrice": {"value": "0.05", "currency": "USD"},
        "makeAnOfferEligibility": True,
        "minimumAcceptPercentage": 80,
        "maximumRejectPercentage": "50.5",
    }
    root = _round_trip("price", [item])
    price = root.find("Message/Price")
    assert price.find("StandardPrice").attrib == {"currency": "DEFAULT", "zero": "false"}
    assert [child.tag for child in price][:3] == ["SKU", "StandardPrice", "StandardPricePoints"]
    assert price.find("Rental_9/RentalPrice").text == "3.5"


def test_price_keys_cover_price_xsd():
    keys = [e.key for e in default_model().element("Price").type.particles]
    assert keys == ["sku", "standardPrice", "standardPricePoints", "businessPrice", "quantityPriceType",
                    "quantityPrice", "minimumSellerAllowedPrice", "maximumSellerAllowedPrice", "map",
                    "depositAmount", "sale", "compareAt", "previous"] + [f"rental_{i}" for i in range(10)] + [
                    "costPerClickBidPrice", "makeAnOfferEligibility", "minimumAcceptPercentage",
                    "maximumRejectPercentage"]


def test_inventory_lookup_and_available(xsd):
    _round_trip("inventory", [
        {"sku": "A", "fulfillmentCenterID": "AMAZON_NA", "lookup": "FulfillmentNetwork"},
        {"sku": "B", "available": "false", "restockDate": "2024-03-01", "fulfillmentLatency": "3",
         "switchFulfillmentTo": "AFN"},
        {"sku": "C", "quantity": 0}])
