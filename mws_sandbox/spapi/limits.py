"""Usage plans: a token bucket per (seller, operation) refilling at the plan's rate up to its burst.

SP-API: Usage Plans and Rate Limits. Buckets run on sandbox time; `time_scale` refills X times faster.
"""

import threading


class UsageBuckets:
    def __init__(self, clock, *, time_scale=1.0, enabled=True):
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self.clock = clock
        self.time_scale = time_scale
        self.enabled = enabled
        self._lock = threading.Lock()
        self._buckets = {}  # (seller, operation) -> [tokens, updated_ms]

    def take(self, seller_id, operation, plan):
        """Spend one call; False when the bucket is empty (the caller answers 429)."""
        if not self.enabled:
            return True
        now = self.clock.now_ms()
        with self._lock:
            bucket = self._buckets.setdefault((seller_id, operation), [float(plan.burst), now])
            elapsed_s = max(0, now - bucket[1]) / 1000 * self.time_scale
            bucket[0] = min(float(plan.burst), bucket[0] + elapsed_s * plan.rate)
            bucket[1] = now
            if bucket[0] < 1:
                return False
            bucket[0] -= 1
            return True
