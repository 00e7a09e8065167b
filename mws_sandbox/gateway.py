"""From an HTTP request to an MWS answer: parameters, routing, authentication, quotas, handler.

The HTTP plumbing (server.py) hands over an `HttpRequest` and writes back the
`HttpAnswer`; everything MWS-specific between the two happens here, once,
for every section.
"""

import logging
import uuid
from dataclasses import dataclass, field

from mws_component.operations import OPERATIONS

from . import xmlresponses
from .apierror import ApiError, invalid
from .auth import authenticate
from .clock import format_ms
from .params import Params, decode_pairs, merge_params

log = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "x-www-form-urlencoded")


@dataclass
class HttpRequest:
    method: str
    path: str  # as requested, without the query string
    query: str
    host: str
    content_type: str = ""
    body: bytes = b""
    headers: dict = field(default_factory=dict)  # names in lower case
    body_too_large: bool = False  # the body exceeded the sandbox's limit and was not kept


@dataclass
class HttpAnswer:
    status: int
    body: bytes
    headers: dict = field(default_factory=dict)
    # For the request log:
    action: str | None = None
    params: dict = field(default_factory=dict)
    error_code: str | None = None
    request_id: str = ""


@dataclass
class Answer:
    """What a section handler returns: an XML body by default, or any body with its own headers."""

    body: bytes
    content_type: str = "text/xml"
    headers: dict = field(default_factory=dict)


@dataclass
class Call:
    """One authenticated, quota-charged call of an operation, as handlers see it."""

    action: str
    operation: object  # mws_component.operations.Operation
    params: Params
    account: object  # auth.Account
    request_id: str
    now_ms: int
    sandbox: object  # the Sandbox: store, clock, tokens, settings
    http: HttpRequest

    def respond(self, fill):
        """The standard `{Action}Response` envelope; `fill(builder, result_element)` writes the result."""
        return Answer(xmlresponses.success(self.operation.section.namespace, self.action, self.request_id, fill))


class Gateway:
    def __init__(self, router, accounts, quotas, clock, sandbox):
        self.router = router
        self.accounts = accounts  # {access key: Account}
        self.quotas = quotas
        self.clock = clock
        self.sandbox = sandbox

    def handle(self, http):
        request_id = str(uuid.uuid4())
        answer = HttpAnswer(500, b"", request_id=request_id)
        route = self.router.resolve(http.path)
        quota_headers = {}
        try:
            params = self._read_params(http)
            answer.params = {k: v for k, v in params.items() if k != "Signature"}
            answer.action = params.get("Action")
            route = self.router.resolve(http.path, answer.action)
            if route is None:
                raise ApiError("InvalidAddress", f"Resource {http.path} is not found on this server.")
            now_ms = self.clock.now_ms()
            account = authenticate(params, method=http.method, host=http.host, path=http.path,
                                   accounts=self.accounts, now_ms=now_ms, section_name=route.section.name)
            if params["Version"] != route.section.version:
                raise invalid(f"Invalid Version [{params['Version']}] for {route.section.path}; "
                              f"expected {route.section.version}")
            handler = route.actions.get(answer.action)
            operation = OPERATIONS.get(answer.action)
            if handler is None or operation is None:
                raise invalid(f"Invalid Action [{answer.action}] for section {route.section.name}")
            quota_headers = self.quotas.charge(account.seller_id, operation.quota)
            if http.body_too_large:
                raise invalid(f"The request body is larger than the {self.sandbox.max_feed_bytes} bytes allowed")
            # Whatever happens on server time (feed processing) is brought up to now before a handler reads.
            self.sandbox.process_feeds()
            call = Call(answer.action, operation, Params(params), account, request_id, now_ms, self.sandbox, http)
            result = handler(call)
        except ApiError as error:
            return self._error(answer, route, error, {**quota_headers, **error.headers})
        except Exception:  # a sandbox bug must still look like an MWS answer
            log.exception("sandbox handler failed (request %s)", request_id)
            return self._error(answer, route, ApiError("InternalError", "We encountered an internal error. "
                                                                        "Please try again."), quota_headers)
        answer.status = 200
        answer.body = result.body
        answer.headers = {**self._common_headers(request_id), "Content-Type": result.content_type,
                          **quota_headers, **result.headers}
        return answer

    def error_answer(self, http, code, message):
        """Just an MWS error in the section's namespace, nothing else done (injected faults, unreadable input)."""
        answer = HttpAnswer(500, b"", request_id=str(uuid.uuid4()))
        try:
            params = self._read_params(http)
            answer.params = {k: v for k, v in params.items() if k != "Signature"}
            answer.action = params.get("Action")
        except ApiError:
            pass
        return self._error(answer, self.router.resolve(http.path, answer.action), ApiError(code, message), {})

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def _read_params(http):
        pairs = [decode_pairs(http.query)]
        if ("Action", "SubmitFeed") in pairs[0]:
            # SubmitFeed's body is the feed (FeedContent), whatever its Content-Type claims (MWS_API.md §3.2, §10).
            return merge_params(*pairs)
        media_type = http.content_type.split(";")[0].strip().lower()
        if http.method == "POST" and media_type in FORM_TYPES:
            try:
                pairs.append(decode_pairs(http.body.decode("ascii")))
            except UnicodeDecodeError:
                raise ApiError("MalformedInput", "A form body must be percent-encoded ASCII") from None
        return merge_params(*pairs)

    def _common_headers(self, request_id):
        return {"x-mws-request-id": request_id,
                "x-mws-timestamp": format_ms(self.clock.now_ms()),
                "x-mws-response-context": f"sandbox/{request_id[:8]}"}

    def _error(self, answer, route, error, extra_headers):
        if route is None:
            # Amazon's 404 for an unknown path: root namespace, "RequestID" (MWS_API.md §6.3).
            namespace, id_tag = xmlresponses.ROOT_NAMESPACE, "RequestID"
        else:
            namespace = route.section.namespace
            # Real throttling bodies spell it RequestID; other errors RequestId (MWS_API.md §6.2).
            id_tag = "RequestID" if error.status == 503 else "RequestId"
        answer.status = error.status
        answer.error_code = error.code
        answer.body = xmlresponses.error(namespace, error.error_type, error.code, error.message,
                                         answer.request_id, id_tag)
        answer.headers = {**self._common_headers(answer.request_id), "Content-Type": "text/xml", **extra_headers}
        return answer
