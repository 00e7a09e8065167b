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
        self.asked = []
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
