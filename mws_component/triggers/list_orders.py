"""List Orders (polling): new and updated orders since the last run.

Each run asks the seller's account for the orders updated after the
snapshot's cursor (Start Time on the first run) and before the earlier of End
Time and the server's now minus two minutes (Amazon's rule: the last two
minutes are not settled yet). It follows the page cursor (NextToken) through
every page, emits the orders, and emits a snapshot after each page, so a crash
repeats at most the page in flight. The next window starts where this one
ended; orders stamped exactly on that boundary are remembered by id, so they
are neither lost nor emitted twice. When the quota for the seller is used up
beyond the run's budget, the run ends cleanly and the next one goes on from
the last snapshot.

Snapshot (well under the platform's 5 KB):
    {"cursor": ISO, "boundaryIds": [ids stamped exactly at the cursor, already emitted],
     "startTime": the step's Start Time it was made for,
     "window": {"before": ISO, "nextToken": "...", "endIds": [...]}}   # only mid-window
"""

import re
import time
from datetime import datetime, timedelta, timezone

from dateutil.parser import isoparse, parse as parse_date

from .. import errors, schemas, settings
from ..account import open_account
from ..credentials import ALL_MARKETPLACE_IDS, credentials_from_cfg, marketplace_choices
from ..errors import ConfigurationError, shown
from ..inputs import StepField, refuse, step_fields, time_text
from ..function import is_sample_retrieval, message, stable_id
from ..times import timestamp

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_DATE_START = re.compile(r"^\d{4}-\d{2}-\d{2}")
SETTLE = timedelta(minutes=2)  # Amazon's two-minute rule
SAFETY = timedelta(seconds=5)  # our idea of the server's clock may be a little late
MAX_BOUNDARY_IDS = 150  # order ids are 19 characters: about 3.3 KB at most
SAMPLE_SIZE = 10
MAX_WINDOWS_PER_RUN = 4
MIN_FOLLOW_UP = timedelta(seconds=60)  # a further window in the same run only if it is worth a request
EMIT_BEHAVIORS = {"emitIndividually": "One message per order", "emitPage": "One message per page of orders"}
# The statuses the original component offered; Amazon documents the first seven. Each API maps them.
ORDER_STATUSES = {
    "PendingAvailability": "PendingAvailability (Japan only: pre-orders)",
    "Pending": "Pending",
    "Unshipped": "Unshipped (sent together with PartiallyShipped)",
    "PartiallyShipped": "PartiallyShipped (sent together with Unshipped)",
    "Shipped": "Shipped",
    "Canceled": "Canceled",
    "Unfulfillable": "Unfulfillable",
    "InvoiceUnconfirmed": "InvoiceUnconfirmed (China only)",
}


def getOrderStatuses(cfg):
    return dict(ORDER_STATUSES)


def getMarketplaces(cfg):
    return marketplace_choices(cfg)


def getEmitBehaviors(cfg):
    return dict(EMIT_BEHAVIORS)


def getMetaModel(cfg):
    out = "listOrders.page.out.json" if cfg.get("emitBehavior") == "emitPage" else "order.json"
    return {"in": {"type": "object", "properties": {}}, "out": schemas.load(out)}


def process(ctx, msg, cfg, snapshot=None):
    credentials = credentials_from_cfg(cfg)
    account = open_account(credentials)
    options = _options(cfg, account.max_marketplaces)
    if is_sample_retrieval(ctx):
        return _sample(ctx, account, options)
    _poll(ctx, account, options, dict(snapshot or {}))
    return None


STEP_FIELDS = (
    StepField("marketplaceIds", "multiselect", choices=ALL_MARKETPLACE_IDS),  # the account checks the region
    StepField("orderStatus", "multiselect", choices=tuple(ORDER_STATUSES)),
    StepField("startTime"), StepField("endTime"), StepField("maxResultsPerPage"),
    StepField("emitBehavior", "select", choices=tuple(EMIT_BEHAVIORS)),
)


