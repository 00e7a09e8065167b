"""Change Product Image: _POST_PRODUCT_IMAGE_DATA_ (add or replace an image of a type, or delete it)."""

from ..submit import operation_field, submit_feed

STEP_FIELDS = (operation_field("image"),)  # optional: Update unless Delete is chosen


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "image", fields=STEP_FIELDS)
