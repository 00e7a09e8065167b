"""The listings actions' MWS-shaped items as listings messages: every row of each table, the refusals."""

import json

import pytest

from mws_component import schemas
from mws_component.errors import InputError
from mws_component.spapi.listings.mapping import (IMAGE_ATTRIBUTES, TABLES, ListingsContext, ListingsMessage,
                                                  map_item, map_items)
from mws_component.spapi.listings.product_types import Definition

from .listings_support import US, good_toy_attributes, message_validator, toy_schema

CONTEXT = ListingsContext(US)


def one(kind, item, **options):
    messages = map_item(kind, item, 0, CONTEXT, **options)
    assert len(messages) == 1
    message = messages[0].feed_message(1)
    message_validator().validate(message)       # Amazon's listings-feed message schema
    return message


def refused(kind, item, index=2, **options):
    with pytest.raises(InputError) as caught:
        map_item(kind, item, index, CONTEXT, **options)
    assert str(caught.value).startswith(caught.value.field + ": ")
    return caught.value


def only_patch(message):
    assert message["operationType"] == "PATCH" and len(message["patches"]) == 1
    return message["patches"][0]


# -- every MWS field has a row -----------------------------------------------------------------

@pytest.mark.parametrize("kind", ["inventory", "price", "image", "relationship"])
def test_every_mws_field_has_a_row(kind):
    item = schemas.load(f"feeds/{kind}.in.json")["properties"]["items"]["items"]
    fields = set(item["properties"]) - {"operationType"}
    assert fields and fields <= {row.field for row in TABLES[kind].rows}


# -- Submit Inventory --------------------------------------------------------------------------

def test_inventory_is_a_replace_of_fulfillment_availability_without_marketplace_id():
    message = one("inventory", {"sku": "A-1", "quantity": 7, "fulfillmentLatency": 3, "restockDate": "2026-12-24"})
    assert message["productType"] == "PRODUCT" and message["sku"] == "A-1"
    assert only_patch(message) == {"op": "replace", "path": "/attributes/fulfillment_availability", "value": [
        {"fulfillment_channel_code": "DEFAULT", "quantity": 7, "lead_time_to_ship_max_days": 3,
         "restock_date": "2026-12-24"}]}


def test_inventory_fulfillment_center_is_the_channel_code_and_product_type_may_be_named():
    message = one("inventory", {"sku": "A-1", "quantity": "4", "fulfillmentCenterID": "AMAZON_NA",
                                "productType": "LUGGAGE"})
    assert message["productType"] == "LUGGAGE"
    assert only_patch(message)["value"] == [{"fulfillment_channel_code": "AMAZON_NA", "quantity": 4}]


@pytest.mark.parametrize("item, field, words", [
    ({"sku": "A", "available": True}, "items[2].available", "give quantity"),
    ({"sku": "A", "lookup": "FulfillmentNetwork"}, "items[2].lookup", "Amazon's"),
    ({"sku": "A", "quantity": 1, "switchFulfillmentTo": "AFN"}, "items[2].switchFulfillmentTo", "fulfillmentCenterID"),
    ({"sku": "A", "quantity": 1, "operationType": "Delete"}, "items[2].operationType", "quantity 0"),
    ({"sku": "A", "quantity": -1}, "items[2].quantity", "negative"),        # the MWS rules still apply
])
def test_inventory_refusals(item, field, words):
    error = refused("inventory", item)
    assert error.field == field and words in str(error)


# -- Change Product Price ----------------------------------------------------------------------

