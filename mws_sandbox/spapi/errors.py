"""SP-API error answers: `{"errors": [{"code", "message", "details"}]}` with Amazon's statuses and texts.

Texts: the Orders API 2026-01-01 model (ErrorList, the sandbox case InvalidInput), "Usage Plans and Rate
Limits" (429 QuotaExceeded), and what SP-API answers for access tokens (403 Unauthorized with the cause in
`details`, as community clients match it).
"""

DENIED = "Access to requested resource is denied."
TOKEN_MISSING = "Access token is missing in the request header."
TOKEN_EXPIRED = "The access token you provided has expired."
TOKEN_INVALID = "The access token you provided is revoked, malformed or invalid."
WRONG_REGION = "The marketplaces you provided are not valid for region."


class SpApiError(Exception):
    def __init__(self, status, code, message, details=None, headers=None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = dict(headers or {})

    def body(self):
        error = {"code": self.code, "message": self.message}
        if self.details is not None:
            error["details"] = self.details
        return {"errors": [error]}


def invalid_input(details):
    """400 as the model's sandbox case answers it, with the reason (naming the parameter) in `details`."""
    return SpApiError(400, "InvalidInput", "Invalid Input", details)


def unauthorized(details):
    return SpApiError(403, "Unauthorized", DENIED, details)


def quota_exceeded():
    return SpApiError(429, "QuotaExceeded", "You exceeded your quota for the requested resource.", "",
                      headers={"x-amzn-ErrorType": "TooManyRequestsException"})


def internal_failure():
    return SpApiError(500, "InternalFailure", "We encountered an internal error. Please try again.")


def not_found(message, details=""):
    return SpApiError(404, "NotFound", message, details)


def no_such_resource():
    return SpApiError(404, "ResourceNotFound", "Cannot find resource by the given URI")
