"""The Orders API 2026-01-01: searchOrders and getOrder over the sandbox's order store.

Rules from the Orders API 2026-01-01 model (searchOrders, getOrder): exactly one of createdAfter and
lastUpdatedAfter; the created and lastUpdated pairs never mixed; a before bound not earlier than its
after bound and at least two minutes before the request; maxResultsPerPage 1-100 (default 100); at most
50 marketplaceIds; arrays comma-separated (Swagger 2's default csv); a paginationToken must come with
all other parameters repeated unchanged (only maxResultsPerPage and includedData may change) and lives
24 hours. Marketplaces of another region are refused with Amazon's 403 ("The marketplaces you provided
are not valid for region."). Without a before bound the sandbox applies now minus two minutes (as MWS
did) and echoes the bound applied as createdBefore or lastUpdatedBefore.

Pages are keyset pages on (time, orderId): stable while orders change, ties on one stamp included.
"""

import re
from datetime import datetime, timezone

from ..clock import datetime_to_ms, format_ms
from .errors import WRONG_REGION, invalid_input, not_found, unauthorized
from .render import render_order
from .tables import (BEFORE_MARGIN_MS, FULFILLED_BY, FULFILLMENT_STATUS, FULFILLMENT_STATUSES, INCLUDED_DATA,
                     MARKETPLACES, MAX_MARKETPLACE_IDS, MAX_RESULTS_PER_PAGE, PAGINATION_TOKEN_LIFETIME_MS)

ORDER_ID = re.compile(r"\d{3}-\d{7}-\d{7}")
# What a paginationToken must be repeated with (Orders API 2026-01-01 model: searchOrders, paginationToken).
FILTERS = ("createdAfter", "createdBefore", "lastUpdatedAfter", "lastUpdatedBefore", "fulfillmentStatuses",
           "marketplaceIds", "fulfilledBy")


def csv(query, name):
    value = query.get(name)
    if value is None:
        return []
    items = value.split(",")
    if any(not item for item in items):
        raise invalid_input(f"{name} has an empty value; give its values separated by commas")
    return items


def enum_list(query, name, allowed):
    values = csv(query, name)
    for index, value in enumerate(values):
        if value not in allowed:
            raise invalid_input(f"{name}[{index}] '{value[:40]}' is not one of: {', '.join(allowed)}")
    return values


