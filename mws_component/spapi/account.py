"""SpApiAccount: the seller-account seam (SellerAccount) for SP-API.

Orders come from the Orders API 2026-01-01: searchOrders for the trigger's
windows (lastUpdatedAfter/lastUpdatedBefore; every other parameter repeated
with the paginationToken, as the model requires), getOrder for one order with
its items; the feeds side is spapi/feeds.py (Feeds API 2021-06-30). Each call
runs through the shared pipeline (quota, LWA token, exchange, JSON envelope, retry).
"""

import base64
import json
from datetime import timedelta, timezone

from dateutil.parser import isoparse

from ..errors import ConfigurationError, ResponseError, TransportError
from .credentials import REGIONS
from .errors import CredentialsRefused, LwaError, SpApiError
from . import feeds
from .operations import operation
from .orders import ITEM_INCLUDED_DATA, ORDER_INCLUDED_DATA, fulfillment_statuses, order_items_of, order_of

from ..account import OrdersPage
from ..endpoint import ENDPOINTS
from ..pipeline import Pipeline, Request
from ..retry import RetryPolicy
from .envelope import JsonEnvelope
from .lwa import TOKEN_CACHE, LwaAuthoriser
from .quota import SpApiQuotaModel

_RESUME_PREFIX = "sp1."  # our resume tokens: Amazon's paginationToken plus the window bounds it was issued for
VERIFY_LOOKBACK = timedelta(days=1)


