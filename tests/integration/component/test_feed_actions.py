"""The Feeds actions against the sandbox over HTTP: feeds that validate, reports parsed, the order cycle."""

from datetime import datetime, timezone

import pytest
from lxml import etree

from mws_sandbox import FaultConfig, Sandbox
from mws_tools.runner import LocalContext, run_function

from .conftest import PROCESSING, TIME_SCALE
from .functions import only_data, run



def submit(sb, envelope, name, body, **fields):
    [out] = only_data(run(name, sb.credentials, body, **fields))
    submission = sb.feeds.get(out["feedSubmissionId"])
    envelope.assertValid(etree.fromstring(submission.content))  # Amazon's XSD is the oracle
    assert out["feedProcessingStatus"] == "_SUBMITTED_"
    return out


def report(sb, feed_id):
    sb.clock.advance(PROCESSING + 1)
    bodies = only_data(run("getFeedSubmissionResult", sb.credentials, {"feedSubmissionId": feed_id}))
    assert len(bodies) == 1
    return bodies[0]


def skus(sb, n):
    return sorted(sb.catalogue.skus())[:n]


def test_inventory_batch_end_to_end(sb, envelope):
    chosen = skus(sb, 3)
    items = [{"sku": chosen[0], "quantity": 7}, {"sku": chosen[1], "available": False},
             {"sku": chosen[2], "quantity": 0, "restockDate": "2030-01-31", "fulfillmentLatency": 3}]
    out = submit(sb, envelope, "submitInventory", {"items": items})
    assert out["messageCount"] == 3 and out["feedType"] == "_POST_INVENTORY_AVAILABILITY_DATA_"
    status = only_data(run("getFeedSubmissionStatus", sb.credentials, {"feedSubmissionId": out["feedSubmissionId"]}))
    assert status[0]["feedProcessingStatus"] in ("_SUBMITTED_", "_IN_PROGRESS_")
    result = report(sb, out["feedSubmissionId"])
    assert result["statusCode"] == "Complete"
    assert result["processingSummary"] == {"messagesProcessed": 3, "messagesSuccessful": 3,
                                           "messagesWithError": 0, "messagesWithWarning": 0}
    assert sb.catalogue[chosen[0]]["quantity"] == 7
    done = only_data(run("getFeedSubmissionStatus", sb.credentials, {"feedSubmissionId": out["feedSubmissionId"]}))
    assert done[0]["feedProcessingStatus"] == "_DONE_" and done[0]["completedProcessingDate"]


def test_result_before_processing_rebounds(sb, envelope):
    out = submit(sb, envelope, "submitInventory", {"sku": skus(sb, 1)[0], "quantity": 1})
    ctx = run("getFeedSubmissionResult", sb.credentials, {"feedSubmissionId": out["feedSubmissionId"]})
    assert [e["event"] for e in ctx.events] == ["rebound"]
    assert "not processed yet" in ctx.events[0]["reason"]


def test_unknown_sku_comes_back_as_an_error_result(sb, envelope):
    out = submit(sb, envelope, "changeProductPrice", {"items": [
        {"sku": skus(sb, 1)[0], "standardPrice": {"value": "19.99", "currency": "USD"}},
        {"sku": "NO-SUCH-SKU", "standardPrice": {"value": "5", "currency": "USD"}}]})
    result = report(sb, out["feedSubmissionId"])
    assert result["processingSummary"]["messagesWithError"] == 1
    [error] = result["results"]
    assert error["messageId"] == 2 and error["resultCode"] == "Error" and error["additionalInfo"]["sku"] == "NO-SUCH-SKU"


