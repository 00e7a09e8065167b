"""Keeping the broker connections alive while a function runs on the main thread.

pika's BlockingConnection answers heartbeats only when it is called. The main
thread runs each message's function itself (no thread hand-off per message, the
fastest path with prefetch 1), so a function running for minutes would let the
broker drop the connections. This thread calls `keep_alive()` on both every few
seconds; the connections' locks keep it away while the main thread uses them.
"""

import threading


class HeartbeatKeeper(threading.Thread):
    def __init__(self, connections, interval_seconds=5.0):
        super().__init__(name="heartbeat-keeper", daemon=True)
        self.connections = connections
        self.interval = interval_seconds
        self._stopped = threading.Event()

    def run(self):
        while not self._stopped.wait(self.interval):
            for connection in self.connections:
                connection.keep_alive()

    def stop(self):
        self._stopped.set()
