"""Change Product Price: _POST_PRODUCT_PRICING_DATA_ (standard, sale, business and quantity prices, price bounds, MAP)."""

from ..submit import submit_feed


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "price")
