"""Get Order: orders by id (the account asks for as many ids a call as Amazon takes; more are split)."""

from .. import schemas
from ..account import open_account
from ..credentials import credentials_from_cfg
from ..function import body_of, message


def process(ctx, msg, cfg, snapshot=None):
    body = schemas.check("getOrder.in.json", body_of(msg))
    account = open_account(credentials_from_cfg(cfg))
    found, missing = account.orders_by_id(body["amazonOrderIds"])
    if missing:
        ctx.logger.info("Amazon returned no order for %d of %d id(s)", len(missing), len(body["amazonOrderIds"]))
    return message({"orders": found, "notFound": missing})
