"""The Product Type Definitions API 2020-09-01 over the sandbox's own product types, and their validation.

Definitions: the JSON files in product_types/ (written by product_types/build.py). The schema served at
a definition's `schema.link` depends on `requirements` (LISTING: every required attribute;
LISTING_OFFER_ONLY: the offer's; LISTING_PRODUCT_ONLY: the product facts') and `requirementsEnforced`
(NOT_ENFORCED: no required attributes and no conditions, for partial updates).

Rules (Product Type Definitions API 2020-09-01 model): searchDefinitionsProductTypes needs
marketplaceIds and takes keywords or itemName, not both; getDefinitionsProductType needs one
marketplaceId and takes productTypeVersion (LATEST, RELEASE_CANDIDATE, or a version the type has; a
release candidate falls back to LATEST), requirements, requirementsEnforced, locale, parentageLevel.

Validation turns jsonschema errors into Amazon's issues; codes in `issues.py`.
"""

import base64
import copy
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from .documents import DEFINITIONS as DEFINITIONS_BUCKET, S3_ROOT, s3_base
from .errors import invalid_input, not_found
from .issues import issues_from_errors
from .meta_schema import META_SCHEMA, ProductTypeValidator
from .request_values import csv, enum_value, marketplaces

HERE = Path(__file__).parent / "product_types"  # the definition files
REQUIREMENTS = ("LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY")
ENFORCEMENTS = ("ENFORCED", "NOT_ENFORCED")
PARENTAGE_LEVELS = ("NONE", "CHILD", "PARENT")
LOCALES = ("DEFAULT", "ar", "ar_AE", "de", "de_DE", "en", "en_AE", "en_AU", "en_CA", "en_GB", "en_IN", "en_SG",
           "en_US", "es", "es_ES", "es_MX", "es_US", "fr", "fr_CA", "fr_FR", "it", "it_IT", "ja", "ja_JP", "nl",
           "nl_NL", "pl", "pl_PL", "pt", "pt_BR", "pt_PT", "sv", "sv_SE", "tr", "tr_TR", "zh", "zh_CN", "zh_TW")


@lru_cache(maxsize=None)
def definitions():
    """{product type name: the definition file's content}."""
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(HERE.glob("*.json"))}


def definition(name):
    return definitions().get(name)


@lru_cache(maxsize=None)
def _schema(name, requirements, enforced):
    found = definition(name)
    schema = copy.deepcopy(found["schema"])
    offer = set(found["offerRequired"])
    if not enforced:
        schema.pop("required", None)
        schema.pop("allOf", None)
    elif requirements == "LISTING_OFFER_ONLY":
        schema["required"] = [n for n in schema["required"] if n in offer]
        schema.pop("allOf", None)
    elif requirements == "LISTING_PRODUCT_ONLY":
        schema["required"] = [n for n in schema["required"] if n not in offer]
    return schema


def schema(name, requirements="LISTING", enforced=True):
    """The product type's JSON Schema for these requirements (a copy)."""
    return copy.deepcopy(_schema(name, requirements, enforced))


@lru_cache(maxsize=None)
def _validator(name, requirements, enforced):
    return ProductTypeValidator(_schema(name, requirements, enforced),
                                format_checker=ProductTypeValidator.FORMAT_CHECKER)


def validate(name, attributes, *, requirements="LISTING", enforced=True, only=None):
    """Amazon issues (Listings Items API Issue objects) for `attributes` against the product type.

    `only`: report only problems of these attribute names (a patch is checked for what it touches).
    """
    errors = _validator(name, requirements, enforced).iter_errors(attributes)
    issues = issues_from_errors(errors, attributes)
    if only is not None:
        issues = [i for i in issues if set(i["attributeNames"]) & set(only)]
    return issues


def schema_bytes(name, requirements, enforced):
    return json.dumps(_schema(name, requirements, enforced), indent=1, ensure_ascii=False).encode("utf-8")


def meta_schema_bytes():
    return json.dumps(META_SCHEMA, indent=1).encode("utf-8")


def checksum(body):
    """The model's SchemaLink.checksum: the Base64 of the MD5 of the document."""
    return base64.b64encode(hashlib.md5(body).digest()).decode("ascii")


