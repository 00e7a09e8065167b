"""The Feeds section's operations over HTTP: answers, parameter rules, errors, NextToken paging."""

import re
from datetime import timedelta

import pytest
import requests
from lxml import etree

from mws_component.mws import signing
from mws_sandbox import Sandbox

from .conftest import error_of, parsed
from .feedkit import FEEDS_NS, IMAGES, INVENTORY, NS, PRODUCT, SELLER, US, FeedsCaller, envelope, inventory, md5_of

FEED_DATE = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00"


def a_feed(sandbox, quantity=5):
    return envelope("Inventory", inventory(sandbox.catalogue.skus()[0], quantity))


def info_of(element):
    return {etree.QName(child).localname: child.text for child in element}


# -- SubmitFeed -----------------------------------------------------------------------------

def test_submit_feed_answers_like_amazon(instant, feeds):
    response = feeds.submit(INVENTORY, a_feed(instant))
    assert response.status_code == 200, response.text
    root = response.xml
    assert root.tag == f"{{{FEEDS_NS}}}SubmitFeedResponse"
    assert [etree.QName(e).localname for e in root] == ["SubmitFeedResult", "ResponseMetadata"]
    info = root.find("f:SubmitFeedResult/f:FeedSubmissionInfo", NS)
    children = [etree.QName(e).localname for e in info]
    assert children == ["FeedSubmissionId", "FeedType", "SubmittedDate", "FeedProcessingStatus"]
    values = info_of(info)
    assert re.fullmatch(r"\d{11}", values["FeedSubmissionId"])
    assert values["FeedType"] == INVENTORY and values["FeedProcessingStatus"] == "_SUBMITTED_"
    assert re.fullmatch(FEED_DATE, values["SubmittedDate"])
    assert root.findtext("f:ResponseMetadata/f:RequestId", namespaces=NS) == response.headers["x-mws-request-id"]
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_submission_ids_increase_and_both_seller_parameters_work(instant):
    ids = [FeedsCaller(instant, seller_param).submitted_id(INVENTORY, a_feed(instant, n))
           for n, seller_param in enumerate(("Merchant", "SellerId", "Merchant"))]
    assert [int(i) for i in ids] == sorted(int(i) for i in ids) and len(set(ids)) == 3


def test_the_legacy_root_path_routes_by_action(instant):
    feeds = FeedsCaller(instant)
    feeds.path = "/"
    assert feeds.submit(INVENTORY, a_feed(instant)).status_code == 200
    assert feeds.call("GetFeedSubmissionCount").xml.findtext(".//f:Count", namespaces=NS) == "1"


def test_content_md5_missing_mismatched_or_legacy_header(instant, feeds):
    body = a_feed(instant)
    status, kind, code, message = error_of(feeds.submit(INVENTORY, body, md5=None))
    assert (status, kind, code) == (400, "Sender", "ContentMD5Missing")
    wrong = md5_of(b"something else")
    status, _, code, message = error_of(feeds.submit(INVENTORY, body, md5=wrong))
    assert (status, code) == (400, "ContentMD5DoesNotMatch") and wrong in message and md5_of(body) in message
    assert feeds.submit(INVENTORY, body, md5="header").status_code == 200  # the header alone is accepted
    assert feeds.submit(INVENTORY, body, md5="both").status_code == 200
    assert len(instant.feeds) == 2


def test_feed_type_marketplaces_and_purge_parameters(instant, feeds):
    body = a_feed(instant)
    assert error_of(feeds.submit("_POST_NOTHING_", body))[:3] == (400, "Sender", "InvalidFeedType")
    assert error_of(feeds.call("SubmitFeed", {"ContentMD5Value": md5_of(b"")}))[2] == "InvalidParameterValue"
    assert feeds.submit(INVENTORY, body, **{"MarketplaceIdList.Id.1": US,
                                            "MarketplaceIdList.Id.2": "A1PA6795UKMFR9"}).status_code == 200
    for bad in ("XXXXXXXXXXXXX", "A39IBJ37TRP1C6"):  # unknown; known but the seller is not registered there
        assert error_of(feeds.submit(INVENTORY, body, **{"MarketplaceIdList.Id.1": bad}))[2] == \
            "InvalidParameterValue"
    assert error_of(feeds.submit(INVENTORY, body, PurgeAndReplace="yes"))[2] == "InvalidParameterValue"
    assert feeds.submit(INVENTORY, body, PurgeAndReplace="false").status_code == 200


