"""The sandbox's SP-API face: Login with Amazon and the Orders API 2026-01-01, beside MWS on one port.

The HTTP handler asks `handles(path)` first and hands such requests to `serve(http) -> SpApiAnswer`.
`serve` does everything SP-API-specific: faults (drawn from the sandbox's fault injector, as for MWS),
the region, the access token, the usage plan, the operation, the answer's headers and the request log
entry. The HTTP handler only writes the answer, or cuts it short or drops the connection when
`answer.fault` says so.

Regions: the sandbox serves NA, EU and FE on one port. A request's region is its path prefix
(`/eu/orders/2026-01-01/orders`; `/na` and `/fe` likewise), else its Host when that names one
(`sellingpartnerapi-eu.amazon.com`, the sandbox.* hosts too), else the face's default region.
"""

import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from ..faults import DROP, ERROR500, THROTTLE, TRUNCATE, FaultInjector
from ..requestlog import RequestRecord
from ..router import HttpAnswer
from . import errors
from .errors import SpApiError
from .limits import UsageBuckets
from .lwa import AccessTokens, GrantError, LwaApp, read_form, redacted
from .answers import Answered
from .catalogue_faces import build_catalogue_faces
from .documents import S3_ROOT
from .product_type_definitions import stored_object
from .registry import OPERATIONS, ROOTS, USAGE_PLANS
from .pagetokens import PageTokens
from .tables import ACCESS_TOKEN_LIFETIME, MARKETPLACES, REGION_MARKETPLACE, REGION_PREFIXES, REGIONS

log = logging.getLogger(__name__)

TOKEN_PATH = "/auth/o2/token"
TOKEN_ACTION = "LwaToken"  # the request log's name for token requests (LWA has no operation ids)
# First path segments that are SP-API's (MWS paths are capitalised: /Orders/2013-09-01).
SPAPI_ROOTS = ROOTS + (S3_ROOT,)  # S3_ROOT: the feed documents' and schemas' S3-like URLs
JSON = "application/json"


@dataclass
class SpApiAnswer:
    status: int
    body: bytes
    headers: dict = field(default_factory=dict)
    fault: str | None = None  # DROP: close unanswered; TRUNCATE: cut the body short


@dataclass
class SpApiCall:
    """What an operation handler sees."""

    operation: object
    query: dict
    path_params: dict
    region: str
    now_ms: int
    store: object
    page_tokens: PageTokens
    http: object = None
    face: object = None


