"""Running one function as the platform would, outside the platform.

`mws-component run FUNCTION --cfg CFG.json [--msg MSG.json] [--snapshot S.json]`
prints every emitted event as one JSON line and exits 1 if an error was emitted.
"""

import copy
import importlib
import json
import logging
import os
import sys
import traceback
from pathlib import Path

COMPONENT_ROOT = Path(__file__).resolve().parent.parent


def load_manifest(root=COMPONENT_ROOT):
    with open(Path(root) / "component.json", encoding="utf-8") as fh:
        return json.load(fh)


def function_entry(name, manifest):
    for kind in ("triggers", "actions"):
        entry = manifest.get(kind, {}).get(name)
        if entry is not None:
            return kind, entry
    known = sorted(list(manifest.get("triggers", {})) + list(manifest.get("actions", {})))
    raise KeyError(f"no function {name!r} in component.json (known: {', '.join(known)})")


def module_for(main):
    """'./mws_component/actions/get_order.py' -> the imported module mws_component.actions.get_order."""
    path = Path(main)
    dotted = ".".join(part for part in path.with_suffix("").parts if part not in (".", ""))
    return importlib.import_module(dotted)


class LocalContext:
    """What a function sees of the platform: emit, a logger, the flow type."""

    def __init__(self, out=sys.stdout, flow_type=None, logger=None):
        self.out = out
        self.flow_type = flow_type or os.environ.get("ELASTICIO_FLOW_TYPE")
        self.logger = logger or logging.getLogger("mws_component.function")
        self.events = []
        self.snapshot = None

    def emit(self, event, payload=None):
        record = _event_record(event, payload)
        if event == "snapshot":
            self.snapshot = copy.deepcopy(payload)
        elif event == "updateSnapshot":
            self.snapshot = {**(self.snapshot or {}), **(payload or {})}
        self.events.append(record)
        if self.out is not None:
            self.out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            self.out.flush()

    @property
    def errored(self):
        return any(e["event"] == "error" for e in self.events)


def _event_record(event, payload):
    if event == "data":
        message = payload if isinstance(payload, dict) and "body" in payload else {"body": payload}
        record = {"event": "data", "body": message.get("body")}
        if message.get("id"):
            record["id"] = message["id"]
        return record
    if event in ("snapshot", "updateSnapshot"):
        return {"event": event, "snapshot": payload}
    if event == "error":
        return {"event": "error", "error": error_record(payload)}
    if event == "rebound":
        return {"event": "rebound", "reason": str(payload)}
    return {"event": event, "payload": payload}


def error_record(error):
    if isinstance(error, BaseException):
        record = {"name": type(error).__name__, "message": str(error)}
        field = getattr(error, "field", None)
        if field:
            record["field"] = field
        return record
    if isinstance(error, dict):
        return {"name": error.get("name", "Error"), "message": str(error.get("message", ""))}
    return {"name": "Error", "message": str(error)}


def run_function(name, cfg, msg=None, snapshot=None, ctx=None, manifest=None):
    """Call FUNCTION's process as the platform would; return the context with its events."""
    ctx = ctx or LocalContext()
    manifest = manifest or load_manifest()
    if ctx.snapshot is None:  # the platform keeps the step's snapshot until a new one is emitted
        ctx.snapshot = copy.deepcopy(snapshot or {})
    msg = msg if msg is not None else {"body": {}}
    msg.setdefault("body", {})
    msg.setdefault("headers", {})
    try:
        _, entry = function_entry(name, manifest)
        module = module_for(entry["main"])
        result = module.process(ctx, copy.deepcopy(msg), copy.deepcopy(cfg), copy.deepcopy(snapshot or {}))
        if result:
            ctx.emit("data", result)
    except Exception as exc:  # every failure becomes an error event, as on the platform
        ctx.logger.debug("function failed:\n%s", traceback.format_exc())
        ctx.emit("error", exc)
    return ctx


def main(args):
    cfg = _read_json(args.cfg, "cfg")
    msg = _read_json(args.msg, "msg") if args.msg else {"body": {}}
    snapshot = _read_json(args.snapshot, "snapshot") if args.snapshot else {}
    ctx = run_function(args.function, cfg, msg, snapshot)
    return 1 if ctx.errored else 0


def _read_json(path, what):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise SystemExit(f"--{what} {path}: {exc}") from None
