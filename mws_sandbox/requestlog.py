"""A thread-safe record of the requests the sandbox saw, for test assertions."""

import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestRecord:
    action: str | None
    params: dict = field(repr=False)  # as received, without Signature
    status: int | None  # None: the connection was dropped without an answer
    method: str = "POST"
    path: str = "/"
    fault: str | None = None  # the injected fault, if any
    error_code: str | None = None
    request_id: str | None = None


class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._records = []

    def add(self, record):
        with self._lock:
            self._records.append(record)

    def __len__(self):
        with self._lock:
            return len(self._records)

    def __iter__(self):
        return iter(self.snapshot())

    def __getitem__(self, index):
        with self._lock:
            return self._records[index]

    def snapshot(self):
        with self._lock:
            return list(self._records)

    def clear(self):
        with self._lock:
            self._records.clear()

    def count(self, action=None, status=None, fault=None, error_code=None):
        """How many records match every given field."""
        return sum(1 for r in self.snapshot()
                   if (action is None or r.action == action) and (status is None or r.status == status)
                   and (fault is None or r.fault == fault) and (error_code is None or r.error_code == error_code))
