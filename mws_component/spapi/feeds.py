"""The Feeds API 2021-06-30 behind the SP-API account: submit a feed, follow it, read its report.

Submitting (Feeds API v2021-06-30 use case guide):
1. createFeedDocument {contentType} -> {feedDocumentId, url};
2. PUT the document to `url` with exactly that Content-Type (a presigned S3 URL: no access token;
   documents.py's PresignedUrl pipeline, a sibling of the SP-API one);
3. createFeed {feedType, marketplaceIds, inputFeedDocumentId} -> {feedId};
then one getFeed for the submission's createdTime and status, as MWS's SubmitFeed answers them.

Listings kinds go as one JSON_LISTINGS_FEED (listings/feed.py: one message per item, messageId from
1, the header asking for the issues report); the order kinds as their XML feed (the FeedRequest's own
XSD-valid writer), POST_ORDER_ACKNOWLEDGEMENT_DATA and POST_ORDER_FULFILLMENT_DATA. Amazon stopped
processing the XML listings feeds on 2025-07-31 (SP-API: Feed Type Values), so those are never sent.

An upload whose answer was lost is not sent again to the same URL (the URL takes one PUT; whether
the first arrived cannot be known): the document is created afresh and uploaded once more, as it is
when the URL expired (403 "Request has expired") before the upload. Nothing
refers to the abandoned document, which expires. createFeed itself is never repeated after a lost
answer (operations.py: idempotent=False): a second feed would apply the items twice.
"""

import gzip
import logging
import shutil
import tempfile
from contextlib import contextmanager

from ..errors import FeedNotReady, InputError, QuotaExhausted, ResponseError, TransportError, shown
from .documents import PresignedUrl, S3Error
from .errors import SpApiError
from .listings.feed import CONTENT_TYPE as JSON_CONTENT_TYPE, FEED_TYPE as JSON_LISTINGS_FEED, MAX_MESSAGES
from .listings.feed import build_feed_for_request, build_listings_feed
from .listings.mapping import ListingsContext
from .listings.report import FINISHED, REPORT_STATUS_CODES, feed_info, feed_status as mapped_status, \
    read_listings_report

log = logging.getLogger("mws_component.spapi.feeds")

XML_CONTENT_TYPE = "text/xml; charset=UTF-8"
LISTINGS_KINDS = frozenset({"product", "inventory", "price", "image", "relationship"})
# The XML order feeds Amazon still processes (SP-API: Feed Type Values), by the FeedKind's key
ORDER_FEED_TYPES = {"orderAcknowledgement": "POST_ORDER_ACKNOWLEDGEMENT_DATA",
                    "orderFulfillment": "POST_ORDER_FULFILLMENT_DATA"}
UPLOAD_ATTEMPTS = 2  # a fresh document after an upload whose answer was lost, once


class FeedDocument:
    """A document to upload: its open binary file (position irrelevant), type and message count."""

    def __init__(self, file, content_type, feed_type, message_count):
        self.file, self.content_type, self.feed_type, self.message_count = file, content_type, feed_type, message_count


def kind_key(request):
    return getattr(request.kind, "key", request.kind)


def document_for(account, request):
    """The FeedDocument of a FeedRequest (every item checked and written before anything is sent)."""
    key = kind_key(request)
    if key in LISTINGS_KINDS:
        items = getattr(request, "items", ())
        if hasattr(items, "__len__") and len(items) > MAX_MESSAGES:
            raise InputError(f"items: a JSON_LISTINGS_FEED takes at most {MAX_MESSAGES:,} messages, got "
                             f"{len(items):,}; split the items over several feeds", field="items")
        mapped = getattr(request, "messages", ())
        if mapped:      # the action's edge mapped and checked every item already (submit.listings_request)
            feed = build_listings_feed(mapped, account.seller_id)
            return FeedDocument(feed.file, JSON_CONTENT_TYPE, JSON_LISTINGS_FEED, feed.message_count)
        context = ListingsContext(account.marketplace_id)
        view = _ListingsView(request)
        definition = definition_for(account, view.category) if key == "product" and view.category else None
        feed = build_feed_for_request(view, account.seller_id, context, definition=definition)
        return FeedDocument(feed.file, JSON_CONTENT_TYPE, JSON_LISTINGS_FEED, feed.message_count)
    if key in ORDER_FEED_TYPES:
        feed = request.write(account.seller_id)
        return FeedDocument(feed.file, XML_CONTENT_TYPE, ORDER_FEED_TYPES[key], feed.message_count)
    raise InputError(f"the {shown(key)} feed has no SP-API counterpart", field="kind")


