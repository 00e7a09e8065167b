"""Product type definitions: Amazon's JSON Schema of a product type as a validator and as a platform in-schema.

Sources: Product Type Definitions API 2020-09-01 model (getDefinitionsProductType: the answer's
`schema.link.resource`, `productTypeVersion`, `propertyGroups`); SP-API: Amazon Product Type
Definitions Meta-Schema (v1) and its Java example. The meta-schema extends JSON Schema draft
2019-09 with:
- maxUniqueItems: at most N entries of an attribute array share one combination of the values of
  its `selectors` (without selectors, of all their properties);
- maxUtf8ByteLength / minUtf8ByteLength: string length bounds in UTF-8 bytes;
- selectors, editable, hidden, enumNames: annotations, not validated (hidden properties are left
  out of the in-schema; the mapper fills marketplace_id and language_tag, which are hidden);
- minUniqueItems appears in real schemas but Amazon's example does not validate it: neither do we.

A definition's `$schema` names Amazon's meta-schema, an identifier rather than an address: the
validator is draft 2019-09 extended here, and never fetches anything.
"""

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import jsonschema
from jsonschema import Draft201909Validator
from jsonschema.exceptions import ValidationError

from ...errors import InputError, ResponseError, shown

META_SCHEMA_V1 = "https://schemas.amazon.com/selling-partners/definitions/product-types/meta-schema/v1"
MAX_PROBLEMS_SHOWN = 5


# -- Amazon's keywords ------------------------------------------------------------------------

def _canonical(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def max_unique_items(validator, limit, instance, schema):
    if not validator.is_type(instance, "array"):
        return
    selectors = schema.get("selectors") or ()
    groups = {}
    for entry in instance:
        if selectors and isinstance(entry, dict):
            key = tuple(_canonical(entry.get(name)) for name in selectors)
        else:
            key = _canonical(entry)
        groups[key] = groups.get(key, 0) + 1
    for key, count in groups.items():
        if count > limit:
            what = (", ".join(f"{name}={value}" for name, value in zip(selectors, key)) if selectors
                    else f"the value {key}")
            yield ValidationError(f"{count} entries share {what}; at most {limit} allowed (maxUniqueItems)")


def max_utf8_byte_length(validator, limit, instance, schema):
    if validator.is_type(instance, "string"):
        size = len(instance.encode("utf-8", "surrogatepass"))
        if size > limit:
            yield ValidationError(f"{shown(instance)} is {size} bytes long in UTF-8; at most {limit} allowed")


def min_utf8_byte_length(validator, limit, instance, schema):
    if validator.is_type(instance, "string"):
        size = len(instance.encode("utf-8", "surrogatepass"))
        if size < limit:
            yield ValidationError(f"{shown(instance)} is {size} bytes long in UTF-8; at least {limit} required")


AmazonProductTypeValidator = jsonschema.validators.extend(Draft201909Validator, {
    "maxUniqueItems": max_unique_items,
    "maxUtf8ByteLength": max_utf8_byte_length,
    "minUtf8ByteLength": min_utf8_byte_length,
})


def _field(path, error):
    """items[i].attributes.<name>[j].<property> for an error of the attributes object."""
    text = f"{path}.attributes"
    for step in error.absolute_path:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        if missing:
            text += f".{missing[0]}"
    return text


# -- the definition ---------------------------------------------------------------------------

@dataclass
class Definition:
    """One product type's definition: its JSON Schema (the attributes object), compiled once."""
    schema: dict
    product_type: str | None = None
    marketplace_id: str | None = None
    version: str | None = None
    display_name: str | None = None
    property_groups: dict = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.schema, dict):
            raise ResponseError(f"the product type schema is not a JSON object: {shown(self.schema)}")
        try:
            AmazonProductTypeValidator.check_schema(self.schema)
        except jsonschema.SchemaError as error:
            raise ResponseError(f"the {self.product_type or 'product type'} schema is not a valid JSON Schema: "
                                f"{error.message}") from None
        self._validator = AmazonProductTypeValidator(self.schema,
                                                     format_checker=Draft201909Validator.FORMAT_CHECKER)

    @property
    def required(self):
        return tuple(self.schema.get("required", ()))

    def attribute(self, name):
        found = self.schema.get("properties", {}).get(name)
        return _resolve(self.schema, found) if found is not None else None

    def entry_properties(self, name):
        """The property names of one entry of attribute `name` (None when the schema does not say)."""
        attribute = self.attribute(name)
        if attribute is None:
            return None
        entry = _resolve(self.schema, attribute.get("items", {}))
        properties = entry.get("properties")
        return set(properties) if isinstance(properties, dict) else None

    def problems(self, attributes, path, *, partial=False):
        """[(field, message)] for `attributes`, sorted by field. `partial`: a partial update or patch, where
        the attributes not given stay as they are, so nothing is required at the top level (as
        requirementsEnforced NOT_ENFORCED)."""
        found = []
        for error in self._validator.iter_errors(attributes):
            if partial and not error.absolute_path and error.validator in ("required", "dependentRequired",
                                                                            "minProperties"):
                continue
            found.append((_field(path, error), error.message))
        return sorted(set(found))

    def check(self, attributes, path, *, partial=False):
        """Raise InputError naming the first problem's field (items[i].attributes.<name>...)."""
        problems = self.problems(attributes, path, partial=partial)
        if problems:
            text = "; ".join(f"{where}: {message}" for where, message in problems[:MAX_PROBLEMS_SHOWN])
            if len(problems) > MAX_PROBLEMS_SHOWN:
                text += f"; and {len(problems) - MAX_PROBLEMS_SHOWN} more"
            name = self.product_type or "the product type"
            raise InputError(f"{text} (checked against {name}'s definition)", field=problems[0][0])

    def in_schema(self, *, operations=("Update", "PartialUpdate", "Delete")):
        """The platform in-schema of a Submit Product step for this product type: items with sku,
        operationType, requirements and the attributes as input fields (titles and descriptions kept)."""
        return definition_in_schema(self, operations=operations)


