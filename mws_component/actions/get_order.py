"""Get Order: orders by id (GetOrder takes 50 ids a call; more are split).

The body gives amazonOrderIds (a list) or amazonOrderId (one id, e.g. an order emitted
by List Orders passed on as it is); other fields are ignored (logged at debug).
"""

from .. import schemas
from ..account import open_account
from ..credentials import credentials_from_cfg
from ..function import body_of, message
from ..inputs import refuse, step_fields

STEP_FIELDS = ()


def process(ctx, msg, cfg, snapshot=None):
    step_fields(cfg, STEP_FIELDS)
    body = schemas.check_known("getOrder.in.json", body_of(msg), getattr(ctx, "logger", None))
    ids = _ids(body)
    account = open_account(credentials_from_cfg(cfg))
    found, missing = account.orders_by_id(ids)
    if missing:
        ctx.logger.info("Amazon returned no order for %d of %d id(s)", len(missing), len(ids))
    return message({"orders": found, "notFound": missing})


def _ids(body):
    if "amazonOrderIds" in body and "amazonOrderId" in body:
        raise refuse("body.amazonOrderId", "give either amazonOrderId (one id) or amazonOrderIds, not both")
    if "amazonOrderIds" in body:
        return body["amazonOrderIds"]
    if "amazonOrderId" in body:
        return [body["amazonOrderId"]]
    raise refuse("body.amazonOrderIds", "is required (a list of order ids), or amazonOrderId (one id)")
