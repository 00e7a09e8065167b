"""List Order Items: every item of one order, all pages."""

from .. import schemas
from ..account import open_account
from ..credentials import credentials_from_cfg
from ..function import body_of, message


def process(ctx, msg, cfg, snapshot=None):
    body = schemas.check("listOrderItems.in.json", body_of(msg))
    account = open_account(credentials_from_cfg(cfg))
    items = account.order_items(body["amazonOrderId"])
    return message({"amazonOrderId": body["amazonOrderId"], "orderItems": items})
