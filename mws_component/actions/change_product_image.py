"""Change Product Image: _POST_PRODUCT_IMAGE_DATA_ on MWS (add or replace an image of a type, or delete it);
on SP-API a patch of the image locator attributes, by feed or per item (submitMode)."""

from ..submit import SUBMIT_MODE_FIELD, getSubmitModes, listings_meta_model, operation_field, submit_feed  # noqa: F401

STEP_FIELDS = (operation_field("image"), SUBMIT_MODE_FIELD)  # operation optional: Update unless Delete


def getMetaModel(cfg):
    return listings_meta_model(cfg, "image")


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "image", fields=STEP_FIELDS)