def date_ms(query, name):
    value = query.get(name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)  # Python 3.11 reads every ISO 8601 form Amazon documents
    except (ValueError, OverflowError):
        raise invalid_input(f"{name} '{value[:40]}' is not an ISO 8601 date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return datetime_to_ms(moment)


def included_data(query):
    return frozenset(enum_list(query, "includedData", INCLUDED_DATA))


def page_size(query):
    value = query.get("maxResultsPerPage")
    if value is None:
        return MAX_RESULTS_PER_PAGE
    if not re.fullmatch(r"[0-9]{1,9}", value) or not 1 <= int(value) <= MAX_RESULTS_PER_PAGE:
        raise invalid_input(f"maxResultsPerPage '{value[:20]}' must be an integer from 1 to {MAX_RESULTS_PER_PAGE}")
    return int(value)


def marketplace_ids(query, region):
    ids = csv(query, "marketplaceIds")
    if len(ids) > MAX_MARKETPLACE_IDS:
        raise invalid_input(f"marketplaceIds has {len(ids)} values; at most {MAX_MARKETPLACE_IDS} are allowed")
    for index, marketplace_id in enumerate(ids):
        if marketplace_id not in MARKETPLACES:
            raise invalid_input(f"marketplaceIds[{index}] '{marketplace_id[:40]}' is not a marketplace id")
    if any(MARKETPLACES[m].region != region for m in ids):
        raise unauthorized(WRONG_REGION)
    return ids or [m for m, market in MARKETPLACES.items() if market.region == region]


def search_orders(call):
    query = call.query
    included = included_data(query)
    size = page_size(query)
    created, updated = query.get("createdAfter"), query.get("lastUpdatedAfter")
    if (created is None) == (updated is None):
        raise invalid_input("Exactly one of createdAfter and lastUpdatedAfter must be given")
    if created is not None and (updated is not None or "lastUpdatedBefore" in query):
        raise invalid_input("lastUpdatedBefore must not be given with createdAfter")
    if updated is not None and "createdBefore" in query:
        raise invalid_input("createdBefore must not be given with lastUpdatedAfter")
    after_name, before_name = ("createdAfter", "createdBefore") if created is not None \
        else ("lastUpdatedAfter", "lastUpdatedBefore")
    after_ms, before_ms = date_ms(query, after_name), date_ms(query, before_name)
    if before_ms is not None:
        if before_ms < after_ms:
            raise invalid_input(f"{before_name} must be equal to or after {after_name}")
        if before_ms > call.now_ms - BEFORE_MARGIN_MS:
            raise invalid_input(f"{before_name} must be at least two minutes before the time of the request")
    statuses = set(enum_list(query, "fulfillmentStatuses", FULFILLMENT_STATUSES))
    fulfilled_by = set(enum_list(query, "fulfilledBy", tuple(FULFILLED_BY.values())))
    markets = set(marketplace_ids(query, call.region))
    filters = {name: query.get(name) for name in FILTERS}

    token = query.get("paginationToken")
    start_after = None
    if token is not None:
        payload = call.page_tokens.decode(token)
        if payload["f"] != filters or payload["r"] != call.region:
            raise invalid_input("paginationToken must be sent with the same parameters as the request that "
                                "returned it (only maxResultsPerPage and includedData may change)")
        if call.now_ms - payload["i"] > PAGINATION_TOKEN_LIFETIME_MS:
            raise invalid_input("paginationToken has expired (tokens live 24 hours)")
        bound, start_after, issued = payload["b"], tuple(payload["k"]), payload["i"]
    else:
        bound = before_ms if before_ms is not None else call.now_ms - BEFORE_MARGIN_MS
        if after_ms > bound:
            raise invalid_input(f"{after_name} must be before {before_name} "
                                f"({format_ms(bound)}: two minutes before now unless given)")
        issued = call.now_ms

    def stamp(order):
        return order.purchase_ms if created is not None else order.last_update_ms

    def where(order):
        return (after_ms <= stamp(order) <= bound and order.marketplace_id in markets
                and (not statuses or FULFILLMENT_STATUS[order.status] in statuses)
                and (not fulfilled_by or FULFILLED_BY[order.fulfillment_channel] in fulfilled_by))

    def key(order):
        return (stamp(order), order.amazon_order_id)

    rows = call.store.select(where, key, after=start_after, limit=size + 1)
    page = rows[:size]
    body = {"orders": [render_order(order, included, call.now_ms) for order in page]}
    if len(rows) > size:
        body["pagination"] = {"nextToken": call.page_tokens.encode(
            {"f": filters, "r": call.region, "b": bound, "k": list(key(page[-1])), "i": issued})}
    body[before_name] = format_ms(bound)
    return body


def get_order(call):
    order_id = call.path_params["orderId"]
    included = included_data(call.query)
    if not ORDER_ID.fullmatch(order_id):
        raise invalid_input(f"orderId '{order_id[:40]}' is not an Amazon order id (3-7-7 digits)")
    order = call.store.get(order_id)
    if order is None or MARKETPLACES[order.marketplace_id].region != call.region:
        raise not_found("The requested order was not found.", f"orderId {order_id}")
    return {"order": render_order(order, included, call.now_ms)}


class Operation:
    """One SP-API operation as data: its id, method, path template, query parameter names and handler."""

    def __init__(self, operation_id, method, template, parameters, handler):
        self.operation_id = operation_id
        self.method = method
        self.template = template
        self.parameters = frozenset(parameters)
        self.handler = handler
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        self._pattern = re.compile(pattern + r"\Z")

    def match(self, path):
        found = self._pattern.match(path)
        return None if found is None else found.groupdict()


OPERATIONS = (
    Operation("searchOrders", "GET", "/orders/2026-01-01/orders",
              ("createdAfter", "createdBefore", "lastUpdatedAfter", "lastUpdatedBefore", "fulfillmentStatuses",
               "marketplaceIds", "fulfilledBy", "maxResultsPerPage", "paginationToken", "includedData"),
              search_orders),
    Operation("getOrder", "GET", "/orders/2026-01-01/orders/{orderId}", ("includedData",), get_order),
)

__all__ = ["OPERATIONS", "Operation"]
