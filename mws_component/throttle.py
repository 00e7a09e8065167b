"""Client-side quota keeping: wait for a token rather than be throttled.

One token bucket per quota group (operations that share a quota share a
bucket), seeded from Amazon's published figures in operations.py and
corrected by the x-mws-quota-* headers when the server sends them. Groups
with an hourly quota get a second bucket for the hour. Buckets live in a
process-wide registry keyed by endpoint and seller, so every function run
for the same seller in one process draws on the same quota, as Amazon counts it.
"""

import threading
import time
from datetime import datetime, timezone

from dateutil.parser import isoparse, parse as parse_date

from .errors import ConnectorError


class QuotaWaitTooLong(ConnectorError):
    """The next token is further away than the time this call may wait."""

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


class TokenBucket:
    def __init__(self, capacity, interval, now):
        self.capacity = float(capacity)
        self.interval = float(interval)  # seconds to restore one request
        self.tokens = float(capacity)
        self.stamp = now
        self.blocked_until = 0.0

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
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) * self.interval

    def take(self, now):
        self._refill(now)
        self.tokens -= 1

    def set_remaining(self, remaining, now, capacity=None):
        self._refill(now)
        if capacity and capacity >= 1:
            self.capacity = float(capacity)
        self.tokens = max(0.0, min(self.capacity, float(remaining)))

    def block_until(self, when, now):
        self._refill(now)
        self.tokens = min(self.tokens, 0.0)
        self.blocked_until = max(self.blocked_until, when)


class Quota:
    """The buckets of one quota group for one seller."""

    def __init__(self, group, time_scale, now):
        self.group = group
        self.burst = TokenBucket(group.max_request, group.restore_seconds / time_scale, now)
        self.hourly = TokenBucket(group.hourly, 3600.0 / group.hourly / time_scale, now) if group.hourly else None

    def buckets(self):
        return (self.burst, self.hourly) if self.hourly else (self.burst,)


class Throttle:
    def __init__(self, time_scale=1.0, clock=time.monotonic, sleep=time.sleep):
        self.time_scale = float(time_scale)
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._quotas = {}

    def quota(self, key, group):
        with self._lock:
            q = self._quotas.get((key, group.name))
            if q is None:
                q = self._quotas[(key, group.name)] = Quota(group, self.time_scale, self.clock())
            return q

    def acquire(self, quota, deadline=None):
        """Block until a request of this group may go out; return the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock()
                delay = max(b.delay(now) for b in quota.buckets())
                if delay <= 0:
                    for b in quota.buckets():
                        b.take(now)
                    return waited
            if deadline is not None and now + delay > deadline:
                raise QuotaWaitTooLong(
                    f"{quota.group.name}: the next request is allowed in {delay:.0f} s, "
                    f"later than this call may wait", retry_after=delay)
            self.sleep(min(delay, 5.0))  # re-check: another thread may have been corrected meanwhile
            waited += min(delay, 5.0)

    def observe(self, quota, headers, server_offset=0.0):
        """Correct the buckets from x-mws-quota-* headers (names lower-cased) (int or float values;
        RFC 1123 or ISO 8601 reset times). Amazon reports the hourly figures
        for groups that have an hourly quota."""
        remaining = _number(headers.get("x-mws-quota-remaining"))
        if remaining is None:
            return
        maximum = _number(headers.get("x-mws-quota-max"))
        resets_on = parse_reset_time(headers.get("x-mws-quota-resetson"))
        with self._lock:
            now = self.clock()
            bucket = quota.hourly or quota.burst
            bucket.set_remaining(remaining, now, capacity=maximum)
            if remaining < 1 and resets_on is not None:
                wall_wait = (resets_on - datetime.now(timezone.utc)).total_seconds() - server_offset
                bucket.block_until(now + max(0.0, wall_wait) / self.time_scale, now)

    def throttled(self, quota, code, headers, server_offset=0.0):
        """The server refused for quota: wait about one restore interval (or
        until the hourly reset), not a blind exponential."""
        with self._lock:
            now = self.clock()
            if code == "QuotaExceeded" and quota.hourly:
                resets_on = parse_reset_time(headers.get("x-mws-quota-resetson"))
                if resets_on is not None:
                    wall_wait = (resets_on - datetime.now(timezone.utc)).total_seconds() - server_offset
                    quota.hourly.block_until(now + max(0.0, wall_wait) / self.time_scale, now)
                else:
                    quota.hourly.block_until(now + quota.hourly.interval, now)
            else:
                quota.burst.block_until(now + quota.burst.interval, now)

    def next_delay(self, quota):
        with self._lock:
            now = self.clock()
            return max(b.delay(now) for b in quota.buckets())


def _number(value):
    if value is None:
        return None
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def parse_reset_time(value):
    """A reset time in RFC 1123 (documented) or ISO 8601 (seen in 2020 traffic), as aware UTC."""
    if not value:
        return None
    value = value.strip()
    try:
        when = isoparse(value)
    except ValueError:
        try:
            when = parse_date(value)
        except (ValueError, OverflowError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


DEFAULT_THROTTLE = Throttle()
