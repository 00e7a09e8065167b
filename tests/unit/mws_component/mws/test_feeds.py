"""The Feeds section's answers: Amazon's samples, report streaming, MD5 checks."""

import io
import tracemalloc

import pytest
import requests
import responses

from mws_component import errors, xmlsafe
from mws_component.credentials import MwsCredentials as Credentials
from mws_component.endpoint import Endpoint
from mws_component.mws import feeds
from mws_component.mws.client import MwsClient
from mws_component.mws.envelope import Result
from mws_component.mws.signing import content_md5
from tests.schema_check import assert_valid

BASE = "https://mws.amazonservices.com"
FEEDS_URL = BASE + "/Feeds/2009-01-01"


def result_of(path, op):
    root = xmlsafe.parse(path.read_bytes())
    return Result(op, root, xmlsafe.find(root, f"{op}Result"), None, {})


def infos(result):
    return [feeds.submission_info(e) for e in xmlsafe.children(result.result)
            if xmlsafe.local_name(e) == "FeedSubmissionInfo"]


@pytest.mark.parametrize("path, op, count", [
    ("feeds/SubmitFeedResponse.xml", "SubmitFeed", 1),
    ("feeds/GetFeedSubmissionListResponse.xml", "GetFeedSubmissionList", 1),
    ("feeds/GetFeedSubmissionListByNextTokenResponse.xml", "GetFeedSubmissionListByNextToken", 1),
    ("feeds/CancelFeedSubmissionsResponse.xml", "CancelFeedSubmissions", 1),
    ("docs/SubmitFeed-example2.xml", "SubmitFeed", 1),
    ("docs/GetFeedSubmissionList-example1.xml", "GetFeedSubmissionList", 1),
    ("docs/CancelFeedSubmissions-example1.xml", "CancelFeedSubmissions", 1),
])
def test_feed_samples_map_to_submission_info(shared_dir, path, op, count):
    found = infos(result_of(shared_dir / "mws-samples" / path, op))
    assert len(found) == count
    for info in found:
        assert set(info) >= {"feedSubmissionId", "feedType", "submittedDate", "feedProcessingStatus"}


def test_documented_list_values(shared_dir):
    [info] = infos(result_of(shared_dir / "mws-samples/docs/GetFeedSubmissionList-example1.xml", "GetFeedSubmissionList"))
    assert info == {"feedSubmissionId": "2291326430", "feedType": "_POST_PRODUCT_DATA_",
                    "submittedDate": "2009-02-20T02:10:35+00:00", "feedProcessingStatus": "_SUBMITTED_"}
    assert_valid(info, "feedSubmissionInfo.json")


def test_count_samples(shared_dir):
    for path in ("feeds/GetFeedSubmissionCountResponse.xml", "docs/GetFeedSubmissionCount-example1.xml"):
        result = result_of(shared_dir / "mws-samples" / path, "GetFeedSubmissionCount")
        assert xmlsafe.find_text(result.result, "Count").isdigit()


def report(results, summary=True, status="Complete"):
    """A processing report as Amazon writes it."""
    out = io.BytesIO()
    from lxml import etree
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        with xf.element("AmazonEnvelope"):
            with xf.element("Header"):
                xf.write(etree.fromstring("<DocumentVersion>1.02</DocumentVersion>"))
                xf.write(etree.fromstring("<MerchantIdentifier>M</MerchantIdentifier>"))
            xf.write(etree.fromstring("<MessageType>ProcessingReport</MessageType>"))
            with xf.element("Message"):
                xf.write(etree.fromstring("<MessageID>1</MessageID>"))
                with xf.element("ProcessingReport"):
                    xf.write(etree.fromstring("<DocumentTransactionID>4711</DocumentTransactionID>"))
                    xf.write(etree.fromstring(f"<StatusCode>{status}</StatusCode>"))
                    if summary:
                        xf.write(etree.fromstring(
                            "<ProcessingSummary><MessagesProcessed>9</MessagesProcessed><MessagesSuccessful>7"
                            "</MessagesSuccessful><MessagesWithError>2</MessagesWithError><MessagesWithWarning>0"
                            "</MessagesWithWarning></ProcessingSummary>"))
                    for i in results:
                        xf.write(etree.fromstring(
                            f"<Result><MessageID>{i}</MessageID><ResultCode>Error</ResultCode><ResultMessageCode>"
                            f"6024</ResultMessageCode><ResultDescription>SKU unknown: é{i}</ResultDescription>"
                            f"<AdditionalInfo><SKU>SKU-{i}</SKU></AdditionalInfo></Result>"))
    out.seek(0)
    return out


