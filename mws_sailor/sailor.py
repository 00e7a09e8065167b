"""The message loop of one flow step: `mws-component sail` (PLATFORM.md §4.3).

Threads: the main thread owns both broker connections. It consumes, hands each
delivery to a worker thread (as many workers as the prefetch), publishes what the
workers' functions emit (confirmed, retried), and acks or rejects each input when
its worker is done: ack when no error was emitted, reject without requeue
otherwise. Heartbeats keep flowing while a function runs for minutes.

Deliveries are tracked by their messageId while in progress: a second delivery of
a messageId already in progress (a redelivery after a lost connection, or a
duplicate publish) is not processed; when the first finishes, every delivery of it
on the live channel is settled the same way (the Node sailor 2.7.7+ acks "the
newest" one; settling all also releases same-channel duplicates).

Crash safety (SIGKILL in the middle of a message) is described in ledger.py.
"""

import copy
import itertools
import logging
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from . import protocol
from .amqp import CONNECTION_ERRORS, Consumer, Publisher, safe_host
from .api import PlatformApi
from .component import Component
from .crypto import MessageCipher
from .emitter import Publications, now_ms
from .executor import ACK, MessageJob, SnapshotStore, StepRuntime
from .handoff import MainThreadCalls
from .ledger import Ledger
from .logs import SECRETS
from .throttle import RateLimiter

log = logging.getLogger("mws_sailor.sailor")

PUMP_SECONDS = 0.25   # longest wait for broker I/O before looking at signals and handoffs


@dataclass
class InFlight:
    """One message in progress and every delivery of it received meanwhile."""

    message_id: str | None
    deliveries: list = field(default_factory=list)
    job: MessageJob | None = None


