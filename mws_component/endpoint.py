"""One object per base URL: its HTTP session, its learnt server clock, its quota buckets.

Clients of the same endpoint share its `Endpoint` through one explicit registry
(`Endpoints`, default `ENDPOINTS`), so the messages a step processes one after
another reuse its kept-alive connections, sign with the server's clock as the
last answer taught it, and draw on the seller's quota as Amazon counts it.

`Endpoint.exchange` is one HTTP exchange and nothing more: it streams the body
within size limits and the call's deadline, and turns what requests/urllib3
raise into `TransportFailure(message, safe)`; signing, parsing and retrying are
the pipeline's other stages (pipeline.py).
"""

import base64
import hashlib
import logging
import threading
import time
from datetime import datetime, timedelta, timezone

import requests
import urllib3

from .errors import ResponseError, redact_query
from .pipeline import RawAnswer, TransportFailure
from .quota import QuotaBook
from .times import parse_time

log = logging.getLogger("mws_component.endpoint")

MAX_BODY = 64 * 1024 * 1024  # an API answer is small; a larger one is refused, not buffered
MAX_STREAMED_BODY = 4 * 1024 ** 3  # reports are streamed to disk; beyond this something is wrong


class _RedactSignedQuery(logging.Filter):
    """urllib3 logs every request line at DEBUG, query string included; SubmitFeed's query carries
    the Signature and the MWSAuthToken. They are taken out before any handler sees the record."""

    def filter(self, record):
        text = record.getMessage()
        if "?" in text:
            record.msg, record.args = redact_query(text), None
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_RedactSignedQuery())


class ServerClock:
    """The server's clock as learnt from its answers (ours until it has answered)."""

    HEADERS = ("x-mws-timestamp", "x-amz-date", "date")  # the most precise first

    def __init__(self, wall=time.time):
        self.wall = wall
        self.offset = None  # server minus ours, in seconds

    def learn(self, headers):
        for name in self.HEADERS:
            when = parse_time(headers.get(name))
            if when is not None:
                self.offset = when.timestamp() - self.wall()
                return

    @property
    def known(self):
        return self.offset is not None

    def now(self):
        return datetime.fromtimestamp(self.wall(), timezone.utc) + timedelta(seconds=self.offset or 0.0)


class Endpoint:
    def __init__(self, base_url, *, time_scale=1.0, session=None, clock=time.monotonic, sleep=time.sleep,
                 wall=time.time, connect_timeout=10.0, read_timeout=120.0):
        self.base_url = base_url
        self.session = session or requests.Session()
        self.clock = ServerClock(wall)
        self.time_scale = float(time_scale)
        self.quotas = QuotaBook(time_scale, clock=clock, sleep=sleep)
        self.monotonic = clock
        self.sleep = sleep
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout

    def __repr__(self):
        return f"Endpoint({self.base_url!r}, time_scale={self.time_scale})"

    def exchange(self, request, *, deadline=None, sink=None):
        """Send `request` once; the answer (RawAnswer), or TransportFailure.

        A seekable body is sent from its start. With `sink` (a callable returning a fresh
        writable binary file), a 200 answer's body is streamed into that file with its MD5."""
        url = f"{request.url}?{request.query}" if request.query else request.url
        body = request.body
        if hasattr(body, "seek"):
            body.seek(0)
        try:
            with self.session.request(request.method, url, headers=request.headers, data=body, stream=True,
                                      timeout=(self.connect_timeout, self.read_timeout),
                                      allow_redirects=False) as resp:
                headers = {k.lower(): v for k, v in resp.headers.items()}
                if sink is not None and resp.status_code == 200:
                    file, size, md5 = self._stream_into(sink(), resp)
                    return RawAnswer(resp.status_code, headers, None, file=file, size=size, md5=md5)
                declared = resp.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > MAX_BODY:
                    raise ResponseError(f"answer of {declared} bytes is larger than the {MAX_BODY} allowed")
                chunks, size = [], 0
                for chunk in self._arriving(resp, deadline):
                    size += len(chunk)
                    if size > MAX_BODY:
                        raise ResponseError(f"answer larger than the {MAX_BODY} bytes allowed; refused")
                    chunks.append(chunk)
                return RawAnswer(resp.status_code, headers, b"".join(chunks), size=size)
        except requests.exceptions.ConnectTimeout as exc:
            raise TransportFailure(f"cannot connect ({_reason(exc)})", safe=True) from None
        except (requests.exceptions.Timeout, urllib3.exceptions.ReadTimeoutError) as exc:
            raise TransportFailure(f"timed out ({_reason(exc)})", safe=False) from None
        except requests.exceptions.ConnectionError as exc:
            if _never_connected(exc):
                raise TransportFailure(f"cannot connect ({_reason(exc)})", safe=True) from None
            raise TransportFailure(f"connection lost ({_reason(exc)})", safe=False) from None
        except (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError) as exc:
            raise TransportFailure(f"answer cut off ({_reason(exc)})", safe=False) from None

    def _arriving(self, resp, deadline):
        """The body in pieces as they come. The read timeout bounds each wait, not the answer: a
        server sending a byte just within it would hold the call for hours, so the call's deadline
        is checked between pieces (read1 returns what one read brought, not a full 64 KB)."""
        read1 = getattr(resp.raw, "read1", None)
        if read1 is None or deadline is None:  # urllib3 1.x has no read1
            yield from resp.iter_content(65536)
            return
        while True:
            if self.monotonic() > deadline:
                raise TransportFailure("answer still arriving when the call's time was up", safe=False)
            chunk = read1(65536, decode_content=True)
            if not chunk:
                return
            yield chunk

    @staticmethod
    def _stream_into(file, resp):
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
        return file, size, base64.b64encode(digest.digest()).decode("ascii")


class Endpoints:
    """The one registry of endpoints: one `Endpoint` per (base URL, time scale) in the process.

    Tests make their own (with a fake clock and sleep) and pass it as `endpoints=`."""

    def __init__(self, *, clock=time.monotonic, sleep=time.sleep, wall=time.time, session_factory=requests.Session,
                 **endpoint_options):
        self._clock, self._sleep, self._wall = clock, sleep, wall
        self._session_factory = session_factory
        self._options = endpoint_options
        self._lock = threading.Lock()
        self._endpoints = {}

    def get(self, base_url, *, time_scale=1.0):
        key = (base_url, float(time_scale))
        with self._lock:
            endpoint = self._endpoints.get(key)
            if endpoint is None:
                endpoint = self._endpoints[key] = Endpoint(
                    base_url, time_scale=time_scale, session=self._session_factory(), clock=self._clock,
                    sleep=self._sleep, wall=self._wall, **self._options)
            return endpoint


ENDPOINTS = Endpoints()


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
