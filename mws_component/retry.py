"""Whether to send a request again, decided from the outcome of one attempt: pure, no HTTP, no sleeping.

The pipeline classifies each attempt into an `Outcome` (an error Amazon answered
classifies itself through `error.outcome_kind`, set by its API's envelope parser)
and asks `decide()`:

- ok, final: done (return or raise);
- throttled: wait about what the quota model says (its restore interval, or until its reset), jittered;
- server_error, transport_safe: jittered exponential backoff;
- transport_unsafe (the request may have arrived): like server_error when the operation is
  idempotent; never again when it is not (SubmitFeed may have been accepted);
- clock_skew (MWS RequestExpired: the answer taught us the server's clock) and
  auth_expired (SP-API: an access token that expired): once, at once, then final.

Every retry is bounded by the attempts allowed and by the time left before the call's deadline.
"""

import random
from dataclasses import dataclass, replace

KINDS = ("ok", "throttled", "server_error", "transport_safe", "transport_unsafe", "clock_skew", "auth_expired", "final")
_ONCE = {"clock_skew": "sign again with the server's clock", "auth_expired": "fetch a fresh access token"}
_BACKOFF = {"server_error": "the service failed for a moment", "transport_safe": "the request never arrived",
            "transport_unsafe": "the answer was lost"}


@dataclass(frozen=True)
class RetryPolicy:
    max_elapsed: float = 300.0  # total seconds one call may spend, waits included (when no deadline is given)
    max_attempts: int = 10
    base_delay: float = 1.0
    max_delay: float = 30.0

    def scaled(self, time_scale):
        """The same policy on a faster clock (for a sandbox run with --time-scale)."""
        if time_scale == 1:
            return self
        return replace(self, base_delay=self.base_delay / time_scale, max_delay=self.max_delay / time_scale,
                       max_elapsed=self.max_elapsed / time_scale)

    def backoff(self, attempt, rng=random):
        """Jittered exponential: about 1 s, 2.5 s, 6 s, 15 s, 30 s (the Amazon MWS Developer Guide,
        Errors, suggests retrying after 1, 4, 10 and 30 seconds)."""
        ceiling = min(self.max_delay, self.base_delay * (2.5 ** (attempt - 1)))
        return ceiling / 2 + rng.random() * ceiling / 2


@dataclass(frozen=True)
class Outcome:
    kind: str
    idempotent: bool = True
    wait_hint: float | None = None  # e.g. the throttled quota's restore interval
    error: Exception | None = None
    times: int = 1  # how often this kind has come in this call, this attempt included

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown outcome kind {self.kind!r}")


@dataclass(frozen=True)
class Decision:
    retry: bool
    after: float = 0.0
    reason: str = ""


def decide(attempt, outcome, policy, *, elapsed, remaining, rng=random):
    """Retry after `after` seconds, or give up (with the reason)."""
    kind = outcome.kind
    if kind == "ok":
        return Decision(False, reason="succeeded")
    if kind == "final":
        return Decision(False, reason="not worth sending again")
    if kind in _ONCE:
        if outcome.times > 1:
            return Decision(False, reason=f"{kind} again after one retry")
        if remaining <= 0:
            return Decision(False, reason=f"no time left after {elapsed:.1f} s")
        return Decision(True, 0.0, _ONCE[kind])
    if kind == "transport_unsafe" and not outcome.idempotent:
        return Decision(False, reason="the request may have arrived and is not safe to send twice")
    if kind == "throttled":
        hint = outcome.wait_hint if outcome.wait_hint is not None else policy.backoff(attempt, rng)
        wait, why = max(hint, 0.0) * (0.9 + 0.2 * rng.random()), "throttled by the server"
    else:
        wait, why = policy.backoff(attempt, rng), _BACKOFF[kind]
    if attempt >= policy.max_attempts:
        return Decision(False, reason=f"gave up after {attempt} attempt(s)")
    if wait > remaining:
        return Decision(False, reason=f"gave up after {attempt} attempt(s): the next in {wait:.1f} s "
                                      f"would pass the call's deadline ({elapsed:.1f} s spent)")
    return Decision(True, wait, why)
