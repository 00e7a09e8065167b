"""Establish Product Relationships: _POST_PRODUCT_RELATIONSHIP_DATA_ on MWS (variations, accessories, sets);
on SP-API a patch of child_parent_sku_relationship on each child SKU (Variation only), by feed or per item."""

from ..submit import SUBMIT_MODE_FIELD, getSubmitModes, listings_meta_model, operation_field, submit_feed  # noqa: F401

STEP_FIELDS = (operation_field("relationship"), SUBMIT_MODE_FIELD)  # operation optional: Update unless Delete


def getMetaModel(cfg):
    return listings_meta_model(cfg, "relationship")


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "relationship", fields=STEP_FIELDS)
