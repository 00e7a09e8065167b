#!/usr/bin/env python3
"""Generate the feed descriptions (and the static in-schemas) from Amazon's MWS XSDs.

    python tools/gen_category_schemas.py ../shared/mws-xsd [--out schemas/feeds]

The XSDs stay outside the project; what this writes is the project's own,
declarative knowledge of the formats, read at runtime by mws_component.feeds:

    <out>/descriptions/index.json           root element -> description file
    <out>/descriptions/common.json          definitions used by two or more roots
    <out>/descriptions/<Element>.json       one per message payload (Inventory, Price, ...)
    <out>/descriptions/categories/<Element>.json   one per product category (ProductData child)
    <out>/<kind>.in.json                    JSON in-schema of each non-product feed kind

Description format (see mws_component/feeds/README.md): particles keep XSD order;
named types and global elements are referenced by name; simple types are
flattened to one builtin base plus facets; simpleContent extensions are flattened
to {"value": type, "attributes": [...]}. The run is deterministic.
"""

import argparse
import copy
import json
import sys
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from mws_component.feeds.catalog import CATEGORIES, FEED_TYPES  # noqa: E402
from mws_component.feeds.model import Model  # noqa: E402
from mws_component.feeds.schema import in_schema  # noqa: E402
from mws_component.feeds.validate import OPERATION_KEY  # noqa: E402
from mws_component.naming import json_name  # noqa: E402

XS = "{http://www.w3.org/2001/XMLSchema}"
ROOT_XSD = "amzn-envelope.xsd"
FORMAT = "mws-feed-description/1"

BUILTINS = frozenset({
    "string", "normalizedString", "decimal", "integer", "nonNegativeInteger", "positiveInteger",
    "boolean", "date", "dateTime", "time", "gYearMonth", "anyURI",
})
LENGTH_FACETS = ("length", "minLength", "maxLength", "totalDigits", "fractionDigits")
BOUND_FACETS = ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive")


class UnsupportedXsd(Exception):
    """An XSD construct the description format has no word for; extend the format rather than guess."""


def _local(node):
    return node.tag[len(XS):] if node.tag.startswith(XS) else node.tag


def _children(node):
    """Schema children, without comments and annotations."""
    return [c for c in node if isinstance(c.tag, str) and _local(c) != "annotation"]


class XsdSet:
    """The global declarations of the root XSD and everything it includes (MWS uses no namespace)."""

    def __init__(self, folder, root=ROOT_XSD):
        self.folder = Path(folder)
        self.elements = {}
        self.types = {}
        self._read(root, set())

    def _read(self, filename, seen):
        if filename in seen:
            return
        seen.add(filename)
        tree = etree.parse(str(self.folder / filename))
        for node in _children(tree.getroot()):
            kind, name = _local(node), node.get("name")
            if kind == "include":
                self._read(node.get("schemaLocation"), seen)
            elif kind == "element":
                self.elements[name] = node
            elif kind in ("simpleType", "complexType"):
                self.types[name] = node
            else:
                raise UnsupportedXsd(f"{filename}: top-level <{kind}>")


