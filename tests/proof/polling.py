"""The parent side of the polling soak: a sandbox whose orders keep changing, a polling
process (tests/proof/poller.py) that is killed and restarted, and the counts at the end.

Why every version is observable, and so must be emitted: the store changes only
between polls (one `store.tick`, which changes an order at most once), the clock
then moves past Amazon's two-minute rule, and the next tick waits until a poll
has finished with its cursor past the newest change. A version therefore is the
current state of its order during at least one finished poll whose windows
covered its LastUpdateDate.
"""

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from mws_component.function import stable_id
from mws_sandbox import FaultConfig, Sandbox
from mws_sandbox.orders.markets import MARKETS

ROOT = Path(__file__).resolve().parents[2]
# Server time a tick's changes need to pass the two-minute rule and the trigger's 5 s margin.
SETTLE = timedelta(seconds=150)
# Faults as the brief asks: throttles 20 %, 500s 5 %, dropped connections 2 %, truncated 1 %, slow 5 %.
SOAK_FAULTS = dict(throttle=0.2, error500=0.05, drop=0.02, truncate=0.01, slow=0.05, slow_seconds=0.05)


@dataclass(frozen=True)
class SoakPlan:
    orders: int
    polls: int  # finished polls; a tick of changes before each but the first
    page_size: int = 100
    changes_per_tick: tuple = (5, 60)
    shared_stamp_rate: float = 0.3  # ticks whose changes all carry one LastUpdateDate
    crash_rate: float = 0.35  # polls whose process is set up to die
    seed: int = 1
    time_scale: float = 600.0


@dataclass
class SoakCounts:
    versions_expected: int = 0
    emitted: int = 0
    lost: int = 0
    repeated_outside_crashes: int = 0
    crashes: int = 0
    repeats_per_crash: list = field(default_factory=list)
    unstable_ids: int = 0
    polls: int = 0  # poll commands, finished or not
    failed_polls: int = 0  # finished with an error event (retries exhausted); the next poll goes on
    poll_errors: dict = field(default_factory=dict)  # error name -> how many polls ended in it
    requests: int = 0
    faults: dict = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self):
        return (f"versions expected {self.versions_expected}, emitted {self.emitted}, lost {self.lost}, "
                f"repeated outside crashed pages {self.repeated_outside_crashes}, crashes {self.crashes}, "
                f"repeats per crash {self.repeats_per_crash} (max {max(self.repeats_per_crash, default=0)}), "
                f"ids not stable {self.unstable_ids}; polls {self.polls} ({self.failed_polls} ended in an error: "
                f"{self.poll_errors}), "
                f"requests {self.requests}, faults {self.faults}, {self.seconds:.0f} s")


