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

On SP-API the listings actions (product, inventory, price, image, relationship) map every item
at the edge to Listings messages (spapi/listings/mapping.py; Submit Product's attributes checked
against the product type's definition), and the step field `submitMode` chooses how they go:
`feed` (default) one JSON_LISTINGS_FEED (account.submit_feed), `perItem` one Listings Items call
per item (spapi/listings_items.py), emitted at once with Amazon's issues per SKU. Amazon allows
one createFeed every two minutes after a burst of 15, so a flow sending one record per message
needs perItem; a batch of thousands is a feed. On MWS, perItem is refused.
"""

import logging
import time

from . import errors, settings
from .account import open_account
from .credentials import credentials_from_cfg
from .feeds import describe, feed_request
from .function import body_of, message
from .errors import ConfigurationError, InputError
from .feeds.request import FeedRequest
from .inputs import StepField, refuse, step_fields
from .spapi.credentials import api_of

log = logging.getLogger("mws_component.submit")
MAX_ITEMS = 100_000  # Amazon recommends feeds under 10 MB, about 30,000 records; this bounds a message
# The step's Operation -> the feed's OperationType.
OPERATION_TYPES = {"Upsert": "Update", "Update": "Update", "Delete": "Delete", "PartialUpdate": "PartialUpdate"}
# the step field submitMode (SP-API only): how a listings action sends its items
SUBMIT_MODES = {"feed": "feed: one JSON_LISTINGS_FEED (default)", "perItem": "perItem: one Listings Items call per item"}
SUBMIT_MODE_FIELD = StepField("submitMode", "select", False, tuple(SUBMIT_MODES), "choose how to submit")
LISTINGS_KINDS = ("product", "inventory", "price", "image", "relationship")


def getSubmitModes(cfg):
    return dict(SUBMIT_MODES)


def submit_mode(cfg):
    """The checked submitMode ("feed" unless perItem is chosen); perItem on MWS credentials is refused."""
    mode = step_fields(cfg, (SUBMIT_MODE_FIELD,))["submitMode"] or "feed"
    if mode == "perItem" and api_of(cfg) != "spapi":
        raise ConfigurationError("submitMode: perItem needs SP-API credentials (it calls the Listings Items API, "
                                 "which MWS does not have); on MWS every listings action sends a feed",
                                 field="submitMode")
    return mode


def out_schema(cfg):
    """The out-metadata of a listings action: the perItem results, or the submitted feed."""
    from . import schemas
    try:
        mode = submit_mode(cfg)
    except ConfigurationError:
        mode = "feed"
    return schemas.load("listingsItems.out.json" if mode == "perItem" else "submitFeed.out.json")


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


def submit_feed(ctx, msg, cfg, kind, *, fields=None, category=None, category_of=None, marketplace_ids=None,
                product_type=None, requirements=None):
    """Check the step fields and every item, build the FeedRequest, SubmitFeed it; emit the
    submission (or a rebound).

    `fields`: the action's step fields (default: the kind's optional `operation`).
    `category_of(item, path)`: for items that each name their category, (category, item without it).
    `product_type`, `requirements`: Submit Product's on SP-API (an item may name its own)."""
    kind = describe(kind)
    if fields is None:
        fields = (operation_field(kind),) if kind.operation_types else ()
    step = step_fields(cfg, fields)
    mode = submit_mode(cfg) if any(f.name == SUBMIT_MODE_FIELD.name for f in fields) else "feed"
    items, batch = items_of(body_of(msg))
    chosen = step.get("operation")
    path_of = (lambda index: f"body.items[{index}]") if batch else (lambda index: "body")
    if kind.key in LISTINGS_KINDS and api_of(cfg) == "spapi":
        return _submit_listings(ctx, cfg, kind, items, OPERATION_TYPES[chosen] if chosen else None, mode, path_of,
                                product_type=product_type, requirements=requirements)
    request = feed_request(kind, items, OPERATION_TYPES[chosen] if chosen else None, category=category,
                           category_of=category_of, marketplace_ids=marketplace_ids, operation_field="operation",
                           path_of=path_of, submit_mode=mode)
    account = open_account(credentials_from_cfg(cfg))
    return _send_feed(ctx, account, request)


