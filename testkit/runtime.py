"""Test helpers for the runtime: the private broker, a stand-in for the platform API,
the queue topology of sailor-nodejs's integration tests, and runner processes started like sail.sh."""

import base64
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pika
import pika.exceptions

from mws_sailor.crypto import MessageCipher

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_COMPONENT = Path(__file__).resolve().parent / "fixture_component"
RABBITMQ_SCRIPT = ROOT / "scripts" / "rabbitmq.sh"
DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5699/"
PASSWORD = "testCryptoPassword"
IV = "iv=any16_symbols"
API_USER = "api-user@example.com"
API_KEY = "api-key-5f1e2d"
CIPHER = MessageCipher(PASSWORD, IV)


# -- the broker -----------------------------------------------------------------

def broker_reachable(uri, timeout=3):
    try:
        params = pika.URLParameters(uri)
        params.socket_timeout = timeout
        params.connection_attempts = 1
        pika.BlockingConnection(params).close()
        return True
    except (pika.exceptions.AMQPError, OSError):
        return False


def ensure_broker(uri):
    """Start the private broker with scripts/rabbitmq.sh unless it answers already; fail loudly."""
    if broker_reachable(uri):
        return
    for command in ("install", "start"):
        result = subprocess.run(["bash", str(RABBITMQ_SCRIPT), command], capture_output=True, text=True,
                                timeout=900)
        if result.returncode != 0:
            raise RuntimeError(f"scripts/rabbitmq.sh {command} failed ({result.returncode}):\n"
                               f"{result.stdout}\n{result.stderr}")
    if not broker_reachable(uri):
        raise RuntimeError(f"RabbitMQ does not answer at {uri} after scripts/rabbitmq.sh start")


def started_broker_uri():
    """The test broker's URI (MWS_TEST_AMQP_URI or the private node), started with
    scripts/rabbitmq.sh when it does not answer. Never skipped: a broker that cannot start fails the run."""
    import pytest
    uri = os.environ.get("MWS_TEST_AMQP_URI") or DEFAULT_AMQP_URI
    try:
        ensure_broker(uri)
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    return uri


class Broker:
    """The test's own connection: declare, publish like the platform, read queues."""

    def __init__(self, uri):
        self.uri = uri
        self._connection = None
        self._channel = None

    @property
    def channel(self):
        if self._channel is None or not self._channel.is_open or not self._connection.is_open:
            if self._connection is not None and self._connection.is_open:
                self._connection.close()
            self._connection = pika.BlockingConnection(pika.URLParameters(self.uri))
            self._channel = self._connection.channel()
        return self._channel

    def close(self):
        if self._connection is not None and self._connection.is_open:
            try:
                self._connection.close()
            except pika.exceptions.AMQPError:
                pass

    def _retrying(self, action):
        try:
            return action(self.channel)
        except (pika.exceptions.AMQPConnectionError, pika.exceptions.ChannelWrongStateError):
            # The connection was closed from the broker side (reconnect tests): reopen once.
            self._channel = None
            return action(self.channel)

    def publish_message(self, topology, message, headers=None, protocol_version=1, message_id=None,
                        encrypted_body=None, properties=None):
        """An encrypted message on the step's listen exchange, with the platform's usual headers."""
        message_id = message_id or str(uuid.uuid4())
        amqp_headers = {
            "execId": "exec-upstream", "taskId": topology.flow_id, "workspaceId": "ws-1",
            "userId": "user-1", "threadId": "thread-" + message_id[:8], "messageId": message_id,
            "parentMessageId": "parent-" + message_id[:8], "stepId": "step_0",
        }
        if protocol_version != 1:
            amqp_headers["protocolVersion"] = protocol_version
        amqp_headers.update(headers or {})
        body = encrypted_body if encrypted_body is not None else CIPHER.encrypt(message, protocol_version)
        props = pika.BasicProperties(headers=amqp_headers, content_type="application/json",
                                     content_encoding="utf8", delivery_mode=1, **(properties or {}))
        self._retrying(lambda ch: ch.basic_publish(topology.listen_exchange, topology.data_rk, body, props))
        return message_id

    def get(self, queue):
        """One message (method, properties, body) or None; acknowledged."""
        method, props, body = self._retrying(lambda ch: ch.basic_get(queue, auto_ack=True))
        return None if method is None else (method, props, body)

    def wait_for(self, queue, count=1, timeout=15.0):
        """Exactly the first COUNT messages of QUEUE, waiting up to TIMEOUT seconds."""
        found = []
        deadline = time.monotonic() + timeout
        while len(found) < count and time.monotonic() < deadline:
            item = self.get(queue)
            if item is None:
                time.sleep(0.05)
            else:
                found.append(item)
        if len(found) < count:
            raise AssertionError(f"{queue}: {len(found)} of {count} messages after {timeout}s")
        return found

    def drain(self, queue, settle=0.5):
        """Everything in QUEUE, after waiting SETTLE seconds for stragglers."""
        time.sleep(settle)
        found = []
        while (item := self.get(queue)) is not None:
            found.append(item)
        return found

    def counts(self, queue):
        """(ready messages, consumers) of QUEUE."""
        result = self._retrying(lambda ch: ch.queue_declare(queue, passive=True))
        return result.method.message_count, result.method.consumer_count