class PollingProcess:
    """tests/proof/poller.py as a child process: `poll` commands, kills, restarts.

    Each process gets a new generation number, written into every line it emits,
    so a repeat can be traced to the killed process whose page was in flight.
    """

    def __init__(self, workdir, cfg, time_scale):
        self.workdir = Path(workdir)
        self.cfg_path = self.workdir / "cfg.json"
        self.snapshot_path = self.workdir / "snapshot.json"
        self.out_path = self.workdir / "emitted.jsonl"
        self.stderr_path = self.workdir / "poller.stderr"
        self.cfg_path.write_text(json.dumps(cfg))
        self.time_scale = time_scale
        self.generation = -1
        self.killed = set()  # generations that died by SIGKILL
        self._process = None

    def poll(self, die_after_emit=None, die_before_snapshot=None, kill_after_seconds=None):
        """Run one poll; returns "ok", "error ..." or "killed"."""
        if die_after_emit or die_before_snapshot or self._process is None:
            self._start(die_after_emit, die_before_snapshot)  # a planned death counts from a fresh start
        timer = None
        if kill_after_seconds is not None:
            timer = threading.Timer(kill_after_seconds, self._kill)
            timer.start()
        try:
            self._process.stdin.write("poll\n")
            self._process.stdin.flush()
            answer = self._process.stdout.readline()
        except BrokenPipeError:
            answer = ""
        finally:
            if timer is not None:
                timer.cancel()
        if not answer:  # died during the poll
            self._reap()
            return "killed"
        return answer.strip()[len("done "):]

    def stop(self):
        if self._process is not None:
            try:
                self._process.stdin.write("stop\n")
                self._process.stdin.close()
            except BrokenPipeError:
                pass
            self._reap()

    def _start(self, die_after_emit, die_before_snapshot):
        self.stop()
        self.generation += 1
        env = dict(os.environ, MWS_TIME_SCALE=str(self.time_scale), PYTHONPATH=str(ROOT))
        for name, value in (("POLLER_DIE_AFTER_EMIT", die_after_emit),
                            ("POLLER_DIE_BEFORE_SNAPSHOT", die_before_snapshot)):
            env.pop(name, None)
            if value:
                env[name] = str(value)
        with open(self.stderr_path, "a") as stderr:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tests.proof.poller", "--cfg", str(self.cfg_path),
                 "--snapshot", str(self.snapshot_path), "--out", str(self.out_path),
                 "--generation", str(self.generation)],
                cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True)

    def _kill(self):
        try:
            self._process.send_signal(signal.SIGKILL)
        except (ProcessLookupError, AttributeError):
            pass

    def _reap(self):
        process, self._process = self._process, None
        code = process.wait(timeout=30)
        if code == -signal.SIGKILL:
            self.killed.add(self.generation)
        elif code != 0:
            raise RuntimeError(f"the polling process failed with exit status {code}; see {self.stderr_path}")

    def snapshot(self):
        try:
            return json.loads(self.snapshot_path.read_text())
        except FileNotFoundError:
            return {}

    def emitted(self):
        with open(self.out_path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.endswith("\n")]


def run_soak(plan, workdir, log=print):
    """Run the plan; return SoakCounts. `log` gets a line per stage, for soak runs with -s."""
    started = time.monotonic()
    rng = random.Random(plan.seed)
    # Server time is moved on by SETTLE before every poll; starting it that far behind real
    # time keeps the polling host's clock ahead of the server's, as an NTP-synced host is
    # never far behind. A fresh process learns the server's clock from its first answer
    # (RequestExpired or the two-minute rule, both handled by the component).
    lead = SETTLE * (plan.polls * 2 + 4)
    faults = FaultConfig(seed=plan.seed, **SOAK_FAULTS)
    with Sandbox(seed=plan.seed, orders=plan.orders, time_scale=plan.time_scale, faults=faults,
                 start_time=datetime.now(timezone.utc) - lead) as sandbox:
        _quiet_disconnects(sandbox)
        cfg = dict(sandbox.credentials, marketplaceIds=[m.marketplace_id for m in MARKETS],
                   maxResultsPerPage=str(plan.page_size))
        poller = PollingProcess(workdir, cfg, plan.time_scale)
        counts = SoakCounts()
        try:
            for number in range(plan.polls):
                if number:
                    made = sandbox.store.tick(rng.randint(*plan.changes_per_tick),
                                              shared_timestamp=rng.random() < plan.shared_stamp_rate)
                    # one new version per order between two polls, or a version could pass unseen
                    assert len({v.amazon_order_id for v in made}) == len(made)
                sandbox.clock.advance(SETTLE.total_seconds())
                _poll_until_caught_up(poller, sandbox, plan, rng, counts)
                if number % 10 == 0:
                    log(f"  poll {number + 1}/{plan.polls}: {len(sandbox.store.versions())} versions, "
                        f"{len(poller.killed)} crashes, {time.monotonic() - started:.0f} s")
        finally:
            poller.stop()
        counts.crashes = len(poller.killed)
        counts.requests = len(sandbox.requests)
        counts.faults = dict(Counter(r.fault for r in sandbox.requests if r.fault))
        _count_deliveries(counts, sandbox.store.versions(), poller.emitted(), poller.killed)
    counts.seconds = time.monotonic() - started
    return counts


