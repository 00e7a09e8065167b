"""Processing one incoming message: decrypt, call the function, turn its emits into publications.

The function sees only `FunctionContext` (emit, logger, flow_type, step_id);
`emit` publishes at once and returns when the broker has confirmed the
publication. The job's result says whether to ack or reject the input.
"""

import copy
import json
import logging
import threading
import uuid
from dataclasses import dataclass

from . import protocol
from .amqp import PublishFailed, properties_dict
from .crypto import DecryptionError
from .emitter import IncomingMessage, OutgoingMessageTooLarge, now_ms
from .inputs import InputError, parse_object
from .ledger import EmitKeys, derived_message_id, message_key
from .logs import SECRETS, message_logger

log = logging.getLogger("mws_sailor.executor")

ACK = "ack"
REJECT = "reject"
OBJECT_STORAGE_HEADER = "x-ipaas-object-storage-id"


class SnapshotStore:
    """The step's in-memory snapshot: read once from the platform, then kept across messages."""

    def __init__(self, initial=None):
        self._snapshot = copy.deepcopy(initial) if initial is not None else {}
        self._lock = threading.Lock()

    def copy(self):
        with self._lock:
            return copy.deepcopy(self._snapshot)

    def replace(self, snapshot):
        with self._lock:
            self._snapshot = copy.deepcopy(snapshot)

    def merge(self, partial):
        with self._lock:
            if not isinstance(self._snapshot, dict):
                self._snapshot = {}
            self._snapshot.update(copy.deepcopy(partial))


@dataclass
class StepRuntime:
    """What every message of the step shares."""

    settings: object
    cipher: object
    publications: object        # emitter.Publications
    publish: object             # callable(list[Publication]); blocks until confirmed
    api: object
    ledger: object              # ledger.Ledger
    throttles: dict             # "data" | "error" | "snapshot" -> RateLimiter
    config: dict
    is_passthrough: bool
    variables: dict
    snapshots: SnapshotStore
    module: object = None
    load_error: BaseException | None = None

    def __post_init__(self):
        self.config_json = json.dumps(self.config)


class FunctionContext:
    """The `ctx` a component function receives."""

    def __init__(self, job):
        self._job = job
        self.flow_type = job.runtime.settings.flow_type
        self.step_id = job.runtime.settings.step_id

    @property
    def logger(self):
        return self._job.function_logger

    def emit(self, event, payload=None):
        self._job.emit(event, payload)

    def get_flow_variables(self):
        return copy.deepcopy(self._job.runtime.variables)


