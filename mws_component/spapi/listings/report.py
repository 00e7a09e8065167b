"""Feeds API answers in the outputs the MWS feed actions already have.

- feed_info: a Feed (getFeed) as schemas/feedSubmissionInfo.json, feedProcessingStatus from
  processingStatus, which is added as it is;
- read_listings_report: the JSON_LISTINGS_FEED processing report (JSON Listings Feed Processing Report
  schema v2) streamed from a file, gunzipped when getFeedDocument said compressionAlgorithm GZIP, as
  the MWS report reader yields it: ("header", {feedSubmissionId, statusCode, processingSummary}) then
  ("result", {messageId, resultCode, resultMessageCode, resultDescription, additionalInfo{sku},
  attributeName, severity}) per issue, in constant memory (ijson; the file is read twice: once for
  the header and summary, which may come after the issues, once for the issues).
"""

import gzip

import ijson

from ...errors import ResponseError, shown

FEED_PROCESSING_STATUSES = {"IN_QUEUE": "_SUBMITTED_", "IN_PROGRESS": "_IN_PROGRESS_", "DONE": "_DONE_",
                            "CANCELLED": "_CANCELLED_", "FATAL": "_FATAL_"}
FINISHED = frozenset({"DONE", "CANCELLED", "FATAL"})
# the report's statusCode (feedSubmissionResult.out.json): what the feed's end was
REPORT_STATUS_CODES = {"DONE": "Complete", "FATAL": "Rejected", "CANCELLED": "Rejected"}
RESULT_CODES = {"ERROR": "Error", "WARNING": "Warning", "INFO": "Warning"}    # the output knows Error/Warning
SUMMARY = (("messagesProcessed", "messagesProcessed"), ("messagesSuccessful", "messagesAccepted"),
           ("messagesWithError", "messagesInvalid"), ("messagesWithWarning", "warnings"))
_GZIP_MAGIC = b"\x1f\x8b"


def feed_status(processing_status):
    try:
        return FEED_PROCESSING_STATUSES[processing_status]
    except (KeyError, TypeError):
        raise ResponseError(f"getFeed answered an unknown processingStatus {shown(processing_status)}") from None


def feed_info(feed):
    """getFeed's Feed as the Get Feed Submission Status output."""
    if not isinstance(feed, dict) or not feed.get("feedId"):
        raise ResponseError("getFeed answered no Feed (feedId missing)")
    info = {"feedSubmissionId": feed["feedId"], "feedType": feed.get("feedType"),
            "submittedDate": feed.get("createdTime"),
            "feedProcessingStatus": feed_status(feed.get("processingStatus")),
            "processingStatus": feed["processingStatus"]}
    for ours, theirs in (("startedProcessingDate", "processingStartTime"),
                         ("completedProcessingDate", "processingEndTime"),
                         ("resultFeedDocumentId", "resultFeedDocumentId")):
        if feed.get(theirs):
            info[ours] = feed[theirs]
    return info


def submission(feed_id, feed_type, submitted_date, message_count):
    """The Submit actions' output after createFeed (which answers only {feedId})."""
    return {"feedSubmissionId": feed_id, "feedType": feed_type, "feedProcessingStatus": "_SUBMITTED_",
            "submittedDate": submitted_date, "messageCount": message_count}


def _stream(file, compression):
    file.seek(0)
    if compression is None:
        head = file.read(2)
        file.seek(0)
        # a JSON text never starts with 0x1f: a report gzipped without saying so is still read
        compression = "GZIP" if head == _GZIP_MAGIC else None
    if compression == "GZIP":
        return gzip.GzipFile(fileobj=file, mode="rb")
    if compression is not None:
        raise ResponseError(f"getFeedDocument names an unknown compressionAlgorithm {shown(compression)}")
    return file


def _events(stream):
    try:
        yield from ijson.parse(stream, use_float=True)
    except ijson.JSONError as error:
        raise ResponseError(f"processing report is not valid JSON ({str(error)[:200]})") from None
    except (OSError, EOFError) as error:       # gzip: not gzip, or cut short
        raise ResponseError(f"processing report could not be decompressed ({error})") from None


def _head(file, compression):
    """(header, summary) of the report, wherever they are in it."""
    found, builders = {}, {}
    first = True
    for prefix, event, value in _events(_stream(file, compression)):
        if first:
            first = False
            if event != "start_map":
                raise ResponseError("not a processing report: the document is not a JSON object")
        top = prefix.partition(".")[0]
        if top not in ("header", "summary"):
            continue
        builder = builders.get(top)
        if builder is None:
            builder = builders[top] = ijson.ObjectBuilder()
        builder.event(event, value)
        if prefix == top and event in ("end_map", "end_array", "string", "number", "boolean", "null"):
            found[top] = builder.value
            if len(found) == 2:
                break
    header, summary = found.get("header"), found.get("summary")
    if not isinstance(header, dict):
        raise ResponseError("not a processing report: it has no header")
    return header, summary if isinstance(summary, dict) else {}


