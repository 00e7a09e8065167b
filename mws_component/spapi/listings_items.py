"""perItem mode: a listings action's items sent one Listings Items call each, paced by the usage plan.

    output = submit_per_item(account, request)      # request: a FeedRequest with .messages (SP-API)

Each ListingsMessage becomes one call (Listings Items API 2021-08-01 model): putListingsItem for Submit
Product's UPDATE (the listing created or replaced whole), patchListingsItem for PARTIAL_UPDATE (a
`replace` of each attribute given) and for the patch kinds (inventory, price, image, relationship),
deleteListingsItem for DELETE; each with the seller's id and the SKU in the path (percent-encoded),
marketplaceIds (the item's, else the credentials'), and includedData=issues on put and patch so that
Amazon's issues come back at once. The answers are mapped by report.listings_item_result into

    {"results": [{sku, status ACCEPTED|INVALID, submissionId, issues: [{code, message, severity,
                  attributeNames}]}, ...]}                                  (schemas/listingsItems.out.json)

Why a flow wants this: Amazon allows one createFeed every two minutes after a burst of 15 (Feeds API
2021-06-30 model: createFeed), so a flow that sends one record per message cannot send one feed per
message; the Listings Items operations allow 5 per second (putListingsItem burst 10, patch and delete
burst 5; SP-API: Usage Plans and Rate Limits) and answer each item's issues synchronously.

Pacing: every call goes through the account's pipeline and its one SP-API quota model (spapi/quota.py:
the operation's bucket in the endpoint's QuotaBook, shared by every account of the seller), which makes
each call wait for its token, a little past it, and counts the first call's token from its answer, as
Amazon counts from each call's arrival (the bench: 1,000 calls within 2% of the quota minimum, no 429).
A 429 blocks the bucket one restore interval and the call is sent again (the operations are idempotent:
a put or patch sent twice leaves the listing as once).

When the quota runs out mid-batch (no token within the wait allowed, or Amazon still throttling after
the retries), nothing is sent twice and nothing is lost:
- the items already answered are in `results`, as Amazon answered them;
- the items not sent are listed in `notSent` ({index, sku}, their item index in the input) and given
  back whole in `remaining` ({"items": [...]}, the input's shape), so a flow can route them to the same
  step again; the output says `complete: false`;
- the message is not rebounded, because a rebound sends the whole input message again, and with it the
  items Amazon already took. Only when not one item was sent does the caller rebound (PerItemNotStarted),
  as the feed mode does when createFeed's quota is used up.
An item Amazon refuses with a 4xx (a malformed SKU, for instance) is reported as INVALID with Amazon's
error as its issue, and the batch goes on.
"""

import json
import time

from .. import settings
from ..errors import ApiError, QuotaExhausted, TransportError
from .listings.report import listings_item_result

INCLUDED_DATA = ("issues",)


class PerItemNotStarted(Exception):
    """The quota allowed not one call: nothing was sent (the caller rebounds the message)."""

    def __init__(self, cause, retry_after):
        super().__init__(str(cause))
        self.cause = cause
        self.retry_after = retry_after


def call_of(account, message):
    """(operation name, path values, query parameters, JSON body or None) of one ListingsMessage."""
    name, body = message.listings_call()
    query = {"marketplaceIds": [_marketplace_of(message) or account.marketplace_id]}
    if name != "deleteListingsItem":
        query["includedData"] = list(INCLUDED_DATA)
    return name, {"sellerId": account.seller_id, "sku": message.sku}, query, body


def _marketplace_of(message):
    """The marketplace the message's values name (an item's own marketplaceId), if any: the call's
    marketplaceIds must be the one its attributes are for."""
    values = [p.get("value") for p in message.patches or ()] + list((message.attributes or {}).values())
    for value in values:
        for entry in value or ():
            if isinstance(entry, dict) and isinstance(entry.get("marketplace_id"), str):
                return entry["marketplace_id"]
    return None


def send_one(account, message, *, deadline=None):
    """One Listings Items call for `message`; the answer (ListingsItemSubmissionResponse) as a dict."""
    name, path, query, body = call_of(account, message)
    account.request(name, path, **query)        # bad parameters are refused before anything is sent
    data = None if body is None else json.dumps(body, ensure_ascii=False, allow_nan=False,
                                                separators=(",", ":")).encode("utf-8")

    def build():        # a fresh Request for every attempt
        request = account.request(name, path, **query)
        if data is None:
            return request
        return request.but(body=data, headers={**request.headers,
                                               "content-type": request.operation.content_type})
    return account.pipeline.run(build, deadline=deadline)


def submit_per_item(account, request, *, deadline=None, wait_seconds=None):
    """Send every message of `request` (a FeedRequest whose .messages are ListingsMessage values).

    `deadline` (monotonic) bounds the whole batch; without one, each call may wait up to
    `wait_seconds` (default MWS_ACTION_WAIT_SECONDS) for its token. Returns the perItem output;
    raises PerItemNotStarted when the first call could not go out (nothing sent)."""
    messages = list(request.messages)
    wait = settings.action_wait_seconds() if wait_seconds is None else wait_seconds
    results = []
    for position, message in enumerate(messages):
        call_deadline = deadline if deadline is not None else time.monotonic() + wait
        try:
            answer = send_one(account, message, deadline=call_deadline)
        except (QuotaExhausted, TransportError) as exc:
            stopped = exc
        except ApiError as exc:
            if exc.outcome_kind == "throttled":
                stopped = exc
            elif 400 <= (getattr(exc, "status", None) or 0) < 500:
                results.append(_refused(message, exc))
                continue
            else:
                stopped = exc
        else:
            results.append(listings_item_result(answer, message.sku))
            continue
        return _interrupted(request, messages, position, results, stopped)
    return {"results": results}


def _refused(message, exc):
    """An item Amazon refused as a request (4xx) as an INVALID result carrying Amazon's error."""
    return {"sku": message.sku, "status": "INVALID", "submissionId": None,
            "issues": [{"code": getattr(exc, "code", None) or "HttpError", "message": str(getattr(exc, "message", exc)),
                        "severity": "ERROR", "attributeNames": []}]}


def _interrupted(request, messages, position, results, cause):
    retry_after = getattr(cause, "retry_after", None)
    if position == 0:
        raise PerItemNotStarted(cause, retry_after if retry_after is not None else 0.0)
    # the messages not sent, and the input items they come from; a relationship item gives one message per
    # child SKU: when some of them went out, it goes back with only the relations not sent
    unsent = messages[position:]
    not_sent = [{"index": m.item, "sku": m.sku} for m in unsent]
    sent_skus = {}
    for m in messages[:position]:
        sent_skus.setdefault(m.item, set()).add(m.sku)
    remaining = []
    for index in dict.fromkeys(m.item for m in unsent):
        if index >= len(request.items):
            continue
        item = request.items[index]
        if index in sent_skus and isinstance(item, dict) and isinstance(item.get("relation"), list):
            item = {**item, "relation": [r for r in item["relation"]
                                         if not (isinstance(r, dict) and r.get("sku") in sent_skus[index])]}
        remaining.append(item)
    why = str(getattr(cause, "message", cause))
    return {"results": results, "complete": False, "notSent": not_sent,
            "remaining": {"items": remaining},
            "reason": f"the Listings Items quota ran out after {position} of {len(messages)} calls ({why}); "
                      "the items not sent are given back in remaining"}
