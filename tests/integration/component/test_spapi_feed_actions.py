"""The feeds-side actions on SP-API against the sandbox over real HTTP: JSON_LISTINGS_FEED for every listings
action, the XML order feeds, feed status and reports (gzip, FATAL), the upload URL's rules, createFeed's
usage plan, and secret hygiene.

Every document the component uploads is read back from the sandbox's store and validated: JSON_LISTINGS_FEED
documents against Amazon's listings-feed schema, order feeds against Amazon's XSDs.
"""

import io
import json
import logging
from datetime import datetime, timezone
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import pytest
import requests
from lxml import etree

from mws_component.account import open_account
from mws_component.credentials import credentials_from_cfg
from mws_component.endpoint import Endpoints
from mws_component.errors import InputError
from mws_component.feeds import describe
from mws_component.spapi import feeds as spapi_feeds
from mws_component.spapi.listings.feed import CONTENT_TYPE as JSON_TYPE
from mws_sandbox import Sandbox
from mws_tools.runner import LocalContext, run_function

from tests.integration.sandbox_spapi.catalogue_client import Client, validate_feed_document
from .conftest import PROCESSING, TIME_SCALE
from .functions import only_data, run

XML_TYPE = "text/xml; charset=UTF-8"
US = "ATVPDKIKX0DER"
TEXT = {"language_tag": "en_US", "marketplace_id": US}


def uploaded(sb, since):
    """(content type, bytes) of every document uploaded since request number `since`, in order."""
    out = []
    for record in list(sb.requests)[since:]:
        if record.action == "S3PutObject" and record.status == 200:
            document = sb.spapi.documents.get(unquote(record.path.rsplit("/", 1)[1]))
            out.append((document.content_type, document.content))
    return out


def check_document(content_type, content, envelope):
    """The uploaded document validated by its oracle; the parsed JSON document, or the XML root."""
    if content_type == JSON_TYPE:
        document = json.loads(content)
        validate_feed_document(document)
        return document
    assert content_type == XML_TYPE
    root = etree.fromstring(content)
    envelope.assertValid(root)
    return root


def submit(sb, envelope, name, body, **fields):
    """Run a submit action; (its output, the one uploaded document checked against its oracle)."""
    since = len(sb.requests)
    [out] = only_data(run(name, sb.spapi_credentials, body, **fields))
    [(content_type, content)] = uploaded(sb, since)
    assert out["feedProcessingStatus"] == "_SUBMITTED_" and out["submittedDate"]
    return out, check_document(content_type, content, envelope)


def status(sb, feed_id):
    [info] = only_data(run("getFeedSubmissionStatus", sb.spapi_credentials, {"feedSubmissionId": feed_id}))
    return info


def result(sb, feed_id):
    """The report, after checking it rebounds while the feed is not done."""
    early = run("getFeedSubmissionResult", sb.spapi_credentials, {"feedSubmissionId": feed_id})
    assert [e["event"] for e in early.events] == ["rebound"] and "not processed yet" in early.events[0]["reason"]
    sb.clock.advance(PROCESSING + 1)
    [body] = only_data(run("getFeedSubmissionResult", sb.spapi_credentials, {"feedSubmissionId": feed_id}))
    return body


def skus(sb, n):
    return sorted(sb.catalogue.skus())[:n]


def issues_by_sku(report):
    return {r["additionalInfo"]["sku"]: r for r in report["results"] if "additionalInfo" in r}


# -- every listings action by feed -------------------------------------------------------------------

