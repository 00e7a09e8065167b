"""Submit Product (Category from payload): _POST_PRODUCT_DATA_, each item naming its category.

Each item carries "category" (a label such as "Toys & Games", a ProductData
element such as "Toys" or its key "toys", matched exactly) and is checked once,
against that category's fields. The step's `operation` is required: Update
replaces the whole product, so it is never assumed.
"""

from ..feeds import CATEGORIES, item_schema, resolve_category
from ..inputs import refuse
from ..submit import operation_field, submit_feed
from .. import schemas
from .submit_product import getOperations  # noqa: F401  (select model of the operation field)

STEP_FIELDS = (operation_field("product", required=True),)


def getMetaModel(cfg):
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
            "out": schemas.load("submitFeed.out.json")}


def process(ctx, msg, cfg, snapshot=None):
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
