"""A hostile MWS endpoint on loopback: each test picks how it answers.

    with HostileServer() as server:
        server.answer = gigabyte_stream(chunked=True)
        ... MwsClient(credentials(server.url)) ...

An answer is a function (handler) -> None that writes the whole HTTP answer
with handler.send(...) or raw writes. The server records what it was asked
(path, Action) and how many body bytes it managed to send, so a test can show
that the client stopped reading early.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

GIGABYTE = 1024 ** 3


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass  # the request line carries signed parameters

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        params = dict(parse_qsl(query)) | dict(parse_qsl(form.decode("latin-1")))
        self.server.hostile.asked.append((path, params.get("Action")))
        self.server.hostile.params.append(params)
        try:
            self.server.hostile.answer(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up: exactly what a refusing client does
        self.close_connection = True

    # -- writing helpers for answers --------------------------------------------------------
    def send(self, status, body, content_type="text/xml", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        # It closes the connection after every answer (_serve), and says so: otherwise the client may send
        # its next attempt on the pooled connection just before the close reaches it, and lose that attempt.
        self.send_header("Connection", "close")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.write_counted(body)

    def write_counted(self, data):
        self.wfile.write(data)
        self.wfile.flush()
        self.server.hostile.bytes_sent += len(data)


class HostileServer:
    def __init__(self):
        self.answer = lambda handler: handler.send(500, b"no answer chosen")
        self.asked = []  # (path, Action) of every request
        self.params = []  # the parameters of every request
        self.bytes_sent = 0
        self.release = threading.Event()  # ends answers that stall on purpose
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.hostile = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


# -- answers ---------------------------------------------------------------------------------------

def fixed(status, body, content_type="text/xml", headers=None):
    """The same complete answer every time."""
    return lambda handler: handler.send(status, body, content_type, headers)


def gigabyte(chunked):
    """A 1 GB answer, generated as it is sent (never held in memory): with its length declared, or chunked."""
    piece = b"<Order><AmazonOrderId>111-0000000-0000000</AmazonOrderId></Order>" * 16000  # about 1 MB

    def answer(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/xml")
        handler.send_header(*(("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(GIGABYTE))))
        handler.end_headers()
        handler.write_counted(b"<GetOrderResponse><GetOrderResult><Orders>" if not chunked else b"")
        sent = 0
        while sent < GIGABYTE:
            handler.write_counted(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
    return answer


def in_turn(*answers):
    """The first request gets the first answer, and so on; the last answer repeats."""
    remaining = list(answers)
    return lambda handler: (remaining.pop(0) if len(remaining) > 1 else remaining[0])(handler)


def hang_up(handler):
    """Close the connection without answering."""


def cut_in_transit(body):
    """Headers promising the whole body, half of it, then the connection closes."""
    def answer(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/xml")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.write_counted(body[:len(body) // 2])
    return answer


def stall_after_headers(handler):
    """Slow loris: the headers, then nothing until the client gives up (or the test ends)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/xml")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.wfile.flush()
    handler.server.hostile.release.wait(30)


def trickle(handler):
    """Slow loris that beats the read timeout: one byte every 0.1 s of a plausible 100 KB answer."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/xml")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    while not handler.server.hostile.release.wait(0.1):
        handler.write_counted(b" ")
