"""Emit rate limits: at most LIMIT emits of a kind per INTERVAL ms, as the Node sailor throttles them."""

import collections
import threading
import time


class RateLimiter:
    def __init__(self, limit, interval_ms, clock=time.monotonic, sleep=time.sleep):
        self.limit = max(1, int(limit))
        self.interval = interval_ms / 1000.0
        self._times = collections.deque()
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def acquire(self):
        """Block the calling (worker) thread until one more emit is allowed."""
        while True:
            with self._lock:
                now = self._clock()
                while self._times and now - self._times[0] >= self.interval:
                    self._times.popleft()
                if len(self._times) < self.limit:
                    self._times.append(now)
                    return
                wait = self.interval - (now - self._times[0])
            self._sleep(max(wait, 0.0005))
