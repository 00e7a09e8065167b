"""Feeds API 2021-06-30: feeds over sandbox time, cancelFeed, getFeeds, FATAL legacy feeds, JSON_LISTINGS_FEED
reports against Amazon's processing-report schema, and XML order feeds changing the orders both APIs show."""

import json
from datetime import timedelta

import pytest
from lxml import etree
from lxml.builder import E

from mws_component.mws import signing
from mws_sandbox import Sandbox

from tests.integration.sandbox.conftest import Caller
from .catalogue_client import CA, DE, JSON_TYPE, US, XML_TYPE, Client, error_of, listings_feed, validate_report

LEGACY = ("POST_PRODUCT_DATA", "POST_INVENTORY_AVAILABILITY_DATA", "POST_PRODUCT_PRICING_DATA",
          "POST_PRODUCT_IMAGE_DATA", "POST_PRODUCT_RELATIONSHIP_DATA", "POST_PRODUCT_OVERRIDES_DATA")


@pytest.fixture
def sandbox():
    with Sandbox(seed=11, orders=40, quotas=False) as sandbox:
        yield sandbox


@pytest.fixture
def client(sandbox):
    return Client(sandbox)


@pytest.fixture(scope="module")
def envelope_schema(shared_dir):
    return etree.XMLSchema(etree.parse(str(shared_dir / "mws-xsd" / "amzn-envelope.xsd")))


def envelope(message_type, *payloads, seller="A1SANDBOXSELLER"):
    root = E.AmazonEnvelope(E.Header(E.DocumentVersion("1.01"), E.MerchantIdentifier(seller)),
                            E.MessageType(message_type))
    for number, payload in enumerate(payloads, 1):
        root.append(E.Message(E.MessageID(str(number)), payload))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def patch(sku, quantity, message_id=1):
    return {"messageId": message_id, "sku": sku, "operationType": "PATCH", "productType": "PRODUCT",
            "patches": [{"op": "replace", "path": "/attributes/fulfillment_availability",
                         "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": quantity}]}]}


def json_feed(client, messages, included=("issues",)):
    return client.submit("JSON_LISTINGS_FEED", json.dumps(listings_feed(client.seller_id, messages, included)).encode(),
                         JSON_TYPE)


def json_report(client, feed):
    content, _ = client.report(feed)
    report = json.loads(content)
    validate_report(report)
    assert report["header"] == {**report["header"], "sellerId": client.seller_id, "version": "2.0",
                                "feedId": feed["feedId"]}
    return report


# -- the feed's life ------------------------------------------------------------------------------

def test_a_feed_moves_in_queue_in_progress_done_over_sandbox_time(client, sandbox):
    feed_id = json_feed(client, [patch(sandbox.catalogue.skus()[0], 4)])
    feed = client.feed(feed_id)
    assert feed["processingStatus"] == "IN_QUEUE" and feed["marketplaceIds"] == [US]
    assert "processingStartTime" not in feed and "resultFeedDocumentId" not in feed
    sandbox.clock.advance(16)
    feed = client.feed(feed_id)
    assert feed["processingStatus"] == "IN_PROGRESS" and "processingEndTime" not in feed
    feed = client.finish(feed_id, 15)
    assert feed["processingStatus"] == "DONE"
    assert feed["createdTime"] < feed["processingStartTime"] < feed["processingEndTime"]
    assert feed["resultFeedDocumentId"]


def test_cancel_feed_cancels_only_feeds_in_queue(client, sandbox):
    queued = json_feed(client, [patch(sandbox.catalogue.skus()[0], 4)])
    answer = client.call("DELETE", f"/feeds/2021-06-30/feeds/{queued}")
    assert answer.status_code == 200 and answer.content == b""
    cancelled = client.finish(queued)
    assert cancelled["processingStatus"] == "CANCELLED" and "resultFeedDocumentId" not in cancelled
    assert sandbox.catalogue[sandbox.catalogue.skus()[0]]["quantity"] != 4  # never applied
    running = json_feed(client, [patch(sandbox.catalogue.skus()[1], 4)])
    sandbox.clock.advance(16)
    answer = client.call("DELETE", f"/feeds/2021-06-30/feeds/{running}")
    assert error_of(answer)[:2] == (400, "InvalidInput") and "IN_PROGRESS" in error_of(answer)[2]
    again = client.call("DELETE", f"/feeds/2021-06-30/feeds/{queued}")
    assert error_of(again)[:2] == (400, "InvalidInput") and "CANCELLED" in error_of(again)[2]
    assert error_of(client.call("DELETE", "/feeds/2021-06-30/feeds/12345"))[:2] == (404, "NotFound")
    assert error_of(client.call("GET", "/feeds/2021-06-30/feeds/12345"))[:2] == (404, "NotFound")