def _options(cfg, max_marketplaces):
    step = step_fields(cfg, STEP_FIELDS)
    given = step["maxResultsPerPage"]
    page_size = 100 if given is None else _whole_number(given)
    if page_size is None:
        raise refuse("maxResultsPerPage", f"{shown(given)} is not a whole number", ConfigurationError)
    if not 1 <= page_size <= 100:
        raise refuse("maxResultsPerPage", f"must be between 1 and 100, got {shown(given)}", ConfigurationError)
    start = _time_field(step, "startTime") or EPOCH
    end = _time_field(step, "endTime")
    if end is not None and end <= start:
        raise refuse("endTime", "must be later than startTime", ConfigurationError)
    chosen = step["marketplaceIds"] or []
    if len(chosen) > max_marketplaces:
        raise refuse("marketplaceIds", f"at most {max_marketplaces} marketplaces, got {len(chosen)}",
                     ConfigurationError)
    start_text = step["startTime"]
    return {"statuses": list(dict.fromkeys(step["orderStatus"] or [])), "page_size": page_size,
            "behavior": step["emitBehavior"] or "emitIndividually", "start": start, "end": end,
            "start_text": start_text.strip(" ") if isinstance(start_text, str) else start_text,
            "marketplaces": list(dict.fromkeys(chosen)) or [(cfg.get("marketplaceId") or "").strip()]}


def _whole_number(value):
    """25 for 25, 25.0 or "25"; None for 2.5, True, "1.5" or a list
    (int() alone would quietly truncate 2.5 and take True for 1)."""
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _time_field(step, name):
    """A time under the one rule of every time field (mws_component.inputs): ISO 8601, or the original
    component's form 1970-01-01T00:00:00.000 +0000; spaces around ignored; control characters refused."""
    value = step.get(name)
    if value is None:
        return None
    try:
        text = time_text(value)
        if len(text) > 40 or not _DATE_START.match(text):
            raise ValueError(f"{shown(text)} is not a date and time (e.g. 2024-01-31T00:00:00Z)")
        try:
            when = parse_date(text)
        except (ValueError, OverflowError):
            raise ValueError(f"{shown(text)} is not a date and time (e.g. 2024-01-31T00:00:00Z)") from None
    except ValueError as exc:
        raise refuse(name, str(exc), ConfigurationError) from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _when(text):
    when = isoparse(text)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _version_key(order):
    """amazonOrderId with its lastUpdateDate: one version of an order."""
    try:
        stamp = timestamp(_when(order["lastUpdateDate"]))
    except (KeyError, ValueError, TypeError):
        stamp = str(order.get("lastUpdateDate"))
    return order.get("amazonOrderId"), stamp


def _listing(account, options, after, before, *, page_size=None, resume=None, deadline=None):
    """Orders updated in [after, before); without `before` the server bounds the window (its now − 2 min)."""
    return account.orders_updated(after=after, before=before, statuses=options["statuses"],
                                  marketplace_ids=options["marketplaces"], page_size=page_size or options["page_size"],
                                  resume=resume, deadline=deadline)


def _upper_bound(account, options):
    before = account.server_now() - SETTLE - SAFETY
    return min(before, options["end"]) if options["end"] else before


def _sample(ctx, account, options):
    """Sample retrieval: one request, a few orders, no snapshot."""
    before = _upper_bound(account, options)
    first = next(_listing(account, options, options["start"], before,
                          page_size=min(SAMPLE_SIZE, options["page_size"])), None)
    found = first.orders if first else []
    if not found:
        raise errors.ConnectorError(f"No orders found updated between {timestamp(options['start'])} and "
                                f"{timestamp(before)}; widen the Start Time or the status filter for a sample")
    if options["behavior"] == "emitPage":
        ctx.emit("data", message({"orders": found}))
    else:
        for order in found:
            ctx.emit("data", message(order, id=stable_id(*_version_key(order))))
    return None


def _poll(ctx, account, options, snapshot):
    if snapshot.get("startTime") != options["start_text"]:
        snapshot = {}  # Start Time was changed in the step: begin again from it
    cursor = _when(snapshot["cursor"]) if snapshot.get("cursor") else options["start"]
    boundary_ids = set(snapshot.get("boundaryIds") or ())
    window = snapshot.get("window")
    deadline = time.monotonic() + settings.poll_budget_seconds()
    emitted = 0
    # A run reads windows until it is caught up: Amazon may cut a window short,
    # and the server's clock (learnt from each answer) may be further on than
    # the first request assumed.
    for number in range(MAX_WINDOWS_PER_RUN):
        pages = None
        if window:
            before, at_end = _when(window["before"]), set(window.get("endIds") or ())
            pages = _resume(ctx, account, options, cursor, before, window["nextToken"], deadline)
            window = None
        if pages is None:
            if options["end"] and cursor >= options["end"]:
                if number == 0:
                    ctx.logger.info("End Time %s reached: nothing more to fetch", timestamp(options["end"]))
                break
            before, at_end = _upper_bound(account, options), set()
            bounded_by_end = options["end"] is not None and options["end"] <= before
            if number == 0 and not bounded_by_end and (not account.knows_server_time or before <= cursor):
                # Our idea of the server's clock may be missing or behind (a fresh process,
                # a clock that jumped): rather than conclude nothing has settled, let the
                # server bound the window (its now minus two minutes); its answer says where.
                before = None
            elif before - cursor <= (timedelta(0) if number == 0 else MIN_FOLLOW_UP):
                break
            pages = _listing(account, options, cursor, before, deadline=deadline)
        count, finished, before, at_end = _read_window(ctx, account, options, pages, cursor, before,
                                                       boundary_ids, at_end)
        emitted += count
        if not finished:
            break
        cursor, boundary_ids = before, at_end
    ctx.logger.info("Emitted %d order(s); next run starts at %s", emitted, timestamp(cursor))


