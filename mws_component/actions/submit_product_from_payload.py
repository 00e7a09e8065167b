"""Submit Product (Category from payload): _POST_PRODUCT_DATA_, each item naming its category.

Each item carries "category" (a label such as "Toys & Games" or a ProductData
element such as "Toys") and is checked against that category's fields.
"""

from ..errors import InputError
from ..feeds import CATEGORIES, item_schema, resolve_category, validate_item
from ..submit import submit_feed
from .. import schemas
from .submit_product import getOperations  # noqa: F401  (select model of the operation field)


def getMetaModel(cfg):
    item = item_schema("product", "Tools")  # the Product fields; productData depends on the category
    item["title"] = "Product (category from the payload)"
    item["properties"] = {
        "category": {"type": "string", "title": "Category", "required": True,
                     "enum": sorted({c.label for c in CATEGORIES} | {c.element for c in CATEGORIES}),
                     "description": "A category label or its ProductData element name"},
        **{k: v for k, v in item["properties"].items() if k != "productData"},
        "productData": {"type": "object", "title": "Product Data",
                        "description": "One key: the category's element in lower camel case (e.g. toys), "
                                       "with that category's fields"},
    }
    return {"in": {"type": "object", "properties": {"items": {"type": "array", "required": True, "items": item}}},
            "out": schemas.load("submitFeed.out.json")}


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "product", item_check=_check_category)


def _check_category(item, index):
    if not isinstance(item, dict) or not item.get("category"):
        raise InputError(f"items[{index}].category: is required (a category label or ProductData element)",
                         field=f"items[{index}].category")
    try:
        category = resolve_category(item["category"])
    except InputError as exc:
        raise InputError(f"items[{index}].category: {exc}", field=f"items[{index}].category") from None
    product = {k: v for k, v in item.items() if k != "category"}
    validate_item("product", product, index, category=category.element)
    return product
