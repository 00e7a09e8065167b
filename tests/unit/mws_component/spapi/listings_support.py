"""Small product type schemas written for these tests in the shape of Amazon's meta-schema v1
(draft 2019-09 plus selectors, maxUniqueItems, maxUtf8ByteLength, hidden, editable, enumNames),
and the listings-feed schemas read from ../shared (never copied)."""

import json
from functools import lru_cache

import jsonschema

from tests.conftest import SHARED

META = "https://schemas.amazon.com/selling-partners/definitions/product-types/meta-schema/v1"
US = "ATVPDKIKX0DER"


def _text_attribute(title, description, max_bytes, max_entries=1):
    return {
        "title": title, "description": description, "type": "array", "minItems": 1,
        "selectors": ["marketplace_id", "language_tag"], "maxUniqueItems": max_entries,
        "items": {"type": "object", "required": ["value", "language_tag"], "additionalProperties": False,
                  "properties": {"value": {"title": title, "type": "string", "minLength": 1,
                                           "maxUtf8ByteLength": max_bytes},
                                 "language_tag": {"$ref": "#/$defs/language_tag"},
                                 "marketplace_id": {"$ref": "#/$defs/marketplace_id"}}},
    }


def toy_schema():
    """A concrete type: required text attributes, an enumeration, byte limits, maxUniqueItems."""
    return {
        "$schema": META,
        "$id": "https://schemas.amazon.com/selling-partners/definitions/product-types/schema/v1/TOY_FIGURE",
        "$comment": "written for the tests in the shape of Amazon's product type schemas",
        "$defs": {
            "marketplace_id": {"title": "Marketplace", "type": "string", "hidden": True, "editable": False,
                               "enum": [US]},
            "language_tag": {"title": "Language Tag", "type": "string", "hidden": True, "enum": ["en_US", "es_US"]},
        },
        "type": "object",
        "required": ["item_name", "brand", "condition_type"],
        "properties": {
            "item_name": _text_attribute("Item Name", "Provide a title for the item", 20),
            "brand": _text_attribute("Brand Name", "The brand", 10),
            "bullet_point": _text_attribute("Bullet Point", "One feature per entry", 30, max_entries=3),
            "condition_type": {
                "title": "Condition", "description": "The item's condition", "type": "array",
                "selectors": ["marketplace_id"], "maxUniqueItems": 1,
                "items": {"type": "object", "required": ["value"], "additionalProperties": False,
                          "properties": {"value": {"title": "Condition", "type": "string",
                                                   "enum": ["new_new", "used_good"],
                                                   "enumNames": ["New", "Used - Good"]},
                                         "marketplace_id": {"$ref": "#/$defs/marketplace_id"}}},
            },
            "fulfillment_availability": {
                "title": "Fulfillment Availability", "description": "Quantity per channel", "type": "array",
                "selectors": ["fulfillment_channel_code"], "maxUniqueItems": 1,
                "items": {"type": "object", "required": ["fulfillment_channel_code"], "additionalProperties": False,
                          "properties": {"fulfillment_channel_code": {"type": "string"},
                                         "quantity": {"type": "integer", "minimum": 0},
                                         "lead_time_to_ship_max_days": {"type": "integer", "minimum": 0,
                                                                        "maximum": 30},
                                         "restock_date": {"type": "string", "format": "date"}}},
            },
            "internal_code": {"title": "Internal", "type": "array", "hidden": True,
                              "items": {"type": "object", "properties": {"value": {"type": "string"}}}},
        },
    }


def good_toy_attributes():
    return {"item_name": [{"value": "Robot figure"}], "brand": [{"value": "Acme"}],
            "condition_type": [{"value": "new_new"}]}


def _load(name):
    return json.loads((SHARED / "spapi-models" / "schemas" / "feeds" / name).read_text())


@lru_cache(maxsize=None)
def feed_validator():
    return jsonschema.Draft7Validator(_load("listings-feed-schema-v2.json"))


@lru_cache(maxsize=None)
def message_validator():
    return jsonschema.Draft7Validator(_load("listings-feed-message-schema-v2.json"))


@lru_cache(maxsize=None)
def report_validator():
    return jsonschema.Draft7Validator(_load("listings-feed-processing-report-schema-v2.json"))


def report_example():
    return _load("listings-feed-processing-report-schema-v2.example.json")