def decrypt_data(props, body):
    version = int((props.headers or {}).get("protocolVersion", 1))
    return CIPHER.decrypt(body, version)


def decode_error(body):
    fields = json.loads(body)
    decoded = {"error": CIPHER.decrypt(fields["error"], 1)}
    if "errorInput" in fields:
        text = CIPHER.decrypt_text(fields["errorInput"], 1)
        try:
            decoded["errorInput"] = json.loads(text)
        except (ValueError, RecursionError):  # the input was refused for being such
            decoded["errorInput"] = text
    return decoded


# -- the queues of one test -------------------------------------------------------

class Topology:
    """Exchanges and queues like the Node sailor's integration tests, under a unique prefix."""

    def __init__(self, prefix=None):
        self.prefix = prefix or "rt-" + uuid.uuid4().hex[:10]
        p = self.prefix
        self.flow_id = "5559edd38968ec0736000003"
        self.step_id = "step_1"
        self.listen_queue = self.listen_exchange = f"{p}:messages"
        self.publish_exchange = f"{p}:exchange"
        self.data_rk = f"{p}:routing_key:message"
        self.error_rk = f"{p}:routing_key:error"
        self.rebound_rk = f"{p}:routing_key:rebound"
        self.snapshot_rk = f"{p}:routing_key:snapshot"
        self.reply_rk = f"{p}:routing_key:reply"
        self.other_rk = f"{p}:routing_key:other"
        self.next_queue = f"{p}_next_step_queue"
        self.error_queue = f"{p}_next_step_queue_errors"
        self.snapshot_queue = f"{p}_snapshots"
        self.reply_queue = f"{p}_replies"
        self.rebound_queue = f"{p}_rebounds"
        self.other_queue = f"{p}_other"

    def declare(self, broker):
        ch = broker.channel
        ch.exchange_declare(self.listen_exchange, "direct", durable=True, auto_delete=False)
        ch.queue_declare(self.listen_queue, durable=True)
        ch.queue_bind(self.listen_queue, self.listen_exchange, self.data_rk)
        ch.exchange_declare(self.publish_exchange, "direct", durable=True, auto_delete=False)
        for queue, key, arguments in (
            (self.next_queue, self.data_rk, None),
            (self.error_queue, self.error_rk, None),
            (self.snapshot_queue, self.snapshot_rk, None),
            (self.reply_queue, self.reply_rk, None),
            (self.other_queue, self.other_rk, None),
            # Rebounds wait here for their expiration, then go back to the step.
            (self.rebound_queue, self.rebound_rk, {"x-dead-letter-exchange": self.listen_exchange,
                                                   "x-dead-letter-routing-key": self.data_rk}),
        ):
            ch.queue_declare(queue, durable=True, arguments=arguments)
            ch.queue_bind(queue, self.publish_exchange, key)

    def route_data_to(self, broker, downstream):
        """Deliver this step's data to DOWNSTREAM's input queue, as the platform routes a flow's next step:
        what this step publishes with its data routing key arrives, unmapped, where the next step listens."""
        broker.channel.queue_bind(downstream.listen_queue, self.publish_exchange, self.data_rk)

    def delete(self, broker):
        try:
            ch = broker.channel
            for queue in (self.listen_queue, self.next_queue, self.error_queue, self.snapshot_queue,
                          self.reply_queue, self.rebound_queue, self.other_queue):
                ch.queue_delete(queue)
            ch.exchange_delete(self.listen_exchange)
            ch.exchange_delete(self.publish_exchange)
        except pika.exceptions.AMQPError:
            pass

    def env(self, amqp_uri, api_uri, function, ledger_dir, **overrides):
        env = {
            "ELASTICIO_FLOW_ID": self.flow_id, "ELASTICIO_EXEC_ID": "exec-1", "ELASTICIO_STEP_ID": self.step_id,
            "ELASTICIO_CONTAINER_ID": "container-1", "ELASTICIO_WORKSPACE_ID": "ws-1",
            "ELASTICIO_USER_ID": "user-1", "ELASTICIO_COMP_ID": "comp-1", "ELASTICIO_FUNCTION": function,
            "ELASTICIO_API_URI": api_uri, "ELASTICIO_API_USERNAME": API_USER, "ELASTICIO_API_KEY": API_KEY,
            "ELASTICIO_AMQP_URI": amqp_uri, "ELASTICIO_LISTEN_MESSAGES_ON": self.listen_queue,
            "ELASTICIO_PUBLISH_MESSAGES_TO": self.publish_exchange,
            "ELASTICIO_DATA_ROUTING_KEY": self.data_rk, "ELASTICIO_ERROR_ROUTING_KEY": self.error_rk,
            "ELASTICIO_REBOUND_ROUTING_KEY": self.rebound_rk, "ELASTICIO_SNAPSHOT_ROUTING_KEY": self.snapshot_rk,
            "ELASTICIO_MESSAGE_CRYPTO_IV": IV, "ELASTICIO_MESSAGE_CRYPTO_PASSWORD": PASSWORD,
            "ELASTICIO_COMPONENT_PATH": str(FIXTURE_COMPONENT),
            "MWS_SAILOR_LEDGER_DIR": str(ledger_dir),
            "LOG_LEVEL": "info",
        }
        env.update({k: str(v) for k, v in overrides.items()})
        return env


