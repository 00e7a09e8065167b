"""Acknowledge Order: _POST_ORDER_ACKNOWLEDGEMENT_DATA_ (accept or cancel an order or some of its items)."""

from ..submit import submit_feed

STEP_FIELDS = ()  # order feeds carry no OperationType


def process(ctx, msg, cfg, snapshot=None):
    return submit_feed(ctx, msg, cfg, "orderAcknowledgement", fields=STEP_FIELDS)
