"""Flows a new user builds without a mapping step: each action takes the previous step's message as it is.

List Orders → List Order Items (and → Get Order) through the local runner against the sandbox; the
read actions ignore the fields they do not read (logged at debug); the feed actions keep refusing
unknown item fields.
"""

import logging

import pytest

from mws_tools.runner import LocalContext, run_function


def run(name, cfg, msg, snapshot=None):
    ctx = LocalContext(out=None, flow_type="ordinary")
    return run_function(name, cfg, msg, snapshot or {}, ctx=ctx)


def data(ctx):
    errors = [e for e in ctx.events if e["event"] == "error"]
    assert not errors, errors
    return [e for e in ctx.events if e["event"] == "data"]


@pytest.fixture
def emitted(sandbox, cfg):
    """The messages List Orders emits, exactly as it emits them (one per order)."""
    trigger = cfg | {"marketplaceIds": sorted({o.marketplace_id for o in sandbox.store.all()}),
                     "startTime": "2000-01-01T00:00:00Z"}
    messages = data(run("listOrders", trigger, {"body": {}}))
    assert len(messages) >= 10
    return messages


def test_list_orders_then_list_order_items_with_no_mapping(sandbox, cfg, emitted, caplog):
    caplog.set_level(logging.DEBUG)
    for message in emitted[:10]:
        order = message["body"]
        assert {"purchaseDate", "orderStatus"} <= set(order)   # far more than the action reads
        [out] = data(run("listOrderItems", cfg, message))      # the trigger's message, unmapped
        expected = sandbox.store.get(order["amazonOrderId"])
        assert out["body"]["amazonOrderId"] == order["amazonOrderId"]
        assert sorted(i["orderItemId"] for i in out["body"]["orderItems"]) == sorted(
            i.order_item_id for i in expected.items)
    ignored = [r.getMessage() for r in caplog.records if "ignoring" in r.getMessage()]
    assert ignored and all(r.levelno == logging.DEBUG for r in caplog.records if "ignoring" in r.getMessage())
    assert "buyerEmail" in ignored[0] or "earliestShipDate" in ignored[0] or "fulfillmentChannel" in ignored[0]


def test_get_order_takes_an_emitted_order_or_a_single_id(sandbox, cfg, emitted):
    order = emitted[0]["body"]
    [whole] = data(run("getOrder", cfg, emitted[0]))
    [single] = data(run("getOrder", cfg, {"body": {"amazonOrderId": order["amazonOrderId"]}}))
    for out in (whole, single):
        assert [o["amazonOrderId"] for o in out["body"]["orders"]] == [order["amazonOrderId"]]
        assert out["body"]["notFound"] == []


def test_the_feed_status_actions_take_a_submit_actions_answer_as_it_is(sandbox, cfg):
    sku = sorted(sandbox.catalogue.skus())[0]
    [submitted] = data(run("submitInventory", cfg, {"body": {"sku": sku, "quantity": 2}}))
    assert {"feedType", "messageCount"} <= set(submitted["body"])   # more than the status actions read
    [status] = data(run("getFeedSubmissionStatus", cfg, submitted))
    assert status["body"]["feedSubmissionId"] == submitted["body"]["feedSubmissionId"]
    ctx = run("getFeedSubmissionResult", cfg, submitted)
    assert [e["event"] for e in ctx.events] in (["rebound"], ["data"])


@pytest.mark.parametrize("function", ["getFeedSubmissionStatus", "getFeedSubmissionResult"])
def test_an_unknown_feed_submission_is_told_alike_by_both_actions(sandbox, cfg, function):
    ctx = run(function, cfg, {"body": {"feedSubmissionId": "99999999999", "feedType": "_POST_PRODUCT_DATA_"}})
    [error] = [e["error"] for e in ctx.events if e["event"] == "error"]
    assert error["name"] == "InputError" and error["field"] == "body.feedSubmissionId"
    assert error["message"] == ("body.feedSubmissionId: no feed submission 99999999999 is known to Amazon "
                                "for this seller")


def test_the_feed_actions_still_refuse_an_unknown_item_field(sandbox, cfg):
    before = len(sandbox.requests)
    ctx = run("submitInventory", cfg, {"body": {"sku": "A-1", "quantity": 1, "purchaseDate": "2024-01-01"}})
    [error] = [e["error"] for e in ctx.events if e["event"] == "error"]
    assert error["field"] == "body.purchaseDate" and error["message"].startswith("body.purchaseDate: unknown field")
    assert len(sandbox.requests) == before