# -- the platform API ---------------------------------------------------------------

class FakePlatformApi:
    """GET /v1/tasks/{flow}/steps/{step}, PUT /v1/accounts/{id}, POST /results: an http.server in a thread."""

    def __init__(self):
        self.steps = {}
        self.raw_steps = {}         # (flow, step) -> the step's JSON text, served instead of steps[...]
        self.requests = []
        self.results = []
        self.fail_next = 0          # answer that many requests with HTTP 503 first
        self.result_status = 200
        self.startup_data = {}      # flow id -> data stored by the startup hook
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, payload=None):
                raw = b"" if status == 204 else json.dumps(payload if payload is not None else {}).encode()
                self._reply_raw(status, raw)

            def _reply_raw(self, status, raw):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null") if length else None
                api.requests.append({"method": self.command, "path": self.path,
                                     "authorization": self.headers.get("Authorization"), "body": body})
                if api.fail_next > 0:
                    api.fail_next -= 1
                    return self._reply(503, {"error": "try again"})
                if self.path.startswith("/results"):
                    api.results.append({"body": body, "authorization": self.headers.get("Authorization")})
                    return self._reply(api.result_status, {})
                expected = "Basic " + base64.b64encode(f"{API_USER}:{API_KEY}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._reply(401, {"error": "unauthorized"})
                parts = self.path.strip("/").split("/")
                if self.command == "GET" and len(parts) == 5 and parts[:2] == ["v1", "tasks"]:
                    raw = api.raw_steps.get((parts[2], parts[4]))
                    if raw is not None:
                        return self._reply_raw(200, raw.encode("utf-8"))
                    step = api.steps.get((parts[2], parts[4]))
                    return self._reply(200, step) if step is not None else self._reply(404, {})
                if self.command == "PUT" and parts[:2] == ["v1", "accounts"]:
                    return self._reply(200, {"id": parts[2]})
                if parts[:3] == ["sailor-support", "hooks", "task"] and parts[4:] == ["startup", "data"]:
                    flow = parts[3]
                    if self.command == "POST":
                        if flow in api.startup_data:
                            return self._reply(409, {"error": "exists"})
                        api.startup_data[flow] = body
                        return self._reply(201, {})
                    if self.command == "GET":
                        return self._reply(200, api.startup_data.get(flow, {}))
                    if self.command == "DELETE":
                        api.startup_data.pop(flow, None)
                        return self._reply(204)
                return self._reply(404, {})

            do_GET = do_PUT = do_POST = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.uri = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def add_step(self, flow_id, step_id, config=None, snapshot=None, is_passthrough=False):
        self.steps[(flow_id, step_id)] = {
            "id": step_id, "comp_id": "comp-1", "function": "x", "config": config or {},
            "snapshot": snapshot if snapshot is not None else {}, "is_passthrough": is_passthrough,
            "variables": {"region": "eu"},
        }

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# -- runner processes ---------------------------------------------------------------------

class Runner:
    """`docker/sail.sh` in a subprocess, with the venv's `mws-component` on PATH."""

    def __init__(self, env, log_path):
        self.log_path = Path(log_path)
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("ELASTICIO_")}
        full_env.update(env)
        full_env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + full_env.get("PATH", "")
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(["sh", str(ROOT / "docker" / "sail.sh")], env=full_env, cwd=str(ROOT),
                                        stdout=self._log, stderr=subprocess.STDOUT)

    def wait_consuming(self, broker, queue, consumers=1, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"runner exited with {self.process.returncode}:\n{self.output()}")
            if broker.counts(queue)[1] >= consumers:
                return self
            time.sleep(0.05)
        raise AssertionError(f"runner is not consuming {queue} after {timeout}s:\n{self.output()}")

    def output(self):
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_entries(self):
        entries = []
        for line in self.output().splitlines():
            try:
                entries.append(json.loads(line))
            except ValueError:
                pass
        return entries

    def terminate(self, timeout=20.0):
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        return self.process.wait(10)

    def close(self):
        if self.process.poll() is None:
            self.kill()
        self._log.close()


def wait_until(predicate, timeout=15.0, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def close_all_broker_connections():
    """Force-close every client connection of the private node, as a broker restart would."""
    node = os.environ.get("MWS_RABBITMQ_NODENAME", "mwsci@localhost")
    result = subprocess.run(["rabbitmqctl", "-n", node, "close_all_connections", "test: connection lost"],
                            capture_output=True, text=True, timeout=60, cwd="/")
    if result.returncode != 0:
        raise RuntimeError(f"rabbitmqctl close_all_connections failed:\n{result.stdout}\n{result.stderr}")


def assert_inputs_settled(runner, broker, queue):
    """Stop RUNNER gracefully; every input it had must be settled (an unacked one would be ready again)."""
    assert runner.terminate() == 0, runner.output()
    assert broker.counts(queue) == (0, 0)
