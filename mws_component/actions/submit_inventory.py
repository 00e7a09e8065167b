"""Submit Inventory: _POST_INVENTORY_AVAILABILITY_DATA_ (quantity or availability, restock date, handling time)."""

from ..submit import submit_feed


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "inventory")