class Converter:
    """XSD declarations -> description data; named definitions are converted once."""

    def __init__(self, xsd, dropped=()):
        self.xsd = xsd
        self.dropped = frozenset(dropped)   # choice members left out on purpose
        self.elements = {}
        self.types = {}

    # -- named definitions -------------------------------------------------------------

    def element_def(self, name):
        if name not in self.elements:
            if name not in self.xsd.elements:
                raise UnsupportedXsd(f"unknown element {name}")
            self.elements[name] = None          # guards against recursion
            self.elements[name] = {"key": json_name(name), "type": self._element_type(self.xsd.elements[name])}
        return self.elements[name]

    def type_def(self, name):
        if name not in self.types:
            if name not in self.xsd.types:
                raise UnsupportedXsd(f"unknown type {name}")
            node = self.xsd.types[name]
            self.types[name] = None
            self.types[name] = self._simple(node) if _local(node) == "simpleType" else self._complex(node)
        return self.types[name]

    def _type_ref(self, qname):
        if qname.startswith("xsd:"):
            if qname[4:] not in BUILTINS:
                raise UnsupportedXsd(f"builtin type {qname}")
            return qname
        self.type_def(qname)
        return qname

    def _flat_simple(self, qname):
        """The facets of a simple type, for deriving from it."""
        if qname.startswith("xsd:"):
            return {"base": self._type_ref(qname)[4:]}
        found = self.type_def(qname)
        if found is None or "base" not in found:
            raise UnsupportedXsd(f"{qname} is not a simple type")
        return copy.deepcopy(found)

    def _element_type(self, node):
        if node.get("type"):
            return self._type_ref(node.get("type"))
        inline = [c for c in _children(node) if _local(c) in ("simpleType", "complexType")]
        if not inline:
            return "xsd:anyType"            # untyped in the XSD: written as text
        return self._simple(inline[0]) if _local(inline[0]) == "simpleType" else self._complex(inline[0])

    # -- simple types ------------------------------------------------------------------

    def _simple(self, node):
        (body,) = _children(node)
        kind = _local(body)
        if kind == "union":
            merged = []
            for member in body.get("memberTypes").split():
                facets = self._flat_simple(member)
                if "enum" not in facets:
                    raise UnsupportedXsd(f"union member {member} is not an enumeration")
                merged += [v for v in facets["enum"] if v not in merged]
            return {"base": "string", "enum": merged}
        if kind != "restriction":
            raise UnsupportedXsd(f"simpleType <{kind}>")
        if not body.get("base"):
            raise UnsupportedXsd("restriction without a base attribute")
        out = self._flat_simple(body.get("base"))
        enum, patterns = [], []
        for facet in _children(body):
            name, value = _local(facet), facet.get("value")
            if name == "enumeration":
                if value not in enum:       # the XSDs repeat a few values (ShoeWidth "E")
                    enum.append(value)
            elif name == "pattern":
                patterns.append(value)
            elif name in LENGTH_FACETS:
                out[name] = int(value)
            elif name in BOUND_FACETS:
                out[name] = value
            else:
                raise UnsupportedXsd(f"facet {name}")
        if enum:
            out["enum"] = enum
        if patterns:        # patterns of one step are alternatives; steps must all match
            out["patterns"] = out.get("patterns", []) + ["|".join(patterns)]
        return out

    # -- complex types -----------------------------------------------------------------

    def _complex(self, node):
        if node.get("mixed") == "true":
            raise UnsupportedXsd("mixed content")
        attributes, out = [], {}
        for child in _children(node):
            kind = _local(child)
            if kind in ("sequence", "choice"):
                out["sequence"] = self._group(child)
            elif kind == "attribute":
                attributes.append(self._attribute(child))
            elif kind == "simpleContent":
                (extension,) = _children(child)
                if _local(extension) != "extension":
                    raise UnsupportedXsd(f"simpleContent <{_local(extension)}>")
                base = extension.get("base")
                base_def = None if base.startswith("xsd:") else self.type_def(base)
                if base_def is not None and "value" in base_def:     # extends a complex type: inherit
                    out["value"] = base_def["value"]
                    attributes = list(base_def.get("attributes", ())) + attributes
                elif base_def is not None and "base" not in base_def:
                    raise UnsupportedXsd(f"simpleContent extending {base}, which has element content")
                else:
                    out["value"] = self._type_ref(base)
                for sub in _children(extension):
                    if _local(sub) != "attribute":
                        raise UnsupportedXsd(f"<{_local(sub)}> in a simpleContent extension")
                    attributes.append(self._attribute(sub))
            else:
                raise UnsupportedXsd(f"<{kind}> in complexType")
        if "value" not in out:
            out.setdefault("sequence", [])
        if attributes:
            out = {"attributes": attributes, **out}
        _check_keys(out)
        return out

    def _attribute(self, node):
        inline = _children(node)
        type_ = self._simple(inline[0]) if inline else self._type_ref(node.get("type") or "xsd:string")
        out = {"name": node.get("name"), "key": json_name(node.get("name")), "type": type_}
        if node.get("use") == "required":
            out["required"] = True
        return out

    def _group(self, node):
        """The particles of a complexType's top-level sequence or choice."""
        if _local(node) == "choice":
            return [self._choice(node)]
        if node.get("minOccurs", "1") != "1" or node.get("maxOccurs", "1") != "1":
            raise UnsupportedXsd("repeated or optional top-level sequence")
        return self._sequence(node)

    def _sequence(self, node):
        particles = []
        for child in _children(node):
            kind = _local(child)
            if kind == "element":
                particles.append(self._element_particle(child, in_choice=False))
            elif kind == "choice":
                particles.append(self._choice(child))
            elif kind == "sequence" and child.get("minOccurs", "1") == child.get("maxOccurs", "1") == "1":
                particles += self._sequence(child)      # a plain nested sequence adds nothing
            else:
                raise UnsupportedXsd(f"<{kind}> in a sequence")
        return particles

    def _choice(self, node):
        if node.get("maxOccurs", "1") != "1":
            raise UnsupportedXsd("repeated choice")
        members = []
        for child in _children(node):
            kind = _local(child)
            if kind == "element":
                particle = self._element_particle(child, in_choice=True)
                if particle is not None:
                    members.append(particle)
            elif kind == "sequence":
                members.append({"sequence": self._sequence(child)})
            else:
                raise UnsupportedXsd(f"<{kind}> in a choice")
        out = {"choice": members}
        if node.get("minOccurs", "1") != "1":
            out["min"] = int(node.get("minOccurs"))
        return out

    def _element_particle(self, node, in_choice):
        occurs = {}
        if node.get("minOccurs", "1") != "1":
            occurs["min"] = int(node.get("minOccurs"))
        if node.get("maxOccurs", "1") != "1":
            high = node.get("maxOccurs")
            occurs["max"] = "unbounded" if high == "unbounded" else int(high)
        ref = node.get("ref")
        if ref:
            if ref in self.dropped:
                if not in_choice:
                    raise UnsupportedXsd(f"{ref} can only be left out of a choice")
                return None
            self.element_def(ref)
            return {"ref": ref, **occurs}
        name = node.get("name")
        return {"name": name, "key": json_name(name), "type": self._element_type(node), **occurs}


