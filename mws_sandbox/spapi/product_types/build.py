"""Writes the sandbox's own product type definitions (the JSON files beside this module).

    python -m mws_sandbox.spapi.product_types.build      # rewrites PRODUCT.json, SHIRT.json, ...

Each file is the project's own schema, written in the shape of Amazon's product type schemas (Amazon
Product Type Definitions Meta-Schema v1: `$defs` for marketplace_id and language_tag, attribute arrays of
objects with `selectors`, `maxUniqueItems`, `maxUtf8ByteLength`, `additionalProperties: false`,
`allOf` if/then conditions), with the common attribute shapes Amazon's product types share (Listings
Items API: "Submit listings data"; the purchasable_offer, fulfillment_availability, image locator and
relationship attributes of Amazon's PRODUCT, HAIRBAND and CHAIR definitions). Beside the schema, each
file holds what the definition answer tells: display name, search keywords, property groups, which
required attributes belong to the offer (LISTING_OFFER_ONLY) and which to the product facts.
The tests check that the files are what this module writes.
"""

import json
from pathlib import Path

from ..meta_schema import META_SCHEMA_ID, SCHEMA_ID_PREFIX

HERE = Path(__file__).parent
VERSION = "U1A2B3C4D5E6F7G8"  # the sandbox's one version of every product type
MARKETPLACES = ("ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8", "A1F83G8C2ARO7P", "A1PA6795UKMFR9",
                "A13V1IB3VIYZZH", "APJ6JRA9NG5V4", "A1RKKUPIHCS9HS", "A1VC38T7YXB528")
LANGUAGE_TAGS = ("en_US", "en_CA", "fr_CA", "es_MX", "en_GB", "de_DE", "fr_FR", "it_IT", "es_ES", "ja_JP")
CURRENCIES = ("USD", "CAD", "MXN", "GBP", "EUR", "JPY")
CONDITIONS = ("new_new", "new_open_box", "new_oem", "refurbished_refurbished", "used_like_new", "used_very_good",
              "used_good", "used_acceptable", "collectible_like_new", "collectible_very_good", "collectible_good",
              "collectible_acceptable", "club_club")
FULFILLMENT_CHANNELS = ("DEFAULT", "AMAZON_NA", "AMAZON_EU", "AMAZON_FE")
DATE = {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}

DEFS = {
    "marketplace_id": {"default": "ATVPDKIKX0DER", "editable": False, "hidden": True,
                       "title": "Amazon Marketplace ID", "description": "The marketplace the value applies to",
                       "type": "string", "enum": list(MARKETPLACES)},
    "language_tag": {"default": "en_US", "editable": False, "hidden": True, "title": "Language Tag",
                     "description": "The language of the value", "type": "string", "enum": list(LANGUAGE_TAGS)},
}
MARKETPLACE = {"$ref": "#/$defs/marketplace_id"}
LANGUAGE = {"$ref": "#/$defs/language_tag"}


def attribute(title, description, properties, *, required=("value",), selectors=("marketplace_id",),
              max_unique=1, min_items=1, examples=None, extra=None):
    """An attribute: an array of objects, one (or max_unique) per combination of its selectors."""
    item = {"type": "object", "required": list(required), "additionalProperties": False, "properties": properties}
    item.update(extra or {})
    schema = {"title": title, "description": description, "type": "array", "minItems": min_items,
              "minUniqueItems": 1, "maxUniqueItems": max_unique, "selectors": list(selectors), "items": item}
    if examples:
        schema["examples"] = examples
    return schema


def text(title, description, max_bytes, *, max_unique=1, min_bytes=1):
    return attribute(title, description, {
        "value": {"title": title, "type": "string", "minLength": 1, "minUtf8ByteLength": min_bytes,
                  "maxUtf8ByteLength": max_bytes},
        "language_tag": LANGUAGE, "marketplace_id": MARKETPLACE},
        required=("value", "language_tag"), selectors=("marketplace_id", "language_tag"), max_unique=max_unique)


def choice(title, description, values, names=None):
    value = {"title": title, "type": "string", "enum": list(values)}
    if names:
        value["enumNames"] = list(names)
    return attribute(title, description, {"value": value, "marketplace_id": MARKETPLACE})


def schedule(title, *, dated=False):
    entry = {"type": "object", "required": ["value_with_tax"], "additionalProperties": False,
             "properties": {"value_with_tax": {"title": title, "type": "number", "minimum": 0}}}
    if dated:
        entry["required"] = ["value_with_tax", "start_at", "end_at"]
        entry["properties"].update(start_at=DATE, end_at=DATE)
    return {"title": title, "type": "array", "minItems": 1, "maxItems": 1, "items": {
        "type": "object", "required": ["schedule"], "additionalProperties": False, "properties": {
            "schedule": {"type": "array", "minItems": 1, "maxItems": 1, "items": entry}}}}


def moment(title):
    return {"title": title, "type": "object", "required": ["value"], "additionalProperties": False,
            "properties": {"value": DATE}}


