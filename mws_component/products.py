"""What names a product on each API, for the two Submit Product actions: MWS's product categories or
SP-API's product types. The actions ask `catalogue(cfg)` (or `payload_catalogue(cfg)`) for their step
fields, their in-metadata and what the submission takes, and never which API answers.

MWS: the step's `category` (required there: a label, ProductData element or its key, matched exactly);
the in-metadata is the Product fields plus the category's ProductData fields, generated from Amazon's
category XSDs. The payload variant takes `category` from each item.

SP-API: Amazon's XSD categories have no 1:1 product type, so the step chooses a `productType` (its
select model is searchDefinitionsProductTypes, with the keywords typed in `productTypeKeywords`, else
every type of the marketplace) and `requirements` (LISTING by default); the in-metadata is generated
from the product type's definition (getDefinitionsProductType, its JSON Schema downloaded and cached per
marketplace, product type, version and requirements). The payload variant takes `productType` from each
item. Every item's attributes are checked against its definition before anything is sent (submit.py).

Both APIs: `operation` is required (Update replaces the whole product, so it is never assumed).
"""

from .errors import ConfigurationError
from .feeds import CATEGORIES, in_schema, item_schema, resolve_category
from .inputs import StepField, refuse, step_fields
from .spapi.credentials import api_of
from .spapi.listings.mapping import REQUIREMENTS
from .submit import SUBMIT_MODE_FIELD, operation_field

OPERATION_FIELD = operation_field("product", required=True)
CATEGORY_NAMES = tuple(name for c in CATEGORIES for name in (c.element, c.label, c.key))
# component.json cannot make a field required for one API only: each catalogue demands its own
CATEGORY_FIELD = StepField("category", "select", True, CATEGORY_NAMES, "choose the product category")
PRODUCT_TYPE_FIELD = StepField("productType", "select", True, None, "choose the product type")  # any name
KEYWORDS_FIELD = StepField("productTypeKeywords", "text")
REQUIREMENTS_FIELD = StepField("requirements", "select", False, REQUIREMENTS)
SP_ONLY_FIELDS = (PRODUCT_TYPE_FIELD, KEYWORDS_FIELD, REQUIREMENTS_FIELD)


def _is_spapi(cfg):
    return isinstance(cfg, dict) and bool(cfg) and api_of(cfg) == "spapi"


def _account(cfg):
    from .account import open_account
    from .credentials import credentials_from_cfg
    return open_account(credentials_from_cfg(cfg))


class Categories:
    """MWS: one product category for the step."""

    fields = (OPERATION_FIELD, CATEGORY_FIELD, SUBMIT_MODE_FIELD)

    def __init__(self, cfg):
        self.cfg = cfg

    def in_schema(self):
        return in_schema("product", self._category())

    def submission(self):
        """What submit.submit_feed takes besides the step fields; the SP-API fields are refused, named."""
        for field in SP_ONLY_FIELDS:
            value = self.cfg.get(field.name)
            if not (value is None or value == [] or (isinstance(value, str) and not value.strip())):
                raise ConfigurationError(f"{field.name}: needs SP-API credentials (Amazon's product types); on "
                                         "MWS choose the product category", field=field.name)
        return {"category": self._category()}

    def _category(self):
        return resolve_category(step_fields(self.cfg, (CATEGORY_FIELD,))["category"])


class ProductTypes:
    """SP-API: one Amazon product type for the step."""

    fields = (OPERATION_FIELD, PRODUCT_TYPE_FIELD, KEYWORDS_FIELD, REQUIREMENTS_FIELD, SUBMIT_MODE_FIELD)

    def __init__(self, cfg):
        self.cfg = cfg

    def in_schema(self):
        step = step_fields(self.cfg, (PRODUCT_TYPE_FIELD, REQUIREMENTS_FIELD))
        definition = _account(self.cfg).product_type_definition(step["productType"],
                                                                 step["requirements"] or "LISTING")
        return definition.in_schema()

    def submission(self):
        step = step_fields(self.cfg, self.fields)
        return {"product_type": step["productType"], "requirements": step["requirements"]}


