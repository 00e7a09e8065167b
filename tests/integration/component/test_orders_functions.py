"""The Orders functions and the client against the sandbox, over real HTTP."""

import json
import subprocess
import sys

import pytest

from mws_component import settings
from mws_component.credentials import credentials_from_cfg
from mws_component.mws import orders
from mws_component.mws.client import MwsClient
from mws_tools.runner import LocalContext, run_function

from tests.schema_check import assert_valid


def run(name, cfg, body=None, snapshot=None, flow_type=None):
    ctx = LocalContext(out=None, flow_type=flow_type or "ordinary")
    return run_function(name, cfg, {"body": body or {}}, snapshot, ctx=ctx)


def data(ctx):
    errors = [e for e in ctx.events if e["event"] == "error"]
    assert not errors, errors
    return [e["body"] for e in ctx.events if e["event"] == "data"]


def client_for(cfg):
    return MwsClient(credentials_from_cfg(cfg), time_scale=settings.time_scale())


def test_every_orders_operation_through_the_client(sandbox, cfg):
    client = client_for(cfg)
    every = [m.marketplace_id for m in {o.marketplace_id: o for o in sandbox.store.all()}.values()]
    every = sorted({o.marketplace_id for o in sandbox.store.all()})
    pages = list(client.pages("ListOrders", MarketplaceId=every, CreatedAfter="2000-01-01T00:00:00Z",
                              MaxResultsPerPage=40))
    assert [p.operation for p in pages][:2] == ["ListOrders", "ListOrdersByNextToken"]
    listed = [o for p in pages for o in orders.orders_of(p)]
    assert len(listed) == len(sandbox.store) == len({o["amazonOrderId"] for o in listed})
    for order in listed:
        assert_valid(order, "order.json")
    ids = [o["amazonOrderId"] for o in listed[:7]]
    got = orders.orders_of(client.call("GetOrder", AmazonOrderId=ids))
    assert sorted(o["amazonOrderId"] for o in got) == sorted(ids)
    many = max(sandbox.store.all(), key=lambda o: len(o.items))
    assert len(many.items) > sandbox.items_page_size  # so the items span pages
    items = orders.list_order_items(client, many.amazon_order_id)
    assert len(items) == len(many.items)
    for item in items:
        assert_valid(item, "orderItem.json")
    assert orders.service_status(client)["status"] in ("GREEN", "GREEN_I", "YELLOW", "RED")


def test_pending_orders_have_no_buyer_or_price_data(sandbox, cfg):
    client = client_for(cfg)
    every = sorted({o.marketplace_id for o in sandbox.store.all()})
    listed = [o for p in client.pages("ListOrders", MarketplaceId=every, CreatedAfter="2000-01-01T00:00:00Z",
                                      OrderStatus=["Pending"]) for o in orders.orders_of(p)]
    assert listed and all(o["orderStatus"] == "Pending" for o in listed)
    standard = [o for o in listed if o.get("orderType", "StandardOrder") == "StandardOrder"]
    assert standard and not any({"orderTotal", "buyerEmail", "buyerName", "shippingAddress"} & set(o) for o in standard)
    items = orders.list_order_items(client, standard[0]["amazonOrderId"])
    assert items and not any("itemPrice" in i or "itemTax" in i for i in items)


def test_list_order_items_function_reads_every_page(sandbox, cfg):
    many = max(sandbox.store.all(), key=lambda o: len(o.items))
    before = sandbox.requests.count(action="ListOrderItemsByNextToken")
    [body] = data(run("listOrderItems", cfg, {"amazonOrderId": many.amazon_order_id}))
    assert body["amazonOrderId"] == many.amazon_order_id
    assert len(body["orderItems"]) == len(many.items)
    assert sandbox.requests.count(action="ListOrderItemsByNextToken") > before
    assert_valid(body, "listOrderItems.out.json")


def test_get_order_splits_more_than_fifty_ids(sandbox, cfg):
    ids = [o.amazon_order_id for o in sandbox.store.all()][:120]
    unknown = "999-0000000-0000001"
    before = sandbox.requests.count(action="GetOrder", status=200)
    [body] = data(run("getOrder", cfg, {"amazonOrderIds": ids + [unknown, ids[0]]}))
    assert sandbox.requests.count(action="GetOrder", status=200) - before == 3  # 50 + 50 + 21
    assert [o["amazonOrderId"] for o in body["orders"]] == ids
    assert body["notFound"] == [unknown]
    assert_valid(body, "getOrder.out.json")