def test_get_feeds_filters_and_pages(client, sandbox):
    ids = [json_feed(client, [patch(sandbox.catalogue.skus()[0], n)]) for n in range(3)]
    xml = client.submit("POST_ORDER_ACKNOWLEDGEMENT_DATA", envelope("OrderAcknowledgement"), XML_TYPE)
    first = client.call("GET", "/feeds/2021-06-30/feeds", params={"feedTypes": "JSON_LISTINGS_FEED", "pageSize": 2})
    assert [f["feedId"] for f in first.body["feeds"]] == ids[::-1][:2]
    second = client.call("GET", "/feeds/2021-06-30/feeds", params={"nextToken": first.body["nextToken"]})
    assert [f["feedId"] for f in second.body["feeds"]] == ids[:1] and "nextToken" not in second.body
    both = client.call("GET", "/feeds/2021-06-30/feeds",
                       params={"feedTypes": "JSON_LISTINGS_FEED,POST_ORDER_ACKNOWLEDGEMENT_DATA",
                               "processingStatuses": "IN_QUEUE", "marketplaceIds": US})
    assert {f["feedId"] for f in both.body["feeds"]} == {*ids, xml}
    assert client.call("GET", "/feeds/2021-06-30/feeds", params={"feedTypes": "JSON_LISTINGS_FEED",
                                                                 "processingStatuses": "DONE"}).body["feeds"] == []
    for params, named in (({}, "feedTypes"), ({"nextToken": first.body["nextToken"], "pageSize": 2}, "alone"),
                          ({"feedTypes": "JSON_LISTINGS_FEED", "pageSize": 101}, "pageSize"),
                          ({"feedTypes": "JSON_LISTINGS_FEED", "processingStatuses": "SUBMITTED"},
                           "processingStatuses"),
                          ({"nextToken": "garbage"}, "nextToken")):
        answer = client.call("GET", "/feeds/2021-06-30/feeds", params=params)
        assert error_of(answer)[:2] == (400, "InvalidInput") and named in error_of(answer)[2], params


def test_create_feed_refusals(client):
    document = client.create_document(XML_TYPE)
    client.upload(document["url"], envelope("OrderFulfillment"), XML_TYPE)
    doc = document["feedDocumentId"]
    for feed_type, markets, named in (("NOT_A_FEED", [US], "feedType"), ("POST_ORDER_FULFILLMENT_DATA", [], "marketplaceIds"),
                                      ("POST_ORDER_FULFILLMENT_DATA", ["XX"], "marketplaceIds[0]")):
        answer = client.create_feed(feed_type, doc, markets)
        assert error_of(answer)[:2] == (400, "InvalidInput") and named in error_of(answer)[2]
    answer = client.create_feed("POST_ORDER_FULFILLMENT_DATA", doc, [US, DE])
    assert error_of(answer) == (403, "Unauthorized", "The marketplaces you provided are not valid for region.")
    assert client.create_feed("POST_ORDER_FULFILLMENT_DATA", doc, [US, CA]).status_code == 202


# -- FATAL legacy feeds ---------------------------------------------------------------------------

@pytest.mark.parametrize("feed_type", LEGACY)
def test_legacy_listings_feeds_are_accepted_and_end_fatal(client, sandbox, feed_type, envelope_schema):
    sku = sandbox.catalogue.skus()[0]
    before = sandbox.catalogue[sku]
    body = envelope("Inventory", E.Inventory(E.SKU(sku), E.Quantity("77")))
    feed = client.finish(client.submit(feed_type, body, XML_TYPE))
    assert feed["processingStatus"] == "FATAL" and feed["resultFeedDocumentId"]
    content, download = client.report(feed)
    root = etree.fromstring(content)
    envelope_schema.assertValid(root)
    report = root.find("Message/ProcessingReport")
    assert report.findtext("ProcessingSummary/MessagesProcessed") == "0"
    assert report.findtext("ProcessingSummary/MessagesWithError") == "1"
    [result] = report.findall("Result")
    assert result.findtext("MessageID") == "0" and result.findtext("ResultCode") == "Error"
    assert feed_type in result.findtext("ResultDescription") and "JSON_LISTINGS_FEED" in result.findtext("ResultDescription")
    assert download.headers["Content-Type"] == "text/xml"
    assert sandbox.catalogue[sku] == before  # nothing applied


