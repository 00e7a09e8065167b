"""What the seven submit actions share: items in, one FeedRequest built and checked at the
edge, one feed out, its submission emitted.

A message body is one item, or {"items": [...]} for a batch: Amazon allows 15
SubmitFeed calls in a burst and 30 an hour, so a flow with thousands of
updates sends them in batches (one Message per item, up to MAX_ITEMS). When
the hour's quota is used up, the message is rebounded for later rather than
failed or left blocking the step.

The step field `operation` names the feed's OperationType ("Upsert" is Update). Where
component.json marks it required (the product actions, whose Update replaces the whole
product), a missing one is an error naming it, never a default that writes.
"""

import time

from . import errors, settings
from .account import open_account
from .credentials import credentials_from_cfg
from .feeds import describe, feed_request
from .function import body_of, message
from .inputs import StepField, refuse, step_fields

MAX_ITEMS = 100_000  # Amazon recommends feeds under 10 MB, about 30,000 records; this bounds a message
# The step's Operation -> the feed's OperationType.
OPERATION_TYPES = {"Upsert": "Update", "Update": "Update", "Delete": "Delete", "PartialUpdate": "PartialUpdate"}


def operation_field(kind, *, required=False):
    """The `operation` step field of a feed kind: the names whose OperationType the kind allows."""
    kind = describe(kind)
    choices = [name for name, operation_type in OPERATION_TYPES.items() if operation_type in kind.operation_types]
    return StepField("operation", "select", required, tuple(choices), "choose the Operation")


def items_of(body):
    """(items, batch?) from a message body: {"items": [...]} or one item."""
    if isinstance(body, dict) and set(body) == {"items"}:
        items = body["items"]
        if not isinstance(items, list):
            raise refuse("body.items", "must be a list of items")
        if not items:
            raise refuse("body.items", "must hold at least one item")
        if len(items) > MAX_ITEMS:
            raise refuse("body.items", f"holds {len(items):,} items; at most {MAX_ITEMS:,} go in one feed")
        return items, True
    if not isinstance(body, dict) or not body:
        raise refuse("body", "must be an item object or {\"items\": [...]}")
    return [body], False


def submit_feed(ctx, msg, cfg, kind, *, fields=None, category=None, category_of=None, marketplace_ids=None):
    """Check the step fields and every item, build the FeedRequest, SubmitFeed it; emit the
    submission (or a rebound).

    `fields`: the action's step fields (default: the kind's optional `operation`).
    `category_of(item, path)`: for items that each name their category, (category, item without it)."""
    kind = describe(kind)
    if fields is None:
        fields = (operation_field(kind),) if kind.operation_types else ()
    step = step_fields(cfg, fields)
    items, batch = items_of(body_of(msg))
    chosen = step.get("operation")
    request = feed_request(kind, items, OPERATION_TYPES[chosen] if chosen else None, category=category,
                           category_of=category_of, marketplace_ids=marketplace_ids, operation_field="operation",
                           path_of=(lambda index: f"body.items[{index}]") if batch else (lambda index: "body"))
    account = open_account(credentials_from_cfg(cfg))
    try:
        submitted = account.submit_feed(request, deadline=time.monotonic() + settings.action_wait_seconds())
    except errors.QuotaExhausted as exc:
        ctx.emit("rebound", f"the feed quota is used up for about {exc.retry_after:.0f} s more; "
                            "the feed goes out later")
        return None
    except errors.ApiError as exc:
        if exc.outcome_kind == "throttled":
            ctx.emit("rebound", f"Amazon throttled the feed ({exc.message}); the feed goes out later")
            return None
        raise
    return message(submitted)
