"""Change Product Image: _POST_PRODUCT_IMAGE_DATA_ (add or replace an image of a type, or delete it)."""

from ..submit import submit_feed


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "image")
