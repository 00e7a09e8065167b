"""The JSON processing report into feedSubmissionResult, streamed and gunzipped; the feed status mapping."""

import gzip
import io
import json

import pytest

from mws_component.errors import ResponseError
from mws_component.spapi.listings import report as report_module
from mws_component.spapi.listings.report import (FEED_PROCESSING_STATUSES, feed_info, feed_status,
                                                 read_listings_report, submission)
from mws_component.spapi.operations import FEED_PROCESSING_STATUSES as MODEL_STATUSES
from tests.schema_check import assert_valid

from .listings_support import report_example, report_validator


def report(issues=(), summary=None, items=None, feed_id="50001", summary_first=False):
    document = {"header": {"sellerId": "A1EXAMPLE23", "version": "2.0", "feedId": feed_id,
                           "report": {"includedData": ["issues"], "apiVersion": "2021-08-01"}}}
    summary = summary or {"errors": 0, "warnings": 0, "messagesProcessed": 0, "messagesAccepted": 0,
                          "messagesInvalid": 0}
    if summary_first:
        document["summary"] = summary
    document["issues"] = list(issues)
    document["summary"] = summary
    if items is not None:
        document["items"] = items
    report_validator().validate(document)       # Amazon's processing report schema
    return document


def read(document, compression=None, **options):
    raw = json.dumps(document).encode()
    if compression == "GZIP":
        raw = gzip.compress(raw)
    return list(read_listings_report(io.BytesIO(raw), compression, **options))


def as_output(events):
    """The action's output: the header's fields and the results (feedSubmissionResult.out.json)."""
    (kind, header), *results = events
    assert kind == "header" and all(k == "result" for k, _ in results)
    return {**header, "results": [r for _, r in results]}


def test_amazons_example_report():
    document = report_example()
    report_validator().validate(document)
    out = as_output(read(document))
    assert_valid(out, "feedSubmissionResult.out.json")
    assert out["feedSubmissionId"] == "1234567890" and out["statusCode"] == "Complete"
    assert out["processingSummary"] == {"messagesProcessed": 4, "messagesSuccessful": 2, "messagesWithError": 2,
                                        "messagesWithWarning": 0}
    first, second, third, *later = out["results"]
    assert first == {"messageId": 4, "resultCode": "Error", "resultMessageCode": "90220",
                     "resultDescription": "'[batteries_required]' is required but not supplied.",
                     "additionalInfo": {"sku": "My-SKU-B"}, "severity": "ERROR"}
    assert third["attributeName"] == "purchasable_offer.our_price" and third["messageId"] == 5
    # what Amazon found on the listings afterwards (items[].issues, there because the feed asked for issues)
    assert [(r["resultMessageCode"], r["resultCode"], r["additionalInfo"]["sku"]) for r in later] == [
        ("18448", "Warning", "My-SKU-B"), ("18027", "Warning", "My-SKU-B")]
    assert later[0]["attributeNames"] == ["item_diameter", "item_dimensions", "item_weight", "theme"]
    assert "messageId" not in later[0]


def test_item_issues_take_the_message_id_when_known():
    document = report(items=[{"sku": "S-1", "issues": [{"code": "1", "message": "m", "severity": "ERROR",
                                                        "categories": ["INVALID_ATTRIBUTE"]}]}])
    (_, result), = read(document, message_ids={"S-1": 7})[1:]
    assert result["messageId"] == 7 and result["resultCode"] == "Error"


def test_severities_feed_level_issues_and_a_summary_after_the_issues():
    issues = [{"messageId": 1, "sku": "A", "code": "8541", "severity": "WARNING", "message": "w"},
              {"severity": "ERROR", "message": "The feed is not valid JSON"},
              {"messageId": 2, "sku": "B", "severity": "INFO", "message": "fyi"}]
    summary = {"errors": 1, "warnings": 1, "messagesProcessed": 2, "messagesAccepted": 1, "messagesInvalid": 1}
    out = as_output(read(report(issues, summary)))
    assert_valid(out, "feedSubmissionResult.out.json")
    assert out["processingSummary"] == {"messagesProcessed": 2, "messagesSuccessful": 1, "messagesWithError": 1,
                                        "messagesWithWarning": 1}
    assert [(r["messageId"], r["resultCode"], r["severity"]) for r in out["results"]] == [
        (1, "Warning", "WARNING"), (0, "Error", "ERROR"), (2, "Warning", "INFO")]
    assert "resultMessageCode" not in out["results"][1] and "additionalInfo" not in out["results"][1]


@pytest.mark.parametrize("summary_first", [False, True])
def test_gzip_reports_said_and_unsaid(summary_first):
    document = report([{"messageId": 1, "sku": "A", "severity": "ERROR", "message": "x"}], summary_first=summary_first)
    assert read(document, "GZIP") == read(document)
    raw = gzip.compress(json.dumps(document).encode())
    assert list(read_listings_report(io.BytesIO(raw), None)) == read(document)


def test_a_large_report_is_streamed(monkeypatch):
    """Issues come out one at a time: the reader never builds the issues array."""
    built = []
    real = report_module.ijson.ObjectBuilder

    class Counting(real):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            built.append(self)
    monkeypatch.setattr(report_module.ijson, "ObjectBuilder", Counting)
    issues = [{"messageId": n, "sku": f"S-{n}", "severity": "ERROR", "message": "bad"} for n in range(1, 3001)]
    events = read_listings_report(io.BytesIO(json.dumps(report(issues)).encode()))
    assert next(events)[0] == "header"
    for n, (kind, result) in enumerate(events, 1):
        assert result["messageId"] == n
    assert n == 3000
    # one builder per issue (plus header and summary), each holding one issue: never an array of them
    assert all(not isinstance(b.value, list) or len(b.value) <= 1 for b in built)


