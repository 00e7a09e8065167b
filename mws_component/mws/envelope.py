"""The MWS envelope: every kind of answer an MWS endpoint gives, parsed in one place.

- `<{Operation}Response>` with its `<{Operation}Result>`: a `Result`;
- `<ErrorResponse>` (with any status, also inside a 200, as seen behind proxies), with its
  Type, Code, Message, Detail and RequestID: the generated `MwsError` subclass of its code;
- any other body with an error status (an HTML 503 from a load balancer, an empty 504):
  ServiceUnavailable or HttpError with a short text of the body;
- a 200 that is not the operation's answer: ResponseError;
- a body streamed to a file (a feed's processing report): the answer itself, for the caller to read.

Each MwsError classifies itself for the retry decision (`outcome_kind`), from the Amazon MWS
Developer Guide, Errors: throttling codes wait for the quota, RequestExpired is signed again
with the server's clock, InternalError and the gateway statuses are retried with backoff.
"""

import re
from dataclasses import dataclass

from .. import errors, xmlsafe
from ..errors import ResponseError, scrub
from ..mapper import compile_schema, map_element
from ..schemas import load as load_schema
from .operations import operation

THROTTLE_CODES = frozenset({"RequestThrottled", "QuotaExceeded"})
# Worth sending again: the request was fine, the service was busy or broken for a moment.
SERVER_ERROR_CODES = frozenset({"InternalError", "RetriableInternalError", "ServiceUnavailable"})
RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})


@dataclass
class Result:
    operation: str
    root: object  # the whole answer's root element
    result: object  # the <OperationResult> element
    request_id: str | None
    headers: dict


class MwsEnvelope:
    """The pipeline's parsing stage for MWS; error texts have `secrets` taken out (MWS may echo
    the string to sign, and so the auth token)."""

    def __init__(self, secrets=()):
        self.secrets = tuple(secrets)

    def parse(self, request, answer):
        return parse(request.operation.name, answer, self.secrets)


def parse(operation_name, answer, secrets=()):
    if answer.body is None and answer.file is not None:
        return answer  # streamed: a report, whose reader checks it
    if answer.status != 200 or _looks_like_error(answer.body):
        raise parse_error(answer.status, answer.body, answer.headers, secrets)
    root = xmlsafe.parse(answer.body, what=f"{operation_name} answer")
    name = xmlsafe.local_name(root)
    if name == "ErrorResponse":
        raise parse_error(answer.status, answer.body, answer.headers, secrets)
    if name != f"{operation_name}Response":
        raise ResponseError(f"{operation_name}: expected {operation_name}Response, got <{name}>")
    element = operation(operation_name).result_element
    result = xmlsafe.find(root, element)
    if result is None:
        raise ResponseError(f"{operation_name}: answer has no {element} element")
    metadata = xmlsafe.find(root, "ResponseMetadata")
    request_id = xmlsafe.find_text(metadata, "RequestId") if metadata is not None else None
    return Result(operation_name, root, result, request_id or answer.headers.get("x-mws-request-id"), answer.headers)


def _looks_like_error(body):
    # A 200 whose body is an ErrorResponse is still an error (seen behind proxies).
    return body is not None and b"ErrorResponse" in body[:512]


def outcome_kind(code, status):
    if code == "RequestExpired":
        return "clock_skew"
    if code in THROTTLE_CODES:
        return "throttled"
    if code in SERVER_ERROR_CODES or (status in RETRYABLE_STATUSES and code == "HttpError"):
        return "server_error"
    return "final"


def parse_error(status, body, headers, secrets=()):
    """An MwsError subclass instance for an error answer, XML or not."""
    request_id = headers.get("x-mws-request-id")
    try:
        root = xmlsafe.parse(body, what="error answer")
    except ResponseError:
        root = None
    if root is not None and xmlsafe.local_name(root) == "ErrorResponse":
        error = xmlsafe.find(root, "Error")
        code = xmlsafe.find_text(error, "Code") or "HttpError"
        message = xmlsafe.find_text(error, "Message") or f"HTTP {status}"
        error_type = (xmlsafe.find_text(error, "Type") or "").strip() or None
        detail_el = xmlsafe.find(error, "Detail") if error is not None else None
        detail = None
        if detail_el is not None and len(detail_el):
            detail = {xmlsafe.local_name(c): (c.text or "").strip() for c in xmlsafe.children(detail_el)}
        request_id = (xmlsafe.find_text(root, "RequestID") or xmlsafe.find_text(root, "RequestId")
                      or request_id)
        cls = errors.error_class(code)
        return cls(scrub(message, secrets), code=code, request_id=request_id, status=status, error_type=error_type,
                   detail=detail, outcome_kind=outcome_kind(code, status))
    text = body.decode("utf-8", "replace") if body else ""
    snippet = " ".join(_strip_tags(text).split())[:200]
    code = "ServiceUnavailable" if status == 503 else "HttpError"
    message = f"HTTP {status} with a non-MWS body" + (f": {snippet}" if snippet else " (empty)")
    if status == 200:
        message = f"HTTP 200 with an answer that is not MWS XML: {snippet or '(empty)'}"
    return errors.error_class(code)(scrub(message, secrets), code=code, request_id=request_id, status=status,
                                    outcome_kind=outcome_kind(code, status))


def error_code(answer):
    """The error code of an error answer (the quota model tells RequestThrottled from QuotaExceeded)."""
    return parse_error(answer.status, answer.body, answer.headers).code


def _strip_tags(text):
    return re.sub(r"<[^>]*>", " ", text)


def out_of(result, problems=None):
    """What a Result holds, mapped by its operation's row (`out`): a list of the row's elements,
    or the result element itself as one dict when the row names no element."""
    out = operation(result.operation).out
    if out is None:
        raise ValueError(f"{result.operation} has no out-schema on its row")
    shape = compile_schema(load_schema(out.schema))  # both cached
    if out.element is None:
        return map_element(result.result, shape, problems)
    holder = xmlsafe.find(result.result, out.wrapper) if out.wrapper else result.result
    if holder is None:
        return []
    return [map_element(el, shape, problems) for el in holder
            if isinstance(el.tag, str) and xmlsafe.local_name(el) == out.element]
