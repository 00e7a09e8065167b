"""XSD simple types (a builtin base plus facets) compiled to value checkers.

A checker takes a JSON value and returns the exact text to write, or raises
ValueProblem saying what is wrong; the caller adds the item index and field.
Checkers never accept what the XSD rejects; where matching libxml2 exactly would
cost a lot, they are stricter (noted at each place).
"""

import datetime
import math
import re
import sys
from decimal import Context, Decimal
from urllib.parse import urlsplit

from ..errors import shown as show
from ..inputs import time_text


class ValueProblem(ValueError):
    """A value outside its type; the message reads after "<field>: "."""


# XML 1.0 Char production: everything else (most C0 controls, surrogates, U+FFFE/U+FFFF) is refused.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]").search


def check_xml_text(value):
    bad = _NOT_XML_CHAR(value)
    if bad:
        raise ValueProblem(f"contains U+{ord(bad.group()):04X} at position {bad.start()}, "
                           "a character XML 1.0 does not allow")


def compile_checker(facets):
    """The checker for a flattened simple type: {"base": builtin, facet: value, ...}."""
    base = facets["base"]
    family = _FAMILIES.get(base)
    if family is None:
        raise ValueError(f"no checker for XSD type {base}")
    unknown = set(facets) - {"base"} - family.facets
    if unknown:
        raise ValueError(f"facets {sorted(unknown)} are not supported on {base}")
    return family.compile(facets)


class _Family:
    def __init__(self, compile_, facets):
        self.compile = compile_
        self.facets = frozenset(facets)


# -- text -------------------------------------------------------------------------------

def _python_regex(xsd_pattern):
    """An XSD regex (implicitly anchored) as a compiled Python regex.

    XSD `\\w` excludes punctuation, separators and controls (so also "_") but includes
    symbols; it becomes `[^\\W_]`, Unicode letters and digits only: stricter.
    `^` and `$` are ordinary characters in XSD.
    """
    out, i, in_class = [], 0, False
    while i < len(xsd_pattern):
        char = xsd_pattern[i]
        if char == "\\":
            escape = xsd_pattern[i:i + 2]
            if escape == "\\w" and not in_class:
                out.append("[^\\W_]")
            elif escape[1:] in ("d", "s", "n", "r", "t", ".", "-", "[", "]", "\\", "|", "(", ")",
                                "{", "}", "?", "*", "+", "^", "$"):
                out.append(escape)
            else:
                raise ValueError(f"XSD regex escape {escape} is not supported: {xsd_pattern}")
            i += 2
            continue
        if char == "[":
            if in_class:
                raise ValueError(f"XSD character class subtraction is not supported: {xsd_pattern}")
            in_class = True
        elif char == "]":
            in_class = False
        elif char in "^$" and not in_class:
            char = "\\" + char
        out.append(char)
        i += 1
    return re.compile("(?:" + "".join(out) + r")\Z")


def _compile_text(facets):
    low = facets.get("minLength", facets.get("length", 0))
    high = facets.get("maxLength", facets.get("length", sys.maxsize))
    enum = facets.get("enum")
    patterns = [(p, _python_regex(p).match) for p in facets.get("patterns", ())]

    def text_of(value):
        if type(value) is int and value.bit_length() <= 200:    # identifiers sent as JSON numbers
            return str(value)
        raise ValueProblem(f"{show(value)} is not text")

    def length_problem(value):
        length = len(value)
        if length > high:
            return ValueProblem(f"{show(value)} is {length} characters long; at most {high} allowed")
        return ValueProblem("must not be empty" if length == 0 and low == 1
                            else f"{show(value)} is {length} characters long; at least {low} required")

    if enum:
        # an enumerated value must meet the other facets too, or the XSD rejects it
        enum = [v for v in enum if low <= len(v) <= high and all(match(v) for _, match in patterns)]
        allowed = frozenset(enum)

        def check_enumerated(value):
            if type(value) is not str:
                value = text_of(value)
            if value not in allowed:
                raise ValueProblem(_not_one_of(value, enum))
            return value        # enumeration values are plain XML text
        return check_enumerated

    def check(value):
        if type(value) is not str:
            value = text_of(value)
        if not low <= len(value) <= high:
            raise length_problem(value)
        if _NOT_XML_CHAR(value):
            check_xml_text(value)
        for pattern, match in patterns:
            if not match(value):
                raise ValueProblem(f"{show(value)} does not match the pattern {pattern}")
        return value

    return check


