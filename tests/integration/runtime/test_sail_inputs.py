"""`mws-component sail`: bad JSON in a message or in the step's config is an error message and a
rejected input, never a crash, for every function of component.json, over the private RabbitMQ.

Per function, four runners at once, each on its own queues: one gets the bad
messages (too deep, a list, a string, an integer of thousands of digits); the
others start from a step config that is too deep, a list, or holds such an
integer, and get one ordinary message. Every runner must still be running at the
end and stop cleanly on SIGTERM with every input settled.
"""

import json

import pytest

from mws_sailor.inputs import MAX_DEPTH
from testkit.runtime import CIPHER, ROOT, Runner, Topology, decode_error

pytestmark = pytest.mark.rabbitmq

MANIFEST = json.loads((ROOT / "component.json").read_text(encoding="utf-8"))
FUNCTIONS = sorted([*MANIFEST["triggers"], *MANIFEST["actions"]])


DEEP_TEXT = '{"body":' + '{"a":' * 1000 + "1" + "}" * 1000 + "}"
LONG_INTEGER = "9" * 5000

# (encrypted body, expected field, words of the error message)
BAD_MESSAGES = [
    (CIPHER.encrypt_bytes(DEEP_TEXT.encode()), "msg", f"msg is nested more than {MAX_DEPTH} levels deep"),
    (CIPHER.encrypt_bytes(b"[1, 2, 3]"), "msg", "msg must be a JSON object, not a list"),
    (CIPHER.encrypt_bytes(b'"a message"'), "msg", "msg must be a JSON object, not a string"),
    (CIPHER.encrypt_bytes(('{"body": {"quantity": ' + LONG_INTEGER + "}}").encode()), "msg.body.quantity",
     "an integer of 5,000 digits"),
]

# The config of the step's JSON the stand-in API serves: (raw config JSON, expected field, words).
# The step is read with one level more than a config may have (it holds the config).
BAD_CONFIGS = [
    ('{"a":' * 1000 + "1" + "}" * 1000, "step", f"step is nested more than {MAX_DEPTH + 1} levels deep"),
    ('{"a":' * 120 + "1" + "}" * 120, "step", "(at step.config.a.a.a…)"),
    ('[{"sellerId": "A1"}]', "cfg", "cfg must be a JSON object, not a list"),
    ('{"maxResultsPerPage": ' + LONG_INTEGER + "}", "step.config.maxResultsPerPage", "an integer of 5,000 digits"),
]


def base64_body(ciphertext):
    import base64
    return base64.b64encode(ciphertext)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_bad_json_is_an_error_message_and_a_rejected_input(function, amqp_uri, broker, platform_api, tmp_path):
    topologies = [Topology() for _ in range(1 + len(BAD_CONFIGS))]
    runners = []
    try:
        for n, topology in enumerate(topologies):
            topology.step_id = f"step_{n}"
            topology.declare(broker)
            platform_api.add_step(topology.flow_id, topology.step_id, config={"sellerId": "A1SELLER"})
            if n:
                platform_api.raw_steps[(topology.flow_id, topology.step_id)] = (
                    '{"id": "%s", "config": %s, "snapshot": {}}' % (topology.step_id, BAD_CONFIGS[n - 1][0]))
            env = topology.env(amqp_uri, platform_api.uri, function, tmp_path / f"ledger-{n}",
                               ELASTICIO_COMPONENT_PATH=str(ROOT))
            runners.append(Runner(env, tmp_path / f"runner-{n}.log"))
        for runner, topology in zip(runners, topologies):
            runner.wait_consuming(broker, topology.listen_queue, timeout=60)

        first = topologies[0]
        for ciphertext, _, _ in BAD_MESSAGES:
            broker.publish_message(first, None, encrypted_body=base64_body(ciphertext))
        for topology in topologies[1:]:
            broker.publish_message(topology, {"body": {}})

        errors = [decode_error(body)["error"] for _, _, body in broker.wait_for(first.error_queue, len(BAD_MESSAGES))]
        for error, (_, field, words) in zip(errors, BAD_MESSAGES):
            assert error["name"] == "InputError" and error["field"] == field and words in error["message"], error
        for topology, (_, field, words) in zip(topologies[1:], BAD_CONFIGS):
            [(_, _, body)] = broker.wait_for(topology.error_queue)
            error = decode_error(body)["error"]
            assert error["name"] == "InputError" and error["field"] == field and words in error["message"], error
        for runner, topology in zip(runners, topologies):
            assert broker.drain(topology.next_queue, settle=0) == []
            assert runner.process.poll() is None, runner.output()[-3000:]   # still running
            assert runner.terminate() == 0, runner.output()[-3000:]
            assert broker.counts(topology.listen_queue) == (0, 0)           # rejected, not left unsettled
            assert "Traceback" not in runner.output()
    finally:
        for runner in runners:
            runner.close()
        for topology in topologies:
            topology.delete(broker)
