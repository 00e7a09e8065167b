"""Reading a feed message's values by the rules of Amazon's XSD types (amzn-base.xsd and the
message XSDs).

The sandbox checks values itself rather than validating against the XSD
files: it must not depend on shared/ at run time, and, unlike a schema
validator, it can blame one message and go on with the next.

Every reader takes the Fields of an element and a child name, returns None
for an absent optional child, and raises MessageError (99001 missing, 99010
invalid) naming the field as "Parent/Child".
"""

import re
from decimal import Decimal, InvalidOperation

from ..apierror import ApiError
from ..clock import datetime_to_ms
from .results import INVALID_VALUE, MISSING_VALUE, MessageError
from ..params import parse_datetime

# normalizedString: tabs and line breaks count as spaces.
_NORMALIZE = str.maketrans("\t\n\r", "   ")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+)(?:\.(\d*))?|[+-]?\.(\d+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
AMAZON_ORDER_ID = re.compile(r"\w{3}-\w{7}-\w{7}")
AMAZON_ORDER_ITEM_CODE = re.compile(r"\d{14}")
SKU_MAX = 40


class Fields:
    """The child elements of one element by name, gathered once: a feed may hold 100,000 messages."""

    __slots__ = ("element", "tag", "_children")

    def __init__(self, element):
        self.element = element
        self.tag = element.tag
        self._children = {}
        for child in element:
            self._children.setdefault(child.tag, []).append(child)

    def first(self, name):
        found = self._children.get(name)
        return found[0] if found else None

    def all(self, name):
        return self._children.get(name, [])


def field_name(fields, name):
    return f"{fields.tag}/{name}"


def missing(fields, name):
    return MessageError(MISSING_VALUE, f"A value is required for the '{field_name(fields, name)}' field.")


def invalid(fields, name, value, why):
    return MessageError(INVALID_VALUE, f"The value '{value}' is not valid for '{field_name(fields, name)}': {why}.")


def element(fields, name, *, required=False):
    found = fields.first(name)
    if found is None and required:
        raise missing(fields, name)
    return found


def nested(fields, name, *, required=False):
    """The Fields of a child element (DescriptionData, Sale, ...), or None."""
    found = element(fields, name, required=required)
    return None if found is None else Fields(found)


def _raw(fields, name, required, collapse):
    found = element(fields, name, required=required)
    if found is None:
        return None
    text = found.text or ""
    text = " ".join(text.split()) if collapse else text.translate(_NORMALIZE)
    if text == "" and required:
        raise missing(fields, name)
    return text


def string(fields, name, *, required=False, max_length=50, min_length=1):
    """normalizedString with length limits (String: at most 50, the default)."""
    value = _raw(fields, name, required, collapse=False)
    if value is None:
        return None
    if not min_length <= len(value) <= max_length:
        raise invalid(fields, name, value, f"the length must be from {min_length} to {max_length} characters")
    return value


def strings(fields, name, *, max_length, max_count):
    """A repeated normalizedString element (BulletPoint and the like), at most `max_count` times."""
    found = fields.all(name)
    if len(found) > max_count:
        raise invalid(fields, name, f"{len(found)} values", f"at most {max_count} are allowed")
    values = []
    for each in found:
        text = (each.text or "").translate(_NORMALIZE)
        if not 1 <= len(text) <= max_length:
            raise invalid(fields, name, text, f"the length must be from 1 to {max_length} characters")
        values.append(text)
    return values


def sku(fields, name="SKU", *, required=True):
    """SKUType: 1 to 40 characters. An empty SKU is a missing one."""
    value = _raw(fields, name, required, collapse=False)
    if value is None:
        return None
    if value.strip() == "":
        raise missing(fields, name)
    if len(value) > SKU_MAX:
        raise invalid(fields, name, value, f"a SKU has at most {SKU_MAX} characters, this one {len(value)}")
    return value


def choice(fields, name, allowed, *, required=False):
    value = _raw(fields, name, required, collapse=True)
    if value is not None and value not in allowed:
        raise invalid(fields, name, value, f"expected one of {', '.join(allowed)}")
    return value


def pattern(fields, name, regex, described, *, required=False):
    value = _raw(fields, name, required, collapse=True)
    if value is not None and not regex.fullmatch(value):
        raise invalid(fields, name, value, f"expected {described}")
    return value


def integer(fields, name, *, minimum, required=False, max_digits=None):
    """xs:nonNegativeInteger (minimum 0) or xs:positiveInteger (minimum 1)."""
    value = _raw(fields, name, required, collapse=True)
    if value is None:
        return None
    if not _INTEGER.fullmatch(value):
        raise invalid(fields, name, value, "a whole number is required")
    number = int(value)
    if number < minimum:
        kind = "negative" if minimum == 0 else "zero or negative"
        raise invalid(fields, name, value, f"the value must not be {kind}")
    if max_digits is not None and len(str(number)) > max_digits:
        raise invalid(fields, name, value, f"at most {max_digits} digits")
    return number


def id_number(fields, name, *, required=False):
    """IDNumber: a positive integer of 1 to 20 digits."""
    value = _raw(fields, name, required, collapse=True)
    if value is not None and not (re.fullmatch(r"\d{1,20}", value) and int(value) > 0):
        raise invalid(fields, name, value, "a positive whole number of at most 20 digits is required")
    return value


def boolean(fields, name, *, required=False):
    value = _raw(fields, name, required, collapse=True)
    if value is None:
        return None
    if value not in _BOOLEANS:
        raise invalid(fields, name, value, "expected true or false")
    return _BOOLEANS[value]


def decimal_text(fields, name, text, *, fraction_digits, total_digits=20):
    """An xs:decimal restricted by fractionDigits and totalDigits."""
    match = _DECIMAL.fullmatch(text)
    if not match:
        raise invalid(fields, name, text, "a decimal number is required")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise invalid(fields, name, text, "a decimal number is required") from None
    fraction = (match.group(2) or match.group(3) or "").rstrip("0")
    if len(fraction) > fraction_digits:
        raise invalid(fields, name, text, f"at most {fraction_digits} decimal places are allowed")
    if len((match.group(1) or "").lstrip("0")) + len(fraction) > total_digits:
        raise invalid(fields, name, text, f"at most {total_digits} digits are allowed")
    return value


def decimal(fields, name, *, fraction_digits, required=False):
    value = _raw(fields, name, required, collapse=True)
    if value is None:
        return None
    return decimal_text(fields, name, value, fraction_digits=fraction_digits)


def amount(fields, name, *, currencies, fraction_digits, required=False):
    """A currency amount element, `<StandardPrice currency="USD">19.99</StandardPrice>`: (Decimal, currency)."""
    found = element(fields, name, required=required)
    if found is None:
        return None
    value = decimal(fields, name, fraction_digits=fraction_digits, required=True)
    if value < 0:
        raise invalid(fields, name, found.text.strip(), "an amount must not be negative")
    return value, _currency(fields, name, found, currencies)


def string_amount(fields, name, *, currencies, max_length=24):
    """Price.xsd's StringOverrideCurrencyAmount: a short text amount with a currency attribute."""
    found = element(fields, name)
    if found is None:
        return None
    return string(fields, name, required=True, max_length=max_length), _currency(fields, name, found, currencies)


def _currency(fields, name, found, currencies):
    currency = found.get("currency")
    if currency is None:
        raise MessageError(MISSING_VALUE, f"A value is required for the '{field_name(fields, name)}/@currency' "
                                          "attribute.")
    if currency not in currencies:
        raise invalid(fields, f"{name}/@currency", currency, f"expected one of {', '.join(currencies)}")
    zero = found.get("zero")  # Price.xsd amounts may say zero="true" to allow a price of 0
    if zero is not None and zero.strip() not in _BOOLEANS:
        raise invalid(fields, f"{name}/@zero", zero, "expected true or false")
    return currency


def date(fields, name, *, required=False):
    """xs:date, e.g. 2024-03-01 (a dateTime is refused, as the XSD does)."""
    value = _raw(fields, name, required, collapse=True)
    if value is None:
        return None
    if not _DATE.fullmatch(value):
        raise invalid(fields, name, value, "expected a date such as 2024-03-01")
    _checked_ms(fields, name, value[:10])
    return value


def datetime_ms(fields, name, *, required=False):
    """xs:dateTime as epoch milliseconds; a value without zone is taken as UTC."""
    value = _raw(fields, name, required, collapse=True)
    if value is None:
        return None
    if not _DATETIME.fullmatch(value):
        raise invalid(fields, name, value, "expected a date and time such as 2024-03-01T10:00:00Z")
    return _checked_ms(fields, name, value)


def _checked_ms(fields, name, value):
    try:  # parse_datetime reports impossible calendar dates as ApiError
        return datetime_to_ms(parse_datetime(name, value))
    except ApiError:
        raise invalid(fields, name, value, "not a calendar date") from None


def web_url(fields, name, *, required=False):
    """xs:anyURI that Amazon can fetch an image from: an http or https URL without spaces."""
    value = _raw(fields, name, required, collapse=True)
    if value is not None and not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value):
        raise invalid(fields, name, value, "an http:// or https:// URL is required")
    return value


def exactly_one(fields, names, *, required=True):
    """The name of the one child present among `names` (an XSD choice), or None when optional and absent."""
    present = [n for n in names if element(fields, n) is not None]
    if len(present) > 1:
        raise invalid(fields, names[0], "+".join(present), f"give only one of {', '.join(names)}")
    if not present:
        if required:
            raise MessageError(MISSING_VALUE, f"One of {', '.join(field_name(fields, n) for n in names)} "
                                              "is required.")
        return None
    return present[0]