def test_price_offers_standard_sale_bounds_map_business_and_quantity_plan():
    message = one("price", {
        "sku": "P-1", "standardPrice": {"value": "19.99", "currency": "USD"},
        "sale": {"startDate": "2026-12-01T00:00:00Z", "endDate": "2026-12-31T00:00:00Z",
                 "salePrice": {"value": 15, "currency": "USD"}},
        "minimumSellerAllowedPrice": {"value": "10.00", "currency": "USD"},
        "maximumSellerAllowedPrice": {"value": "30", "currency": "USD"},
        "map": {"value": 12.5, "currency": "USD"},
        "businessPrice": 18.5, "quantityPriceType": "percent",
        "quantityPrice": {"quantityPrice1": 5, "quantityLowerBound1": 10,
                          "quantityPrice2": 7.5, "quantityLowerBound2": 50}})
    patch = only_patch(message)
    assert patch["op"] == "replace" and patch["path"] == "/attributes/purchasable_offer"
    standard, business = patch["value"]
    assert standard == {
        "marketplace_id": US, "currency": "USD", "audience": "ALL",
        "our_price": [{"schedule": [{"value_with_tax": 19.99}]}],
        "minimum_seller_allowed_price": [{"schedule": [{"value_with_tax": 10}]}],
        "maximum_seller_allowed_price": [{"schedule": [{"value_with_tax": 30}]}],
        "map_price": [{"schedule": [{"value_with_tax": 12.5}]}],
        "discounted_price": [{"schedule": [{"value_with_tax": 15, "start_at": "2026-12-01T00:00:00Z",
                                            "end_at": "2026-12-31T00:00:00Z"}]}]}
    assert business == {
        "marketplace_id": US, "currency": "USD", "audience": "B2B",
        "our_price": [{"schedule": [{"value_with_tax": 18.5}]}],
        "quantity_discount_plan": [{"schedule": [{"discount_type": "percent", "levels": [
            {"lower_bound": 10, "value": 5}, {"lower_bound": 50, "value": 7.5}]}]}]}


def test_price_default_currency_is_the_marketplaces_and_marketplace_may_be_named():
    patch = only_patch(one("price", {"sku": "P", "standardPrice": {"value": 3, "currency": "DEFAULT"}}))
    assert patch["value"] == [{"marketplace_id": US, "currency": "USD", "audience": "ALL",
                               "our_price": [{"schedule": [{"value_with_tax": 3}]}]}]
    german = map_item("price", {"sku": "P", "standardPrice": {"value": 3, "currency": "DEFAULT"}}, 0,
                      ListingsContext("A1PA6795UKMFR9"))[0].patches[0]["value"][0]
    assert (german["currency"], german["marketplace_id"]) == ("EUR", "A1PA6795UKMFR9")
    named = only_patch(one("price", {"sku": "P", "businessPrice": 3, "marketplaceId": "A2EUQ1WTGCTBG2"}))
    assert named["value"][0]["marketplace_id"] == "A2EUQ1WTGCTBG2" and named["value"][0]["audience"] == "B2B"


@pytest.mark.parametrize("item, field, words", [
    ({"sku": "P", "standardPrice": {"value": 1, "currency": "USD"}, "depositAmount": {"value": 1, "currency": "USD"}},
     "items[2].depositAmount", "no purchasable_offer counterpart"),
    ({"sku": "P", "standardPrice": {"value": 1, "currency": "USD"}, "standardPricePoints": 5},
     "items[2].standardPricePoints", "points"),
    ({"sku": "P", "standardPrice": {"value": 1, "currency": "USD"},
      "compareAt": {"compareAtPrice": {"value": 2, "currency": "USD"}}}, "items[2].compareAt", "counterpart"),
    ({"sku": "P", "standardPrice": {"value": 1, "currency": "USD"},
      "rental_3": {"startDate": "2026-01-01T00:00:00Z", "endDate": "2026-02-01T00:00:00Z",
                   "rentalPrice": {"value": 1, "currency": "USD"}}}, "items[2].rental_3", "rentals"),
    ({"sku": "P", "standardPrice": {"value": 1, "currency": "USD"}, "costPerClickBidPrice":
      {"value": 1, "currency": "USD"}}, "items[2].costPerClickBidPrice", "Advertising"),
    ({"sku": "P", "standardPrice": {"value": 1, "currency": "USD"},
      "sale": {"startDate": "2026-12-01T00:00:00Z", "endDate": "2026-12-31T00:00:00Z",
               "salePrice": {"value": 1, "currency": "USD"}, "salePricePoints": 3}},
     "items[2].sale.salePricePoints", "points"),
    ({"sku": "P", "standardPrice": {"value": 0, "currency": "USD", "zero": True}}, "items[2].standardPrice.zero",
     "zero price"),
    ({"sku": "P", "standardPrice": {"value": 1, "currency": "USD"}, "map": {"value": 1, "currency": "EUR"}},
     "items[2].map.currency", "one offer has one currency"),
    ({"sku": "P", "standardPrice": {"value": 1, "currency": "USD"}, "quantityPriceType": "fixed",
      "quantityPrice": {"quantityPrice1": 1, "quantityLowerBound1": 2}}, "items[2].quantityPrice", "businessPrice"),
    ({"sku": "P", "businessPrice": 2, "quantityPriceType": "fixed",
      "quantityPrice": {"quantityPrice1": 1}}, "items[2].quantityPrice.quantityLowerBound1", "lower bound"),
    ({"sku": "P", "minimumSellerAllowedPrice": {"value": "1", "currency": "USD"}},
     "items[2].minimumSellerAllowedPrice", "needs standardPrice"),
    ({"sku": "P", "minimumSellerAllowedPrice": {"value": "abc", "currency": "USD"},
      "standardPrice": {"value": 1, "currency": "USD"}}, "items[2].minimumSellerAllowedPrice.value", "not a number"),
    ({"sku": "P"}, "items[2].standardPrice", "standardPrice or businessPrice"),
    ({"sku": "P", "standardPrice": {"value": 1, "currency": "USD"}, "operationType": "Delete"},
     "items[2].operationType", "Update"),
])
def test_price_refusals(item, field, words):
    error = refused("price", item)
    assert error.field == field and words in str(error)


