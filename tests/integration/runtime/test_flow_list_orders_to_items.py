"""The flow a new user builds first, "List Orders → List Order Items", run as the platform runs it: two
`mws-component sail` processes on RabbitMQ, the trigger's data routed, unmapped, into the action's input
queue, against the sandbox; for MWS credentials and for SP-API credentials."""

import pytest

from mws_sandbox import Sandbox

from testkit.runtime import ROOT, Runner, Topology, decrypt_data

pytestmark = pytest.mark.rabbitmq

TIME_SCALE = 300
SETTLE = 130  # seconds of server time past Amazon's two-minute rule
# SP-API answers a region's marketplaces only; the sandbox's SP-API endpoint is North America's.
NORTH_AMERICA = {"ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8", "A2Q3Y263D00KWC"}


@pytest.fixture
def sandbox():
    with Sandbox(seed=12, orders=40, time_scale=TIME_SCALE) as sb:
        sb.clock.advance(SETTLE)
        yield sb


@pytest.fixture
def flow(broker):
    """Two steps of one flow, the first one's data routed to the second one's input queue."""
    trigger, action = Topology(), Topology()
    action.step_id = "step_2"
    for topology in (trigger, action):
        topology.declare(broker)
    trigger.route_data_to(broker, action)
    yield trigger, action
    for topology in (trigger, action):
        topology.delete(broker)


def credentials(sandbox, api):
    if api == "mws":
        return dict(sandbox.credentials), sorted({o.marketplace_id for o in sandbox.store.all()})
    markets = sorted({o.marketplace_id for o in sandbox.store.all()} & NORTH_AMERICA)
    return dict(sandbox.spapi_credentials), markets


@pytest.mark.parametrize("api", ["mws", "spapi"])
def test_every_listed_order_has_its_items_emitted_by_the_next_step(api, amqp_uri, broker, platform_api, flow,
                                                                    sandbox, tmp_path):
    trigger, action = flow
    cfg, markets = credentials(sandbox, api)
    assert cfg.get("api", "mws") == api and markets
    expected = {o.amazon_order_id: sorted(i.order_item_id for i in o.items)
                for o in sandbox.store.all() if o.marketplace_id in markets}
    assert len(expected) >= 10
    platform_api.add_step(trigger.flow_id, trigger.step_id,
                          config=dict(cfg, marketplaceIds=markets, maxResultsPerPage="20"))
    platform_api.add_step(action.flow_id, action.step_id, config=cfg)

    runners = []
    try:
        for topology, function in ((trigger, "listOrders"), (action, "listOrderItems")):
            env = topology.env(amqp_uri, platform_api.uri, function, tmp_path / f"ledger-{function}",
                               ELASTICIO_COMPONENT_PATH=str(ROOT), MWS_TIME_SCALE=TIME_SCALE)
            runners.append(Runner(env, tmp_path / f"{function}.log").wait_consuming(broker, topology.listen_queue))

        broker.publish_message(trigger, {"body": {}})  # the scheduler's tick

        # What step 1 published (its copy in the trigger's own next-step queue): one whole order a message.
        listed = [decrypt_data(p, b)["body"] for _, p, b in broker.wait_for(trigger.next_queue, len(expected),
                                                                            timeout=60)]
        assert sorted(o["amazonOrderId"] for o in listed) == sorted(expected)
        assert all({"purchaseDate", "orderStatus", "lastUpdateDate"} <= set(o) for o in listed)  # unmapped

        # What step 2 made of them: every order's items, none lost, none twice.
        answers = [decrypt_data(p, b)["body"] for _, p, b in broker.wait_for(action.next_queue, len(expected),
                                                                             timeout=120)]
        assert broker.drain(action.next_queue, settle=1.0) == []
        got = {a["amazonOrderId"]: sorted(i["orderItemId"] for i in a["orderItems"]) for a in answers}
        assert len(got) == len(answers)
        assert got == expected

        for topology in (trigger, action):
            assert broker.drain(topology.error_queue, settle=0.1) == []
        assert broker.counts(action.listen_queue)[0] == 0  # every input of step 2 was settled
        secret = cfg.get("secretAccessKey") or cfg["lwaClientSecret"]
        for runner in runners:
            assert secret not in runner.output()
        assert [runner.terminate() for runner in reversed(runners)] == [0, 0]
    finally:
        for runner in runners:
            runner.close()
    if api == "mws":
        assert sandbox.requests.count(action="ListOrderItems") >= len(expected)
