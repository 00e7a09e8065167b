"""Descriptions compiled into nodes that check JSON items and write them as XML.

`check` turns a JSON value into its normalized form (the same shape, nulls
dropped, every scalar the exact text to write) or raises InputError naming the
field; `emit` writes a normalized value, in XML order, with lxml's incremental
writer. Nodes are built once per description and shared.

JSON shapes (see schemas/feeds/README.md):
- element with a simple type         -> scalar ("sku": "A-1")
- simpleContent with attributes      -> {"value": "1.5", "unitOfMeasure": "LB"}
- complex element                    -> object of its children and attributes;
                                        an empty element is {} (productType: {"healthMisc": {}})
- choice                             -> its members are keys of the enclosing object, exactly one given
- maxOccurs > 1                      -> array
"""

import threading
from functools import lru_cache

from ..errors import InputError
from ..inputs import nearest
from ..naming import json_name
from .descriptions import DescriptionStore
from .types import ValueProblem, builtin_facets, compile_checker


def _field_error(path, key, problem):
    field = f"{path}.{key}"
    return InputError(f"{field}: {problem}", field=field)


class Scalar:
    """A simple type: JSON scalar <-> element text."""

    __slots__ = ("facets", "check")
    is_scalar = True

    def __init__(self, facets):
        self.facets = facets
        self.check = compile_checker(facets)


class Attribute:
    __slots__ = ("name", "key", "type", "required")

    def __init__(self, name, key, type_, required):
        self.name, self.key, self.type, self.required = name, key, type_, required


class _Object:
    """The two object-shaped types share this: each given key is converted (unknown keys
    refused, null meaning absent), then required keys and choices are checked.

    Scalars are checked straight by their type's checker and a ValueProblem is
    turned into the field's InputError here, once; nested values convert themselves.
    """

    __slots__ = ("attributes", "scalars", "nested", "required", "choices", "_known", "_order")
    is_scalar = False

    def _setup(self, attributes, scalars, nested, required, order, choices=()):
        self.attributes = attributes
        self.scalars = {**{a.key: a.type.check for a in attributes}, **scalars}
        self.nested = nested
        self.required = frozenset(required) | {a.key for a in attributes if a.required}
        self.choices = list(choices)
        self._known = frozenset(self.scalars) | frozenset(self.nested)
        self._order = [a.key for a in attributes] + order      # for messages only

    def check(self, obj, path):
        if type(obj) is not dict:
            raise InputError(f"{path}: expected an object with {_listing(self._order)}, got {_kind(obj)}",
                             field=path)
        scalars = self.scalars
        out = {}
        key = None
        try:
            for key, value in obj.items():
                if value is not None:
                    check = scalars.get(key)
                    out[key] = check(value) if check is not None else self._convert_nested(key, value, path)
        except (ValueProblem, InputError) as error:
            self._explain(obj, path)
            if isinstance(error, ValueProblem):
                raise _field_error(path, key, error) from None
            raise
        if not self.required <= out.keys():
            raise _field_error(path, next(k for k in self._order if k in self.required and k not in out),
                               "is required")
        for choice in self.choices:
            choice.verify(out, path)
        return out

    def _convert_nested(self, key, value, path):
        convert = self.nested.get(key)
        if convert is None:
            raise _field_error(path, key, f"unknown field{nearest(key, self._order)}; expected {_listing(self._order)}")
        return convert(value, path)

    def _explain(self, obj, path):
        """Before a value's error: an unknown key or a choice wrongly made, which say more."""
        for key in obj:
            if key not in self._known:
                raise _field_error(path, key, f"unknown field{nearest(key, self._order)}; expected {_listing(self._order)}")
        for choice in self.choices:
            choice.verify(obj, path)

    def _xml_attributes(self, obj):
        return {a.name: obj[a.key] for a in self.attributes if a.key in obj} or None


class TextWithAttributes(_Object):
    """simpleContent: {"value": text, <attribute keys>}, e.g. <Weight unitOfMeasure="LB">1.5</Weight>."""

    __slots__ = ("value",)

    def __init__(self, value, attributes):
        self.value = value
        self._setup(attributes, {"value": value.check}, {}, ["value"], ["value"])

    def emit(self, xf, name, obj):
        with xf.element(name, self._xml_attributes(obj)):
            xf.write(obj["value"])