def test_inventory_by_feed_with_one_deliberate_issue(sb, envelope):
    known = skus(sb, 2)
    out, document = submit(sb, envelope, "submitInventory", {"items": [
        {"sku": known[0], "quantity": 7, "fulfillmentLatency": 3},
        {"sku": known[1], "quantity": 0, "restockDate": "2030-01-31"},
        {"sku": "NO-SUCH-SKU-1", "quantity": 2}]})
    assert out["feedType"] == "JSON_LISTINGS_FEED" and out["messageCount"] == 3
    assert document["header"]["report"] == {"includedData": ["issues"], "apiVersion": "2021-08-01"}
    assert document["header"]["sellerId"] == sb.spapi_credentials["sellerId"]
    assert [m["messageId"] for m in document["messages"]] == [1, 2, 3]
    assert document["messages"][0]["patches"] == [{"op": "replace", "path": "/attributes/fulfillment_availability",
                                                   "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 7,
                                                              "lead_time_to_ship_max_days": 3}]}]
    info = status(sb, out["feedSubmissionId"])
    assert info["feedProcessingStatus"] == "_SUBMITTED_" and info["processingStatus"] == "IN_QUEUE"
    report = result(sb, out["feedSubmissionId"])
    assert report["statusCode"] == "Complete"
    assert report["processingSummary"] == {"messagesProcessed": 3, "messagesSuccessful": 2, "messagesWithError": 1,
                                           "messagesWithWarning": 0}
    [issue] = report["results"]
    assert issue["messageId"] == 3 and issue["resultCode"] == "Error" and issue["resultMessageCode"]
    assert issue["additionalInfo"] == {"sku": "NO-SUCH-SKU-1"} and "NO-SUCH-SKU-1" in issue["resultDescription"]
    assert sb.catalogue[known[0]]["quantity"] == 7
    done = status(sb, out["feedSubmissionId"])
    assert done["feedProcessingStatus"] == "_DONE_" and done["processingStatus"] == "DONE"
    assert done["completedProcessingDate"] and done["startedProcessingDate"]


def test_price_image_and_relationship_by_feed(sb, envelope):
    a, b = skus(sb, 2)
    cases = [
        ("changeProductPrice", {"items": [{"sku": a, "standardPrice": {"value": "19.99", "currency": "USD"}},
                                          {"sku": "NO-SUCH-SKU-2", "standardPrice": {"value": "5", "currency": "USD"}}]},
         {}, "purchasable_offer", "NO-SUCH-SKU-2"),
        ("changeProductImage", {"items": [{"sku": a, "imageType": "Main",
                                           "imageLocation": "https://img.example.com/a.jpg"},
                                          {"sku": "NO-SUCH-SKU-3", "imageType": "PT1",
                                           "imageLocation": "https://img.example.com/b.jpg"}]},
         {}, "main_product_image_locator", "NO-SUCH-SKU-3"),
        ("establishProductRelationships", {"parentSKU": a, "relation": [
            {"sku": b, "type": "Variation"}, {"sku": "NO-SUCH-SKU-4", "type": "Variation"}]},
         {}, "child_parent_sku_relationship", "NO-SUCH-SKU-4"),
    ]
    for name, body, fields, attribute, bad in cases:
        out, document = submit(sb, envelope, name, body, **fields)
        assert out["feedType"] == "JSON_LISTINGS_FEED" and out["messageCount"] == 2, name
        assert all(m["operationType"] == "PATCH" for m in document["messages"])
        assert document["messages"][0]["patches"][0]["path"] == f"/attributes/{attribute}", name
        assert status(sb, out["feedSubmissionId"])["processingStatus"] in ("IN_QUEUE", "IN_PROGRESS")
        report = result(sb, out["feedSubmissionId"])
        assert status(sb, out["feedSubmissionId"])["feedProcessingStatus"] == "_DONE_"
        assert report["processingSummary"]["messagesProcessed"] == 2, (name, report)
        assert report["processingSummary"]["messagesWithError"] == 1, (name, report)
        found = issues_by_sku(report)
        assert set(found) == {bad} and found[bad]["resultCode"] == "Error" and found[bad]["messageId"] == 2, name
    assert sb.catalogue[a]["price"] == {"amount": "19.99", "currency": "USD"}
    assert sb.catalogue[a]["images"].get("Main") == "https://img.example.com/a.jpg"


def test_a_refused_field_sends_nothing(sb):
    before = len(sb.requests)
    ctx = run("submitInventory", sb.spapi_credentials, {"items": [{"sku": "A", "quantity": 1},
                                                                   {"sku": "B", "available": True}]})
    [error] = [e["error"] for e in ctx.events if e["event"] == "error"]
    assert "available" in error["message"] and error.get("field", "").startswith("body.items[1]"), error
    assert len(sb.requests) == before


SHIRT = {
    "item_name": [{"value": "Linen shirt, blue", **TEXT}], "brand": [{"value": "Sandbox Wear", **TEXT}],
    "color": [{"value": "Blue", **TEXT}], "size": [{"value": "M", **TEXT}],
    "department": [{"value": "mens", **TEXT}],
    "externally_assigned_product_identifier": [{"type": "ean", "value": "4006381333931", "marketplace_id": US}],
    "condition_type": [{"value": "new_new", "marketplace_id": US}],
    "purchasable_offer": [{"marketplace_id": US, "currency": "USD", "audience": "ALL",
                           "our_price": [{"schedule": [{"value_with_tax": 24.5}]}]}],
    "fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": 12}],
}


