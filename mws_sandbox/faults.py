"""Fault injection: throttles, 500s, dropped connections, slow and truncated answers, wrong MD5s.

Off by default. Each request draws from the injector's own `Random(seed)`,
always the same number of draws, so a run of sequential requests meets the
same faults every time for a given seed and configuration (a third draw is
made only when `md5_mismatch` is on, so older configurations keep their
sequences).
"""

import random
import threading
from dataclasses import dataclass

THROTTLE, ERROR500, DROP, TRUNCATE = "throttle", "error500", "drop", "truncate"
MD5_MISMATCH = "md5_mismatch"


@dataclass(frozen=True)
class FaultConfig:
    throttle: float = 0.0  # answer 503 RequestThrottled instead of the real answer
    error500: float = 0.0  # answer 500 InternalError instead of the real answer
    drop: float = 0.0  # close the connection without answering
    slow: float = 0.0  # wait `slow_seconds` before answering (combines with the others)
    slow_seconds: float = 0.5
    truncate: float = 0.0  # send the real answer's headers, part of its body, then close
    # GetFeedSubmissionResult: the real report with a wrong Content-MD5 (a client must fetch it again)
    md5_mismatch: float = 0.0
    seed: int = 0

    def __post_init__(self):
        rates = (self.throttle, self.error500, self.drop, self.slow, self.truncate, self.md5_mismatch)
        if any(not 0.0 <= r <= 1.0 for r in rates):
            raise ValueError("fault rates must be between 0 and 1")
        if self.throttle + self.error500 + self.drop + self.truncate > 1.0:
            raise ValueError("throttle + error500 + drop + truncate must not exceed 1")
        if self.slow_seconds < 0:
            raise ValueError("slow_seconds must not be negative")

    @property
    def active(self):
        return any((self.throttle, self.error500, self.drop, self.slow, self.truncate, self.md5_mismatch))


@dataclass(frozen=True)
class Fault:
    kind: str | None  # one of THROTTLE, ERROR500, DROP, TRUNCATE, or None
    delay: float  # seconds to wait first
    md5_mismatch: bool = False  # spoil the answer's Content-MD5, if it has one and no other fault applies


NO_FAULT = Fault(None, 0.0)


class FaultInjector:
    def __init__(self, config=None):
        self._lock = threading.Lock()
        self.config = config or FaultConfig()

    @property
    def config(self):
        return self._config

    @config.setter
    def config(self, config):
        with self._lock:
            self._config = config
            self._rng = random.Random(config.seed)

    def draw(self):
        """The fault for the next request (NO_FAULT most of the time)."""
        with self._lock:
            config = self._config
            if not config.active:
                return NO_FAULT
            pick, slow = self._rng.random(), self._rng.random()
            md5 = self._rng.random() if config.md5_mismatch else 1.0
        kind = None
        edge = 0.0
        for name, rate in ((THROTTLE, config.throttle), (ERROR500, config.error500),
                           (DROP, config.drop), (TRUNCATE, config.truncate)):
            edge += rate
            if pick < edge:
                kind = name
                break
        return Fault(kind, config.slow_seconds if slow < config.slow else 0.0, md5 < config.md5_mismatch)
