"""Values outside the format are refused before anything is written, with an error
naming the item's index and the field."""

import pytest

from mws_component.errors import InputError
from mws_component.feeds import build_feed_file, validate_feed, validate_item, write_feed

from .support import SELLER, kind_example, product_item

GOOD_INVENTORY = {"sku": "A-1", "quantity": 1}


def refused(kind, item, index=3, **options):
    """The InputError for `item` placed at `index` of a feed, checking the feed is refused whole."""
    items = [kind_example(kind) for _ in range(index)] + [item]
    with pytest.raises(InputError) as from_item:
        validate_item(kind, item, index, **options)
    with pytest.raises(InputError) as from_feed:
        build_feed_file(kind, items, SELLER, **options)
    assert str(from_feed.value) == str(from_item.value)
    error = from_item.value
    assert str(error).startswith(error.field + ":"), error
    return error


@pytest.mark.parametrize("kind, item, field, words", [
    # XML-forbidden characters
    ("inventory", {"sku": "A\x01B", "quantity": 1}, "sku", "U+0001"),
    ("inventory", {"sku": "A\ufffeB", "quantity": 1}, "sku", "U+FFFE"),
    ("inventory", {"sku": "A\ud800B", "quantity": 1}, "sku", "U+D800"),
    ("product", {"sku": "A", "descriptionData": {"title": "T\x0b"}}, "descriptionData.title", "U+000B"),
    # lengths
    ("inventory", {"sku": "S" * 41, "quantity": 1}, "sku", "41 characters long; at most 40"),
    ("inventory", {"sku": "", "quantity": 1}, "sku", "must not be empty"),
    ("product", {"sku": "A", "descriptionData": {"title": "t" * 501}}, "descriptionData.title", "at most 500"),
    ("product", {"sku": "A", "descriptionData": {"title": "T", "bulletPoint": ["b"] * 6}},
     "descriptionData.bulletPoint", "at most 5"),
    ("orderAcknowledgement", {"amazonOrderID": "123-1234567-1234567", "statusCode": "Success",
                              "merchantOrderID": "m" * 51}, "merchantOrderID", "at most 50"),
    # enumerations
    ("image", {"sku": "A", "imageType": "Mian", "imageLocation": "https://x.com/a.jpg"}, "imageType", "not one of"),
    ("image", {"sku": "A", "imageType": "PM01", "imageLocation": "https://x.com/a.jpg"}, "imageType", "not one of"),
    ("image", {"sku": "A", "imageType": "main", "imageLocation": "https://x.com/a.jpg"}, "imageType",
     "did you mean 'Main'"),
    ("relationship", {"parentSKU": "P", "relation": [{"sku": "C", "type": "Bundle"}]}, "relation[0].type",
     "not one of"),
    ("inventory", {"sku": "A", "quantity": 1, "switchFulfillmentTo": "FBA"}, "switchFulfillmentTo", "MFN, AFN"),
    # amounts: 2 decimals for BaseCurrencyAmount (MSRP), 4 for Price.xsd amounts
    ("product", {"sku": "A", "descriptionData": {"title": "T", "msrp": {"value": "1.999", "currency": "USD"}}},
     "descriptionData.msrp.value", "more than 2 decimal places"),
    ("product", {"sku": "A", "descriptionData": {"title": "T", "msrp": {"value": 0.1 + 0.2, "currency": "USD"}}},
     "descriptionData.msrp.value", "more than 2 decimal places"),
    ("price", {"sku": "A", "standardPrice": {"value": "19.99999", "currency": "USD"}}, "standardPrice.value",
     "19.99999' has more than 4 decimal places"),
    ("price", {"sku": "A", "standardPrice": {"value": "1e3", "currency": "USD"}}, "standardPrice.value",
     "not a decimal number"),
    ("price", {"sku": "A", "standardPrice": {"value": float("nan"), "currency": "USD"}}, "standardPrice.value",
     "not a number"),
    ("price", {"sku": "A", "standardPrice": {"value": "1" * 21, "currency": "USD"}}, "standardPrice.value",
     "more than 20 digits"),
    ("price", {"sku": "A", "standardPrice": {"value": True, "currency": "USD"}}, "standardPrice.value",
     "not a number"),
    # currencies
    ("price", {"sku": "A", "standardPrice": {"value": "1", "currency": "XXX"}}, "standardPrice.currency",
     "not one of"),
    ("product", {"sku": "A", "descriptionData": {"title": "T", "msrp": {"value": "1", "currency": "AUD"}}},
     "descriptionData.msrp.currency", "not one of"),
    ("price", {"sku": "A", "standardPrice": {"value": "1"}}, "standardPrice.currency", "is required"),
    ("price", {"sku": "A", "standardPrice": 19.99}, "standardPrice", "expected an object"),
    # quantities
    ("inventory", {"sku": "A", "quantity": -1}, "quantity", "negative"),
    ("inventory", {"sku": "A", "quantity": 1.5}, "quantity", "not a whole number"),
    ("inventory", {"sku": "A", "quantity": "2.5"}, "quantity", "not a whole number"),
    ("inventory", {"sku": "A", "quantity": "five"}, "quantity", "not an integer"),
    ("inventory", {"sku": "A", "quantity": True}, "quantity", "not an integer"),
    ("inventory", {"sku": "A", "quantity": 1, "fulfillmentLatency": 0}, "fulfillmentLatency", "not positive"),
    ("orderFulfillment", {"amazonOrderID": "123-1234567-1234567", "fulfillmentDate": "2024-01-01T00:00:00Z",
                          "item": [{"amazonOrderItemCode": "12345678901234", "quantity": 0}]},
     "item[0].quantity", "not positive"),
    ("product", {"sku": "A", "discoveryData": {"priority": 11}}, "discoveryData.priority", "more than 10"),
    # booleans
    ("inventory", {"sku": "A", "available": "yes"}, "available", "not a boolean"),
    ("inventory", {"sku": "A", "available": "TRUE"}, "available", "not a boolean"),
    # dates
    ("inventory", {"sku": "A", "quantity": 1, "restockDate": "2024-02-30"}, "restockDate", "not a date"),
    ("inventory", {"sku": "A", "quantity": 1, "restockDate": "2024-01-05T00:00:00"}, "restockDate",
     "give only the date"),
    ("inventory", {"sku": "A", "quantity": 1, "restockDate": "05/01/2024"}, "restockDate", "YYYY-MM-DD"),
    ("inventory", {"sku": "A", "quantity": 1, "restockDate": 1704067200}, "restockDate", "not a date"),
    ("orderFulfillment", {"amazonOrderID": "123-1234567-1234567", "fulfillmentDate": "2024-01-01"},
     "fulfillmentDate", "not a date and time"),
    ("orderFulfillment", {"amazonOrderID": "123-1234567-1234567", "fulfillmentDate": "2024-01-01T25:00:00"},
     "fulfillmentDate", "not a date and time"),
    ("orderFulfillment", {"amazonOrderID": "123-1234567-1234567", "fulfillmentDate": "2024-01-01T10:00:00+15:00"},
     "fulfillmentDate", "not a date and time"),
    # patterns
    ("orderAcknowledgement", {"amazonOrderID": "123-456", "statusCode": "Success"}, "amazonOrderID",
     "does not match the pattern"),
    ("orderAcknowledgement", {"amazonOrderID": "12_-1234567-1234567", "statusCode": "Success"}, "amazonOrderID",
     "does not match the pattern"),
    ("orderAcknowledgement", {"amazonOrderID": "123-1234567-1234567", "statusCode": "Success",
                              "item": [{"amazonOrderItemCode": "1234567890123"}]}, "item[0].amazonOrderItemCode",
     "does not match the pattern"),
    ("orderFulfillment", {"amazonOrderID": "123-1234567-1234567", "fulfillmentDate": "2024-01-01T00:00:00Z",
                          "merchantFulfillmentID": 0}, "merchantFulfillmentID", "not positive"),
    # URLs
    ("image", {"sku": "A", "imageType": "Main", "imageLocation": "images/a.jpg"}, "imageLocation", "absolute"),
    ("image", {"sku": "A", "imageType": "Main", "imageLocation": "http://x.com/a b.jpg"}, "imageLocation",
     "percent-encode"),
    ("image", {"sku": "A", "imageType": "Main", "imageLocation": "http://x.com:abc/a.jpg"}, "imageLocation",
     "not a URL"),
    ("image", {"sku": "A", "imageType": "Main", "imageLocation": "http://x.com/%zz.jpg"}, "imageLocation",
     "hex digits"),
    # missing required fields
    ("inventory", {"quantity": 1}, "sku", "is required"),
    ("inventory", {"sku": "A"}, "available", "is required, or one of quantity, lookup instead"),
    ("orderAcknowledgement", {"amazonOrderID": "123-1234567-1234567"}, "statusCode", "is required"),
    ("orderFulfillment", {"fulfillmentDate": "2024-01-01T00:00:00Z"}, "amazonOrderID", "is required, or one of"),
    ("relationship", {"parentSKU": "P"}, "relation", "is required"),
    ("relationship", {"parentSKU": "P", "relation": []}, "relation", "needs at least 1"),
    ("product", {"sku": "A", "descriptionData": {"brand": "B"}}, "descriptionData.title", "is required"),
    ("image", {"sku": "A", "imageType": "Main"}, "imageLocation", "required for Update"),
    # both of a choice
    ("inventory", {"sku": "A", "available": True, "quantity": 1}, "quantity", "give only one of"),
    ("orderFulfillment", {"amazonOrderID": "123-1234567-1234567", "merchantOrderID": "M",
                          "fulfillmentDate": "2024-01-01T00:00:00Z"}, "merchantOrderID", "give only one of"),
    ("orderFulfillment", {"amazonOrderID": "123-1234567-1234567", "fulfillmentDate": "2024-01-01T00:00:00Z",
                          "fulfillmentData": {"carrierCode": "UPS", "carrierName": "Mine"}},
     "fulfillmentData.carrierName", "give only one of"),
    ("product", {"sku": "A", "productData": {"health": {}, "beauty": {}}}, "productData.beauty", "give only one of"),
    # shapes and names
    ("inventory", {"sku": "A", "quantitiy": 1}, "quantitiy", "unknown field"),
    ("relationship", {"parentSKU": "P", "relation": [{"sku": "C", "type": "Variation", "quantity": 2}]},
     "relation[0].quantity", "unknown field"),
    ("relationship", {"parentSKU": "P", "relation": {"sku": "C", "type": "Variation"}}, "relation",
     "expected an array"),
    ("product", {"sku": "A", "descriptionData": "T"}, "descriptionData", "expected an object"),
    ("inventory", {"sku": ["A"], "quantity": 1}, "sku", "not text"),
    # operation types
    ("inventory", {"sku": "A", "quantity": 1, "operationType": "PartialUpdate"}, "operationType", "not one of"),
    ("orderAcknowledgement", {"amazonOrderID": "123-1234567-1234567", "statusCode": "Success",
                              "operationType": "Update"}, "operationType", "no operation type"),
    ("image", {"sku": "A", "imageType": "Main", "imageLocation": "https://x.com/a.jpg", "operationType": "Delete"},
     "imageLocation", "leave it out for Delete"),
])
def test_refused(kind, item, field, words):
    error = refused(kind, item)
    assert error.field == f"items[3].{field}"
    assert words in str(error)


