"""Hosts that are not Smartsheet, for the tests of what `check` and `read` say about them (loopback only).

- `closed_port()`: an address where nothing listens (connection refused).
- `HangingHost`: accepts connections and never sends a byte.
- `ProxyPageHost`: answers every request `200` with an HTML page, as a captive portal or a proxy's login does.
Only 5xx or only 429 answers are the emulator's own `FaultPlan(rate=1.0, kinds=(...))`.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PROXY_PAGE = b"<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body>Proxy login</body></html>"


def closed_port() -> int:
    """A loopback port with nothing listening (it was free a moment ago, and is closed again)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class HangingHost:
    """Accepts every connection and keeps it open without answering, until stopped."""

    def __init__(self) -> None:
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self._server.settimeout(0.2)
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="hanging-host", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.getsockname()[1]}/2.0"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except OSError:
                continue
            self._held.append(connection)  # read nothing, answer nothing

    def start(self) -> HangingHost:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for connection in self._held:
            connection.close()
        self._server.close()

    def __enter__(self) -> HangingHost:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


class ProxyPageHost:
    """Answers every request with `200 OK` and an HTML page: not the API, though it looks like success."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PROXY_PAGE)))
                self.end_headers()
                self.wfile.write(PROXY_PAGE)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/2.0"

    def start(self) -> ProxyPageHost:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> ProxyPageHost:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
