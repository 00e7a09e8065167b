"""The MWS face: from an HTTP request to an MWS answer (parameters, routing, authentication, quotas).

Everything MWS-specific between the HTTP plumbing (server.py) and a section's
handlers happens here, once, for every section: the Orders section
(orders.section) and the Feeds section (feeds.section) each register a
`SectionRoute`, the Action's handlers built with just the services they use.
The face reads its sections, versions, namespaces, operations and quotas
from the sandbox's own table (tables.py), never from the component's.
"""

import logging
import uuid
from dataclasses import dataclass, field

from . import xmlresponses
from .apierror import ApiError, invalid
from .auth import authenticate
from .clock import format_ms
from .faults import DROP, ERROR500, THROTTLE
from .params import Params, decode_pairs, merge_params
from .router import UNREADABLE_BODY, HttpAnswer
from .tables import MARKETPLACE_BY_ID, OPERATIONS, ROOT_NAMESPACE, Section

log = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "x-www-form-urlencoded")

# Answers given instead of handling the request: (error code, message).
REFUSALS = {
    THROTTLE: ("RequestThrottled", "Request is throttled"),
    ERROR500: ("InternalError", "We encountered an internal error. Please try again."),
    DROP: ("InternalError", "The connection was dropped"),  # never sent; it names the log entry
    UNREADABLE_BODY: ("InputStreamDisconnected", "The request body could not be read completely"),
}


@dataclass(frozen=True)
class SectionRoute:
    section: Section
    actions: dict = field(default_factory=dict)  # Action name -> handler(call) -> Answer
    # The older official Feeds client posts to "/" (Amazon's PHP Feeds client); Amazon then routed by Action.
    accepts_root_path: bool = False


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
    operation: object  # tables.Operation
    params: Params
    account: object  # auth.Account
    request_id: str
    now_ms: int
    http: object  # router.HttpRequest

    def respond(self, fill):
        """The standard `{Action}Response` envelope; `fill(builder, result_element)` writes the result."""
        return Answer(xmlresponses.success(self.operation.section.namespace, self.action, self.request_id, fill))

    def list(self, name, *, required=False, allowed=None):
        """A list parameter spelt as the operation's table row says (`Name.Member.N`), within its cap."""
        return self.params.list(name, self.operation.lists[name], required=required, allowed=allowed,
                                max_items=self.operation.max_list_items.get(name))

    def marketplace_ids(self, name="MarketplaceId", required=True):
        """Marketplace ids, each one Amazon knows and the seller is registered in."""
        ids = self.list(name, required=required)
        for marketplace_id in ids:
            if marketplace_id not in MARKETPLACE_BY_ID:
                raise invalid(f"Invalid MarketplaceId [{marketplace_id}]: no such marketplace")
            if marketplace_id not in self.account.marketplace_ids:
                raise invalid(f"Invalid MarketplaceId [{marketplace_id}]: the seller is not registered in it")
        return ids


class MwsFace:
    """The sandbox's MWS face (see router.py for what a face is).

    `catch_up(now_ms)` brings whatever happens on server time (feed
    processing) up to now before a handler reads; `max_body_bytes` is the
    largest body accepted (the server reads and drops larger ones).
    """

    name = "MWS"

    def __init__(self, routes, accounts, quotas, clock, *, catch_up, max_body_bytes):
        self._by_path = {route.section.path: route for route in routes}
        self._routes = tuple(routes)
        self.accounts = accounts  # {access key: Account}
        self.quotas = quotas
        self.clock = clock
        self.catch_up = catch_up
        self.max_body_bytes = max_body_bytes

    # -- the face contract ---------------------------------------------------------------
    def serves(self, path):
        normalized = path.rstrip("/") or "/"
        return normalized == "/" or normalized in self._by_path

    def entry_points(self):
        return {route.section.name: route.section.path for route in self._routes}

    def handle(self, http):
        request_id = str(uuid.uuid4())
        answer = HttpAnswer(500, b"", request_id=request_id)
        route = self.resolve(http.path)
        quota_headers = {}
        try:
            params = self._read_params(http)
            answer.params = {k: v for k, v in params.items() if k != "Signature"}
            answer.action = params.get("Action")
            route = self.resolve(http.path, answer.action)
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
            if handler is None or operation is None or operation.section != route.section:
                raise invalid(f"Invalid Action [{answer.action}] for section {route.section.name}")
            quota_headers = self.quotas.charge(account.seller_id, operation.quota)
            if http.body_too_large:
                raise invalid(f"The request body is larger than the {self.max_body_bytes} bytes allowed")
            self.catch_up(now_ms)
            result = handler(Call(answer.action, operation, Params(params), account, request_id, now_ms, http))
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

    def refusal(self, http, reason):
        """Just an MWS error in the section's namespace, nothing else done (injected faults, unreadable input)."""
        answer = HttpAnswer(500, b"", request_id=str(uuid.uuid4()))
        try:
            params = self._read_params(http)
            answer.params = {k: v for k, v in params.items() if k != "Signature"}
            answer.action = params.get("Action")
        except ApiError:
            pass
        return self._error(answer, self.resolve(http.path, answer.action), ApiError(*REFUSALS[reason]), {})

    # -- helpers -------------------------------------------------------------------------
    def resolve(self, path, action=None):
        """The SectionRoute for a request path (and, for "/", its Action), or None."""
        normalized = path.rstrip("/") or "/"
        if normalized != "/":
            return self._by_path.get(normalized)
        for route in self._routes:
            if route.accepts_root_path and action in route.actions:
                return route
        return None

    @staticmethod
    def _read_params(http):
        pairs = [decode_pairs(http.query)]
        if ("Action", "SubmitFeed") in pairs[0]:
            # SubmitFeed's body is the feed (FeedContent), whatever its Content-Type claims (Feeds_SubmitFeed).
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
            # Amazon's 404 for an unknown path: root namespace, "RequestID" (as recorded in ScaleLeap's MWS SDK).
            namespace, id_tag = ROOT_NAMESPACE, "RequestID"
        else:
            namespace = route.section.namespace
            # Real throttling bodies spell it RequestID (one is quoted in python-amazon-mws), other errors RequestId.
            id_tag = "RequestID" if error.status == 503 else "RequestId"
        answer.status = error.status
        answer.error_code = error.code
        answer.body = xmlresponses.error(namespace, error.error_type, error.code, error.message,
                                         answer.request_id, id_tag)
        answer.headers = {**self._common_headers(answer.request_id), "Content-Type": "text/xml", **extra_headers}
        return answer
