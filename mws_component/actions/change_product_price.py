"""Change Product Price: _POST_PRODUCT_PRICING_DATA_ on MWS (standard, sale, business and quantity prices,
price bounds, MAP); on SP-API a patch of purchasable_offer, by feed or per item (submitMode)."""

from ..submit import SUBMIT_MODE_FIELD, getSubmitModes, listings_meta_model, operation_field, submit_feed  # noqa: F401

STEP_FIELDS = (operation_field("price"), SUBMIT_MODE_FIELD)  # operation optional: Update unless Delete


def getMetaModel(cfg):
    return listings_meta_model(cfg, "price")


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "price", fields=STEP_FIELDS)
