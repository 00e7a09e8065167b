"""The connector's exceptions.

`ApiError` is whatever Amazon answered with an error; the envelope parser that
made it sets `outcome_kind`, which the retry decision reads (retry.py), so no
caller needs to know which API answered. `MwsError` has one subclass per MWS
error code (generated, as Peddler does), so callers can catch
`errors.RequestThrottled` or read `.code`. Classes for codes not listed below
are made on first sight and cached.

`QuotaExhausted` is not an answer from Amazon: our own quota buckets say the
next request may not go out within the call's deadline. It is never disguised
as a server throttle.
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


class CredentialsRefused(ConnectorError):
    """verify(): the credentials do not work; the message names the part that is wrong, `field` its form field."""

    def __init__(self, message, *, field=None, cause=None):
        super().__init__(message)
        self.field = field
        self.cause = cause


class TransportError(ConnectorError):
    """The endpoint could not be reached or its answer could not be read, after the retries allowed."""


class ResponseError(ConnectorError):
    """An answer that is not the XML MWS sends: unparseable, hostile, cut off or too large."""


class ContentMD5Mismatch(ResponseError):
    """A downloaded body does not match its Content-MD5 header."""


class QuotaExhausted(ConnectorError):
    """The local quota is used up: the next request of this kind may go out in `retry_after`
    seconds, later than the call's deadline allows. Nothing was sent for it.

    Callers: the trigger ends its run (its snapshot says where to go on), submit actions
    rebound the message, verifyCredentials says the credentials could not be checked now."""

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = float(retry_after)


class PageTokenRefused(ConnectorError):
    """The server no longer accepts a saved page token (a listing cannot be resumed from it)."""


class FeedNotReady(ConnectorError):
    """The feed is still being processed: its report does not exist yet."""


class ApiError(ConnectorError):
    """An error Amazon answered (any status, whatever the body).

    `outcome_kind` (set by the envelope parser that made it) is one of retry.Outcome's
    kinds: "throttled", "server_error", "clock_skew", "auth_expired" or "final"."""

    code = "ApiError"
    outcome_kind = "final"

    def __init__(self, message, *, code=None, request_id=None, status=None, details=None, outcome_kind=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.request_id = request_id
        self.status = status
        self.details = details
        if outcome_kind:
            self.outcome_kind = outcome_kind

    def __str__(self):
        extra = ", ".join(p for p in (
            f"HTTP {self.status}" if self.status else "",
            f"request id {self.request_id}" if self.request_id else "") if p)
        return f"{self.code}: {self.message}" + (f" ({extra})" if extra else "")


class MwsError(ApiError):
    """An ErrorResponse from MWS (or a non-XML error body with its HTTP status)."""

    code = "MwsError"

    def __init__(self, message, *, code=None, request_id=None, status=None, error_type=None, detail=None,
                 outcome_kind=None):
        super().__init__(message, code=code, request_id=request_id, status=status, details=detail,
                         outcome_kind=outcome_kind)
        self.error_type = error_type

    @property
    def detail(self):  # MWS's <Detail> element, as a dict of its children
        return self.details



# Codes from the Amazon MWS Developer Guide (Errors) and the Feeds API reference (Feeds API error codes).
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


def shown(value, limit=60):
    """A value as an error message quotes it: its repr, cut short, so a 10 MB input is not echoed back."""
    if type(value) is int and value.bit_length() > 128:    # repr of a 5,000-digit integer raises
        return f"a {value.bit_length():,}-bit integer"
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


# A signed query's Signature and MWSAuthToken pairs (SubmitFeed sends its parameters in the URL), and a
# presigned S3 URL's X-Amz-Signature and X-Amz-Security-Token (the feed documents' URLs: whoever has them
# may upload or download the document until they expire).
_SIGNED_PAIR = re.compile(
    r"(?<=[?&])(?:Signature|MWSAuthToken|X-Amz-Signature|X-Amz-Security-Token)=[^&\s\"'()]*&?")
_DANGLING_AMPERSAND = re.compile(r"&(?=[\s\"'()]|$)")


def redact_query(text):
    """`text` with the Signature and MWSAuthToken parameters (and a presigned URL's X-Amz-Signature and
    X-Amz-Security-Token) taken out of any query string in it."""
    return _DANGLING_AMPERSAND.sub("", _SIGNED_PAIR.sub("", str(text)))


def scrub(text, secrets):
    """`text` with every secret replaced: MWS may echo the string to sign (and so the auth token)."""
    text = str(text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text