class Complex(_Object):
    """Element content: a sequence of elements and choices, plus attributes."""

    __slots__ = ("particles", "_emitters")

    def __init__(self, particles, attributes):
        self.particles = particles
        elements = list(_elements_of(particles))
        scalars = {e.key: e.type.check for e in elements if e.is_single_scalar}
        nested = {e.key: e.converter() for e in elements if e.key not in scalars}
        self._setup(attributes, scalars, nested,
                    [p.key for p in particles if isinstance(p, Element) and p.min], [e.key for e in elements],
                    [p for p in particles if isinstance(p, Choice)])
        self._emitters = [(e.key, e.emitter()) for e in elements]       # XML order

    def emit(self, xf, name, obj):
        with xf.element(name, self._xml_attributes(obj) if self.attributes else None):
            for key, emit in self._emitters:
                value = obj.get(key)
                if value is not None:
                    emit(xf, value)


class Element:
    """An element occurrence in a sequence or choice: name, JSON key, occurrences, type.

    `convert(value, path)` and `emit(xf, value)` are closures made for this element's
    type and occurrences, so the hot path is one call each. (A single scalar is
    checked by its type's checker directly, see _Object.check.)
    """

    __slots__ = ("name", "key", "min", "max", "_type", "_resolve", "convert", "emit")

    def __init__(self, name, key, low, high, type_=None, resolve=None):
        self.name, self.key, self.min, self.max = name, key, low, high
        self._type, self._resolve = None, resolve
        if type_ is not None:
            self._bind(type_)

    @property
    def type(self):
        return self._bound()._type

    @property
    def repeated(self):
        return self.max != 1

    @property
    def is_single_scalar(self):
        return self._type is not None and self._type.is_scalar and self.max == 1

    def converter(self):
        """What the enclosing type calls: the closure itself, or for a ref to another
        root not compiled yet (a category) a stand-in that compiles it on first use."""
        if self._type is not None:
            return self.convert
        return lambda value, path: self._bound().convert(value, path)

    def emitter(self):
        if self._type is not None:
            return self.emit
        return lambda xf, value: self._bound().emit(xf, value)

    def _bound(self):
        if self._type is None:
            self._bind(self._resolve())
        return self

    def _bind(self, type_):
        name, key, low, high = self.name, self.key, self.min, self.max
        check = type_.check
        if type_.is_scalar:
            def convert_at(value, path, step):
                try:
                    return check(value)
                except ValueProblem as problem:
                    raise _field_error(path, step, problem) from None

            def emit_one(xf, text):
                with xf.element(name):
                    xf.write(text)
        else:
            emit_type = type_.emit

            def convert_at(value, path, step):
                return check(value, f"{path}.{step}")

            def emit_one(xf, value):
                emit_type(xf, name, value)

        if high == 1:
            def convert(value, path):
                return convert_at(value, path, key)
            emit = emit_one
        else:
            def convert(values, path):
                if type(values) is not list:
                    raise _field_error(path, key, f"expected an array, got {_kind(values)}")
                if high != "unbounded" and len(values) > high:
                    raise _field_error(path, key, f"has {len(values)} entries; at most {high} allowed")
                if len(values) < low:
                    raise _field_error(path, key, f"needs at least {low} entries")
                return [convert_at(v, path, f"{key}[{i}]") for i, v in enumerate(values)]

            def emit(xf, values):
                for value in values:
                    emit_one(xf, value)
        self.convert, self.emit, self._type = convert, emit, type_


class Group:
    """A sequence inside a choice: required when its branch is the one chosen."""

    __slots__ = ("particles", "required", "choices")

    def __init__(self, particles):
        self.particles = particles
        self.required = [p.key for p in particles if isinstance(p, Element) and p.min]
        self.choices = [p for p in particles if isinstance(p, Choice)]

    def verify(self, obj, path):
        for key in self.required:
            if obj.get(key) is None:
                raise _field_error(path, key, "is required")
        for choice in self.choices:
            choice.verify(obj, path)


