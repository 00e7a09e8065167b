"""The Feeds API section (2009-01-01): submit a feed, follow it, read its report.

A small layer over MwsClient, like orders.py: the operations are rows of
operations.py, the XML feeds come from the feeds package.
"""

import logging
import tempfile

from lxml import etree

from . import schemas, xmlsafe
from .errors import ContentMD5Mismatch, InputError, ResponseError
from .mapper import compile_schema, map_element
from .naming import json_name

log = logging.getLogger("mws_component.feed_submissions")

# A corrupted report is fetched again up to three more times (Amazon MWS Feeds API Reference,
# GetFeedSubmissionResult).
MD5_ATTEMPTS = 4


def submit(client, request, *, deadline=None):
    """Write the FeedRequest (its items were checked when it was built) and SubmitFeed it."""
    kind = request.kind
    feed = request.write(client.credentials.seller_id)
    try:
        markets = list(request.marketplace_ids)
        if not markets and kind.feed_type == "_POST_PRODUCT_IMAGE_DATA_":
            # Amazon: without a marketplace an image may not be published.
            markets = [client.credentials.marketplace_id]
        result = client.call("SubmitFeed", body=feed.file, content_type="text/xml", deadline=deadline,
                             FeedType=kind.feed_type, ContentMD5Value=feed.content_md5,
                             MarketplaceIdList=markets or None, PurgeAndReplace=False)
    finally:
        feed.file.close()
    info = submission_info(xmlsafe.find(result.result, "FeedSubmissionInfo"))
    return {"feedSubmissionId": info["feedSubmissionId"], "feedType": info["feedType"],
            "feedProcessingStatus": info["feedProcessingStatus"], "submittedDate": info["submittedDate"],
            "messageCount": feed.message_count}


def submission_info(element):
    if element is None:
        raise ResponseError("the answer has no FeedSubmissionInfo")
    return map_element(element, compile_schema(schemas.load("feedSubmissionInfo.json")))


def status(client, feed_submission_id):
    """The FeedSubmissionInfo of one submission (GetFeedSubmissionList by id)."""
    result = client.call("GetFeedSubmissionList", FeedSubmissionIdList=[feed_submission_id])
    for element in xmlsafe.children(result.result):
        if xmlsafe.local_name(element) == "FeedSubmissionInfo":
            info = submission_info(element)
            if info.get("feedSubmissionId") == feed_submission_id:
                return info
    raise unknown_submission(feed_submission_id)


def unknown_submission(feed_submission_id):
    return InputError(f"body.feedSubmissionId: no feed submission {feed_submission_id} is known to Amazon "
                      "for this seller", field="body.feedSubmissionId")


def download_report(client, feed_submission_id):
    """The raw processing report in a temporary file, its Content-MD5 checked.

    A body that does not match its Content-MD5 was corrupted in transit: it is
    discarded and fetched again, up to three more times, then refused."""
    for attempt in range(1, MD5_ATTEMPTS + 1):
        answer = client.send("GetFeedSubmissionResult", FeedSubmissionId=feed_submission_id,
                             sink=lambda: tempfile.TemporaryFile(prefix="mws-report-"))
        expected = (answer.headers.get("content-md5") or "").strip()
        if not expected or expected == answer.md5:
            if not expected:
                log.warning("report %s came without Content-MD5; it could not be checked", feed_submission_id)
            return answer.file
        answer.file.close()
        log.warning("report %s: Content-MD5 mismatch (attempt %d of %d)", feed_submission_id, attempt, MD5_ATTEMPTS)
    raise ContentMD5Mismatch(f"the processing report of feed {feed_submission_id} did not match its Content-MD5 "
                             f"in {MD5_ATTEMPTS} downloads; it was corrupted in transit")


_SUMMARY_FIELDS = ("MessagesProcessed", "MessagesSuccessful", "MessagesWithError", "MessagesWithWarning")


def read_report(file):
    """Stream a ProcessingReport: yields ("header", {...}) once the summary is known, then
    ("result", {...}) per Result. Elements are dropped as soon as they are read, so a
    report of any size is read in constant memory."""
    head = file.read(65536)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ResponseError("processing report declares a DTD or entities, which MWS never sends; refused")
    file.seek(0)
    result_shape = compile_schema(schemas.load("processingResult.json"))
    header = {}
    announced = False
    try:
        for event, element in xmlsafe.iterparse_safe(file, events=("start", "end")):
            name = xmlsafe.local_name(element)
            if event == "start":
                if element.getparent() is None and name != "AmazonEnvelope":
                    raise ResponseError(f"not a processing report: the document is <{name}>, not <AmazonEnvelope>")
                if name == "Result" and not announced:
                    announced = True
                    yield "header", header
                continue
            if name in ("DocumentTransactionID", "StatusCode"):
                header[json_name(name)] = (element.text or "").strip()
            elif name == "ProcessingSummary":
                header["processingSummary"] = {json_name(n): _integer(xmlsafe.find_text(element, n))
                                               for n in _SUMMARY_FIELDS if xmlsafe.find(element, n) is not None}
            elif name == "Result":
                yield "result", map_element(element, result_shape)
                element.clear(keep_tail=False)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise ResponseError(f"processing report is not well-formed XML ({str(exc).splitlines()[0][:200]})") from None
    if not announced:
        yield "header", header


def _integer(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return text
