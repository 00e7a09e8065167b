"""The 30 product categories: every one writes XML the XSDs accept (every choice
member taken at least once), resolution by label or element name, and the
documentation's health-product example expressed as a JSON item."""

import pytest
from lxml import etree

from mws_component.errors import InputError
from mws_component.feeds import CATEGORIES, resolve_category, validate_item

from .support import (SELLER, assert_valid_feed, build_bytes, category_type, choice_variants,
                      messages_read_back, product_item)


@pytest.mark.parametrize("category", CATEGORIES, ids=lambda c: c.element)
def test_category_validates(xsd, category):
    variants = choice_variants(category_type(category))
    items = [product_item(category, variant, full, sku=f"SKU-{full:d}-{variant}")
             for full in (False, True) for variant in range(variants)]
    data, _ = build_bytes("product", items, category=category.label)
    root = assert_valid_feed(data)
    expected = []
    for index, item in enumerate(items):
        normalized = validate_item("product", item, index)
        expected.append((normalized.pop("operationType"), normalized))
    assert messages_read_back("product", root) == expected


def test_thirty_categories_of_the_original_component():
    assert len(CATEGORIES) == 30
    assert len({c.element for c in CATEGORIES}) == 30
    # The uncertain rows of MWS_API.md §5 take the main mapping.
    assert resolve_category("Clothing Accessories & Luggage").element == "ClothingAccessories"
    assert resolve_category("Grocery & Gourmet Food").element == "FoodAndBeverages"
    assert resolve_category("Toys & Games").element == "Toys"


@pytest.mark.parametrize("name, element", [
    ("Consumer Electronics", "CE"), ("CE", "CE"), ("ce", "CE"), ("Software and Video Games", "SoftwareVideoGames"),
    ("SoftwareVideoGames", "SoftwareVideoGames"), ("softwareVideoGames", "SoftwareVideoGames"), ("Sports Collectibles", "SportsMemorabilia"),
    ("Cell Phones & Accessories (Wireless)", "Wireless"), ("autoAccessory", "AutoAccessory"),
])
def test_category_resolution(name, element):
    assert resolve_category(name).element == element


@pytest.mark.parametrize("name, nearest", [
    ("  software and video games ", "Software and Video Games"), ("TOYS", "Toys"), ("toys & games", "Toys & Games"),
    ("Health ", "Health"), ("HEALTH", "Health"), ("Toyz", "Toys"),
])
def test_categories_are_matched_exactly_and_a_near_miss_names_the_nearest(name, nearest):
    """The one rule of enumerations (mws_component/inputs.py): exact, case included, with a hint."""
    with pytest.raises(InputError) as error:
        resolve_category(name)
    assert error.value.field == "category"
    assert str(error.value).startswith("category: ") and f"did you mean {nearest!r}" in str(error.value)


def test_unknown_category():
    with pytest.raises(InputError) as error:
        resolve_category("Groceries")
    assert error.value.field == "category" and "Toys & Games" in str(error.value)


def test_categories_left_out_are_refused():
    with pytest.raises(InputError) as error:
        validate_item("product", {"sku": "A", "productData": {"clothing": {}}}, 2)
    assert error.value.field == "items[2].productData.clothing"


def test_feed_bound_to_a_category_refuses_another():
    with pytest.raises(InputError) as error:
        build_bytes("product", [product_item("Health"), product_item("Beauty")], category="Health")
    assert error.value.field == "items[1].productData.beauty"


