"""JSON-lines logging with the step's context, and without credentials.

One JSON object per line: level, message, time, the step's context (flow, step,
execution, component, function, ...) and, inside a message's processing, its
message id, parent message id and thread id. Known secret values (API key,
encryption password, broker password, the step's credential fields) are
replaced by "***" in every line, and user:password@ in URLs is removed, so a
careless log call cannot leak them. Message bodies are logged at debug level only.

(Named logs.py rather than logging.py so it never shadows the standard module.)
"""

import json
import logging
import os
import re
import sys
import threading
import time

ROOT_LOGGER = "mws_sailor"

LEVELS = {
    "trace": logging.DEBUG, "debug": logging.DEBUG, "info": logging.INFO,
    "warn": logging.WARNING, "warning": logging.WARNING, "error": logging.ERROR,
    "fatal": logging.CRITICAL, "critical": logging.CRITICAL,
}
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s:]+:[^/@\s]*@")
_SECRET_KEY_NAME = re.compile(r"pass|secret|token|key|auth|credential", re.IGNORECASE)
# Attributes every LogRecord has; anything else came in through `extra`.
_STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class SecretRegistry:
    """The secret strings that must never appear in a log line."""

    MIN_LENGTH = 4  # shorter values would blank out ordinary words

    def __init__(self):
        self._secrets = set()
        self._sorted = None
        self._lock = threading.Lock()

    def add(self, value):
        if isinstance(value, str) and len(value) >= self.MIN_LENGTH:
            with self._lock:
                self._secrets.add(value)

    def add_config(self, cfg):
        """Register the values of credential-looking fields of a step config."""
        for key, value in (cfg or {}).items():
            if _SECRET_KEY_NAME.search(str(key)):
                if isinstance(value, dict):
                    self.add_config(value)
                else:
                    self.add(value)

    def scrub(self, text):
        if "@" in text:
            text = _URL_CREDENTIALS.sub(r"\g<scheme>", text)
        for secret in self._longest_first:
            if secret in text:
                text = text.replace(secret, "***")
        return text

    @property
    def _longest_first(self):
        # Longest first, so a secret that contains another is replaced whole.
        with self._lock:
            if self._sorted is None or len(self._sorted) != len(self._secrets):
                self._sorted = sorted(self._secrets, key=len, reverse=True)
            return self._sorted


SECRETS = SecretRegistry()


class JsonLineFormatter(logging.Formatter):
    def __init__(self, context=None, secrets=SECRETS):
        super().__init__()
        self.context = dict(context or {})
        self.secrets = secrets

    def format(self, record):
        entry = {
            "level": record.levelname.lower(),
            "message": record.getMessage(),
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "logger": record.name,
            **self.context,
        }
        for key in record.__dict__.keys() - _STANDARD_ATTRIBUTES:
            if not key.startswith("_"):
                entry[key] = "***" if _SECRET_KEY_NAME.search(key) else record.__dict__[key]
        if record.exc_info:
            entry["stack"] = self.formatException(record.exc_info)
        return self.secrets.scrub(json.dumps(entry, ensure_ascii=False, default=str))


def level_from_env(env=None):
    name = (env if env is not None else os.environ).get("LOG_LEVEL") or "info"
    return LEVELS.get(name.strip().lower(), logging.INFO)


def setup(context=None, level=None, stream=None):
    """Send the runtime's and the component's logs to STREAM as JSON lines."""
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonLineFormatter(context))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level if level is not None else level_from_env())
    # Fields nobody reads here, each a call per log line.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    # pika narrates every connection step at info level; keep its warnings only.
    logging.getLogger("pika").setLevel(max(logging.WARNING, root.level))
    return logging.getLogger(ROOT_LOGGER)


class MessageLogger(logging.LoggerAdapter):
    """A logger that adds one message's ids to every line."""

    def process(self, msg, kwargs):
        kwargs["extra"] = {**self.extra, **(kwargs.get("extra") or {})}
        return msg, kwargs


def message_logger(name, message_id=None, parent_message_id=None, thread_id=None):
    extra = {k: v for k, v in (("messageId", message_id), ("parentMessageId", parent_message_id),
                               ("threadId", thread_id)) if v}
    return MessageLogger(logging.getLogger(name), extra)
