"""The runtime kill soak: an action run by sail.sh over RabbitMQ, its runner SIGKILLed and restarted.

One flow step (the queues of testkit/runtime.Topology) runs the real
component's getOrder or listOrderItems against an MWS sandbox in this process
(quotas sped up by `time_scale`, faults on: throttles, 500s, dropped and cut
answers, slow answers, all retried by the client). N encrypted inputs, each with
its own messageId, some of them invalid, are published to the step's queue.
Runners (`docker/sail.sh`, all sharing one ledger directory, as on one machine)
are started one after another, and each is SIGKILLed at a moment drawn from a
seeded random generator, in one of three ways:

* "startup": while it starts (before or just as it begins consuming);
* "timer": 0.3-1.5 s after it began consuming (a random point of a message);
* "output": the instant an output of the step reaches the test's consumer. The
  broker sends that delivery when it routes the publication, so the kill lands in
  or around the runner's window between the broker's routing of a publication and
  its acknowledgement of the input (confirm, ledger write, ack): the window
  ledger.py cannot close, aimed at on purpose.

until every input has an outcome; then a last runner is left alone until the
step's queue is empty, stopped with SIGTERM, and the queue must have no message
and no consumer: every input settled.

The outputs are read as they come (auto-ack) from the next step's queue and the
error queue, and mapped back to their input by the parentMessageId header (the
runtime sets it to the incoming messageId: mws_sailor/protocol.outgoing_headers).
"""

import json
import os
import random
import re
import signal
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pika

from mws_sandbox import FaultConfig, Sandbox
from testkit.runtime import ROOT, Broker, FakePlatformApi, Runner, Topology, decode_error, decrypt_data

# Faults: every one of them retried by the client (GetOrder and ListOrderItems are reads).
FAULTS = dict(throttle=0.1, error500=0.05, drop=0.02, truncate=0.01, slow=0.05, slow_seconds=0.05)
KILL_MODES = ("startup", "timer", "output")
REQUEST_ID = re.compile(r"request id [^\s,)]+")


@dataclass(frozen=True)
class KillPlan:
    function: str  # "getOrder" | "listOrderItems"
    inputs: int
    seed: int = 1
    invalid_rate: float = 0.25  # inputs that must end as an error message
    kill_every: tuple = (0.3, 1.5)  # seconds after the runner began consuming ("timer" kills)
    mode_weights: tuple = (0.15, 0.55, 0.30)  # startup, timer, output
    orders: int = 40
    time_scale: float = 600.0
    faults: bool = True
    time_limit: float = 540.0  # seconds for the whole run; far more than it needs


@dataclass
class KillCounts:
    function: str = ""
    inputs: int = 0
    expected_data: int = 0
    expected_errors: int = 0
    data: int = 0  # inputs that ended as a data message
    errors: int = 0  # inputs that ended as an error message
    lost: int = 0  # inputs without any outcome
    duplicated: int = 0  # inputs with more than one distinct outgoing messageId, or both outcomes
    wrong_outcome: int = 0  # data where an error was due, or the other way round, or wrong content
    repeats: int = 0  # extra copies with the same messageId and the same content (see ledger.py)
    repeats_not_identical: int = 0  # extra copies with the same messageId but other content
    unknown_parent: int = 0  # outputs whose parentMessageId is no input's messageId
    output_messages: int = 0  # messages read from the two queues
    distinct_message_ids: int = 0
    kills: int = 0  # runners SIGKILLed while alive
    kills_by_mode: dict = field(default_factory=dict)
    repeats_by_mode: dict = field(default_factory=dict)
    runners: int = 0
    ledger_skips: int = 0  # "publication made before a restart is not repeated" log lines
    replays: int = 0  # "message seen before a restart" log lines
    leftover: dict = field(default_factory=dict)  # other queues that should stay empty
    requests: int = 0
    faults: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # the first few inputs that went wrong, for the message
    seconds: float = 0.0

    def summary(self):
        return (f"{self.function}: inputs {self.inputs} (expected {self.expected_data} data, "
                f"{self.expected_errors} errors); data {self.data}, errors {self.errors}, lost {self.lost}, "
                f"duplicated {self.duplicated}, wrong outcome {self.wrong_outcome}, "
                f"repeats with the same messageId {self.repeats} {self.repeats_by_mode} "
                f"(not identical {self.repeats_not_identical}), unknown parent {self.unknown_parent}; "
                f"output messages {self.output_messages}, distinct messageIds {self.distinct_message_ids}; "
                f"kills {self.kills} {self.kills_by_mode}, runners {self.runners}, "
                f"redeliveries replayed from the ledger {self.replays}, publications not repeated "
                f"{self.ledger_skips}; sandbox requests {self.requests}, faults {self.faults}; "
                f"{self.seconds:.1f} s")


