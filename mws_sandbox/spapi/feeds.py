"""The Feeds API 2021-06-30: feed documents, feeds and their processing over sandbox time.

Rules (Feeds API 2021-06-30 model; "Feeds API v2021-06-30 use case guide"; "Feed Type Values"):
- createFeedDocument {contentType} -> 201 {feedDocumentId, url}: the URL takes one PUT (documents.py).
- createFeed {feedType, marketplaceIds[1..25], inputFeedDocumentId, feedOptions?} -> 202 {feedId}. The
  document must be the seller's and uploaded; the marketplaces must be of the request's region.
- A feed is IN_QUEUE, then IN_PROGRESS, then DONE (or FATAL), as MWS feeds move (the MWS sandbox's own
  queue: feed_processing_seconds in all, feeds of one type one after another); cancelFeed cancels an
  IN_QUEUE feed only (400 otherwise).
- getFeeds: feedTypes (1-10) or nextToken, which comes alone; marketplaceIds (1-10, any matches),
  processingStatuses, pageSize 1-100 (default 10), createdSince (default 90 days ago) and createdUntil
  (default now); newest first.
- getFeedDocument -> {feedDocumentId, url, compressionAlgorithm GZIP}: result documents are gzip-compressed.
Feed types: JSON_LISTINGS_FEED (listings_feed.py); the XML and flat-file feed types MWS knew
(POST_ORDER_ACKNOWLEDGEMENT_DATA, POST_ORDER_FULFILLMENT_DATA, POST_PAYMENT_ADJUSTMENT_DATA and their
flat-file forms) through the MWS processing (xml_feeds.py); the legacy listings feed types are accepted
and end FATAL, since 2025-07-31, with a whole-document error in their XML report. Other feed types are
refused with 400 (the sandbox does not process them).
"""

import json
import threading
from dataclasses import dataclass, field

from ..clock import format_ms
from ..feeds.submissions import FeedSubmissions
from ..feeds.feed_types import CANCELLED, DONE, IN_PROGRESS, SUBMITTED
from . import listings_feed
from .answers import Answered
from .documents import REPORTS, UPLOADS, s3_base
from .errors import SpApiError, invalid_input, not_found
from .listings import read_json_body
from .orders import date_ms
from .request_values import check_marketplaces, enum_list, marketplaces
from .xml_feeds import XmlFeeds, mws_feed_type

JSON_LISTINGS_FEED = "JSON_LISTINGS_FEED"
LEGACY_FEED_TYPES = frozenset({
    "POST_PRODUCT_DATA", "POST_INVENTORY_AVAILABILITY_DATA", "POST_PRODUCT_PRICING_DATA", "POST_PRODUCT_IMAGE_DATA",
    "POST_PRODUCT_RELATIONSHIP_DATA", "POST_PRODUCT_OVERRIDES_DATA", "POST_FLAT_FILE_LISTINGS_DATA",
    "POST_FLAT_FILE_INVLOADER_DATA", "POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA",
    "POST_FLAT_FILE_BOOKLOADER_DATA", "POST_FLAT_FILE_CONVERGENCE_LISTINGS_DATA", "POST_UIEE_BOOKLOADER_DATA",
})
STATUSES = ("CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE")
STATUS_OF = {SUBMITTED: "IN_QUEUE", IN_PROGRESS: "IN_PROGRESS", DONE: "DONE", CANCELLED: "CANCELLED"}
DAY_MS = 86_400_000
LIST_WINDOW_MS = 90 * DAY_MS
MAX_FEED_TYPES = MAX_LISTED_MARKETPLACES = 10
MAX_MARKETPLACES = 25
MAX_PAGE = 100


@dataclass
class FeedResult:
    """What the queue keeps as a finished feed's report: its result document, and whether it ended FATAL."""

    document_id: str
    fatal: bool


@dataclass
class FeedRecord:
    input_document_id: str
    marketplace_ids: list
    feed_options: dict = field(default_factory=dict)