class SpApiFace:
    def __init__(self, *, store, clock, requests, faults=None, catch_up=None, seller_id="A1SANDBOXSELLER",
                 marketplace_id="ATVPDKIKX0DER", region=None, app=None, quotas=True, time_scale=1.0,
                 token_lifetime=ACCESS_TOKEN_LIFETIME, catalogue=None, feed_processing_seconds=30.0, seed=1):
        region = region or MARKETPLACES[marketplace_id].region
        if region not in REGIONS:
            raise ValueError(f"spapi_region must be one of {REGIONS}")
        self.store = store
        self.clock = clock
        self.requests = requests
        self.faults = faults or FaultInjector()
        self.catch_up = catch_up or (lambda: None)
        self.seller_id = seller_id
        self.marketplace_id = marketplace_id
        self.region = region
        self.app = app or LwaApp()
        self.limits = UsageBuckets(clock, time_scale=time_scale, enabled=quotas)
        self.tokens = AccessTokens(clock, self.app, seller_id, lifetime=token_lifetime, time_scale=time_scale)
        self.page_tokens = PageTokens()
        self.documents, self.listings, self.feeds = build_catalogue_faces(
            clock=clock, store=store, catalogue=catalogue, seller_id=seller_id,
            processing_seconds=feed_processing_seconds, seed=seed)

    # -- what the sandbox tells clients -----------------------------------------------------
    def endpoint(self, base_url, region=None):
        """The `endpoint` for a region: the sandbox's URL, with a region prefix unless it is the default."""
        region = region or self.region
        return base_url if region == self.region else f"{base_url}/{region.lower()}"

    def credentials(self, base_url, region=None):
        """The component's SP-API cfg fields for this sandbox (and a region; default: the face's)."""
        region = region or self.region
        marketplace_id = self.marketplace_id if MARKETPLACES[self.marketplace_id].region == region \
            else REGION_MARKETPLACE[region]
        return {"api": "spapi", "lwaClientId": self.app.client_id, "lwaClientSecret": self.app.client_secret,
                "refreshToken": self.app.refresh_token, "sellerId": self.seller_id,
                "marketplaceId": marketplace_id, "endpoint": self.endpoint(base_url, region),
                "lwaEndpoint": base_url + TOKEN_PATH}

    # -- HTTP --------------------------------------------------------------------------------
    @staticmethod
    def _split_region(path):
        first, _, rest = path.lstrip("/").partition("/")
        if first in REGION_PREFIXES:
            return REGION_PREFIXES[first], "/" + rest
        return None, path

    # -- the face contract (mws_sandbox/router.py) ----------------------------------------------
    name = "SP-API"
    answers_in_full = True  # serve() draws its faults and logs the request itself

    def serves(self, path):
        return self.handles(path)

    def entry_points(self):
        return {"SP-API Login with Amazon": TOKEN_PATH, "SP-API Orders": "/orders/2026-01-01/orders"}

    def refusal(self, http, reason):
        """An answer without handling the request (the server could not read its body)."""
        body = json.dumps({"errors": [{"code": "InvalidInput", "message": "The request body could not be read",
                                       "details": ""}]}).encode()
        request_id = str(uuid.uuid4())
        return HttpAnswer(400, body, {"Content-Type": JSON, "x-amzn-RequestId": request_id},
                          error_code="InvalidInput", request_id=request_id)

    def handles(self, path):
        _, path = self._split_region(path)
        return path == TOKEN_PATH or path.lstrip("/").split("/", 1)[0] in SPAPI_ROOTS

    def serve(self, http):
        request_id = str(uuid.uuid4())
        fault = self.faults.draw()
        if fault.delay:
            time.sleep(fault.delay)
        prefix_region, path = self._split_region(http.path)
        if path.startswith(f"/{S3_ROOT}/"):  # not SP-API: S3-like URLs with their own errors and log entries
            return self.documents.serve(http, fault=fault, requests=self.requests, definitions=stored_object)
        if path == TOKEN_PATH:
            action, params, answer, error_code = self._token(http, fault.kind)
        else:
            action, params, answer, error_code = self._operation(http, path, prefix_region, fault.kind)
        answer.headers = {"Content-Type": JSON, "x-amzn-RequestId": request_id, **answer.headers}
        if fault.kind in (DROP, TRUNCATE):
            answer.fault = fault.kind
        # Recorded before answering: a client that has its answer must find the request in the log.
        self.requests.add(RequestRecord(
            action=action, params=params, status=None if fault.kind == DROP else answer.status, method=http.method,
            path=http.path, fault=fault.kind, error_code=None if fault.kind == DROP else error_code,
            request_id=request_id))
        return answer

    # -- the LWA token endpoint -----------------------------------------------------------------
    def _token(self, http, fault):
        fields = {}
        try:
            fields = read_form(http.content_type, http.body)
            if fault == THROTTLE:  # LWA's throttling answer is not documented; RFC 6749 has no code for it
                raise GrantError(429, "slow_down", "The request was throttled")
            if fault in (ERROR500, DROP):
                raise GrantError(500, "server_error", "We encountered an internal error. Please try again.")
            if http.method != "POST":
                raise GrantError(400, "invalid_request", "The token endpoint accepts POST only")
            body, status, code = self.tokens.grant(fields), 200, None
        except GrantError as error:
            body, status, code = error.body(), error.status, error.error
        return TOKEN_ACTION, redacted(fields), SpApiAnswer(status, _json(body)), code

    # -- SP-API operations ----------------------------------------------------------------------
    def _operation(self, http, path, prefix_region, fault):
        pairs = parse_qsl(http.query, keep_blank_values=True)
        params = dict(pairs)
        operation, path_params = None, {}
        for candidate in OPERATIONS:
            found = candidate.match(path)
            if found is not None and candidate.method == http.method:
                operation, path_params = candidate, found
                break
        action = operation.operation_id if operation else None
        plan_header = {}
        try:
            if fault == THROTTLE:
                raise errors.quota_exceeded()
            if fault in (ERROR500, DROP):
                raise errors.internal_failure()
            if operation is None:
                raise errors.no_such_resource()
            problem = self.tokens.check(http.headers.get("x-amz-access-token"))
            if problem is not None:
                raise errors.unauthorized(problem)
            plan = USAGE_PLANS[operation.operation_id]
            if not self.limits.take(self.seller_id, operation.operation_id, plan):
                raise errors.quota_exceeded()
            # The models put x-amzn-RateLimit-Limit on 2xx, 400 and 404 answers only.
            plan_header = {"x-amzn-RateLimit-Limit": plan.header}
            names = [name for name, _ in pairs]
            for name in operation.parameters:
                if names.count(name) > 1:
                    raise errors.invalid_input(f"{name} is given {names.count(name)} times; give an array's "
                                               f"values once, separated by commas")
            self.catch_up()  # feeds due by now have changed the orders before anything reads them
            self.feeds.catch_up(self.clock.now_ms())
            call = SpApiCall(operation, params, path_params, prefix_region or self._host_region(http.host),
                             self.clock.now_ms(), self.store, self.page_tokens, http, self)
            result, code = operation.handler(call), None
            status, body = (result.status, result.body) if isinstance(result, Answered) else (200, result)
            headers = plan_header
        except SpApiError as error:
            status, body, code = error.status, error.body(), error.code
            headers = {**(plan_header if status in (400, 404) else {}), **error.headers}
        except Exception:  # a sandbox bug must still look like an SP-API answer
            log.exception("SP-API handler failed")
            error = errors.internal_failure()
            status, body, code, headers = error.status, error.body(), error.code, {}
        return action, params, SpApiAnswer(status, b"" if body is None else _json(body), headers), code

    def _host_region(self, host):
        name = (host or "").split(":")[0].lower()
        for prefix, region in REGION_PREFIXES.items():
            if name.endswith(f"sellingpartnerapi-{prefix}.amazon.com"):
                return region
        return self.region


def _json(body):
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