# -- JSON_LISTINGS_FEED ---------------------------------------------------------------------------

def test_a_listings_feed_applies_its_messages_and_reports_the_invalid_one(client, sandbox):
    good, bad, gone = sandbox.catalogue.skus()[:3]
    messages = [patch(good, 9, 1), patch(bad, -1, 2), {"messageId": 3, "sku": gone, "operationType": "DELETE"}]
    report = json_report(client, client.finish(json_feed(client, messages, included=("issues", "offers"))))
    assert report["summary"] == {"errors": 1, "warnings": 0, "messagesProcessed": 3, "messagesAccepted": 2,
                                 "messagesInvalid": 1, "itemSummary": {"items": 1, "errors": 0, "warnings": 0}}
    [issue] = report["issues"]
    assert issue["messageId"] == 2 and issue["sku"] == bad and issue["severity"] == "ERROR"
    assert issue["code"] == "4000001" and issue["attributeName"] == "fulfillment_availability"
    assert sandbox.catalogue[good]["quantity"] == 9 and sandbox.catalogue[bad]["quantity"] != -1
    assert gone not in sandbox.catalogue
    [item] = report["items"]
    assert item["sku"] == good and set(item) == {"sku", "issues", "offers"}


def test_issues_found_after_acceptance_show_only_when_the_header_asks_for_them(client, sandbox):
    """A PATCH creates nothing: an UPDATE lacking required attributes is refused, a listing missing them is not."""
    new = {"messageId": 1, "sku": "NEW-SHIRT-1", "operationType": "UPDATE", "productType": "SHIRT",
           "attributes": {"item_name": [{"value": "Linen shirt", "language_tag": "en_US", "marketplace_id": US}]}}
    partial = {"messageId": 2, "sku": sandbox.catalogue.skus()[0], "operationType": "PARTIAL_UPDATE",
               "productType": "SHIRT",
               "attributes": {"color": [{"value": "Blue", "language_tag": "en_US", "marketplace_id": US}]}}
    quiet = json_report(client, client.finish(json_feed(client, [new, partial], included=None)))
    assert "items" not in quiet and "itemSummary" not in quiet["summary"]
    assert quiet["summary"]["messagesAccepted"] == 1 and quiet["summary"]["messagesInvalid"] == 1
    assert {i["message"] for i in quiet["issues"]} >= {"'brand' is required but not supplied.",
                                                       "'condition_type' is required but not supplied."}
    assert all(i["messageId"] == 1 and i["code"] == "90220" for i in quiet["issues"])
    told = json_report(client, client.finish(json_feed(client, [{**partial, "messageId": 1}])))
    [item] = told["items"]
    assert {i["attributeNames"][0] for i in item["issues"]} >= {"brand", "size", "department"}
    assert told["summary"]["itemSummary"]["errors"] == len(item["issues"]) and told["issues"] == []


def test_feed_level_problems_end_the_feed_fatal(client, sandbox):
    for content in (b"not json", json.dumps({"header": {"sellerId": client.seller_id, "version": "1.0"},
                                             "messages": []}).encode(),
                    json.dumps({"header": {"sellerId": "SOMEONE-ELSE", "version": "2.0"},
                                "messages": [patch(sandbox.catalogue.skus()[0], 1)]}).encode()):
        feed = client.finish(client.submit("JSON_LISTINGS_FEED", content, JSON_TYPE))
        assert feed["processingStatus"] == "FATAL"
        report = json_report(client, feed)
        [issue] = report["issues"]
        assert "messageId" not in issue and issue["severity"] == "ERROR"


