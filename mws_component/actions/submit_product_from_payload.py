"""Submit Product (Category from payload): products whose items each name their category (MWS) or
product type (SP-API), by feed or, on SP-API, per item (submitMode). Each item is checked against its own
category's fields or product type's definition before anything is sent (products.py, submit.py)."""

from .. import products
from ..submit import getSubmitModes, out_schema, submit_feed  # noqa: F401
from .submit_product import getOperations  # noqa: F401  (select model of the operation field)

STEP_FIELDS = products.PAYLOAD_FIELDS


def getMetaModel(cfg):
    return {"in": products.payload_catalogue(cfg).in_schema(), "out": out_schema(cfg)}


def process(ctx, msg, cfg, snapshot=None):
    catalogue = products.payload_catalogue(cfg)
    return submit_feed(ctx, msg, cfg, "product", fields=catalogue.fields, **catalogue.submission())
