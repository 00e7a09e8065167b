"""JSON-lines logs without credentials, and the emit rate limiter."""

import io
import json
import logging

from mws_sailor import logs
from mws_sailor.logs import JsonLineFormatter, SecretRegistry
from mws_sailor.throttle import RateLimiter


def log_line(secrets, message, *args, **extra):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLineFormatter({"flowId": "f1", "stepId": "step_1"}, secrets))
    logger = logging.getLogger("test.logs")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logs.MessageLogger(logger, {"messageId": "m1"}).info(message, *args, extra=extra)
    return json.loads(stream.getvalue())


def test_one_json_object_with_level_time_and_context():
    entry = log_line(SecretRegistry(), "processing %s", "x", outcome="ack")
    assert entry["level"] == "info" and entry["message"] == "processing x"
    assert entry["time"].endswith("Z") and "T" in entry["time"]
    assert (entry["flowId"], entry["stepId"], entry["messageId"], entry["outcome"]) == ("f1", "step_1", "m1", "ack")


def test_credentials_never_reach_a_line():
    secrets = SecretRegistry()
    secrets.add("s3cret-api-key")
    secrets.add_config({"secretAccessKey": "AKIA-SECRET-VALUE", "sellerId": "A1SELLER", "oauth": {"token": "tok-123456"}})
    entry = log_line(secrets, "calling with s3cret-api-key to amqp://user:pa55word@host:5672/ for AKIA-SECRET-VALUE "
                              "and tok-123456", apiKey="whatever-value", sellerId="A1SELLER")
    text = json.dumps(entry)
    for secret in ("s3cret-api-key", "pa55word", "AKIA-SECRET-VALUE", "tok-123456", "whatever-value"):
        assert secret not in text
    assert "A1SELLER" in text  # not a credential: stays readable


def test_level_from_env():
    assert logs.level_from_env({}) == logging.INFO
    assert logs.level_from_env({"LOG_LEVEL": "trace"}) == logging.DEBUG
    assert logs.level_from_env({"LOG_LEVEL": "WARN"}) == logging.WARNING
    assert logs.level_from_env({"LOG_LEVEL": "nonsense"}) == logging.INFO


def test_rate_limiter_allows_limit_per_interval():
    now = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(2, 100, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.acquire()
    # 5 emits at 2 per 100 ms: the 3rd waits for the 1st window to pass, the 5th for the next.
    assert round(now[0], 3) == 0.2 and len(slept) == 2