class SpFeeds:
    """SP-API feeds on their own queue (the MWS sandbox's FeedSubmissions), over the face's documents."""

    def __init__(self, *, seller_id, catalogue, store, documents, listings, processing_seconds=30.0, seed=1):
        self.seller_id = seller_id
        self.documents = documents
        self.listings = listings
        self.xml = XmlFeeds(catalogue, store)
        self.queue = FeedSubmissions(self._process, processing_seconds=processing_seconds, seed=f"spapi-{seed}")
        self._records = {}
        self._lock = threading.Lock()

    def submit(self, feed_type, document, marketplace_ids, feed_options, now_ms):
        submission = self.queue.submit(self.seller_id, feed_type, document.content, now_ms,
                                       content_type=document.content_type, marketplace_ids=tuple(marketplace_ids))
        with self._lock:
            self._records[submission.submission_id] = FeedRecord(document.document_id, list(marketplace_ids),
                                                                 dict(feed_options))
        return submission.submission_id

    def catch_up(self, now_ms):
        self.queue.catch_up(now_ms)

    def _process(self, submission, now_ms):
        if submission.feed_type in LEGACY_FEED_TYPES:
            body, content_type = self.xml.legacy_report(submission)
            fatal = True
        elif submission.feed_type == JSON_LISTINGS_FEED:
            report, fatal = listings_feed.process(submission.content, seller_id=submission.seller_id,
                                                  feed_id=submission.submission_id, listings=self.listings,
                                                  marketplace_id=submission.marketplace_ids[0])
            body, content_type = json.dumps(report, ensure_ascii=False).encode("utf-8"), "application/json"
        else:
            (body, content_type), fatal = self.xml.process(submission, now_ms), False
        document = self.documents.create_result(submission.seller_id, body, content_type, now_ms)
        return FeedResult(document.document_id, fatal)

    def feed(self, feed_id):
        submission = self.queue.get(feed_id)
        if submission is None or submission.seller_id != self.seller_id:
            return None
        return render_feed(submission)

    def select(self, where):
        return [render_feed(s) for s in self.queue.select(lambda s: s.seller_id == self.seller_id and where(s))]


def render_feed(submission):
    """The model's Feed for a submission."""
    status = STATUS_OF[submission.status]
    if status == "DONE" and submission.report.fatal:
        status = "FATAL"
    feed = {"feedId": submission.submission_id, "feedType": submission.feed_type,
            "marketplaceIds": list(submission.marketplace_ids), "createdTime": format_ms(submission.submitted_ms),
            "processingStatus": status}
    if submission.started_ms is not None:
        feed["processingStartTime"] = format_ms(submission.started_ms)
    if submission.completed_ms is not None:
        feed["processingEndTime"] = format_ms(submission.completed_ms)
        feed["resultFeedDocumentId"] = submission.report.document_id
    return feed


def accepted_feed_type(feed_type):
    return feed_type == JSON_LISTINGS_FEED or feed_type in LEGACY_FEED_TYPES or mws_feed_type(feed_type) is not None


# -- the operations -------------------------------------------------------------------------------

def create_feed_document(call):
    body = read_json_body(call)
    content_type = body.get("contentType")
    if not isinstance(content_type, str) or not content_type.strip():
        raise invalid_input("contentType is required: the media type of the document, e.g. "
                            "text/xml; charset=UTF-8")
    document = call.face.documents.create_input(call.face.seller_id, content_type)
    url = call.face.documents.presign(s3_base(call.http), "PUT", UPLOADS, document,
                                      content_type=content_type)
    return Answered(201, {"feedDocumentId": document.document_id, "url": url})


def create_feed(call):
    body = read_json_body(call)
    feed_type = body.get("feedType")
    if not isinstance(feed_type, str) or not feed_type:
        raise invalid_input("feedType is required")
    if not accepted_feed_type(feed_type):
        raise invalid_input(f"feedType '{feed_type[:60]}' is not a feed type the sandbox processes")
    ids = body.get("marketplaceIds")
    if not isinstance(ids, list) or not 1 <= len(ids) <= MAX_MARKETPLACES:
        raise invalid_input(f"marketplaceIds is required: an array of 1 to {MAX_MARKETPLACES} marketplace ids")
    ids = check_marketplaces(ids, call.region)
    document_id = body.get("inputFeedDocumentId")
    if not isinstance(document_id, str) or not document_id:
        raise invalid_input("inputFeedDocumentId is required: the feedDocumentId createFeedDocument answered")
    options = body.get("feedOptions", {})
    if not isinstance(options, dict) or not all(isinstance(v, str) for v in options.values()):
        raise invalid_input("feedOptions must be an object of string values")
    unknown = set(body) - {"feedType", "marketplaceIds", "inputFeedDocumentId", "feedOptions"}
    if unknown:
        raise invalid_input(f"{sorted(unknown)[0]} is not a field of CreateFeedSpecification")
    document = call.face.documents.get(document_id)
    if document is None or document.seller_id != call.face.seller_id or document.compression is not None:
        raise invalid_input(f"inputFeedDocumentId '{document_id[:80]}' is not a feed document of this seller")
    if not document.uploaded:
        raise invalid_input(f"inputFeedDocumentId '{document_id[:80]}' has no content: PUT the document to the url "
                            "createFeedDocument answered first")
    feed_id = call.face.feeds.submit(feed_type, document, ids, options, call.now_ms)
    return Answered(202, {"feedId": feed_id})


