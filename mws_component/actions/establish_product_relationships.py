"""Establish Product Relationships: _POST_PRODUCT_RELATIONSHIP_DATA_ (variations, accessories, sets)."""

from ..submit import operation_field, submit_feed

STEP_FIELDS = (operation_field("relationship"),)  # optional: Update unless Delete is chosen


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "relationship", fields=STEP_FIELDS)
