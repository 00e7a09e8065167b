"""Feed documents: the upload URL takes one PUT with exactly the Content-Type asked for, within five minutes;
result documents are gzip-compressed at a download URL that also expires; refusals look like S3's."""

import gzip
import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests
from lxml import etree

from mws_sandbox import Sandbox

from .catalogue_client import JSON_TYPE, XML_TYPE, Client, error_of, listings_feed


@pytest.fixture
def sandbox():
    with Sandbox(seed=5, orders=20, quotas=False) as sandbox:
        yield sandbox


@pytest.fixture
def client(sandbox):
    return Client(sandbox)


def s3_error(response):
    """(status, Code, Message) of an S3 XML error."""
    root = etree.fromstring(response.content)
    assert root.tag == "Error" and root.findtext("RequestId") and response.headers["Content-Type"] == "application/xml"
    return response.status_code, root.findtext("Code"), root.findtext("Message")


def tampered(url, **changes):
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_the_upload_url_takes_one_put_with_the_content_type_asked_for(client):
    document = client.create_document(JSON_TYPE)
    assert document["feedDocumentId"].startswith("amzn1.tortuga.")
    assert urlsplit(document["url"]).netloc == urlsplit(client.base).netloc  # on the sandbox itself
    for other in ("application/json", "application/json;charset=UTF-8", XML_TYPE):
        assert s3_error(client.upload(document["url"], b"{}", other))[:2] == (403, "SignatureDoesNotMatch")
    put = client.upload(document["url"], b'{"a": 1}', JSON_TYPE)
    assert put.status_code == 200 and put.headers["ETag"]
    assert s3_error(client.upload(document["url"], b'{"a": 2}', JSON_TYPE)) == \
        (403, "AccessDenied", "Request has already been used")
    assert client.sandbox.spapi.documents.get(document["feedDocumentId"]).content == b'{"a": 1}'


def test_the_upload_url_expires_after_five_minutes(client, sandbox):
    late = client.create_document(XML_TYPE)
    sandbox.clock.advance(301)
    answer = client.upload(late["url"], b"<a/>", XML_TYPE)
    assert s3_error(answer) == (403, "AccessDenied", "Request has expired")
    root = etree.fromstring(answer.content)
    assert root.findtext("X-Amz-Expires") == "300" and root.findtext("Expires") < root.findtext("ServerTime")
    in_time = client.create_document(XML_TYPE)
    sandbox.clock.advance(299)
    assert client.upload(in_time["url"], b"<a/>", XML_TYPE).status_code == 200


def test_an_altered_url_or_another_method_is_refused(client):
    document = client.create_document(JSON_TYPE)
    assert s3_error(client.upload(tampered(document["url"], **{"X-Amz-Date": "20990101T000000Z"}), b"{}",
                                  JSON_TYPE))[:2] == (403, "SignatureDoesNotMatch")
    assert s3_error(client.upload(tampered(document["url"], **{"X-Amz-Expires": "86400"}), b"{}",
                                  JSON_TYPE))[:2] == (403, "SignatureDoesNotMatch")
    assert s3_error(requests.get(document["url"], timeout=10))[:2] == (403, "SignatureDoesNotMatch")
    bare = document["url"].split("?")[0]
    assert s3_error(client.upload(bare, b"{}", JSON_TYPE))[:2] == (403, "AccessDenied")
    assert client.upload(document["url"], b"{}", JSON_TYPE).status_code == 200  # still unused


def test_create_feed_document_and_create_feed_refusals(client):
    answer = client.call("POST", "/feeds/2021-06-30/documents", body={})
    assert error_of(answer)[:2] == (400, "InvalidInput") and "contentType" in error_of(answer)[2]
    answer = client.call("POST", "/feeds/2021-06-30/documents", raw=b"contentType=text/xml",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 415
    document = client.create_document(XML_TYPE)
    answer = client.create_feed("POST_ORDER_FULFILLMENT_DATA", document["feedDocumentId"])
    assert error_of(answer)[:2] == (400, "InvalidInput") and "PUT the document" in error_of(answer)[2]
    answer = client.create_feed("POST_ORDER_FULFILLMENT_DATA", "amzn1.tortuga.4.na.nothing")
    assert error_of(answer)[:2] == (400, "InvalidInput") and "inputFeedDocumentId" in error_of(answer)[2]


def test_reports_are_gzip_compressed_at_a_download_url_that_expires(client, sandbox):
    sku = sandbox.catalogue.skus()[0]
    document = listings_feed(client.seller_id, [{"messageId": 1, "sku": sku, "operationType": "PATCH",
                                                 "productType": "PRODUCT", "patches": [
                                                     {"op": "replace", "path": "/attributes/fulfillment_availability",
                                                      "value": [{"fulfillment_channel_code": "DEFAULT",
                                                                 "quantity": 3}]}]}])
    feed = client.finish(client.submit("JSON_LISTINGS_FEED", json.dumps(document).encode(), JSON_TYPE))
    assert feed["processingStatus"] == "DONE"
    answer = client.call("GET", f"/feeds/2021-06-30/documents/{feed['resultFeedDocumentId']}")
    assert answer.body["compressionAlgorithm"] == "GZIP"
    download = requests.get(answer.body["url"], timeout=10)
    assert download.headers.get("Content-Encoding") is None and download.content[:2] == b"\x1f\x8b"
    report = json.loads(gzip.decompress(download.content))
    assert report["summary"]["messagesAccepted"] == 1
    # With enableContentEncodingUrlHeader the URL says Content-Encoding: gzip, and requests decompresses itself.
    content, download = client.report(feed, enableContentEncodingUrlHeader="true")
    assert download.headers["Content-Encoding"] == "gzip" and json.loads(content) == report
    expired = client.call("GET", f"/feeds/2021-06-30/documents/{feed['resultFeedDocumentId']}").body["url"]
    sandbox.clock.advance(301)
    assert s3_error(requests.get(expired, timeout=10)) == (403, "AccessDenied", "Request has expired")
    answer = client.call("GET", "/feeds/2021-06-30/documents/amzn1.tortuga.4.na.unknown")
    assert error_of(answer)[:2] == (404, "NotFound")


def test_s3_requests_are_logged_without_their_signature(client, sandbox):
    document = client.create_document(JSON_TYPE)
    client.upload(document["url"], b"{}", JSON_TYPE)
    signature = dict(parse_qsl(urlsplit(document["url"]).query))["X-Amz-Signature"]
    [record] = [r for r in sandbox.requests if r.action == "S3PutObject"]
    assert record.status == 200 and "X-Amz-Signature" not in record.params
    assert all(signature not in str(r.params) for r in sandbox.requests)


def test_the_fault_flags_apply_to_document_urls(client, sandbox):
    from mws_sandbox.faults import FaultConfig
    document = client.create_document(JSON_TYPE)
    sandbox.faults = FaultConfig(error500=1.0)
    assert s3_error(client.upload(document["url"], b"{}", JSON_TYPE))[:2] == (500, "InternalError")
    sandbox.faults = FaultConfig(throttle=1.0)
    assert s3_error(client.upload(document["url"], b"{}", JSON_TYPE))[:2] == (503, "SlowDown")
    sandbox.faults = FaultConfig()
    assert client.upload(document["url"], b"{}", JSON_TYPE).status_code == 200  # the failed PUTs used nothing
    sandbox.faults = FaultConfig(drop=1.0)
    with pytest.raises(requests.ConnectionError):
        requests.get(document["url"], timeout=10)