PURCHASABLE_OFFER = attribute(
    "Purchasable Offer", "The price the item is sold at, per marketplace, currency and audience",
    {"marketplace_id": MARKETPLACE,
     "currency": {"title": "Currency", "type": "string", "enum": list(CURRENCIES)},
     "audience": {"title": "Audience", "type": "string", "enum": ["ALL", "B2B"], "enumNames": ["Sell on Amazon",
                                                                                            "Amazon Business"],
                  "default": "ALL"},
     "our_price": schedule("Your Price"),
     "discounted_price": schedule("Sale Price", dated=True),
     "minimum_seller_allowed_price": schedule("Minimum Seller Allowed Price"),
     "maximum_seller_allowed_price": schedule("Maximum Seller Allowed Price"),
     "map_price": schedule("Minimum Advertised Price"),
     "quantity_discount_plan": {"title": "Quantity Discount Plan", "type": "array", "minItems": 1, "maxItems": 1,
                                "items": {"type": "object", "required": ["schedule"], "additionalProperties": False,
                                          "properties": {"schedule": {"type": "array", "minItems": 1, "maxItems": 1,
                                                                      "items": {
                                              "type": "object", "required": ["discount_type", "levels"],
                                              "additionalProperties": False, "properties": {
                                                  "discount_type": {"type": "string", "enum": ["fixed", "percent"]},
                                                  "levels": {"type": "array", "minItems": 1, "maxItems": 5, "items": {
                                                      "type": "object", "required": ["lower_bound", "value"],
                                                      "additionalProperties": False, "properties": {
                                                          "lower_bound": {"type": "integer", "minimum": 0},
                                                          "value": {"type": "number", "minimum": 0}}}}}}}}}},
     "start_at": moment("Start Date"),
     "end_at": moment("End Date")},
    required=("marketplace_id", "currency", "our_price"), selectors=("marketplace_id", "currency", "audience"),
    max_unique=1)

# Amazon's PRODUCT schema gives fulfillment_availability no marketplace_id: the channel selects the entry.
FULFILLMENT_AVAILABILITY = attribute(
    "Fulfillment Availability", "How many units the channel can ship, and how soon",
    {"fulfillment_channel_code": {"title": "Fulfillment Channel Code", "type": "string",
                                  "enum": list(FULFILLMENT_CHANNELS)},
     "quantity": {"title": "Quantity", "type": "integer", "minimum": 0},
     "lead_time_to_ship_max_days": {"title": "Handling Time", "type": "integer", "minimum": 0, "maximum": 30},
     "restock_date": {"title": "Restock Date", **DATE},
     "is_inventory_available": {"title": "Inventory Always Available", "type": "boolean"}},
    required=("fulfillment_channel_code",), selectors=("fulfillment_channel_code",),
    extra={"not": {"required": ["quantity", "is_inventory_available"]}})


def image(title):
    return attribute(title, "The URL of an image (JPEG, PNG or GIF) Amazon downloads",
                     {"media_location": {"title": "Media Location", "type": "string", "format": "uri",
                                         "pattern": "^https?://", "maxUtf8ByteLength": 2048},
                      "marketplace_id": MARKETPLACE}, required=("media_location",))


IMAGES = {"main_product_image_locator": image("Main Image Location"),
          **{f"other_product_image_locator_{n}": image(f"Other Image Location {n}") for n in range(1, 9)},
          "swatch_product_image_locator": image("Swatch Image Location")}

COMMON = {
    "item_name": text("Item Name", "The title shown to buyers", 200),
    "brand": text("Brand Name", "The brand or manufacturer", 100),
    "product_description": text("Product Description", "What the product is, in full sentences", 2000),
    "bullet_point": text("Bullet Point", "Key features, one per value", 500, max_unique=5),
    "manufacturer": text("Manufacturer", "Who makes the product", 100),
    "externally_assigned_product_identifier": attribute(
        "External Product ID", "A UPC, EAN or GTIN assigned to the product",
        {"type": {"title": "Type", "type": "string", "enum": ["ean", "gtin", "upc", "isbn"],
                  "enumNames": ["EAN", "GTIN", "UPC", "ISBN"]},
         "value": {"title": "Value", "type": "string", "pattern": "^[0-9]{8,14}$"},
         "marketplace_id": MARKETPLACE}, required=("type", "value")),
    "merchant_suggested_asin": attribute(
        "Merchant Suggested ASIN", "The ASIN of the catalogue item this listing sells",
        {"value": {"title": "ASIN", "type": "string", "minLength": 10, "maxLength": 10,
                   "pattern": "^[A-Z0-9]{10}$"}, "marketplace_id": MARKETPLACE}),
    "condition_type": choice("Item Condition", "The condition of the offered item", CONDITIONS),
    "list_price": attribute("List Price", "The manufacturer's suggested retail price",
                            {"currency": {"type": "string", "enum": list(CURRENCIES)},
                             "value": {"type": "number", "minimum": 0}, "marketplace_id": MARKETPLACE},
                            required=("currency", "value")),
    "purchasable_offer": PURCHASABLE_OFFER,
    "fulfillment_availability": FULFILLMENT_AVAILABILITY,
    **IMAGES,
    "parentage_level": choice("Parentage Level", "Whether the SKU is a variation parent or child",
                              ("parent", "child"), ("Parent", "Child")),
    "child_parent_sku_relationship": attribute(
        "Child Parent SKU Relationship", "The variation parent of a child SKU",
        {"child_relationship_type": {"title": "Relationship Type", "type": "string", "enum": ["variation"]},
         "parent_sku": {"title": "Parent SKU", "type": "string", "minLength": 1, "maxUtf8ByteLength": 40},
         "marketplace_id": MARKETPLACE},
        required=("child_relationship_type",),
        extra={"allOf": [{"if": {"properties": {"child_relationship_type": {"const": "variation"}}},
                          "then": {"required": ["parent_sku"]}}]}),
}

