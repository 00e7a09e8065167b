"""Get Order: orders by id (GetOrder takes 50 ids a call; more are split)."""

from .. import orders, schemas
from ..client import client_from_cfg
from ..function import body_of, message


def process(ctx, msg, cfg, snapshot=None):
    body = schemas.check("getOrder.in.json", body_of(msg))
    client = client_from_cfg(cfg)
    found, missing = orders.get_orders(client, body["amazonOrderIds"])
    if missing:
        ctx.logger.info("GetOrder returned no order for %d of %d id(s)", len(missing), len(body["amazonOrderIds"]))
    return message({"orders": found, "notFound": missing})
