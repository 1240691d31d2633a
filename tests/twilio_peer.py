"""A small loopback stand-in for Twilio's Messages API, for the real `twilio` client to talk to.

It answers POST /2010-04-01/Accounts/<sid>/Messages.json like Twilio does (201 with a
message resource, or Twilio-shaped errors), checks Basic auth, and records every request
it received, so tests can count what a number was really sent. Behavior per recipient is
scripted with `peer.script(to, Reply(...), ...)`; `peer.delay` slows every answer.

Run on its own (`python tests/twilio_peer.py --port 8765 --delay 0.2`) for benchmarks.
"""

from __future__ import annotations

import argparse
import base64
import json
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "peer-auth-token"


@dataclass(frozen=True)
class Reply:
    status: int = 201
    code: int | None = None
    message: str = ""
    retry_after: str | None = None
    sleep: float = 0.0          # seconds before answering (a slow or hung Twilio)
    raw: str | None = None      # a non-JSON body (a proxy's HTML error page)
    sid: str | None = None      # the SID to answer with (a peer that repeats one), else a new one


@dataclass
class Received:
    to: str
    body: str
    sender: str
    status_callback: str
    answered: int = 0
    sid: str | None = None
    at: float = field(default_factory=time.monotonic)


class QuietServer(ThreadingHTTPServer):
    """Clients that hang up (a killed dispatcher, a timeout) are normal here, not errors."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class TwilioPeer:
    """The server plus what it saw. Use as a context manager; `base_url` is for TWILIO_API_BASE_URL."""

    def __init__(self, delay: float = 0.0, port: int = 0) -> None:
        self.delay = delay
        self.received: list[Received] = []
        self._scripts: dict[str, deque[Reply]] = defaultdict(deque)
        self._lock = threading.Lock()
        self.server = QuietServer(("127.0.0.1", port), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> TwilioPeer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, to: str, *replies: Reply) -> None:
        """The next answers for this recipient, in order; afterwards it succeeds."""
        with self._lock:
            self._scripts[to].extend(replies)

    def accepted(self) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.answered == 201]

    def _next_reply(self, to: str) -> Reply:
        with self._lock:
            queue = self._scripts.get(to)
            return queue.popleft() if queue else Reply()

    def _answer(self, form: dict[str, str]) -> tuple[int, dict[str, str], bytes, Received]:
        seen = Received(form.get("To", ""), form.get("Body", ""),
                        form.get("From") or form.get("MessagingServiceSid", ""), form.get("StatusCallback", ""))
        reply = self._next_reply(seen.to)
        time.sleep(self.delay + reply.sleep)
        headers = {"Retry-After": reply.retry_after} if reply.retry_after else {}
        if reply.raw is not None:
            return reply.status, {**headers, "Content-Type": "text/html"}, reply.raw.encode(), seen
        if reply.status >= 300:
            payload = {"code": reply.code, "message": reply.message, "status": reply.status,
                       "more_info": f"https://www.twilio.com/docs/errors/{reply.code}"}
        else:
            seen.sid = reply.sid or "SM" + uuid.uuid4().hex
            payload = {"sid": seen.sid, "account_sid": ACCOUNT_SID, "to": seen.to, "from": seen.sender,
                       "body": seen.body, "status": "queued", "num_segments": "1", "direction": "outbound-api",
                       "api_version": "2010-04-01", "price": None, "error_code": None, "error_message": None,
                       "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{seen.sid}.json"}
        return reply.status, {**headers, "Content-Type": "application/json"}, json.dumps(payload).encode(), seen

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        peer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if not self.path.endswith("/Messages.json"):
                    return self._send(404, {"Content-Type": "application/json"}, b'{"code": 20404}')
                expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    body = b'{"code": 20003, "message": "Authenticate", "status": 401}'
                    return self._send(401, {"Content-Type": "application/json"}, body)
                form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                status, headers, body, seen = peer._answer(form)
                seen.answered = status
                with peer._lock:
                    peer.received.append(seen)
                self._send(status, headers, body)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout); Twilio would have kept the message

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    with TwilioPeer(args.delay, args.port) as peer:
        print(peer.base_url, flush=True)
        peer.thread.join()


if __name__ == "__main__":
    main()