# -- the S3-like links the definitions point to ----------------------------------------------------

def schema_key(name, requirements, enforced):
    return f"schema/{name}/{definition(name)['version']}/{requirements}-{'ENFORCED' if enforced else 'NOT_ENFORCED'}.json"


META_SCHEMA_KEY = "meta-schema/v1.json"


def stored_object(key):
    """(body, content type) of a definitions bucket key, or None."""
    if key == META_SCHEMA_KEY:
        return meta_schema_bytes(), "application/json"
    parts = key.split("/")
    if len(parts) != 4 or parts[0] != "schema" or definition(parts[1]) is None \
            or parts[2] != definition(parts[1])["version"]:
        return None
    requirements, _, enforcement = parts[3].removesuffix(".json").rpartition("-")
    if requirements not in REQUIREMENTS or enforcement not in ENFORCEMENTS:
        return None
    return schema_bytes(parts[1], requirements, enforcement == "ENFORCED"), "application/json"


# -- the operations -------------------------------------------------------------------------------

def search_definitions_product_types(call):
    query = call.query
    markets = marketplaces(query, call.region, required=True)
    for name in ("locale", "searchLocale"):
        if name in query:
            enum_value(query, name, LOCALES)
    keywords = [k.lower() for k in csv(query, "keywords")]
    item_name = query.get("itemName")
    if keywords and item_name is not None:
        raise invalid_input("keywords and itemName cannot be given together; give one of them")
    words = keywords or [w.lower() for w in (item_name or "").split() if len(w) > 2]
    found = []
    for name, d in definitions().items():
        terms = [name.lower(), d["displayName"].lower(), *d["keywords"]]
        if not words or any(w in t or t in w for w in words for t in terms):
            found.append({"name": name, "displayName": d["displayName"],
                          "marketplaceIds": [m for m in markets if m in d["marketplaceIds"]]})
    if item_name is not None:  # a recommendation: the best match only, never the generic type when another fits
        specific = [f for f in found if f["name"] != "PRODUCT"]
        found = specific[:1] or found[:1]
    return {"productTypes": found, "productTypeVersion": _version()}


def _version():
    return next(iter(definitions().values()))["version"]


def get_definitions_product_type(call):
    query = call.query
    name = call.path_params["productType"]
    found = definition(name)
    markets = marketplaces(query, call.region, required=True)
    if len(markets) != 1:
        raise invalid_input(f"marketplaceIds has {len(markets)} values; getDefinitionsProductType takes one")
    requirements = enum_value(query, "requirements", REQUIREMENTS, default="LISTING")
    enforcement = enum_value(query, "requirementsEnforced", ENFORCEMENTS, default="ENFORCED")
    locale = enum_value(query, "locale", LOCALES, default="DEFAULT")
    enum_value(query, "parentageLevel", PARENTAGE_LEVELS, default="NONE")
    if found is None:
        raise not_found(f"Product type '{name[:60]}' was not found.", f"productType {name[:60]}")
    version = query.get("productTypeVersion", "LATEST")
    if version not in ("LATEST", "RELEASE_CANDIDATE", found["version"]):
        raise not_found(f"Version '{version[:40]}' of product type '{name}' was not found.",
                        f"productTypeVersion {version[:40]}")
    enforced = enforcement == "ENFORCED"
    base = s3_base(call.http)
    body = schema_bytes(name, requirements, enforced)
    return {
        "metaSchema": {"link": {"resource": f"{base}/{S3_ROOT}/{DEFINITIONS_BUCKET}/{META_SCHEMA_KEY}", "verb": "GET"},
                       "checksum": checksum(meta_schema_bytes())},
        "schema": {"link": {"resource": f"{base}/{S3_ROOT}/{DEFINITIONS_BUCKET}/{schema_key(name, requirements, enforced)}",
                            "verb": "GET"}, "checksum": checksum(body)},
        "requirements": requirements,
        "requirementsEnforced": enforcement,
        "propertyGroups": found["propertyGroups"],
        "locale": "en_US" if locale == "DEFAULT" else locale,
        "marketplaceIds": markets,
        "productType": name,
        "displayName": found["displayName"],
        "productTypeVersion": {"version": found["version"], "latest": True, "releaseCandidate": False},
    }
