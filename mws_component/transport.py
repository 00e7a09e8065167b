"""Sending one MWS operation: throttle, sign afresh, send, retry what is transient.

Retried: RequestThrottled and QuotaExceeded (503), InternalError (500), 502,
503 and 504 answers, connection errors, timeouts and bodies cut off in
transit, with jittered backoff within a bounded total time. A throttled
request waits about one restore interval of its quota group. Every attempt is
signed again with a fresh Timestamp (a stale one fails after 15 minutes).
Anything else is raised at once.
"""

import base64
import hashlib
import logging
import random
import re
import time
from dataclasses import dataclass, replace

import requests
import urllib3
from urllib.parse import urlsplit

from . import errors, xmlsafe
from .errors import ResponseError, TransportError, redact_query, scrub
from .throttle import QuotaWaitTooLong, parse_reset_time

log = logging.getLogger("mws_component.transport")


class _RedactSignedQuery(logging.Filter):
    """urllib3 logs every request line at DEBUG, query string included; SubmitFeed's query carries
    the Signature and the MWSAuthToken. They are taken out before any handler sees the record."""

    def filter(self, record):
        text = record.getMessage()
        if "?" in text:
            record.msg, record.args = redact_query(text), None
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_RedactSignedQuery())

# Server clock minus ours, in seconds, per host: learnt from every answer and
# shared by every client in the process (the trigger needs the server's "now").
SERVER_OFFSETS = {}

MAX_BODY = 64 * 1024 * 1024  # an MWS XML answer is small; a larger one is refused, not buffered
MAX_STREAMED_BODY = 4 * 1024 ** 3  # reports are streamed to disk; beyond this something is wrong


@dataclass(frozen=True)
class RetryPolicy:
    max_elapsed: float = 300.0  # total seconds one call may spend, waits included
    max_attempts: int = 10
    base_delay: float = 1.0
    max_delay: float = 30.0
    connect_timeout: float = 10.0
    read_timeout: float = 120.0

    def scaled(self, time_scale):
        """The same policy on a faster clock (for a sandbox run with --time-scale)."""
        if time_scale == 1:
            return self
        return replace(self, base_delay=self.base_delay / time_scale, max_delay=self.max_delay / time_scale,
                       max_elapsed=self.max_elapsed / time_scale)

    def backoff(self, attempt, rng=random):
        """Jittered exponential: about 1 s, 2.5 s, 6 s, 15 s, 30 s (DG_Errors suggests 1, 4, 10, 30)."""
        ceiling = min(self.max_delay, self.base_delay * (2.5 ** (attempt - 1)))
        return ceiling / 2 + rng.random() * ceiling / 2


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes | None  # None when the body was streamed into `file`
    attempts: int
    file: object = None  # the sink file holding a streamed body, positioned at its start
    size: int = 0
    md5: str | None = None  # base64 MD5 of a streamed body, computed while it arrived