def _objects(file, compression, prefixes):
    """(prefix, object) for each JSON value at one of `prefixes` ("issues.item"), one at a time."""
    builder = current = None
    for prefix, event, value in _events(_stream(file, compression)):
        if builder is None:
            if prefix in prefixes and event in ("start_map", "start_array"):
                builder, current = ijson.ObjectBuilder(), prefix
            elif prefix in prefixes and event in ("string", "number", "boolean", "null"):
                yield prefix, value
                continue
            else:
                continue
        builder.event(event, value)
        if prefix == current and event in ("end_map", "end_array"):
            yield current, builder.value
            builder = None


def result_of(issue):
    """One issue as a feedSubmissionResult result."""
    if not isinstance(issue, dict):
        raise ResponseError(f"processing report issue is not an object: {shown(issue)}")
    severity = issue.get("severity")
    result = {"messageId": issue.get("messageId") if isinstance(issue.get("messageId"), int) else 0,
              "resultCode": RESULT_CODES.get(severity, "Error")}
    if issue.get("code") is not None:
        result["resultMessageCode"] = str(issue["code"])
    result["resultDescription"] = str(issue.get("message", ""))
    if issue.get("sku"):
        result["additionalInfo"] = {"sku": issue["sku"]}
    if issue.get("attributeName"):
        result["attributeName"] = issue["attributeName"]
    result["severity"] = severity if severity in RESULT_CODES else str(severity)
    return result


def item_results(item, message_ids=None):
    """The issues of one listings item of the report's items[] (what Amazon found after accepting the
    message, present because the feed's header asked for issues) as results; `message_ids` maps a SKU
    to its messageId when the caller knows the feed."""
    if not isinstance(item, dict):
        raise ResponseError(f"processing report item is not an object: {shown(item)}")
    sku = item.get("sku")
    for issue in item.get("issues") or ():
        if not isinstance(issue, dict):
            raise ResponseError(f"processing report item issue is not an object: {shown(issue)}")
        names = issue.get("attributeNames") or ()
        flat = {"sku": sku, "code": issue.get("code"), "severity": issue.get("severity"),
                "message": issue.get("message"), "attributeName": ", ".join(map(str, names)) or None,
                "messageId": (message_ids or {}).get(sku)}
        result = result_of(flat)
        if result["messageId"] == 0:
            del result["messageId"]         # not known: 0 would mean the whole document
        if names:
            result["attributeNames"] = list(names)
        yield result


def read_listings_report(file, compression=None, *, processing_status="DONE", message_ids=None):
    """Yield ("header", {...}) once, then ("result", {...}) per issue of the processing report in the binary
    seekable `file`: the issues that blocked or warned on acceptance (issues[]), then those Amazon found
    on each listings item afterwards (items[].issues). `compression` is getFeedDocument's
    compressionAlgorithm (GZIP or None); `message_ids` optionally maps SKUs to messageIds."""
    header, summary = _head(file, compression)
    out = {"feedSubmissionId": str(header.get("feedId", "")),
           "statusCode": REPORT_STATUS_CODES.get(processing_status, "Complete")}
    counts = {ours: summary[theirs] for ours, theirs in SUMMARY if isinstance(summary.get(theirs), int)}
    if counts:
        out["processingSummary"] = counts
    yield "header", out
    for prefix, value in _objects(file, compression, ("issues.item", "items.item")):
        if prefix == "issues.item":
            yield "result", result_of(value)
        else:
            for result in item_results(value, message_ids):
                yield "result", result


def listings_item_result(answer, sku=None):
    """A Listings Items submission answer (ListingsItemSubmissionResponse: sku, status ACCEPTED/INVALID/VALID,
    submissionId, issues[]) as one entry of the perItem output's results."""
    if not isinstance(answer, dict) or not answer.get("status"):
        raise ResponseError(f"the Listings Items API answered no submission status for SKU {shown(sku)}")
    issues = []
    for issue in answer.get("issues") or ():
        if not isinstance(issue, dict):
            raise ResponseError(f"listings issue is not an object: {shown(issue)}")
        issues.append({"code": issue.get("code"), "message": issue.get("message"), "severity": issue.get("severity"),
                       "attributeNames": list(issue.get("attributeNames") or ())})
    return {"sku": answer.get("sku") or sku, "status": answer["status"], "submissionId": answer.get("submissionId"),
            "issues": issues}