def _not_one_of(value, enum):
    text = f"{show(value)} is not one of " + ", ".join(enum[:15]) + (f", … ({len(enum)} values)"
                                                                       if len(enum) > 15 else "")
    if isinstance(value, str):
        near = [v for v in enum if v.casefold() == value.strip().casefold()]
        if near:
            text += f" (did you mean {near[0]!r}?)"
    return text


_URI_SCHEMES = ("http", "https")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})").search
_URI_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f\"<>\\^`{|}]").search
# [userinfo@]host[:port], the host a name or a bracketed IPv6 address
_AUTHORITY = re.compile(r"(?:[^@/?#\[\]]*@)?(?:\[[0-9A-Fa-f:.]+\]|[^:@/?#\[\]]+)(?::[0-9]+)?\Z").match


def _compile_uri(facets):
    """xsd:anyURI, narrowed to absolute http(s) URLs without spaces: the only URIs a feed
    carries (image and product URLs) are fetched by Amazon; libxml2 accepts more."""
    text = _compile_text(facets)

    def check(value):
        value = text(value)
        bad = _URI_FORBIDDEN(value)
        if bad:
            raise ValueProblem(f"{show(value)} contains {bad.group()!r}; percent-encode it in a URL")
        try:
            parts = urlsplit(value)
            parts.port      # raises ValueError for a port that is not a number
        except ValueError as error:
            raise ValueProblem(f"{show(value)} is not a URL: {error}") from None
        if parts.scheme.lower() not in _URI_SCHEMES or not parts.hostname:
            raise ValueProblem(f"{show(value)} is not an absolute http(s) URL")
        rest = value[value.index(parts.netloc) + len(parts.netloc):]
        if not _AUTHORITY(parts.netloc) or "[" in rest or "]" in rest or value.count("#") > 1:
            raise ValueProblem(f"{show(value)} is not a well-formed URL")
        if _BAD_PERCENT(value):
            raise ValueProblem(f"{show(value)} has a % that is not followed by two hex digits")
        return value

    return check


# -- numbers ----------------------------------------------------------------------------

_DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]{1,60}(?:\.[0-9]{0,60})?|\.[0-9]{1,60})\Z").match
# Enough precision that no amount a feed may carry is ever rounded while checking it.
_EXACT = Context(prec=200, Emax=1000, Emin=-1000)
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]{1,60}\Z").match


def _as_decimal(value):
    kind = type(value)
    if kind is str:
        if _DECIMAL_TEXT(value):
            return Decimal(value)
        raise ValueProblem(f"{show(value)} is not a decimal number (digits and an optional '.')")
    if kind is int:
        return Decimal(value)
    if kind is float and math.isfinite(value):
        return Decimal(repr(value))     # the shortest text that reads back as this float
    if kind is Decimal and value.is_finite() and abs(value.adjusted()) < 100:
        return value
    raise ValueProblem(f"{show(value)} is not a number")


def _total_digits(number):
    _, digits, exponent = number.normalize(_EXACT).as_tuple()
    return max(len(digits), -exponent) if exponent < 0 else len(digits) + exponent


