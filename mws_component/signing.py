"""Amazon Signature Version 2 (MWS_API.md §1.4-1.6, DG_QueryString)."""

import base64
import hashlib
import hmac
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

_UNRESERVED = "-_.~"  # with A-Z a-z 0-9, the RFC 3986 unreserved set
_ALGORITHMS = {"HmacSHA256": hashlib.sha256, "HmacSHA1": hashlib.sha1}
_DEFAULT_PORTS = {"https": 443, "http": 80}


def percent_encode(value):
    """RFC 3986: unreserved characters kept, every other UTF-8 byte as upper-case %XY."""
    return quote(str(value).encode("utf-8"), safe=_UNRESERVED)


def canonical_query(params):
    """Encoded name=value pairs sorted by name in byte order, joined with '&'; Signature excluded."""
    pairs = sorted((str(k).encode("utf-8"), k, v) for k, v in params.items() if k != "Signature")
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for _, k, v in pairs)


def canonical_host(url):
    """Lower-cased host, with the port only when it is not the scheme's default."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{parts.port}"
    return host.lower()


def string_to_sign(method, host, path, params):
    return "\n".join((method.upper(), host.lower(), path or "/", canonical_query(params)))


def signature(secret_key, text, method="HmacSHA256"):
    digest = hmac.new(secret_key.encode("utf-8"), text.encode("utf-8"), _ALGORITHMS[method]).digest()
    return base64.b64encode(digest).decode("ascii")


def timestamp(now=None):
    """UTC xs:dateTime with milliseconds and a Z, e.g. 2009-08-20T01:10:27.607Z."""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def sign_params(params, secret_key, method, url, path):
    """A copy of `params` with Signature added; `params` must already hold SignatureMethod."""
    text = string_to_sign(method, canonical_host(url), path, params)
    signed = dict(params)
    signed["Signature"] = signature(secret_key, text, params.get("SignatureMethod", "HmacSHA256"))
    return signed


def encode_query(params):
    """The wire form of signed parameters, encoded exactly as they were signed."""
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in params.items())


def content_md5(data):
    """base64 of the raw MD5 digest, as ContentMD5Value and Content-MD5 carry it."""
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")