class Transport:
    def __init__(self, session, throttle, retry, secrets=(), clock=time.monotonic, sleep=time.sleep, rng=None):
        self.session = session
        self.throttle = throttle
        self.retry = retry
        self.secrets = secrets
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()

    def send(self, op, quota, prepare, deadline=None, sink=None):
        """Send until success or a final failure; `prepare()` builds a freshly
        signed (method, url, headers, body) for each attempt."""
        started = self.clock()
        deadline = started + self.retry.max_elapsed if deadline is None else deadline
        attempt = 0
        resigned = False
        while True:
            attempt += 1
            try:
                self.throttle.acquire(quota, deadline=deadline)
            except QuotaWaitTooLong as exc:
                raise errors.error_class("RequestThrottled")(
                    f"{op.name}: quota exhausted; {exc}", code="RequestThrottled", status=None) from None
            method, url, headers, body = prepare()
            try:
                answer = self._exchange(method, url, headers, body, attempt, sink, deadline)
            except _Retryable as exc:
                if not exc.safe and not op.idempotent:
                    raise TransportError(
                        f"{op.name}: {exc} after the request was sent; it may have been accepted, "
                        "so it is not sent again (check the submission list)") from None
                self._pause_or_give_up(op, attempt, deadline, str(exc), self.retry.backoff(attempt, self.rng))
                continue
            offset = self._learn_clock(url, answer.headers)
            self.throttle.observe(quota, answer.headers, offset)
            error = (self.error_of(answer) if answer.status != 200 or (answer.body is not None and _looks_like_error(answer.body))
                     else None)
            if error is None:
                return answer
            if error.code == "RequestExpired" and not resigned:
                # Its answer taught us the server's clock; sign again with it, once (also when an
                # earlier attempt got no answer to learn from).
                resigned = True
                continue
            if not _retryable(error):
                raise error
            if error.code in errors.THROTTLE_CODES:
                self.throttle.throttled(quota, error.code, answer.headers, offset)
                wait = max(self.throttle.next_delay(quota), 0.0) * (0.9 + 0.2 * self.rng.random())
                log.info("%s throttled by the server (%s); waiting %.1f s", op.name, error.code, wait)
            else:
                wait = self.retry.backoff(attempt, self.rng)
            self._pause_or_give_up(op, attempt, deadline, str(error), wait, error)

    def _pause_or_give_up(self, op, attempt, deadline, reason, wait, error=None):
        if attempt >= self.retry.max_attempts or self.clock() + wait > deadline:
            if error is not None:
                raise error
            raise TransportError(f"{op.name}: {reason}; gave up after {attempt} attempt(s)")
        log.warning("%s attempt %d failed (%s); retrying in %.1f s", op.name, attempt, scrub(reason, self.secrets), wait)
        self.sleep(wait)

    def _exchange(self, method, url, headers, body, attempt, sink=None, deadline=None):
        try:
            with self.session.request(method, url, headers=headers, data=body, stream=True,
                                      timeout=(self.retry.connect_timeout, self.retry.read_timeout),
                                      allow_redirects=False) as resp:
                if sink is not None and resp.status_code == 200:
                    return self._stream_into(sink(), resp, attempt)
                declared = resp.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > MAX_BODY:
                    raise ResponseError(f"answer of {declared} bytes is larger than the {MAX_BODY} allowed")
                chunks, size = [], 0
                for chunk in self._arriving(resp, deadline):
                    size += len(chunk)
                    if size > MAX_BODY:
                        raise ResponseError(f"answer larger than the {MAX_BODY} bytes allowed; refused")
                    chunks.append(chunk)
                return Answer(resp.status_code, _lower(resp.headers), b"".join(chunks), attempt)
        except requests.exceptions.ConnectTimeout as exc:
            raise _Retryable(f"cannot connect ({_reason(exc)})", safe=True) from None
        except (requests.exceptions.Timeout, urllib3.exceptions.ReadTimeoutError) as exc:
            raise _Retryable(f"timed out ({_reason(exc)})", safe=False) from None
        except requests.exceptions.ConnectionError as exc:
            if _never_connected(exc):
                raise _Retryable(f"cannot connect ({_reason(exc)})", safe=True) from None
            raise _Retryable(f"connection lost ({_reason(exc)})", safe=False) from None
        except (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError) as exc:
            raise _Retryable(f"answer cut off ({_reason(exc)})", safe=False) from None

    def _arriving(self, resp, deadline):
        """The body in pieces as they come. The read timeout bounds each wait, not the answer: a
        server sending a byte just within it would hold the call for hours, so the call's deadline
        is checked between pieces (read1 returns what one read brought, not a full 64 KB)."""
        read1 = getattr(resp.raw, "read1", None)
        if read1 is None or deadline is None:  # urllib3 1.x has no read1
            yield from resp.iter_content(65536)
            return
        while True:
            if self.clock() > deadline:
                raise _Retryable("answer still arriving when the call's time was up", safe=False)
            chunk = read1(65536, decode_content=True)
            if not chunk:
                return
            yield chunk

    @staticmethod
    def _stream_into(file, resp, attempt):
        """A successful body written to `file` as it arrives, its MD5 computed on the way."""
        digest, size = hashlib.md5(), 0
        for chunk in resp.iter_content(1 << 16):
            size += len(chunk)
            if size > MAX_STREAMED_BODY:
                raise ResponseError(f"answer larger than the {MAX_STREAMED_BODY} bytes allowed; refused")
            digest.update(chunk)
            file.write(chunk)
        file.flush()
        file.seek(0)
        return Answer(resp.status_code, _lower(resp.headers), None, attempt, file=file, size=size,
                      md5=base64.b64encode(digest.digest()).decode("ascii"))

    @staticmethod
    def _learn_clock(url, headers):
        """Remember the server's clock offset per host; return it (0 when unknown)."""
        when = _parse_http_time(headers.get("x-mws-timestamp") or headers.get("date"))
        host = urlsplit(url).netloc
        if when is not None:
            SERVER_OFFSETS[host] = when - time.time()
        return SERVER_OFFSETS.get(host, 0.0)

    def error_of(self, answer):
        return parse_error(answer.status, answer.body, answer.headers, self.secrets)


