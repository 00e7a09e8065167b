"""Amazon Signature Version 2, the MWS authoriser of the pipeline.

Amazon MWS Developer Guide: "Required request parameters", "Creating the string
to sign" and "Working with the Content-MD5 header value and MD5 checksum".
`SignatureV2Signer` adds its own parameters (AWSAccessKeyId, SignatureMethod,
SignatureVersion, Timestamp from the clock it is given, MWSAuthToken when set)
and the Signature, and encodes the query exactly once, as it was signed.
"""

import base64
import hashlib
import hmac
from urllib.parse import quote, urlsplit

from ..times import timestamp

FORM = "application/x-www-form-urlencoded; charset=utf-8"

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


class SignatureV2Signer:
    """Signs every attempt afresh: a Timestamp older than 15 minutes is refused (RequestExpired)."""

    METHOD = "HmacSHA256"

    def __init__(self, credentials):
        self._access_key_id = credentials.access_key_id
        self._secret = credentials.secret_access_key
        self._auth_token = credentials.mws_auth_token
        self.secrets = credentials.secrets

    def __repr__(self):  # never print the secret or the token
        return f"SignatureV2Signer(access_key_id={self._access_key_id!r})"

    def authorise(self, request, now):
        """`request` with the auth parameters and Signature; a request without a body carries its
        query as a form body, one with a body (SubmitFeed's feed) in the URL."""
        params = dict(request.params)
        params |= {"AWSAccessKeyId": self._access_key_id, "SignatureMethod": self.METHOD,
                   "SignatureVersion": "2", "Timestamp": timestamp(now)}
        if self._auth_token:
            params["MWSAuthToken"] = self._auth_token
        signed = sign_params(params, self._secret, request.method, request.url, urlsplit(request.url).path)
        query = encode_query(signed)
        if request.body is None:
            return request.but(params=signed, headers=request.headers | {"Content-Type": FORM},
                               body=query)  # ASCII only, percent-encoded
        return request.but(params=signed, query=query)

    def prepare(self):
        """Nothing to do before the quota is drawn: signing is instant."""

    def invalidate(self):
        """Nothing cached: a signature is made for each attempt."""
