"""FeedRequest: one feed to submit, built once at the action's edge and handed down.

    request = feed_request("inventory", items, "Update", path_of=lambda i: f"body.items[{i}]")
    feed = request.write(seller_id)       # FeedFile(file, size, content_md5, message_count)

Every item is checked (and normalised) when the request is built, each error naming the
item by the path the message gives it; `write` writes the checked items without
checking them again. `operation_type` is the feed's OperationType ("Update",
"Delete", "PartialUpdate"; None for the order feeds): it is never called
"operation", which is the API call.
"""

from dataclasses import dataclass

from ..errors import InputError
from .catalog import Category, FeedKind, describe, resolve_category
from .validate import message_checker
from .writer import SPOOL_IN_MEMORY, spool_feed, write_checked


@dataclass(frozen=True)
class FeedRequest:
    kind: FeedKind
    operation_type: str | None        # the default OperationType of the messages (an item may carry its own)
    category: Category | None         # the product category the step chose; None when each item names its own
    items: tuple                      # checked: (OperationType or None, normalized payload) per message
    marketplace_ids: tuple = ()
    # How a listings action sends on SP-API (the step field submitMode): "feed" (one JSON_LISTINGS_FEED)
    # or "perItem" (one Listings Items call per item). MWS has only feeds.
    submit_mode: str = "feed"
    # SP-API listings kinds: the items mapped and checked at the edge (spapi.listings.mapping.ListingsMessage,
    # a relationship item giving one per child SKU); `items` then holds the MWS-shaped items they came from
    # and `category` the step's product type (Submit Product). Empty on MWS.
    messages: tuple = ()

    @property
    def message_count(self):
        return len(self.messages) if self.messages else len(self.items)

    def write(self, seller_id, *, spool_in_memory=SPOOL_IN_MEMORY):
        """The feed's bytes in a spooled file with its MD5 (a FeedFile; the caller closes .file)."""
        return spool_feed(lambda sink: write_checked(self.kind, self.items, seller_id, sink), spool_in_memory)


def feed_request(kind, items, operation_type=None, *, category=None, marketplace_ids=(), path_of=None,
                 category_of=None, operation_field="operationType", submit_mode="feed"):
    """Check every item once and return the FeedRequest.

    `path_of(index)` names an item in errors (default "items[<index>]"). `category_of(item, path)`,
    for feeds whose items each name their category, returns (category, item without it).
    `operation_type` is checked here and named `operation_field` when it is refused."""
    kind = describe(kind)
    path_of = path_of or (lambda index: f"items[{index}]")
    chosen = resolve_category(category) if category is not None else None
    check = message_checker(kind, operation_type, category=chosen, operation_field=operation_field)
    checkers = {}       # one checker per category named by the items
    checked = []
    for index, item in enumerate(items):
        path = path_of(index)
        if category_of is not None:
            own, item = category_of(item, path)
            if own not in checkers:
                checkers[own] = message_checker(kind, operation_type, category=own, operation_field=operation_field)
            checked.append(checkers[own](item, path))
        else:
            checked.append(check(item, path))
    if not checked:
        raise InputError("items: a feed needs at least one item", field="items")
    default = operation_type if operation_type is not None else kind.default_operation_type
    return FeedRequest(kind, default, chosen, tuple(checked), tuple(marketplace_ids or ()), submit_mode=submit_mode)
