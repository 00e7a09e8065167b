"""Submit Product: _POST_PRODUCT_DATA_ for one product category chosen in the step.

The in-metadata is dynamic: the Product fields plus the chosen category's
ProductData fields, generated from Amazon's category XSDs (tools/).
Both step fields are required: `operation` (Update replaces the whole product, so it is
never assumed) and `category` (a label, ProductData element or its key, matched exactly).
"""

from ..feeds import CATEGORIES, in_schema, resolve_category
from ..inputs import StepField, step_fields
from ..submit import operation_field, submit_feed
from .. import schemas

OPERATIONS = {"Upsert": "Upsert (Update: replace the product)", "PartialUpdate": "PartialUpdate (only the fields given)",
              "Delete": "Delete"}
CATEGORY_NAMES = tuple(name for c in CATEGORIES for name in (c.element, c.label, c.key))
CATEGORY_FIELD = StepField("category", "select", True, CATEGORY_NAMES, "choose the product category")
STEP_FIELDS = (operation_field("product", required=True), CATEGORY_FIELD)


def getCategories(cfg):
    return {category.element: category.label for category in CATEGORIES}


def getOperations(cfg):
    return dict(OPERATIONS)


def getMetaModel(cfg):
    return {"in": in_schema("product", _category(cfg)), "out": schemas.load("submitFeed.out.json")}


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "product", fields=STEP_FIELDS, category=_category(cfg))


def _category(cfg):
    return resolve_category(step_fields(cfg, (CATEGORY_FIELD,))["category"])
