"""Submit Inventory: _POST_INVENTORY_AVAILABILITY_DATA_ on MWS (quantity or availability, restock date,
handling time); on SP-API a patch of fulfillment_availability, by feed or per item (submitMode)."""

from ..submit import SUBMIT_MODE_FIELD, getSubmitModes, listings_meta_model, operation_field, submit_feed  # noqa: F401

STEP_FIELDS = (operation_field("inventory"), SUBMIT_MODE_FIELD)  # operation optional: Update unless Delete


def getMetaModel(cfg):
    return listings_meta_model(cfg, "inventory")


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "inventory", fields=STEP_FIELDS)
