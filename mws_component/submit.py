"""What the seven submit actions share: items in, one feed out, its submission emitted.

A message body is one item, or {"items": [...]} for a batch: Amazon allows 15
SubmitFeed calls in a burst and 30 an hour, so a flow with thousands of
updates sends them in batches (one Message per item, up to MAX_ITEMS). When
the hour's quota is used up, the message is rebounded for later rather than
failed or left blocking the step.
"""

import os
import re
import time

from . import errors, feed_submissions
from .client import client_from_cfg
from .errors import ConfigurationError, InputError, shown
from .feeds import describe
from .function import body_of, message

MAX_ITEMS = 100_000  # Amazon recommends feeds under 10 MB, about 30,000 records; this bounds a message
OPERATIONS = {"Upsert": "Update", "Update": "Update", "Delete": "Delete", "PartialUpdate": "PartialUpdate"}


def items_of(body):
    """(items, batch?) from a message body: {"items": [...]} or one item."""
    if isinstance(body, dict) and set(body) == {"items"}:
        items = body["items"]
        if not isinstance(items, list):
            raise InputError("body.items must be a list of items", field="body.items")
        if not items:
            raise InputError("body.items must hold at least one item", field="body.items")
        if len(items) > MAX_ITEMS:
            raise InputError(f"body.items holds {len(items)} items; at most {MAX_ITEMS} go in one feed",
                             field="body.items")
        return items, True
    if not isinstance(body, dict) or not body:
        raise InputError("body must be an item object or {\"items\": [...]}", field="body")
    return [body], False


def operation_of(cfg, allowed):
    chosen = cfg.get("operation")
    if chosen in (None, ""):
        return None
    operation = OPERATIONS.get(chosen)
    if operation not in allowed:
        names = ", ".join("Upsert" if o == "Update" else o for o in allowed)
        raise ConfigurationError(f"operation must be one of {names}, got {shown(chosen)}", field="operation")
    return operation


def _renamed(exc, batch):
    """The feed writer names items[i]; the message names body.items[i] (or body for one item)."""
    def rename(text):
        return re.sub(r"\bitems\[(\d+)\]", (lambda m: f"body.items[{m.group(1)}]") if batch else
                      (lambda m: "body"), text)
    return InputError(rename(str(exc)), field=rename(exc.field) if exc.field else None)


def wait_budget():
    """Seconds an action may wait for SubmitFeed quota before rebounding the message."""
    try:
        return float(os.environ.get("MWS_ACTION_WAIT_SECONDS", 120))
    except ValueError:
        return 120.0


def submit_feed(ctx, msg, cfg, kind, *, category=None, item_check=None, marketplace_ids=None):
    """Check every item, build the feed, SubmitFeed it; emit the submission (or a rebound).

    `item_check(item, index)` may check and reshape each item first (raising
    InputError naming items[index]); by default items go to the feed as they are."""
    items, batch = items_of(body_of(msg))
    operation = operation_of(cfg, describe(kind).operations)
    client = client_from_cfg(cfg)
    try:
        if item_check is not None:
            items = [item_check(item, index) for index, item in enumerate(items)]
        submitted = feed_submissions.submit(client, kind, items, operation, category=category,
                                            marketplace_ids=marketplace_ids,
                                            deadline=time.monotonic() + wait_budget())
    except InputError as exc:
        raise _renamed(exc, batch) from None
    except errors.MwsError as exc:
        if exc.code in errors.THROTTLE_CODES:
            ctx.emit("rebound", f"SubmitFeed quota used up ({exc.message}); the feed goes out later")
            return None
        raise
    return message(submitted)
