"""Running one function as the platform would, outside the platform.

`mws-component run FUNCTION --cfg CFG.json [--msg MSG.json] [--snapshot S.json]`
prints every emitted event as one JSON line and exits 1 if an error was emitted.

It hosts functions with the runtime's own parts: the loader of component.json
(mws_sailor.component, also for verifyCredentials), the input checks
(mws_sailor.inputs) and the error shape (mws_sailor.protocol.error_record), so
a function behaves here as it does on the platform. Whatever the files hold,
the answer is events: bad input is an error event, never a traceback.
"""

import copy
import functools
import json
import logging
import os
import sys
import threading
import time
from pathlib import Path

from mws_sailor import protocol
from mws_sailor.component import VERIFY_CREDENTIALS, Component
from mws_sailor.inputs import InputError, check_object, parse_object

COMPONENT_ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT_EVENTS = ("snapshot", "updateSnapshot")
WAIT_NOTICE_SECONDS = 5.0


@functools.lru_cache(maxsize=None)
def component(root=COMPONENT_ROOT):
    return Component(root)


def load_manifest(root=COMPONENT_ROOT):
    return component(Path(root)).descriptor


def module_for(main):
    """'./mws_component/actions/get_order.py' -> the imported module mws_component.actions.get_order."""
    return component().import_module(main)


class LocalContext:
    """What a function sees of the platform: emit, a logger, the flow type."""

    def __init__(self, out=sys.stdout, flow_type=None, logger=None):
        self.out = out
        self.flow_type = flow_type or os.environ.get("ELASTICIO_FLOW_TYPE")
        self.step_id = None
        self.logger = logger or logging.getLogger("mws_component.function")
        self.events = []
        self.snapshot = None
        self.last_emit = time.monotonic()

    def emit(self, event, payload=None):
        record = _event_record(event, payload)
        if event == "snapshot":
            self.snapshot = copy.deepcopy(payload)
        elif event == "updateSnapshot":
            self.snapshot = {**(self.snapshot or {}), **(payload or {})}
        self.events.append(record)
        self.last_emit = time.monotonic()
        if self.out is not None:
            self.out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            self.out.flush()

    def get_flow_variables(self):
        return {}

    @property
    def errored(self):
        return any(e["event"] == "error" for e in self.events)


def _event_record(event, payload):
    if event == "data":
        message = protocol.as_message(payload)
        record = {"event": "data", "body": message.get("body")}
        if message.get("id"):
            record["id"] = message["id"]
        return record
    if event in SNAPSHOT_EVENTS:
        return {"event": event, "snapshot": payload}
    if event == "error":
        return {"event": "error", "error": protocol.error_record(payload)}
    if event == "rebound":
        return {"event": "rebound", "reason": protocol.rebound_reason(payload)}
    return {"event": event, "payload": payload}


def run_function(name, cfg, msg=None, snapshot=None, ctx=None):
    """Call FUNCTION (a trigger, an action or verifyCredentials) as the platform would;
    return the context with its events."""
    ctx = ctx or LocalContext()
    try:
        cfg = check_object(cfg, "cfg")
        msg = check_object(msg if msg is not None else {"body": {}}, "msg")
        snapshot = check_object(snapshot if snapshot is not None else {}, "snapshot")
    except InputError as exc:
        ctx.emit("error", exc)
        return ctx
    if ctx.snapshot is None:  # the platform keeps the step's snapshot until a new one is emitted
        ctx.snapshot = copy.deepcopy(snapshot)
    msg = copy.deepcopy(msg)
    msg.setdefault("body", {})
    if not isinstance(msg.get("headers"), dict):
        msg["headers"] = {}
    try:
        if name == VERIFY_CREDENTIALS:
            from mws_sailor.service import verify_credentials
            ctx.emit("data", {"body": verify_credentials(component(), cfg)})
            return ctx
        module = component().load_function(name)
        result = module.process(ctx, msg, copy.deepcopy(cfg), copy.deepcopy(snapshot))
        if result:
            ctx.emit("data", result)
    except Exception as exc:  # every failure becomes an error event, as on the platform
        ctx.emit("error", exc)
    return ctx


# -- the command ------------------------------------------------------------------------

def main(args):
    ctx = LocalContext()
    try:
        cfg = read_input(args.cfg, "cfg")
        msg = read_input(args.msg, "msg") if args.msg else {"body": {}}
        snapshot = read_snapshot(args.snapshot) if args.snapshot else {}
    except InputError as exc:
        ctx.emit("error", exc)
        return 1
    with WaitNotice(args.function, ctx):
        run_function(args.function, cfg, msg, snapshot, ctx)
    return 1 if ctx.errored else 0