# -- Change Product Image ----------------------------------------------------------------------

@pytest.mark.parametrize("image_type, attribute", sorted(IMAGE_ATTRIBUTES.items()))
def test_image_types_and_their_attributes(image_type, attribute):
    patch = only_patch(one("image", {"sku": "I", "imageType": image_type, "imageLocation": "https://img.example/a.jpg"}))
    assert patch == {"op": "replace", "path": f"/attributes/{attribute}",
                     "value": [{"media_location": "https://img.example/a.jpg", "marketplace_id": US}]}


def test_image_table_is_the_issues():
    assert IMAGE_ATTRIBUTES["Main"] == "main_product_image_locator"
    assert IMAGE_ATTRIBUTES["Swatch"] == "swatch_product_image_locator"
    assert [IMAGE_ATTRIBUTES[f"PT{n}"] for n in range(1, 9)] == [f"other_product_image_locator_{n}" for n in range(1, 9)]
    assert len(IMAGE_ATTRIBUTES) == 10


def test_image_delete_is_a_patch_delete():
    patch = only_patch(one("image", {"sku": "I", "imageType": "Main", "operationType": "Delete"}))
    assert patch == {"op": "delete", "path": "/attributes/main_product_image_locator", "value": [{"marketplace_id": US}]}


@pytest.mark.parametrize("image_type", ["BKLB", "Search", "MainOfferImage", "PT99"])
def test_image_types_outside_the_table_are_refused(image_type):
    error = refused("image", {"sku": "I", "imageType": image_type, "imageLocation": "https://img.example/a.jpg"})
    assert error.field == "items[2].imageType" and repr(image_type) in str(error)


# -- Establish Product Relationships -----------------------------------------------------------

def test_relationship_patches_each_child():
    messages = map_item("relationship", {"parentSKU": "PARENT", "relation": [{"sku": "C-1", "type": "Variation"},
                                                                            {"sku": "C-2", "type": "Variation"}]},
                        4, CONTEXT)
    assert [m.sku for m in messages] == ["C-1", "C-2"] and {m.item for m in messages} == {4}
    for message in messages:
        body = message.feed_message(1)
        message_validator().validate(body)
        assert body["patches"] == [
            {"op": "replace", "path": "/attributes/child_parent_sku_relationship", "value": [
                {"child_relationship_type": "variation", "parent_sku": "PARENT", "marketplace_id": US}]},
            {"op": "replace", "path": "/attributes/parentage_level", "value": [{"value": "child", "marketplace_id": US}]}]


def test_relationship_delete_removes_them():
    message, = map_item("relationship", {"parentSKU": "P", "operationType": "Delete",
                                         "relation": [{"sku": "C", "type": "Variation"}]}, 0, CONTEXT)
    assert [(p["op"], p["path"]) for p in message.patches] == [
        ("delete", "/attributes/child_parent_sku_relationship"), ("delete", "/attributes/parentage_level")]


def test_relationship_types_other_than_variation_are_refused():
    error = refused("relationship", {"parentSKU": "P", "relation": [{"sku": "C", "type": "Variation"},
                                                                    {"sku": "D", "type": "Accessory"}]})
    assert error.field == "items[2].relation[1].type" and "'Accessory'" in str(error) and "variation" in str(error)


