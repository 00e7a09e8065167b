"""Test tools for feeds: the XSD oracle, example items made from the descriptions,
and a reader that turns written XML back into the JSON shape."""

import functools
import os
from decimal import Decimal
from pathlib import Path

from lxml import etree

from mws_component.feeds import build_feed_file, describe, resolve_category
from mws_component.feeds.model import Choice, Complex, Element, Group, Scalar, TextWithAttributes, default_model

REPO = Path(__file__).resolve().parents[4]
SELLER = "M_EXAMPLE_123456"


def xsd_dir():
    """Amazon's XSDs (never copied into the project): MWS_XSD_DIR, MWS_SHARED_DIR/mws-xsd or ../shared/mws-xsd."""
    shared = Path(os.environ.get("MWS_SHARED_DIR") or REPO.parent / "shared")
    folder = Path(os.environ.get("MWS_XSD_DIR") or shared / "mws-xsd")
    return folder if (folder / "amzn-envelope.xsd").is_file() else None


@functools.lru_cache(maxsize=1)
def envelope_schema():
    return etree.XMLSchema(etree.parse(str(xsd_dir() / "amzn-envelope.xsd")))


def assert_valid_feed(data):
    """The bytes parse and validate against amzn-envelope.xsd; returns the root element."""
    root = etree.fromstring(data)
    schema = envelope_schema()
    assert schema.validate(root), f"{schema.error_log}\n{data[:3000]!r}"
    return root


def build_bytes(kind, items, **options):
    feed = build_feed_file(kind, items, SELLER, **options)
    with feed.file:
        data = feed.file.read()
    assert len(data) == feed.size
    return data, feed


# -- examples made from the descriptions -------------------------------------------------

# One valid text per pattern facet in the descriptions; a new pattern fails the tests until added.
PATTERN_EXAMPLES = {
    r"\w{3}-\w{7}-\w{7}": "123-1234567-1234567",
    r"\d{14}": "12345678901234",
    r"\d{1,20}": "7",
    r"[a-zA-Z]{2}\d{7}": "ab1234567",
    r"[0-9]{4}|NV|nv": "2024",
    r"[a-zA-Z][a-zA-Z]|unknown": "US",
}
# Free text in "full" examples exercises escaping everywhere.
MARKUP = "A&B <c> \"d\" 'e' ]]> é"


def scalar_example(facets, full=False):
    base = facets["base"]
    if "enum" in facets:
        return facets["enum"][-1 if full else 0]
    if base == "boolean":
        return True
    fixed = {"date": "2024-01-31", "dateTime": "2024-01-31T12:00:00Z", "time": "12:00:00",
             "gYearMonth": "2024-01", "anyURI": "https://example.com/images/a%20b.jpg?x=1&y=2"}
    if base in fixed:
        return fixed[base]
    if "patterns" in facets:
        (pattern,) = facets["patterns"]
        return PATTERN_EXAMPLES[pattern]
    if base == "decimal" or base.endswith("nteger"):
        value = Decimal({"positiveInteger": 1}.get(base, 1))
        if "minInclusive" in facets:
            value = max(value, Decimal(facets["minInclusive"]))
        if "minExclusive" in facets:
            value = max(value, Decimal(facets["minExclusive"]) + 1)
        if "maxInclusive" in facets:
            value = min(value, Decimal(facets["maxInclusive"]))
        if base == "decimal" and full and facets.get("fractionDigits", 2) >= 2:
            value += Decimal("0.25")
        return int(value) if base != "decimal" else str(value)
    low = facets.get("length", facets.get("minLength", 1)) or 1
    high = facets.get("length", facets.get("maxLength", 40))
    text = MARKUP if full else "x"
    return (text * (low // len(text) + 1))[:max(low, min(len(text), high))]


def example(type_, variant=0, full=False):
    """A valid JSON value: required parts only, or (full) every optional part once;
    choice `variant % len(members)` is taken in every choice."""
    if isinstance(type_, Scalar):
        return scalar_example(type_.facets, full)
    out = {a.key: scalar_example(a.type.facets, full) for a in type_.attributes if a.required or full}
    if isinstance(type_, TextWithAttributes):
        out["value"] = scalar_example(type_.value.facets, full)
        return out
    _fill(type_.particles, out, variant, full)
    return out


def _fill(particles, out, variant, full):
    for particle in particles:
        if isinstance(particle, Element):
            if particle.min or full:
                one = example(particle.type, variant, full)
                out[particle.key] = [one] * (2 if full and particle.max != 1 else max(particle.min, 1)) \
                    if particle.repeated else one
        elif isinstance(particle, Choice):
            if particle.min or full:
                _fill([particle.members[variant % len(particle.members)]], out, variant, full)
        elif isinstance(particle, Group):
            _fill(particle.particles, out, variant, full)


def choice_variants(type_, seen=None):
    """How many variants it takes to choose every member of every choice at least once."""
    seen = set() if seen is None else seen
    if not isinstance(type_, Complex) or id(type_) in seen:
        return 1
    seen.add(id(type_))
    widest = 1
    for particle in _walk(type_.particles):
        if isinstance(particle, Choice):
            widest = max(widest, len(particle.members))
        elif isinstance(particle, Element):
            widest = max(widest, choice_variants(particle.type, seen))
    return widest


def _walk(particles):
    for particle in particles:
        yield particle
        if isinstance(particle, Choice):
            yield from _walk(particle.members)
        elif isinstance(particle, Group):
            yield from _walk(particle.particles)


def kind_example(kind, operation=None, variant=0, full=False):
    """An item of a feed kind, fitted to the kind's operation rules."""
    feed = describe(kind)
    operation = operation or feed.default_operation_type
    payload = default_model().element(feed.element)
    item = example(payload.type, variant, full)
    if feed.category_holder:
        item.pop("productData", None)
    if operation == "Update":
        for key in feed.required_on_update:
            element = next(e for e in payload.type.particles if isinstance(e, Element) and e.key == key)
            item[key] = example(element.type, variant, full)
    if operation == "Delete":
        for key in feed.omitted_on_delete:
            item.pop(key, None)
    if operation != feed.default_operation_type:
        item["operationType"] = operation
    return item


def category_type(category):
    return default_model().element(resolve_category(category).element).type


def product_item(category, variant=0, full=False, **fields):
    chosen = resolve_category(category)
    item = kind_example("product", full=full)
    item["productData"] = {chosen.key: example(category_type(chosen), variant, full)}
    item.update(fields)
    return item


# -- reading XML back into the JSON shape -------------------------------------------------

def read_back(type_, node):
    """The normalized JSON of an element written by the feed writer."""
    if isinstance(type_, Scalar):
        return node.text or ""
    out = {a.key: node.get(a.name) for a in type_.attributes if node.get(a.name) is not None}
    if isinstance(type_, TextWithAttributes):
        out["value"] = node.text or ""
        return out
    elements = {e.name: e for e in _walk(type_.particles) if isinstance(e, Element)}
    for child in node:
        element = elements[child.tag]
        value = read_back(element.type, child)
        if element.repeated:
            out.setdefault(element.key, []).append(value)
        else:
            out[element.key] = value
    return out


def messages_read_back(kind, root):
    """[(operation or None, payload JSON)] of every Message of a parsed feed."""
    feed = describe(kind)
    payload = default_model().element(feed.element)
    return [(message.findtext("OperationType"), read_back(payload.type, message.find(feed.element)))
            for message in root.iter("Message")]
