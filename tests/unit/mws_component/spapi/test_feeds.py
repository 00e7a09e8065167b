"""spapi/feeds.py without a server: the report's paths (not ready, no document, gzip XML and plain JSON), the
unknown feed, the perItem hand-over and createFeed's usage plan checked before anything is sent."""

import gzip
import io
import json
import sys
import types

import pytest
import responses
from lxml import etree
from lxml.builder import E

from mws_component.endpoint import Endpoints
from mws_component.errors import FeedNotReady, InputError, QuotaExhausted
from mws_component.retry import RetryPolicy
from mws_component.spapi import feeds
from mws_component.spapi.documents import S3Error
from mws_component.spapi.errors import SpApiError

DOC_URL = "https://tortuga.example.com/reports/doc-1?X-Amz-Signature=abc"


class FakeAccount:
    marketplace_id, seller_id = "ATVPDKIKX0DER", "A1EXAMPLE23"

    def __init__(self, answers=None, delay=0.0):
        self.answers = answers or {}
        self.calls = []
        self.endpoints = Endpoints()
        self.time_scale = 1.0
        self.retry = RetryPolicy(base_delay=0.0, max_delay=0.0)
        self.delay = delay
        self.pipeline = types.SimpleNamespace(clock=lambda: 1000.0)

    def run(self, name, path=None, **params):
        self.calls.append(name)
        answer = self.answers[name]
        if isinstance(answer, list):
            answer = answer.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def run_json(self, name, body, path=None, **params):
        return self.run(name, path, **params)

    def quota_delay(self, name):
        return self.delay


def feed(status, feed_type="JSON_LISTINGS_FEED", **extra):
    return {"feedId": "F1", "feedType": feed_type, "createdTime": "2026-12-01T10:00:00Z",
            "processingStatus": status, **extra}


@pytest.mark.parametrize("status", ["IN_QUEUE", "IN_PROGRESS"])
def test_a_feed_not_finished_is_not_ready(status):
    account = FakeAccount({"getFeed": feed(status)})
    with pytest.raises(FeedNotReady, match=status):
        with feeds.report(account, "F1"):
            pass
    assert account.calls == ["getFeed"]


def test_a_cancelled_feed_without_a_document_reports_its_end():
    with feeds.report(FakeAccount({"getFeed": feed("CANCELLED")}), "F1") as report:
        events = list(report)
    assert events[0] == ("header", {"feedSubmissionId": "F1", "statusCode": "Rejected"})
    [(kind, error)] = events[1:]
    assert kind == "result" and error["resultCode"] == "Error" and "CANCELLED" in error["resultDescription"]


def xml_report():
    root = E.AmazonEnvelope(E.Header(E.DocumentVersion("1.02"), E.MerchantIdentifier("A1EXAMPLE23")),
                            E.MessageType("ProcessingReport"),
                            E.Message(E.MessageID("1"), E.ProcessingReport(
                                E.DocumentTransactionID("F1"), E.StatusCode("Complete"),
                                E.ProcessingSummary(E.MessagesProcessed("1"), E.MessagesSuccessful("0"),
                                                    E.MessagesWithError("1"), E.MessagesWithWarning("0")),
                                E.Result(E.MessageID("1"), E.ResultCode("Error"), E.ResultMessageCode("18028"),
                                         E.ResultDescription("The order id was not found")))))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@responses.activate
@pytest.mark.parametrize("status, code", [("DONE", "Complete"), ("FATAL", "Rejected")])
def test_an_order_feeds_gzipped_xml_report(status, code):
    responses.get(DOC_URL, body=gzip.compress(xml_report()))
    account = FakeAccount({"getFeed": feed(status, "POST_ORDER_FULFILLMENT_DATA", resultFeedDocumentId="D1"),
                           "getFeedDocument": {"feedDocumentId": "D1", "url": DOC_URL, "compressionAlgorithm": "GZIP"}})
    with feeds.report(account, "F1") as report:
        events = list(report)
    header = events[0][1]
    assert header["statusCode"] == code and header["processingSummary"]["messagesWithError"] == 1
    [(_, result)] = events[1:]
    assert result["resultMessageCode"] == "18028" and result["resultCode"] == "Error"
    assert "x-amz-access-token" not in {k.lower() for k in responses.calls[0].request.headers}