# -- Submit Product ----------------------------------------------------------------------------

def test_product_update_carries_requirements_and_the_marketplace():
    message = one("product", {"sku": "S", "attributes": {"item_name": [{"value": "Robot", "language_tag": "en_US"}]}},
                  product_type="TOY_FIGURE")
    assert message == {"messageId": 1, "sku": "S", "operationType": "UPDATE", "productType": "TOY_FIGURE",
                       "requirements": "LISTING", "attributes": {"item_name": [
                           {"value": "Robot", "language_tag": "en_US", "marketplace_id": US}]}}


def test_product_partial_update_and_delete_shapes():
    partial = one("product", {"sku": "S", "operationType": "PartialUpdate", "productType": "TOY_FIGURE",
                              "attributes": {"fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT",
                                                                           "quantity": 2}]}})
    assert partial["operationType"] == "PARTIAL_UPDATE" and "requirements" not in partial
    assert partial["attributes"]["fulfillment_availability"] == [{"fulfillment_channel_code": "DEFAULT", "quantity": 2}]
    assert one("product", {"sku": "S"}, operation_type="Delete", product_type="X") == {
        "messageId": 1, "sku": "S", "operationType": "DELETE"}


def test_product_item_type_overrides_the_steps_and_requirements_are_chosen():
    message = one("product", {"sku": "S", "productType": "LUGGAGE", "requirements": "LISTING_OFFER_ONLY",
                              "attributes": {"condition_type": [{"value": "new_new"}]}}, product_type="TOY_FIGURE")
    assert (message["productType"], message["requirements"]) == ("LUGGAGE", "LISTING_OFFER_ONLY")


@pytest.mark.parametrize("item, options, field, words", [
    ({"sku": "S", "descriptionData": {"title": "x"}, "attributes": {"a": [{}]}}, {"product_type": "T"},
     "items[2].descriptionData", "Amazon's shape"),
    ({"sku": "S", "attributes": {"a": [{"value": 1}]}}, {}, "items[2].productType", "is required"),
    ({"sku": "S"}, {"product_type": "T"}, "items[2].attributes", "is required"),
    ({"sku": "S", "attributes": {"a": {"value": 1}}}, {"product_type": "T"}, "items[2].attributes.a", "list of values"),
    ({"sku": "S", "attributes": {"a": ["x"]}}, {"product_type": "T"}, "items[2].attributes.a[0]", "not an object"),
    ({"sku": "", "attributes": {"a": [{}]}}, {"product_type": "T"}, "items[2].sku", "non-empty"),
    ({"sku": "S", "operationType": "Delete", "attributes": {"a": [{}]}}, {}, "items[2].attributes", "Delete"),
    ({"sku": "S", "operationType": "Upsert", "attributes": {"a": [{}]}}, {"product_type": "T"},
     "items[2].operationType", "not one of"),
    ({"sku": "S", "requirements": "ALL", "attributes": {"a": [{}]}}, {"product_type": "T"},
     "items[2].requirements", "not one of"),
])
def test_product_refusals(item, options, field, words):
    error = refused("product", item, **options)
    assert error.field == field and words in str(error)


def test_product_attributes_get_language_tags_where_the_definition_has_them():
    definition = Definition(toy_schema(), product_type="TOY_FIGURE")
    attributes = {**good_toy_attributes(), "brand": [{"value": "Acme", "language_tag": "es_US"}],
                  "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": 1}]}
    message = one("product", {"sku": "S", "attributes": attributes}, product_type="TOY_FIGURE", definition=definition)
    got = message["attributes"]
    assert got["item_name"] == [{"value": "Robot figure", "marketplace_id": US, "language_tag": "en_US"}]
    assert got["brand"] == [{"value": "Acme", "language_tag": "es_US", "marketplace_id": US}]     # the item's kept
    assert got["condition_type"] == [{"value": "new_new", "marketplace_id": US}]                  # no language there
    assert got["fulfillment_availability"] == [{"fulfillment_channel_code": "DEFAULT", "quantity": 1}]


