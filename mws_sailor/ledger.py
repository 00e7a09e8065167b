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
   errors: the name only, as their messages may carry per-attempt details such as
   a server's request id; for rebounds: the reason; for snapshots: the snapshot)
   and its occurrence number among identical emits of that run. The
   outgoing data message's `messageId` header is the emitted message's own "id"
   when it has one (as in the Node sailor), otherwise a UUIDv5 of flow, step,
   incoming messageId, reboundIteration and that key. The same input therefore
   produces the same messageIds on every run, and a consumer that drops repeated
   messageIds sees each output once.

2. A per-step ledger on disk. Each runner appends to its own journal file in
   the step's ledger directory: a line per confirmed publication (message key,
   publication key) and a line when the message is settled (acked or rejected).
   Each line is one write() to an O_APPEND file descriptor: it survives SIGKILL,
   as the page cache outlives the process, and costs no open() per message. A
   runner starting up takes over the journals of runners that are gone (it can
   lock them): their unsettled entries become its own, the old files are
   deleted. When a message is delivered again, the function runs again, and
   every emit whose key is already in the ledger is *not* published again
   (snapshot emits still update the in-memory snapshot). Emits whose content
   differs (e.g. a trigger that now finds new orders) are published: content,
   not position, decides.

What is guaranteed, exactly:

* No loss: an input is acked only after all its publications are confirmed.
* A runner killed (SIGKILL) anywhere during a message, and replaced by a runner
  that sees the same ledger directory (same host/volume: MWS_SAILOR_LEDGER_DIR),
  publishes each distinct output of that message once, except when the kill
  falls in the microseconds between the broker's confirm of a publication and
  the ledger write; a repeat from that window carries the same messageId (when
  the function's output is deterministic, or the emitted message's "id" is).
* The same holds for a message the runner acked an instant before dying, if the
  ack frame never reached the broker: the settle line is written after the ack.
* Journal lines of messages that never come back (another runner took them)
  are dropped after LEDGER_RETENTION_SECONDS.
* A replacement runner on another host (no shared ledger) publishes the
  outputs again, with the same messageIds: downstream dedup by messageId is
  then the only protection.
* Functions must not put random values (uuid4 ids, timestamps) into emitted
  messages for the dedup to hold: such outputs are new content.
