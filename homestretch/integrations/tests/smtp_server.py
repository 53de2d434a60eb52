"""A small SMTP server on 127.0.0.1 for the e-mail tests: real SMTP over a socket, and the ways a real
mail server goes wrong (never greets, refuses a recipient, takes the message and then goes silent)."""

from __future__ import annotations

import socket
import socketserver
import threading


class SMTPServer:
    """Speaks enough SMTP for smtplib (EHLO, MAIL, RCPT, DATA, QUIT) and keeps every message it took.

    `behaviour` is "ok"; "silent" (never greets); "refuse" (550 to every recipient); or "stall" (takes
    the whole message, then never answers until the test ends: the outcome the client cannot know).
    """

    def __init__(self, behaviour: str = "ok") -> None:
        self.behaviour = behaviour
        self.messages: list[bytes] = []
        self.release = threading.Event()
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self) -> None:
                if server.behaviour == "silent":
                    server.release.wait(10)
                    return
                self.reply("220 mail.example.test ESMTP")
                while line := self.rfile.readline():
                    command = line.decode(errors="replace").strip().upper()
                    if command.startswith(("EHLO", "HELO")):
                        self.reply("250 mail.example.test")
                    elif command.startswith("MAIL FROM"):
                        self.reply("250 OK")
                    elif command.startswith("RCPT TO"):
                        self.reply("550 No such user" if server.behaviour == "refuse" else "250 OK")
                    elif command == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        body = b""
                        while (chunk := self.rfile.readline()) and chunk != b".\r\n":
                            body += chunk
                        server.messages.append(body)
                        if server.behaviour == "stall":
                            server.release.wait(10)  # the message is here; the answer never comes
                            return
                        self.reply("250 OK: queued")
                    elif command == "QUIT":
                        self.reply("221 Bye")
                        return
                    elif command == "RSET" or command == "NOOP":
                        self.reply("250 OK")
                    else:
                        self.reply("502 Command not implemented")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def __enter__(self) -> SMTPServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound and closed again)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
