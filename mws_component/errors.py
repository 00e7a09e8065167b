"""The connector's exceptions.

`MwsError` has one subclass per MWS error code (generated, as Peddler does),
so callers can catch `errors.RequestThrottled` or read `.code`. Classes for
codes not listed below are made on first sight and cached.
"""

import re


class ConnectorError(Exception):
    """Base of every error the connector raises on purpose."""


class InputError(ConnectorError, ValueError):
    """Bad input: names the field (and the item's index); nothing was sent."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class ConfigurationError(InputError):
    """Bad credentials or step fields (cfg)."""


class TransportError(ConnectorError):
    """The endpoint could not be reached or its answer could not be read, after the retries allowed."""


class ResponseError(ConnectorError):
    """An answer that is not the XML MWS sends: unparseable, hostile, cut off or too large."""


class ContentMD5Mismatch(ResponseError):
    """A downloaded body does not match its Content-MD5 header."""


class MwsError(ConnectorError):
    """An ErrorResponse from MWS (or a non-XML error body with its HTTP status)."""

    code = "MwsError"

    def __init__(self, message, *, code=None, request_id=None, status=None, error_type=None, detail=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.request_id = request_id
        self.status = status
        self.error_type = error_type
        self.detail = detail

    def __str__(self):
        extra = ", ".join(p for p in (
            f"HTTP {self.status}" if self.status else "",
            f"request id {self.request_id}" if self.request_id else "") if p)
        return f"{self.code}: {self.message}" + (f" ({extra})" if extra else "")


# Codes from DG_Errors and the Feeds error list (MWS_API.md §3.7, §6.1).
KNOWN_CODES = (
    "InputStreamDisconnected", "InvalidParameterValue", "AccessDenied", "InvalidAccessKeyId",
    "SignatureDoesNotMatch", "InvalidAddress", "InternalError", "QuotaExceeded", "RequestThrottled",
    "InvalidClientTokenId", "RequestExpired", "MalformedInput", "MissingParameter",
    "AccessToFeedProcessingResultDenied", "ContentMD5Missing", "ContentMD5DoesNotMatch",
    "FeedCanceled", "FeedProcessingResultNoLongerAvailable", "FeedProcessingResultNotReady",
    "InputDataError", "InvalidFeedSubmissionId", "InvalidFeedType", "InvalidRequest",
    "NonRetriableInternalError", "RetriableInternalError", "ServiceUnavailable", "HttpError",
)

_CLASSES = {}


def error_class(code):
    """The MwsError subclass for an MWS error code."""
    cls = _CLASSES.get(code)
    if cls is None:
        if not code.isidentifier():
            return MwsError
        cls = type(code, (MwsError,), {"code": code, "__module__": __name__})
        _CLASSES[code] = cls
    return cls


for _code in KNOWN_CODES:
    globals()[_code] = error_class(_code)

# Worth sending again: the request was fine, the service was busy or broken for a moment.
RETRYABLE_CODES = frozenset({"RequestThrottled", "QuotaExceeded", "InternalError",
                             "RetriableInternalError", "ServiceUnavailable"})
THROTTLE_CODES = frozenset({"RequestThrottled", "QuotaExceeded"})
RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})


def shown(value, limit=60):
    """A value as an error message quotes it: its repr, cut short, so a 10 MB input is not echoed back."""
    if type(value) is int and value.bit_length() > 128:    # repr of a 5,000-digit integer raises
        return f"a {value.bit_length():,}-bit integer"
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


# A signed query's Signature and MWSAuthToken pairs (SubmitFeed sends its parameters in the URL).
_SIGNED_PAIR = re.compile(r"(?<=[?&])(?:Signature|MWSAuthToken)=[^&\s\"'()]*&?")
_DANGLING_AMPERSAND = re.compile(r"&(?=[\s\"'()]|$)")


def redact_query(text):
    """`text` with the Signature and MWSAuthToken parameters taken out of any query string in it."""
    return _DANGLING_AMPERSAND.sub("", _SIGNED_PAIR.sub("", str(text)))


def scrub(text, secrets):
    """`text` with every secret replaced: MWS may echo the string to sign (and so the auth token)."""
    text = str(text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text
