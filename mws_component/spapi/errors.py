"""The errors SP-API and Login with Amazon answer with.

SP-API error bodies are `{"errors": [{"code", "message", "details"?}]}` with
the request id in `x-amzn-RequestId` (SP-API: Error handling). Each error
classifies itself for the retry stage (`outcome_kind`), so the pipeline needs
no `if api == ...`.
"""

import re
from urllib.parse import quote, quote_plus

from ..errors import ConnectorError, CredentialsRefused, scrub  # noqa: F401  (raised by verify)

from ..errors import ApiError as _ApiErrorBase

# A 403 whose message or details says the LWA access token ran out: refresh it once and retry.
# ("The access token you provided has expired."; during a 2023 incident also
# "The security token included in the request is expired".)
_EXPIRED = re.compile(r"(access|security) token.*\bexpired\b", re.IGNORECASE | re.DOTALL)

def scrubbed(text, secrets):
    """`text` with every secret replaced, also in its percent-encoded forms (a server may echo the form it got)."""
    forms = []
    for secret in secrets:
        if secret:
            forms += [secret, quote(secret, safe=""), quote_plus(secret), quote(secret)]
    return scrub(text, sorted(set(forms), key=len, reverse=True))


THROTTLED_STATUSES = frozenset({429})
SERVER_ERROR_STATUSES = frozenset({500, 502, 503, 504})


def outcome_kind_of(status, code=None, message=None, details=None):
    """The retry stage's kind for an error answer: throttled, server_error, auth_expired or final."""
    if status in THROTTLED_STATUSES:
        return "throttled"
    if status in SERVER_ERROR_STATUSES:
        return "server_error"
    if status == 403 and _EXPIRED.search(f"{message or ''} {details or ''}"):
        return "auth_expired"
    return "final"


class SpApiError(_ApiErrorBase):
    """An error SP-API answered: its first error's code, message and details, the HTTP status and request id.

    `errors` holds every `{code, message, details}` of the body (already scrubbed of secrets).
    """

    def __init__(self, message, *, code="HttpError", details=None, status=None, request_id=None,
                 operation=None, errors=None, outcome_kind=None):
        Exception.__init__(self, message)
        self.message = message
        self.code = code
        self.details = details or None
        self.status = status
        self.request_id = request_id
        self.operation = operation
        self.errors = list(errors or ())
        self.outcome_kind = outcome_kind or outcome_kind_of(status, code, message, details)

    def __str__(self):
        extra = ", ".join(p for p in (
            f"HTTP {self.status}" if self.status else "",
            f"request id {self.request_id}" if self.request_id else "") if p)
        text = f"{self.code}: {self.message}"
        if self.details:
            text += f" ({self.details})"
        if self.operation:
            text = f"{self.operation}: {text}"
        return text + (f" [{extra}]" if extra else "")


class LwaError(SpApiError):
    """Login with Amazon refused the token grant (or did not answer like LWA).

    `fields` names the credentials fields that are wrong (lwaClientId,
    lwaClientSecret, refreshToken, lwaEndpoint), `part` says it in words.
    """

    def __init__(self, message, *, code, part, fields, status=None, request_id=None, outcome_kind="final"):
        super().__init__(message, code=code, status=status, request_id=request_id, operation="LWA token grant",
                         outcome_kind=outcome_kind)
        self.part = part
        self.fields = tuple(fields)
        self.field = self.fields[0] if self.fields else None


