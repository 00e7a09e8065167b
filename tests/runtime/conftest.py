import os

import pytest

from .support import DEFAULT_AMQP_URI, Broker, FakePlatformApi, Runner, Topology, ensure_broker


@pytest.fixture(scope="session")
def amqp_uri():
    """The test broker; started with scripts/rabbitmq.sh when it does not answer. Never skipped."""
    uri = os.environ.get("MWS_TEST_AMQP_URI") or DEFAULT_AMQP_URI
    try:
        ensure_broker(uri)
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    return uri


@pytest.fixture
def broker(amqp_uri):
    b = Broker(amqp_uri)
    yield b
    b.close()


@pytest.fixture
def platform_api():
    api = FakePlatformApi()
    yield api
    api.close()


@pytest.fixture
def topology(broker):
    t = Topology()
    t.declare(broker)
    yield t
    t.delete(broker)


@pytest.fixture
def step(platform_api, topology):
    """The step config the fake API serves for the topology's flow and step."""
    platform_api.add_step(topology.flow_id, topology.step_id,
                          config={"tag": "t1", "apiSecret": "s3cret-value", "_account": "acc-42"})
    return platform_api.steps[(topology.flow_id, topology.step_id)]


@pytest.fixture
def start_runner(amqp_uri, broker, platform_api, topology, step, tmp_path):
    """start_runner(function, **env overrides) -> a consuming Runner; all are stopped at the end."""
    runners = []

    def start(function, wait=True, **overrides):
        env = topology.env(amqp_uri, platform_api.uri, function, tmp_path / "ledger", **overrides)
        runner = Runner(env, tmp_path / f"runner-{len(runners)}.log")
        runners.append(runner)
        if wait:
            runner.wait_consuming(broker, topology.listen_queue)
        return runner

    yield start
    for runner in runners:
        runner.close()
