"""What each emitted event becomes on the wire (sailor-nodejs lib/sailor.js and lib/amqp.js).

`Publications` turns one event of one incoming message into the AMQP messages the
Node.js sailor would publish: routing key, body and properties. It does no I/O.
"""

import base64
import copy
import json
import time
from dataclasses import dataclass, field

from . import protocol
from .crypto import to_json_bytes

CONTENT_TYPE = "application/json"
CONTENT_ENCODING = "utf8"
REBOUND_LIMIT_EXCEEDED = "Rebound limit exceeded"


class OutgoingMessageTooLarge(Exception):
    pass


@dataclass
class Publication:
    """One AMQP message to publish on the PUBLISH_MESSAGES_TO exchange (always mandatory)."""

    event: str
    routing_key: str
    body: bytes
    properties: dict = field(default_factory=dict)  # pika.BasicProperties keyword arguments

    @property
    def headers(self):
        return self.properties.setdefault("headers", {})


@dataclass
class IncomingMessage:
    """One delivery as the runtime sees it."""

    body: bytes
    properties: dict          # the delivery's AMQP properties, as BasicProperties kwargs
    headers: dict             # read_incoming_headers() of its AMQP headers
    protocol_version: int
    payload: dict | None = None   # the decrypted message, kept unchanged
    text: str | None = None       # its JSON text, parsed again for each copy handed out


def now_ms():
    return int(time.time() * 1000)


class Publications:
    def __init__(self, settings, cipher):
        self.settings = settings
        self.cipher = cipher

    def _properties(self, headers):
        return {
            "content_type": CONTENT_TYPE,
            "content_encoding": CONTENT_ENCODING,
            "delivery_mode": 2 if self.settings.amqp_persistent_messages else 1,
            "headers": headers,
        }

    def data(self, message, base_headers, message_id):
        """MESSAGE (already passthrough-complete; its headers may be changed) as an encrypted data message."""
        routing_key = protocol.pop_routing_key(message) or self.settings.data_routing_key
        headers = {**base_headers, "messageId": message_id, "end": now_ms(),
                   "protocolVersion": self.settings.protocol_version}
        body = self.cipher.encrypt(message, self.settings.protocol_version)
        limit = self.settings.outgoing_message_size_limit
        if len(body) > limit:
            raise OutgoingMessageTooLarge(f"Outgoing message size {len(body)} exceeds limit of {limit}.")
        return Publication("data", routing_key, body, self._properties(headers))

    def error(self, record, base_headers, incoming=None):
        """The error message, plus the error reply to reply_to when there is one."""
        encrypted_error = self.cipher.encrypt_base64_text(record)
        payload = {"error": encrypted_error}
        if incoming is not None and incoming.body:
            payload["errorInput"] = self._error_input(incoming)
        headers = {**base_headers, "end": now_ms()}
        publications = [Publication("error", self.settings.error_routing_key,
                                    json.dumps(payload, separators=(",", ":")).encode("utf-8"),
                                    self._properties(headers))]
        reply_to = base_headers.get("reply_to")
        if reply_to and not self.settings.no_error_replies:
            publications.append(Publication("error-reply", reply_to, encrypted_error.encode("ascii"),
                                            self._properties({**headers, "x-eio-error-response": True})))
        return publications

    def _error_input(self, incoming):
        if incoming.protocol_version >= 2:
            # Re-encrypted as base64 text: error fields are base64 whatever the protocol version.
            if incoming.payload is not None:
                return self.cipher.encrypt_base64_text(incoming.payload)
            return base64.b64encode(incoming.body).decode("ascii")
        return incoming.body.decode("utf-8", errors="replace")

    def rebound(self, reason, base_headers, incoming):
        """The original message back to the rebound routing key, or the rebound-limit error."""
        iteration = protocol.next_rebound_iteration(incoming.properties.get("headers"))
        if iteration > self.settings.rebound_limit:
            record = protocol.error_record({"name": "Error", "message": REBOUND_LIMIT_EXCEEDED})
            return self.error(record, base_headers, incoming)
        properties = copy.deepcopy(incoming.properties)
        properties["headers"] = {**(properties.get("headers") or {}), "end": now_ms(),
                                 "reboundReason": reason, "reboundIteration": iteration}
        properties["expiration"] = str(protocol.rebound_expiration_ms(
            iteration, self.settings.rebound_initial_expiration))
        return [Publication("rebound", self.settings.rebound_routing_key, incoming.body, properties)]

    def snapshot(self, snapshot, base_headers, event):
        headers = {**base_headers, "snapshotEvent": event}
        return Publication(event, self.settings.snapshot_routing_key, to_json_bytes(snapshot),
                           self._properties(headers))

    def http_reply(self, reply, base_headers):
        reply_to = base_headers.get("reply_to")
        if not reply_to:
            raise ValueError("Component emitted 'httpReply' event but 'reply_to' was not found in AMQP headers")
        headers = {**base_headers, "protocolVersion": 1}
        return Publication("httpReply", reply_to, self.cipher.encrypt(reply, 1), self._properties(headers))
