"""HTTP plumbing: a threading HTTP/1.1 server that hands each request to its face and applies faults.

The face is the one the router names for the request's path (router.py);
the server itself knows no API. Faults are socket-level behaviour, so they
live here: a throttle or 500 is the face's refusal instead of its answer
(the request has no effect), a drop
closes the connection unanswered, a truncated answer is the real answer
cut short after its headers promised the full length, and an MD5 mismatch
is the real answer with a wrong Content-MD5 (GetFeedSubmissionResult).
"""

import base64
import email.utils
import hashlib
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .faults import DROP, ERROR500, MD5_MISMATCH, THROTTLE, TRUNCATE
from .requestlog import RequestRecord
from .router import UNREADABLE_BODY, HttpRequest

# Faults answered with the face's refusal instead of handling the request.
INSTEAD_OF_ANSWER = (THROTTLE, ERROR500, DROP)


class BadRequestBody(Exception):
    pass


def wrong_md5(body):
    """A well-formed Content-MD5 that is not the body's."""
    return base64.b64encode(hashlib.md5(body + b"\0").digest()).decode("ascii")


class SandboxRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients' connection pools expect

    def version_string(self):
        return "Server"  # what Amazon's Server header said

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every answer on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    # The SP-API face's methods (Listings Items put/patch/delete, cancelFeed, S3-like document uploads).
    do_PUT = do_PATCH = do_DELETE = do_POST

    def date_time_string(self, timestamp=None):
        # The Date header tells server time, like x-mws-timestamp.
        return email.utils.formatdate(self.server.clock.now_ms() / 1000, usegmt=True)

    def log_message(self, format, *args):
        # The request line would carry the query string (MWSAuthToken, Signature): keep it out of logs.
        pass

    def _serve(self):
        server = self.server
        path, _, query = self.path.partition("?")
        host = self.headers.get("Host") or "%s:%d" % self.server.server_address[:2]
        http = HttpRequest(self.command, path, query, host, self.headers.get("Content-Type", ""),
                           headers={name.lower(): value for name, value in self.headers.items()})
        face = server.router.face_for(path)
        try:
            http.body, http.body_too_large = self._read_body(server.max_body_bytes)
        except (BadRequestBody, OSError, ValueError):
            self.close_connection = True  # the stream is out of step; don't read another request from it
            answer = face.refusal(http, UNREADABLE_BODY)
            self._record(http, answer, None, status=answer.status)
            self._write(answer.status, answer.body, answer.headers)
            return

        if getattr(face, "answers_in_full", False):
            # A face that draws its faults and logs the request itself (the SP-API face).
            answer = face.serve(http)
            if answer.fault == DROP:
                return self._drop()
            return self._write(answer.status, answer.body, answer.headers, cut=answer.fault == TRUNCATE)
        fault = server.fault_injector.draw()
        if fault.delay:
            time.sleep(fault.delay)
        if fault.kind in INSTEAD_OF_ANSWER:
            # The request is not processed at all; for a drop the error is never sent, it only names the log entry.
            answer = face.refusal(http, fault.kind)
        else:
            answer = face.handle(http)
        kind = fault.kind
        if fault.md5_mismatch and kind is None and answer.status == 200 and "Content-MD5" in answer.headers:
            # The report arrives intact but its digest says otherwise, as if corrupted in transit.
            answer.headers["Content-MD5"] = wrong_md5(answer.body)
            kind = MD5_MISMATCH
        # Recorded before answering: a client that has its answer must find the request in the log.
        if kind == DROP:
            self._record(http, answer, kind, status=None)
            self._drop()
        else:
            self._record(http, answer, kind, status=answer.status)
            self._write(answer.status, answer.body, answer.headers, cut=fault.kind == TRUNCATE)

    def _read_body(self, limit):
        """(body, too_large): a body over `limit` bytes is read to its end but not kept."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks, size_so_far = [], 0
            while True:
                size_line = self.rfile.readline(1024)
                if not size_line:
                    raise BadRequestBody("stream ended inside a chunked body")
                size = int(size_line.split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return (b"", True) if size_so_far > limit else (b"".join(chunks), False)
                size_so_far += size
                if size_so_far > limit:
                    chunks = []
                    self._discard(size)
                else:
                    chunks.append(self._read_exactly(size))
                self.rfile.readline(1024)
        length = int(self.headers.get("Content-Length") or 0)
        if length > limit:
            self._discard(length)
            return b"", True
        return self._read_exactly(length), False

    def _read_exactly(self, length):
        body = self.rfile.read(length) if length else b""
        if len(body) != length:
            raise BadRequestBody("stream ended before the announced body length")
        return body

    def _discard(self, length):
        while length > 0:
            got = len(self.rfile.read(min(length, 1 << 20)))
            if not got:
                raise BadRequestBody("stream ended before the announced body length")
            length -= got

    def _write(self, status, body, headers, cut=False):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))  # the full length, even when cut
        self.end_headers()
        self.wfile.write(body[:len(body) // 2] if cut else body)
        self.wfile.flush()
        if cut:
            self.close_connection = True
            self._drop()

    def _drop(self):
        """Close the connection now, without (more of) an answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _record(self, http, answer, fault, status):
        self.server.requests.add(RequestRecord(
            action=answer.action, params=answer.params, status=status, method=http.method, path=http.path,
            fault=fault, error_code=None if fault == DROP else answer.error_code, request_id=answer.request_id))


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host, port, *, router, clock, requests, fault_injector, max_body_bytes):
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.router = router
        self.clock = clock  # the Date header tells server time
        self.requests = requests
        self.fault_injector = fault_injector
        self.max_body_bytes = max_body_bytes
        super().__init__((host, port), SandboxRequestHandler)