def _resolve(root, schema, seen=()):
    """A subschema with a local $ref ("#/$defs/...") replaced by its target, merged with its siblings."""
    if not isinstance(schema, dict) or "$ref" not in schema:
        return schema
    ref = schema["$ref"]
    if not ref.startswith("#/") or ref in seen:
        return {k: v for k, v in schema.items() if k != "$ref"}
    target = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        target = target.get(part, {}) if isinstance(target, dict) else {}
    merged = {**_resolve(root, target, seen + (ref,)), **{k: v for k, v in schema.items() if k != "$ref"}}
    return merged


def definition_from_answer(answer, schema, *, marketplace_id=None):
    """A Definition from getDefinitionsProductType's answer (ProductTypeDefinition) and the JSON Schema
    downloaded from its schema.link.resource."""
    if not isinstance(answer, dict):
        raise ResponseError("getDefinitionsProductType answered something that is not an object")
    version = (answer.get("productTypeVersion") or {}).get("version")
    markets = answer.get("marketplaceIds") or [marketplace_id]
    return Definition(schema, product_type=answer.get("productType"), marketplace_id=marketplace_id or markets[0],
                      version=version, display_name=answer.get("displayName"),
                      property_groups=answer.get("propertyGroups") or {})


def schema_link(answer):
    """The URL of the definition's JSON Schema (schema.link.resource)."""
    try:
        link = answer["schema"]["link"]
        if link.get("verb", "GET") != "GET":
            raise ResponseError(f"the product type schema's link wants {shown(link.get('verb'))}, not GET")
        return link["resource"]
    except (KeyError, TypeError):
        raise ResponseError("getDefinitionsProductType's answer has no schema.link.resource") from None


def download_schema(session, url, *, timeout=(10, 60), max_bytes=16 * 1024 * 1024):
    """The JSON Schema at a definition's schema link (a plain GET: the link is the credential)."""
    import requests

    try:
        with session.get(url, timeout=timeout, stream=True) as response:
            if response.status_code != 200:
                raise ResponseError(f"the product type schema could not be downloaded: HTTP {response.status_code}")
            data = response.raw.read(max_bytes + 1, decode_content=True)
    except requests.RequestException as exc:
        from ...errors import TransportError
        raise TransportError(f"the product type schema could not be downloaded: {type(exc).__name__}") from None
    if len(data) > max_bytes:
        raise ResponseError(f"the product type schema is larger than {max_bytes} bytes; refused")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ResponseError("the product type schema is not JSON") from None


def search_keywords(text):
    """searchDefinitionsProductTypes' keywords from what the user typed ("hair band, shirt" or a list);
    None when nothing was typed (the whole list)."""
    if text is None:
        return None
    words = text if isinstance(text, (list, tuple)) else str(text).replace(",", " ").split()
    words = [w.strip() for w in words if isinstance(w, str) and w.strip()]
    return words or None


# -- the in-schema ----------------------------------------------------------------------------

_SCALAR_KEYWORDS = ("enum", "minLength", "maxLength", "minimum", "maximum", "format", "pattern", "default")


