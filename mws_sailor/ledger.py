"""Crash safety: no publication is repeated when a killed runner's message is redelivered.

The problem. The runtime acknowledges an incoming message only after every
publication of its processing has been confirmed by the broker (publisher
confirms), so a runner killed at any point (SIGKILL, OOM) leaves the message
unacknowledged and the broker redelivers it: nothing is lost. But a runner killed
*after* some publications were confirmed and *before* the acknowledgement would,
on redelivery, run the function again and publish the same data a second time.
AMQP 0-9-1 cannot make "publish outputs" and "ack input" one atomic step.

The design, two parts:

1. Deterministic identities. Every publication of a message's processing gets a
   key: the event, a SHA-256 of its content (for data: the emitted message; for
   errors: name and message; for rebounds: the reason; for snapshots: the
   snapshot) and its occurrence number among identical emits of that run. The
   outgoing data message's `messageId` header is the emitted message's own "id"
   when it has one (as in the Node sailor), otherwise a UUIDv5 of flow, step,
   incoming messageId, reboundIteration and that key. The same input therefore
   produces the same messageIds on every run, and a consumer that drops repeated
   messageIds sees each output once.

2. A per-step ledger on disk. Before a message is processed, the ledger file of
   its (messageId, reboundIteration) is read; after each publication is
   confirmed, its key is appended (write + flush: it survives SIGKILL, as the
   page cache outlives the process); when processing ends and the message has
   been acknowledged or rejected, the file is deleted. On a redelivery the
   function runs again, and every emit whose key is already in the ledger is
   *not* published again (snapshot emits still update the in-memory snapshot).
   Emits whose content differs (e.g. a trigger that now finds new orders) are
   published: content, not position, decides.

What is guaranteed, exactly:

* No loss: an input is acked only after all its publications are confirmed.
* A runner killed (SIGKILL) anywhere during a message, and replaced by a runner
  that sees the same ledger directory (same host/volume: MWS_SAILOR_LEDGER_DIR),
  publishes each distinct output of that message once, except when the kill
  falls in the microseconds between the broker's confirm of a publication and
  the ledger write; a repeat from that window carries the same messageId (when
  the function's output is deterministic, or the emitted message's "id" is).
* The same holds for a message the runner acked an instant before dying, if the
  ack frame never reached the broker: the ledger is deleted after the ack call.
* A replacement runner on another host (no shared ledger) publishes the
  outputs again, with the same messageIds: downstream dedup by messageId is
  then the only protection.
* Functions must not put random values (uuid4 ids, timestamps) into emitted
  messages for the dedup to hold: such outputs are new content.
"""

import hashlib
import logging
import os
import time
import uuid
from pathlib import Path

from .crypto import to_json_bytes

log = logging.getLogger("mws_sailor.ledger")

NAMESPACE = uuid.UUID("5e9f6d0c-7a2b-5c4e-9f1d-3b8a2e6c4d10")
SUFFIX = ".ledger"


def content_digest(value):
    """A stable digest of a JSON-able value (sorted keys, so dict order does not matter)."""
    try:
        raw = to_json_bytes(_sorted(value))
    except (TypeError, ValueError):
        raw = repr(value).encode("utf-8", errors="replace")
    return hashlib.sha256(raw).hexdigest()[:32]


def _sorted(value):
    if isinstance(value, dict):
        return {str(k): _sorted(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_sorted(v) for v in value]
    return value


def derived_message_id(flow_id, step_id, message_key, emit_key):
    return str(uuid.uuid5(NAMESPACE, f"{flow_id}/{step_id}/{message_key}/{emit_key}"))


class EmitKeys:
    """Keys of one run's emits: event, content digest and occurrence number."""

    def __init__(self):
        self._seen = {}

    def next(self, event, content):
        base = f"{event}:{content_digest(content)}"
        count = self._seen.get(base, 0)
        self._seen[base] = count + 1
        return f"{base}#{count}"


class MessageLedger:
    """The publications already made for one incoming message."""

    def __init__(self, path):
        self.path = path
        self.keys = set()
        if path is not None:
            try:
                with open(path, encoding="utf-8") as fh:
                    self.keys = {line.strip() for line in fh if line.strip()}
            except FileNotFoundError:
                pass
        self._file = None

    @property
    def replaying(self):
        return bool(self.keys)

    def __contains__(self, key):
        return key in self.keys

    def record(self, key):
        self.keys.add(key)
        if self.path is None:
            return
        if self._file is None:
            self._file = open(self.path, "a", encoding="utf-8")
        self._file.write(key + "\n")
        self._file.flush()

    def discard(self):
        if self._file is not None:
            self._file.close()
            self._file = None
        if self.path is not None:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass


class Ledger:
    """The ledger directory of one step."""

    def __init__(self, directory, retention_seconds=7 * 24 * 3600):
        self.directory = Path(directory) if directory else None
        self.retention_seconds = retention_seconds
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._prune()

    def for_message(self, message_key):
        if self.directory is None or message_key is None:
            return MessageLedger(None)
        name = hashlib.sha256(message_key.encode("utf-8")).hexdigest()[:40] + SUFFIX
        return MessageLedger(self.directory / name)

    def _prune(self):
        # Files of messages that never came back (another runner took them) must not pile up.
        cutoff = time.time() - self.retention_seconds
        for path in self.directory.glob("*" + SUFFIX):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except OSError:
                pass


def message_key(amqp_headers):
    """"messageId|reboundIteration" of a delivery (a rebound comes back with the same messageId), or None."""
    amqp_headers = amqp_headers or {}
    message_id = amqp_headers.get("messageId")
    if not message_id:
        return None
    return f"{message_id}|{amqp_headers.get('reboundIteration') or 0}"
