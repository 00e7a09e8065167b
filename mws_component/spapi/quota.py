"""The SP-API quota model: a token bucket per operation per selling partner and region.

SP-API limits each operation with a token bucket: tokens come back at the
plan's rate per second up to its burst, each call spends one (SP-API: Usage
Plans and Rate Limits). The buckets start from the operation's row
(operations.py: the models' default plans); an answer's `x-amzn-RateLimit-Limit`
(the rate the server applies to this seller and application, "when
available") replaces the rate, since a seller may have a higher plan. A 429
blocks the bucket for about one restore interval (1/rate) rather than a blind
exponential. Every interval is divided by `time_scale` (a sandbox run faster).
"""

import threading
import time

# MERGE: core's mws_component/quota.py has TokenBucket (the same methods as throttle.TokenBucket) and
# errors.QuotaExhausted; the lead repoints these imports (and may swap the dict below for its QuotaBook).
from ..throttle import TokenBucket
try:
    from ..errors import QuotaExhausted
except ImportError:  # core's errors.QuotaExhausted is not merged yet; same .retry_after
    from ..throttle import QuotaWaitTooLong as QuotaExhausted

RATE_HEADER = "x-amzn-ratelimit-limit"
MAX_SLEEP = 5.0  # re-check at least this often: another thread's answer may have corrected the bucket
_MAX_SANE_RATE = 10000.0


class SpApiQuota:
    """The bucket one operation draws on for one seller and region."""

    def __init__(self, key, plan, time_scale, now):
        self.key = key
        self.plan = plan
        self.rate = float(plan.rate)  # the rate in force: the plan's, or the server's last word
        self.time_scale = float(time_scale)
        self.bucket = TokenBucket(plan.burst, 1.0 / self.rate / self.time_scale, now)

    @property
    def interval(self):
        """Seconds (on the scaled clock) to restore one request."""
        return self.bucket.interval

    def __repr__(self):
        return f"SpApiQuota({self.plan.key}, rate={self.rate:g}/s, burst={self.plan.burst})"


class SpApiQuotaModel:
    def __init__(self, time_scale=1.0, clock=time.monotonic, sleep=time.sleep):
        self.time_scale = float(time_scale)
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._quotas = {}

    def quota_for(self, request, seller_key):
        plan = request.operation.quota
        key = (seller_key, plan.key)
        with self._lock:
            quota = self._quotas.get(key)
            if quota is None:
                quota = self._quotas[key] = SpApiQuota(key, plan, self.time_scale, self.clock())
            return quota

    def acquire(self, quota, deadline=None):
        """Wait for a token; QuotaExhausted(retry_after) when it would come after `deadline` (on `clock`)."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock()
                delay = quota.bucket.delay(now)
                if delay <= 0:
                    quota.bucket.take(now)
                    return waited
            if deadline is not None and now + delay > deadline:
                raise QuotaExhausted(f"{quota.plan.key}: the next request is allowed in {delay:.0f} s "
                                     f"(usage plan {quota.rate:g}/s, burst {quota.plan.burst}), later than "
                                     "this call may wait", retry_after=delay)
            step = min(delay, MAX_SLEEP)
            self.sleep(step)
            waited += step

    def observe(self, quota, answer):
        """An answer's x-amzn-RateLimit-Limit replaces the bucket's rate (the burst stays the plan's)."""
        rate = _rate(answer.headers.get(RATE_HEADER) if answer.headers else None)
        if rate is None:
            return
        with self._lock:
            if rate != quota.rate:
                now = self.clock()
                quota.bucket.delay(now)  # bring the bucket up to now at the old rate first
                quota.rate = rate
                quota.bucket.interval = 1.0 / rate / self.time_scale

    def throttled(self, quota, answer):
        """The server answered 429: no request for about one restore interval; return that wait."""
        self.observe(quota, answer)
        with self._lock:
            now = self.clock()
            quota.bucket.block_until(now + quota.bucket.interval, now)
            return quota.bucket.interval

    def next_delay(self, quota):
        with self._lock:
            return quota.bucket.delay(self.clock())


def _rate(value):
    try:
        rate = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return rate if 0 < rate <= _MAX_SANE_RATE else None