def account_for(sb, **options):
    return open_account(credentials_from_cfg(sb.spapi_credentials), time_scale=TIME_SCALE, **options)


def product_request(items, product_type="SHIRT"):
    """The product kind's FeedRequest carries the product type as its category (the step's productType)."""
    return SimpleNamespace(kind=describe("product"), operation_type="Update", category=product_type, items=items,
                           marketplace_ids=())


def test_product_by_feed_through_a_product_type(sb, envelope):
    account = account_for(sb)
    since = len(sb.requests)
    out = account.submit_feed(product_request([
        {"sku": "SHIRT-FEED-1", "attributes": SHIRT},
        {"sku": "SHIRT-FEED-2", "operationType": "PartialUpdate", "attributes": {"color": SHIRT["color"]}}]))
    assert sb.requests.count(action="getDefinitionsProductType") >= 1
    [(content_type, content)] = uploaded(sb, since)
    document = check_document(content_type, content, envelope)
    assert [(m["sku"], m["operationType"], m["productType"], m.get("requirements")) for m in document["messages"]] \
        == [("SHIRT-FEED-1", "UPDATE", "SHIRT", "LISTING"), ("SHIRT-FEED-2", "PARTIAL_UPDATE", "SHIRT", None)]
    assert out["feedType"] == "JSON_LISTINGS_FEED" and out["messageCount"] == 2
    report = result(sb, out["feedSubmissionId"])
    found = issues_by_sku(report)
    assert set(found) == {"SHIRT-FEED-2"} and found["SHIRT-FEED-2"]["resultCode"] == "Error"  # no such listing
    assert "SHIRT-FEED-1" in sb.catalogue and "SHIRT-FEED-2" not in sb.catalogue


@pytest.mark.parametrize("attributes, field", [
    ({k: v for k, v in SHIRT.items() if k != "brand"}, "items[1].attributes"),
    ({**SHIRT, "item_name": [{"value": "é" * 101, **TEXT}]}, "items[1].attributes.item_name"),
])
def test_product_attributes_are_checked_against_the_definition_before_anything_is_sent(sb, attributes, field):
    account = account_for(sb)
    account.submit_feed(product_request([{"sku": "WARM-UP", "attributes": SHIRT}]))  # the definition is cached
    before = sb.requests.count(action="createFeedDocument")
    with pytest.raises(InputError) as refused:
        account.submit_feed(product_request([{"sku": "OK-1", "attributes": SHIRT},
                                             {"sku": "BAD-1", "attributes": attributes}]))
    assert refused.value.field.startswith(field), refused.value.field
    assert sb.requests.count(action="createFeedDocument") == before


def test_an_unknown_product_type_is_refused_naming_it(sb):
    with pytest.raises(InputError, match="NO_SUCH_TYPE") as refused:
        account_for(sb).submit_feed(product_request([{"sku": "X", "attributes": SHIRT}], "NO_SUCH_TYPE"))
    assert refused.value.field == "productType"


def test_more_than_25000_items_are_refused_before_anything_is_sent(sb):
    account = account_for(sb)
    request = SimpleNamespace(kind=describe("inventory"), operation_type="Update", category=None,
                              items=[{"sku": f"S{i}", "quantity": 1} for i in range(25_001)], marketplace_ids=())
    before = len(sb.requests)
    with pytest.raises(Exception, match="at most 25,000"):
        account.submit_feed(request)
    assert len(sb.requests) == before


# -- order feeds -------------------------------------------------------------------------------------

