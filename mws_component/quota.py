"""Client-side quota keeping, shared by every API: wait for a token rather than be throttled.

A `TokenBucket` holds the requests one quota allows now (a burst capacity,
one restored every `interval` seconds) and can be corrected from what the
server says (`set_remaining`, `block_until`). A `QuotaBook` holds the buckets
of one endpoint, keyed by (seller key, quota key), so every client for a seller
in one process draws on the same quota, as Amazon counts it. Each API's quota
model (mws/quota.py, and SP-API's per-operation rates) decides which buckets a
call draws on and how its answers' headers correct them.

Times are monotonic seconds; `time_scale` speeds the restore rates up for a
sandbox run with --time-scale.
"""

import threading
import time

from .errors import QuotaExhausted


LEAD_CAP = 1.0  # seconds: the most a bucket's lead adds to a wait (jitter is in real time, not scaled)
LEAD_FLOOR = 0.05  # seconds: the least it adds (at most half an interval), for fast operations


class TokenBucket:
    """`lead`: when the bucket must wait, it waits this fraction of an interval (at least LEAD_FLOOR
    seconds or half an interval, whichever is less, and at most LEAD_CAP seconds) past the moment the
    token is back. The server counts from when each request arrives, which is later than our count by
    a time that varies (the network, a busy machine, the server's millisecond clock); a request paced
    exactly at the rate is throttled whenever it happens to arrive sooner than the first one did. The
    lead costs one lead once: the fraction it waited stays in the bucket, so the requests after it go
    exactly one interval apart.

    `count_from_answer` does the rest for such a server, once per bucket: its first answer shows how
    long the call took, and the server took its token somewhere in between, so the bucket counts that
    token from the answer instead of from the send (behind the server's count, never ahead of it)."""

    def __init__(self, capacity, interval, now, lead=0.0):
        self.capacity = float(capacity)
        self.interval = float(interval)  # seconds to restore one request
        self.tokens = float(capacity)
        self.stamp = now
        self.blocked_until = 0.0
        self.lead = float(lead)
        self.answered = False   # count_from_answer was applied

    @property
    def margin(self):
        if not self.lead:
            return 0.0
        return min(max(self.lead * self.interval, min(LEAD_FLOOR, self.interval / 2)), LEAD_CAP)

    def count_from_answer(self, sent, now):
        """The first answer (see the class): the token taken at `sent` counts from `now`."""
        if self.answered or now <= sent:
            return
        self.answered = True
        self._refill(now)
        self.tokens -= (now - sent) / self.interval

    def _refill(self, now):
        if self.blocked_until and now >= self.blocked_until:
            # the wait the server asked for is over: at least one request may go
            self.tokens = max(self.tokens, 1.0)
            self.blocked_until = 0.0
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) / self.interval)
            self.stamp = now

    def delay(self, now):
        """Seconds until a request may be sent."""
        self._refill(now)
        if now < self.blocked_until:
            return self.blocked_until - now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) * self.interval + self.margin

    def take(self, now):
        self._refill(now)
        self.tokens -= 1

    def set_remaining(self, remaining, now, capacity=None):
        self._refill(now)
        if capacity and capacity >= 1:
            self.capacity = float(capacity)
        self.tokens = max(0.0, min(self.capacity, float(remaining)))

    def set_interval(self, interval, now):
        """A new restore rate (SP-API's x-amzn-RateLimit-Limit says it per answer)."""
        self._refill(now)
        if interval > 0:
            self.interval = float(interval)

    def block_until(self, when, now):
        self._refill(now)
        self.tokens = min(self.tokens, 0.0)
        self.blocked_until = max(self.blocked_until, when)


class QuotaBook:
    """The buckets of one endpoint, thread-safe; intervals given in real seconds are time-scaled here."""

    MAX_NAP = 5.0  # a waiting thread looks again this often: another may have corrected the bucket meanwhile

    def __init__(self, time_scale=1.0, clock=time.monotonic, sleep=time.sleep):
        self.time_scale = float(time_scale)
        self.clock = clock
        self.sleep = sleep
        self.lock = threading.RLock()
        self._buckets = {}

    def bucket(self, seller_key, quota_key, capacity, interval, lead=0.0):
        """The bucket of (seller, quota), made on first use with `capacity`, one request
        restored every `interval` real seconds, and its `lead` (see TokenBucket)."""
        with self.lock:
            found = self._buckets.get((seller_key, quota_key))
            if found is None:
                found = self._buckets[(seller_key, quota_key)] = TokenBucket(
                    capacity, interval / self.time_scale, self.clock(), lead=lead)
            return found

    def acquire(self, buckets, deadline=None, what="quota"):
        """Block until one request may draw on every bucket, and take it; return the seconds waited.
        Raises QuotaExhausted (nothing taken) when that is later than `deadline`."""
        waited = 0.0
        while True:
            with self.lock:
                now = self.clock()
                delay = max(b.delay(now) for b in buckets)
                if delay <= 0:
                    for b in buckets:
                        b.take(now)
                    return waited
            if deadline is not None and now + delay > deadline:
                raise QuotaExhausted(f"{what}: the next request is allowed in {delay:.0f} s, "
                                     f"later than this call may wait", retry_after=delay)
            nap = min(delay, self.MAX_NAP)
            self.sleep(nap)
            waited += nap

    def delay(self, buckets):
        with self.lock:
            now = self.clock()
            return max(b.delay(now) for b in buckets)

    def set_remaining(self, bucket, remaining, capacity=None):
        with self.lock:
            bucket.set_remaining(remaining, self.clock(), capacity=capacity)

    def block_for(self, bucket, real_seconds):
        """No request from this bucket for `real_seconds` of real (unscaled) time, e.g. until a reset the server named."""
        with self.lock:
            now = self.clock()
            bucket.block_until(now + max(0.0, real_seconds) / self.time_scale, now)

    def block_one_interval(self, bucket):
        """No request from this bucket until it has restored one (a server throttle)."""
        with self.lock:
            now = self.clock()
            bucket.block_until(now + bucket.interval, now)