def test_a_message_breaking_the_message_schema_is_invalid_alone(client, sandbox):
    sku = sandbox.catalogue.skus()[0]
    broken = {"messageId": 2, "sku": sku, "operationType": "DELETE", "productType": "PRODUCT"}
    document = {"header": {"sellerId": client.seller_id, "version": "2.0"}, "messages": [patch(sku, 5), broken]}
    report = json_report(client, client.finish(client.submit("JSON_LISTINGS_FEED", json.dumps(document).encode(),
                                                             JSON_TYPE)))
    assert report["summary"]["messagesAccepted"] == 1 and report["summary"]["messagesInvalid"] == 1
    [issue] = report["issues"]
    assert issue["messageId"] == 2 and issue["code"] == "99303" and "DELETE" in issue["message"]


# -- XML order feeds ------------------------------------------------------------------------------

def test_an_order_feed_ships_an_order_both_apis_show(client, sandbox, envelope_schema):
    order = next(o for o in sandbox.store.all() if o.status == "Unshipped" and o.marketplace_id == US)
    shipped_at = sandbox.clock.now() - timedelta(minutes=5)
    body = envelope("OrderFulfillment", E.OrderFulfillment(
        E.AmazonOrderID(order.amazon_order_id), E.FulfillmentDate(signing.timestamp(shipped_at)),
        E.FulfillmentData(E.CarrierCode("UPS"), E.ShipperTrackingNumber("1Z999AA10123456784"))))
    envelope_schema.assertValid(etree.fromstring(body))
    feed = client.finish(client.submit("POST_ORDER_FULFILLMENT_DATA", body, XML_TYPE))
    assert feed["processingStatus"] == "DONE"
    content, download = client.report(feed)
    root = etree.fromstring(content)
    envelope_schema.assertValid(root)
    assert root.findtext("Message/ProcessingReport/ProcessingSummary/MessagesSuccessful") == "1"
    assert root.findtext("Message/ProcessingReport/DocumentTransactionID") == feed["feedId"]
    answer = client.session.get(f"{client.base}/orders/2026-01-01/orders/{order.amazon_order_id}",
                                params={"includedData": "FULFILLMENT"},
                                headers={"x-amz-access-token": client.token()}, timeout=10)
    assert answer.json()["order"]["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    sandbox.clock.advance(121)
    mws = Caller(sandbox)
    listed = mws.call("ListOrders", {"MarketplaceId.Id.1": US, "LastUpdatedAfter": signing.timestamp(shipped_at)})
    statuses = {o.findtext("{*}AmazonOrderId"): o.findtext("{*}OrderStatus") for o in listed.xml.iter("{*}Order")}
    assert statuses[order.amazon_order_id] == "Shipped"


def test_an_order_feed_error_is_in_the_xml_report(client, envelope_schema):
    body = envelope("OrderAcknowledgement", E.OrderAcknowledgement(E.AmazonOrderID("111-2222222-3333333"),
                                                                   E.StatusCode("Success")))
    feed = client.finish(client.submit("POST_ORDER_ACKNOWLEDGEMENT_DATA", body, XML_TYPE))
    root = etree.fromstring(client.report(feed)[0])
    envelope_schema.assertValid(root)
    assert feed["processingStatus"] == "DONE"
    assert root.findtext("Message/ProcessingReport/Result/ResultMessageCode") == "18021"


# -- usage plans, tokens, faults ------------------------------------------------------------------

def test_create_feed_has_a_burst_of_15_then_429():
    with Sandbox(seed=2, orders=5) as sandbox:
        client = Client(sandbox)
        document = client.create_document(XML_TYPE)
        client.upload(document["url"], envelope("OrderFulfillment"), XML_TYPE)
        answers = [client.create_feed("POST_ORDER_FULFILLMENT_DATA", document["feedDocumentId"]) for _ in range(16)]
        assert [a.status_code for a in answers] == [202] * 15 + [429]
        assert answers[0].headers["x-amzn-RateLimit-Limit"] == "0.0083"
        assert error_of(answers[-1])[:2] == (429, "QuotaExceeded")
        sandbox.clock.advance(121)  # one call per 120 s
        assert client.create_feed("POST_ORDER_FULFILLMENT_DATA", document["feedDocumentId"]).status_code == 202
        assert client.create_feed("POST_ORDER_FULFILLMENT_DATA", document["feedDocumentId"]).status_code == 429


def test_expired_tokens_and_faults_apply_to_the_feeds_face(client, sandbox):
    from mws_sandbox.faults import FaultConfig
    answer = client.call("GET", "/feeds/2021-06-30/feeds/1", token=None)
    assert error_of(answer)[:2] == (403, "Unauthorized")
    client.token()
    sandbox.clock.advance(3601)
    assert error_of(client.call("GET", "/feeds/2021-06-30/feeds/1")) == \
        (403, "Unauthorized", "The access token you provided has expired.")
    client._token = None
    sandbox.faults = FaultConfig(error500=1.0)
    assert error_of(client.call("GET", "/feeds/2021-06-30/feeds/1", token="x"))[:2] == (500, "InternalFailure")
    sandbox.faults = FaultConfig(throttle=1.0)
    assert error_of(client.call("POST", "/feeds/2021-06-30/documents", body={"contentType": JSON_TYPE},
                                token="x"))[:2] == (429, "QuotaExceeded")


# -- the sandbox's copy of the listings-feed rules against Amazon's schema --------------------------

def _documents(seller_id):
    base = {"header": {"sellerId": seller_id, "version": "2.0"}}
    good = patch("SKU", 1)
    return [
        {**base, "messages": [good]},
        {**base, "messages": []},
        {"messages": [good]},
        {"header": {"sellerId": seller_id, "version": "2.0", "report": {"includedData": ["issues"]}},
         "messages": [good]},
        {"header": {"sellerId": seller_id, "version": "2.0",
                    "report": {"includedData": ["everything"], "apiVersion": "2021-08-01"}}, "messages": [good]},
        {**base, "messages": [{**good, "messageId": 0}]},
        {**base, "messages": [{**good, "messageId": 2_147_483_648}]},
        {**base, "messages": [{**good, "sku": ""}]},
        {**base, "messages": [{**good, "operationType": "UPSERT"}]},
        {**base, "messages": [{**good, "attributes": {"a": [{}]}}]},
        {**base, "messages": [{**good, "requirements": "LISTING"}]},
        {**base, "messages": [{"messageId": 1, "sku": "S", "operationType": "UPDATE", "productType": "PRODUCT",
                               "attributes": {}}]},
        {**base, "messages": [{"messageId": 1, "sku": "S", "operationType": "PARTIAL_UPDATE",
                               "productType": "PRODUCT", "attributes": {"a": []}, "requirements": "LISTING"}]},
        {**base, "messages": [{"messageId": 1, "sku": "S", "operationType": "DELETE"}]},
        {**base, "messages": [{"messageId": 1, "sku": "S", "operationType": "DELETE", "productType": "P"}]},
        {**base, "messages": [{**good, "patches": [{"op": "copy", "path": "/attributes/a"}]}]},
        {**base, "messages": [{**good, "patches": [{"op": "delete"}]}]},
    ]


def test_the_sandbox_rules_accept_and_refuse_what_amazons_schema_does(client):
    from jsonschema import Draft7Validator

    from mws_sandbox.spapi.listings_feed import FEED_RULES, MESSAGE_RULES

    from .catalogue_client import feed_schema
    amazon = Draft7Validator(feed_schema("listings-feed-schema-v2.json"))
    message = Draft7Validator(feed_schema("listings-feed-message-schema-v2.json"))
    ours, ours_message = Draft7Validator(FEED_RULES), Draft7Validator(MESSAGE_RULES)
    for document in _documents(client.seller_id):
        sandbox_ok = ours.is_valid(document) and all(ours_message.is_valid(m) for m in document["messages"])
        assert amazon.is_valid(document) == sandbox_ok, document
        for m in document["messages"]:
            if m.get("messageId", 1) <= 2_147_483_647:
                assert message.is_valid(m) == ours_message.is_valid(m), m


def test_amazons_example_feed_is_processed_and_reported(client):
    from .catalogue_client import feed_schema
    document = dict(feed_schema("listings-feed-schema-v2.example.json"))
    document["header"] = {**document["header"], "sellerId": client.seller_id}
    report = json_report(client, client.finish(client.submit("JSON_LISTINGS_FEED", json.dumps(document).encode(),
                                                             JSON_TYPE)))
    assert report["summary"]["messagesProcessed"] == 5 and report["summary"]["messagesInvalid"] == 5
    assert {i["messageId"] for i in report["issues"]} == {1, 2, 3, 4, 5}
    assert {i["code"] for i in report["issues"]} == {"99301", "99302"}  # no such SKUs; no LUGGAGE type here
    assert report["header"]["report"] == document["header"]["report"] and report["items"] == []