def test_item_that_is_not_an_object():
    error = refused("inventory", ["A", 1])
    assert error.field == "items[3]" and "expected an object" in str(error)


def test_product_category_values_are_checked():
    item = product_item("Health")
    item["productData"]["health"]["productType"] = {"healthMisc": {"unitCount": {"value": 0, "unitOfMeasure": "x"}}}
    error = refused("product", item)
    assert error.field == "items[3].productData.health.productType.healthMisc.unitCount.value"


def test_forty_character_sku_is_accepted_and_forty_one_refused():
    assert validate_item("inventory", {"sku": "S" * 40, "quantity": 1})["sku"] == "S" * 40
    assert refused("inventory", {"sku": "S" * 41, "quantity": 1}).field == "items[3].sku"


def test_amount_precision_boundaries():
    assert validate_item("price", {"sku": "A", "standardPrice": {"value": "19.9999", "currency": "USD"}}
                         )["standardPrice"]["value"] == "19.9999"
    # trailing zeros beyond the limit change nothing, so they are dropped rather than refused
    assert validate_item("price", {"sku": "A", "standardPrice": {"value": "19.990000", "currency": "USD"}}
                         )["standardPrice"]["value"] == "19.9900"
    msrp = {"sku": "A", "descriptionData": {"title": "T", "msrp": {"value": 1.99, "currency": "USD"}}}
    assert validate_item("product", msrp)["descriptionData"]["msrp"]["value"] == "1.99"