class _ListingsView:
    """A FeedRequest as listings/feed.py reads it: its items as the MWS-shaped dicts the mapping takes
    (the edge's checked (OperationType, payload) pairs put back together), its category as the
    product type name."""

    def __init__(self, request):
        self.kind = request.kind
        self.operation_type = request.operation_type
        category = getattr(request, "product_type", None) or getattr(request, "category", None)
        self.category = category if isinstance(category, str) and category.strip() else None
        self.items = (_item_of(item) for item in request.items)   # mapped and written one at a time


def _item_of(item):
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], dict):
        operation_type, payload = item
        return {"operationType": operation_type, **payload} if operation_type else dict(payload)
    return item


def definition_for(account, product_type, requirements="LISTING"):
    """The product type's Definition (the account's one cache per marketplace, product type, version and
    requirements); InputError naming productType when Amazon has none."""
    try:
        return account.product_type_definition(product_type, requirements)
    except SpApiError as exc:
        if exc.status == 404:
            raise InputError(f"productType: Amazon knows no product type {shown(product_type)} in marketplace "
                             f"{account.marketplace_id}", field="productType") from None
        raise


# -- submitting ---------------------------------------------------------------------------------

def submit(account, request, *, deadline=None):
    """Submit a FeedRequest: the submission as the MWS actions emit it."""
    if getattr(request, "submit_mode", "feed") == "perItem":
        from .listings_items import submit_per_item
        return submit_per_item(account, request, deadline=deadline)
    document = document_for(account, request)
    with document.file:
        return submit_document(account, document, deadline=deadline)


def submit_document(account, document, *, deadline=None, marketplace_ids=None):
    """createFeedDocument, PUT, createFeed, getFeed: {feedSubmissionId, feedType, feedProcessingStatus,
    submittedDate, messageCount}.

    When createFeed's usage plan (one call per two minutes after a burst of 15) will not allow a call
    within `deadline`, QuotaExhausted is raised before the document is created or uploaded."""
    wait = account.quota_delay("createFeed")
    if deadline is not None and account.pipeline.clock() + wait > deadline:
        raise QuotaExhausted(f"createFeed: the usage plan allows the next feed in {wait:.0f} s, later than this "
                             "call may wait", retry_after=wait)
    document_id = upload(account, document, deadline=deadline)
    created = account.run_json("createFeed", {"feedType": document.feed_type,
                                              "marketplaceIds": list(marketplace_ids or [account.marketplace_id]),
                                              "inputFeedDocumentId": document_id}, deadline=deadline)
    feed_id = created.get("feedId") if isinstance(created, dict) else None
    if not isinstance(feed_id, str) or not feed_id:
        raise ResponseError("createFeed answered no feedId")
    try:
        info = feed_info(account.run("getFeed", {"feedId": feed_id}, deadline=deadline))
    except (SpApiError, TransportError, ResponseError) as exc:  # the feed is taken; say so without its details
        log.warning("feed %s was created; getFeed did not tell its status (%s)", feed_id, exc)
        info = {"feedType": document.feed_type, "feedProcessingStatus": mapped_status("IN_QUEUE"),
                "submittedDate": account.timestamp_now()}
    return {"feedSubmissionId": feed_id, "feedType": info.get("feedType") or document.feed_type,
            "feedProcessingStatus": info["feedProcessingStatus"], "submittedDate": info.get("submittedDate"),
            "messageCount": document.message_count}


