"""One message through `mws-component sail` on this machine: the sail entry point's local example.

    bash scripts/rabbitmq.sh start
    .venv/bin/python -m testkit.step getOrder --cfg cfg.json --msg msg.json [--snapshot s.json]

Declares a step's queues on the local broker (MWS_TEST_AMQP_URI, default the
private node of scripts/rabbitmq.sh), serves the step's config and snapshot from
a stand-in of the platform API, starts docker/sail.sh with every ELASTICIO_*
variable set (printed on stderr), publishes the message encrypted as the
platform would, stops the runner with SIGTERM once it has the message (it
finishes the message first) and prints what it published, one JSON line each:
{"event": "data" | "error" | "snapshot" | "rebound", ...}. The runner's own log
is left in a file named on stderr.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mws_sailor.inputs import InputError, parse_object

from .runtime import (CIPHER, DEFAULT_AMQP_URI, ROOT, Broker, FakePlatformApi, Runner, Topology, broker_reachable,
                      decode_error, decrypt_data)


def read(path, what):
    try:
        return parse_object(Path(path).read_bytes(), what)
    except OSError as exc:
        raise SystemExit(f"--{what} {path}: {exc.strerror}") from None
    except InputError as exc:
        raise SystemExit(f"--{what} {path}: {exc}") from None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m testkit.step", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("function", help="a key of component.json's triggers or actions")
    parser.add_argument("--cfg", required=True, help="JSON file: the step's config (credentials and fields)")
    parser.add_argument("--msg", help='JSON file: the incoming message ({"body": {...}}); default {"body": {}}')
    parser.add_argument("--snapshot", help="JSON file: the step's snapshot the platform API serves")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the runner (default 300)")
    args = parser.parse_args(argv)
    cfg = read(args.cfg, "cfg")
    msg = read(args.msg, "msg") if args.msg else {"body": {}}
    snapshot = read(args.snapshot, "snapshot") if args.snapshot else {}

    uri = os.environ.get("MWS_TEST_AMQP_URI") or DEFAULT_AMQP_URI
    if not broker_reachable(uri):
        raise SystemExit(f"no broker answers at {uri}: start one with `bash scripts/rabbitmq.sh start`")
    broker, api, topology = Broker(uri), FakePlatformApi(), Topology()
    workdir = Path(tempfile.mkdtemp(prefix="mws-step-"))
    runner = None
    try:
        topology.declare(broker)
        api.add_step(topology.flow_id, topology.step_id, config=cfg, snapshot=snapshot)
        env = topology.env(uri, api.uri, args.function, workdir / "ledger", ELASTICIO_COMPONENT_PATH=str(ROOT))
        for name, value in sorted(env.items()):
            print(f"{name}={value}", file=sys.stderr)
        runner = Runner(env, workdir / "runner.log")
        print(f"the runner's log: {runner.log_path}", file=sys.stderr)
        runner.wait_consuming(broker, topology.listen_queue, timeout=60)
        broker.publish_message(topology, msg)
        deadline = time.monotonic() + args.timeout
        while broker.counts(topology.listen_queue)[0] and time.monotonic() < deadline:
            time.sleep(0.05)
        runner.process.terminate()  # SIGTERM: the message in hand is finished first
        try:
            runner.process.wait(max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"the runner did not finish within {args.timeout:.0f} s; its log: {runner.log_path}",
                  file=sys.stderr)
        for queue, event in ((topology.next_queue, "data"), (topology.snapshot_queue, "snapshot"),
                             (topology.error_queue, "error"), (topology.rebound_queue, "rebound")):
            for _, props, body in broker.drain(queue, settle=0):
                print(json.dumps(_event(event, props, body), ensure_ascii=False))
        return 0 if runner.process.returncode == 0 else 1
    finally:
        if runner is not None:
            runner.close()
        topology.delete(broker)
        broker.close()
        api.close()


def _event(event, props, body):
    if event == "data":
        return {"event": "data", "messageId": props.headers.get("messageId"), "body": decrypt_data(props, body)["body"]}
    if event == "snapshot":
        return {"event": props.headers.get("snapshotEvent", "snapshot"), "snapshot": json.loads(body)}
    if event == "error":
        return {"event": "error", "error": decode_error(body)["error"]}
    return {"event": "rebound", "reason": props.headers.get("reboundReason"),
            "body": CIPHER.decrypt(body, int(props.headers.get("protocolVersion", 1)))["body"]}


if __name__ == "__main__":
    sys.exit(main())