def _read_window(ctx, account, options, pages, cursor, before, boundary_ids, at_end):
    """Emit the orders of one window's pages with a snapshot after each page.

    Returns (orders emitted, whether the window was read to its end, the
    window's end, the ids of orders stamped exactly at that end)."""
    already = {(order_id, timestamp(cursor)) for order_id in boundary_ids}
    emitted, finished = 0, False
    for page in _until_quota_is_out(ctx, pages):
        if page.before is not None and (before is None or page.before < before):
            before = page.before  # Amazon may cut the range short; its answer says where
        elif before is None:
            # A server that does not echo its bound: an estimate on its clock, now known, just below it.
            before = _upper_bound(account, options)
        found = [o for o in page.orders if _version_key(o) not in already]
        _emit_orders(ctx, options, found)
        emitted += len(found)
        # Orders stamped exactly at the window's end, should the server count the
        # end as inclusive: the next window starts there and must not repeat them.
        at_end |= _ids_at(found, before)
        state = {"startTime": options["start_text"]}
        if page.next_token:
            state |= {"cursor": timestamp(cursor), "boundaryIds": sorted(boundary_ids),
                      "window": {"before": timestamp(before), "nextToken": page.next_token, "endIds": sorted(at_end)}}
        else:
            finished = True
            if len(at_end) > MAX_BOUNDARY_IDS:
                ctx.logger.warning("%d orders share the timestamp %s; some may be emitted again next run",
                                   len(at_end), timestamp(before))
                at_end = set(sorted(at_end)[:MAX_BOUNDARY_IDS])
            state |= {"cursor": timestamp(before), "boundaryIds": sorted(at_end)}
        ctx.emit("snapshot", state)
    return emitted, finished, before, at_end


def _until_quota_is_out(ctx, pages):
    """The pages while the run's quota lasts. When the quota is used up until after the run's
    deadline, the run ends cleanly: the snapshot of the last page read says where the next run goes on."""
    try:
        yield from pages
    except errors.QuotaExhausted as exc:
        _quota_used_up(ctx, exc)


def _quota_used_up(ctx, exc):
    ctx.logger.info("Quota for listing orders is used up for this run (the next request is allowed in "
                    "%.0f s); the next run continues from the snapshot", exc.retry_after)


def _resume(ctx, account, options, cursor, before, token, deadline):
    """Continue an unfinished window from its NextToken; None when the token is no longer accepted."""
    pages = _listing(account, options, cursor, before, resume=token, deadline=deadline)
    try:
        first = next(pages)
    except errors.PageTokenRefused as exc:
        ctx.logger.warning("%s; the window is read again from its start, so orders of its first pages may be "
                           "emitted again", exc)
        return None
    except errors.QuotaExhausted as exc:  # the window stays where the snapshot says
        _quota_used_up(ctx, exc)
        return ()

    def from_first():
        yield first
        yield from pages
    return from_first()


def _emit_orders(ctx, options, found):
    if not found:
        return
    if options["behavior"] == "emitPage":
        keys = sorted("|".join(_version_key(o)) for o in found)
        ctx.emit("data", message({"orders": found}, id=stable_id("page", *keys)))
        return
    for order in found:
        ctx.emit("data", message(order, id=stable_id(*_version_key(order))))


def _ids_at(found, when):
    out = set()
    for order in found:
        try:
            if _when(order["lastUpdateDate"]) == when:
                out.add(order["amazonOrderId"])
        except (KeyError, ValueError, TypeError):
            continue
    return out