# MWS_API.md §5 "minimal valid fragment" column, as JSON items.
MINIMAL_FRAGMENTS = {
    "AutoAccessory": {"productType": {"autoAccessoryMisc": {}}},
    "Beauty": {"productType": {"beautyMisc": {}}},
    "Books": {"productType": {"booksMisc": {"binding": "Accessory"}}},
    "CameraPhoto": {"productType": {"filmCamera": {}}},
    "Wireless": {"productType": {"wirelessAccessories": {}}},
    "ClothingAccessories": {"classificationData": {"department": "x"}},
    "Computers": {"productType": {"carryingCaseOrBag": {}}},
    "CE": {"productType": {"antenna": {}}},
    "FoodAndBeverages": {"productType": {"food": {}}},
    "Health": {"productType": {"healthMisc": {}}},
    "HomeImprovement": {"productType": {"buildingMaterials": {}}},
    "LabSupplies": {"productType": {"labSupply": {}}},
    "PowerTransmission": {"productType": "BearingsAndBushings"},
    "RawMaterials": {"productType": "Metals", "materialType": "x", "measurementSystem": "metric"},
    "Jewelry": {"productType": {"watch": {}}},
    "Lighting": {"productType": {"lightsAndFixtures": {}}},
    "Miscellaneous": {"productType": "Antiques"},
    "MusicalInstruments": {"productType": {"brassAndWoodwindInstruments": {}}},
    "Music": {"productType": {"musicPopular": {"mediaType": "lp_record"}}},
    "Office": {"productType": {"artSupplies": {}}},
    "Outdoors": {},
    "PetSupplies": {"productType": {"petSuppliesMisc": {}}},
    "Shoes": {"clothingType": "Shoes", "classificationData": {}},
    "SoftwareVideoGames": {"productType": {"videoGamesAccessories": {"hardwarePlatform": ["x"]}}},
    "Sports": {},
    "SportsMemorabilia": {"productType": "SportsMemorabilia", "authenticatedBy": "x",
                          "conditionProvidedBy": "x", "conditionRating": "x"},
    "TiresAndWheels": {"productType": {"tires": {}}},
    "Tools": {},
    "Toys": {"productType": {"toysAndGames": {}}, "ageRecommendation": {}},
}


@pytest.mark.parametrize("element", sorted(MINIMAL_FRAGMENTS))
def test_reference_minimal_fragments(xsd, element):
    category = resolve_category(element)
    item = {"sku": "A", "descriptionData": {"title": "T"}, "productData": {category.key: MINIMAL_FRAGMENTS[element]}}
    assert_valid_feed(build_bytes("product", [item])[0])


def test_empty_element_choice_is_an_empty_object():
    normalized = validate_item("product", {"sku": "A", "productData": {"health": {"productType": {"healthMisc": {}}}}})
    assert normalized["productData"] == {"health": {"productType": {"healthMisc": {}}}}
    with pytest.raises(InputError) as error:
        validate_item("product", {"sku": "A", "productData": {"health": {"productType": "HealthMisc"}}})
    assert error.value.field == "items[0].productData.health.productType"


def test_documentation_health_example(xsd, shared_dir):
    """docs/SubmitFeed-example1.xml as a JSON item: same envelope, same product."""
    item = {
        "sku": "56789",
        "standardProductID": {"type": "ASIN", "value": "B0EXAMPLEG"},
        "productTaxCode": "A_GEN_NOTAX",
        "descriptionData": {
            "title": "Example Product Title",
            "brand": "Example Product Brand",
            "description": "This is an example product description.",
            "bulletPoint": ["Example Bullet Point 1", "Example Bullet Point 2"],
            "msrp": {"value": 25.19, "currency": "USD"},
            "manufacturer": "Example Product Manufacturer",
            "itemType": "example-item-type",
        },
        "productData": {"health": {"productType": {"healthMisc": {
            "ingredients": ["Example Ingredients"], "directions": "Example Directions"}}}},
    }
    ours = assert_valid_feed(build_bytes("product", [item], category="Health")[0])
    sample = etree.parse(str(shared_dir / "mws-samples" / "docs" / "SubmitFeed-example1.xml")).getroot()
    assert SELLER == sample.findtext("Header/MerchantIdentifier")
    assert _shape(ours) == _shape(sample)


def _shape(node):
    """Tag, attributes (without xsi), stripped text and children: what the XSD and Amazon read."""
    attributes = {k: v for k, v in node.attrib.items() if not k.startswith("{")}
    return (node.tag, attributes, (node.text or "").strip(), [_shape(child) for child in node])