def test_every_submit_action_produces_a_valid_feed_and_a_clean_report(sb, envelope):
    a, b, c = skus(sb, 3)
    cases = [
        ("submitProduct", {"sku": "NEW-HEALTH-1", "descriptionData": {"title": "Vitamin C 500 mg"},
                           "productData": {"health": {"productType": {"healthMisc": {}}}}},
         {"operation": "Upsert", "category": "Health"}),
        ("submitProductFromPayload", {"items": [{"category": "Toys & Games", "sku": "NEW-TOY-1",
                                                 "descriptionData": {"title": "Kite"},
                                                 "productData": {"toys": {"productType": {"toysAndGames": {}},
                                                                          "ageRecommendation": {}}}}]},
         {"operation": "Upsert"}),
        ("changeProductImage", {"sku": a, "imageType": "Main", "imageLocation": "https://img.example.com/a.jpg"}, {}),
        ("changeProductImage", {"sku": a, "imageType": "PT1"}, {"operation": "Delete"}),
        ("establishProductRelationships", {"parentSKU": a, "relation": [{"sku": b, "type": "Variation"},
                                                                        {"sku": c, "type": "Accessory"}]}, {}),
    ]
    for name, body, fields in cases:
        out = submit(sb, envelope, name, body, **fields)
        result = report(sb, out["feedSubmissionId"])
        assert result["processingSummary"]["messagesWithError"] == 0, (name, result)
    assert "NEW-HEALTH-1" in sb.catalogue and sb.catalogue[a]["images"].get("Main")
    assert {"sku": b, "type": "Variation"} in sb.catalogue[a]["relations"]


def test_acknowledge_and_ship_close_the_order_cycle(sb, envelope):
    order = next(o for o in sb.store.all() if o.status == "Unshipped" and o.fulfillment_channel == "MFN")
    item = order.items[0]
    ack = submit(sb, envelope, "acknowledgeOrder", {
        "amazonOrderID": order.amazon_order_id, "merchantOrderID": "ERP-1001", "statusCode": "Success",
        "item": [{"amazonOrderItemCode": i.order_item_id, "merchantOrderItemID": f"ERP-1001-{n}"}
                 for n, i in enumerate(order.items, 1)]})
    assert report(sb, ack["feedSubmissionId"])["processingSummary"]["messagesSuccessful"] == 1
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    ship = submit(sb, envelope, "confirmShipment", {
        "amazonOrderID": order.amazon_order_id, "fulfillmentDate": now,
        "fulfillmentData": {"carrierCode": "UPS", "shippingMethod": "Ground", "shipperTrackingNumber": "1Z999"},
        "item": [{"amazonOrderItemCode": i.order_item_id, "quantity": i.quantity_ordered} for i in order.items]})
    assert report(sb, ship["feedSubmissionId"])["processingSummary"]["messagesSuccessful"] == 1
    assert sb.store.get(order.amazon_order_id).status == "Shipped"
    sb.clock.advance(130)
    cfg = sb.credentials | {"marketplaceIds": [order.marketplace_id], "startTime": "2000-01-01T00:00:00Z"}
    ctx = LocalContext(out=None, flow_type="ordinary")
    run_function("listOrders", cfg, {"body": {}}, {}, ctx=ctx)
    listed = {e["body"]["amazonOrderId"]: e["body"] for e in ctx.events if e["event"] == "data"}
    assert listed[order.amazon_order_id]["orderStatus"] == "Shipped"
    assert item.order_item_id  # the item codes came from the sandbox's own order