def test_product_attributes_are_checked_against_the_definition():
    definition = Definition(toy_schema(), product_type="TOY_FIGURE")
    attributes = {**good_toy_attributes(), "item_name": [{"value": "é" * 11}]}     # 22 bytes > 20
    error = refused("product", {"sku": "S", "attributes": attributes}, product_type="TOY_FIGURE", definition=definition)
    assert error.field == "items[2].attributes.item_name[0].value" and "22 bytes" in str(error)
    missing = {k: v for k, v in good_toy_attributes().items() if k != "brand"}
    assert refused("product", {"sku": "S", "attributes": missing}, product_type="T",
                   definition=definition).field == "items[2].attributes.brand"
    # a partial update leaves the others as they are: nothing is required
    partial = one("product", {"sku": "S", "operationType": "PartialUpdate", "attributes": missing},
                  product_type="T", definition=definition)
    assert set(partial["attributes"]) == {"item_name", "condition_type"}


def test_patch_values_are_checked_against_a_definition():
    definition = Definition(toy_schema(), product_type="TOY_FIGURE")
    error = refused("inventory", {"sku": "A", "quantity": 1, "fulfillmentLatency": 45}, definition=definition)
    assert error.field == "items[2].attributes.fulfillment_availability[0].lead_time_to_ship_max_days"


# -- perItem calls -----------------------------------------------------------------------------

def test_listings_calls():
    update = ListingsMessage("S", "UPDATE", "T", "LISTING", attributes={"a": [{"value": 1}]})
    assert update.listings_call() == ("putListingsItem", {"productType": "T", "attributes": {"a": [{"value": 1}]},
                                                          "requirements": "LISTING"})
    partial = ListingsMessage("S", "PARTIAL_UPDATE", "T", attributes={"a": [{"value": 1}], "b": [{"value": 2}]})
    assert partial.listings_call() == ("patchListingsItem", {"productType": "T", "patches": [
        {"op": "replace", "path": "/attributes/a", "value": [{"value": 1}]},
        {"op": "replace", "path": "/attributes/b", "value": [{"value": 2}]}]})
    patch, = map_item("inventory", {"sku": "A", "quantity": 2}, 0, CONTEXT)
    assert patch.listings_call() == ("patchListingsItem", {"productType": "PRODUCT", "patches": patch.patches})
    assert ListingsMessage("S", "DELETE").listings_call() == ("deleteListingsItem", None)


def test_map_items_names_the_bad_items_index():
    items = [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 2}, {"sku": "C", "available": False}]
    produced = []
    with pytest.raises(InputError) as caught:
        for message in map_items("inventory", items, CONTEXT):
            produced.append(message.sku)
    assert produced == ["A", "B"] and caught.value.field == "items[2].available"
    json.dumps([m.feed_message(1) for m in map_items("inventory", items[:2], CONTEXT)])


def test_unknown_kind():
    with pytest.raises(InputError, match="orderFulfillment"):
        map_item("orderFulfillment", {}, 0, CONTEXT)


# -- the in-schemas offered on SP-API ----------------------------------------------------------

def test_sp_in_schemas_offer_only_what_can_be_sent():
    from mws_component.spapi.listings.mapping import sp_in_schema
    inventory = sp_in_schema("inventory")["properties"]["items"]["items"]["properties"]
    assert not {"available", "lookup", "switchFulfillmentTo"} & set(inventory)
    assert inventory["operationType"]["enum"] == ["Update"] and inventory["quantity"]["required"] is True
    assert {"productType", "marketplaceId"} <= set(inventory)
    price = sp_in_schema("price")["properties"]["items"]["items"]["properties"]
    assert not {"depositAmount", "compareAt", "rental_0", "standardPricePoints"} & set(price)
    assert "salePricePoints" not in price["sale"]["properties"] and "zero" not in price["standardPrice"]["properties"]
    image = sp_in_schema("image")["properties"]["items"]["items"]["properties"]
    assert image["imageType"]["enum"] == ["Main", "Swatch"] + [f"PT{n}" for n in range(1, 9)]
    relation = sp_in_schema("relationship")["properties"]["items"]["items"]["properties"]["relation"]
    assert relation["items"]["properties"]["type"]["enum"] == ["Variation"]
    # and every field still offered maps
    for kind in ("inventory", "price", "image", "relationship"):
        offered = set(sp_in_schema(kind)["properties"]["items"]["items"]["properties"]) - {"operationType"}
        assert all(TABLES[kind].row(name) is not None or name in ("productType", "marketplaceId") for name in offered)
