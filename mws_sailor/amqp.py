"""The two broker connections of the runtime, as the Node sailor opens them (sailor-nodejs lib/amqp.js).

`Consumer` owns the "-read" connection: prefetch, consume, ack/reject, reconnect.
`Publisher` owns the "-write" connection: a confirm channel, mandatory publishes,
and retries with exponential backoff (as lib/amqp.js retries), reconnecting as needed.

pika's BlockingConnection is not thread-safe and has no I/O thread of its own.
Each connection here is guarded by a lock, so it can be used from the main
thread, from a thread a function starts to emit, and from the heartbeat keeper
(`keep_alive()`, which only serves heartbeats while the main thread is inside a
function), one at a time.
"""

import logging
import socket
import threading
import time
from dataclasses import dataclass

import pika
import pika.exceptions

log = logging.getLogger("mws_sailor.amqp")

# Anything that means "this connection or channel is gone or unusable".
CONNECTION_ERRORS = (pika.exceptions.AMQPConnectionError, pika.exceptions.AMQPChannelError, OSError)

PROPERTY_NAMES = ("content_type", "content_encoding", "headers", "delivery_mode", "priority",
                  "correlation_id", "reply_to", "expiration", "message_id", "timestamp", "type",
                  "user_id", "app_id", "cluster_id")


class PublishFailed(Exception):
    pass


def connection_parameters(uri, role):
    params = pika.URLParameters(uri)
    params.client_properties = {"connection_name": f"{socket.gethostname()}-{role}",
                                "product": "mws_sailor"}
    return params


def properties_dict(properties):
    """pika BasicProperties -> the keyword arguments that rebuild them."""
    return {name: getattr(properties, name) for name in PROPERTY_NAMES
            if getattr(properties, name, None) is not None}


def safe_host(uri):
    """The broker's address without credentials, for logs."""
    params = pika.URLParameters(uri)
    return f"{params.host}:{params.port}{params.virtual_host if params.virtual_host != '/' else ''}"


def _close_quietly(connection):
    if connection is not None and connection.is_open:
        try:
            connection.close()
        except CONNECTION_ERRORS:
            pass


@dataclass
class Delivery:
    generation: int        # which consumer connection it came on; settling on an older one is void
    delivery_tag: int
    redelivered: bool
    properties: object     # pika BasicProperties
    body: bytes


class Consumer:
    """The read connection. Used by the main thread; `keep_alive()` may come from the heartbeat keeper."""

    def __init__(self, uri, queue, prefetch, reconnect_attempts=3, reconnect_delay_ms=100, wait_seconds=0.25):
        self.uri = uri
        self.queue = queue
        self.prefetch = prefetch
        self.reconnect_attempts = max(1, reconnect_attempts)
        self.reconnect_delay = reconnect_delay_ms / 1000.0
        self.wait_seconds = wait_seconds
        self.generation = 0
        self._lock = threading.RLock()
        self._connection = None
        self._channel = None
        self._deliveries = None

    @property
    def is_open(self):
        return bool(self._connection and self._connection.is_open and self._channel and self._channel.is_open)

    def connect(self, consume=True):
        """(Re)open the connection; raises the last error when every attempt failed."""
        with self._lock:
            self.close()
            delay = self.reconnect_delay
            for attempt in range(1, self.reconnect_attempts + 1):
                try:
                    self._connection = pika.BlockingConnection(connection_parameters(self.uri, "read"))
                    self._channel = self._connection.channel()
                    self._channel.basic_qos(prefetch_count=self.prefetch)
                    self.generation += 1
                    if consume:
                        self.start_consuming()
                    return
                except CONNECTION_ERRORS as exc:
                    _close_quietly(self._connection)
                    if attempt == self.reconnect_attempts:
                        raise
                    log.warning("cannot connect to the broker, retrying",
                                extra={"attempt": attempt, "error": f"{type(exc).__name__}: {exc}"})
                    time.sleep(delay)
                    delay *= 2

    def start_consuming(self):
        with self._lock:
            self._deliveries = self._channel.consume(self.queue, inactivity_timeout=self.wait_seconds)

    def stop_consuming(self):
        """basic.cancel; deliveries received but not yet taken are requeued."""
        with self._lock:
            if self._deliveries is not None and self.is_open:
                try:
                    self._channel.cancel()
                except CONNECTION_ERRORS:
                    pass
            self._deliveries = None

    def next_delivery(self):
        """The next delivery, or None after `wait_seconds` without one (heartbeats are served meanwhile)."""
        with self._lock:
            if self._deliveries is None:
                self._connection.process_data_events(time_limit=self.wait_seconds)
                return None
            method, properties, body = next(self._deliveries)
            if method is None:
                return None
            return Delivery(self.generation, method.delivery_tag, bool(method.redelivered), properties, body)

    def ack(self, delivery):
        return self._settle(delivery, lambda tag: self._channel.basic_ack(delivery_tag=tag))

    def reject(self, delivery):
        return self._settle(delivery, lambda tag: self._channel.basic_reject(delivery_tag=tag, requeue=False))

    def _settle(self, delivery, action):
        with self._lock:
            if delivery.generation != self.generation or not self.is_open:
                # The channel it came on is gone; the broker has requeued it already.
                return False
            action(delivery.delivery_tag)
            return True

    def keep_alive(self):
        """From the heartbeat keeper: serve heartbeats unless the main thread is using the connection."""
        if self._connection is None or not self._lock.acquire(blocking=False):
            return
        try:
            self._connection.process_data_events(time_limit=0)
        except CONNECTION_ERRORS:
            pass  # the main thread notices on its next call and reconnects
        finally:
            self._lock.release()

    def close(self):
        with self._lock:
            _close_quietly(self._connection)
            self._connection = self._channel = self._deliveries = None


