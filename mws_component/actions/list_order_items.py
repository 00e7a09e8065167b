"""List Order Items: every item of one order, all pages (ListOrderItems + ByNextToken).

The body needs only amazonOrderId; other fields are ignored (logged at debug), so an
order emitted by List Orders can be passed on as it is.
"""

from .. import orders, schemas
from ..client import client_from_cfg
from ..function import body_of, message
from ..inputs import step_fields

STEP_FIELDS = ()


def process(ctx, msg, cfg, snapshot=None):
    step_fields(cfg, STEP_FIELDS)
    body = schemas.check_known("listOrderItems.in.json", body_of(msg), getattr(ctx, "logger", None))
    client = client_from_cfg(cfg)
    items = orders.list_order_items(client, body["amazonOrderId"])
    return message({"amazonOrderId": body["amazonOrderId"], "orderItems": items})
