"""Times as Amazon writes and reads them."""

from datetime import datetime, timezone

from dateutil.parser import isoparse, parse as parse_date


def timestamp(now=None):
    """UTC xs:dateTime with milliseconds and a Z, e.g. 2009-08-20T01:10:27.607Z."""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def parse_time(value):
    """A time as servers send it: RFC 1123 (Date, x-mws-quota-resetsOn as documented), ISO 8601
    (x-mws-timestamp, resetsOn as seen in traffic, LastUpdatedBefore) or ISO basic (x-amz-date);
    aware UTC, or None."""
    if not value:
        return None
    value = value.strip()
    try:
        when = isoparse(value)
    except ValueError:
        try:
            when = parse_date(value)
        except (ValueError, OverflowError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)
