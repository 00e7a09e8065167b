"""List Order Items: every item of one order, all pages (ListOrderItems + ByNextToken)."""

from .. import orders, schemas
from ..client import client_from_cfg
from ..function import body_of, message


def process(ctx, msg, cfg, snapshot=None):
    body = schemas.check("listOrderItems.in.json", body_of(msg))
    client = client_from_cfg(cfg)
    items = orders.list_order_items(client, body["amazonOrderId"])
    return message({"amazonOrderId": body["amazonOrderId"], "orderItems": items})