def upload(account, document, *, deadline=None):
    """The feedDocumentId of a created and uploaded document."""
    for attempt in range(1, UPLOAD_ATTEMPTS + 1):
        created = account.run_json("createFeedDocument", {"contentType": document.content_type}, deadline=deadline)
        document_id, url = (created.get("feedDocumentId"), created.get("url")) if isinstance(created, dict) \
            else (None, None)
        if not isinstance(document_id, str) or not isinstance(url, str) or not document_id or not url:
            raise ResponseError("createFeedDocument answered no feedDocumentId and url")
        try:
            PresignedUrl(url, account.endpoints, time_scale=account.time_scale, retry=account.retry).put(
                document.file, document.content_type, deadline=deadline)
            return document_id
        except (TransportError, S3Error) as exc:
            # a lost answer (the URL may have taken the upload) or an expired URL: a new document, once
            expired = isinstance(exc, S3Error) and exc.status == 403 and "expired" in str(exc.message).lower()
            if attempt == UPLOAD_ATTEMPTS or not (expired or isinstance(exc, TransportError)):
                raise
            log.warning("the upload of feed document %s failed (%s); uploading to a new document", document_id, exc)
    raise AssertionError("unreachable")


# -- status and report ----------------------------------------------------------------------------

def get_feed(account, feed_id):
    """getFeed's Feed; the MWS actions' InputError when Amazon knows no such feed for the seller."""
    try:
        return account.run("getFeed", {"feedId": feed_id})
    except SpApiError as exc:
        if exc.status in (400, 404):
            from ..mws.feeds import unknown_submission
            raise unknown_submission(feed_id) from None
        raise


def status(account, feed_id):
    return feed_info(get_feed(account, feed_id))


@contextmanager
def report(account, feed_id):
    """("header", {...}) then ("result", {...})* of a finished feed's processing report (FeedNotReady before)."""
    feed = get_feed(account, feed_id)
    processing = feed.get("processingStatus")
    mapped_status(processing)  # an unknown status is refused
    if processing not in FINISHED:
        raise FeedNotReady(f"feed {feed_id} is not processed yet: its processingStatus is {processing}")
    document_id = feed.get("resultFeedDocumentId")
    if not document_id:
        yield _no_report(feed_id, processing)
        return
    answer = account.run("getFeedDocument", {"feedDocumentId": document_id})
    url = answer.get("url") if isinstance(answer, dict) else None
    if not isinstance(url, str) or not url:
        raise ResponseError(f"getFeedDocument answered no url for the report of feed {feed_id}")
    compression = answer.get("compressionAlgorithm")
    raw = PresignedUrl(url, account.endpoints, time_scale=account.time_scale, retry=account.retry).get(
        sink=lambda: tempfile.TemporaryFile(prefix="spapi-report-"))
    with raw:
        if feed.get("feedType") == JSON_LISTINGS_FEED:
            yield read_listings_report(raw, compression, processing_status=processing)
            return
        with _plain(raw, compression) as plain:
            yield _xml_report(plain, processing)


def _no_report(feed_id, processing):
    yield "header", {"feedSubmissionId": feed_id, "statusCode": REPORT_STATUS_CODES.get(processing, "Complete")}
    if processing != "DONE":
        yield "result", {"messageId": 0, "resultCode": "Error", "resultMessageCode": processing,
                         "resultDescription": f"the feed ended {processing} and Amazon gave no processing report"}


@contextmanager
def _plain(file, compression):
    """The report decompressed into a temporary file (the XML reader reads its start twice)."""
    file.seek(0)
    head = file.read(2)
    file.seek(0)
    if compression not in (None, "GZIP"):
        raise ResponseError(f"getFeedDocument names an unknown compressionAlgorithm {shown(compression)}")
    if compression is None and head != b"\x1f\x8b":
        yield file
        return
    with tempfile.TemporaryFile(prefix="spapi-report-") as out:
        try:
            with gzip.GzipFile(fileobj=file, mode="rb") as unzipped:
                shutil.copyfileobj(unzipped, out, 1 << 16)
        except (OSError, EOFError) as error:
            raise ResponseError(f"processing report could not be decompressed ({error})") from None
        out.seek(0)
        yield out


def _xml_report(file, processing):
    """The MWS XML processing report of an order feed (or a legacy feed's FATAL report). A feed that ended
    FATAL says Rejected whatever its report's StatusCode (Amazon writes Complete there: the report was)."""
    from ..mws.feeds import read_report
    for kind, value in read_report(file):
        if kind == "header" and processing != "DONE":
            value = {**value, "statusCode": REPORT_STATUS_CODES[processing]}
        yield kind, value