def _particle_keys(particles):
    for particle in particles:
        if "choice" in particle:
            yield from _particle_keys(particle["choice"])
        elif "sequence" in particle:
            yield from _particle_keys(particle["sequence"])
        else:
            yield particle.get("key") or json_name(particle["ref"])


def _check_keys(complex_def):
    """Attributes and child elements share one JSON object: their keys must differ."""
    keys = [a["key"] for a in complex_def.get("attributes", ())]
    keys += ["value"] if "value" in complex_def else list(_particle_keys(complex_def["sequence"]))
    clashes = sorted({k for k in keys if keys.count(k) > 1})
    if clashes:
        raise UnsupportedXsd(f"JSON keys clash: {clashes}")


def _references(data):
    """("elements"|"types", name) pairs a converted definition refers to."""
    if isinstance(data, dict):
        for field, value in data.items():
            if field in ("type", "value") and isinstance(value, str):
                if not value.startswith("xsd:"):
                    yield ("types", value)
            elif field == "ref":
                yield ("elements", value)
            else:
                yield from _references(value)
    elif isinstance(data, list):
        for value in data:
            yield from _references(value)


def _dropped_categories(xsd):
    """ProductData choices that are not among the offered categories: left out of the description."""
    offered = {c.element for c in CATEGORIES}
    holders = {kind.category_holder for kind in FEED_TYPES.values() if kind.category_holder}
    in_xsd = set()
    for kind in FEED_TYPES.values():
        if kind.category_holder:
            for holder in xsd.elements[kind.element].iter(XS + "element"):
                if holder.get("name") in holders:
                    in_xsd |= {m.get("ref") for m in holder.iter(XS + "element") if m.get("ref")}
    if offered - in_xsd:
        raise UnsupportedXsd(f"categories missing from ProductData: {sorted(offered - in_xsd)}")
    return in_xsd - offered


