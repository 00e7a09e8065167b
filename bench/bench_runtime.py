"""Benchmark: 1,000 messages through the runtime, beside bare pika consume-and-publish.

Both sides run as separate processes on the same broker with the same settings:
prefetch 1 (the sailor's default), a read and a write connection, publisher
confirms, and the input acked after its output is confirmed. The bare side
forwards each message (body and properties) as it came; the runtime decrypts,
calls the function, encrypts, builds the outgoing headers, keeps its crash
ledger and logs a line per message; its function is a no-op that returns the
input body, so each message produces one output on both sides. The Node sailor's data throttle (10 per 100 ms) is lifted for the run
(ELASTICIO_DATA_RATE_LIMIT) because it would measure the throttle, not the runtime.

Goal: the runtime reaches at least 0.67 of the bare rate. Prints both rates and the ratio.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pika

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testkit.runtime import (  # noqa: E402  (the broker, topology and API stand-ins the tests use too)
    CIPHER, DEFAULT_AMQP_URI, Broker, FakePlatformApi, Runner, Topology, ensure_broker)

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "1000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
GOAL = 0.67


def bare_worker(config):
    """The baseline: consume, publish the body and properties unchanged with confirms, ack."""
    uri, queue, exchange, routing_key = config["uri"], config["queue"], config["exchange"], config["routing_key"]
    reader = pika.BlockingConnection(pika.URLParameters(uri))
    writer = pika.BlockingConnection(pika.URLParameters(uri))
    read_channel, write_channel = reader.channel(), writer.channel()
    read_channel.basic_qos(prefetch_count=1)
    write_channel.confirm_delivery()

    def on_message(channel, method, props, body):
        write_channel.basic_publish(exchange, routing_key, body, props, mandatory=True)
        channel.basic_ack(method.delivery_tag)

    read_channel.basic_consume(queue, on_message)
    print("consuming", flush=True)
    try:
        read_channel.start_consuming()
    except KeyboardInterrupt:
        pass


def timed_run(broker, topology, count, outputs=True):
    """Publish COUNT messages to the step and time until COUNT outputs reached the next queue
    (or, without OUTPUTS, until the step's queue is empty and nothing is unacknowledged)."""
    bodies = [CIPHER.encrypt({"id": f"m{i}", "body": {"i": i, "sku": "SKU-1"}, "headers": {}}, 1)
              for i in range(count)]
    started = time.perf_counter()
    for body in bodies:
        broker.publish_message(topology, None, encrypted_body=body)
    if not outputs:
        while broker.channel.queue_declare(topology.listen_queue, passive=True).method.message_count:
            time.sleep(0.002)
        return count / (time.perf_counter() - started)
    received = 0
    channel = broker.channel
    for method, _props, _body in channel.consume(topology.next_queue, auto_ack=True, inactivity_timeout=30):
        if method is None:
            raise RuntimeError(f"only {received} of {count} outputs arrived")
        received += 1
        if received == count:
            break
    elapsed = time.perf_counter() - started
    channel.cancel()
    return count / elapsed


def measure_bare(uri, broker, topology):
    config = {"uri": uri, "queue": topology.listen_queue, "exchange": topology.publish_exchange,
              "routing_key": topology.data_rk}
    worker = subprocess.Popen([sys.executable, __file__, "--bare-worker", json.dumps(config)],
                              stdout=subprocess.PIPE, text=True)
    try:
        worker.stdout.readline()
        return timed_run(broker, topology, MESSAGES)
    finally:
        worker.terminate()
        worker.wait(10)


def measure_runtime(uri, broker, topology, api, workdir, function="identity"):
    env = topology.env(uri, api.uri, function, Path(workdir) / "ledger", ELASTICIO_DATA_RATE_LIMIT="1000000",
                       LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "info"))
    runner = Runner(env, Path(workdir) / "runner.log")
    try:
        runner.wait_consuming(broker, topology.listen_queue)
        return timed_run(broker, topology, MESSAGES, outputs=function != "noop")
    finally:
        runner.terminate()
        runner.close()


def main():
    uri = os.environ.get("MWS_TEST_AMQP_URI") or DEFAULT_AMQP_URI
    ensure_broker(uri)
    broker, api = Broker(uri), FakePlatformApi()
    topology = Topology()
    topology.declare(broker)
    api.add_step(topology.flow_id, topology.step_id, config={})
    bare, runtime, ack_only = [], [], []
    try:
        with tempfile.TemporaryDirectory() as workdir:
            for _ in range(ROUNDS):  # alternate, keep the best of each
                bare.append(measure_bare(uri, broker, topology))
                runtime.append(measure_runtime(uri, broker, topology, api, workdir))
            ack_only.append(measure_runtime(uri, broker, topology, api, workdir, "noop"))
    finally:
        topology.delete(broker)
        broker.close()
        api.close()
    best_bare, best_runtime = max(bare), max(runtime)
    ratio = best_runtime / best_bare
    print(f"messages: {MESSAGES}, rounds: {ROUNDS} (best of each), prefetch 1, publisher confirms")
    print(f"bare pika consume-and-publish: {best_bare:8.0f} msg/s   (rounds: {', '.join(f'{r:.0f}' for r in bare)})")
    print(f"runtime, no-op function:       {best_runtime:8.0f} msg/s   (rounds: {', '.join(f'{r:.0f}' for r in runtime)})")
    print(f"ratio: {ratio:.2f} (goal >= {GOAL})")
    print(f"(runtime, function emitting nothing: {ack_only[0]:.0f} msg/s consumed and acked, one round)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--bare-worker":
        bare_worker(json.loads(sys.argv[2]))
        sys.exit(0)
    sys.exit(main())
