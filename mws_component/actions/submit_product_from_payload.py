"""Submit Product (Category from payload): on MWS _POST_PRODUCT_DATA_, each item naming its category; on
SP-API each item names its Amazon product type (`productType`), by feed or per item (submitMode).

MWS: each item carries "category" (a label such as "Toys & Games", a ProductData element such as
"Toys" or its key "toys", matched exactly) and is checked once, against that category's fields.
SP-API: each item is {sku, productType, operationType?, requirements?, attributes} and its attributes
are checked against its product type's definition (fetched once per type) before anything is sent.
The step's `operation` is required: Update replaces the whole product, so it is never assumed.
"""

from ..feeds import CATEGORIES, item_schema, resolve_category
from ..inputs import refuse
from ..spapi.credentials import api_of
from ..submit import SUBMIT_MODE_FIELD, getSubmitModes, operation_field, out_schema, submit_feed  # noqa: F401
from .submit_product import getOperations  # noqa: F401  (select model of the operation field)

STEP_FIELDS = (operation_field("product", required=True), SUBMIT_MODE_FIELD)


def getMetaModel(cfg):
    if isinstance(cfg, dict) and api_of(cfg) == "spapi":
        return {"in": _sp_in_schema(), "out": out_schema(cfg)}
    item = item_schema("product", "Tools")  # the Product fields; productData depends on the category
    item["title"] = "Product (category from the payload)"
    item["properties"] = {
        "category": {"type": "string", "title": "Category", "required": True,
                     "enum": sorted({name for c in CATEGORIES for name in (c.label, c.element, c.key)}),
                     "description": "A category label, its ProductData element or that element's key (Toys & Games, Toys or toys), matched exactly"},
        **{k: v for k, v in item["properties"].items() if k != "productData"},
        "productData": {"type": "object", "title": "Product Data",
                        "description": "One key: the category's element in lower camel case (e.g. toys), "
                                       "with that category's fields"},
    }
    return {"in": {"type": "object", "properties": {"items": {"type": "array", "required": True, "items": item}}},
            "out": out_schema(cfg)}


def _sp_in_schema():
    item = {"type": "object", "title": "Listing (product type from the payload)", "properties": {
        "productType": {"type": "string", "title": "Product Type", "required": True, "order": 5,
                        "description": "Amazon's product type of this listing (e.g. SHIRT); its definition checks "
                                       "the attributes"},
        "sku": {"type": "string", "title": "SKU", "required": True, "minLength": 1, "order": 4},
        "operationType": {"type": "string", "title": "Operation", "enum": ["Update", "PartialUpdate", "Delete"],
                          "order": 3, "description": "OperationType of this item's message; default the step's"},
        "requirements": {"type": "string", "title": "Requirements", "order": 2,
                         "enum": ["LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY"],
                         "description": "default LISTING (product facts and sales terms)"},
        "attributes": {"type": "object", "title": "Attributes", "order": 1,
                       "description": "The listing's attributes in Amazon's shape (attribute name -> list of "
                                      "values), as the product type's definition has them"},
    }}
    return {"type": "object", "properties": {"items": {"type": "array", "required": True, "minItems": 1,
                                                       "items": item}}}


def process(ctx, msg, cfg, snapshot=None):
    if isinstance(cfg, dict) and api_of(cfg) == "spapi":
        return submit_feed(ctx, msg, cfg, "product", fields=STEP_FIELDS)
    return submit_feed(ctx, msg, cfg, "product", fields=STEP_FIELDS, category_of=_category_of)


def _category_of(item, path):
    """(the item's category, the item without it); checked once, with the rest of the item."""
    if type(item) is not dict:
        return None, item       # the item's check says it is not an object
    if item.get("category") is None:
        raise refuse(f"{path}.category", "is required (a category label such as 'Toys & Games', "
                                         "or its ProductData element such as 'Toys')")
    category = resolve_category(item["category"], field=f"{path}.category")
    return category, {k: v for k, v in item.items() if k != "category"}
