"""Where input JSON enters the runtime and the local runner: one parser with limits.

Every JSON document a function will see - the incoming message, the step's
configuration (cfg), the snapshot, ELASTICIO_CFG of a service call, the files
of `mws-component run` - is read by `parse_object` (text) or checked by
`check_object` (a value already parsed). Either returns the object or raises
`InputError`, naming what was wrong and where, before any function runs:

* not JSON (including NaN and Infinity, which JSON does not have);
* not a JSON object (a list, a string, a number, null);
* nested more than MAX_DEPTH levels: deeper documents would exhaust Python's
  recursion limit in json, copy or jsonschema and end in a RecursionError;
* an integer of more than MAX_INTEGER_DIGITS digits: Python refuses to convert
  integers over 4,300 digits between text and int, and no value of a message
  needs more than a few dozen (JavaScript, which the platform runs on, keeps 15-17).

Imports nothing outside the standard library, so the local runner uses it
without the runtime's broker dependencies.
"""

import json

MAX_DEPTH = 100
MAX_INTEGER_DIGITS = 100
_SHOWN_PATH_PARTS = 4


class InputError(ValueError):
    """Input that no function is given: names the input (and the place inside it) in `field`."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class _LongInteger:
    """Stands in for an integer with too many digits until its place is known."""

    __slots__ = ("digits",)

    def __init__(self, digits):
        self.digits = digits


def _refuse_constant(name):
    raise InputError(f"{name} is not a JSON value")


def parse_object(text, what, max_depth=MAX_DEPTH):
    """TEXT (str or UTF-8 bytes) as a JSON object; WHAT names it in errors ("msg", "cfg", ...)."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{what} is not UTF-8 text: {exc}", what) from None
    text = text.removeprefix("\ufeff")
    long_integers = []

    def parse_int(digits):
        if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
            long_integers.append(digits)
            return _LongInteger(len(digits.lstrip("-")))
        return int(digits)

    try:
        value = json.loads(text, parse_int=parse_int, parse_constant=_refuse_constant)
    except RecursionError:
        raise InputError(f"{what} is nested more than {max_depth} levels deep", what) from None
    except InputError as exc:
        raise InputError(f"{what} is not JSON: {exc}", what) from None
    except ValueError as exc:
        raise InputError(f"{what} is not JSON: {exc}", what) from None
    # Counting brackets is fast; only a document that might be too deep is walked.
    might_be_deep = text.count("{") + text.count("[") > max_depth
    return check_object(value, what, max_depth, walk=bool(long_integers) or might_be_deep)


def check_object(value, what, max_depth=MAX_DEPTH, walk=True):
    """VALUE (parsed JSON) if it is an object within the limits, else InputError."""
    if not isinstance(value, dict):
        raise InputError(f"{what} must be a JSON object, not {_kind(value)}", what)
    if walk:
        _check_tree(value, what, max_depth)
    return value


def _check_tree(value, what, max_depth):
    """Depth-first, in document order, without recursion (the point is to survive deep documents)."""
    stack = [(value, 1, ())]
    while stack:
        node, depth, path = stack.pop()
        if isinstance(node, _LongInteger):
            where = _path_text(what, path)
            raise InputError(f"{where}: an integer of {node.digits:,} digits; at most "
                             f"{MAX_INTEGER_DIGITS} digits are accepted", where)
        if depth > max_depth:
            raise InputError(f"{what} is nested more than {max_depth} levels deep "
                             f"(at {_path_text(what, path, _SHOWN_PATH_PARTS)})", what)
        children = node.items() if isinstance(node, dict) else enumerate(node)
        pending = [(child, depth + 1, path + (key,)) for key, child in children
                   if isinstance(child, (dict, list, _LongInteger))]
        stack.extend(reversed(pending))


def _path_text(what, path, limit=None):
    shown = path if limit is None else path[:limit]
    text = what + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in shown)
    return text + ("…" if limit is not None and len(path) > limit else "")


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return {list: "a list", str: "a string", int: "a number", float: "a number",
            _LongInteger: "a number"}.get(type(value), type(value).__name__)
