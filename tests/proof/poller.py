"""A polling process: the platform's scheduler running the List Orders trigger, made crashable.

    python -m tests.proof.poller --cfg CFG.json --snapshot SNAP.json --out EMITTED.jsonl --generation N

It reads commands from stdin, one per line: `poll` runs the trigger once from
the snapshot file and answers `done ok` or `done error <name>: <message>` on
stdout; `stop` (or end of input) ends the process. The parent changes the
sandbox's orders only between polls, so it knows what each poll could see.

What the platform guarantees, this process does too:
- a data event is durable once emitted (appended as one JSON line, flushed and
  fsynced before emit returns), like a message the broker confirmed;
- a snapshot is durable and whole once emitted (temporary file, fsync, rename).
A line cut short by a kill was never emitted: it is dropped at start. After each
snapshot a marker line {"generation", "snapshot": true} is appended, so the
lines after a process's last marker are the page it had in flight when it died.

To die at an exact point, it kills itself with SIGKILL (nothing runs after it,
as with a killed container):
  POLLER_DIE_AFTER_EMIT=k       right after the k-th data event is durable
  POLLER_DIE_BEFORE_SNAPSHOT=k  right before the k-th snapshot is written
counted from the start of this process.
"""

import argparse
import json
import logging
import os
import signal
import sys

from mws_tools.runner import LocalContext, run_function


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def _count_from_env(name):
    value = os.environ.get(name)
    return int(value) if value else None


class DurableContext(LocalContext):
    """The platform's side of emit: data to the output file, snapshots to the snapshot file."""

    def __init__(self, out_file, snapshot_path, generation, counters):
        super().__init__(out=None, flow_type="ordinary")
        self.out_file = out_file
        self.snapshot_path = snapshot_path
        self.generation = generation
        self.counters = counters  # per process, across polls: {"data": n, "snapshot": n}

    def emit(self, event, payload=None):
        super().emit(event, payload)
        record = self.events.pop()  # kept on disk, not in memory: a soak emits many thousands
        if event == "data":
            self._append({"generation": self.generation, "id": record.get("id"), "body": record["body"]})
            self.counters["data"] += 1
            if self.counters["data"] == self.counters["die_after_emit"]:
                die()
        elif event == "snapshot":
            self.counters["snapshot"] += 1
            if self.counters["snapshot"] == self.counters["die_before_snapshot"]:
                die()
            write_atomically(self.snapshot_path, record["snapshot"])
            self._append({"generation": self.generation, "snapshot": True})  # what follows is the next page
        elif event == "error":
            self.events.append(record)  # the parent is told about errors

    def _append(self, line):
        self.out_file.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.out_file.flush()
        os.fsync(self.out_file.fileno())


def write_atomically(path, value):
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as fh:
        json.dump(value, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, path)


def read_snapshot(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return {}


def drop_torn_line(path):
    """Cut the output back to its last whole line: a line half-written when the process was
    killed was never emitted (its message never reached the broker)."""
    try:
        with open(path, "rb+") as fh:
            data = fh.read()
            fh.truncate(data.rfind(b"\n") + 1)
    except FileNotFoundError:
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cfg", required=True)
    parser.add_argument("--snapshot", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--generation", type=int, default=0, help="written into each line: which process emitted it")
    args = parser.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with open(args.cfg, encoding="utf-8") as fh:
        cfg = json.load(fh)
    counters = {"data": 0, "snapshot": 0, "die_after_emit": _count_from_env("POLLER_DIE_AFTER_EMIT"),
                "die_before_snapshot": _count_from_env("POLLER_DIE_BEFORE_SNAPSHOT")}
    drop_torn_line(args.out)
    with open(args.out, "a", encoding="utf-8") as out_file:
        for command in sys.stdin:
            if command.strip() != "poll":
                break
            ctx = DurableContext(out_file, args.snapshot, args.generation, counters)
            run_function("listOrders", cfg, {"body": {}}, read_snapshot(args.snapshot), ctx=ctx)
            errors = [e["error"] for e in ctx.events if e["event"] == "error"]
            answer = f"done error {errors[0]['name']}: {errors[0]['message']}" if errors else "done ok"
            print(answer.replace("\n", " "), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