def test_acknowledge_and_ship_close_the_order_on_sp_api(sb, envelope):
    order = next(o for o in sb.store.all() if o.status == "Unshipped" and o.fulfillment_channel == "MFN")
    ack, root = submit(sb, envelope, "acknowledgeOrder", {
        "amazonOrderID": order.amazon_order_id, "merchantOrderID": "ERP-2001", "statusCode": "Success",
        "item": [{"amazonOrderItemCode": i.order_item_id, "merchantOrderItemID": f"ERP-2001-{n}"}
                 for n, i in enumerate(order.items, 1)]})
    assert ack["feedType"] == "POST_ORDER_ACKNOWLEDGEMENT_DATA" and root.findtext("MessageType") == "OrderAcknowledgement"
    assert result(sb, ack["feedSubmissionId"])["processingSummary"]["messagesSuccessful"] == 1
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    ship, root = submit(sb, envelope, "confirmShipment", {
        "amazonOrderID": order.amazon_order_id, "fulfillmentDate": now,
        "fulfillmentData": {"carrierCode": "UPS", "shippingMethod": "Ground", "shipperTrackingNumber": "1Z999"},
        "item": [{"amazonOrderItemCode": i.order_item_id, "quantity": i.quantity_ordered} for i in order.items]})
    assert ship["feedType"] == "POST_ORDER_FULFILLMENT_DATA" and root.findtext("MessageType") == "OrderFulfillment"
    shipped = result(sb, ship["feedSubmissionId"])
    assert shipped["statusCode"] == "Complete" and shipped["processingSummary"]["messagesSuccessful"] == 1
    assert sb.store.get(order.amazon_order_id).status == "Shipped"
    [found], missing = account_for(sb).orders_by_id([order.amazon_order_id])
    assert not missing and found["orderStatus"] == "Shipped"
    sb.clock.advance(130)
    cfg = sb.spapi_credentials | {"marketplaceIds": [order.marketplace_id], "startTime": "2000-01-01T00:00:00Z"}
    ctx = LocalContext(out=None, flow_type="ordinary")
    run_function("listOrders", cfg, {"body": {}}, {}, ctx=ctx)
    listed = {e["body"]["amazonOrderId"]: e["body"] for e in ctx.events if e["event"] == "data"}
    assert listed[order.amazon_order_id]["orderStatus"] == "Shipped"


# -- status and report corners -------------------------------------------------------------------------

def test_an_unknown_feed_is_the_same_clear_input_error_as_on_mws(sb):
    for name in ("getFeedSubmissionStatus", "getFeedSubmissionResult"):
        ctx = run(name, sb.spapi_credentials, {"feedSubmissionId": "999999999"})
        [error] = [e["error"] for e in ctx.events if e["event"] == "error"]
        assert error["field"] == "body.feedSubmissionId" and "no feed submission 999999999" in error["message"]


def legacy_xml(seller):
    from lxml.builder import E
    root = E.AmazonEnvelope(E.Header(E.DocumentVersion("1.01"), E.MerchantIdentifier(seller)),
                            E.MessageType("Product"), E.Message(E.MessageID("1"), E.OperationType("Update"),
                                                                E.Product(E.SKU("LEGACY-1"))))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_fatal_feeds_report_their_errors(sb):
    """A legacy XML listings feed (Amazon ends them FATAL since 2025-07-31) and a JSON feed for another seller:
    neither can come from the actions, so they go through the account's document submission."""
    account = account_for(sb)
    legacy = spapi_feeds.FeedDocument(io.BytesIO(legacy_xml(account.seller_id)), XML_TYPE, "POST_PRODUCT_DATA",
                                      1)
    foreign = {"header": {"sellerId": "A2OTHERSELLER", "version": "2.0"},
               "messages": [{"messageId": 1, "sku": "X", "operationType": "DELETE"}]}
    foreign_json = spapi_feeds.FeedDocument(io.BytesIO(json.dumps(foreign).encode()), JSON_TYPE,
                                            "JSON_LISTINGS_FEED", 1)
    ids = [spapi_feeds.submit_document(account, document)["feedSubmissionId"] for document in (legacy, foreign_json)]
    sb.clock.advance(2 * PROCESSING + 2)
    for feed_id, said in zip(ids, ("no longer supported", "sellerId")):
        info = status(sb, feed_id)
        assert info["feedProcessingStatus"] == "_FATAL_" and info["processingStatus"] == "FATAL"
        [body] = only_data(run("getFeedSubmissionResult", sb.spapi_credentials, {"feedSubmissionId": feed_id}))
        assert body["statusCode"] == "Rejected" and body["processingSummary"]["messagesSuccessful"] == 0, body
        [error] = body["results"]
        assert error["resultCode"] == "Error" and error["messageId"] == 0 and said in error["resultDescription"]


# -- the upload URL's rules, gzip reports ----------------------------------------------------------------