@pytest.mark.parametrize("raw, words", [
    (b"[1, 2]", "not a JSON object"),
    (b'{"issues": []}', "no header"),
    (b'{"header": {"feedId": "1"}, "issues": [', "not valid JSON"),
    (b"\x1f\x8bnot gzip", "decompressed"),
])
def test_bad_reports(raw, words):
    with pytest.raises(ResponseError, match=words):
        list(read_listings_report(io.BytesIO(raw)))


def test_unknown_compression():
    with pytest.raises(ResponseError, match="compressionAlgorithm"):
        list(read_listings_report(io.BytesIO(b"{}"), "ZSTD"))


def test_fatal_status_code():
    header = read(report(), processing_status="FATAL")[0][1]
    assert header["statusCode"] == "Rejected"


# -- the feed status ------------------------------------------------------------------------------

def test_every_processing_status_of_the_model_is_mapped():
    assert set(FEED_PROCESSING_STATUSES) == set(MODEL_STATUSES)
    assert FEED_PROCESSING_STATUSES == {"IN_QUEUE": "_SUBMITTED_", "IN_PROGRESS": "_IN_PROGRESS_", "DONE": "_DONE_",
                                        "CANCELLED": "_CANCELLED_", "FATAL": "_FATAL_"}


def test_feed_info():
    feed = {"feedId": "50001", "feedType": "JSON_LISTINGS_FEED", "marketplaceIds": ["ATVPDKIKX0DER"],
            "createdTime": "2026-12-01T10:00:00Z", "processingStatus": "DONE",
            "processingStartTime": "2026-12-01T10:01:00Z", "processingEndTime": "2026-12-01T10:05:00Z",
            "resultFeedDocumentId": "doc-9"}
    info = feed_info(feed)
    assert info == {"feedSubmissionId": "50001", "feedType": "JSON_LISTINGS_FEED",
                    "submittedDate": "2026-12-01T10:00:00Z", "feedProcessingStatus": "_DONE_",
                    "processingStatus": "DONE", "startedProcessingDate": "2026-12-01T10:01:00Z",
                    "completedProcessingDate": "2026-12-01T10:05:00Z", "resultFeedDocumentId": "doc-9"}
    assert_valid(info, "feedSubmissionInfo.json")
    queued = feed_info({**feed, "processingStatus": "IN_QUEUE", "processingStartTime": None})
    assert queued["feedProcessingStatus"] == "_SUBMITTED_" and "startedProcessingDate" not in queued


def test_fatal_is_in_the_out_schema():
    """_FATAL_ has no MWS counterpart: feedSubmissionInfo.json's enumeration has it for SP-API, beside
    processingStatus itself; an unknown value still fails it."""
    info = feed_info({"feedId": "1", "feedType": "POST_PRODUCT_DATA", "createdTime": "2026-12-01T10:00:00Z",
                      "processingStatus": "FATAL"})
    assert info["feedProcessingStatus"] == "_FATAL_" and info["processingStatus"] == "FATAL"
    assert_valid(info, "feedSubmissionInfo.json")
    with pytest.raises(AssertionError):
        assert_valid({**info, "processingStatus": "DONE_WITH_ERRORS"}, "feedSubmissionInfo.json")


@pytest.mark.parametrize("status", ["DONE_WITH_ERRORS", None, 3])
def test_unknown_status(status):
    with pytest.raises(ResponseError, match="processingStatus"):
        feed_status(status)
    with pytest.raises(ResponseError):
        feed_info({"processingStatus": "DONE"})


def test_submission_output():
    out = submission("50001", "JSON_LISTINGS_FEED", "2026-12-01T10:00:00Z", 3)
    assert out == {"feedSubmissionId": "50001", "feedType": "JSON_LISTINGS_FEED", "feedProcessingStatus": "_SUBMITTED_",
                   "submittedDate": "2026-12-01T10:00:00Z", "messageCount": 3}
    assert_valid(out, "submitFeed.out.json")


def test_per_item_result():
    from mws_component.spapi.listings.report import listings_item_result
    answer = {"sku": "S-1", "status": "INVALID", "submissionId": "f1dc2914",
              "issues": [{"code": "90220", "message": "'condition_type' is required but not supplied.",
                          "severity": "ERROR", "attributeNames": ["condition_type"], "categories": ["MISSING_ATTRIBUTE"]},
                         {"code": "1", "message": "m", "severity": "WARNING", "categories": []}]}
    assert listings_item_result(answer) == {"sku": "S-1", "status": "INVALID", "submissionId": "f1dc2914", "issues": [
        {"code": "90220", "message": "'condition_type' is required but not supplied.", "severity": "ERROR",
         "attributeNames": ["condition_type"]},
        {"code": "1", "message": "m", "severity": "WARNING", "attributeNames": []}]}
    assert listings_item_result({"status": "ACCEPTED", "submissionId": "x"}, sku="S-2")["sku"] == "S-2"
    with pytest.raises(ResponseError, match="S-3"):
        listings_item_result({}, sku="S-3")
