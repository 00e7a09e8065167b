"""The one exception sandbox code raises to answer with an MWS ErrorResponse."""

# Amazon's HTTP status for each error code (Amazon MWS Developer Guide, Errors).
STATUS_BY_CODE = {
    "InputStreamDisconnected": 400,
    "InvalidParameterValue": 400,
    "MalformedInput": 400,
    "RequestExpired": 400,
    "AccessDenied": 401,
    "InvalidAccessKeyId": 403,
    "SignatureDoesNotMatch": 403,
    "InvalidAddress": 404,
    "InternalError": 500,
    "QuotaExceeded": 503,
    "RequestThrottled": 503,
}


class ApiError(Exception):
    """An error MWS would answer with; `headers` are extra response headers (e.g. quota headers)."""

    def __init__(self, code, message, *, status=None, headers=None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status or STATUS_BY_CODE.get(code, 400)
        self.headers = dict(headers or {})

    @property
    def error_type(self):
        # Amazon marks client mistakes "Sender" and its own failures "Receiver".
        return "Receiver" if self.status >= 500 and self.code == "InternalError" else "Sender"


def invalid(message):
    return ApiError("InvalidParameterValue", message)
