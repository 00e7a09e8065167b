"""The message loop of one flow step: `mws-component sail` (sailor-nodejs run.js and lib/sailor.js).

The main thread consumes the step's queue and handles one message at a time:
decrypt, call the function, publish each emit as it happens (confirmed, retried),
then ack the input when no error was emitted, or reject it without requeue. A
heartbeat keeper thread answers the broker while a function runs for minutes.
With a prefetch above 1 the extra deliveries wait in the client, in order (the
Node sailor would run them concurrently; the MWS functions are quota-bound, and
one at a time keeps the per-message cost at its lowest).

Duplicates: a delivery whose (messageId, reboundIteration) was completed a moment
ago - a redelivery after a lost connection, or the same message published twice
- is not processed again; it is settled like the first one (the Node sailor
2.7.7+ likewise skips a redelivery of a message in progress).

Crash safety (SIGKILL in the middle of a message) is described in ledger.py.
"""

import collections
import copy
import logging
import signal
import threading
import uuid

from . import protocol
from .amqp import CONNECTION_ERRORS, Consumer, Publisher, connection_parameters, safe_host
from .api import PlatformApi
from .component import Component
from .crypto import MessageCipher
from .emitter import Publications, now_ms
from .executor import ACK, REJECT, MessageJob, SnapshotStore, StepRuntime
from .heartbeat import HeartbeatKeeper
from .inputs import InputError, check_object
from .ledger import Ledger, message_key
from .logs import SECRETS
from .throttle import RateLimiter

log = logging.getLogger("mws_sailor.sailor")

WAIT_SECONDS = 0.25        # longest wait for a delivery before looking at signals again
COMPLETED_REMEMBERED = 10000
KEEPER_SECONDS = 5.0


def keeper_interval(amqp_uri):
    """Often enough for the heartbeat the URI asks for (the broker's default is 60 s)."""
    heartbeat = connection_parameters(amqp_uri, "read").heartbeat
    if isinstance(heartbeat, (int, float)) and heartbeat > 0:
        return min(KEEPER_SECONDS, heartbeat / 3.0)
    return KEEPER_SECONDS


