"""The message loop's life: startup, SIGTERM, SIGKILL and redelivery, losing the broker."""

import json
import os
import signal
import subprocess
import sys

import pytest

from testkit.runtime import ROOT, assert_inputs_settled, close_all_broker_connections, decode_error, decrypt_data, wait_until

pytestmark = pytest.mark.rabbitmq


def outputs_of(items):
    return [(props.headers["messageId"], decrypt_data(props, body)["body"]) for _, props, body in items]


def test_sigkill_in_the_middle_of_a_message_leaves_it_for_the_next_runner_without_duplicates(
        broker, topology, start_runner, tmp_path):
    marker = tmp_path / "runs"
    first_runner = start_runner("slow")
    broker.publish_message(topology, {"body": {"n": 7, "marker": str(marker), "sleep": 60}})
    early = broker.wait_for(topology.next_queue)        # the first emit is confirmed downstream
    wait_until(marker.exists, what="the function to be in the middle of its work")

    first_runner.kill()                                   # SIGKILL: no ack was sent
    wait_until(lambda: broker.counts(topology.listen_queue) == (1, 0), what="the message back in the queue")
    second_runner = start_runner("slow")
    late = broker.wait_for(topology.next_queue)
    rest = broker.drain(topology.next_queue, settle=1.0)

    received = outputs_of(early + late + rest)
    assert [body["part"] for _, body in received] == ["first", "second"]
    assert len({message_id for message_id, _ in received}) == len(received) == 2
    assert marker.read_text().count("run") == 2           # the function did run again
    assert any(e.get("message") == "publication made before a restart is not repeated"
               for e in second_runner.log_entries())
    assert_inputs_settled(second_runner, broker, topology.listen_queue)
    assert list((tmp_path / "ledger").iterdir()) == []    # nothing left in the ledger


def test_an_error_published_before_a_sigkill_is_not_published_again_with_another_detail(
        broker, topology, start_runner, tmp_path):
    """An error's message may differ between runs (an MWS request id): the ledger still knows it was sent."""
    marker = tmp_path / "runs"
    first_runner = start_runner("erring")
    broker.publish_message(topology, {"body": {"marker": str(marker), "sleep": 60}})
    [(_, _, first_body)] = broker.wait_for(topology.error_queue)
    wait_until(marker.exists, what="the function to go on after its error")
    first_runner.kill()

    second_runner = start_runner("erring")
    wait_until(lambda: marker.read_text().count("run") == 2, what="the function to run again")
    assert_inputs_settled(second_runner, broker, topology.listen_queue)  # rejected, not left unsettled
    assert broker.drain(topology.error_queue, settle=0.5) == []           # no second error
    assert "request id" in decode_error(first_body)["error"]["message"]
    assert any(e.get("message") == "publication made before a restart is not repeated"
               for e in second_runner.log_entries())


def test_without_the_ledger_a_repeat_carries_the_same_message_id(broker, topology, start_runner, tmp_path):
    """A replacement on another host (no shared ledger) repeats outputs, but with the same messageIds."""
    marker = tmp_path / "runs"
    first_runner = start_runner("slow")
    broker.publish_message(topology, {"body": {"n": 8, "marker": str(marker), "sleep": 60}})
    [(_, first_props, _)] = broker.wait_for(topology.next_queue)
    wait_until(marker.exists, what="the function to start")
    first_runner.kill()

    start_runner("slow", MWS_SAILOR_LEDGER_DIR=str(tmp_path / "other-host-ledger"))
    repeated, second = broker.wait_for(topology.next_queue, 2)

    assert repeated[1].headers["messageId"] == first_props.headers["messageId"]
    assert decrypt_data(second[1], second[2])["body"]["part"] == "second"


def test_sigterm_stops_consuming_finishes_the_message_and_exits_cleanly(broker, topology, start_runner, tmp_path):
    marker = tmp_path / "runs"
    runner = start_runner("slow")
    broker.publish_message(topology, {"body": {"n": 1, "marker": str(marker), "sleep": 2}})
    wait_until(marker.exists, what="the function to start")

    runner.process.send_signal(signal.SIGTERM)
    broker.publish_message(topology, {"body": {"n": 2}})   # must stay for the next runner
    exit_code = runner.process.wait(20)

    assert exit_code == 0
    parts = [decrypt_data(p, b)["body"] for _, p, b in broker.wait_for(topology.next_queue, 2)]
    assert parts == [{"n": 1, "part": "first"}, {"n": 1, "part": "second"}]
    wait_until(lambda: broker.counts(topology.listen_queue) == (1, 0), what="message 2 left for the next runner")
    assert any(e.get("message") == "stopped cleanly" for e in runner.log_entries())


