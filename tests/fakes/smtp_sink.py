"""A mail server that keeps what it accepts, spoken to over real SMTP (RFC 5321), in a thread.

The outbox's workers connect to it as to any mail server (EMAIL_URL=smtp://127.0.0.1:<port>), so
a test or a benchmark can count what was delivered to whom: each message counts once the sink has
answered 250 to its DATA, as a real server's acceptance is what makes a message sent.

`before_accept(count)` is called with the number accepted so far, after a message's data has
arrived and before the sink answers; raising `Hangup` there drops the connection without
accepting it, as a server would when the sender died mid-send.
"""

import socketserver
import threading
from collections import Counter
from collections.abc import Callable
from email import message_from_bytes
from email.message import Message


class Hangup(Exception):
    """Drop the connection without accepting the message."""


class _Handler(socketserver.StreamRequestHandler):
    server: "_Server"

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        self.reply("220 sink ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                # One write for the whole reply: two small ones would wait on a delayed ACK.
                self.reply("250-sink\r\n250 8BITMIME" if verb == "EHLO" else "250 sink")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                if not self.receive(recipients):
                    return
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # RSET, NOOP and the rest: nothing to do
                self.reply("250 OK")

    def receive(self, recipients: list[str]) -> bool:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        try:
            self.server.sink.accept(b"".join(lines), recipients)
        except Hangup:
            return False
        self.reply("250 OK: queued")
        return True


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    sink: "SmtpSink"


class SmtpSink:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.before_accept: Callable[[int], None] | None = None
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self._server.server_address[1]}"

    def accept(self, data: bytes, recipients: list[str]) -> None:
        with self._lock:
            if self.before_accept is not None:
                self.before_accept(len(self.messages))
            message = message_from_bytes(data)
            message["X-Sink-Recipients"] = ",".join(recipients)
            self.messages.append(message)

    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    def deliveries(self) -> Counter:
        """How many messages each recipient got."""
        with self._lock:
            return Counter(message["X-Sink-Recipients"] for message in self.messages)

    def __enter__(self) -> "SmtpSink":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