def _send_feed(ctx, account, request):
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


# -- SP-API listings ---------------------------------------------------------------------------

def _renamed(exc, index, path_of):
    """An InputError of the listings mapper (which names items[i]...) named as the message names the item."""
    prefix, path = f"items[{index}]", path_of(index)
    text, field = str(exc), getattr(exc, "field", None)
    if text.startswith(prefix):
        text = path + text[len(prefix):]
    if isinstance(field, str) and field.startswith(prefix):
        field = path + field[len(prefix):]
    renamed = type(exc)(text, field=field) if isinstance(exc, InputError) else exc
    return renamed


def listings_request(account, kind, items, operation_type, mode, path_of, *, product_type=None, requirements=None):
    """The FeedRequest of a listings action on SP-API: every item mapped to its Listings messages and
    checked (Submit Product's attributes against the product type's definition, fetched once per product
    type and requirements), before anything is sent."""
    from .spapi.errors import SpApiError
    from .spapi.listings.mapping import REQUIREMENTS, ListingsContext, map_item

    context = ListingsContext(account.marketplace_id)
    if kind.key == "product":
        # every item's shape first, so that a malformed one is refused before any definition is fetched
        for index, item in enumerate(items):
            try:
                map_item(kind.key, item, index, context, operation_type=operation_type, product_type=product_type,
                         requirements=requirements)
            except InputError as exc:
                raise _renamed(exc, index, path_of) from None
    definitions = {}
    messages = []
    for index, item in enumerate(items):
        options = {}
        if kind.key == "product":
            options = {"product_type": product_type, "requirements": requirements}
            own = item if isinstance(item, dict) else {}
            chosen_type = own.get("productType") or product_type
            operation = own.get("operationType") or operation_type or "Update"
            if isinstance(chosen_type, str) and chosen_type.strip() and operation != "Delete":
                key = (chosen_type, own.get("requirements") or requirements or "LISTING")
                if key[1] not in REQUIREMENTS:
                    key = None      # the mapper refuses the item's requirements, naming it
                if key is not None and key not in definitions:
                    try:
                        definitions[key] = account.product_type_definition(*key)
                    except SpApiError as exc:
                        if exc.status not in (400, 404):
                            raise
                        where = f"{path_of(index)}.productType" if own.get("productType") else "productType"
                        raise InputError(f"{where}: Amazon has no product type {chosen_type!r} for marketplace "
                                         f"{account.marketplace_id} ({exc.message})", field=where) from None
                options["definition"] = definitions.get(key)
        try:
            messages.extend(map_item(kind.key, item, index, context, operation_type=operation_type, **options))
        except InputError as exc:
            raise _renamed(exc, index, path_of) from None
    return FeedRequest(kind, operation_type or kind.default_operation_type, product_type, tuple(items), (),
                       submit_mode=mode, messages=tuple(messages))


def _submit_listings(ctx, cfg, kind, items, operation_type, mode, path_of, *, product_type=None, requirements=None):
    from .spapi.listings_items import PerItemNotStarted, submit_per_item

    account = open_account(credentials_from_cfg(cfg))
    request = listings_request(account, kind, items, operation_type, mode, path_of, product_type=product_type,
                               requirements=requirements)
    if mode != "perItem":
        return _send_feed(ctx, account, request)
    try:
        output = submit_per_item(account, request)
    except PerItemNotStarted as exc:
        ctx.emit("rebound", f"the Listings Items quota is used up ({exc}); nothing was sent, the items go out "
                            "later")
        return None
    if output.get("complete") is False:
        log.warning("%s", output["reason"])
    return message(output)


def listings_meta_model(cfg, kind):
    """{in, out} of a patch kind's listings action: the MWS in-schema, or on SP-API the same without what
    has no SP-API counterpart (mapping.sp_in_schema); out by submitMode."""
    from . import schemas
    if isinstance(cfg, dict) and api_of(cfg) == "spapi":
        from .spapi.listings.mapping import sp_in_schema
        schema = sp_in_schema(kind)
    else:
        schema = schemas.load(f"feeds/{kind}.in.json")
    return {"in": schema, "out": out_schema(cfg)}
