"""Submit Product: _POST_PRODUCT_DATA_ for one product category chosen in the step.

The in-metadata is dynamic: the Product fields plus the chosen category's
ProductData fields, generated from Amazon's category XSDs (tools/).
"""

from ..errors import ConfigurationError, InputError
from ..feeds import CATEGORIES, in_schema, resolve_category
from ..submit import submit_feed
from .. import schemas

OPERATIONS = {"Upsert": "Upsert (Update: replace the product)", "PartialUpdate": "PartialUpdate (only the fields given)",
              "Delete": "Delete"}


def getCategories(cfg):
    return {category.element: category.label for category in CATEGORIES}


def getOperations(cfg):
    return dict(OPERATIONS)


def getMetaModel(cfg):
    return {"in": in_schema("product", _category(cfg)), "out": schemas.load("submitFeed.out.json")}


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "product", category=_category(cfg))


def _category(cfg):
    if not cfg.get("category"):
        raise ConfigurationError("category is required: choose the product category", field="category")
    try:
        return resolve_category(cfg["category"]).element
    except InputError as exc:
        raise ConfigurationError(str(exc), field="category") from None