class _Retryable(Exception):
    def __init__(self, message, safe):
        super().__init__(message)
        self.safe = safe  # True when the request certainly never reached the server


def _never_connected(exc):
    """True when the connection was never made, so the request cannot have arrived."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, urllib3.exceptions.NewConnectionError):
            return True
        reason = getattr(exc, "reason", None)
        inner = exc.args[0] if getattr(exc, "args", None) and isinstance(exc.args[0], BaseException) else None
        exc = reason if isinstance(reason, BaseException) else inner or exc.__cause__ or exc.__context__
    return False


def _reason(exc):
    text = redact_query(exc)  # urllib3 may quote the URL, and SubmitFeed's carries signed parameters
    if "Connection refused" in text:
        return "connection refused"
    return text.split("(Caused by")[0].strip()[:200] or exc.__class__.__name__


def _retryable(error):
    return error.code in errors.RETRYABLE_CODES or (error.status in errors.RETRYABLE_STATUSES
                                                    and error.code in ("HttpError", "ServiceUnavailable"))


def _looks_like_error(body):
    # A 200 whose body is an ErrorResponse is still an error (seen behind proxies).
    return b"ErrorResponse" in body[:512]


def _lower(headers):
    return {k.lower(): v for k, v in headers.items()}


def _parse_http_time(value):
    when = parse_reset_time(value) if value else None
    return when.timestamp() if when else None


def parse_error(status, body, headers, secrets=()):
    """An MwsError subclass instance for an error answer, XML or not."""
    request_id = headers.get("x-mws-request-id")
    try:
        root = xmlsafe.parse(body, what="error answer")
    except ResponseError:
        root = None
    if root is not None and xmlsafe.local_name(root) == "ErrorResponse":
        error = xmlsafe.find(root, "Error")
        code = xmlsafe.find_text(error, "Code") or "HttpError"
        message = xmlsafe.find_text(error, "Message") or f"HTTP {status}"
        error_type = (xmlsafe.find_text(error, "Type") or "").strip() or None
        detail_el = xmlsafe.find(error, "Detail") if error is not None else None
        detail = None
        if detail_el is not None and len(detail_el):
            detail = {xmlsafe.local_name(c): (c.text or "").strip() for c in xmlsafe.children(detail_el)}
        request_id = (xmlsafe.find_text(root, "RequestID") or xmlsafe.find_text(root, "RequestId")
                      or request_id)
        cls = errors.error_class(code)
        return cls(scrub(message, secrets), code=code, request_id=request_id,
                   status=status, error_type=error_type, detail=detail)
    text = body.decode("utf-8", "replace") if body else ""
    snippet = " ".join(_strip_tags(text).split())[:200]
    code = "ServiceUnavailable" if status == 503 else "HttpError"
    message = f"HTTP {status} with a non-MWS body" + (f": {snippet}" if snippet else " (empty)")
    if status == 200:
        message = f"HTTP 200 with an answer that is not MWS XML: {snippet or '(empty)'}"
    return errors.error_class(code)(scrub(message, secrets), code=code, request_id=request_id, status=status)


def _strip_tags(text):
    return re.sub(r"<[^>]*>", " ", text)