# -- the inputs -------------------------------------------------------------------

def _unknown_id(rng):
    """Well-formed, but no order of the sandbox has it (they start with 3 digits of their own)."""
    return f"999-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"


def make_inputs(plan, sandbox, rng):
    """[(messageId, body, expected)] where expected is ("data", check) or ("error", check)."""
    order_ids = sorted(o.amazon_order_id for o in sandbox.store.all())
    items = {o.amazon_order_id: len(o.items) for o in sandbox.store.all()}
    made = []
    for i in range(plan.inputs):
        message_id = f"in-{plan.seed}-{i:05d}-{rng.randrange(16**8):08x}"
        invalid = rng.random() < plan.invalid_rate
        if plan.function == "getOrder":
            if invalid:
                body = rng.choice([{"amazonOrderIds": ["12-34"]},
                                   {"amazonOrderIds": [rng.choice(order_ids), "not an order id"]},
                                   {"amazonOrderIds": []},
                                   {"amazonOrderId": "902-3159896-139091X"}])  # one id is taken, a bad one refused
                expected = ("error", {"name": "InputError", "mentions": "body.amazonOrderId"})
            else:
                known = rng.sample(order_ids, rng.randint(1, 3))
                unknown = [_unknown_id(rng)] if rng.random() < 0.3 else []
                body = {"amazonOrderIds": known + unknown}
                expected = ("data", {"orders": sorted(known), "notFound": sorted(unknown)})
        elif plan.function == "listOrderItems":
            if invalid:
                if rng.random() < 0.5:  # refused by the schema, before any request
                    body = {"amazonOrderId": rng.choice(["12-34", "", "902-3159896-139091X"])}
                    expected = ("error", {"name": "InputError", "mentions": "body.amazonOrderId"})
                else:  # refused by the server: an MWS error after requests (and faults)
                    body = {"amazonOrderId": _unknown_id(rng)}
                    expected = ("error", {"name": "InvalidParameterValue", "mentions": "AmazonOrderId"})
            else:
                order_id = rng.choice(order_ids)
                body = {"amazonOrderId": order_id}
                expected = ("data", {"amazonOrderId": order_id, "items": items[order_id]})
        else:
            raise ValueError(f"no inputs for {plan.function}")
        made.append((message_id, body, expected))
    return made


def output_matches(function, expected, kind, content):
    """Does one outcome (kind, decoded content) answer the input as expected?"""
    want_kind, want = expected
    if kind != want_kind:
        return False
    if kind == "error":
        return content["name"] == want["name"] and want["mentions"] in content["message"]
    body = content["body"]
    if function == "getOrder":
        return (sorted(o["amazonOrderId"] for o in body["orders"]) == want["orders"]
                and sorted(body["notFound"]) == want["notFound"])
    return body["amazonOrderId"] == want["amazonOrderId"] and len(body["orderItems"]) == want["items"]


# -- reading the outputs ----------------------------------------------------------------

class OutputCollector(threading.Thread):
    """Consumes the next step's queue and the error queue on its own connection.

    `arm(callback)`: call `callback()` at the very next output, before anything
    else is done with it (the "output" kills).
    """

    def __init__(self, uri, topology):
        super().__init__(daemon=True)
        self.uri = uri
        self.topology = topology
        self.outputs = []  # (kind, messageId, parentMessageId, decoded content, containerId)
        self.parents = set()
        self._lock = threading.Lock()
        self._armed = None
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self.failure = None

    def arm(self, callback):
        with self._lock:
            self._armed = callback

    def disarm(self):
        with self._lock:
            self._armed = None

    def seen(self):
        with self._lock:
            return len(self.parents)

    def run(self):
        try:
            connection = pika.BlockingConnection(pika.URLParameters(self.uri))
            channel = connection.channel()
            channel.basic_consume(self.topology.next_queue, lambda ch, m, p, b: self._on(p, b, "data"),
                                  auto_ack=True)
            channel.basic_consume(self.topology.error_queue, lambda ch, m, p, b: self._on(p, b, "error"),
                                  auto_ack=True)
            self._ready.set()
            while not self._stopping.is_set():
                connection.process_data_events(time_limit=0.05)
            connection.close()
        except Exception as exc:  # reported by the main thread
            self.failure = exc
            self._ready.set()

    def _on(self, props, body, kind):
        with self._lock:
            callback, self._armed = self._armed, None
        if callback is not None:
            callback()
        headers = props.headers or {}
        content = decrypt_data(props, body) if kind == "data" else decode_error(body)["error"]
        with self._lock:
            self.outputs.append((kind, headers.get("messageId"), headers.get("parentMessageId"), content,
                                 headers.get("containerId")))
            self.parents.add(headers.get("parentMessageId"))

    def start_and_wait(self):
        self.start()
        self._ready.wait(10)
        if self.failure is not None:
            raise self.failure

    def stop(self):
        self._stopping.set()
        self.join(10)
        if self.failure is not None:
            raise self.failure