def build(xsd_folder):
    """{relative path: data} of every description file."""
    xsd = XsdSet(xsd_folder)
    converter = Converter(xsd, dropped=_dropped_categories(xsd))
    message_roots = [kind.element for kind in FEED_TYPES.values()]
    category_roots = [c.element for c in CATEGORIES]
    roots = message_roots + category_roots
    for root in roots:
        converter.element_def(root)
        if OPERATION_KEY in _particle_keys(_content_of(converter, root)):
            raise UnsupportedXsd(f"{root} has a child the item key {OPERATION_KEY} would hide")

    definitions = {("elements", n): d for n, d in converter.elements.items()}
    definitions.update({("types", n): d for n, d in converter.types.items()})
    users = {}          # definition -> the roots that reach it
    for root in roots:
        for ref in _reachable(definitions, root, roots):
            users.setdefault(ref, set()).add(root)

    def file_data(refs, root=None):
        data = {"format": FORMAT}
        if root:
            data["root"] = root
        for section in ("elements", "types"):
            data[section] = {name: definitions[(s, name)] for s, name in sorted(refs) if s == section}
        return data

    paths = {root: f"{root}.json" for root in message_roots}
    paths.update({root: f"categories/{root}.json" for root in category_roots})
    files = {"index.json": {"format": FORMAT, "source": ROOT_XSD, "roots": paths}}
    files["common.json"] = file_data({ref for ref, by in users.items() if len(by) > 1})
    for root in roots:
        own = {ref for ref, by in users.items() if by == {root}}
        files[paths[root]] = file_data(own | {("elements", root)}, root)
    return files


def _reachable(definitions, root, roots):
    """The definitions a root uses, directly or not, short of other roots (they have their own file)."""
    seen, stack = set(), [("elements", root)]
    while stack:
        ref = stack.pop()
        if ref not in seen:
            seen.add(ref)
            stack += [used for used in _references(definitions[ref])
                      if not (used[0] == "elements" and used[1] in roots)]
    return seen - {("elements", root)}


def _content_of(converter, root):
    type_ = converter.elements[root]["type"]
    type_ = converter.types[type_] if isinstance(type_, str) else type_
    return type_.get("sequence", [])


def dump(data):
    """Stable, diff-friendly JSON: one particle, attribute or simple type per line."""
    return _dump(data, 0) + "\n"


def _dump(value, depth):
    flat = json.dumps(value, ensure_ascii=False)
    if len(flat) <= 100 or not isinstance(value, (dict, list)):
        return flat
    pad, inner = " " * depth, " " * (depth + 1)
    if isinstance(value, list):
        return "[\n" + ",\n".join(inner + _dump(v, depth + 1) for v in value) + "\n" + pad + "]"
    return "{\n" + ",\n".join(f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dump(v, depth + 1)}"
                              for k, v in value.items()) \
        + "\n" + pad + "}"


def write(xsd_folder, out):
    """Write the descriptions and the in-schemas under `out`; returns the paths written."""
    out = Path(out)
    written = []
    for relative, data in build(xsd_folder).items():
        path = out / "descriptions" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(data), encoding="utf-8")
        written.append(path)

    model = Model(out / "descriptions")
    for kind in FEED_TYPES.values():
        if kind.category_holder:
            continue        # product in-schemas depend on the category: built at getMetaModel time
        path = out / f"{kind.key}.in.json"
        path.write_text(json.dumps(in_schema(kind.key, model=model), indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        written.append(path)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("xsd_folder", help="folder holding amzn-envelope.xsd and the files it includes")
    parser.add_argument("--out", default=str(REPO / "schemas" / "feeds"), help="default: schemas/feeds")
    args = parser.parse_args(argv)
    for path in write(args.xsd_folder, args.out):
        print(path)


if __name__ == "__main__":
    main()