def catalogue(cfg):
    """Submit Product's catalogue for these credentials."""
    return ProductTypes(cfg) if _is_spapi(cfg) else Categories(cfg)


def product_types(cfg):
    """{name: display name} of the product types Amazon offers for the credentials' marketplace
    (searchDefinitionsProductTypes), narrowed by the step's productTypeKeywords when some are typed (a
    select model receives only cfg); {} on MWS credentials or without credentials."""
    if not _is_spapi(cfg):
        return {}
    keywords = step_fields(cfg, (KEYWORDS_FIELD,))["productTypeKeywords"]
    return {t["name"]: t.get("displayName") or t["name"] for t in _account(cfg).product_types(keywords)}


# -- the payload variant: each item names its category or product type -----------------------------

PAYLOAD_FIELDS = (OPERATION_FIELD, SUBMIT_MODE_FIELD)


class PayloadCategories:
    """MWS: each item's `category`."""

    fields = PAYLOAD_FIELDS

    def __init__(self, cfg):
        self.cfg = cfg

    def in_schema(self):
        item = item_schema("product", "Tools")  # the Product fields; productData depends on the category
        item["title"] = "Product (category from the payload)"
        item["properties"] = {
            "category": {"type": "string", "title": "Category", "required": True,
                         "enum": sorted({name for c in CATEGORIES for name in (c.label, c.element, c.key)}),
                         "description": "A category label, its ProductData element or that element's key "
                                        "(Toys & Games, Toys or toys), matched exactly"},
            **{k: v for k, v in item["properties"].items() if k != "productData"},
            "productData": {"type": "object", "title": "Product Data",
                            "description": "One key: the category's element in lower camel case (e.g. toys), "
                                           "with that category's fields"},
        }
        return {"type": "object", "properties": {"items": {"type": "array", "required": True, "items": item}}}

    def submission(self):
        return {"category_of": _category_of}


class PayloadProductTypes:
    """SP-API: each item's `productType`."""

    fields = PAYLOAD_FIELDS

    def __init__(self, cfg):
        self.cfg = cfg

    def in_schema(self):
        item = {"type": "object", "title": "Listing (product type from the payload)", "properties": {
            "productType": {"type": "string", "title": "Product Type", "required": True, "order": 5,
                            "description": "Amazon's product type of this listing (e.g. SHIRT); its definition "
                                           "checks the attributes"},
            "sku": {"type": "string", "title": "SKU", "required": True, "minLength": 1, "order": 4},
            "operationType": {"type": "string", "title": "Operation", "enum": ["Update", "PartialUpdate", "Delete"],
                              "order": 3, "description": "OperationType of this item's message; default the step's"},
            "requirements": {"type": "string", "title": "Requirements", "order": 2, "enum": list(REQUIREMENTS),
                             "description": "default LISTING (product facts and sales terms)"},
            "attributes": {"type": "object", "title": "Attributes", "order": 1,
                           "description": "The listing's attributes in Amazon's shape (attribute name -> list of "
                                          "values), as the product type's definition has them"},
        }}
        return {"type": "object", "properties": {"items": {"type": "array", "required": True, "minItems": 1,
                                                           "items": item}}}

    def submission(self):
        return {}


def payload_catalogue(cfg):
    """Submit Product (Category from payload)'s catalogue for these credentials."""
    return PayloadProductTypes(cfg) if _is_spapi(cfg) else PayloadCategories(cfg)


def _category_of(item, path):
    """(the item's category, the item without it); checked once, with the rest of the item."""
    if type(item) is not dict:
        return None, item       # the item's check says it is not an object
    if item.get("category") is None:
        raise refuse(f"{path}.category", "is required (a category label such as 'Toys & Games', "
                                         "or its ProductData element such as 'Toys')")
    category = resolve_category(item["category"], field=f"{path}.category")
    return category, {k: v for k, v in item.items() if k != "category"}