class Publisher:
    def __init__(self, uri, exchange, retry_delay_ms=100, max_retry_delay_ms=300000,
                 retry_attempts=float("inf"), sleep=time.sleep):
        self.uri = uri
        self.exchange = exchange
        self.retry_delay = retry_delay_ms / 1000.0
        self.max_retry_delay = max_retry_delay_ms / 1000.0
        self.retry_attempts = retry_attempts
        self._sleep = sleep
        self._lock = threading.RLock()
        self._connection = None
        self._channel = None

    @property
    def is_open(self):
        return bool(self._connection and self._connection.is_open and self._channel and self._channel.is_open)

    def connect(self):
        with self._lock:
            self.close()
            self._connection = pika.BlockingConnection(connection_parameters(self.uri, "write"))
            self._channel = self._connection.channel()
            self._channel.confirm_delivery()

    def publish_all(self, publications):
        """Publish in order, each confirmed before the next; from any thread."""
        with self._lock:
            for publication in publications:
                self._publish(publication)

    def publish(self, publication):
        self.publish_all([publication])

    def _publish(self, publication):
        """Publish and wait for the broker's confirm; retry with backoff on failures.

        An unroutable message (no queue bound) is confirmed by the broker and only
        logged, as with the Node sailor. Raises PublishFailed after the last attempt.
        """
        retry = 0
        while True:
            try:
                if not self.is_open:
                    self.connect()
                self._channel.basic_publish(self.exchange, publication.routing_key, publication.body,
                                            pika.BasicProperties(**publication.properties), mandatory=True)
                return
            except pika.exceptions.UnroutableError:
                log.warning("published message was unroutable",
                            extra={"event": publication.event, "routingKey": publication.routing_key})
                return
            except CONNECTION_ERRORS as exc:
                if not isinstance(exc, pika.exceptions.NackError):
                    self.close()
                retry += 1
                if retry > self.retry_attempts:
                    raise PublishFailed(f"publishing failed after {retry} attempts: {type(exc).__name__}: {exc}")
                delay = min(self.retry_delay * 2 ** (retry - 1), self.max_retry_delay)
                log.warning("publish failed, retrying", extra={
                    "event": publication.event, "retry": retry, "delayMs": int(delay * 1000),
                    "error": f"{type(exc).__name__}: {exc}"})
                publication.headers["retry"] = retry
                self._sleep(delay)

    def keep_alive(self):
        """Answer heartbeats while idle; a dead connection is reopened on the next publish."""
        if self._connection is None or not self._lock.acquire(blocking=False):
            return  # a worker is publishing: the connection is busy with I/O anyway
        try:
            self._connection.process_data_events(time_limit=0)
        except CONNECTION_ERRORS:
            self.close()
        finally:
            self._lock.release()

    def close(self):
        with self._lock:
            _close_quietly(self._connection)
            self._connection = self._channel = None
