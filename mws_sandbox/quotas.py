"""Amazon's request quotas: a token bucket per (seller, quota group), on server time.

Figures come from the sandbox's own table (tables.QuotaGroup: burst size,
restore interval, hourly cap), written from Amazon's pages, not from the
client's throttle. `time_scale` restores X times faster, so a test sees a
restore without waiting a minute.
"""

import math
import threading
from dataclasses import dataclass

from .apierror import ApiError
from .clock import format_ms

HOUR_MS = 3_600_000


@dataclass
class _Bucket:
    tokens: float
    updated_ms: int
    window: int = -1  # index of the hourly window `hour_count` belongs to
    hour_count: int = 0


class QuotaBook:
    def __init__(self, clock, *, time_scale=1.0, enabled=True):
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self.clock = clock
        self.time_scale = time_scale
        self.enabled = enabled
        self._lock = threading.Lock()
        self._buckets = {}

    def charge(self, seller_id, group):
        """Take one request from the group's quota; the response headers, or 503 ApiError with them."""
        if not self.enabled:
            return {}
        now = self.clock.now_ms()
        restore_ms = group.restore_seconds * 1000 / self.time_scale
        with self._lock:
            bucket = self._buckets.get((seller_id, group.name))
            if bucket is None:
                bucket = self._buckets[(seller_id, group.name)] = _Bucket(float(group.max_request), now)
            elapsed = max(0, now - bucket.updated_ms)
            bucket.tokens = min(float(group.max_request), bucket.tokens + elapsed / restore_ms)
            bucket.updated_ms = now

            if group.hourly is not None:
                window_ms = HOUR_MS / self.time_scale
                window = math.floor(now / window_ms)
                if window != bucket.window:
                    bucket.window, bucket.hour_count = window, 0
                resets_ms = math.ceil((window + 1) * window_ms)
                if bucket.hour_count >= group.hourly:
                    headers = self._headers(group.hourly, 0, resets_ms)
                    raise ApiError("QuotaExceeded",
                                   f"You exceeded your quota of {float(group.hourly)} requests per 1 hour for "
                                   f"operation {group.name}. Your quota will reset on {format_ms(resets_ms)}",
                                   headers=headers)
            if bucket.tokens < 1:
                raise ApiError("RequestThrottled", "Request is throttled",
                               headers=self._report(group, bucket, now, restore_ms))
            bucket.tokens -= 1
            if group.hourly is not None:
                bucket.hour_count += 1
            return self._report(group, bucket, now, restore_ms)

    def _report(self, group, bucket, now, restore_ms):
        """Quota headers; groups with an hourly cap report it, as Amazon did for Feeds (recorded 2020 answers)."""
        if group.hourly is not None:
            resets_ms = math.ceil((bucket.window + 1) * HOUR_MS / self.time_scale)
            return self._headers(group.hourly, group.hourly - bucket.hour_count, resets_ms)
        # resetsOn: when the next whole request's worth of quota is back (now, if the bucket is full).
        if bucket.tokens >= group.max_request:
            next_ms = now
        else:
            next_ms = now + math.ceil((math.floor(bucket.tokens) + 1 - bucket.tokens) * restore_ms)
        return self._headers(group.max_request, math.floor(bucket.tokens), next_ms)

    @staticmethod
    def _headers(maximum, remaining, resets_ms):
        return {"x-mws-quota-max": f"{float(maximum)}",
                "x-mws-quota-remaining": f"{float(remaining)}",
                "x-mws-quota-resetsOn": format_ms(resets_ms)}
