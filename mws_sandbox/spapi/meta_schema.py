"""Amazon's product type meta-schema: JSON Schema 2019-09 plus Amazon's own keywords, as a jsonschema validator.

Amazon's documentation, "Amazon Product Type Definitions Meta-Schema (v1)" and its Java example: the
meta-schema extends Draft 2019-09 with
- `maxUniqueItems` / `minUniqueItems`: how many entries of an attribute array may (must) share one
  combination of the values of the schema's `selectors` (without `selectors`, whole entries count);
- `maxUtf8ByteLength` / `minUtf8ByteLength`: string length bounds in UTF-8 bytes, not characters;
- `editable`, `hidden`, `enumNames`, `selectors`: annotations that validate nothing.
The URIs are identifiers, not addresses: the sandbox serves its own copy of the meta-schema at the
definition's `metaSchema` link.

    ProductTypeValidator(schema).iter_errors(attributes)   # jsonschema errors, Amazon's keywords included
"""

import json
from collections import Counter
from functools import lru_cache

import jsonschema
from jsonschema import Draft201909Validator, ValidationError

META_SCHEMA_ID = "https://schemas.amazon.com/selling-partners/definitions/product-types/meta-schema/v1"
VOCABULARY_ID = "https://schemas.amazon.com/selling-partners/definitions/product-types/vocabulary/v1"
SCHEMA_ID_PREFIX = "https://schemas.amazon.com/selling-partners/definitions/product-types/schema/v1/"
DRAFT_2019_09 = "https://json-schema.org/draft/2019-09/schema"

_COUNT = {"type": "integer", "minimum": 0}
META_SCHEMA = {
    "$schema": DRAFT_2019_09,
    "$id": META_SCHEMA_ID,
    "$vocabulary": {
        "https://json-schema.org/draft/2019-09/vocab/core": True,
        "https://json-schema.org/draft/2019-09/vocab/applicator": True,
        "https://json-schema.org/draft/2019-09/vocab/validation": True,
        "https://json-schema.org/draft/2019-09/vocab/meta-data": True,
        "https://json-schema.org/draft/2019-09/vocab/format": False,
        "https://json-schema.org/draft/2019-09/vocab/content": True,
        VOCABULARY_ID: True,
    },
    "$recursiveAnchor": True,
    "title": "Amazon Product Type Definition Meta-Schema (the MWS sandbox's copy)",
    "allOf": [{"$ref": DRAFT_2019_09}],
    "properties": {
        "editable": {"type": "boolean"},
        "hidden": {"type": "boolean"},
        "enumNames": {"type": "array", "items": {"type": "string"}},
        "selectors": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "maxUniqueItems": _COUNT,
        "minUniqueItems": _COUNT,
        "maxUtf8ByteLength": _COUNT,
        "minUtf8ByteLength": _COUNT,
    },
}


def _selector_key(entry, selectors):
    if not isinstance(entry, dict) or not selectors:
        return json.dumps(entry, sort_keys=True)
    return json.dumps([entry.get(name) for name in selectors], sort_keys=True)


def _combinations(instance, schema):
    return Counter(_selector_key(entry, schema.get("selectors")) for entry in instance)


def max_unique_items(validator, limit, instance, schema):
    if not validator.is_type(instance, "array"):
        return
    for key, count in _combinations(instance, schema).items():
        if count > limit:
            shown = ", ".join(schema.get("selectors") or ()) or "the whole entry"
            yield ValidationError(f"{count} values share one combination of {shown} ({key}); at most {limit} "
                                  f"may", validator="maxUniqueItems", validator_value=limit)


def min_unique_items(validator, limit, instance, schema):
    if validator.is_type(instance, "array") and instance and len(_combinations(instance, schema)) < limit:
        yield ValidationError(f"{len(_combinations(instance, schema))} distinct values; at least {limit} are "
                              "required", validator="minUniqueItems", validator_value=limit)


def max_utf8_byte_length(validator, limit, instance, schema):
    if validator.is_type(instance, "string") and len(instance.encode("utf-8")) > limit:
        yield ValidationError(f"{len(instance.encode('utf-8'))} UTF-8 bytes; at most {limit} are allowed")


def min_utf8_byte_length(validator, limit, instance, schema):
    if validator.is_type(instance, "string") and len(instance.encode("utf-8")) < limit:
        yield ValidationError(f"{len(instance.encode('utf-8'))} UTF-8 bytes; at least {limit} are required")


def _annotation(validator, value, instance, schema):
    return iter(())


AMAZON_KEYWORDS = {
    "maxUniqueItems": max_unique_items,
    "minUniqueItems": min_unique_items,
    "maxUtf8ByteLength": max_utf8_byte_length,
    "minUtf8ByteLength": min_utf8_byte_length,
    "editable": _annotation,
    "hidden": _annotation,
    "enumNames": _annotation,
    "selectors": _annotation,
}

# Draft 2019-09 with Amazon's keywords added; its own meta-schema check is `check_schema` below.
ProductTypeValidator = jsonschema.validators.extend(Draft201909Validator, AMAZON_KEYWORDS)


@lru_cache(maxsize=1)
def _meta_validator():
    return Draft201909Validator(META_SCHEMA)


def check_schema(schema):
    """Raise jsonschema.ValidationError unless `schema` is a valid product type schema under the meta-schema
    (which includes Draft 2019-09's own)."""
    _meta_validator().validate(schema)
