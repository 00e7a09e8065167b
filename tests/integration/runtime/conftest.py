
import pytest

from testkit.runtime import Broker, FakePlatformApi, Runner, Topology, started_broker_uri


@pytest.fixture(scope="session")
def amqp_uri():
    return started_broker_uri()


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