def _bounds(facets, parse):
    """(check(number, value), ...) for the min/max facets."""
    tests = []
    for facet, holds, words in (("minInclusive", lambda n, b: n >= b, "less than"),
                                ("minExclusive", lambda n, b: n > b, "not more than"),
                                ("maxInclusive", lambda n, b: n <= b, "more than"),
                                ("maxExclusive", lambda n, b: n < b, "not less than")):
        if facet in facets:
            tests.append((parse(facets[facet]), holds, words))
    return tests


def _compile_decimal(facets):
    fraction_digits = facets.get("fractionDigits")
    total_digits = facets.get("totalDigits")
    quantum = Decimal(1).scaleb(-fraction_digits) if fraction_digits is not None else None
    bounds = _bounds(facets, Decimal)

    def check(value):
        number = _as_decimal(value)
        if fraction_digits is not None and -number.as_tuple().exponent > fraction_digits:
            exact = number.quantize(quantum, context=_EXACT) if abs(number.adjusted()) < 100 else None
            if exact is None or exact != number:
                raise ValueProblem(f"{show(value)} has more than {fraction_digits} decimal places")
            number = exact      # only trailing zeros went: 19.990000 -> 19.9900 for 4 places
        if total_digits is not None and _total_digits(number) > total_digits:
            raise ValueProblem(f"{show(value)} has more than {total_digits} digits")
        for bound, holds, words in bounds:
            if not holds(number, bound):
                raise ValueProblem(f"{show(value)} is {words} {bound}")
        return format(number, "f")

    return check


_INTEGER_MINIMUM = {"integer": None, "nonNegativeInteger": 0, "positiveInteger": 1}


def _compile_integer(facets):
    low = _INTEGER_MINIMUM[facets["base"]]
    bounds = _bounds(facets, lambda text: Decimal(text))
    total_digits = facets.get("totalDigits")
    enum = frozenset(facets["enum"]) if "enum" in facets else None
    patterns = [(p, _python_regex(p).match) for p in facets.get("patterns", ())]

    def check(value):
        kind = type(value)
        if kind is int:
            number = value
        elif kind is str and _INTEGER_TEXT(value):
            number = int(value)
        elif kind in (float, Decimal) and math.isfinite(value) and value == int(value):
            number = int(_as_decimal(value))    # a float as its shortest text: 2.2e16 is 22000000000000000
        elif kind in (float, Decimal, str) and _DECIMAL_TEXT(str(value)):
            raise ValueProblem(f"{show(value)} is not a whole number")
        else:
            raise ValueProblem(f"{show(value)} is not an integer")
        if number.bit_length() > 200:       # no XSD integer here needs more than 60 digits
            raise ValueProblem(f"{show(value, 20)} is too large")
        if low is not None and number < low:
            raise ValueProblem(f"{show(value)} is " + ("negative" if low == 0 else "not positive"))
        for bound, holds, words in bounds:
            if not holds(number, bound):
                raise ValueProblem(f"{show(value)} is {words} {bound}")
        text = str(number)
        if total_digits is not None and len(text.lstrip("-")) > total_digits:
            raise ValueProblem(f"{show(value)} has more than {total_digits} digits")
        if enum is not None and text not in enum:
            raise ValueProblem(_not_one_of(text, sorted(enum, key=int)))
        for pattern, match in patterns:
            if not match(text):
                raise ValueProblem(f"{show(value)} does not match the pattern {pattern}")
        return text

    return check


# -- booleans ---------------------------------------------------------------------------

_BOOLEAN_TEXT = {"true": "true", "false": "false", "1": "true", "0": "false"}


def _compile_boolean(facets):
    def check(value):
        if value is True:
            return "true"
        if value is False:
            return "false"
        text = _BOOLEAN_TEXT.get(value) if type(value) is str else None
        if text is None:
            raise ValueProblem(f"{show(value)} is not a boolean (true or false)")
        return text

    return check


# -- dates and times --------------------------------------------------------------------
# Years are limited to 0001-9999 (XSD also allows more digits and negative years).