def test_image_feeds_need_a_marketplace(instant, feeds):
    body = envelope("ProductImage")  # refused before the body matters
    status, _, code, message = error_of(feeds.submit(IMAGES, body))
    assert (status, code) == (400, "InvalidParameterValue") and "MarketplaceIdList.Id.1" in message
    assert feeds.submit(IMAGES, body, **{"MarketplaceIdList.Id.1": US}).status_code == 200


def test_empty_and_oversized_bodies_are_refused():
    with Sandbox(seed=7, orders=5, quotas=False, max_feed_bytes=2000) as sb:
        feeds = FeedsCaller(sb)
        assert error_of(feeds.submit(INVENTORY, b""))[2] == "InvalidParameterValue"
        small = a_feed(sb)
        assert len(small) < 2000 and feeds.submit(INVENTORY, small).status_code == 200
        big = envelope("Inventory", *[inventory(f"SKU-{n}", n) for n in range(60)])
        status, _, code, message = error_of(feeds.submit(INVENTORY, big))
        assert (status, code) == (400, "InvalidParameterValue") and "2000 bytes" in message
        # Chunked bodies are measured as they arrive.
        signed = feeds.signed("SubmitFeed", {"FeedType": INVENTORY, "ContentMD5Value": md5_of(big)})
        url = f"{sb.url}{feeds.path}?{signing.encode_query(signed)}"
        chunks = (big[i:i + 500] for i in range(0, len(big), 500))
        response = parsed(requests.post(url, data=chunks, headers={"Content-Type": "text/xml"}, timeout=10))
        assert error_of(response)[2] == "InvalidParameterValue"
        assert len(sb.feeds) == 1


