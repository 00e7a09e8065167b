"""Change Product Price: _POST_PRODUCT_PRICING_DATA_ (standard, sale, business and quantity prices, price bounds, MAP)."""

from ..submit import operation_field, submit_feed

STEP_FIELDS = (operation_field("price"),)  # optional: Update unless Delete is chosen


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "price", fields=STEP_FIELDS)