def read_input(path, what):
    """The JSON object in the file PATH (given as --WHAT)."""
    try:
        with open(path, "rb") as fh:
            text = fh.read()
    except OSError as exc:
        raise InputError(f"--{what} {path}: {exc.strerror or exc}", what) from None
    try:
        return parse_object(text, what)
    except InputError as exc:
        message = str(exc)
        if "Extra data" in message:
            message += " (the file holds more than one JSON document: give one)"
        raise InputError(f"--{what} {path}: {message}", exc.field) from None


def read_snapshot(path):
    """--snapshot: the snapshot itself, or the whole {"event": "snapshot", "snapshot": {...}} line a run printed."""
    try:
        value = read_input(path, "snapshot")
    except InputError as exc:
        if "more than one JSON document" in str(exc):
            raise InputError(f"{exc}; a run's output holds many lines: pass its last "
                             "{\"event\": \"snapshot\", ...} line, or the snapshot inside it", "snapshot") from None
        raise
    if "event" not in value:
        return value
    event = value.get("event")
    if event == "snapshot" and set(value) <= {"event", "snapshot"}:
        return check_object(value.get("snapshot"), "snapshot.snapshot", walk=False)
    if event == "updateSnapshot":
        raise InputError(f"--snapshot {path}: an updateSnapshot line holds only the keys that changed; pass the "
                         "last {\"event\": \"snapshot\", ...} line, or the snapshot inside it", "snapshot")
    raise InputError(f"--snapshot {path}: a {str(event)[:20]!r} event line is not a snapshot; pass the last "
                     "{\"event\": \"snapshot\", ...} line a run printed, or the snapshot inside it", "snapshot")


class WaitNotice:
    """Says on stderr why a run has gone quiet for WAIT_NOTICE_SECONDS, once per quiet spell.

    A run that waits is almost always waiting for an MWS quota: Amazon (and the
    sandbox) restore requests slowly, and each `run` is a new process that cannot
    know what earlier runs used. The notice names where the function waits (the
    client's quota, or a retry after the server's answer) and the last line it logged.
    """

    def __init__(self, function, ctx, stream=sys.stderr, after=WAIT_NOTICE_SECONDS, clock=time.monotonic):
        self.function, self.ctx, self.stream, self.after, self.clock = function, ctx, stream, after, clock
        self.thread_id = threading.get_ident()
        self.last_log = None
        self._noticed_at = None
        self._stop = threading.Event()
        self._handler = _LastLine(self)
        self._thread = threading.Thread(target=self._watch, name="wait-notice", daemon=True)

    def __enter__(self):
        logging.getLogger().addHandler(self._handler)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        logging.getLogger().removeHandler(self._handler)
        self._thread.join(2)

    def _watch(self):
        while not self._stop.wait(0.5):
            notice = self.check()
            if notice:
                self.stream.write(notice + "\n")
                self.stream.flush()

    def check(self):
        """The notice to print now, or None."""
        quiet_since = max(self.ctx.last_emit, self.last_log[0] if self.last_log else 0.0)
        quiet = self.clock() - quiet_since
        if quiet < self.after or self._noticed_at == quiet_since:
            return None
        self._noticed_at = quiet_since
        why = {"quota": "waiting for its request quota, which earlier requests used up",
               "retry": "waiting to send a request again after the server's answer",
               "answer": "waiting for the server's answer"}.get(self.waiting_for(), "still running")
        line = f"; its last log line: {self.last_log[1]}" if self.last_log else ""
        return (f"mws-component run: {self.function} has been quiet for {quiet:.0f} s, {why}{line}. "
                "Amazon's quotas restore slowly (MWS ListOrders: a burst of 6, then one a minute; SP-API "
                "searchOrders: a burst of 20, then one every 3 minutes) and each run is a new process that "
                "cannot know what earlier runs used. Against the sandbox, start it with "
                "--no-quotas, or with --time-scale 60 and run with MWS_TIME_SCALE=60.")

    def waiting_for(self):
        """"quota", "retry" or "answer" from where the function's thread is inside the MWS client, or None."""
        frame = sys._current_frames().get(self.thread_id)
        innermost = True
        while frame is not None:
            module = frame.f_globals.get("__name__", "")
            if module == "mws_component.quota":
                return "quota"
            if module in ("mws_component.pipeline", "mws_component.endpoint"):
                # Asleep in time.sleep (no Python frame inside) between attempts, or inside requests.
                return "retry" if innermost else "answer"
            if module.startswith("mws_component"):
                return None
            frame, innermost = frame.f_back, False
        return None


class _LastLine(logging.Handler):
    def __init__(self, notice):
        super().__init__(logging.INFO)
        self.notice = notice

    def emit(self, record):
        try:
            self.notice.last_log = (self.notice.clock(), record.getMessage()[:200])
        except Exception:  # a log call with bad arguments is not the runner's failure
            pass
