"""Feed processing over server time, the processing report against Amazon's XSD, quotas and faults."""

import base64
import hashlib
import io
from datetime import datetime, timezone

import pytest
from lxml import etree
from lxml.builder import E

from mws_sandbox import FaultConfig, Sandbox, cli
from mws_sandbox.feeds import processing as feed_processing
from mws_sandbox.faults import FaultInjector

from .conftest import error_of
from .feedkit import INVENTORY, NS, PRICING, SELLER, FeedsCaller, Report, envelope, inventory, md5_of, price


def timed_sandbox(seconds=30, **options):
    return Sandbox(seed=7, orders=20, quotas=False, feed_processing_seconds=seconds, **options)


def info(feeds, submission_id):
    response = feeds.call("GetFeedSubmissionList", {"FeedSubmissionIdList.Id.1": submission_id})
    element = response.xml.find(".//f:FeedSubmissionInfo", NS)
    return {etree.QName(child).localname: child.text for child in element}


# -- lifecycle ------------------------------------------------------------------------------

def test_submitted_in_progress_done_on_server_time():
    with timed_sandbox(30) as sb:
        feeds = FeedsCaller(sb)
        sku = sb.catalogue.skus()[0]
        submission_id = feeds.submitted_id(INVENTORY, envelope("Inventory", inventory(sku, 77)))
        assert info(feeds, submission_id)["FeedProcessingStatus"] == "_SUBMITTED_"
        sb.clock.advance(14)
        assert info(feeds, submission_id)["FeedProcessingStatus"] == "_SUBMITTED_"
        sb.clock.advance(2)
        started = info(feeds, submission_id)
        assert started["FeedProcessingStatus"] == "_IN_PROGRESS_" and "StartedProcessingDate" in started
        assert "CompletedProcessingDate" not in started
        assert sb.catalogue[sku]["quantity"] != 77  # changes land when the feed is done
        sb.clock.advance(15)
        done = info(feeds, submission_id)
        assert done["FeedProcessingStatus"] == "_DONE_"
        assert done["SubmittedDate"] <= done["StartedProcessingDate"] <= done["CompletedProcessingDate"]
        assert sb.catalogue[sku]["quantity"] == 77


def test_processing_waits_for_no_request_once_asked():
    with timed_sandbox(10) as sb:
        feeds = FeedsCaller(sb)
        sku = sb.catalogue.skus()[1]
        feeds.submitted_id(INVENTORY, envelope("Inventory", inventory(sku, 5)))
        sb.clock.advance(11)
        assert sb.catalogue[sku]["quantity"] != 5  # lazily: nothing has looked yet
        sb.process_feeds()
        assert sb.catalogue[sku]["quantity"] == 5


def test_feeds_of_one_type_run_one_at_a_time_others_alongside():
    with timed_sandbox(30) as sb:
        feeds = FeedsCaller(sb)
        sku = sb.catalogue.skus()[0]
        first = feeds.submitted_id(INVENTORY, envelope("Inventory", inventory(sku, 1)))
        second = feeds.submitted_id(INVENTORY, envelope("Inventory", inventory(sku, 2)))
        prices = feeds.submitted_id(PRICING, envelope("Price", price(sku, "1.25")))
        sb.clock.advance(16)
        assert [info(feeds, i)["FeedProcessingStatus"] for i in (first, second, prices)] == \
            ["_IN_PROGRESS_", "_SUBMITTED_", "_IN_PROGRESS_"]
        sb.clock.advance(15)  # the first is done, the second starts as it finishes
        assert [info(feeds, i)["FeedProcessingStatus"] for i in (first, second, prices)] == \
            ["_DONE_", "_IN_PROGRESS_", "_DONE_"]
        assert info(feeds, second)["StartedProcessingDate"] == info(feeds, first)["CompletedProcessingDate"]
        assert sb.catalogue[sku]["quantity"] == 1 and sb.catalogue[sku]["price"]["amount"] == "1.25"
        sb.clock.advance(15)
        assert info(feeds, second)["FeedProcessingStatus"] == "_DONE_"
        assert sb.catalogue[sku]["quantity"] == 2  # submission order wins


def test_a_cancelled_feed_frees_its_turn():
    with timed_sandbox(30) as sb:
        feeds = FeedsCaller(sb)
        sku = sb.catalogue.skus()[0]
        first = feeds.submitted_id(INVENTORY, envelope("Inventory", inventory(sku, 1)))
        second = feeds.submitted_id(INVENTORY, envelope("Inventory", inventory(sku, 2)))
        feeds.call("CancelFeedSubmissions", {"FeedSubmissionIdList.Id.1": first})
        sb.clock.advance(31)
        assert info(feeds, second)["FeedProcessingStatus"] == "_DONE_"
        assert sb.catalogue[sku]["quantity"] == 2