def _feed_id(call):
    feed_id = call.path_params["feedId"]
    if not feed_id.isdigit():
        raise invalid_input(f"feedId '{feed_id[:40]}' is not a feed id")
    return feed_id


def get_feed(call):
    feed = call.face.feeds.feed(_feed_id(call))
    if feed is None:
        raise not_found("The requested feed was not found.", f"feedId {call.path_params['feedId'][:40]}")
    return feed


def cancel_feed(call):
    feed_id = _feed_id(call)
    feed = call.face.feeds.feed(feed_id)
    if feed is None:
        raise not_found("The requested feed was not found.", f"feedId {feed_id}")
    if feed["processingStatus"] != "IN_QUEUE":
        raise invalid_input(f"Feed {feed_id} is {feed['processingStatus']}: only IN_QUEUE feeds can be cancelled")
    call.face.feeds.queue.cancel(lambda s: s.submission_id == feed_id)
    return Answered(200, None)


def get_feeds(call):
    query = call.query
    token = query.get("nextToken")
    if token is not None:
        others = sorted(set(query) - {"nextToken"})
        if others:
            raise invalid_input(f"nextToken must be sent alone; {others[0]} was given with it")
        try:
            payload = call.page_tokens.decode(token)
        except SpApiError:
            raise invalid_input("Invalid nextToken: it was not issued by this service or was altered") from None
        filters, after = payload["q"], payload["last"]
    else:
        types = query.get("feedTypes")
        if not types:
            raise invalid_input("feedTypes or nextToken is required")
        types = types.split(",")
        if len(types) > MAX_FEED_TYPES or any(not t for t in types):
            raise invalid_input(f"feedTypes must have 1 to {MAX_FEED_TYPES} non-empty values")
        markets = marketplaces(query, call.region, max_items=MAX_LISTED_MARKETPLACES)
        statuses = enum_list(query, "processingStatuses", STATUSES)
        size = query.get("pageSize", "10")
        if not size.isdigit() or not 1 <= int(size) <= MAX_PAGE:
            raise invalid_input(f"pageSize '{size[:20]}' must be an integer from 1 to {MAX_PAGE}")
        since, until = date_ms(query, "createdSince"), date_ms(query, "createdUntil")
        since = call.now_ms - LIST_WINDOW_MS if since is None else since
        until = call.now_ms if until is None else until
        if since > until:
            raise invalid_input("createdSince must not be after createdUntil")
        filters = {"types": types, "markets": markets, "statuses": statuses, "size": int(size), "since": since,
                   "until": until}
        after = None

    def where(s):
        return (s.feed_type in filters["types"] and filters["since"] <= s.submitted_ms <= filters["until"]
                and (not filters["markets"] or set(s.marketplace_ids) & set(filters["markets"]))
                and (after is None or int(s.submission_id) < after))
    feeds = [f for f in call.face.feeds.select(where)
             if not filters["statuses"] or f["processingStatus"] in filters["statuses"]]
    page = feeds[:filters["size"]]
    body = {"feeds": page}
    if len(feeds) > len(page):
        body["nextToken"] = call.page_tokens.encode({"q": filters, "last": int(page[-1]["feedId"])})
    return body


def get_feed_document(call):
    document_id = call.path_params["feedDocumentId"]
    flag = call.query.get("enableContentEncodingUrlHeader", "false")
    if flag not in ("true", "false"):
        raise invalid_input(f"enableContentEncodingUrlHeader '{flag[:20]}' must be true or false")
    document = call.face.documents.get(document_id)
    if document is None or document.seller_id != call.face.seller_id:
        raise not_found("The requested feed document was not found.", f"feedDocumentId {document_id[:80]}")
    base = s3_base(call.http)
    if document.compression is None:  # an input document: its content as uploaded
        url = call.face.documents.presign(base, "GET", REPORTS, document)
        return {"feedDocumentId": document.document_id, "url": url}
    url = call.face.documents.presign(base, "GET", REPORTS, document,
                                      content_encoding="gzip" if flag == "true" else None)
    return {"feedDocumentId": document.document_id, "url": url, "compressionAlgorithm": "GZIP"}
