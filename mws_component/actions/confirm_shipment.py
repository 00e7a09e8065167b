"""Confirm Shipment: _POST_ORDER_FULFILLMENT_DATA_ (carrier, shipping method, tracking number, items shipped)."""

from ..submit import submit_feed

STEP_FIELDS = ()  # order feeds carry no OperationType


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "orderFulfillment", fields=STEP_FIELDS)