def test_report_streams_header_then_results():
    events = list(feeds.read_report(report([3, 8])))
    assert events[0] == ("header", {"documentTransactionID": "4711", "statusCode": "Complete",
                                    "processingSummary": {"messagesProcessed": 9, "messagesSuccessful": 7,
                                                          "messagesWithError": 2, "messagesWithWarning": 0}})
    assert events[1] == ("result", {"messageId": 3, "resultCode": "Error", "resultMessageCode": "6024",
                                    "resultDescription": "SKU unknown: é3", "additionalInfo": {"sku": "SKU-3"}})
    assert len(events) == 3


def test_documented_report_without_status_code_parses(shared_dir):
    with open(shared_dir / "mws-samples/docs/GetFeedSubmissionResult-example1.xml", "rb") as fh:
        events = list(feeds.read_report(fh))
    assert events == [("header", {"documentTransactionID": "4319742521"})]  # Amazon's example lacks StatusCode


def test_wrapper_mock_is_refused_clearly(shared_dir):
    with open(shared_dir / "mws-samples/feeds/GetFeedSubmissionResultResponse.xml", "rb") as fh:
        with pytest.raises(errors.ResponseError, match="not a processing report"):
            list(feeds.read_report(fh))


@pytest.mark.parametrize("body, match", [
    (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><AmazonEnvelope>&x;</AmazonEnvelope>', "DTD"),
    (b"<AmazonEnvelope><Message><ProcessingReport><Result>", "not well-formed"),
    (b"<html><body>Bad gateway</body></html>", "not a processing report"),
])
def test_hostile_reports_refused(body, match):
    with pytest.raises(errors.ResponseError, match=match):
        list(feeds.read_report(io.BytesIO(body)))


def test_a_report_of_100000_results_is_read_in_bounded_memory(tmp_path):
    path = tmp_path / "big.xml"
    path.write_bytes(report(range(1, 100_001)).getvalue())
    assert path.stat().st_size > 20_000_000
    tracemalloc.start()
    count = 0
    with open(path, "rb") as fh:
        for kind, value in feeds.read_report(fh):
            count += kind == "result"
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 100_000
    assert peak < 20_000_000  # the whole tree would need several hundred MB


def client():
    creds = Credentials("A1SELLER", "AKIDEXAMPLE1", "secret", "ATVPDKIKX0DER", BASE)
    return MwsClient(creds, endpoint=Endpoint(BASE, clock=lambda: 0.0, sleep=lambda s: None, session=requests.Session()))


@responses.activate
def test_md5_mismatch_is_fetched_again_then_refused():
    body = report([1]).getvalue()
    responses.post(FEEDS_URL, body=body, headers={"Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA=="})
    responses.post(FEEDS_URL, body=body, headers={"Content-MD5": content_md5(body)})
    with feeds.download_report(client(), "4711") as fh:
        assert fh.read() == body
    assert len(responses.calls) == 2


@responses.activate
def test_md5_mismatch_every_time_is_a_clear_error():
    body = report([1]).getvalue()
    responses.post(FEEDS_URL, body=body, headers={"Content-MD5": content_md5(b"other")})
    with pytest.raises(errors.ContentMD5Mismatch, match="corrupted in transit"):
        feeds.download_report(client(), "4711")
    assert len(responses.calls) == feeds.MD5_ATTEMPTS


@responses.activate
def test_result_not_ready_is_an_mws_error_for_the_action_to_rebound():
    responses.post(FEEDS_URL, status=400, body=(
        '<ErrorResponse xmlns="http://mws.amazonaws.com/doc/2009-01-01/"><Error><Type>Sender</Type>'
        '<Code>FeedProcessingResultNotReady</Code><Message>Feed Submission Result is not ready for Feed 4711'
        '</Message></Error><RequestID>r</RequestID></ErrorResponse>'))
    with pytest.raises(errors.error_class("FeedProcessingResultNotReady")):
        feeds.download_report(client(), "4711")