class Recording(requests.Session):
    """A session that records each request's method, URL, headers and answer; `lose_first_put` sends the
    first PUT and then loses its answer, as a dropped connection would."""

    lose_first_put = False

    def __init__(self):
        super().__init__()
        self.seen = []
        self.lost = 0

    def request(self, method, url, **kwargs):
        resp = super().request(method, url, **kwargs)
        resp.raw = _Replay(resp.content)  # read here, replayed to the component's streaming reader
        self.seen.append((method, url, dict(resp.request.headers), resp))
        if method == "PUT" and type(self).lose_first_put and not self.lost:
            self.lost += 1
            resp.close()
            raise requests.exceptions.ConnectionError("Connection aborted: the answer was lost")
        return resp


class _Replay:
    def __init__(self, data):
        self._data = io.BytesIO(data)

    def read1(self, size=-1, decode_content=True):
        return self._data.read1(size)

    def read(self, size=-1, decode_content=True, **_):
        return self._data.read(size)

    def close(self):
        pass


def recorded_account(sb, lose=False):
    session_class = type("R", (Recording,), {"lose_first_put": lose})
    sessions = []

    def factory():
        session = session_class()
        sessions.append(session)
        return session
    return account_for(sb, endpoints=Endpoints(session_factory=factory)), sessions


def seen(sessions):
    return [entry for session in sessions for entry in session.seen]


def inventory_request(sb):
    return SimpleNamespace(kind=describe("inventory"), operation_type="Update", category=None,
                           items=[{"sku": skus(sb, 1)[0], "quantity": 5}], marketplace_ids=())


def test_the_upload_goes_to_the_presigned_url_with_exactly_the_content_type_and_no_token(sb):
    account, sessions = recorded_account(sb)
    out = account.submit_feed(inventory_request(sb))
    calls = seen(sessions)
    [(_, _, created_headers, created)] = [c for c in calls if urlsplit(c[1]).path.endswith("/documents")]
    asked = json.loads(created.request.body)["contentType"]
    assert asked == JSON_TYPE
    [(method, url, headers, answer)] = [c for c in calls if c[0] == "PUT"]
    assert url == created.json()["url"] and answer.status_code == 200
    assert headers["Content-Type"] == asked
    assert "x-amz-access-token" not in {k.lower() for k in headers}
    assert "x-amz-access-token" in {k.lower() for k in created_headers}
    sb.clock.advance(PROCESSING + 1)
    with account.feed_report(out["feedSubmissionId"]) as report:
        header = next(report)
    assert header[0] == "header" and header[1]["processingSummary"]["messagesSuccessful"] == 1
    [(_, _, _, document)] = [c for c in seen(sessions) if "/documents/" in urlsplit(c[1]).path]
    assert document.json()["compressionAlgorithm"] == "GZIP"  # the report came gzipped and was read
    [(_, _, download_headers, download)] = [c for c in seen(sessions) if c[0] == "GET" and "/s3/" in c[1]]
    assert download.content[:2] == b"\x1f\x8b"
    assert "x-amz-access-token" not in {k.lower() for k in download_headers}


def test_an_upload_whose_answer_was_lost_goes_to_a_new_document_never_the_same_url(sb, envelope):
    account, sessions = recorded_account(sb, lose=True)
    since = len(sb.requests)
    out = account.submit_feed(inventory_request(sb))
    calls = seen(sessions)
    puts = [c[1] for c in calls if c[0] == "PUT"]
    created = [c for c in calls if urlsplit(c[1]).path.endswith("/documents")]
    assert len(puts) == 2 and len(set(puts)) == 2 and len(created) == 2
    assert [c[3].json()["url"] for c in created] == puts
    feeds = [c for c in calls if urlsplit(c[1]).path.endswith("/feeds") and c[0] == "POST"]
    [feed] = feeds  # one createFeed, for the second document
    assert json.loads(feed[3].request.body)["inputFeedDocumentId"] == created[1][3].json()["feedDocumentId"]
    assert sb.requests.count(action="S3PutObject", status=403) == 0  # no URL was used twice
    assert len(uploaded(sb, since)) == 2
    assert out["messageCount"] == 1


# -- createFeed's usage plan ---------------------------------------------------------------------------

SLOW = 10  # createFeed restores one call per 12 s on this clock: within a 5 s wait it cannot come back


@pytest.fixture
def slow_quotas(monkeypatch):
    monkeypatch.setenv("MWS_TIME_SCALE", str(SLOW))
    monkeypatch.setenv("MWS_ACTION_WAIT_SECONDS", "5")


