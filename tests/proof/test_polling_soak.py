"""List Orders under faults and crashes: every order version emitted, repeats only from a crashed page.

A polling process (poller.py) runs the trigger poll after poll against a sandbox
whose orders keep changing and which throttles, fails, drops, cuts and delays
answers; it is SIGKILLed at random points (mid-page, right after an emit, right
before a snapshot, at random instants) and restarted from its snapshot file.
"""

from datetime import datetime, timezone

import pytest

from .polling import SoakPlan, run_soak
from .soak_results import write_section


def assert_every_version_once_but_crashed_pages(counts, plan):
    print("\n" + counts.summary())
    assert counts.crashes >= 1, "no process was killed: the test proves nothing about crashes"
    assert counts.lost == 0
    assert counts.repeated_outside_crashes == 0
    assert all(repeats <= plan.page_size for repeats in counts.repeats_per_crash), counts.repeats_per_crash
    assert counts.unstable_ids == 0  # each message id is stable_id(amazonOrderId, lastUpdateDate)
    assert counts.emitted == counts.versions_expected + sum(counts.repeats_per_crash)
    for fault in ("throttle", "error500", "drop"):  # slow answers are not logged as faults
        assert counts.faults.get(fault), f"no {fault} fault was injected: {counts.faults}"


def test_short_polling_run_with_kills_loses_and_repeats_nothing(tmp_path):
    plan = SoakPlan(orders=1000, polls=25, page_size=25, changes_per_tick=(5, 60), crash_rate=0.5, seed=7)
    counts = run_soak(plan, tmp_path, log=lambda line: None)
    assert_every_version_once_but_crashed_pages(counts, plan)


@pytest.mark.soak
def test_soak_ten_thousand_changing_orders_polled_with_kills(tmp_path):
    plan = SoakPlan(orders=10_000, polls=300, page_size=100, changes_per_tick=(20, 250), crash_rate=0.35, seed=2024)
    counts = run_soak(plan, tmp_path)
    _write_results(plan, counts)
    assert_every_version_once_but_crashed_pages(counts, plan)


def _write_results(plan, counts):
    """The last soak's counts, for the README to quote (its own section of bench/soak-results.md)."""
    write_section(
        "# List Orders soak: last results",
        f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `make soak` "
        "(tests/proof/test_polling_soak.py::test_soak_ten_thousand_changing_orders_polled_with_kills).\n\n"
        f"{plan.orders:,} orders changing between {plan.polls} polls ({plan.changes_per_tick[0]}–"
        f"{plan.changes_per_tick[1]} changes a tick, {plan.shared_stamp_rate:.0%} of ticks sharing one timestamp), "
        f"pages of {plan.page_size}; faults: throttle 20 %, 500 5 %, dropped 2 %, truncated 1 %, slow 5 %; "
        f"the polling process SIGKILLed in about {plan.crash_rate:.0%} of polls.\n\n"
        "| Count | Value |\n|---|---|\n"
        f"| Order versions that existed (all observable) | {counts.versions_expected:,} |\n"
        f"| Emitted messages | {counts.emitted:,} |\n"
        f"| Lost | {counts.lost} |\n"
        f"| Repeated outside a crashed page | {counts.repeated_outside_crashes} |\n"
        f"| Crashes (SIGKILL) | {counts.crashes} |\n"
        f"| Repeats per crash (max; page size {plan.page_size}) | {max(counts.repeats_per_crash, default=0)} |\n"
        f"| Repeats after crashes, total | {sum(counts.repeats_per_crash):,} |\n"
        f"| Message ids not stable_id(order, lastUpdateDate) | {counts.unstable_ids} |\n"
        f"| Polls (ended in an error, continued by the next) | {counts.polls} ({counts.failed_polls}: "
        f"{', '.join(f'{k} {v}' for k, v in sorted(counts.poll_errors.items())) or 'none'}) |\n"
        f"| Requests the sandbox answered | {counts.requests:,} |\n"
        f"| Faults injected | {', '.join(f'{k} {v}' for k, v in sorted(counts.faults.items()))} |\n"
        f"| Time | {counts.seconds:.0f} s |\n")
