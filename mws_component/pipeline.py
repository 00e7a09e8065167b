"""One request through its stages, the same for every API, in the manner of botocore's endpoint.

    quota.acquire -> build() -> authorise(now = the endpoint's server clock) -> endpoint.exchange
    -> clock.learn -> quota.observe -> envelope.parse -> retry.decide -> again, or return / raise

Each stage is an object the API supplies: an `Authoriser` (MWS: Signature
Version 2, mws/signing.py; SP-API: a Login with Amazon access token), an
`Envelope` that parses every answer kind of its API into a result or an
`ApiError` that classifies itself, and a `QuotaModel` (MWS: quota groups with
x-mws-quota-* headers, mws/quota.py; SP-API: per-operation rates). The
pipeline knows no API.
"""

import logging
import random
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import BinaryIO, Callable, Protocol

from .errors import ApiError, TransportError, scrub
from .retry import Outcome, decide

log = logging.getLogger("mws_component.pipeline")
AT_ONCE = ("clock_skew", "auth_expired")  # retried at once, without a wait


@dataclass
class Request:
    operation: object  # the operation's row (has .name, .idempotent, .quota)
    method: str
    url: str  # full URL without query
    params: dict = field(default_factory=dict)  # query parameters, unencoded
    headers: dict = field(default_factory=dict)
    body: bytes | str | BinaryIO | None = None  # a seekable file is rewound on every attempt
    query: str | None = None  # the encoded query, set by the authoriser; sent after the URL's "?"

    def but(self, **changes):
        return replace(self, **changes)


@dataclass
class RawAnswer:
    status: int
    headers: dict  # lower-cased names
    body: bytes | None  # None when the body was streamed into `file`
    file: object = None  # the sink file holding a streamed body, positioned at its start
    size: int = 0
    md5: str | None = None  # base64 MD5 of a streamed body, computed while it arrived
    attempts: int = 1


class TransportFailure(Exception):
    """No readable answer (raised by Endpoint.exchange): `safe` is True when the request surely
    never reached the server."""

    def __init__(self, message, safe):
        super().__init__(message)
        self.safe = safe


class Authoriser(Protocol):
    secrets: tuple

    def prepare(self) -> None: ...  # before the quota is drawn (e.g. a token grant); may do nothing

    def authorise(self, request: Request, now: datetime) -> Request: ...

    def invalidate(self) -> None: ...


class Envelope(Protocol):
    def parse(self, request: Request, answer: RawAnswer) -> object: ...


class QuotaModel(Protocol):
    def quota_for(self, request: Request, seller_key) -> object: ...

    def acquire(self, quota, deadline) -> None: ...

    def observe(self, quota, answer: RawAnswer) -> None: ...

    def throttled(self, quota, answer: RawAnswer) -> float: ...


class Pipeline:
    def __init__(self, endpoint, authoriser, envelope, quota_model, retry_policy, *, seller_key, rng=None,
                 sleep=time.sleep, clock=time.monotonic):
        self.endpoint = endpoint
        self.authoriser = authoriser
        self.envelope = envelope
        self.quota_model = quota_model
        self.retry = retry_policy
        self.seller_key = seller_key
        self.rng = rng or random.Random()
        self.sleep = sleep
        self.clock = clock

    def run(self, build: Callable[[], Request], *, deadline=None, sink=None):
        """Send the request `build()` makes (afresh for every attempt) until a parsed success, or raise.

        Raises the ApiError of a final answer, TransportError when no answer could be had,
        QuotaExhausted when the local quota does not allow a request before `deadline`."""
        started = self.clock()
        deadline = started + self.retry.max_elapsed if deadline is None else deadline
        request = build()
        operation = request.operation
        quota = self.quota_model.quota_for(request, self.seller_key)
        seen = Counter()
        attempt = 0
        while True:
            attempt += 1
            answer_deadline = deadline
            try:
                # Anything slow the authoriser must do first (a token grant) is done before the quota is
                # drawn, so the request goes as soon as its turn comes: the server counts from arrival.
                self.authoriser.prepare()
                self.quota_model.acquire(quota, deadline)
                if attempt > 1:
                    request = build()
                signed = self.authoriser.authorise(request, self.endpoint.clock.now())
            except ApiError as error:
                # The authoriser's own service (e.g. the LWA token grant) throttled or failed for a moment,
                # after its own retries: an attempt of this call that never reached the operation.
                if error.outcome_kind not in ("throttled", "server_error"):
                    raise
                outcome, parsed = Outcome(error.outcome_kind, True, None, error), None
            else:
                # The deadline bounds when a request may start (quota waits, retries). A request sent
                # in time gets at least the policy's call time for its answer: a run's budget ending
                # while a page arrives must not throw the page away (the page in flight is read).
                answer_deadline = max(deadline, self.clock() + self.retry.max_elapsed)
                outcome, parsed = self._attempt(signed, quota, attempt, answer_deadline, sink)
            seen[outcome.kind] += 1
            outcome = replace(outcome, times=seen[outcome.kind])
            now = self.clock()
            # A re-sign or token refresh goes at once, within the answer's time (the request was sent
            # in time); every other retry waits, so it must fit before the caller's deadline.
            until = answer_deadline if outcome.kind in AT_ONCE else deadline
            decision = decide(attempt, outcome, self.retry, elapsed=now - started, remaining=until - now,
                              rng=self.rng)
            if outcome.kind == "ok":
                return parsed
            if not decision.retry:
                raise self._failure(operation, attempt, outcome, decision)
            if outcome.kind == "auth_expired":
                self.authoriser.invalidate()
            reason = scrub(outcome.error, self.authoriser.secrets)
            if outcome.kind == "throttled":
                log.info("%s throttled by the server (%s); waiting %.1f s", operation.name, reason, decision.after)
            elif outcome.kind in ("clock_skew", "auth_expired"):
                log.info("%s refused (%s); sending it again at once: %s", operation.name, reason, decision.reason)
            else:
                log.warning("%s attempt %d failed (%s); retrying in %.1f s (%s)", operation.name, attempt,
                            reason, decision.after, decision.reason)
            if decision.after > 0:
                self.sleep(decision.after)

    def _attempt(self, signed, quota, attempt, deadline, sink):
        """(Outcome, parsed success or None) of one exchange."""
        idempotent = signed.operation.idempotent
        try:
            answer = self.endpoint.exchange(signed, deadline=deadline, sink=sink)
        except TransportFailure as exc:
            return Outcome("transport_safe" if exc.safe else "transport_unsafe", idempotent, error=exc), None
        answer.attempts = attempt
        self.endpoint.clock.learn(answer.headers)
        self.quota_model.observe(quota, answer)
        try:
            parsed = self.envelope.parse(signed, answer)
        except ApiError as error:
            hint = self.quota_model.throttled(quota, answer) if error.outcome_kind == "throttled" else None
            return Outcome(error.outcome_kind, idempotent, hint, error), None
        return Outcome("ok", idempotent), parsed

    @staticmethod
    def _failure(operation, attempt, outcome, decision):
        if isinstance(outcome.error, ApiError):
            return outcome.error
        if outcome.kind == "transport_unsafe" and not outcome.idempotent:
            return TransportError(f"{operation.name}: {outcome.error} after the request was sent; it may have been "
                                  "accepted, so it is not sent again (check the submission list)")
        return TransportError(f"{operation.name}: {outcome.error}; {decision.reason}")
