"""Submit Product: on MWS _POST_PRODUCT_DATA_ for one product category chosen in the step; on SP-API the
listings of one Amazon product type, by JSON_LISTINGS_FEED or per item (submitMode).

MWS: the in-metadata is the Product fields plus the chosen category's ProductData fields, generated
from Amazon's category XSDs (tools/); `category` is required there (a label, ProductData element or
its key, matched exactly).

SP-API: Amazon's XSD categories have no 1:1 product type, so the step chooses a `productType` (its
select model is searchDefinitionsProductTypes, with the keywords typed in `productTypeKeywords`,
else every type of the marketplace) and `requirements` (LISTING by default); the in-metadata is
generated from the product type's definition (getDefinitionsProductType, its JSON Schema
downloaded and cached per marketplace, product type and version), and each item's attributes are
checked against that definition, with Amazon's own keywords, before anything is sent.

Both APIs: `operation` is required (Update replaces the whole product, so it is never assumed).
"""

from ..errors import ConfigurationError
from ..feeds import CATEGORIES, in_schema, resolve_category
from ..inputs import StepField, step_fields
from ..spapi.credentials import api_of
from ..spapi.listings.mapping import REQUIREMENTS
from ..submit import SUBMIT_MODE_FIELD, getSubmitModes, operation_field, out_schema, submit_feed  # noqa: F401

OPERATIONS = {"Upsert": "Upsert (Update: replace the product)", "PartialUpdate": "PartialUpdate (only the fields given)",
              "Delete": "Delete"}
REQUIREMENT_LABELS = {"LISTING": "LISTING: product facts and sales terms (default)",
                      "LISTING_PRODUCT_ONLY": "LISTING_PRODUCT_ONLY: product facts only",
                      "LISTING_OFFER_ONLY": "LISTING_OFFER_ONLY: sales terms only"}
CATEGORY_NAMES = tuple(name for c in CATEGORIES for name in (c.element, c.label, c.key))
OPERATION_FIELD = operation_field("product", required=True)
# required on MWS (checked there); component.json cannot make it required for one API only
CATEGORY_FIELD = StepField("category", "select", False, CATEGORY_NAMES, "choose the product category")
_MWS_CATEGORY = StepField("category", "select", True, CATEGORY_NAMES, "choose the product category")


def _product_type_choices(cfg):
    """Any product type name on SP-API (getDefinitionsProductType says whether Amazon has it); none on MWS."""
    return None if isinstance(cfg, dict) and cfg and api_of(cfg) == "spapi" else ()


PRODUCT_TYPE_FIELD = StepField("productType", "select", False, _product_type_choices, "choose the product type")
_SP_PRODUCT_TYPE = StepField("productType", "select", True, None, "choose the product type")
KEYWORDS_FIELD = StepField("productTypeKeywords", "text")
REQUIREMENTS_FIELD = StepField("requirements", "select", False, REQUIREMENTS)
STEP_FIELDS = (OPERATION_FIELD, CATEGORY_FIELD, PRODUCT_TYPE_FIELD, KEYWORDS_FIELD, REQUIREMENTS_FIELD,
               SUBMIT_MODE_FIELD)
MWS_FIELDS = (OPERATION_FIELD, _MWS_CATEGORY, SUBMIT_MODE_FIELD)
SP_FIELDS = (OPERATION_FIELD, _SP_PRODUCT_TYPE, KEYWORDS_FIELD, REQUIREMENTS_FIELD, SUBMIT_MODE_FIELD)


def getCategories(cfg):
    return {category.element: category.label for category in CATEGORIES}


def getOperations(cfg):
    return dict(OPERATIONS)


def getRequirements(cfg):
    return dict(REQUIREMENT_LABELS)


def getProductTypes(cfg):
    """The product types Amazon offers for the credentials' marketplace (searchDefinitionsProductTypes):
    those found for the step's productTypeKeywords when some are typed (a select model receives only
    cfg), else every one. {} on MWS credentials or without credentials (MWS has categories instead)."""
    if not isinstance(cfg, dict) or not cfg or api_of(cfg) != "spapi":
        return {}
    account = _account(cfg)
    keywords = step_fields(cfg, (KEYWORDS_FIELD,))["productTypeKeywords"]
    return {t["name"]: t.get("displayName") or t["name"] for t in account.product_types(keywords)}


def getMetaModel(cfg):
    if _sp(cfg):
        step = step_fields(cfg, (_SP_PRODUCT_TYPE, REQUIREMENTS_FIELD))
        definition = _account(cfg).product_type_definition(step["productType"], step["requirements"] or "LISTING")
        return {"in": definition.in_schema(), "out": out_schema(cfg)}
    return {"in": in_schema("product", _category(cfg)), "out": out_schema(cfg)}


def process(ctx, msg, cfg, snapshot=None):
    if _sp(cfg):
        step = step_fields(cfg, SP_FIELDS)
        return submit_feed(ctx, msg, cfg, "product", fields=SP_FIELDS, product_type=step["productType"],
                           requirements=step["requirements"])
    _refuse_sp_only(cfg)
    return submit_feed(ctx, msg, cfg, "product", fields=MWS_FIELDS, category=_category(cfg))


def _sp(cfg):
    return isinstance(cfg, dict) and api_of(cfg) == "spapi"


def _refuse_sp_only(cfg):
    for name in ("productType", "requirements", "productTypeKeywords"):
        value = cfg.get(name)
        if not (value is None or value == [] or (isinstance(value, str) and not value.strip())):
            raise ConfigurationError(f"{name}: needs SP-API credentials (Amazon's product types); on MWS choose "
                                     "the product category", field=name)


def _account(cfg):
    from ..account import open_account
    from ..credentials import credentials_from_cfg
    return open_account(credentials_from_cfg(cfg))


def _category(cfg):
    return resolve_category(step_fields(cfg, (_MWS_CATEGORY,))["category"])
