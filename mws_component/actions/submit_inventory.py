"""Submit Inventory: _POST_INVENTORY_AVAILABILITY_DATA_ (quantity or availability, restock date, handling time)."""

from ..submit import operation_field, submit_feed

STEP_FIELDS = (operation_field("inventory"),)  # optional: Update unless Delete is chosen


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "inventory", fields=STEP_FIELDS)