def timestamp(when):
    """ISO 8601 in UTC with a Z, to the second (the form Amazon's examples use)."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class SpApiAccount:
    api = "spapi"

    def __init__(self, credentials, pipeline, *, authoriser=None, request_class=None, endpoints=None, time_scale=1.0):
        self.credentials = credentials
        self.pipeline = pipeline
        self.endpoints = endpoints  # where the feed documents' presigned URLs find their Endpoint
        self.time_scale = time_scale
        self.authoriser = authoriser or getattr(pipeline, "authoriser", None)
        self.marketplace_id = credentials.marketplace_id
        self.seller_id = credentials.seller_id
        self._request_class = request_class

    @property
    def max_marketplaces(self):
        """How many marketplace ids one searchOrders takes (its marketplaceIds array)."""
        return operation("searchOrders").arrays["marketplaceIds"]

    # -- time ------------------------------------------------------------------

    def server_now(self):
        return self.pipeline.endpoint.clock.now()

    @property
    def knows_server_time(self):
        return bool(self.pipeline.endpoint.clock.known)

    # -- requests -------------------------------------------------------------

    def request(self, operation_name, path=None, **params):
        """The Request for one operation (parameters checked against its row; nothing is sent)."""
        op = operation(operation_name)
        try:
            url = op.url(self.credentials.endpoint, **(path or {}))
            checked = op.check_params(params)
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
        cls = self._request_class or Request
        return cls(operation=op, method=op.method, url=url, params=checked,
                   headers={"accept": "application/json"}, body=None)

    def _run(self, operation_name, path=None, *, deadline=None, body=None, **params):
        self.request(operation_name, path, **params)  # bad parameters are refused before anything is sent
        data = None if body is None else json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

        def build():  # a fresh Request for every attempt
            request = self.request(operation_name, path, **params)
            if data is None:
                return request
            content_type = request.operation.content_type or "application/json"
            return request.but(body=data, headers={**request.headers, "content-type": content_type})
        return self.pipeline.run(build, deadline=deadline)

    def run(self, operation_name, path=None, *, deadline=None, **params):
        """One operation (a row of operations.py) through the pipeline: its parsed answer."""
        return self._run(operation_name, path, deadline=deadline, **params)

    def run_json(self, operation_name, body, path=None, *, deadline=None, **params):
        """One operation with a JSON body (createFeedDocument, createFeed, putListingsItem, ...)."""
        return self._run(operation_name, path, deadline=deadline, body=body, **params)

    def quota_delay(self, operation_name, path=None):
        """Seconds (on the pipeline's clock) until the operation's usage plan allows a call; nothing is taken."""
        model = self.pipeline.quota_model
        quota = model.quota_for(self.request(operation_name, path), self.pipeline.seller_key)
        return model.next_delay(quota)

    @property
    def retry(self):
        return self.pipeline.retry

    def timestamp_now(self):
        return timestamp(self.server_now())

    # -- orders ----------------------------------------------------------------

    def orders_updated(self, *, after, before, statuses, marketplace_ids, page_size, resume=None, deadline=None):
        """Pages of orders updated in [after, before] (before None: the server bounds the window).

        `resume` is a page's next_token: it carries the window bounds the token was issued for, so the
        continuation repeats them exactly (searchOrders refuses a token whose filters changed).
        """
        if not isinstance(page_size, int) or isinstance(page_size, bool) or not 1 <= page_size <= 100:
            raise ConfigurationError("maxResultsPerPage must be between 1 and 100", field="maxResultsPerPage")
        token, sent_after, sent_before = _read_resume(resume) if resume else (None, None, None)
        if sent_after is None:  # a new listing, or a bare token (not one of ours): the caller's window
            sent_after, sent_before = timestamp(after), timestamp(before) if before else None
        params = dict(lastUpdatedAfter=sent_after, lastUpdatedBefore=sent_before,
                      fulfillmentStatuses=fulfillment_statuses(statuses), marketplaceIds=list(marketplace_ids or ()),
                      maxResultsPerPage=page_size, includedData=list(ORDER_INCLUDED_DATA))
        yield from self._pages(params, token, deadline)

    def _pages(self, params, token, deadline):
        """The one paginator: follows pagination.nextToken, refusing a token the listing already had."""
        seen = {token} if token else set()
        while True:
            answer = self._run("searchOrders", deadline=deadline, paginationToken=token, **params)
            orders = answer.get("orders")
            if not isinstance(orders, list):
                raise ResponseError("searchOrders: the answer has no orders list")
            next_token = _text(answer.get("pagination", {}).get("nextToken")
                               if isinstance(answer.get("pagination"), dict) else None)
            if next_token is not None and next_token in seen:
                raise ResponseError("searchOrders: the server returned the same paginationToken twice; "
                                    "following it would loop")
            resume = _write_resume(next_token, params["lastUpdatedAfter"], params["lastUpdatedBefore"]) \
                if next_token else None
            yield OrdersPage([order_of(o) for o in orders if isinstance(o, dict)], resume,
                             _when(answer.get("lastUpdatedBefore")))
            if next_token is None:
                return
            seen.add(next_token)
            token = next_token

    def _order(self, amazon_order_id, included, deadline=None):
        answer = self._run("getOrder", {"orderId": amazon_order_id}, deadline=deadline, includedData=list(included))
        order = answer.get("order")
        if not isinstance(order, dict):
            raise ResponseError(f"getOrder: the answer for {amazon_order_id} has no order")
        return order

    def order_items(self, amazon_order_id):
        """Every item of the order: getOrder carries them all (no item pages in 2026-01-01)."""
        return order_items_of(self._order(amazon_order_id, ITEM_INCLUDED_DATA))

    def orders_by_id(self, ids):
        """(found orders, ids Amazon has no order for): one getOrder per id; 404 means not found."""
        found, not_found = [], []
        for amazon_order_id in dict.fromkeys(ids):
            try:
                found.append(order_of(self._order(amazon_order_id, ORDER_INCLUDED_DATA)))
            except SpApiError as exc:
                if exc.status != 404:
                    raise
                not_found.append(amazon_order_id)
        return found, not_found

    # -- verify ----------------------------------------------------------------

    def verify(self):
        """The token grant, then one cheap searchOrders; CredentialsRefused names the wrong part.

        A server throttle (429) counts as verified: the call was authenticated and counted. A local
        QuotaExhausted is raised as it is (nothing was asked of Amazon)."""
        c = self.credentials
        try:
            self.authoriser.access_token()
        except LwaError as exc:
            raise CredentialsRefused(f"{exc.part}: {exc.message}", field=exc.field, cause=exc) from None
        except TransportError as exc:
            raise CredentialsRefused(str(exc), field="lwaEndpoint", cause=exc) from None
        try:
            self._run("searchOrders", createdAfter=timestamp(self.server_now() - VERIFY_LOOKBACK),
                      marketplaceIds=[c.marketplace_id], maxResultsPerPage=1)
        except SpApiError as exc:
            if exc.outcome_kind == "throttled":
                return
            text, field = self._refusal(exc)
            raise CredentialsRefused(text, field=field, cause=exc) from None
        except TransportError as exc:
            raise CredentialsRefused(f"the endpoint {c.endpoint} is unreachable: {exc}", field="endpoint",
                                     cause=exc) from None
        except ResponseError as exc:
            raise CredentialsRefused(f"the endpoint {c.endpoint} did not answer like SP-API: {exc}",
                                     field="endpoint", cause=exc) from None

    def _refusal(self, exc):
        c = self.credentials
        said = f"({exc.code}: {exc.message}{f'; {exc.details}' if exc.details else ''})"
        if exc.status in (401, 403) and exc.details and "token" in exc.details.lower():
            return (f"SP-API refused the access token Login with Amazon issued: is lwaEndpoint the token URL "
                    f"of the same environment as the endpoint? {said}"), "lwaEndpoint"
        if exc.status == 403:
            other = _region_of_host(c.endpoint)
            # SP-API's 403 for marketplaces of another region: "The marketplaces you provided are not valid
            # for region." (the endpoint may be a compatible one whose host names no region)
            if (other and other != c.region) or (exc.details and "region" in exc.details.lower()):
                where = f"the {other} endpoint" if other else "the endpoint"
                return (f"marketplaceId: the marketplace {c.marketplace_id} ({c.region}) is not served by {where} "
                        f"{c.endpoint}; leave endpoint empty or give the {c.region} one {said}"), "marketplaceId"
            return ("the seller's authorisation: the seller has not authorised this app, or the app lacks the role "
                    "the Orders API needs (Inventory and Order Tracking), or the refresh token belongs to a seller "
                    f"of another region than marketplace {c.marketplace_id} ({c.region}) {said}"), "refreshToken"
        if exc.status == 400:
            return f"marketplaceId: SP-API refused the marketplace {c.marketplace_id} ({c.region}) {said}", \
                "marketplaceId"
        if exc.status == 404:
            return f"the endpoint {c.endpoint} does not serve the Orders API 2026-01-01 {said}", "endpoint"
        return f"SP-API could not verify the credentials now {said}", "endpoint"

    # -- product types (Product Type Definitions API 2020-09-01) -----------------------------------

    def product_types(self, keywords=None, *, deadline=None):
        """[{name, displayName, marketplaceIds}] for the credentials' marketplace (searchDefinitionsProductTypes;
        with `keywords`, the types Amazon finds for them)."""
        from .listings.product_types import search_keywords
        answer = self._run("searchDefinitionsProductTypes", deadline=deadline, marketplaceIds=[self.marketplace_id],
                           keywords=search_keywords(keywords))
        found = answer.get("productTypes")
        if not isinstance(found, list):
            raise ResponseError("searchDefinitionsProductTypes: the answer has no productTypes list")
        return [t for t in found if isinstance(t, dict) and isinstance(t.get("name"), str)]

    def product_type_definition(self, product_type, requirements="LISTING", *, deadline=None):
        """The product type's Definition (listings/product_types.py) for the credentials' marketplace:
        getDefinitionsProductType, then its JSON Schema downloaded from schema.link.resource, compiled
        once per (marketplace, product type, version; requirements) and cached."""
        from .listings.product_types import DEFINITIONS, definition_from_answer, download_schema, schema_link
        answer = self._run("getDefinitionsProductType", {"productType": product_type}, deadline=deadline,
                           marketplaceIds=[self.marketplace_id], sellerId=self.seller_id,
                           requirements=requirements or "LISTING")
        if not isinstance(answer, dict):
            raise ResponseError("getDefinitionsProductType answered something that is not an object")
        version = (answer.get("productTypeVersion") or {}).get("version")
        return DEFINITIONS.get(self.marketplace_id, answer.get("productType") or product_type,
                               (version, requirements or "LISTING"),
                               lambda: definition_from_answer(
                                   answer, download_schema(self.pipeline.endpoint.session, schema_link(answer)),
                                   marketplace_id=self.marketplace_id))

    # -- feeds (Feeds API 2021-06-30: spapi/feeds.py) ------------------------------

    def submit_feed(self, request, *, deadline=None):
        return feeds.submit(self, request, deadline=deadline)

    def feed_status(self, feed_id):
        return feeds.status(self, feed_id)

    def feed_report(self, feed_id):
        return feeds.report(self, feed_id)


def _region_of_host(url):
    for region in REGIONS.values():
        if url.rstrip("/") in (region.host, region.sandbox_host):
            return region.code
    return None


def _text(value):
    return value.strip() if isinstance(value, str) and value.strip() else None


def _when(text):
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        when = isoparse(text.strip())
    except (ValueError, OverflowError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _write_resume(token, after, before):
    data = json.dumps({"t": token, "a": after, "b": before}, separators=(",", ":")).encode()
    return _RESUME_PREFIX + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _read_resume(resume):
    """(paginationToken, lastUpdatedAfter, lastUpdatedBefore) of a resume token; a bare token (not one of
    ours) is Amazon's own, with the window the caller gives."""
    if not isinstance(resume, str) or not resume.strip():
        raise ConfigurationError("resume must be a page's next_token")
    if not resume.startswith(_RESUME_PREFIX):
        return resume, None, None
    try:
        raw = resume[len(_RESUME_PREFIX):]
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        token, after, before = data["t"], data["a"], data["b"]
        if not isinstance(token, str) or not isinstance(after, str) or not isinstance(before, (str, type(None))):
            raise ValueError("shape")
    except (ValueError, KeyError, TypeError):
        raise ConfigurationError("resume is not a next_token this connector made") from None
    return token, after, before


# -- building one ------------------------------------------------------------------

def open_spapi_account(credentials, *, endpoints=None, time_scale=None, retry=None, token_cache=None):
    """An SpApiAccount on the shared pipeline (what account.open_account returns for api "spapi")."""

    scale = 1.0 if time_scale is None else float(time_scale)
    endpoint = (endpoints or ENDPOINTS).get(credentials.endpoint, time_scale=scale)
    # The token's lifetime on the same clock as the quotas: a sandbox on --time-scale shortens both.
    authoriser = LwaAuthoriser(credentials, cache=token_cache or TOKEN_CACHE, time_scale=scale)
    envelope = JsonEnvelope(lambda: authoriser.secrets)
    # Retries at the endpoint's pace, as MwsClient's (a time-scaled sandbox speeds both up).
    pipeline = Pipeline(endpoint, authoriser, envelope, SpApiQuotaModel(endpoint.quotas),
                        retry or RetryPolicy().scaled(endpoint.time_scale),
                        seller_key=credentials.seller_key)
    return SpApiAccount(credentials, pipeline, authoriser=authoriser, endpoints=endpoints or ENDPOINTS,
                        time_scale=scale)
