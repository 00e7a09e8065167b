"""The actions through the runtime over RabbitMQ, the runner SIGKILLed and restarted at random:
every input ends as exactly one data or one error message on the far side, none lost.

How it runs: tests/proof/runtime_kills.py (a real MWS sandbox with faults, the fake
platform API serving the sandbox credentials as the step config, the real component
run by docker/sail.sh, runners sharing one ledger directory, kills while starting, at
random instants, and at the instant an output appears).

What is asserted, per input (outputs mapped back by their parentMessageId header):
* not lost: at least one output, and the step's queue ends with no message and no
  consumer after the last runner stopped (so nothing is left unacknowledged);
* exactly one outcome: data or error, never both, the one the input calls for, with
  the right content (the orders asked for and not found; the order's items; the error
  naming the field or the MWS error);
* exactly one outgoing messageId: no second, different message for the same input;
* repeats: the runtime cannot make "publish" and "ack" one atomic step (ledger.py):
  a runner killed after the broker took a publication but before the ledger line
  was written publishes it again when the input comes back. Such a repeat is allowed
  only as a copy: the same messageId and the same content (for an MWS error, the same
  name and message but for the request id it names, as the request was made again),
  so a consumer that drops repeated messageIds sees each output once; at most one
  per kill.
  They are counted and printed (by how the runner was killed); the "output" kills
  aim at that window on purpose, so repeats are expected from them, and the random
  ("timer") kills almost never produce one.
"""

from datetime import datetime, timezone

import pytest

from testkit.runtime import started_broker_uri

from .runtime_kills import KillPlan, run_kill_soak
from .soak_results import write_section

SECTION = "# Runtime kill soak: last results"


@pytest.fixture(scope="module")
def amqp_uri():
    return started_broker_uri()


def assert_every_input_once(counts, plan, min_kills):
    problems = "\n".join(counts.problems)
    assert counts.kills >= min_kills, f"only {counts.kills} kills: the run proves little about crashes"
    assert counts.lost == 0, problems
    assert counts.duplicated == 0, problems
    assert counts.wrong_outcome == 0, problems
    assert counts.unknown_parent == 0
    assert counts.data == counts.expected_data and counts.errors == counts.expected_errors, problems
    assert counts.data + counts.errors == plan.inputs
    # Repeats: exact copies only (same messageId, same content), at most one per kill.
    assert counts.repeats_not_identical == 0, problems
    assert counts.repeats <= counts.kills
    assert counts.output_messages == plan.inputs + counts.repeats
    assert counts.distinct_message_ids == plan.inputs
    assert counts.leftover == {"rebounds": 0, "snapshots": 0, "other": 0, "listen": 0}, counts.leftover
    assert not counts.problems, problems  # e.g. the step's queue not settled
    assert counts.expected_data > 0 and counts.expected_errors > 0  # both outcomes exercised
    for fault in ("throttle", "error500"):
        assert counts.faults.get(fault), f"no {fault} fault was injected: {counts.faults}"


@pytest.mark.rabbitmq
@pytest.mark.parametrize("function, time_scale", [("getOrder", 300), ("listOrderItems", 10)])
def test_short_action_run_with_kills_answers_every_input_once(function, time_scale, amqp_uri, tmp_path):
    # Quotas sped up just enough for a run of about 10 s: a handful of kills, not one every input.
    plan = KillPlan(function=function, inputs=60, seed=11, time_scale=time_scale, time_limit=120)
    counts = run_kill_soak(plan, amqp_uri, tmp_path, log=lambda line: print("\n" + line))
    assert_every_input_once(counts, plan, min_kills=5)


@pytest.mark.rabbitmq
@pytest.mark.soak
def test_soak_runtime_actions_with_dozens_of_kills(amqp_uri, tmp_path):
    # Both within 10 minutes together (each plan fails on its own time limit).
    plans = [KillPlan(function="getOrder", inputs=1000, seed=2024, time_scale=600, time_limit=270),
             KillPlan(function="listOrderItems", inputs=1000, seed=2025, time_scale=10, time_limit=300)]
    results = []
    for plan in plans:
        workdir = tmp_path / plan.function
        workdir.mkdir()
        results.append((plan, run_kill_soak(plan, amqp_uri, workdir, log=lambda line: print("\n" + line))))
    _write_results(results)
    for plan, counts in results:
        assert_every_input_once(counts, plan, min_kills=24)


def _write_results(results):
    """This soak's section of bench/soak-results.md (the other sections stay)."""
    lines = [f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `make soak` "
             "(tests/proof/test_runtime_kill_soak.py::test_soak_runtime_actions_with_dozens_of_kills).", "",
             "The real component's actions run by `docker/sail.sh` over the private RabbitMQ, against the "
             "sandbox (faults: throttle 10 %, 500 5 %, dropped 2 %, truncated 1 %, slow 5 %); encrypted inputs "
             "with unique messageIds, about a quarter of them invalid; runners sharing one ledger directory, "
             "each SIGKILLed while starting, at a random instant 0.3–1.5 s after it began consuming, or at the "
             "instant one of its outputs reached the test (aimed at the window between the broker taking a "
             "publication and the input's ack); then one last runner stopped with SIGTERM. Outputs mapped "
             "back to inputs by parentMessageId.", "",
             "| Count | " + " | ".join(f"{p.function} ({p.inputs:,} inputs)" for p, _ in results) + " |",
             "|---|" + "---|" * len(results)]

    def row(name, value):
        lines.append(f"| {name} | " + " | ".join(value(c) for _, c in results) + " |")

    row("Inputs (expected data / error)", lambda c: f"{c.inputs:,} ({c.expected_data:,} / {c.expected_errors:,})")
    row("Data messages (inputs)", lambda c: f"{c.data:,}")
    row("Error messages (inputs)", lambda c: f"{c.errors:,}")
    row("Lost", lambda c: str(c.lost))
    row("Duplicated (a second messageId or outcome)", lambda c: str(c.duplicated))
    row("Wrong outcome or content", lambda c: str(c.wrong_outcome))
    row("Repeats with the same messageId and content",
        lambda c: f"{c.repeats} ({', '.join(f'{k} {v}' for k, v in sorted(c.repeats_by_mode.items())) or 'none'})")
    row("Output messages read / distinct messageIds", lambda c: f"{c.output_messages:,} / {c.distinct_message_ids:,}")
    row("Kills (SIGKILL)", lambda c: f"{c.kills} ({', '.join(f'{k} {v}' for k, v in sorted(c.kills_by_mode.items()))})")
    row("Runners started", lambda c: str(c.runners))
    row("Redeliveries found in the ledger / publications not repeated",
        lambda c: f"{c.replays} / {c.ledger_skips}")
    row("Requests the sandbox answered", lambda c: f"{c.requests:,}")
    row("Faults injected", lambda c: ", ".join(f"{k} {v}" for k, v in sorted(c.faults.items())))
    row("Time", lambda c: f"{c.seconds:.0f} s")
    write_section(SECTION, "\n".join(lines))