class Choice:
    """Exactly one member (at most one if optional); the members' keys sit in the enclosing object."""

    __slots__ = ("members", "min", "all_keys", "_member_keys", "_of_elements")

    def __init__(self, members, low):
        self.members, self.min = members, low
        self._member_keys = [[e.key for e in _elements_of([m])] for m in members]
        self.all_keys = [k for keys in self._member_keys for k in keys]
        self._of_elements = all(isinstance(m, Element) for m in members)

    def verify(self, obj, path):
        """Checks the given JSON object (a null value counts as absent)."""
        if self._of_elements:
            given = 0
            for key in self.all_keys:
                if obj.get(key) is not None:
                    given += 1
            if given == 1:
                return                          # the usual case: one element of a choice of elements
        chosen = [(m, [k for k in keys if obj.get(k) is not None])
                  for m, keys in zip(self.members, self._member_keys)]
        chosen = [(m, keys) for m, keys in chosen if keys]
        if len(chosen) > 1:
            raise _field_error(path, chosen[1][1][0], f"give only one of {_listing(self.all_keys)} "
                                                      f"({chosen[0][1][0]} is given too)")
        if not chosen:
            if self.min:
                raise _field_error(path, self.all_keys[0],
                                   f"is required, or one of {_listing(self.all_keys[1:])} instead")
            return
        member = chosen[0][0]
        if isinstance(member, Group):
            member.verify(obj, path)


def _elements_of(particles):
    for particle in particles:
        if isinstance(particle, Element):
            yield particle
        elif isinstance(particle, Choice):
            yield from _elements_of(particle.members)
        else:
            yield from _elements_of(particle.particles)


def _listing(keys):
    keys = sorted(keys) if isinstance(keys, (set, frozenset)) else list(keys)
    return ", ".join(keys[:12]) + (f", … ({len(keys)} fields)" if len(keys) > 12 else "")


def _kind(value):
    return {dict: "an object", list: "an array", str: "text", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


class Model:
    """The compiled descriptions of one description folder."""

    def __init__(self, folder=None):
        self.store = DescriptionStore(folder)
        self._types = {}
        self._elements = {}
        self._lock = threading.RLock()

    def element(self, name):
        """The global element `name` as an Element occurring once."""
        with self._lock:
            found = self._elements.get(name)
            if found is None:
                definition = self.store.element(name)
                found = Element(name, definition["key"], 1, 1, self._type(definition["type"]))
                self._elements[name] = found
            return found

    def _type(self, ref):
        """A compiled type from a name ("SKUType", "xsd:date") or an inline definition."""
        if isinstance(ref, dict):
            return self._compile(ref)
        found = self._types.get(ref)
        if found is None:
            found = self._compile(builtin_facets(ref) if ref.startswith("xsd:") else self.store.type(ref))
            self._types[ref] = found
        return found

    def _compile(self, definition):
        if "base" in definition:
            return Scalar(definition)
        attributes = [Attribute(a["name"], a["key"], self._type(a["type"]), a.get("required", False))
                      for a in definition.get("attributes", ())]
        if "value" in definition:
            return TextWithAttributes(self._type(definition["value"]), attributes)
        return Complex([self._particle(p) for p in definition["sequence"]], attributes)

    def _particle(self, particle):
        if "choice" in particle:
            return Choice([self._particle(p) for p in particle["choice"]], particle.get("min", 1))
        if "sequence" in particle:
            return Group([self._particle(p) for p in particle["sequence"]])
        low, high = particle.get("min", 1), particle.get("max", 1)
        if "ref" in particle:
            name = particle["ref"]
            if name in self.store.roots:        # another root's file: read it when first needed
                # the generator derives every key with json_name, so the file need not be read yet
                return Element(name, json_name(name), low, high, resolve=lambda: self.element(name).type)
            definition = self.store.element(name)
            return Element(name, definition["key"], low, high, self._type(definition["type"]))
        return Element(particle["name"], particle["key"], low, high, self._type(particle["type"]))


_default = None
_default_lock = threading.Lock()


def default_model():
    """The model of the descriptions shipped in schemas/feeds/descriptions."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Model()
        return _default


@lru_cache(maxsize=None)
def element_model(name):
    return default_model().element(name)