def test_the_sixteenth_create_feed_is_rebounded(slow_quotas):
    with Sandbox(seed=4, orders=10, time_scale=SLOW, quotas=True) as sb:
        sku = sorted(sb.catalogue.skus())[0]
        outcomes = [run("submitInventory", sb.spapi_credentials, {"sku": sku, "quantity": n}) for n in range(16)]
        events = [[e["event"] for e in ctx.events] for ctx in outcomes]
        assert events[:15] == [["data"]] * 15 and events[15] == ["rebound"], events
        assert "quota is used up" in outcomes[15].events[0]["reason"]
        assert sb.requests.count(action="createFeed") == 15  # the 16th was never sent
        assert sb.requests.count(action="createFeedDocument") == 15  # nor its document created and uploaded
        assert sb.requests.count(action="createFeed", status=429) == 0


def test_a_429_from_the_server_is_rebounded(slow_quotas):
    with Sandbox(seed=5, orders=10, time_scale=SLOW, quotas=True) as sb:
        client = Client(sb)
        for n in range(15):  # another application of the seller spends the burst
            client.submit("JSON_LISTINGS_FEED", json.dumps({"header": {"sellerId": client.seller_id, "version": "2.0"},
                                                            "messages": [{"messageId": 1, "sku": f"S{n}",
                                                                          "operationType": "DELETE"}]}).encode(),
                          JSON_TYPE)
        ctx = run("submitInventory", sb.spapi_credentials, {"sku": sorted(sb.catalogue.skus())[0], "quantity": 1})
        assert [e["event"] for e in ctx.events] == ["rebound"], ctx.events
        assert "throttled" in ctx.events[0]["reason"]
        assert sb.requests.count(action="createFeed", status=429) == 1


# -- secret hygiene --------------------------------------------------------------------------------

def test_no_secret_in_logs_outputs_or_errors(sb, caplog):
    caplog.set_level(logging.DEBUG)
    cfg = sb.spapi_credentials
    account = account_for(sb)
    token = account.authoriser.access_token()
    contexts = [run("submitInventory", cfg, {"sku": skus(sb, 1)[0], "quantity": 3}),
                run("submitInventory", cfg, {"sku": "A", "available": True}),
                run("getFeedSubmissionStatus", cfg, {"feedSubmissionId": "999"})]
    feed_id = contexts[0].events[0]["body"]["feedSubmissionId"]
    contexts.append(run("getFeedSubmissionResult", cfg, {"feedSubmissionId": feed_id}))
    sb.clock.advance(PROCESSING + 1)
    contexts.append(run("getFeedSubmissionResult", cfg, {"feedSubmissionId": feed_id}))
    text = caplog.text + json.dumps([ctx.events for ctx in contexts], default=str)
    for secret in (token, cfg["refreshToken"], cfg["lwaClientSecret"]):
        assert secret and secret not in text
    # the presigned URLs' signatures (an upload or download right until they expire) are not logged either
    assert "/s3/" in caplog.text and "X-Amz-Signature=" not in caplog.text


def test_a_large_json_report_comes_back_in_parts_of_a_thousand(sb, monkeypatch):
    """2,500 messages for SKUs without a listing: the JSON processing report, read as a stream, is emitted
    in parts of 1,000 results, as the XML report is on MWS."""
    # The sandbox processes the feed when it is next asked about, in that request, on real time: the
    # component's call budget is not shortened by the time scale here.
    monkeypatch.setenv("MWS_TIME_SCALE", "1")
    items = [{"sku": f"NO-LISTING-{n:05d}", "quantity": 1} for n in range(2500)]
    [out] = only_data(run("submitInventory", sb.spapi_credentials, {"items": items}))
    assert out["messageCount"] == 2500
    sb.clock.advance(PROCESSING + 1)
    parts = only_data(run("getFeedSubmissionResult", sb.spapi_credentials,
                          {"feedSubmissionId": out["feedSubmissionId"]}))
    assert [(p["part"], p["lastPart"], len(p["results"])) for p in parts] == \
        [(1, False, 1000), (2, False, 1000), (3, True, 500)]
    assert all(p["processingSummary"]["messagesWithError"] == 2500 for p in parts)
    ids = [r["messageId"] for p in parts for r in p["results"]]
    assert sorted(ids) == list(range(1, 2501))
    assert {r["additionalInfo"]["sku"] for p in parts for r in p["results"]} == {i["sku"] for i in items}