class MessageJob:
    def __init__(self, runtime, delivery):
        self.runtime = runtime
        self.settings = runtime.settings
        self.delivery = delivery
        self.error_count = 0
        self.ended = False
        self.keys = EmitKeys()
        self.ledger = None
        self.incoming = None
        self.base_headers = {}
        self.cfg = None
        self._message_key = None
        self._emit_lock = threading.Lock()
        self.log = log
        self._function_logger = None

    @property
    def function_logger(self):
        if self._function_logger is None:
            headers = self.incoming.headers if self.incoming else {}
            self._function_logger = message_logger("mws_sailor.function", headers.get("messageId"),
                                                   headers.get("parentMessageId"), headers.get("threadId"))
        return self._function_logger

    # -- the run ------------------------------------------------------------

    def run(self):
        properties = properties_dict(self.delivery.properties)
        amqp_headers = properties.get("headers") or {}
        version = protocol.protocol_version_of(amqp_headers)
        payload, input_error = None, None
        try:
            text = self._decrypt(version)
        except InputError as exc:  # an error message (INPUT_FORMAT=error) that is not one
            text, input_error = None, exc
        except (DecryptionError, ValueError, TypeError) as exc:
            # As the Node sailor: what cannot be decrypted is rejected, and nothing is published.
            self.log.error("cannot decrypt the incoming message; rejecting it",
                           extra={"error": str(exc), "deliveryTag": self.delivery.delivery_tag})
            return REJECT
        headers = protocol.read_incoming_headers(amqp_headers)
        if text is not None:
            try:
                payload = parse_object(text, "msg")
            except InputError as exc:  # decrypted, but no function may be given it: an error, and rejected
                input_error = exc
        self.incoming = IncomingMessage(self.delivery.body, properties, headers, version, payload,
                                        text if payload is not None else None)
        self.log = message_logger("mws_sailor.message", headers.get("messageId"),
                                  headers.get("parentMessageId"), headers.get("threadId"))
        key = message_key(amqp_headers)
        self.ledger = self.runtime.ledger.for_message(key)
        execution_id = derived_message_id(self.settings.flow_id, self.settings.step_id, key, "execution") \
            if key else None
        self.base_headers = protocol.outgoing_headers(self.settings, headers, execution_id or _uuid4(), now_ms())
        self._message_key = key
        if self.ledger.replaying:
            self.log.info("message seen before a restart: publications already made will not be repeated",
                          extra={"publicationsMade": len(self.ledger.keys)})
        self.log.debug("processing message", extra={"redelivered": self.delivery.redelivered})
        if input_error is not None:
            self.emit("error", input_error)
        else:
            self._call_function()
        self.ended = True
        outcome = ACK if self.error_count == 0 else REJECT
        # A plain success is the common case: at info level it would be most of the log.
        self.log.log(logging.DEBUG if outcome == ACK else logging.INFO, "message processed",
                     extra={"outcome": outcome})
        return outcome

    def _decrypt(self, version):
        """The message's JSON text (its parse is checked by the caller)."""
        if self.settings.input_format == "error":
            return self._decode_error_message(self.delivery.body)
        return self.runtime.cipher.decrypt_text(self.delivery.body, version)

    def _decode_error_message(self, body):
        """An error message as the text of {"body": {"error": {...}, "errorInput": {...}}}. Both fields
        are base64 whatever the protocol version (sailor-nodejs lib/amqp.js, sendError)."""
        error_body = parse_object(body, "msg.body")
        for name in ("error", "errorInput"):
            if error_body.get(name):
                if not isinstance(error_body[name], str):
                    raise InputError(f"msg.body.{name} must be encrypted text", f"msg.body.{name}")
                error_body[name] = parse_object(self.runtime.cipher.decrypt_text(error_body[name], 1),
                                                f"msg.body.{name}")
        return json.dumps({"body": error_body})

    def _function_message(self):
        msg = json.loads(self.incoming.text)  # a private copy, cheaper than deepcopy
        msg.setdefault("id", self.incoming.headers.get("messageId"))
        msg.setdefault("body", {})
        if not isinstance(msg.get("headers"), dict):
            msg["headers"] = {}
        msg.setdefault("attachments", {})
        msg.setdefault("metadata", {})
        if self.incoming.headers.get("reply_to"):
            msg["headers"]["reply_to"] = self.incoming.headers["reply_to"]
        return msg

    def _call_function(self):
        runtime = self.runtime
        if runtime.load_error is not None:
            self.emit("error", runtime.load_error)
            return
        if OBJECT_STORAGE_HEADER in (self.incoming.properties.get("headers") or {}):
            self.emit("error", {"name": "Error", "message": "Lightweight messages (object storage) are "
                                                           "not supported by this runtime"})
            return
        process = getattr(runtime.module, "process", None)
        if not callable(process):
            self.emit("error", {"name": "Error", "message": "Process function is not found"})
            return
        self.cfg = json.loads(runtime.config_json)
        msg = self._function_message()
        self.log.debug("incoming message body", extra={"body": msg.get("body")})
        try:
            result = process(FunctionContext(self), msg, self.cfg, runtime.snapshots.copy())
            if result:
                self.emit("data", result)
        except Exception as exc:  # the function's failure is the message's error, as in Node
            self.emit("error", exc)

    # -- emits --------------------------------------------------------------

    def emit(self, event, payload=None):
        if self.ended:
            self.log.warning("emit after the end of processing ignored", extra={"event": event})
            return
        handler = {
            "data": self._on_data, "error": self._on_error, "rebound": self._on_rebound,
            "snapshot": self._on_snapshot, "updateSnapshot": self._on_update_snapshot,
            "updateKeys": self._on_update_keys, "httpReply": self._on_http_reply,
            "end": self._on_end,
        }.get(event)
        if handler is None:
            self.log.warning("unknown event ignored", extra={"event": str(event)})
            return
        # Emits of one message go out one at a time, in the order they were made.
        with self._emit_lock:
            try:
                handler(payload)
            except PublishFailed as exc:
                self.error_count += 1
                self.log.error("publishing failed; the message will be rejected", extra={"error": str(exc)})

    def _publish_once(self, key, publications):
        if key in self.ledger:
            self.log.info("publication made before a restart is not repeated",
                          extra={"event": publications[0].event})
            return
        self.runtime.publish(publications)
        self.ledger.record(key)

    def _on_data(self, payload):
        self.runtime.throttles["data"].acquire()
        message = protocol.as_message(payload)
        key = self.keys.next("data", message)
        message_id = message.get("id") or (
            derived_message_id(self.settings.flow_id, self.settings.step_id, self._message_key, key)
            if self._message_key else _uuid4())
        message = protocol.with_passthrough(message, self.incoming.payload, self.incoming.headers,
                                            self.settings, self.runtime.is_passthrough)
        try:
            publication = self.runtime.publications.data(message, self.base_headers, message_id)
        except (OutgoingMessageTooLarge, TypeError, ValueError) as exc:
            self.log.error("cannot publish the data message", extra={"error": str(exc)})
            self._on_error(exc)
            return
        self.log.debug("data message", extra={"body": message.get("body"), "outgoingMessageId": message_id})
        self._publish_once(key, [publication])

    def _on_error(self, payload):
        self.error_count += 1
        record = protocol.error_record(payload)
        self.log.info("function emitted an error", extra={"errorName": record["name"], "error": record["message"]})
        self.runtime.throttles["error"].acquire()
        # Keyed by name, not message: a message may carry per-attempt details (a server's request
        # id, a time), and every error of one input goes out under the same messageId anyway.
        key = self.keys.next("error", {"name": record["name"]})
        self._publish_once(key, self.runtime.publications.error(record, self.base_headers, self.incoming))

    def _on_rebound(self, payload):
        reason = protocol.rebound_reason(payload)
        publications = self.runtime.publications.rebound(reason, self.base_headers, self.incoming)
        self.log.info("rebound", extra={"reason": reason, "limitExceeded": publications[0].event != "rebound"})
        self._publish_once(self.keys.next("rebound", reason), publications)

    def _on_snapshot(self, payload):
        self.runtime.snapshots.replace(payload)
        self.runtime.throttles["snapshot"].acquire()
        self._publish_once(self.keys.next("snapshot", payload),
                           [self.runtime.publications.snapshot(payload, self.base_headers, "snapshot")])

    def _on_update_snapshot(self, payload):
        if not isinstance(payload, dict):
            self.log.error("updateSnapshot needs an object; ignored")
            return
        if "$set" in payload:
            self.log.warning("$set is not supported in updateSnapshot; ignored")
            return
        self.runtime.snapshots.merge(payload)
        self.runtime.throttles["snapshot"].acquire()
        self._publish_once(self.keys.next("updateSnapshot", payload),
                           [self.runtime.publications.snapshot(payload, self.base_headers, "updateSnapshot")])

    def _on_update_keys(self, payload):
        account = (self.cfg or self.runtime.config or {}).get("_account")
        try:
            if not account:
                raise ValueError("updateKeys needs the credential id (_account) in the step config")
            SECRETS.add_config({"keys": payload} if isinstance(payload, dict) else {})
            self.runtime.api.update_account_keys(account, payload)
        except Exception as exc:  # reported like any other failure of the message
            self._on_error(exc)

    def _on_http_reply(self, payload):
        try:
            publication = self.runtime.publications.http_reply(payload, self.base_headers)
        except (ValueError, TypeError) as exc:
            self._on_error(exc)
            return
        self._publish_once(self.keys.next("httpReply", payload), [publication])

    def _on_end(self, _payload):
        # The end of `process` is the end of the message; an explicit "end" changes nothing.
        self.log.debug("explicit end event ignored; the end follows the return of process")



def _uuid4():
    return str(uuid.uuid4())
