"""Establish Product Relationships: _POST_PRODUCT_RELATIONSHIP_DATA_ (variations, accessories, sets)."""

from ..submit import submit_feed


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "relationship")