def test_time_scale_does_not_speed_up_processing():
    with Sandbox(seed=7, orders=5, time_scale=100.0, feed_processing_seconds=30) as sb:
        feeds = FeedsCaller(sb)
        submission_id = feeds.submitted_id(INVENTORY, envelope("Inventory", inventory(sb.catalogue.skus()[0], 3)))
        assert info(feeds, submission_id)["FeedProcessingStatus"] == "_SUBMITTED_"
        sb.clock.advance(30)
        assert info(feeds, submission_id)["FeedProcessingStatus"] == "_DONE_"


def test_negative_processing_time_is_refused():
    with pytest.raises(ValueError):
        Sandbox(orders=1, feed_processing_seconds=-1)


# -- the report -----------------------------------------------------------------------------

def test_reports_validate_against_amazons_envelope_schema(instant, feeds, envelope_schema):
    sku = instant.catalogue.skus()[0]
    bodies = [
        envelope("Inventory", inventory(sku, 3), inventory("UNKNOWN-SKU", 1), inventory("x" * 41, 1),
                 inventory("", 1), inventory(sku, "-2")),
        envelope("Inventory", inventory(sku, 3), seller="SOMEONE-ELSE"),
        b"<AmazonEnvelope><Header>\x01</Header></AmazonEnvelope>",
        envelope("Price", price(sku, "1.99999"), price(sku, "2.00", "XXX")),
    ]
    for body in bodies:
        feed_type = PRICING if b"<MessageType>Price<" in body else INVENTORY
        report = feeds.report(feed_type, body)
        envelope_schema.assertValid(report.root)
        assert report.status_code == "Complete"
    # Values the XSD would refuse in AdditionalInfo are left out, the rest kept.
    report = feeds.report(INVENTORY, bodies[0])
    assert [r["sku"] for r in report.results] == ["UNKNOWN-SKU", None, None, sku]


def test_report_shape_and_counts(instant, feeds):
    sku = instant.catalogue.skus()[0]
    report = feeds.report(INVENTORY, envelope("Inventory", inventory(sku, 3), inventory("NOPE", 1)))
    root = report.root
    assert root.nsmap == {"xsi": "http://www.w3.org/2001/XMLSchema-instance"}
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation") == "amzn-envelope.xsd"
    assert [c.tag for c in root] == ["Header", "MessageType", "Message"]
    assert root.findtext("Header/DocumentVersion") == "1.02" and root.findtext("Header/MerchantIdentifier") == SELLER
    assert root.findtext("MessageType") == "ProcessingReport" and root.findtext("Message/MessageID") == "1"
    assert [c.tag for c in root.find("Message/ProcessingReport")] == [
        "DocumentTransactionID", "StatusCode", "ProcessingSummary", "Result"]
    assert report.summary == (2, 1, 1, 0)
    assert report.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<AmazonEnvelope')


def test_twenty_thousand_results_are_streamed_out(instant, feeds):
    """A feed of 20,000 messages for unknown SKUs: the report a client's streaming parser must cope with
    (integration/component/test_feed_actions.py takes one of 100,000 through the component)."""
    count = 20_000
    buffer = io.BytesIO()
    with etree.xmlfile(buffer, encoding="UTF-8") as xf:
        with xf.element("AmazonEnvelope"):
            xf.write(E.Header(E.DocumentVersion("1.01"), E.MerchantIdentifier(SELLER)), E.MessageType("Inventory"))
            for n in range(1, count + 1):
                xf.write(E.Message(E.MessageID(str(n)), E.Inventory(E.SKU(f"GONE-{n}"), E.Quantity("1"))))
    body = buffer.getvalue()
    response = feeds.result(feeds.submitted_id(INVENTORY, body))
    assert response.status_code == 200
    assert response.headers["Content-MD5"] == md5_of(response.content)
    results = 0
    for _, element in etree.iterparse(io.BytesIO(response.content), tag="Result"):
        results += 1
        element.clear()
    assert results == count
    assert b"<MessagesProcessed>20000</MessagesProcessed><MessagesSuccessful>0</MessagesSuccessful>" \
           b"<MessagesWithError>20000</MessagesWithError>" in response.content


def test_a_sandbox_failure_still_finishes_the_feed(instant, feeds, monkeypatch, envelope_schema):
    def broken(message, context):
        raise RuntimeError("a bug in a message handler")
    monkeypatch.setitem(feed_processing.HANDLERS, "Inventory", broken)
    report = feeds.report(INVENTORY, envelope("Inventory", inventory(instant.catalogue.skus()[0], 1)))
    envelope_schema.assertValid(report.root)
    assert report.summary == (0, 0, 1, 0) and report.codes() == [(0, "Error", 5002)]
    assert feeds.call("GetFeedSubmissionCount").status_code == 200


def test_cli_options_for_feeds():
    args = cli.build_parser().parse_args(["--feed-processing-seconds", "5", "--max-feed-bytes", "1000",
                                          "--fault-md5-mismatch", "0.25"])
    assert (args.feed_processing_seconds, args.max_feed_bytes, args.fault_md5_mismatch) == (5.0, 1000, 0.25)