def _quiet_disconnects(sandbox):
    """A killed poller leaves the sandbox writing to a closed socket: expected here, so not printed."""
    server = sandbox._server
    report = server.handle_error

    def handle_error(request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            report(request, client_address)
    server.handle_error = handle_error


MAX_POLLS_PER_TICK = 40  # far more than kills and faults need; more means the trigger is stuck


def _poll_until_caught_up(poller, sandbox, plan, rng, counts):
    """Poll (with a kill now and then) until a poll finishes with its windows past the newest change.

    Stamps compare as text: the sandbox and the trigger both write 2024-01-31T12:00:00.000Z."""
    newest = max(v.last_update_date for v in sandbox.store.versions())
    for _ in range(MAX_POLLS_PER_TICK):
        counts.polls += 1
        outcome = poller.poll(**_death_plan(rng, plan, _pending_estimate(poller, sandbox)))
        if outcome.startswith("error"):
            counts.failed_polls += 1
            name = outcome.split()[1].rstrip(":")
            counts.poll_errors[name] = counts.poll_errors.get(name, 0) + 1
        snapshot = poller.snapshot()
        cursor = snapshot.get("cursor")
        if outcome == "ok" and "window" not in snapshot and cursor and cursor > newest:
            return
    raise AssertionError(f"{MAX_POLLS_PER_TICK} polls did not get past the change at {newest}: "
                         f"last outcome {outcome!r}, snapshot {snapshot}")


def _pending_estimate(poller, sandbox):
    """How many versions the next poll will emit, roughly: to place a death inside it."""
    cursor = poller.snapshot().get("cursor")
    if cursor is None:
        return len(sandbox.store)
    return sum(1 for v in sandbox.store.versions() if v.last_update_date >= cursor)


def _death_plan(rng, plan, pending):
    if rng.random() >= plan.crash_rate:
        return {}
    pages = max(1, -(-pending // plan.page_size))
    how = rng.choice(["after_emit", "before_snapshot", "timer"])
    if how == "after_emit":  # mid-page mostly, sometimes on the page's last order
        return {"die_after_emit": rng.randint(1, max(1, pending))}
    if how == "before_snapshot":  # the page is emitted, its snapshot is not
        return {"die_before_snapshot": rng.randint(1, pages + 1)}
    # any instant of the poll: inside a request, a write, a retry's wait, between polls
    return {"kill_after_seconds": rng.uniform(0.05, 0.5 + 0.05 * pages)}


def _count_deliveries(counts, versions, lines, killed):
    """Lost, repeated and per-crash counts from the output lines of every process.

    A repeat is excused only when the earlier emission was in the page a killed
    process had in flight: its lines after its last snapshot marker.
    """
    in_flight = {}  # generation -> versions emitted since its last snapshot
    for line in lines:
        tail = in_flight.setdefault(line["generation"], set())
        if line.get("snapshot"):
            tail.clear()
        else:
            tail.add(_version(line))
    expected = set(versions)
    emitted_by = {}  # version -> the generation that last emitted it
    repeats_by_crash = Counter()  # killed generation -> how many of its in-flight versions came again
    for line in lines:
        if line.get("snapshot"):
            continue
        key = _version(line)
        counts.emitted += 1
        if line["id"] != stable_id(*key):
            counts.unstable_ids += 1
        earlier = emitted_by.get(key)
        if earlier is not None:
            if earlier in killed and earlier < line["generation"] and key in in_flight[earlier]:
                repeats_by_crash[earlier] += 1
            else:
                counts.repeated_outside_crashes += 1
        emitted_by[key] = line["generation"]
    counts.versions_expected = len(expected)
    counts.lost = len(expected - set(emitted_by))
    counts.repeats_per_crash = [repeats_by_crash[generation] for generation in sorted(killed)]
    unexpected = set(emitted_by) - expected
    assert not unexpected, f"emitted versions that never existed: {sorted(unexpected)[:5]}"


def _version(line):
    return line["body"]["amazonOrderId"], line["body"]["lastUpdateDate"]