# -- the run --------------------------------------------------------------------------

def run_kill_soak(plan, amqp_uri, workdir, log=print):
    """Publish, kill and restart runners until every input is settled; return KillCounts."""
    rng = random.Random(plan.seed)
    counts = KillCounts(function=plan.function, inputs=plan.inputs)
    started = time.monotonic()
    deadline = started + plan.time_limit
    faults = FaultConfig(seed=plan.seed, **FAULTS) if plan.faults else None
    broker = Broker(amqp_uri)
    api = FakePlatformApi()
    topology = Topology(prefix=f"kill-{plan.function}-{os.urandom(4).hex()}")
    runners = []
    collector = None
    with Sandbox(seed=plan.seed, orders=plan.orders, time_scale=plan.time_scale, faults=faults) as sandbox:
        try:
            topology.declare(broker)
            api.add_step(topology.flow_id, topology.step_id, config=dict(sandbox.credentials))
            env = topology.env(amqp_uri, api.uri, plan.function, workdir / "ledger",
                               ELASTICIO_COMPONENT_PATH=ROOT, MWS_TIME_SCALE=plan.time_scale)
            collector = OutputCollector(amqp_uri, topology)
            collector.start_and_wait()

            inputs = make_inputs(plan, sandbox, rng)
            counts.expected_data = sum(1 for _, _, e in inputs if e[0] == "data")
            counts.expected_errors = plan.inputs - counts.expected_data
            for message_id, body, _ in inputs:
                broker.publish_message(topology, {"body": body}, message_id=message_id)

            modes = {}  # containerId of each runner -> how it ended

            def new_runner(mode):
                # Its own containerId (a header of every output): a repeat is traced to the runner
                # that published the first copy, and so to the way that runner was killed.
                container = f"runner-{len(runners):03d}"
                modes[container] = mode
                runner = Runner({**env, "ELASTICIO_CONTAINER_ID": container}, workdir / f"{container}.log")
                runners.append(runner)
                return runner

            def consuming(runner, timeout=20.0):
                """Wait until RUNNER consumes; False if it died first (it may: it is being killed)."""
                limit = time.monotonic() + timeout
                while time.monotonic() < limit:
                    if runner.process.poll() is not None:
                        return False
                    if broker.counts(topology.listen_queue)[1] >= 1:
                        return True
                    time.sleep(0.02)
                raise AssertionError(f"runner is not consuming after {timeout}s:\n{runner.output()}")

            def kill(runner, mode):
                if runner.process.poll() is None:
                    runner.process.send_signal(signal.SIGKILL)
                    counts.kills += 1
                    counts.kills_by_mode[mode] = counts.kills_by_mode.get(mode, 0) + 1
                runner.process.wait(10)

            # -- kills, until every input has an outcome
            while collector.seen() < plan.inputs:
                if time.monotonic() > deadline:
                    raise AssertionError(f"time limit: {collector.seen()} of {plan.inputs} inputs answered")
                mode = rng.choices(KILL_MODES, plan.mode_weights)[0]
                runner = new_runner(mode)
                if mode == "startup":
                    time.sleep(rng.uniform(0.05, 1.0))
                elif not consuming(runner):
                    raise AssertionError(f"runner died on its own:\n{runner.output()}")
                elif mode == "timer":
                    wait_until = time.monotonic() + rng.uniform(*plan.kill_every)
                    while time.monotonic() < wait_until and collector.seen() < plan.inputs:
                        time.sleep(0.01)
                else:  # "output": the instant the next output (after a few) reaches us
                    skip = rng.randrange(4)
                    fired = threading.Event()
                    target = len(collector.outputs) + skip

                    def at_output(process=runner.process, fired=fired):
                        if process.poll() is None:
                            process.send_signal(signal.SIGKILL)
                        fired.set()

                    while len(collector.outputs) < target and collector.seen() < plan.inputs:
                        time.sleep(0.002)
                    if collector.seen() < plan.inputs:
                        collector.arm(at_output)
                        fired.wait(10)
                        collector.disarm()
                        if fired.is_set():
                            # Killed by the collector thread already: count it as this mode's kill.
                            counts.kills += 1
                            counts.kills_by_mode["output"] = counts.kills_by_mode.get("output", 0) + 1
                            runner.process.wait(10)
                            continue
                kill(runner, mode)

            # -- the last runner: not killed; left to settle what is still in the queue
            for _ in range(5):
                runner = new_runner("last (SIGTERM)")
                if not consuming(runner):
                    raise AssertionError(f"the last runner died on its own:\n{runner.output()}")
                while broker.counts(topology.listen_queue)[0] > 0:
                    if runner.process.poll() is not None:
                        raise AssertionError(f"the last runner died on its own:\n{runner.output()}")
                    if time.monotonic() > deadline:
                        raise AssertionError("time limit while the last runner settles the queue")
                    time.sleep(0.05)
                time.sleep(0.3)  # the message in hand, if any, finishes after SIGTERM anyway
                code = runner.terminate(timeout=60)
                if code != 0:
                    raise AssertionError(f"the last runner exited with {code}:\n{runner.output()}")
                if broker.counts(topology.listen_queue) == (0, 0):
                    break  # nothing ready, no consumer: nothing unacknowledged either
            settled = broker.counts(topology.listen_queue)
            time.sleep(1.0)  # stragglers on their way to the collector
            collector.stop()
            counts.seconds = time.monotonic() - started

            if settled != (0, 0):
                counts.problems.append(f"listen queue not settled: (ready, consumers) = {settled}")
            counts.leftover = {name: broker.counts(queue)[0] for name, queue in (
                ("rebounds", topology.rebound_queue), ("snapshots", topology.snapshot_queue),
                ("other", topology.other_queue), ("listen", topology.listen_queue))}
            _count_outputs(plan, inputs, collector.outputs, modes, counts)
            counts.runners = len(runners)
            for runner in runners:
                for entry in runner.log_entries():
                    message = entry.get("message") or entry.get("msg") or ""
                    if message.startswith("publication made before a restart is not repeated"):
                        counts.ledger_skips += 1
                    elif message.startswith("message seen before a restart"):
                        counts.replays += 1
            counts.requests = len(sandbox.requests)
            counts.faults = dict(Counter(r.fault for r in sandbox.requests if r.fault))
        finally:
            if collector is not None and collector.is_alive():
                collector.stop()
            for runner in runners:
                runner.close()
            topology.delete(broker)
            broker.close()
            api.close()
    log(counts.summary())
    return counts