def test_nothing_is_written_when_an_item_is_bad(tmp_path):
    items = [{"sku": f"S{i}", "quantity": i} for i in range(5)] + [{"sku": "BAD", "quantity": -1}]
    with pytest.raises(InputError) as error:
        build_feed_file("inventory", iter(items), SELLER)
    assert error.value.field == "items[5].quantity"
    # write_feed writes nothing, not even the header, when the first item is bad
    out = tmp_path / "feed.xml"
    with out.open("wb") as handle, pytest.raises(InputError):
        write_feed("inventory", [{"sku": "A"}], SELLER, handle)
    assert out.read_bytes() == b""


def test_validate_feed_is_a_first_pass():
    items = [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 2}]
    assert validate_feed("inventory", items) == 2
    with pytest.raises(InputError) as error:
        validate_feed("inventory", items + [{"sku": "C"}])
    assert error.value.field == "items[2].available"


@pytest.mark.parametrize("items", [[], iter(())])
def test_empty_feed_is_refused(items):
    with pytest.raises(InputError) as error:
        build_feed_file("inventory", items, SELLER)
    assert error.value.field == "items"


@pytest.mark.parametrize("seller_id", ["", None, "M" * 51, "M\x00"])
def test_bad_seller_id(seller_id):
    with pytest.raises(InputError) as error:
        build_feed_file("inventory", [GOOD_INVENTORY], seller_id)
    assert error.value.field == "sellerId"


def test_unknown_kind_and_operation():
    with pytest.raises(InputError) as error:
        build_feed_file("stock", [GOOD_INVENTORY], SELLER)
    assert error.value.field == "kind"
    with pytest.raises(InputError) as error:
        build_feed_file("inventory", [GOOD_INVENTORY], SELLER, operation_type="Upsert")
    assert error.value.field == "operationType"
    with pytest.raises(InputError):
        build_feed_file("inventory", [GOOD_INVENTORY], SELLER, category="Health")