class Sailor:
    def __init__(self, settings, api=None, component=None):
        self.settings = settings
        self.api = api or PlatformApi(settings.api_uri, settings.api_username, settings.api_key,
                                      settings.api_request_retry_attempts, settings.api_request_retry_delay)
        self.component = component
        self.calls = None
        self.consumer = None
        self.publisher = None
        self.runtime = None
        self.pool = None
        self.in_flight = {}
        self._anonymous_ids = itertools.count()
        self._stop_requested = False
        self._consuming = False
        SECRETS.add(settings.api_key)
        SECRETS.add(settings.message_crypto_password)

    # -- startup and shutdown -------------------------------------------------

    def run(self):
        """Run until SIGTERM/SIGINT; the process exit code."""
        if self.settings.hook_shutdown:
            return self.run_shutdown_hook()
        s = self.settings
        self.calls = MainThreadCalls()
        self.consumer = Consumer(s.amqp_uri, s.listen_messages_on, s.rabbitmq_prefetch_sailor, self._on_delivery,
                                 s.amqp_reconnect_attempts, s.amqp_reconnect_timeout)
        self.calls._wake = self.consumer.wake
        self.publisher = Publisher(s.amqp_uri, s.publish_messages_to, s.amqp_publish_retry_delay,
                                   s.amqp_publish_max_retry_delay, s.amqp_publish_retry_attempts)
        cipher = MessageCipher(s.message_crypto_password, s.message_crypto_iv)
        publications = Publications(s, cipher)
        try:
            self.publisher.connect()
            self.consumer.connect(consume=False)
        except CONNECTION_ERRORS as exc:
            log.error("cannot connect to the broker", extra={"broker": safe_host(s.amqp_uri), "error": str(exc)})
            return 1
        log.info("connected to the broker", extra={"broker": safe_host(s.amqp_uri)})
        try:
            self.runtime = self._prepare_step(cipher, publications)
        except Exception as exc:  # reported on the error queue, as the Node sailor does
            log.error("startup failed", extra={"error": f"{type(exc).__name__}: {exc}"})
            self._publish_startup_error(publications, exc)
            self._close()
            return 1
        self.pool = ThreadPoolExecutor(max_workers=max(1, s.rabbitmq_prefetch_sailor),
                                       thread_name_prefix="function")
        self._install_signal_handlers()
        try:
            self.consumer.start_consuming()
            self._consuming = True
            log.info("consuming", extra={"queue": s.listen_messages_on, "prefetch": s.rabbitmq_prefetch_sailor})
            return self._loop()
        finally:
            self._close()

    def _prepare_step(self, cipher, publications):
        s = self.settings
        step = self.api.get_step(s.flow_id, s.step_id)
        config = step.get("config") or {}
        SECRETS.add_config(config)
        component = self.component or Component(s.component_root)
        module, load_error = None, None
        try:
            module = component.load_function(s.function)
        except Exception as exc:  # as in Node: every message then reports it
            log.error("cannot load the function", extra={"function": s.function, "error": str(exc)})
            load_error = exc
        if module is not None:
            self._run_start_hooks(module, config)
        snapshot = step.get("snapshot")
        return StepRuntime(
            settings=s, cipher=cipher, publications=publications, publish=self.publisher.publish_all,
            api=self.api, ledger=Ledger(s.ledger_dir),
            throttles={"data": RateLimiter(s.data_rate_limit, s.rate_interval),
                       "error": RateLimiter(s.error_rate_limit, s.rate_interval),
                       "snapshot": RateLimiter(s.snapshot_rate_limit, s.rate_interval)},
            config=config, is_passthrough=step.get("is_passthrough") is True,
            variables=step.get("variables") or {},
            snapshots=SnapshotStore(snapshot if snapshot is not None else {}),
            module=module, load_error=load_error)

    def _run_start_hooks(self, module, config):
        if self.settings.startup_required and callable(getattr(module, "startup", None)):
            data = module.startup(copy.deepcopy(config))
            self.api.store_startup_data(self.settings.flow_id, data if data is not None else {})
        if callable(getattr(module, "init", None)):
            module.init(copy.deepcopy(config))

    def _publish_startup_error(self, publications, exc):
        headers = protocol.outgoing_headers(self.settings, {}, str(uuid.uuid4()), now_ms())
        try:
            for publication in publications.error(protocol.error_record(exc), headers):
                self.publisher.publish(publication)
        except Exception as publish_error:  # best effort: the process exits anyway
            log.error("cannot publish the startup error", extra={"error": str(publish_error)})

    def run_shutdown_hook(self):
        """ELASTICIO_HOOK_SHUTDOWN: call shutdown(cfg, startup data) and delete the data."""
        s = self.settings
        try:
            step = self.api.get_step(s.flow_id, s.step_id)
            SECRETS.add_config(step.get("config") or {})
            module = (self.component or Component(s.component_root)).load_function(s.function)
            data = self.api.get_startup_data(s.flow_id)
            if callable(getattr(module, "shutdown", None)):
                module.shutdown(step.get("config") or {}, data)
            self.api.delete_startup_data(s.flow_id)
            return 0
        except Exception as exc:
            log.error("shutdown hook failed", extra={"error": f"{type(exc).__name__}: {exc}"})
            return 1

    def _install_signal_handlers(self):
        if threading.current_thread() is not threading.main_thread():
            return  # embedded in a test thread: stop() is called instead

        def on_signal(signum, _frame):
            log.info("stopping: no new messages; finishing the ones in progress",
                     extra={"signal": signal.Signals(signum).name, "inProgress": len(self.in_flight)})
            self.stop()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    def stop(self):
        self._stop_requested = True

    def _close(self):
        if self.calls is not None:
            self.calls.close()
        if self.pool is not None:
            self.pool.shutdown(wait=not self.in_flight, cancel_futures=True)
        if self.consumer is not None:
            self.consumer.close()
        if self.publisher is not None:
            self.publisher.close()

    # -- the loop -----------------------------------------------------------

    def _loop(self):
        while True:
            try:
                self.calls.run_pending()
                if self._stop_requested and self._consuming:
                    self.consumer.stop_consuming()
                    self._consuming = False
                if self._stop_requested and not self.in_flight:
                    log.info("stopped cleanly")
                    return 0
                if not self.consumer.is_open:
                    self._reconnect()
                self.consumer.pump(PUMP_SECONDS)
                self.publisher.pump()
            except CONNECTION_ERRORS as exc:
                log.warning("lost the broker connection; reconnecting",
                            extra={"error": f"{type(exc).__name__}: {exc}"})
                try:
                    self._reconnect()
                except CONNECTION_ERRORS as final:
                    log.error("cannot reconnect to the broker; exiting so the platform restarts the step",
                              extra={"error": f"{type(final).__name__}: {final}"})
                    return 1

    def _reconnect(self):
        # Deliveries of the old connection are void: the broker requeues them, and
        # a redelivery of a message still in progress is matched by its messageId.
        self.consumer.connect(consume=not self._stop_requested)
        self._consuming = not self._stop_requested
        log.info("reconnected to the broker", extra={"inProgress": len(self.in_flight)})

    # -- deliveries -----------------------------------------------------------

    def _on_delivery(self, delivery):
        headers = getattr(delivery.properties, "headers", None) or {}
        message_id = headers.get("messageId")
        if message_id and message_id in self.in_flight:
            self.in_flight[message_id].deliveries.append(delivery)
            log.warning("duplicate delivery of a message in progress; not processed again",
                        extra={"messageId": message_id, "redelivered": delivery.redelivered})
            return
        key = message_id or f"anonymous-{next(self._anonymous_ids)}"
        entry = self.in_flight[key] = InFlight(message_id, [delivery])
        self.pool.submit(self._process, key, entry)

    def _process(self, key, entry):
        """Worker thread: run the message, then hand the ack/reject to the main thread."""
        outcome = None
        try:
            entry.job = MessageJob(self.runtime, entry.deliveries[0])
            outcome = entry.job.run()
        except Exception:
            log.exception("unexpected failure while processing a message; rejecting it")
        self.calls.post(self._finish, key, entry, outcome)

    def _finish(self, key, entry, outcome):
        """Main thread: settle every delivery of the message on the live channel, then forget it."""
        settled = 0
        try:
            for delivery in entry.deliveries:
                ok = self.consumer.ack(delivery) if outcome == ACK else self.consumer.reject(delivery)
                settled += bool(ok)
        finally:
            self.in_flight.pop(key, None)
        if not settled:
            log.warning("the message's channel is gone; the broker redelivers it",
                        extra={"messageId": entry.message_id})
        if settled and entry.job is not None and entry.job.ledger is not None:
            entry.job.ledger.discard()