def _count_outputs(plan, inputs, outputs, modes, counts):
    expected = {message_id: e for message_id, _, e in inputs}
    by_parent = defaultdict(list)
    for kind, message_id, parent, content, container in outputs:
        if parent not in expected:
            counts.unknown_parent += 1
            continue
        by_parent[parent].append((container, kind, message_id, content))
    counts.output_messages = len(outputs)
    counts.distinct_message_ids = len({o[1] for o in outputs})
    for message_id, want in expected.items():
        got = by_parent.get(message_id, [])
        if not got:
            counts.lost += 1
            counts.problems.append(f"{message_id}: lost")
            continue
        kinds = {kind for _, kind, _, _ in got}
        ids = {m for _, _, m, _ in got}
        if len(kinds) > 1 or len(ids) > 1:
            counts.duplicated += 1
            counts.problems.append(f"{message_id}: {len(got)} outputs, kinds {sorted(kinds)}, "
                                   f"{len(ids)} distinct messageIds")
        first_container, kind, _, first = got[0]
        if kind == "data":
            counts.data += 1
        else:
            counts.errors += 1
        if not output_matches(plan.function, want, kind, first):
            counts.wrong_outcome += 1
            counts.problems.append(f"{message_id}: expected {want}, got {kind} "
                                   f"{json.dumps(first)[:300]}")
        copies = {got[0][2]: (first_container, _comparable(kind, first))}
        for container, copy_kind, copy_id, content in got[1:]:
            if copy_id not in copies:  # a second, different message: counted as duplicated above
                copies[copy_id] = (container, _comparable(copy_kind, content))
                continue
            counts.repeats += 1
            previous_container, previous = copies[copy_id]
            if _comparable(copy_kind, content) != previous:
                counts.repeats_not_identical += 1
                counts.problems.append(f"{message_id}: a repeat of {copy_id} with other content: "
                                       f"{str(previous)[:300]} / {str(_comparable(copy_kind, content))[:300]}")
            # Caused by the kill of the runner that published the previous copy.
            mode = modes.get(previous_container, "?")
            counts.repeats_by_mode[mode] = counts.repeats_by_mode.get(mode, 0) + 1
            copies[copy_id] = (container, previous)
    counts.problems = counts.problems[:20]


def _comparable(kind, content):
    """What a repeat must share with the first copy: the whole data message; an error's name and
    message, but for the MWS request id it names (a request made again gets another one)."""
    if kind == "error":
        return content["name"], REQUEST_ID.sub("request id …", content["message"])
    return json.dumps(content, sort_keys=True)