GROUPS = {
    "offer": ("Offer", "What the offer sells for and how it ships",
              ("condition_type", "purchasable_offer", "list_price", "fulfillment_availability")),
    "product_identity": ("Product Identity", "What identifies the product",
                         ("item_name", "brand", "externally_assigned_product_identifier", "merchant_suggested_asin",
                          "manufacturer")),
    "product_details": ("Product Details", "What the product is", ("product_description", "bullet_point")),
    "images": ("Images", "The product's images", tuple(IMAGES)),
    "variations": ("Variations", "The product's place in a variation family",
                   ("parentage_level", "child_parent_sku_relationship", "variation_theme")),
}

IDENTIFIER_UNLESS_ASIN = {
    "if": {"not": {"required": ["merchant_suggested_asin"]}},
    "then": {"required": ["externally_assigned_product_identifier"]},
}


def product_type(name, display_name, keywords, *, extra=None, required, offer_required=("condition_type",),
                 conditions=(), groups=None):
    properties = {**COMMON, **(extra or {})}
    property_groups = {key: {"title": title, "description": description,
                             "propertyNames": [n for n in names if n in properties]}
                       for key, (title, description, names) in {**GROUPS, **(groups or {})}.items()}
    schema = {"$schema": META_SCHEMA_ID, "$id": SCHEMA_ID_PREFIX + name,
              "$comment": f"The MWS sandbox's own {name} product type, in the shape of Amazon's schemas",
              "$defs": DEFS, "type": "object", "required": [*required, *offer_required],
              "properties": properties}
    if conditions:
        schema["allOf"] = list(conditions)
    return {"productType": name, "displayName": display_name, "keywords": list(keywords),
            "version": VERSION, "marketplaceIds": list(MARKETPLACES), "offerRequired": list(offer_required),
            "propertyGroups": property_groups, "schema": schema}


def variation_theme(*themes):
    return {"variation_theme": attribute("Variation Theme", "The attributes the children of this parent vary by",
                                         {"name": {"title": "Theme", "type": "string", "enum": list(themes)}},
                                         required=("name",), selectors=())}


DEFINITIONS = (
    product_type("PRODUCT", "Product", ("product", "generic", "item", "offer"), required=("item_name",)),
    product_type("SHIRT", "Shirt", ("shirt", "t-shirt", "tee", "blouse", "clothing", "apparel", "top"),
                 extra={"color": text("Color", "The colour buyers see", 100),
                        "size": text("Size", "The size buyers pick", 50),
                        "department": text("Department", "Who the shirt is for (e.g. mens, womens)", 50),
                        **variation_theme("SIZE", "COLOR", "SIZE/COLOR")},
                 groups={"apparel": ("Apparel", "Sizes and colours", ("color", "size", "department"))},
                 required=("item_name", "brand", "color", "size", "department"),
                 conditions=(IDENTIFIER_UNLESS_ASIN,)),
    product_type("HAIRBAND", "Hairband", ("hairband", "headband", "hair", "hair accessory", "band"),
                 extra={"material": text("Material", "What the band is made of", 100, max_unique=3),
                        **variation_theme("COLOR")},
                 groups={"details": ("Details", "Materials", ("material",))},
                 required=("item_name", "brand"), conditions=(IDENTIFIER_UNLESS_ASIN,)),
    product_type("TOY_FIGURE", "Toy Figure", ("toy", "figure", "action figure", "doll", "figurine"),
                 extra={"manufacturer_minimum_age": attribute(
                     "Minimum Age", "The youngest age the manufacturer recommends",
                     {"value": {"type": "integer", "minimum": 0, "maximum": 300},
                      "unit": {"type": "string", "enum": ["months", "years"]}, "marketplace_id": MARKETPLACE},
                     required=("value", "unit"))},
                 groups={"safety": ("Safety", "Ages", ("manufacturer_minimum_age",))},
                 required=("item_name", "brand", "manufacturer_minimum_age")),
)


def rendered():
    """{file name: text} of every definition file."""
    return {f"{d['productType']}.json": json.dumps(d, indent=1, ensure_ascii=False) + "\n" for d in DEFINITIONS}


def main():
    for name, content in rendered().items():
        (HERE / name).write_text(content, encoding="utf-8")


if __name__ == "__main__":
    main()