@pytest.mark.parametrize("name, body, fields, field", [
    ("submitInventory", {"sku": "A", "quantity": -1}, {}, "body.quantity"),
    ("submitInventory", {"sku": "A", "quantity": 1.5}, {}, "body.quantity"),
    ("submitInventory", {"items": [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 1, "available": True}]}, {},
     "body.items[1]"),
    ("submitInventory", {"items": [{"sku": "A", "quantity": 1}, {"sku": "x" * 41, "quantity": 1}]}, {}, "body.items[1].sku"),
    ("submitInventory", {"sku": "A\u0001", "quantity": 1}, {}, "body.sku"),
    ("submitInventory", {"items": []}, {}, "body.items"),
    ("changeProductPrice", {"sku": "A", "standardPrice": {"value": "1.99999", "currency": "USD"}}, {}, "body.standardPrice"),
    ("changeProductPrice", {"sku": "A", "standardPrice": {"value": "1.99", "currency": "XXX"}}, {}, "body.standardPrice"),
    ("changeProductImage", {"sku": "A", "imageType": "PM01", "imageLocation": "https://x/y.jpg"}, {}, "body.imageType"),
    ("changeProductImage", {"sku": "A", "imageType": "Main"}, {}, "body.imageLocation"),
    ("establishProductRelationships", {"parentSKU": "A", "relation": [{"sku": "B", "type": "Cousin"}]}, {},
     "body.relation[0].type"),
    ("acknowledgeOrder", {"amazonOrderID": "12-34", "statusCode": "Success"}, {}, "body.amazonOrderID"),
    ("acknowledgeOrder", {"amazonOrderID": "123-1234567-1234567", "statusCode": "Maybe"}, {}, "body.statusCode"),
    ("confirmShipment", {"amazonOrderID": "123-1234567-1234567"}, {}, "body.fulfillmentDate"),
    ("submitProduct", {"sku": "A", "productData": {"toys": {}}}, {"operation": "Upsert", "category": "Health"},
     "body.productData"),
    ("submitProductFromPayload", {"items": [{"sku": "A"}]}, {"operation": "Upsert"}, "body.items[0].category"),
    ("submitInventory", {"sku": "A", "quantity": 1}, {"operation": "PartialUpdate"}, "operation"),
    ("getFeedSubmissionStatus", {"feedSubmissionId": "abc"}, {}, "body.feedSubmissionId"),
    ("getFeedSubmissionResult", {}, {}, "body.feedSubmissionId"),
])
def test_bad_input_is_refused_with_index_and_field_and_nothing_is_sent(sb, name, body, fields, field):
    before = len(sb.requests)
    ctx = run(name, sb.credentials, body, **fields)
    [error] = [e["error"] for e in ctx.events if e["event"] == "error"]
    assert error.get("field", "").startswith(field), error
    assert len(sb.requests) == before


def test_md5_mismatch_is_fetched_again(fast_quotas):
    with Sandbox(seed=2, orders=10, time_scale=TIME_SCALE, feed_processing_seconds=0) as sb:
        out = only_data(run("submitInventory", sb.credentials, {"sku": sorted(sb.catalogue.skus())[0], "quantity": 2}))[0]
        sb.faults = FaultConfig(md5_mismatch=0.4, seed=3)  # deterministic for the seed
        for _ in range(3):
            result = only_data(run("getFeedSubmissionResult", sb.credentials, {"feedSubmissionId": out["feedSubmissionId"]}))
            assert result[0]["processingSummary"]["messagesSuccessful"] == 1
        assert sb.requests.count(fault="md5_mismatch") >= 1
        sb.faults = FaultConfig(md5_mismatch=1.0, seed=1)
        ctx = run("getFeedSubmissionResult", sb.credentials, {"feedSubmissionId": out["feedSubmissionId"]})
        [error] = [e["error"] for e in ctx.events if e["event"] == "error"]
        assert error["name"] == "ContentMD5Mismatch"


def test_a_report_of_100000_results_comes_back_in_parts(fast_quotas):
    with Sandbox(seed=2, orders=10, time_scale=TIME_SCALE, feed_processing_seconds=0) as sb:
        items = [{"sku": f"UNKNOWN-{i}", "quantity": 1} for i in range(100_000)]
        out = only_data(run("submitInventory", sb.credentials, {"items": items}))[0]
        ctx = run("getFeedSubmissionResult", sb.credentials, {"feedSubmissionId": out["feedSubmissionId"]})
        parts = only_data(ctx)
        assert len(parts) == 100 and parts[-1]["lastPart"] is True and not parts[0]["lastPart"]
        assert sum(len(p["results"]) for p in parts) == 100_000
        assert parts[0]["processingSummary"]["messagesWithError"] == 100_000
        assert len({e["id"] for e in ctx.events if e["event"] == "data"}) == 100