def _input_field(root, schema, required=False, depth=0):
    schema = _resolve(root, schema)
    if not isinstance(schema, dict):
        return {"type": "string"}
    kind = schema.get("type")
    if kind is None:
        for keyword in ("anyOf", "oneOf"):      # the first typed alternative
            typed = [_resolve(root, s) for s in schema.get(keyword, ()) if isinstance(s, dict)]
            typed = [s for s in typed if s.get("type")]
            if typed:
                return _input_field(root, {**typed[0], **{k: v for k, v in schema.items() if k != keyword}},
                                    required, depth)
        kind = "object" if "properties" in schema else "string"
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    out = {"type": kind}
    for keyword in ("title", "description"):
        if isinstance(schema.get(keyword), str):
            out[keyword] = schema[keyword]
    if required:
        out["required"] = True
    if kind == "object" and depth < 8:
        needed = set(schema.get("required", ()))
        properties = {name: _input_field(root, sub, name in needed, depth + 1)
                      for name, sub in (schema.get("properties") or {}).items()
                      if not (isinstance(sub, dict) and _resolve(root, sub).get("hidden") is True)}
        out["properties"] = _ordered(properties)
    elif kind == "array" and depth < 8:
        out["items"] = _input_field(root, schema.get("items", {}), False, depth + 1)
        for keyword in ("minItems", "maxItems"):
            if keyword in schema:
                out[keyword] = schema[keyword]
    else:
        for keyword in _SCALAR_KEYWORDS:
            if keyword in schema:
                out[keyword] = schema[keyword]
        bytes_note = [f"{words} {schema[keyword]} bytes in UTF-8" for keyword, words in
                      (("minUtf8ByteLength", "at least"), ("maxUtf8ByteLength", "at most")) if keyword in schema]
        if bytes_note:      # the platform's dialect counts characters only: said in words
            out["description"] = "; ".join(filter(None, [out.get("description"), ", ".join(bytes_note)]))
    return out


def _ordered(properties):
    """"order" so the UI keeps the definition's order (higher numbers first), as the MWS in-schemas do."""
    count = len(properties)
    return {key: {**prop, "order": count - i} for i, (key, prop) in enumerate(properties.items())}


def definition_in_schema(definition, *, operations=("Update", "PartialUpdate", "Delete")):
    root = definition.schema
    required = set(definition.required)
    attributes = {}
    for name, sub in (root.get("properties") or {}).items():
        if isinstance(sub, dict) and _resolve(root, sub).get("hidden") is True:
            continue
        prop = _input_field(root, sub, name in required)
        prop.setdefault("title", name)
        attributes[name] = prop
    name = definition.display_name or definition.product_type or "Product"
    item = {"type": "object", "title": f"{name} listing", "properties": _ordered({
        "operationType": {"type": "string", "title": "Operation", "enum": list(operations),
                          "description": f"OperationType of this item's message; default {operations[0]}"},
        "sku": {"type": "string", "title": "SKU", "required": True, "minLength": 1},
        "requirements": {"type": "string", "title": "Requirements",
                         "enum": ["LISTING", "LISTING_PRODUCT_ONLY", "LISTING_OFFER_ONLY"],
                         "description": "default LISTING (product facts and sales terms)"},
        "attributes": {"type": "object", "title": "Attributes", "required": True,
                       "properties": _ordered(attributes)},
    })}
    return {"type": "object", "title": f"{name} listings",
            "properties": {"items": {"type": "array", "title": "Items", "required": True, "minItems": 1,
                                     "items": item}}}


# -- the cache --------------------------------------------------------------------------------

class DefinitionCache:
    """Compiled definitions per (marketplace, product type, version): a definition's schema is downloaded
    and compiled once per version, however many messages use it. Thread-safe; least recently used out."""

    def __init__(self, size=64):
        self.size = size
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, marketplace_id, product_type, version, load):
        """The Definition for the key; `load()` builds it when it is not cached (called outside the lock)."""
        key = (marketplace_id, product_type, version)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        definition = load()
        with self._lock:
            self._entries[key] = definition
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return definition

    def from_answer(self, answer, download, *, marketplace_id):
        """The Definition for getDefinitionsProductType's `answer`; `download(url)` fetches the JSON Schema
        (parsed) only when this (marketplace, product type, version) is not cached yet."""
        version = (answer.get("productTypeVersion") or {}).get("version") if isinstance(answer, dict) else None
        product_type = answer.get("productType") if isinstance(answer, dict) else None
        return self.get(marketplace_id, product_type, version,
                        lambda: definition_from_answer(answer, download(schema_link(answer)),
                                                       marketplace_id=marketplace_id))

    def __len__(self):
        return len(self._entries)


DEFINITIONS = DefinitionCache()
