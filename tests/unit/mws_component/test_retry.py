"""retry.decide: every outcome kind, the attempts limit, the deadline, unsafe failures of non-idempotent calls."""

import random

import pytest

from mws_component.retry import Decision, Outcome, RetryPolicy, decide

POLICY = RetryPolicy(max_attempts=5, base_delay=1.0, max_delay=30.0)


class Fixed:
    """An rng whose random() is always `value` (0.5: no jitter either way)."""

    def __init__(self, value=0.5):
        self.value = value

    def random(self):
        return self.value


def decided(kind, attempt=1, remaining=1000.0, **outcome):
    return decide(attempt, Outcome(kind, **outcome), POLICY, elapsed=0.0, remaining=remaining, rng=Fixed())


def test_ok_and_final_are_never_retried():
    assert decided("ok") == Decision(False, reason="succeeded")
    final = decided("final")
    assert not final.retry and final.after == 0


def test_throttled_waits_what_the_quota_model_said_jittered_within_ten_percent():
    assert decided("throttled", wait_hint=60.0) == Decision(True, 60.0, "throttled by the server")
    low = decide(1, Outcome("throttled", wait_hint=60.0), POLICY, elapsed=0, remaining=1000, rng=Fixed(0.0))
    high = decide(1, Outcome("throttled", wait_hint=60.0), POLICY, elapsed=0, remaining=1000, rng=Fixed(1.0))
    assert (low.after, high.after) == pytest.approx((54.0, 66.0))


def test_throttled_without_a_hint_backs_off():
    assert decided("throttled", attempt=2).after == pytest.approx(POLICY.backoff(2, Fixed()) * 1.0)


@pytest.mark.parametrize("kind", ["server_error", "transport_safe", "transport_unsafe"])
def test_transient_failures_back_off_exponentially(kind):
    waits = [decided(kind, attempt=n).after for n in (1, 2, 3, 4)]
    assert all(decided(kind, attempt=n).retry for n in (1, 2, 3, 4))
    assert waits == sorted(waits) and waits[0] < 1.0 < waits[2]
    assert waits == [POLICY.backoff(n, Fixed()) for n in (1, 2, 3, 4)]


def test_backoff_is_capped_at_max_delay():
    assert decided("server_error", attempt=4, remaining=1e9).after <= POLICY.max_delay
    long = RetryPolicy(max_attempts=50)
    assert decide(40, Outcome("server_error"), long, elapsed=0, remaining=1e9, rng=Fixed(1.0)).after == long.max_delay


@pytest.mark.parametrize("kind", ["throttled", "server_error", "transport_safe", "transport_unsafe"])
def test_the_last_attempt_gives_up(kind):
    assert decided(kind, attempt=POLICY.max_attempts - 1, wait_hint=1.0).retry
    last = decided(kind, attempt=POLICY.max_attempts, wait_hint=1.0)
    assert not last.retry and "gave up after 5 attempt(s)" in last.reason


@pytest.mark.parametrize("kind", ["throttled", "server_error", "transport_safe"])
def test_a_wait_beyond_the_deadline_gives_up(kind):
    assert decided(kind, wait_hint=10.0, remaining=11.0).retry
    late = decided(kind, wait_hint=10.0, remaining=0.1)
    assert not late.retry and "deadline" in late.reason


def test_a_non_idempotent_call_is_never_sent_again_after_an_unsafe_failure():
    unsafe = decided("transport_unsafe", idempotent=False)
    assert not unsafe.retry and "not safe to send twice" in unsafe.reason
    # ... but a failure that surely never reached the server is sent again, and so are server answers
    assert decided("transport_safe", idempotent=False).retry
    assert decided("server_error", idempotent=False).retry
    assert decided("throttled", idempotent=False, wait_hint=2.0).retry


@pytest.mark.parametrize("kind", ["clock_skew", "auth_expired"])
def test_re_signing_and_refreshing_happen_once_at_once(kind):
    first = decided(kind)
    assert first.retry and first.after == 0.0
    assert decided(kind, attempt=POLICY.max_attempts).retry  # not counted against the attempts
    again = decided(kind, times=2)
    assert not again.retry and "again" in again.reason
    assert not decided(kind, remaining=0.0).retry


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown outcome kind"):
        Outcome("maybe")


def test_policy_scaled_for_a_faster_clock():
    fast = POLICY.scaled(100)
    assert (fast.base_delay, fast.max_delay, fast.max_elapsed) == (0.01, 0.3, 3.0)
    assert POLICY.scaled(1) is POLICY


def test_decide_is_pure():
    rng = random.Random(7)
    first = decide(2, Outcome("server_error"), POLICY, elapsed=1, remaining=100, rng=rng)
    rng = random.Random(7)
    assert decide(2, Outcome("server_error"), POLICY, elapsed=1, remaining=100, rng=rng) == first
