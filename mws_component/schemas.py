"""The JSON schemas in schemas/: loading them, and checking input against them.

The files are written in the platform's dialect (draft-07 keywords plus the
draft-3 habit of `"required": true` on each property, which the elastic.io
mapper UI reads). For validation that habit is turned into draft-07
`required` lists once, when a schema is first used.
"""

import copy
import json
import os
import re
from functools import lru_cache
from pathlib import Path

import jsonschema

from .errors import InputError, shown as quoted
from .inputs import nearest

def _schemas_dir():
    """schemas/ beside the package in a source tree; else where the platform put the component."""
    candidates = [os.environ.get("MWS_SCHEMAS_DIR"), Path(__file__).resolve().parent.parent / "schemas",
                  Path(os.environ.get("ELASTICIO_COMPONENT_PATH") or ".") / "schemas"]
    for candidate in filter(None, candidates):
        if Path(candidate).is_dir():
            return Path(candidate)
    return Path(__file__).resolve().parent.parent / "schemas"


SCHEMAS_DIR = _schemas_dir()


@lru_cache(maxsize=None)
def load(name):
    """A schema file by its path relative to schemas/ (parsed once, shared: do not mutate)."""
    with open(SCHEMAS_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


def _to_draft7(node):
    if isinstance(node, list):
        return [_to_draft7(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "required" and isinstance(value, bool):
            continue  # lifted into the parent's list below
        if key in ("properties", "definitions", "patternProperties"):
            out[key] = {name: _to_draft7(sub) for name, sub in value.items()}
        else:
            out[key] = _to_draft7(value)
    props = node.get("properties")
    if isinstance(props, dict):
        lifted = [name for name, sub in props.items() if isinstance(sub, dict) and sub.get("required") is True]
        listed = node.get("required") if isinstance(node.get("required"), list) else []
        if lifted or listed:
            out["required"] = list(dict.fromkeys(listed + lifted))
    return out


@lru_cache(maxsize=None)
def _ecma_regex(pattern):
    """A schema pattern read as JSON Schema means it (ECMA-262): \\d is 0-9 only and a final $ is the very
    end. Python's re would take "123-1234567-1234567\\n" or Arabic-Indic digits for ^\\d{3}-\\d{7}-\\d{7}$."""
    return re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", pattern), re.ASCII)


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not _ecma_regex(pattern).search(instance):
        yield jsonschema.ValidationError(f"does not match {pattern!r}")


_Draft7 = jsonschema.validators.extend(jsonschema.Draft7Validator, {"pattern": _pattern})


@lru_cache(maxsize=None)
def _validator(name):
    schema = _to_draft7(copy.deepcopy(load(name)))
    _Draft7.check_schema(schema)
    return _Draft7(schema, format_checker=jsonschema.FormatChecker())


def validator_for(schema):
    """A draft-07 validator for an in-memory schema in the platform dialect."""
    converted = _to_draft7(copy.deepcopy(schema))
    return _Draft7(converted, format_checker=jsonschema.FormatChecker())


def field_path(path, root="body"):
    text = root
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _describe(error, root):
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return field_path(path + [missing], root), "is required"
    if error.validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(known))
        return field_path(path + extra[:1], root), "is not a known field" + nearest(extra[0], known) + (
            f"; known: {', '.join(known)}" if known else "")
    value = error.instance
    shown = type(value).__name__ if isinstance(value, (dict, list)) else quoted(value)
    rules = {
        "type": lambda: f"must be of type {error.validator_value}, got {shown}",
        "enum": lambda: f"must be one of {', '.join(map(str, error.validator_value))}, got {shown}"
                    + nearest(value, [v for v in error.validator_value if isinstance(v, str)]),
        "pattern": lambda: f"{shown} does not have the expected form {error.validator_value}",
        "maxLength": lambda: f"is longer than {error.validator_value} characters",
        "minLength": lambda: "must not be empty" if error.validator_value == 1 else f"is shorter than {error.validator_value} characters",
        "maxItems": lambda: f"has more than {error.validator_value} items",
        "minItems": lambda: f"must have at least {error.validator_value} item(s)",
        "minimum": lambda: f"must be at least {error.validator_value}, got {shown}",
        "maximum": lambda: f"must be at most {error.validator_value}, got {shown}",
        "format": lambda: f"{shown} is not a valid {error.validator_value}",
    }
    text = rules.get(error.validator, lambda: error.message if len(error.message) < 200 else error.message[:200] + "…")()
    return field_path(path, root), text


def check(name_or_schema, value, root="body"):
    """Raise InputError naming the first bad field(s) of `value`; return `value` if it is valid."""
    validator = _validator(name_or_schema) if isinstance(name_or_schema, str) else validator_for(name_or_schema)
    errors = sorted(validator.iter_errors(value), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    if not errors:
        return value
    described = [_describe(e, root) for e in errors[:5]]
    message = "; ".join(f"{field}: {text}" for field, text in described)    # the one form: "<field>: <what>"
    if len(errors) > 5:
        message += f"; and {len(errors) - 5} more problem(s)"
    raise InputError(message, field=described[0][0])


def check_known(name, value, logger=None, root="body"):
    """For the actions that read: the fields of `value` the schema knows, checked; the others (a
    whole order passed on unmapped carries many) are ignored and logged at debug."""
    if not isinstance(value, dict):
        return check(name, value, root)
    known = load(name).get("properties", {})
    extra = sorted(k for k in value if k not in known)
    if extra and logger is not None:
        logger.debug("%s: ignoring %d field(s) this action does not read: %s", root, len(extra),
                     ", ".join(map(str, extra[:20])))
    return check(name, {k: v for k, v in value.items() if k in known}, root)
