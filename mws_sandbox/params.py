"""Reading MWS request parameters: decoding the wire form, list members, dates, numbers.

Every helper raises `ApiError` with Amazon's code for a bad value, so a
section handler states its rules and nothing else.
"""

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote_to_bytes

from .apierror import ApiError, invalid
from .clock import datetime_to_ms

# xs:dateTime as clients send it: seconds and zone optional (Amazon's own example omits the zone).
_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?")


def decode_pairs(text):
    """name=value pairs of a query string or form body, percent-decoded as UTF-8 ('+' is a space)."""
    pairs = []
    for part in text.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        try:
            pairs.append((_unquote(name), _unquote(value)))
        except UnicodeDecodeError:
            raise ApiError("MalformedInput", "Request parameters must be UTF-8 encoded") from None
    return pairs


def _unquote(text):
    return unquote_to_bytes(text.replace("+", " ")).decode("utf-8")


def merge_params(*pair_lists):
    """One dict of all parameters; a name given twice is ambiguous, so it is refused."""
    params = {}
    for pairs in pair_lists:
        for name, value in pairs:
            if name in params:
                raise invalid(f"Parameter {name} is specified more than once")
            params[name] = value
    return params


def parse_datetime(name, text, code="MalformedInput"):
    """A timezone-aware UTC datetime, or 400 `code` (double-encoded dates end up here)."""
    match = _DATETIME.fullmatch(text.strip()) if text else None
    if not match:
        raise ApiError(code, f"Invalid {name} [{text}]: timestamp must follow ISO8601")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        value = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                         int((fraction or "0").ljust(6, "0")[:6]), tzinfo=timezone.utc)
    except ValueError:
        raise ApiError(code, f"Invalid {name} [{text}]: timestamp must follow ISO8601") from None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        value -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return value


class Params:
    """The parameters of one request, with rule-checking accessors."""

    def __init__(self, values):
        self.values = dict(values)

    def __contains__(self, name):
        return name in self.values

    def get(self, name, default=None):
        return self.values.get(name, default)

    def require(self, name):
        value = self.values.get(name)
        if value is None or value == "":
            raise invalid(f"The request must contain the parameter {name}.")
        return value

    def given(self, *names):
        """The names among `names` that the request carries (list parameters by their prefix)."""
        return [n for n in names if n in self.values or self.list_names(n)]

    def list_names(self, name):
        prefix = f"{name}."
        return [k for k in self.values if k.startswith(prefix)]

    def list(self, name, member, *, max_items=None, required=False, allowed=None):
        """Values of `Name.Member.1`, `Name.Member.2`, … in index order."""
        pattern = re.compile(rf"{re.escape(name)}\.{re.escape(member)}\.([1-9]\d*)")
        indexed = []
        for key, value in self.values.items():
            match = pattern.fullmatch(key)
            if match:
                indexed.append((int(match.group(1)), value))
        indexed.sort()
        values = [v for _, v in indexed]
        if required and not values:
            raise invalid(f"The request must contain the parameter {name}.{member}.1.")
        if max_items is not None and len(values) > max_items:
            raise invalid(f"{name} accepts at most {max_items} values; {len(values)} were given")
        if allowed is not None:
            for value in values:
                if value not in allowed:
                    raise invalid(f"Invalid {name}.{member} value [{value}]; valid values are {', '.join(allowed)}")
        return values

    def datetime_ms(self, name):
        """The parameter as epoch milliseconds (None when absent)."""
        text = self.values.get(name)
        if text is None:
            return None
        return datetime_to_ms(parse_datetime(name, text))

    def integer(self, name, *, low, high, default):
        text = self.values.get(name)
        if text is None:
            return default
        if not re.fullmatch(r"[0-9]+", text.strip()) or not low <= int(text) <= high:
            raise invalid(f"Invalid {name} [{text}]: must be an integer from {low} to {high}")
        return int(text)
