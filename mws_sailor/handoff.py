"""Handing work from worker threads to the main thread, which alone may touch the broker connections."""

import queue
import threading


class HandoffClosed(Exception):
    pass


class _Call:
    __slots__ = ("fn", "args", "done", "result", "error", "wait")

    def __init__(self, fn, args, wait):
        self.fn, self.args, self.wait = fn, args, wait
        self.done = threading.Event() if wait else None
        self.result = self.error = None


class MainThreadCalls:
    def __init__(self, wake=lambda: None):
        self._queue = queue.SimpleQueue()
        self._wake = wake
        self._closed = False

    def call(self, fn, *args):
        """From a worker: run FN on the main thread, wait, and return its result or raise its error."""
        request = self._put(fn, args, wait=True)
        while not request.done.wait(0.5):
            if self._closed:
                raise HandoffClosed("the runtime is shutting down")
        if request.error is not None:
            raise request.error
        return request.result

    def post(self, fn, *args):
        """From a worker: run FN on the main thread later; do not wait."""
        self._put(fn, args, wait=False)

    def _put(self, fn, args, wait):
        if self._closed:
            raise HandoffClosed("the runtime is shutting down")
        request = _Call(fn, args, wait)
        self._queue.put(request)
        self._wake()
        return request

    def run_pending(self):
        """On the main thread: run everything handed over so far. Returns how many calls ran."""
        count = 0
        while True:
            try:
                request = self._queue.get_nowait()
            except queue.Empty:
                return count
            count += 1
            try:
                request.result = request.fn(*request.args)
            except Exception as exc:  # handed back to the waiting worker
                request.error = exc
                if not request.wait:
                    raise
            finally:
                if request.done is not None:
                    request.done.set()

    def close(self):
        self._closed = True