class Sailor:
    def __init__(self, settings, api=None, component=None):
        self.settings = settings
        self.api = api or PlatformApi(settings.api_uri, settings.api_username, settings.api_key,
                                      settings.api_request_retry_attempts, settings.api_request_retry_delay)
        self.component = component
        self.consumer = None
        self.publisher = None
        self.runtime = None
        self.keeper = None
        # message key -> (outcome, ledger) of recently finished messages, oldest first.
        self.completed = collections.OrderedDict()
        self._stop_requested = False
        SECRETS.add(settings.api_key)
        SECRETS.add(settings.message_crypto_password)

    # -- startup and shutdown -------------------------------------------------

    def run(self):
        """Run until SIGTERM/SIGINT; the process exit code."""
        if self.settings.hook_shutdown:
            return self.run_shutdown_hook()
        s = self.settings
        self.consumer = Consumer(s.amqp_uri, s.listen_messages_on, s.rabbitmq_prefetch_sailor,
                                 s.amqp_reconnect_attempts, s.amqp_reconnect_timeout, WAIT_SECONDS)
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
        self._install_signal_handlers()
        self.keeper = HeartbeatKeeper([self.consumer, self.publisher], keeper_interval(s.amqp_uri))
        self.keeper.start()
        try:
            self.consumer.start_consuming()
            log.info("consuming", extra={"queue": s.listen_messages_on, "prefetch": s.rabbitmq_prefetch_sailor})
            return self._loop()
        finally:
            self._close()

    def _prepare_step(self, cipher, publications):
        s = self.settings
        config, snapshot, step, step_error = {}, {}, {}, None
        try:
            step = self.api.get_step(s.flow_id, s.step_id)
            config = check_object(step.get("config") or {}, "cfg")
            snapshot = check_object(step["snapshot"] if step.get("snapshot") is not None else {}, "snapshot")
        except InputError as exc:  # as for a function that cannot be loaded: every message reports it
            log.error("the step's config or snapshot cannot be used", extra={"error": str(exc)})
            step_error, config, snapshot = exc, {}, {}
        SECRETS.add_config(config)
        component = self.component or Component(s.component_root)
        module, load_error = None, None
        try:
            module = component.load_function(s.function)
        except Exception as exc:  # as in Node: every message then reports it
            log.error("cannot load the function", extra={"function": s.function, "error": str(exc)})
            load_error = exc
        if module is not None and step_error is None:
            self._run_start_hooks(module, config)
        return StepRuntime(
            settings=s, cipher=cipher, publications=publications, publish=self.publisher.publish_all,
            api=self.api, ledger=Ledger(s.ledger_dir),
            throttles={"data": RateLimiter(s.data_rate_limit, s.rate_interval),
                       "error": RateLimiter(s.error_rate_limit, s.rate_interval),
                       "snapshot": RateLimiter(s.snapshot_rate_limit, s.rate_interval)},
            config=config, is_passthrough=step.get("is_passthrough") is True,
            variables=step.get("variables") if isinstance(step.get("variables"), dict) else {},
            snapshots=SnapshotStore(snapshot),
            module=module, load_error=step_error or load_error)

    def _run_start_hooks(self, module, config):
        if self.settings.startup_required and callable(getattr(module, "startup", None)):
            data = module.startup(copy.deepcopy(config))
            self.api.store_startup_data(self.settings.flow_id, data if data is not None else {})
        if callable(getattr(module, "init", None)):
            module.init(copy.deepcopy(config))

    def _publish_startup_error(self, publications, exc):
        headers = protocol.outgoing_headers(self.settings, {}, str(uuid.uuid4()), now_ms())
        try:
            self.publisher.publish_all(publications.error(protocol.error_record(exc), headers))
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
                module.shutdown(copy.deepcopy(step.get("config") or {}), data)
            self.api.delete_startup_data(s.flow_id)
            return 0
        except Exception as exc:
            log.error("shutdown hook failed", extra={"error": f"{type(exc).__name__}: {exc}"})
            return 1

    def _install_signal_handlers(self):
        if threading.current_thread() is not threading.main_thread():
            return  # embedded in a test thread: stop() is called instead

        def on_signal(signum, _frame):
            log.info("stopping: no new messages; finishing the one in progress",
                     extra={"signal": signal.Signals(signum).name})
            self.stop()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    def stop(self):
        self._stop_requested = True

    def _close(self):
        if self.keeper is not None:
            self.keeper.stop()
        if self.runtime is not None:
            self.runtime.ledger.close()
        if self.consumer is not None:
            self.consumer.close()
        if self.publisher is not None:
            self.publisher.close()

    # -- the loop -----------------------------------------------------------

    def _loop(self):
        while True:
            # A signal arrives between messages or while waiting for one: the
            # message in progress always finishes first.
            if self._stop_requested:
                self.consumer.stop_consuming()
                log.info("stopped cleanly")
                return 0
            try:
                if not self.consumer.is_open:
                    self._reconnect()
                delivery = self.consumer.next_delivery()
                if delivery is not None:
                    self._handle(delivery)
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
        # Deliveries of the old connection are void: the broker requeues them.
        self.consumer.connect(consume=not self._stop_requested)
        log.info("reconnected to the broker")

    # -- one delivery -----------------------------------------------------------

    def _handle(self, delivery):
        key = message_key(getattr(delivery.properties, "headers", None) or {})
        if key is not None and key in self.completed:
            outcome, ledger = self.completed[key]
            log.warning("duplicate delivery of a message just processed; not processed again",
                        extra={"messageId": key.split("|")[0], "redelivered": delivery.redelivered})
            self._settle(delivery, outcome, ledger, key)
            return
        job = MessageJob(self.runtime, delivery)
        try:
            outcome = job.run()
        except CONNECTION_ERRORS:
            raise
        except Exception:  # a fault of the runtime itself: do not let the message loop forever
            log.exception("unexpected failure while processing a message; rejecting it")
            outcome = REJECT
        self._settle(delivery, outcome, job.ledger, key)

    def _settle(self, delivery, outcome, ledger, key):
        # Remembered first: if the connection breaks during the ack, the redelivery
        # is settled without running the function again.
        self._remember(key, outcome, ledger)
        settled = self.consumer.ack(delivery) if outcome == ACK else self.consumer.reject(delivery)
        if settled:
            if ledger is not None:
                ledger.discard()
            self._remember(key, outcome, None)
        else:
            log.warning("the message's channel is gone; settling its redelivery instead")

    def _remember(self, key, outcome, ledger):
        if key is None:
            return
        self.completed[key] = (outcome, ledger)
        self.completed.move_to_end(key)
        while len(self.completed) > COMPLETED_REMEMBERED:
            self.completed.popitem(last=False)
