"""In-schemas (platform dialect) generated from the descriptions, and the generator
that writes the descriptions from Amazon's XSDs: deterministic and committed."""

import importlib.util
import json

import jsonschema
import pytest

from mws_component.feeds import CATEGORIES, FEED_TYPES, in_schema, item_schema

from .support import REPO

SCHEMAS = REPO / "schemas" / "feeds"
STATIC_KINDS = [k for k, kind in FEED_TYPES.items() if not kind.category_holder]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_category_schemas", REPO / "tools" / "gen_category_schemas.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_output_is_committed_and_deterministic(xsd, tmp_path):
    generator = _generator()
    first = sorted(p.relative_to(tmp_path / "a") for p in generator.write(xsd, tmp_path / "a"))
    second = sorted(p.relative_to(tmp_path / "b") for p in generator.write(xsd, tmp_path / "b"))
    assert first == second
    for relative in first:
        generated = (tmp_path / "a" / relative).read_bytes()
        assert generated == (tmp_path / "b" / relative).read_bytes(), relative
        assert generated == (SCHEMAS / relative).read_bytes(), f"{relative}: run tools/gen_category_schemas.py"
    committed = {p.relative_to(SCHEMAS) for p in (SCHEMAS / "descriptions").rglob("*.json")}
    assert committed == {p for p in first if p.parts[0] == "descriptions"}, "stale description files"


def test_generated_files_stay_small():
    sizes = {p.name: p.stat().st_size for p in (SCHEMAS / "descriptions").rglob("*.json")}
    assert sum(sizes.values()) < 1_500_000
    assert max(sizes.values()) < 250_000, max(sizes.items(), key=lambda kv: kv[1])


@pytest.mark.parametrize("kind", STATIC_KINDS)
def test_committed_in_schema_matches(kind):
    committed = json.loads((SCHEMAS / f"{kind}.in.json").read_text(encoding="utf-8"))
    assert committed == in_schema(kind)


@pytest.mark.parametrize("kind, category", [(k, None) for k in STATIC_KINDS] +
                         [("product", c.label) for c in CATEGORIES])
def test_in_schema_dialect(kind, category):
    schema = in_schema(kind, category)
    jsonschema.Draft3Validator.check_schema(schema)
    assert schema["type"] == "object"       # never a bare array at the root
    items = schema["properties"]["items"]
    assert items["type"] == "array" and items["required"] is True
    item = items["items"]
    assert item["type"] == "object" and item["title"]

    def walk(node):
        for key, prop in node.get("properties", {}).items():
            assert isinstance(prop["order"], int) and prop["title"], key
            assert prop.get("required", True) is True
            walk(prop.get("items", prop) if prop["type"] == "array" else prop)
    walk(item)


def test_inventory_item_schema():
    schema = item_schema("inventory")
    properties = schema["properties"]
    assert list(properties) == ["operationType", "sku", "fulfillmentCenterID", "available", "quantity", "lookup",
                                "restockDate", "fulfillmentLatency", "switchFulfillmentTo"]
    assert [p["order"] for p in properties.values()] == list(range(9, 0, -1))
    assert properties["sku"] == {"type": "string", "minLength": 1, "maxLength": 40, "title": "SKU",
                                 "required": True, "order": 8}
    assert properties["quantity"]["type"] == "integer" and properties["quantity"]["minimum"] == 0
    assert "required" not in properties["quantity"]     # one of a choice
    assert "exactly one of: available, quantity, lookup" in properties["quantity"]["description"]
    assert properties["restockDate"]["format"] == "date"
    assert properties["operationType"]["enum"] == ["Update", "Delete"]
    assert properties["fulfillmentCenterID"]["title"] == "Fulfillment Center ID"


def test_price_item_schema_shapes():
    properties = item_schema("price")["properties"]
    standard = properties["standardPrice"]
    assert standard["type"] == "object"
    assert standard["properties"]["value"]["type"] == "number"
    assert standard["properties"]["value"]["required"] is True
    assert "DEFAULT" in standard["properties"]["currency"]["enum"]
    assert standard["properties"]["currency"]["required"] is True
    assert standard["properties"]["zero"]["type"] == "boolean"
    assert set(properties["quantityPrice"]["properties"]) == {
        f"quantity{part}{n}" for part in ("Price", "LowerBound") for n in range(1, 6)}


def test_order_feeds_have_no_operation_property():
    assert "operationType" not in item_schema("orderAcknowledgement")["properties"]
    relation = item_schema("relationship")["properties"]["relation"]
    assert relation["type"] == "array" and relation["required"] is True
    assert set(relation["items"]["properties"]) == {"sku", "type"}


def test_product_schema_keeps_only_the_chosen_category():
    schema = item_schema("product", "Health")
    assert schema["title"] == "Product (Health)"
    product_data = schema["properties"]["productData"]
    assert list(product_data["properties"]) == ["health"]
    assert product_data["properties"]["health"]["required"] is True
    health = product_data["properties"]["health"]["properties"]
    assert set(health["productType"]["properties"]) == {"healthMisc", "personalCareAppliances", "prescriptionDrug"}
    assert schema["properties"]["operationType"]["enum"] == ["Update", "Delete", "PartialUpdate"]
    description = schema["properties"]["descriptionData"]["properties"]
    assert description["title"]["required"] is True and description["title"]["maxLength"] == 500
    assert description["bulletPoint"]["type"] == "array" and description["bulletPoint"]["maxItems"] == 5
    assert description["msrp"]["properties"]["value"]["description"] == "At most 2 decimal places"


def test_items_written_with_json_types_match_their_schema():
    inventory = {"items": [{"sku": "A", "quantity": 3, "restockDate": "2024-01-31"},
                           {"sku": "B", "available": False, "operationType": "Delete"}]}
    jsonschema.Draft3Validator(in_schema("inventory")).validate(inventory)
    price = {"items": [{"sku": "A", "standardPrice": {"value": 19.99, "currency": "USD"},
                        "sale": {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-02-01T00:00:00Z",
                                 "salePrice": {"value": 9.5, "currency": "USD"}}}]}
    jsonschema.Draft3Validator(in_schema("price")).validate(price)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft3Validator(in_schema("inventory")).validate({"items": [{"quantity": 1}]})
