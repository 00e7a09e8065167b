"""The real component on the runtime: the List Orders trigger's snapshot carries over ticks,
and an action's answer and errors travel the queues, against the sandbox."""

import json

import pytest

from mws_sandbox import Sandbox

from testkit.runtime import ROOT, decode_error, decrypt_data

TIME_SCALE = 300
SETTLE = 130  # seconds of server time past Amazon's two-minute rule


@pytest.fixture
def sandbox():
    with Sandbox(seed=12, orders=30, time_scale=TIME_SCALE) as sb:
        yield sb


def component_env(**extra):
    return {"ELASTICIO_COMPONENT_PATH": str(ROOT), "MWS_TIME_SCALE": str(TIME_SCALE), **extra}


def test_list_orders_snapshot_is_published_and_used_on_the_next_tick(broker, topology, start_runner, step, sandbox):
    markets = sorted({o.marketplace_id for o in sandbox.store.all()})
    step["config"] = dict(sandbox.credentials, marketplaceIds=markets, maxResultsPerPage="20")
    sandbox.clock.advance(SETTLE)
    runner = start_runner("listOrders", **component_env())

    broker.publish_message(topology, {"body": {}})  # the scheduler's tick
    first = broker.wait_for(topology.next_queue, len(sandbox.store), timeout=30)
    first_snapshots = broker.wait_for(topology.snapshot_queue, 2, timeout=10)  # 30 orders in pages of 20
    first_snapshots += broker.drain(topology.snapshot_queue, settle=1.0)  # and any catch-up window's
    last_snapshot = json.loads(first_snapshots[-1][2])
    assert "window" not in last_snapshot and last_snapshot["cursor"]
    orders = [decrypt_data(p, b)["body"] for _, p, b in first]
    assert {o["amazonOrderId"] for o in orders} == {o.amazon_order_id for o in sandbox.store.all()}
    message_ids = {p.headers["messageId"] for _, p, _ in first}
    assert len(message_ids) == len(first)

    changed = sandbox.store.tick(4)
    sandbox.clock.advance(SETTLE)
    seen = len(sandbox.requests)
    broker.publish_message(topology, {"body": {}})  # the next tick starts from the snapshot kept in memory
    second = broker.wait_for(topology.next_queue, len(changed), timeout=30)
    again = {(b["amazonOrderId"], b["lastUpdateDate"]) for b in (decrypt_data(p, body)["body"] for _, p, body in second)}
    assert again == {tuple(v) for v in changed}
    assert broker.drain(topology.next_queue, settle=1.0) == []  # nothing from the first tick came again
    request = next(r for r in sandbox.requests.snapshot()[seen:] if r.action == "ListOrders")
    assert request.params["LastUpdatedAfter"] == last_snapshot["cursor"]
    assert broker.drain(topology.error_queue, settle=0.1) == []
    runner.terminate()


def test_action_output_and_field_error_travel_the_queues(broker, topology, start_runner, step, sandbox):
    step["config"] = dict(sandbox.credentials)
    start_runner("getOrder", **component_env())
    order_id = sandbox.store.all()[0].amazon_order_id
    broker.publish_message(topology, {"body": {"amazonOrderIds": [order_id]}})
    [(_, props, body)] = broker.wait_for(topology.next_queue)
    assert decrypt_data(props, body)["body"]["orders"][0]["amazonOrderId"] == order_id

    broker.publish_message(topology, {"body": {"amazonOrderIds": ["12-34"]}})
    [(_, _, body)] = broker.wait_for(topology.error_queue)
    error = decode_error(body)["error"]
    assert error["name"] == "InputError" and "body.amazonOrderIds[0]" in error["message"]
    assert sandbox.requests.count(action="GetOrder") == 1
    assert sandbox.credentials["secretAccessKey"] not in json.dumps(error)