_ZONE = r"(Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})" + _ZONE + r"\Z").match
_DATE_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])"
                        r"(\.[0-9]+)?" + _ZONE + r"\Z").match
_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?" + _ZONE + r"\Z").match
_YEAR_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])" + _ZONE + r"\Z").match


def _time_rule(text):
    """The one rule of every time field (mws_component.inputs): spaces around ignored, control characters refused."""
    try:
        return time_text(text)
    except ValueError as problem:
        raise ValueProblem(str(problem)) from None


def _real_date(match):
    try:
        datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return True
    except ValueError:
        return False


def _compile_date(facets):
    def check(value):
        if type(value) is datetime.date:
            return value.isoformat()
        if isinstance(value, str):
            value = _time_rule(value)
            match = _DATE(value)
            if match and _real_date(match):
                return value
            if _DATE_TIME(value) or (match is None and "T" in value):
                raise ValueProblem(f"{show(value)} is a date and time; give only the date, YYYY-MM-DD")
        raise ValueProblem(f"{show(value)} is not a date (YYYY-MM-DD)")

    return check


_MINUTE, _MOST_OFFSET = datetime.timedelta(minutes=1), datetime.timedelta(hours=14)


def _compile_date_time(facets):
    def check(value):
        if isinstance(value, datetime.datetime):
            offset = value.utcoffset()
            if offset is not None and (offset % _MINUTE or abs(offset) > _MOST_OFFSET):
                try:        # an offset XSD cannot write (LMT zones have seconds): same instant in UTC
                    value = value.astimezone(datetime.timezone.utc)
                except OverflowError:
                    raise ValueProblem(f"{value} cannot be written in UTC") from None
            value = value.isoformat()
        if isinstance(value, str):
            value = _time_rule(value)
            match = _DATE_TIME(value)
            if match and _real_date(match):
                return value
        raise ValueProblem(f"{show(value)} is not a date and time "
                           "(YYYY-MM-DDThh:mm:ss, optional fraction and zone such as Z or +02:00)")

    return check


def _compile_time(facets):
    def check(value):
        if isinstance(value, datetime.time):
            return value.isoformat()
        if isinstance(value, str):
            value = _time_rule(value)
            if _TIME(value):
                return value
        raise ValueProblem(f"{show(value)} is not a time (hh:mm:ss)")

    return check


def _compile_year_month(facets):
    def check(value):
        if isinstance(value, str):
            value = _time_rule(value)
            if _YEAR_MONTH(value) and value[:4] != "0000":
                return value
        raise ValueProblem(f"{show(value)} is not a year and month (YYYY-MM)")

    return check


_TEXT_FACETS = ("length", "minLength", "maxLength", "enum", "patterns")
_NUMBER_FACETS = ("totalDigits", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive")
_FAMILIES = {
    "string": _Family(_compile_text, _TEXT_FACETS),
    "normalizedString": _Family(_compile_text, _TEXT_FACETS),
    "anyType": _Family(_compile_text, ()),      # untyped in the XSD: written as text
    "anyURI": _Family(_compile_uri, ("minLength", "maxLength")),
    "decimal": _Family(_compile_decimal, _NUMBER_FACETS + ("fractionDigits",)),
    "integer": _Family(_compile_integer, _NUMBER_FACETS + ("enum", "patterns")),
    "nonNegativeInteger": _Family(_compile_integer, _NUMBER_FACETS + ("enum", "patterns")),
    "positiveInteger": _Family(_compile_integer, _NUMBER_FACETS + ("enum", "patterns")),
    "boolean": _Family(_compile_boolean, ()),
    "date": _Family(_compile_date, ()),
    "dateTime": _Family(_compile_date_time, ()),
    "time": _Family(_compile_time, ()),
    "gYearMonth": _Family(_compile_year_month, ()),
}


def builtin_facets(type_name):
    """The facets of a builtin referenced as "xsd:<name>"."""
    return {"base": type_name[4:]}