# -- quotas ---------------------------------------------------------------------------------

def test_feeds_quotas_report_hourly_figures_and_run_out():
    # Start early in an hour, so the hourly window does not roll over during the test.
    start = datetime.now(timezone.utc).replace(minute=1, second=0, microsecond=0)
    with Sandbox(seed=7, orders=5, start_time=start, feed_processing_seconds=0) as sb:
        feeds = FeedsCaller(sb)
        body = envelope("Inventory", inventory(sb.catalogue.skus()[0], 1))
        remaining = []
        for _ in range(15):
            response = feeds.submit(INVENTORY, body)
            assert response.status_code == 200
            remaining.append(response.headers["x-mws-quota-remaining"])
        assert response.headers["x-mws-quota-max"] == "30.0"  # the hourly figure, as Amazon reported
        assert remaining[0] == "29.0" and remaining[-1] == "15.0"
        throttled = feeds.submit(INVENTORY, body)
        assert error_of(throttled)[:3] == (503, "Sender", "RequestThrottled")
        sb.clock.advance(15 * 120)  # the burst comes back, one every two minutes
        for _ in range(15):
            assert feeds.submit(INVENTORY, body).status_code == 200
        sb.clock.advance(10 * 120)
        exceeded = feeds.submit(INVENTORY, body)
        status, _, code, message = error_of(exceeded)
        assert (status, code) == (503, "QuotaExceeded") and "30.0 requests per 1 hour" in message
        assert exceeded.headers["x-mws-quota-remaining"] == "0.0"
        assert len(sb.feeds) == 30
        # Other operations have their own quotas.
        assert feeds.call("GetFeedSubmissionCount").headers["x-mws-quota-max"] == "80.0"
        sb.clock.advance(3600)
        assert feeds.submit(INVENTORY, body).status_code == 200


def test_result_and_list_quotas_come_from_the_operations_table():
    with Sandbox(seed=7, orders=5, feed_processing_seconds=0) as sb:
        feeds = FeedsCaller(sb)
        submission_id = feeds.submitted_id(INVENTORY, envelope("Inventory", inventory(sb.catalogue.skus()[0], 1)))
        answers = [feeds.result(submission_id) for _ in range(16)]
        assert [a.status_code for a in answers] == [200] * 15 + [503]
        assert answers[0].headers["x-mws-quota-max"] == "60.0"
        lists = [feeds.call("GetFeedSubmissionList").status_code for _ in range(11)]
        assert lists == [200] * 10 + [503]


# -- faults ---------------------------------------------------------------------------------

def test_md5_mismatch_fault_spoils_only_the_digest():
    with timed_sandbox(0, faults=FaultConfig(md5_mismatch=1.0)) as sb:
        feeds = FeedsCaller(sb)
        submission_id = feeds.submitted_id(INVENTORY, envelope("Inventory", inventory(sb.catalogue.skus()[0], 1)))
        clean = None
        for _ in range(3):  # a client fetching again meets the same fault every time: it must give up clearly
            response = feeds.result(submission_id)
            assert response.status_code == 200 and Report(response.content).transaction_id == submission_id
            assert response.headers["Content-MD5"] != md5_of(response.content)
            assert base64.b64decode(response.headers["Content-MD5"]) != hashlib.md5(response.content).digest()
            clean = clean or response.content
        assert sb.requests.count(action="GetFeedSubmissionResult", fault="md5_mismatch") == 3
        assert sb.requests.count(action="SubmitFeed", fault="md5_mismatch") == 0
        sb.faults = None
        response = feeds.result(submission_id)
        assert response.content == clean and response.headers["Content-MD5"] == md5_of(clean)


def test_md5_mismatch_at_a_rate_follows_the_seed():
    config = FaultConfig(md5_mismatch=0.5, seed=11)
    with timed_sandbox(0, faults=config) as sb:
        feeds = FeedsCaller(sb)
        sb.faults = None
        submission_id = feeds.submitted_id(INVENTORY, envelope("Inventory", inventory(sb.catalogue.skus()[0], 1)))
        sb.faults = config
        seen = []
        for _ in range(20):
            response = feeds.result(submission_id)
            seen.append(response.headers["Content-MD5"] != md5_of(response.content))
        injector = FaultInjector(config)
        assert seen == [injector.draw().md5_mismatch for _ in range(20)]
        assert 3 <= sum(seen) <= 17


def test_general_faults_apply_to_feeds_without_effect():
    with timed_sandbox(0, faults=FaultConfig(error500=1.0)) as sb:
        feeds = FeedsCaller(sb)
        response = feeds.submit(INVENTORY, envelope("Inventory", inventory(sb.catalogue.skus()[0], 1)))
        assert error_of(response)[:3] == (500, "Receiver", "InternalError")
        assert response.xml.tag == "{http://mws.amazonaws.com/doc/2009-01-01/}ErrorResponse"
        assert len(sb.feeds) == 0
