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

from dataclasses import dataclass

from ..quota import TokenBucket

RATE_HEADER = "x-amzn-ratelimit-limit"
# SP-API's buckets count from each request's arrival: a call paced exactly at the rate is throttled
# whenever it arrives sooner than the one before it did. Wait a little past each token, and count the
# first call's token from its answer (quota.TokenBucket: lead, count_from_answer).
LEAD = 0.05
_MAX_SANE_RATE = 10000.0


@dataclass
class SpApiQuota:
    """The bucket one operation draws on for one seller and region."""

    plan: object  # the operation's UsagePlan
    bucket: TokenBucket
    time_scale: float
    sent: float | None = None   # when the token was taken (the book's clock)

    @property
    def rate(self):
        """The rate in force: the plan's, or the server's last word (requests per real second)."""
        return 1.0 / (self.bucket.interval * self.time_scale)

    @property
    def interval(self):
        """Seconds (on the scaled clock) to restore one request."""
        return self.bucket.interval

    def __repr__(self):
        return f"SpApiQuota({self.plan.key}, rate={self.rate:g}/s, burst={self.plan.burst})"


class SpApiQuotaModel:
    """Buckets kept in the endpoint's QuotaBook (`endpoint.quotas`), so every account of one base URL
    and seller draws on the same ones."""

    def __init__(self, book):
        self.book = book

    def quota_for(self, request, seller_key):
        plan = request.operation.quota
        return SpApiQuota(plan, self.book.bucket(seller_key, plan.key, plan.burst, plan.interval, lead=LEAD),
                          self.book.time_scale)

    def acquire(self, quota, deadline=None):
        """Wait for a token; QuotaExhausted(retry_after) when it would come after `deadline`."""
        waited = self.book.acquire((quota.bucket,), deadline,
                                   what=f"{quota.plan.key} (usage plan {quota.rate:g}/s, burst {quota.plan.burst})")
        quota.sent = self.book.clock()
        return waited

    def observe(self, quota, answer):
        """An answer's x-amzn-RateLimit-Limit replaces the bucket's rate (the burst stays the plan's); the
        bucket's first answer moves its count to the answer (TokenBucket.count_from_answer)."""
        rate = _rate(answer.headers.get(RATE_HEADER) if answer.headers else None)
        with self.book.lock:
            now = self.book.clock()
            if quota.sent is not None:
                quota.bucket.count_from_answer(quota.sent, now)
            if rate is not None:
                quota.bucket.set_interval(1.0 / rate / self.book.time_scale, now)

    def throttled(self, quota, answer):
        """The server answered 429: no request for about one restore interval; return that wait."""
        self.observe(quota, answer)
        self.book.block_one_interval(quota.bucket)
        return quota.bucket.interval

    def next_delay(self, quota):
        return self.book.delay((quota.bucket,))


def _rate(value):
    try:
        rate = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return rate if 0 < rate <= _MAX_SANE_RATE else None