"""

import fcntl
import hashlib
import json
import logging
import os
import socket
import threading
import time
import uuid
from pathlib import Path

log = logging.getLogger("mws_sailor.ledger")

NAMESPACE = uuid.UUID("5e9f6d0c-7a2b-5c4e-9f1d-3b8a2e6c4d10")
JOURNAL_GLOB = "journal-*.log"
LEDGER_RETENTION_SECONDS = 7 * 24 * 3600
COMPACT_BYTES = 4 * 1024 * 1024


def content_digest(value):
    """A stable digest of a JSON-able value (sorted keys, so dict order does not matter)."""
    try:
        raw = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        raw = repr(value)
    return hashlib.sha256(raw.encode("utf-8", errors="replace")).hexdigest()[:32]


def derived_message_id(flow_id, step_id, message_key, emit_key):
    """uuid5(NAMESPACE, "flow/step/message key/emit key"), computed without the UUID object (it is per message)."""
    name = f"{flow_id}/{step_id}/{message_key}/{emit_key}".encode("utf-8")
    digest = bytearray(hashlib.sha1(NAMESPACE.bytes + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


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

    def __init__(self, ledger, key):
        self._ledger = ledger
        self.key = key
        self.keys = ledger.published(key) if ledger is not None else set()

    @property
    def replaying(self):
        return bool(self.keys)

    def __contains__(self, publication_key):
        return publication_key in self.keys

    def record(self, publication_key):
        self.keys.add(publication_key)
        if self._ledger is not None:
            self._ledger.record(self.key, publication_key)

    def discard(self):
        """The message is settled: forget it."""
        if self._ledger is not None:
            self._ledger.settled(self.key)


class Ledger:
    """The ledger of one step: this runner's journal plus what it took over from dead runners."""

    def __init__(self, directory, retention_seconds=LEDGER_RETENTION_SECONDS):
        self.directory = Path(directory) if directory else None
        self.retention_seconds = retention_seconds
        self._pending = {}      # message key -> [first seen (epoch s), set of publication keys]
        self._unwritten_settles = []
        self._lock = threading.Lock()
        self._fd = None
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._open_own_journal()
            self._take_over_dead_journals()

    def for_message(self, message_key):
        if self.directory is None or message_key is None:
            return MessageLedger(None, message_key)
        return MessageLedger(self, message_key)

    def published(self, message_key):
        with self._lock:
            entry = self._pending.get(message_key)
            return set(entry[1]) if entry else set()

    def record(self, message_key, publication_key):
        with self._lock:
            entry = self._pending.setdefault(message_key, [int(time.time()), set()])
            entry[1].add(publication_key)
            self._write(("P", message_key, publication_key, entry[0]))

    def settled(self, message_key):
        with self._lock:
            if self._pending.pop(message_key, None) is not None:
                # Written with the next line: if the process dies first, the entry only
                # lingers (a settled message is not delivered again) until retention.
                self._unwritten_settles.append(("D", message_key))

    def close(self):
        """At a clean stop: the journal goes when nothing in it is unsettled, else it stays for the next runner."""
        with self._lock:
            if self._fd is None:
                return
            if self._unwritten_settles and self._pending:
                os.write(self._fd, "".join(json.dumps(r, separators=(",", ":")) + "\n"
                                           for r in self._unwritten_settles).encode("utf-8"))
            if not self._pending:
                self._path.unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None

    # -- the journal files --------------------------------------------------------

    def _write(self, record):
        records = self._unwritten_settles + [record]
        self._unwritten_settles = []
        line = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records).encode("utf-8")
        os.write(self._fd, line)
        self._written += len(line)
        if self._written > COMPACT_BYTES:
            self._compact()

    def _open_own_journal(self):
        name = f"journal-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}.log"
        self._path = self.directory / name
        self._fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._written = 0
        # Held while this runner lives: others know the journal is not orphaned.
        fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _take_over_dead_journals(self):
        for path in sorted(self.directory.glob(JOURNAL_GLOB)):
            if path == self._path:
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue  # a live runner of the same step on this host
            try:
                with os.fdopen(os.dup(fd), encoding="utf-8", errors="replace") as fh:
                    taken = _replay(fh)
                cutoff = time.time() - self.retention_seconds
                with self._lock:
                    for key, (first_seen, keys) in taken.items():
                        if first_seen >= cutoff:
                            entry = self._pending.setdefault(key, [first_seen, set()])
                            entry[1].update(keys)
                            for publication_key in keys:
                                self._write(("P", key, publication_key, entry[0]))
                path.unlink()
                if taken:
                    log.info("took over the ledger of a runner that is gone",
                             extra={"journal": path.name, "unsettledMessages": len(taken)})
            finally:
                os.close(fd)

    def _compact(self):
        """Rewrite the journal with the unsettled entries only (called with the lock held)."""
        cutoff = time.time() - self.retention_seconds
        self._pending = {k: v for k, v in self._pending.items() if v[0] >= cutoff}
        tmp = self._path.with_suffix(".compact")
        with open(tmp, "w", encoding="utf-8") as fh:
            for key, (first_seen, keys) in self._pending.items():
                for publication_key in keys:
                    fh.write(json.dumps(("P", key, publication_key, first_seen), separators=(",", ":")) + "\n")
        fd = os.open(tmp, os.O_WRONLY | os.O_APPEND)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.replace(tmp, self._path)
        os.close(self._fd)
        self._fd = fd
        self._written = os.fstat(fd).st_size


def _replay(lines):
    """Journal lines -> {message key: (first seen, publication keys)} of unsettled messages."""
    pending = {}
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a line cut short by the crash
        if record[0] == "P" and len(record) == 4:
            entry = pending.setdefault(record[1], [record[3], set()])
            entry[1].add(record[2])
        elif record[0] == "D" and len(record) == 2:
            pending.pop(record[1], None)
    return {key: (first_seen, keys) for key, (first_seen, keys) in pending.items()}


def message_key(amqp_headers):
    """"messageId|reboundIteration" of a delivery (a rebound comes back with the same messageId), or None."""
    amqp_headers = amqp_headers or {}
    message_id = amqp_headers.get("messageId")
    if not message_id:
        return None
    return f"{message_id}|{amqp_headers.get('reboundIteration') or 0}"
