"""Submit Product: products of the one category (MWS) or product type (SP-API) chosen in the step, by
feed or, on SP-API, per item (submitMode). What names a product on each API is the catalogue's
(products.py): its step fields, in-metadata and what the submission takes."""

from .. import products
from ..feeds import CATEGORIES
from ..inputs import StepField
from ..products import CATEGORY_NAMES, KEYWORDS_FIELD, OPERATION_FIELD, REQUIREMENTS_FIELD
from ..submit import SUBMIT_MODE_FIELD, getSubmitModes, out_schema, submit_feed  # noqa: F401

OPERATIONS = {"Upsert": "Upsert (Update: replace the product)", "PartialUpdate": "PartialUpdate (only the fields given)",
              "Delete": "Delete"}
REQUIREMENT_LABELS = {"LISTING": "LISTING: product facts and sales terms (default)",
                      "LISTING_PRODUCT_ONLY": "LISTING_PRODUCT_ONLY: product facts only",
                      "LISTING_OFFER_ONLY": "LISTING_OFFER_ONLY: sales terms only"}


def _any_product_type(cfg):
    """The form's view of productType: any name with SP-API credentials (getDefinitionsProductType says
    whether Amazon has it), none with MWS ones (products.Categories refuses it, naming it)."""
    return None if isinstance(products.catalogue(cfg), products.ProductTypes) else ()


# The fields as component.json declares them for both APIs; each catalogue demands its own.
STEP_FIELDS = (OPERATION_FIELD, StepField("category", "select", False, CATEGORY_NAMES, "choose the product category"),
               StepField("productType", "select", False, _any_product_type, "choose the product type"),
               KEYWORDS_FIELD, REQUIREMENTS_FIELD, SUBMIT_MODE_FIELD)


def getCategories(cfg):
    return {category.element: category.label for category in CATEGORIES}


def getOperations(cfg):
    return dict(OPERATIONS)


def getRequirements(cfg):
    return dict(REQUIREMENT_LABELS)


def getProductTypes(cfg):
    return products.product_types(cfg)


def getMetaModel(cfg):
    return {"in": products.catalogue(cfg).in_schema(), "out": out_schema(cfg)}


def process(ctx, msg, cfg, snapshot=None):
    catalogue = products.catalogue(cfg)
    return submit_feed(ctx, msg, cfg, "product", fields=catalogue.fields, **catalogue.submission())
