"""Signature Version 2 verification, done the way Amazon did it (Amazon MWS Developer Guide,
Signing your requests / Query string format).

The canonical string is rebuilt here from the decoded parameters, on purpose
without the component's signer: a bug in the client's canonicalisation must
show up as SignatureDoesNotMatch, not be reproduced by the server.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from urllib.parse import quote

from .apierror import ApiError, invalid
from .clock import datetime_to_ms, format_ms
from .params import parse_datetime

ALGORITHMS = {"HmacSHA256": hashlib.sha256, "HmacSHA1": hashlib.sha1}
CLOCK_SKEW_MS = 15 * 60 * 1000  # DG_Timestamps: 15 minutes either way
COMMON_REQUIRED = ("AWSAccessKeyId", "Action", "SignatureMethod", "SignatureVersion", "Version", "Signature")


@dataclass(frozen=True)
class Account:
    """A developer key pair and the seller it may act for."""

    access_key: str
    secret_key: str = field(repr=False)
    seller_id: str
    auth_token: str | None = None  # None: any MWSAuthToken, or none, is accepted
    marketplace_ids: tuple = ()


def rfc3986(text):
    """Unreserved characters kept, every other UTF-8 byte as %XY with upper-case hex."""
    return quote(text.encode("utf-8"), safe="-_.~")


def canonical_query(params):
    pairs = sorted((name.encode("utf-8"), name, value) for name, value in params.items() if name != "Signature")
    return "&".join(f"{rfc3986(name)}={rfc3986(value)}" for _, name, value in pairs)


def string_to_sign(method, host, path, params):
    return "\n".join((method.upper(), host.lower(), path or "/", canonical_query(params)))


def compute_signature(secret_key, text, method):
    digest = hmac.new(secret_key.encode("utf-8"), text.encode("utf-8"), ALGORITHMS[method]).digest()
    return base64.b64encode(digest).decode("ascii")


def authenticate(params, *, method, host, path, accounts, now_ms, section_name):
    """The Account a request is signed for, or ApiError as Amazon would answer.

    Checks run in the order a caller can fix them: missing parameters, the
    signing scheme, the key, the clock, the signature, then the seller.
    """
    for name in COMMON_REQUIRED:
        if not params.get(name):
            raise invalid(f"The request must contain the parameter {name}.")
    if "Timestamp" not in params and "Expires" not in params:
        raise invalid("The request must contain the parameter Timestamp.")
    if "Timestamp" in params and "Expires" in params:
        raise invalid("Timestamp and Expires cannot both be specified")
    if "SellerId" not in params and "Merchant" not in params:
        raise invalid("The request must contain the parameter SellerId.")
    if params["SignatureVersion"] != "2":
        raise invalid(f"Invalid SignatureVersion [{params['SignatureVersion']}]: only 2 is supported")
    signature_method = params["SignatureMethod"]
    if signature_method not in ALGORITHMS:
        raise invalid(f"Invalid SignatureMethod [{signature_method}]: use HmacSHA256 or HmacSHA1")

    account = accounts.get(params["AWSAccessKeyId"])
    if account is None:
        raise ApiError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")

    check_time(params, now_ms)

    expected = compute_signature(account.secret_key, string_to_sign(method, host, path, params), signature_method)
    if not hmac.compare_digest(expected.encode("ascii"), params["Signature"].encode("utf-8")):
        raise ApiError("SignatureDoesNotMatch",
                       "The request signature we calculated does not match the signature you provided. "
                       "Check your AWS Secret Access Key and signing method. "
                       "Consult the service documentation for details.")

    check_seller(params, account, f"{section_name}.{params['Action']}")
    return account


def check_time(params, now_ms):
    if "Timestamp" in params:
        stamp_ms = datetime_to_ms(parse_datetime("Timestamp", params["Timestamp"]))
        if abs(now_ms - stamp_ms) > CLOCK_SKEW_MS:
            raise ApiError("RequestExpired",
                           f"Request has expired. Timestamp date is {params['Timestamp']}; "
                           f"the server time is {format_ms(now_ms)} and the allowed skew is 15 minutes.")
    else:
        expires_ms = datetime_to_ms(parse_datetime("Expires", params["Expires"]))
        if now_ms > expires_ms:
            raise ApiError("RequestExpired", f"Request has expired. Expires date is {params['Expires']}")


def check_seller(params, account, resource):
    """The seller must be the key's own; a configured MWSAuthToken must match.

    Amazon answered a developer acting for a seller it had no grant for with
    401 AccessDenied; the sandbox does the same for a wrong id or token.
    """
    seller_ids = {params[name] for name in ("SellerId", "Merchant") if name in params}
    if seller_ids != {account.seller_id}:
        raise ApiError("AccessDenied", f"Access to {resource} is denied")
    if account.auth_token is not None and params.get("MWSAuthToken") != account.auth_token:
        raise ApiError("AccessDenied", "Access denied: the MWSAuthToken is missing or does not match this seller")