def test_reconnects_after_the_broker_closes_its_connections(broker, topology, start_runner, tmp_path):
    marker = tmp_path / "runs"
    runner = start_runner("slow")
    broker.publish_message(topology, {"body": {"n": 1, "marker": str(marker), "sleep": 2}})
    broker.wait_for(topology.next_queue)
    wait_until(marker.exists, what="the function to start")

    close_all_broker_connections()                   # in the middle of the message
    runner.wait_consuming(broker, topology.listen_queue)
    [(_, props, body)] = broker.wait_for(topology.next_queue)
    broker.publish_message(topology, {"body": {"n": 2, "sleep": 0}})
    after = broker.wait_for(topology.next_queue, 2)

    assert decrypt_data(props, body)["body"] == {"n": 1, "part": "second"}
    assert [decrypt_data(p, b)["body"]["n"] for _, p, b in after] == [2, 2]
    assert broker.drain(topology.next_queue, settle=0.5) == []   # message 1 was not processed twice
    assert runner.process.poll() is None
    assert any(e.get("message") == "reconnected to the broker" for e in runner.log_entries())
    assert_inputs_settled(runner, broker, topology.listen_queue)


def test_step_fetch_is_retried(broker, topology, start_runner, platform_api):
    platform_api.fail_next = 2                         # 3 attempts in all by default
    start_runner("echo")
    broker.publish_message(topology, {"body": {"x": 1}})
    broker.wait_for(topology.next_queue)
    assert [r["method"] for r in platform_api.requests[:3]] == ["GET", "GET", "GET"]


def test_startup_failure_is_published_as_an_error_and_the_runner_exits(broker, topology, start_runner,
                                                                       platform_api):
    platform_api.fail_next = 10
    runner = start_runner("echo", wait=False)
    assert runner.process.wait(30) == 1
    [(_, _, body)] = broker.wait_for(topology.error_queue)
    assert "HTTP 503" in decode_error(body)["error"]["message"]


def test_a_missing_variable_stops_the_runner_naming_it():
    env = {k: v for k, v in os.environ.items() if not k.startswith("ELASTICIO_")}
    env.update({"ELASTICIO_FLOW_ID": "f", "ELASTICIO_EXEC_ID": "e",
                "PATH": os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")})
    result = subprocess.run(["sh", str(ROOT / "docker" / "sail.sh")], env=env, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 1
    assert "ELASTICIO_STEP_ID is missing" in result.stderr


def test_heartbeats_are_answered_while_a_function_runs_long(broker, topology, start_runner, amqp_uri, tmp_path):
    """With a 2 s heartbeat the broker drops a silent connection after a few seconds; the keeper prevents it."""
    marker = tmp_path / "runs"
    uri = amqp_uri + ("&" if "?" in amqp_uri else "?") + "heartbeat=2"
    runner = start_runner("slow", ELASTICIO_AMQP_URI=uri)
    broker.publish_message(topology, {"body": {"n": 1, "marker": str(marker), "sleep": 7}})

    outputs = broker.wait_for(topology.next_queue, 2, timeout=20)

    assert [decrypt_data(p, b)["body"]["part"] for _, p, b in outputs] == ["first", "second"]
    assert not any("lost the broker connection" in e.get("message", "") for e in runner.log_entries())
    assert marker.read_text().count("run") == 1
    assert_inputs_settled(runner, broker, topology.listen_queue)


def test_startup_init_and_shutdown_hooks(broker, topology, start_runner, platform_api, step, tmp_path):
    step["config"]["shutdownMarker"] = str(tmp_path / "shutdown.json")
    runner = start_runner("hooks", ELASTICIO_STARTUP_REQUIRED="1")
    broker.publish_message(topology, {"body": {}})
    [(_, props, body)] = broker.wait_for(topology.next_queue)

    assert decrypt_data(props, body)["body"] == {"initialised": "t1", "variables": {"region": "eu"}}
    assert platform_api.startup_data == {topology.flow_id: {"subscription": "sub-t1"}}
    assert runner.terminate() == 0

    # The platform runs the same image once more with HOOK_SHUTDOWN when the flow stops.
    hook = start_runner("hooks", wait=False, ELASTICIO_HOOK_SHUTDOWN="1")
    assert hook.process.wait(30) == 0, hook.output()
    assert json.loads((tmp_path / "shutdown.json").read_text()) == {"subscription": "sub-t1"}
    assert platform_api.startup_data == {}