@responses.activate
def test_a_json_report_without_compression():
    report = {"header": {"sellerId": "A1EXAMPLE23", "version": "2.0", "feedId": "F1"},
              "issues": [{"messageId": 2, "sku": "S2", "code": "90220", "severity": "ERROR",
                          "message": "'brand' is required but not supplied.", "attributeName": "brand"}],
              "summary": {"errors": 1, "warnings": 0, "messagesProcessed": 2, "messagesAccepted": 1,
                          "messagesInvalid": 1}}
    responses.get(DOC_URL, body=json.dumps(report).encode())
    account = FakeAccount({"getFeed": feed("DONE", resultFeedDocumentId="D1"),
                           "getFeedDocument": {"feedDocumentId": "D1", "url": DOC_URL}})
    with feeds.report(account, "F1") as events:
        events = list(events)
    assert events[0][1]["processingSummary"] == {"messagesProcessed": 2, "messagesSuccessful": 1,
                                                 "messagesWithError": 1, "messagesWithWarning": 0}
    assert events[1][1]["additionalInfo"] == {"sku": "S2"} and events[1][1]["attributeName"] == "brand"


def test_an_unknown_feed_is_the_mws_input_error():
    account = FakeAccount({"getFeed": SpApiError("not found", code="NotFound", status=404)})
    with pytest.raises(InputError) as refused:
        feeds.status(account, "F9")
    assert refused.value.field == "body.feedSubmissionId" and "F9" in str(refused.value)


def test_per_item_requests_go_to_the_listings_items_module(monkeypatch):
    module = types.ModuleType("mws_component.spapi.listings_items")
    module.submit_per_item = lambda account, request, *, deadline=None: {"results": [], "deadline": deadline}
    monkeypatch.setitem(sys.modules, "mws_component.spapi.listings_items", module)
    request = types.SimpleNamespace(submit_mode="perItem", kind="inventory", items=(), operation_type=None)
    assert feeds.submit(FakeAccount(), request, deadline=5.0) == {"results": [], "deadline": 5.0}


def test_create_feeds_usage_plan_is_checked_before_the_document_is_created():
    account = FakeAccount(delay=120.0)
    document = feeds.FeedDocument(io.BytesIO(b"{}"), feeds.JSON_CONTENT_TYPE, "JSON_LISTINGS_FEED", 1)
    with pytest.raises(QuotaExhausted) as exhausted:
        feeds.submit_document(account, document, deadline=1010.0)
    assert exhausted.value.retry_after == 120.0 and account.calls == []


def test_checked_items_are_put_back_together_for_the_mapping():
    assert feeds._item_of(("Delete", {"sku": "A"})) == {"operationType": "Delete", "sku": "A"}
    assert feeds._item_of((None, {"sku": "A", "quantity": "3"})) == {"sku": "A", "quantity": "3"}
    assert feeds._item_of({"sku": "A"}) == {"sku": "A"}


@responses.activate
def test_an_expired_upload_url_gets_a_new_document_and_a_refused_one_does_not():
    first, second = (f"https://tortuga.example.com/uploads/doc-{n}?X-Amz-Signature=s{n}" for n in (1, 2))
    responses.put(first, status=403, body=b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message>"
                                          b"</Error>")
    responses.put(second, status=200)
    account = FakeAccount({"createFeedDocument": [{"feedDocumentId": "doc-1", "url": first},
                                                  {"feedDocumentId": "doc-2", "url": second}]})
    document = feeds.FeedDocument(io.BytesIO(b"{}"), feeds.JSON_CONTENT_TYPE, "JSON_LISTINGS_FEED", 1)
    assert feeds.upload(account, document) == "doc-2"
    assert [c.request.url for c in responses.calls] == [first, second]
    responses.replace(responses.PUT, second, status=403,
                      body=b"<Error><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error>")
    account = FakeAccount({"createFeedDocument": [{"feedDocumentId": "doc-2", "url": second}]})
    with pytest.raises(S3Error, match="SignatureDoesNotMatch"):
        feeds.upload(account, document)
    assert account.calls == ["createFeedDocument"]
