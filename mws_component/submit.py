"""What the seven submit actions share: items in, one feed out, its submission emitted.

A message body is one item, or {"items": [...]} for a batch: Amazon allows 15
SubmitFeed calls in a burst and 30 an hour, so a flow with thousands of
updates sends them in batches (one Message per item, up to MAX_ITEMS). When
the hour's quota is used up, the message is rebounded for later rather than
failed or left blocking the step.
"""

import re
import time
from dataclasses import dataclass

from . import errors, settings
from .account import open_account
from .credentials import credentials_from_cfg
from .errors import ConfigurationError, InputError, shown
from .feeds import build_feed_file, describe
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


@dataclass(frozen=True)
class _FeedRequest:
    """Stand-in for the inputs developer's feeds.FeedRequest (same attributes): one feed to submit."""
    kind: object
    operation_type: str | None
    category: str | None
    items: list
    marketplace_ids: list | None

    def write(self, seller_id):
        return build_feed_file(self.kind.key, self.items, seller_id, self.operation_type, category=self.category)


def submit_feed(ctx, msg, cfg, kind, *, category=None, item_check=None, marketplace_ids=None):
    """Check every item, build the feed, SubmitFeed it; emit the submission (or a rebound).

    `item_check(item, index)` may check and reshape each item first (raising
    InputError naming items[index]); by default items go to the feed as they are."""
    items, batch = items_of(body_of(msg))
    operation = operation_of(cfg, describe(kind).operations)
    account = open_account(credentials_from_cfg(cfg))
    try:
        if item_check is not None:
            items = [item_check(item, index) for index, item in enumerate(items)]
        request = _FeedRequest(describe(kind), operation, category, items, marketplace_ids)
        submitted = account.submit_feed(request, deadline=time.monotonic() + settings.action_wait_seconds())
    except InputError as exc:
        raise _renamed(exc, batch) from None
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
