"""The sandbox's idea of "now": real UTC time plus an offset that tests can move forward.

Everything time-dependent in the sandbox (the two-minute rule, timestamp
checks, quota restore, LastUpdateDate stamps) reads this clock, so
`advance(150)` gets a test past the two-minute rule without waiting.
Times are handled as integer milliseconds since the epoch: MWS dates carry
milliseconds, and integers compare exactly.
"""

import threading
import time
from datetime import datetime, timezone


def ms_to_datetime(ms):
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def datetime_to_ms(value):
    """Milliseconds since the epoch, rounded up: a bound of 10.0005 s admits stamps >= 10.001 s only."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    delta = value - datetime(1970, 1, 1, tzinfo=timezone.utc)
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return -(-micros // 1000)


def format_ms(ms):
    """xs:dateTime as Amazon writes it in responses: UTC, milliseconds, Z (2020-05-28T11:20:25.747Z)."""
    return ms_to_datetime(ms).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


class SandboxClock:
    """Server time = real UTC now + offset. Thread-safe."""

    def __init__(self, start_time=None):
        """`start_time`: the server time now (default: real now)."""
        self._lock = threading.Lock()
        self._offset_ms = 0 if start_time is None else datetime_to_ms(start_time) - self._real_ms()

    @staticmethod
    def _real_ms():
        return time.time_ns() // 1_000_000

    def now_ms(self):
        with self._lock:
            return self._real_ms() + self._offset_ms

    def now(self):
        return ms_to_datetime(self.now_ms())

    def advance(self, seconds):
        """Move server time forward (or back, with a negative value) by `seconds`."""
        with self._lock:
            self._offset_ms += round(seconds * 1000)
