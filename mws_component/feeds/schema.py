"""Feed descriptions as JSON in-schemas in the platform's dialect (elastic.io documentation,
component.json metadata):
draft-3 style with "required": true on properties, "title", "enum", and "order"
(higher first, so properties show in XML order). Everything is inlined: the root
is an object, never a bare array.

The schema is for the mapping UI; the items themselves are checked by the
compiled description (validate.py), which also accepts numbers as text and
text as numbers where the value is the same.
"""

import re

from .catalog import describe, resolve_category
from ..errors import InputError
from .model import Choice, Element, Group, Scalar, TextWithAttributes, default_model
from .validate import OPERATION_KEY

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def title_of(element_name):
    """Words of an element name: FulfillmentCenterID -> "Fulfillment Center ID"."""
    return " ".join(_WORDS.findall(element_name)) or element_name


def in_schema(kind, category=None, *, model=None):
    """The in-schema of a feed action: {"items": [item, ...]} (the platform needs an object root)."""
    feed = describe(kind)
    item = item_schema(feed, category, model=model)
    return {
        "type": "object",
        "title": item["title"] + " feed",
        "properties": {
            "items": {"type": "array", "title": "Items", "required": True, "minItems": 1, "items": item},
        },
    }


def item_schema(kind, category=None, *, model=None):
    """The schema of one item: the payload's fields, plus "operationType" where the kind has
    a choice of operations. For a product, `category` keeps only that category's fields."""
    feed = describe(kind)
    only = chosen = None
    if category is not None:
        if not feed.category_holder:
            raise InputError(f"category: a {feed.key} feed has no product category", field="category")
        chosen = resolve_category(category)
        only = (feed.category_holder, chosen.key)
    payload = (model or default_model()).element(feed.element)
    schema = _Builder(only).type_schema(payload.type)
    schema["title"] = feed.title + (f" ({chosen.label})" if chosen else "")
    if len(feed.operation_types) > 1:
        operation_type = {"type": "string", "title": "Operation", "enum": list(feed.operation_types),
                          "description": f"OperationType of this item's message; default {feed.default_operation_type}"}
        properties = {OPERATION_KEY: operation_type, **schema["properties"]}
        schema["properties"] = _ordered(properties)
    return schema


class _Builder:
    def __init__(self, only=None):
        self.only = only        # (element holding the category choice, the one category key kept)

    def type_schema(self, type_, holder=None):
        if isinstance(type_, Scalar):
            return scalar_schema(type_.facets)
        properties = {}
        for attribute in type_.attributes:
            prop = scalar_schema(attribute.type.facets)
            prop["title"] = title_of(attribute.name[:1].upper() + attribute.name[1:])
            if attribute.required:
                prop["required"] = True
            properties[attribute.key] = prop
        if isinstance(type_, TextWithAttributes):
            value = scalar_schema(type_.value.facets)
            value.update(title="Value", required=True)
            properties = {"value": value, **properties}
        else:
            keep = self.only[1] if self.only and holder == self.only[0] else None
            self._particles(type_.particles, properties, required=True, note=None, keep=keep)
        return {"type": "object", "properties": _ordered(properties)}

    def _particles(self, particles, properties, required, note, keep):
        for particle in particles:
            if isinstance(particle, Element):
                if keep is not None and particle.key != keep:
                    continue
                properties[particle.key] = self._element(particle, required or keep is not None, note)
            elif isinstance(particle, Group):
                self._particles(particle.particles, properties, required=False, note=note, keep=keep)
            elif isinstance(particle, Choice):
                keys = particle.all_keys
                choice_note = ("Give exactly one of: " if particle.min else "Give at most one of: ") \
                    + ", ".join(keys) if len(keys) > 1 else None
                self._particles(particle.members, properties, required=False, note=choice_note, keep=keep)

    def _element(self, element, required, note):
        schema = self.type_schema(element.type, holder=element.name)
        if element.repeated:
            schema = {"type": "array", "items": schema}
            if element.max != "unbounded":
                schema["maxItems"] = element.max
            if element.min > 1:
                schema["minItems"] = element.min
        schema["title"] = title_of(element.name)
        if required and element.min:
            schema["required"] = True
        if note:
            schema["description"] = note
        return schema


def _ordered(properties):
    """Add "order" so the UI keeps XML order (higher numbers are shown first)."""
    count = len(properties)
    return {key: {**prop, "order": count - i} for i, (key, prop) in enumerate(properties.items())}


_INTEGER_MINIMUM = {"nonNegativeInteger": 0, "positiveInteger": 1}
_FORMATS = {"date": "date", "dateTime": "date-time", "time": "time", "anyURI": "uri"}


def scalar_schema(facets):
    base = facets["base"]
    if base == "boolean":
        return {"type": "boolean"}
    if base == "decimal" or base.endswith("nteger"):
        schema = {"type": "number" if base == "decimal" else "integer"}
        if base in _INTEGER_MINIMUM:
            schema["minimum"] = _INTEGER_MINIMUM[base]
        for facet, keyword, exclusive in (("minInclusive", "minimum", False), ("maxInclusive", "maximum", False),
                                          ("minExclusive", "minimum", True), ("maxExclusive", "maximum", True)):
            if facet in facets:
                schema[keyword] = _number(facets[facet])
                if exclusive:
                    schema["exclusive" + keyword.capitalize()] = True
        if "fractionDigits" in facets:
            schema["description"] = f"At most {facets['fractionDigits']} decimal places"
        if "enum" in facets:
            schema["enum"] = [int(v) for v in facets["enum"]]
        return schema
    schema = {"type": "string"}
    if base in _FORMATS:
        schema["format"] = _FORMATS[base]
    if "enum" in facets:
        schema["enum"] = list(facets["enum"])
        return schema
    for facet in ("minLength", "maxLength"):
        if facet in facets:
            schema[facet] = facets[facet]
    if "length" in facets:
        schema["minLength"] = schema["maxLength"] = facets["length"]
    return schema


def _number(text):
    return int(text) if re.fullmatch(r"[+-]?[0-9]+", text) else float(text)
