"""List Order Items: every item of one order, all pages (ListOrderItems + ByNextToken).

The body needs only amazonOrderId; other fields are ignored (logged at debug), so an
order emitted by List Orders can be passed on as it is.
"""

from .. import schemas
from ..account import open_account
from ..credentials import credentials_from_cfg
from ..function import body_of, message
from ..inputs import step_fields

STEP_FIELDS = ()


def process(ctx, msg, cfg, snapshot=None):
    step_fields(cfg, STEP_FIELDS)
    body = schemas.check_known("listOrderItems.in.json", body_of(msg), getattr(ctx, "logger", None))
    account = open_account(credentials_from_cfg(cfg))
    items = account.order_items(body["amazonOrderId"])
    return message({"amazonOrderId": body["amazonOrderId"], "orderItems": items})
