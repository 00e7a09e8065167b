"""XML answers to JSON, driven by the out-schema.

Keys are element local names with their leading capitals lowered (any
namespace). The schema decides the shape: a property of type array is always
a list, even with one element (with `xmlItem`, a wrapper element such as
PromotionIds/PromotionId* becomes a plain list); integers and booleans are
typed; money stays {currencyCode, amount} with the amount a string, so no
precision is lost. Elements the schema does not know are kept with a guessed
shape, so nothing Amazon adds is dropped silently.
"""

import logging
import re
from datetime import datetime
from dataclasses import dataclass, field
from urllib.parse import unquote

from dateutil.parser import isoparse

from .naming import json_name

log = logging.getLogger(__name__)

_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class Shape:
    kind: str  # object | array | string | integer | number | boolean | date-time
    props: dict = field(default_factory=dict)  # json key -> Shape
    item: "Shape | None" = None
    xml_item: str | None = None  # for arrays held in a wrapper element
    by_tag: dict = field(default_factory=dict)  # memo: namespaced tag -> (json key, Shape or None)
    aliases: dict = field(default_factory=dict)  # json_name(element) -> key, for properties with xmlName


_cache = {}


def compile_schema(schema, root=None):
    """A Shape tree for a schema (with its `#/definitions` references resolved)."""
    root = root if root is not None else schema
    key = id(schema)
    if root is schema and key in _cache and _cache[key][0] is schema:
        return _cache[key][1]
    shape = _compile(schema, root, {})
    if root is schema:
        _cache[key] = (schema, shape)
    return shape


def _resolve(node, root):
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref is supported, got {ref!r}")
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


def _compile(node, root, seen):
    node = _resolve(node, root)
    if id(node) in seen:
        return seen[id(node)]
    kind = node.get("type", "object" if "properties" in node else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "string" and node.get("format") == "date-time":
        kind = "date-time"
    shape = Shape(kind)
    seen[id(node)] = shape
    if kind == "object":
        properties = node.get("properties", {})
        shape.props = {name: _compile(sub, root, seen) for name, sub in properties.items()}
        # A property may name its element when the key is not the usual lowering (MessageID -> messageId).
        shape.aliases = {json_name(sub["xmlName"]): name for name, sub in properties.items()
                         if isinstance(sub, dict) and sub.get("xmlName")}
    elif kind == "array":
        shape.item = _compile(node.get("items", {"type": "string"}), root, seen)
        shape.xml_item = node.get("xmlItem")
    return shape


def _local(tag):
    return tag.rpartition("}")[2]


def map_element(element, schema_or_shape, problems=None):
    """The JSON value of `element` under a schema (or a compiled Shape)."""
    shape = schema_or_shape if isinstance(schema_or_shape, Shape) else compile_schema(schema_or_shape)
    return _map(element, shape, problems if problems is not None else [])


def _map(element, shape, problems):
    kind = shape.kind
    if kind == "object":
        return _map_object(element, shape, problems)
    if kind == "array":  # an array reached directly: its elements are the children
        return [_map(c, shape.item, problems) for c in element if isinstance(c.tag, str)]
    if len(element) and any(isinstance(c.tag, str) for c in element):
        problems.append(f"{_local(element.tag)}: expected a value, found child elements")
        return _guess(element)
    text = (element.text or "").strip()
    if kind == "string":
        return text
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            problems.append(f"{_local(element.tag)}: {text[:40]!r} is not an integer; kept as text")
            return text
    if kind == "number":
        return text  # decimals stay strings, as amounts do
    if kind == "boolean":
        low = text.lower()
        if low in ("true", "1"):
            return True
        if low in ("false", "0"):
            return False
        problems.append(f"{_local(element.tag)}: {text[:40]!r} is not a boolean; kept as text")
        return text
    if kind == "date-time":
        return _timestamp(element, text, problems)
    return text


def _map_object(element, shape, problems):
    result = {}
    by_tag = shape.by_tag
    for child in element:
        tag = child.tag
        entry = by_tag.get(tag)
        if entry is None:
            if not isinstance(tag, str):
                continue  # comment or processing instruction
            key = json_name(_local(tag))
            key = shape.aliases.get(key, key)
            entry = by_tag[tag] = (key, shape.props.get(key))
        key, sub = entry
        if sub is None:
            _add_guessed(result, key, _guess(child))
        elif sub.kind == "array":
            bucket = result.setdefault(key, [])
            if sub.xml_item:
                bucket.extend(_map(c, sub.item, problems) for c in child
                              if isinstance(c.tag, str) and _local(c.tag) == sub.xml_item)
            else:
                bucket.append(_map(child, sub.item, problems))
        else:
            result[key] = _map(child, sub, problems)
    return result


class _GuessedList(list):
    """A list made because an element the schema does not know occurred twice."""


def _add_guessed(target, key, value):
    prev = target.get(key, _MISSING)
    if prev is _MISSING:
        target[key] = value
    elif isinstance(prev, _GuessedList):
        prev.append(value)
    else:
        target[key] = _GuessedList([prev, value])


_MISSING = object()


def _guess(element):
    kids = [c for c in element if isinstance(c.tag, str)]
    if not kids:
        return (element.text or "").strip()
    out = {}
    for child in kids:
        _add_guessed(out, json_name(_local(child.tag)), _guess(child))
    return out


def _timestamp(element, text, problems):
    """ISO 8601 as sent; percent-escapes (seen in Amazon's own examples) are undone.

    An impossible date is kept as sent, with a problem noted, rather than
    failing the whole page: one bad value must not block every other order.
    """
    value = unquote(text) if "%" in text else text
    try:
        if not _DATE_LIKE.match(value):
            raise ValueError(value)
        try:
            datetime.fromisoformat(value)  # fast path: Python reads the common ISO 8601 forms
        except ValueError:
            isoparse(value)
    except (ValueError, OverflowError):
        problems.append(f"{_local(element.tag)}: {text[:40]!r} is not an ISO 8601 timestamp; kept as sent")
        return text
    return value