def test_verify_credentials_names_the_wrong_part(sandbox, cfg):
    from mws_component.verify_credentials import verify
    assert verify(cfg) == {"verified": True}
    wrong_key = verify(cfg | {"accessKeyId": "AKIAUNKNOWN000000000"})
    assert not wrong_key["verified"] and "Access Key" in wrong_key["reason"]
    wrong_secret = verify(cfg | {"secretAccessKey": "not-the-secret"})
    assert not wrong_secret["verified"] and "Secret Access Key" in wrong_secret["reason"]
    wrong_seller = verify(cfg | {"sellerId": "A0THERSELLER"})
    assert not wrong_seller["verified"] and "Seller ID" in wrong_seller["reason"]
    assert "not-the-secret" not in json.dumps(wrong_secret)
    no_endpoint = verify(cfg | {"endpoint": "http://127.0.0.1:9"})
    assert not no_endpoint["verified"] and "unreachable" in no_endpoint["reason"]
    bad_market = verify(cfg | {"marketplaceId": "XX"})
    assert not bad_market["verified"] and "marketplaceId" in bad_market["reason"]


@pytest.mark.parametrize("function, body, field", [
    ("getOrder", {}, "body.amazonOrderIds"),
    ("getOrder", {"amazonOrderIds": "123-1234567-1234567"}, "body.amazonOrderIds"),
    ("getOrder", {"amazonOrderIds": ["123-1234567-1234567", "12-34"]}, "body.amazonOrderIds[1]"),
    ("getOrder", {"amazonOrderIds": []}, "body.amazonOrderIds"),
    ("getOrder", {"amazonOrderIds": ["123-1234567-1234567"], "amazonOrderId": "123-1234567-1234567"},
     "body.amazonOrderId"),
    ("listOrderItems", {}, "body.amazonOrderId"),
    ("listOrderItems", {"amazonOrderId": 12}, "body.amazonOrderId"),
    ("listOrderItems", {"amazonOrderId": "x" * 10_000_000}, "body.amazonOrderId"),
])
def test_bad_input_names_the_field_and_sends_nothing(sandbox, cfg, function, body, field):
    before = len(sandbox.requests)
    ctx = run(function, cfg, body)
    [error] = [e["error"] for e in ctx.events if e["event"] == "error"]
    assert error["name"] == "InputError" and error.get("field") == field and field in error["message"]
    assert len(error["message"]) < 1000
    assert len(sandbox.requests) == before


@pytest.mark.parametrize("field, value", [("orderStatus", ["Shipped", "Lost"]), ("maxResultsPerPage", "0"),
                                          ("maxResultsPerPage", "abc"), ("startTime", "yesterday-ish"),
                                          ("emitBehavior", "all"), ("marketplaceIds", ["NOPE"])])
def test_trigger_bad_fields_are_named(sandbox, cfg, field, value):
    before = len(sandbox.requests)
    ctx = run("listOrders", cfg | {field: value})
    [error] = [e["error"] for e in ctx.events if e["event"] == "error"]
    assert error["name"] == "ConfigurationError" and error["field"] == field
    assert len(sandbox.requests) == before


def test_cli_run_prints_json_lines_and_exit_status(sandbox, cfg, tmp_path):
    (tmp_path / "cfg.json").write_text(json.dumps(cfg))
    order_id = sandbox.store.all()[0].amazon_order_id
    (tmp_path / "msg.json").write_text(json.dumps({"body": {"amazonOrderIds": [order_id]}}))
    (tmp_path / "bad.json").write_text(json.dumps({"body": {"amazonOrderIds": ["nope"]}}))
    env = {"MWS_TIME_SCALE": "300", "PATH": "/usr/bin:/bin"}
    good = subprocess.run([sys.executable, "-m", "mws_tools.cli", "run", "getOrder", "--cfg", str(tmp_path / "cfg.json"),
                           "--msg", str(tmp_path / "msg.json")], capture_output=True, text=True, env=env, timeout=60)
    assert good.returncode == 0, good.stderr
    [line] = good.stdout.splitlines()
    event = json.loads(line)
    assert event["event"] == "data" and event["body"]["orders"][0]["amazonOrderId"] == order_id
    bad = subprocess.run([sys.executable, "-m", "mws_tools.cli", "run", "getOrder", "--cfg", str(tmp_path / "cfg.json"),
                          "--msg", str(tmp_path / "bad.json")], capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 1
    assert json.loads(bad.stdout.splitlines()[-1])["error"]["name"] == "InputError"
    assert cfg["secretAccessKey"] not in good.stdout + good.stderr + bad.stdout + bad.stderr
