"""The Orders API section (2013-09-01): its rules and its answers as JSON.

A small layer over MwsClient, in the manner of Peddler's per-section
clients: the operations themselves are rows of operations.py.
"""

import logging

from . import schemas, xmlsafe
from .mapper import compile_schema, map_element

log = logging.getLogger("mws_component.orders")

# The statuses the original component offered; Amazon documents the first seven.
ORDER_STATUSES = {
    "PendingAvailability": "PendingAvailability (Japan only: pre-orders)",
    "Pending": "Pending",
    "Unshipped": "Unshipped (sent together with PartiallyShipped)",
    "PartiallyShipped": "PartiallyShipped (sent together with Unshipped)",
    "Shipped": "Shipped",
    "Canceled": "Canceled",
    "Unfulfillable": "Unfulfillable",
    "InvoiceUnconfirmed": "InvoiceUnconfirmed (China only)",
}
GET_ORDER_MAX_IDS = 50  # AmazonOrderId.Id.N allows at most 50 per GetOrder


def request_statuses(statuses):
    """The OrderStatus list to send. Amazon: 'Unshipped and PartiallyShipped
    must be used together ... Using one and not the other returns an error.'"""
    wanted = list(dict.fromkeys(statuses or ()))
    if ("Unshipped" in wanted) != ("PartiallyShipped" in wanted):
        wanted.append("PartiallyShipped" if "Unshipped" in wanted else "Unshipped")
    return wanted


def _shape(name):
    return compile_schema(schemas.load(name))


def _mapped_list(result, wrapper, item_name, schema_name, what):
    holder = xmlsafe.find(result, wrapper)
    if holder is None:
        return []
    shape = _shape(schema_name)
    problems = []
    out = [map_element(el, shape, problems) for el in holder
           if isinstance(el.tag, str) and xmlsafe.local_name(el) == item_name]
    for problem in problems:
        log.warning("%s: %s", what, problem)
    return out


def orders_of(result):
    """The Order elements of a ListOrders/ListOrdersByNextToken/GetOrder result, as JSON."""
    return _mapped_list(result.result, "Orders", "Order", "order.json", result.operation)


def order_items_of(result):
    return _mapped_list(result.result, "OrderItems", "OrderItem", "orderItem.json", result.operation)


def list_order_items(client, amazon_order_id):
    """Every item of one order, across all pages."""
    items = []
    for page in client.pages("ListOrderItems", AmazonOrderId=amazon_order_id):
        items.extend(order_items_of(page))
    return items


def get_orders(client, amazon_order_ids):
    """The orders for the ids (in chunks of 50), and the ids Amazon returned nothing for."""
    ids = list(dict.fromkeys(amazon_order_ids))
    found = {}
    for start in range(0, len(ids), GET_ORDER_MAX_IDS):
        for order in orders_of(client.call("GetOrder", AmazonOrderId=ids[start:start + GET_ORDER_MAX_IDS])):
            found.setdefault(order.get("amazonOrderId"), order)
    return [found[i] for i in ids if i in found], [i for i in ids if i not in found]


def service_status(client):
    result = client.call("GetServiceStatus")
    return map_element(result.result, _shape("serviceStatus.json"))
