"""The Orders API section (2013-09-01): its rules and its answers as JSON.

A small layer over MwsClient, in the manner of Peddler's per-section clients:
the operations themselves, with their limits and out-schemas, are rows of
operations.py.
"""

import logging
from datetime import timedelta

from .. import xmlsafe
from ..errors import ApiError, PageTokenRefused
from ..times import parse_time, timestamp
from .envelope import out_of
from .operations import operation

log = logging.getLogger("mws_component.mws.orders")

SETTLE = timedelta(minutes=2)  # Amazon: LastUpdatedBefore must be at least two minutes before the request
SAFETY = timedelta(seconds=5)  # our idea of the server's clock may be a little late


def request_statuses(statuses):
    """The OrderStatus list to send. Amazon (Orders API reference, ListOrders): 'Unshipped and
    PartiallyShipped must be used together ... Using one and not the other returns an error.'"""
    wanted = list(dict.fromkeys(statuses or ()))
    if ("Unshipped" in wanted) != ("PartiallyShipped" in wanted):
        wanted.append("PartiallyShipped" if "Unshipped" in wanted else "Unshipped")
    return wanted


def _mapped(result):
    problems = []
    out = out_of(result, problems)
    for problem in problems:
        log.warning("%s: %s", result.operation, problem)
    return out


def orders_of(result):
    """The Order elements of a ListOrders/ListOrdersByNextToken/GetOrder result, as JSON."""
    return _mapped(result)


def order_items_of(result):
    return _mapped(result)


def list_order_items(client, amazon_order_id):
    """Every item of one order, across all pages."""
    items = []
    for page in client.pages("ListOrderItems", AmazonOrderId=amazon_order_id):
        items.extend(order_items_of(page))
    return items


def get_orders(client, amazon_order_ids):
    """The orders for the ids (in chunks of as many as GetOrder takes), and the ids Amazon returned nothing for."""
    ids = list(dict.fromkeys(amazon_order_ids))
    chunk = operation("GetOrder").limit("AmazonOrderId")
    found = {}
    for start in range(0, len(ids), chunk):
        for order in orders_of(client.call("GetOrder", AmazonOrderId=ids[start:start + chunk])):
            found.setdefault(order.get("amazonOrderId"), order)
    return [found[i] for i in ids if i in found], [i for i in ids if i not in found]


def service_status(client):
    return out_of(client.call("GetServiceStatus"))


def updated_pages(client, *, after, before, statuses, marketplace_ids, page_size, resume=None, deadline=None):
    """ListOrders by LastUpdatedAfter/Before, page after page: (result, the bound the server used).

    Without `before` the server bounds the window itself (its now minus two minutes) and echoes it.
    Until the server has answered once, our clock stands in for its clock; if ours runs ahead,
    the two-minute rule refuses the window (InvalidParameterValue). That answer taught us the
    server's time, so the window is asked for once more with a bound on the server's clock.
    Resuming from a token the server no longer accepts raises PageTokenRefused."""
    if resume:
        pages = client.pages("ListOrders", resume=resume, deadline=deadline)
        try:
            first = next(pages)
        except ApiError as exc:
            if exc.code != "InvalidParameterValue":
                raise
            raise PageTokenRefused(f"the saved NextToken was refused ({exc.message})") from None
    else:
        knew_clock = client.knows_server_time

        def listing(bound):
            return client.pages("ListOrders", deadline=deadline, MarketplaceId=list(marketplace_ids),
                                LastUpdatedAfter=timestamp(after),
                                LastUpdatedBefore=timestamp(bound) if bound else None,
                                OrderStatus=request_statuses(statuses) or None, MaxResultsPerPage=page_size)
        pages = listing(before)
        try:
            first = next(pages)
        except ApiError as exc:
            if before is None or exc.code != "InvalidParameterValue" or knew_clock or not client.knows_server_time:
                raise
            corrected = min(client.server_now() - SETTLE - SAFETY, before)
            if corrected <= after:
                raise
            before = corrected
            pages = listing(before)
            first = next(pages)
    yield first, echoed_bound(first) or before
    for page in pages:
        yield page, echoed_bound(page) or before


def echoed_bound(result):
    """The LastUpdatedBefore the server says it used (it may cut a window short), or None."""
    return parse_time(xmlsafe.find_text(result.result, "LastUpdatedBefore"))
