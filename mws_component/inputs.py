"""The rules every function's input checks share: one error form, one step-field checker,
one rule for times and one for enumerations.

Error form. Every input error reads "<field>: <what is wrong>", the field as the
message names it: a step field or credential by its key (`operation`,
`endpoint`), a body field by its path (`body.items[2].sku`). Only the first
problems are listed, joined by "; ".

Enumerations (step fields such as `operation`, `category`, `orderStatus`,
`emitBehavior`, `marketplaceIds`; body fields such as `statusCode`, `imageType`,
`currency`, an item's `category`; JSON keys such as the category's key under
`productData`) are matched exactly, case included: what is written to Amazon is
the value as given, and Amazon's values are case-sensitive. A value that differs
only in case, or is close to a known one, is refused with the nearest known value
("did you mean 'Toys'?").

Times (the trigger's Start Time and End Time, a feed's restockDate,
fulfillmentDate, sale dates and every other date or date-time field) are ISO 8601
text. Spaces around the value are ignored (XSD collapses them too) and the value
is used without them; a control character anywhere (a NUL, a tab, a newline) is
refused, never dropped.
"""

import difflib
import re
from dataclasses import dataclass
from typing import Callable

from .errors import ConfigurationError, InputError, shown

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_TEXT = 1000  # no step field needs more; a 10 MB value is refused without being echoed


def refuse(field, what, cls=InputError):
    """The one form of an input error: "<field>: <what is wrong>"."""
    return cls(f"{field}: {what}", field=field)


def nearest(value, known):
    """ " (did you mean 'X'?)" for the known value closest to `value`, or ""."""
    if not isinstance(value, str) or len(value) > 200:
        return ""
    known = list(known)
    folded = {}
    for k in known:
        folded.setdefault(k.casefold(), k)      # the first spelling of a name wins
    match = folded.get(value.strip().casefold())
    if match is None:
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.75)
        match = close[0] if close else None
    return f" (did you mean {match!r}?)" if match is not None and match != value else ""


def listing(values, limit=12):
    values = list(values)
    return ", ".join(values[:limit]) + (f", … ({len(values)} values)" if len(values) > limit else "")


def control_character(text):
    """The first control character of `text` as a phrase, or None."""
    bad = _CONTROL.search(text)
    return None if bad is None else f"contains the control character U+{ord(bad.group()):04X} at position {bad.start()}"


def time_text(value):
    """The text of a time field under the one rule (see the module's docstring); raises ValueError
    saying what is wrong (the caller names the field)."""
    if not isinstance(value, str):
        raise ValueError(f"{shown(value)} is not text")
    problem = control_character(value)
    if problem:
        raise ValueError(problem)
    return value.strip(" ")


# -- step fields ----------------------------------------------------------------------------

@dataclass(frozen=True)
class StepField:
    """A step field as component.json declares it: its key, view and whether it is required.

    `choices` (select views): the allowed values, or a function of cfg returning them.
    `what`: how a missing required field is asked for ("choose the product category")."""
    name: str
    view: str = "text"                 # "select" | "multiselect" | "text"
    required: bool = False
    choices: object = None
    what: str = ""

    def allowed(self, cfg):
        choices = self.choices(cfg) if isinstance(self.choices, Callable) else self.choices
        return list(choices) if choices is not None else None


def _absent(value):
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _text(field, value):
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise refuse(field.name, f"must be text, got {_kind(value)}", ConfigurationError)
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise refuse(field.name, f"is {len(value):,} characters long; at most {MAX_TEXT}", ConfigurationError)
        problem = control_character(value)
        if problem:
            raise refuse(field.name, problem, ConfigurationError)
    return value


def _chosen(field, value, allowed):
    if not isinstance(value, str):
        expected = f"one of {listing(allowed)}" if allowed is not None else "a text (a name to choose)"
        raise refuse(field.name, f"must be {expected}, got {_kind(value)}", ConfigurationError)
    _text(field, value)
    if allowed is not None and value not in allowed:
        raise refuse(field.name, f"{shown(value)} is not one of {listing(allowed)}{nearest(value, allowed)}",
                     ConfigurationError)
    return value


def _kind(value):
    return {dict: "an object", list: "a list", bool: "a boolean", type(None): "nothing"}.get(
        type(value), shown(value) if isinstance(value, (int, float)) else type(value).__name__)


def step_fields(cfg, fields):
    """{key: checked value or None} for the step's fields, each checked by its view:
    a select is one text of its choices, a multiselect a list of them (or one comma-separated
    text), a text field text (or a number). A required field that is missing is an error
    naming it: never a default that writes."""
    out = {}
    for field in fields:
        value = cfg.get(field.name)
        if _absent(value):
            if field.required:
                raise refuse(field.name, "is required" + (f": {field.what}" if field.what else ""),
                             ConfigurationError)
            out[field.name] = None
            continue
        if field.view == "select":
            out[field.name] = _chosen(field, value, field.allowed(cfg))
        elif field.view == "multiselect":
            if isinstance(value, str):
                value = [v.strip() for v in _text(field, value).split(",") if v.strip()]
            if not isinstance(value, list):
                raise refuse(field.name, f"must be a list of texts, got {_kind(value)}", ConfigurationError)
            allowed = field.allowed(cfg)
            for index, entry in enumerate(value):
                try:
                    _chosen(field, entry, allowed)
                except ConfigurationError as exc:
                    raise refuse(field.name, f"[{index}] " + str(exc)[len(field.name) + 2:],
                                 ConfigurationError) from None
            out[field.name] = value
        else:
            out[field.name] = _text(field, value)
    return out