def test_feed_body_with_a_form_content_type_is_still_the_feed(instant, feeds):
    # Amazon's own example request says "Content-Type: x-www-form-urlencoded" (Feeds_SubmitFeed).
    response = feeds.submit(INVENTORY, a_feed(instant), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200, response.text


def test_flat_files_are_accepted_and_reported_as_not_processed(instant, feeds):
    body = "sku\tprice\tquantity\nwidget\t\t0\n".encode("cp1252")
    assert md5_of(body) == "iUI5qlSDSrZOHRgvj4amUQ=="  # an accepted SubmitFeed's body (peddler's recording)
    submission_id = feeds.submitted_id("_POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA_", body,
                                       content_type="text/tab-separated-values; charset=iso-8859-1")
    response = feeds.result(submission_id)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain;charset=windows-1252"
    assert response.headers["Content-MD5"] == md5_of(response.content)
    text = response.content.decode("cp1252")
    assert text.startswith("Feed Processing Summary:\n\tNumber of records processed\t\t0\n")
    assert "does not process them" in text


# -- GetFeedSubmissionList / ByNextToken / Count --------------------------------------------

def submit_many(sandbox, feeds, count, feed_type=INVENTORY):
    ids = []
    for n in range(count):
        ids.append(feeds.submitted_id(feed_type, a_feed(sandbox, n)))
        sandbox.clock.advance(1)
    return ids


def listed(response):
    assert response.status_code == 200, response.text
    result = response.xml[0]
    return ([info_of(e) for e in result.iterfind("f:FeedSubmissionInfo", NS)],
            result.findtext("f:HasNext", namespaces=NS), result.findtext("f:NextToken", namespaces=NS))


def test_list_pages_newest_first_with_has_next(instant, feeds):
    ids = submit_many(instant, feeds, 12)
    infos, has_next, token = listed(feeds.call("GetFeedSubmissionList"))
    assert [i["FeedSubmissionId"] for i in infos] == ids[::-1][:10]  # MaxCount defaults to 10
    assert has_next == "true" and token
    result = feeds.call("GetFeedSubmissionListByNextToken", {"NextToken": token})
    assert etree.QName(result.xml[0]).localname == "GetFeedSubmissionListByNextTokenResult"
    infos, has_next, token = listed(result)
    assert [i["FeedSubmissionId"] for i in infos] == ids[1::-1]
    assert has_next == "false" and token is None
    infos, has_next, _ = listed(feeds.call("GetFeedSubmissionList", {"MaxCount": "5"}))
    assert len(infos) == 5 and has_next == "true"
    for bad in ("0", "101", "x"):
        assert error_of(feeds.call("GetFeedSubmissionList", {"MaxCount": bad}))[2] == "InvalidParameterValue"
    assert error_of(feeds.call("GetFeedSubmissionListByNextToken", {"NextToken": "garbled"}))[2] == \
        "InvalidParameterValue"


def test_listed_ids_override_every_other_filter(instant, feeds):
    ids = submit_many(instant, feeds, 12)
    wanted = {f"FeedSubmissionIdList.Id.{n}": i for n, i in enumerate(ids, 1)}
    params = {**wanted, "FeedSubmissionIdList.Id.13": "99999999999", "FeedTypeList.Type.1": PRODUCT,
              "FeedProcessingStatusList.Status.1": "_CANCELLED_", "MaxCount": "3"}
    infos, has_next, _ = listed(feeds.call("GetFeedSubmissionList", params))
    assert sorted(i["FeedSubmissionId"] for i in infos) == sorted(ids) and has_next == "false"
    too_many = {f"FeedSubmissionIdList.Id.{n}": str(n) for n in range(1, 102)}
    assert error_of(feeds.call("GetFeedSubmissionList", too_many))[2] == "InvalidParameterValue"


def test_filters_by_type_status_and_dates(instant, feeds):
    start = instant.clock.now()
    inventory_ids = submit_many(instant, feeds, 3)
    product_id = feeds.submitted_id(PRODUCT, envelope("Product"))
    infos, _, _ = listed(feeds.call("GetFeedSubmissionList", {"FeedTypeList.Type.1": PRODUCT}))
    assert [i["FeedSubmissionId"] for i in infos] == [product_id]
    infos, _, _ = listed(feeds.call("GetFeedSubmissionList", {"FeedProcessingStatusList.Status.1": "_DONE_"}))
    assert len(infos) == 4  # no processing time: everything is done once looked at
    assert all(i["FeedProcessingStatus"] == "_DONE_" and "CompletedProcessingDate" in i for i in infos)
    infos, _, _ = listed(feeds.call("GetFeedSubmissionList",
                                    {"FeedProcessingStatusList.Status.1": "_SUBMITTED_"}))
    assert infos == []
    to_first = signing.timestamp(start + timedelta(milliseconds=500))  # feeds went in a second apart
    infos, _, _ = listed(feeds.call("GetFeedSubmissionList", {"SubmittedToDate": to_first}))
    assert [i["FeedSubmissionId"] for i in infos] == inventory_ids[:1]
    long_ago = {"SubmittedFromDate": "2000-01-01T00:00:00Z", "SubmittedToDate": "2000-02-01T00:00:00Z"}
    infos, _, _ = listed(feeds.call("GetFeedSubmissionList", long_ago))
    assert infos == []
    for params in ({"FeedProcessingStatusList.Status.1": "_FINISHED_"}, {"FeedTypeList.Type.1": "_NOPE_"},
                   {"SubmittedFromDate": "2024-02-01T00:00:00Z", "SubmittedToDate": "2024-01-01T00:00:00Z"},
                   {"SubmittedFromDate": "yesterday"}):
        assert error_of(feeds.call("GetFeedSubmissionList", params))[0] == 400


def test_count_uses_the_same_filters(instant, feeds):
    submit_many(instant, feeds, 3)
    feeds.submitted_id(PRODUCT, envelope("Product"))

    def count(**params):
        response = feeds.call("GetFeedSubmissionCount", params)
        assert response.status_code == 200, response.text
        return int(response.xml.findtext("f:GetFeedSubmissionCountResult/f:Count", namespaces=NS))
    assert count() == 4
    assert count(**{"FeedTypeList.Type.1": INVENTORY}) == 3
    assert count(**{"FeedTypeList.Type.1": INVENTORY, "FeedTypeList.Type.2": PRODUCT}) == 4
    assert count(**{"FeedProcessingStatusList.Status.1": "_SUBMITTED_"}) == 0
    assert count(SubmittedFromDate="2000-01-01T00:00:00Z", SubmittedToDate="2000-01-02T00:00:00Z") == 0


# -- CancelFeedSubmissions ------------------------------------------------------------------

def test_cancel_only_submitted_feeds():
    with Sandbox(seed=7, orders=5, quotas=False, feed_processing_seconds=30) as sb:
        feeds = FeedsCaller(sb)
        first = feeds.submitted_id(INVENTORY, a_feed(sb, 1))
        sb.clock.advance(16)  # the first is _IN_PROGRESS_ now
        second = feeds.submitted_id(INVENTORY, a_feed(sb, 2))
        product = feeds.submitted_id(PRODUCT, envelope("Product"))
        assert feeds.status(first) == "_IN_PROGRESS_"
        response = feeds.call("CancelFeedSubmissions", {"FeedTypeList.Type.1": INVENTORY})
        assert response.status_code == 200, response.text
        result = response.xml.find("f:CancelFeedSubmissionsResult", NS)
        assert result.findtext("f:Count", namespaces=NS) == "1"
        infos = [info_of(e) for e in result.iterfind("f:FeedSubmissionInfo", NS)]
        assert [(i["FeedSubmissionId"], i["FeedProcessingStatus"]) for i in infos] == [(second, "_CANCELLED_")]
        assert [feeds.status(i) for i in (first, second, product)] == ["_IN_PROGRESS_", "_CANCELLED_",
                                                                       "_SUBMITTED_"]
        cancel_by_id = feeds.call("CancelFeedSubmissions", {"FeedSubmissionIdList.Id.1": product,
                                                            "FeedSubmissionIdList.Id.2": first})
        assert cancel_by_id.xml.findtext(".//f:Count", namespaces=NS) == "1"
        assert feeds.status(product) == "_CANCELLED_"
        again = feeds.call("CancelFeedSubmissions", {"FeedSubmissionIdList.Id.1": product})
        assert again.xml.findtext(".//f:Count", namespaces=NS) == "0"
        sb.clock.advance(60)
        assert feeds.status(first) == "_DONE_" and feeds.status(second) == "_CANCELLED_"


# -- GetFeedSubmissionResult ----------------------------------------------------------------

def test_result_errors_before_done_after_cancel_and_for_unknown_ids():
    with Sandbox(seed=7, orders=5, quotas=False, feed_processing_seconds=30) as sb:
        feeds = FeedsCaller(sb)
        submission_id = feeds.submitted_id(INVENTORY, a_feed(sb))
        status, kind, code, message = error_of(feeds.result(submission_id))
        assert (status, kind, code) == (400, "Sender", "FeedProcessingResultNotReady") and submission_id in message
        sb.clock.advance(20)
        assert error_of(feeds.result(submission_id))[2] == "FeedProcessingResultNotReady"  # _IN_PROGRESS_
        sb.clock.advance(10)
        assert feeds.result(submission_id).status_code == 200
        cancelled = feeds.submitted_id(INVENTORY, a_feed(sb))
        feeds.call("CancelFeedSubmissions", {"FeedSubmissionIdList.Id.1": cancelled})
        assert error_of(feeds.result(cancelled))[2] == "FeedCanceled"
        for unknown in ("12345678901", "x"):
            assert error_of(feeds.result(unknown))[2] == "InvalidFeedSubmissionId"
        response = feeds.call("GetFeedSubmissionResult")
        assert error_of(response)[2] == "InvalidParameterValue"
        assert response.xml.tag == f"{{{FEEDS_NS}}}ErrorResponse"


def test_result_is_the_raw_report_with_its_md5(instant, feeds):
    submission_id = feeds.submitted_id(INVENTORY, a_feed(instant))
    for method in ("POST", "GET"):
        response = feeds.call("GetFeedSubmissionResult", {"FeedSubmissionId": submission_id}, method=method)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/xml"
        assert response.headers["Content-MD5"] == md5_of(response.content)
        root = etree.fromstring(response.content)
        assert root.tag == "AmazonEnvelope"  # no GetFeedSubmissionResultResponse wrapper (Feeds_GetFeedSubmissionResult)
        assert root.findtext("Header/MerchantIdentifier") == SELLER
        assert root.findtext("Message/ProcessingReport/DocumentTransactionID") == submission_id


def test_requests_are_logged_by_action(instant, feeds):
    submission_id = feeds.submitted_id(INVENTORY, a_feed(instant))
    feeds.result(submission_id)
    assert instant.requests.count(action="SubmitFeed", status=200) == 1
    assert instant.requests.count(action="GetFeedSubmissionResult", status=200) == 1


@pytest.mark.parametrize("version", ["2013-09-01", "2009-01-02"])
def test_feeds_path_needs_the_feeds_version(instant, version):
    feeds = FeedsCaller(instant)
    feeds.version = version
    assert error_of(feeds.call("GetFeedSubmissionCount"))[2] == "InvalidParameterValue"
