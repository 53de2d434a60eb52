"""A Slack-like incoming webhook on 127.0.0.1 for the chat tests: real HTTP (and HTTPS), planned replies."""

from __future__ import annotations

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ChatServer:
    """Answers each POST with the next planned reply and keeps the bodies and headers it was sent.

    A reply is an HTTP status; ("redirect", location) for a 302 to `location`; "hang" to answer only
    after the client gave up (or the test ends); "endless" for a 200 whose body never ends.
    """

    def __init__(self, replies: list, *, tls: ssl.SSLContext | None = None) -> None:
        self.replies = list(replies)
        self.bodies: list[dict] = []
        self.headers: list[dict[str, str]] = []
        self.release = threading.Event()
        self.scheme = "https" if tls else "http"
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                length = int(self.headers["Content-Length"])
                server.bodies.append(json.loads(self.rfile.read(length)))
                server.headers.append(dict(self.headers.items()))
                reply = server.replies.pop(0) if server.replies else 200
                if reply == "hang":
                    server.release.wait(5)
                    reply = 200
                if reply == "endless":
                    self.send_response(200)
                    self.send_header("Content-Length", str(10**9))
                    self.end_headers()
                    self.wfile.write(b"x" * 1024)
                    self.wfile.flush()
                    server.release.wait(5)  # the rest never comes while the test runs
                    return
                if isinstance(reply, tuple):
                    self.send_response(302)
                    self.send_header("Location", reply[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(reply)
                self.end_headers()
                self.wfile.write(b"ok" if reply == 200 else b"error")

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/services/T000/B000/secret"

    def url_for(self, host: str) -> str:
        return f"{self.scheme}://{host}:{self.port}/services/T000/B000/secret"

    def __enter__(self) -> ChatServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
