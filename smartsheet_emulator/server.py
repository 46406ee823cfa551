"""The emulator's HTTP transport: a loopback server with rate limiting, fault injection and accounting."""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

from .api import Api, Request, Response, error_body
from .api_account import HISTORY_CALLS_PER_WINDOW, is_history, request_cost
from .world import World

JSON_TYPE = "application/json;charset=UTF-8"
FAULT_KINDS = ("429", "500_4000", "500_4004", "503_4001", "503_html", "drop", "slow")
HTML_503 = b"<html><head><title>503 Service Unavailable</title></head><body>Service Unavailable</body></html>"


@dataclass
class FaultPlan:
    """Inject faults on a share of requests; decided by a hash of (seed, request, attempt) so runs replay."""

    rate: float = 0.0
    seed: int = 0
    kinds: tuple[str, ...] = ("429", "500_4000", "500_4004", "503_4001", "503_html", "drop")
    slow_seconds: float = 0.5
    exempt_paths: tuple[str, ...] = ()
    first_attempts: int | None = None  # fault only the first N tries of each request (a host that recovers)
    only_paths: tuple[str, ...] = ()  # fault only requests whose path starts with one of these (default: all)
    _seen: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def pick(self, request: Request) -> str | None:
        if self.rate <= 0 or any(request.path.startswith(prefix) for prefix in self.exempt_paths):
            return None
        if self.only_paths and not any(request.path.startswith(prefix) for prefix in self.only_paths):
            return None
        key = f"{request.method} {request.path}?{sorted(request.query.items())}"
        with self._lock:
            attempt = self._seen[key]
            self._seen[key] += 1
        if self.first_attempts is not None and attempt >= self.first_attempts:
            return None
        draw = random.Random(f"{self.seed}:{key}:{attempt}")
        if draw.random() >= self.rate:
            return None
        return draw.choice(self.kinds)


class RateLimiter:
    """At most `limit` requests per token in any `window` seconds; over it, 429/4003. The seconds are real
    time, or those of `clock` (a test's: the world's clock, which the connector's waits then move on)."""

    def __init__(self, limit: int | None, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, token: str, cost: int = 1) -> float | None:
        """None when admitted; else the seconds until a request would be admitted. A request that counts as `cost`
        requests (cell history: 10) takes that many of the window's places."""
        if not self.limit:
            return None
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(token, deque())
            while hits and now - hits[0] >= self.window:
                hits.popleft()
            if len(hits) + min(cost, self.limit) > self.limit:
                return self.window - (now - hits[len(hits) + min(cost, self.limit) - self.limit - 1])
            hits.extend([now] * cost)
            return None


class Accounting:
    """Request counts per endpoint, statuses, throttles, faults and bytes, for tests and the benchmark."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.by_endpoint: Counter[str] = Counter()
            self.by_status: Counter[int] = Counter()
            self.faults: Counter[str] = Counter()
            self.throttled = 0
            self.total = 0
            self.units = 0  # requests as the API counts them against the rate limit (cell history: 10 each)
            self.bytes_out = 0

    def record(self, request: Request, endpoint: str, status: int, size: int, fault: str | None) -> None:
        with self._lock:
            self.total += 1
            self.units += request_cost(request.path)
            self.by_endpoint[endpoint] += 1
            self.by_status[status] += 1
            self.bytes_out += size
            if status == 429:
                self.throttled += 1
            if fault:
                self.faults[fault] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self.total,
                "units": self.units,
                "by_endpoint": dict(self.by_endpoint),
                "by_status": {str(k): v for k, v in self.by_status.items()},
                "throttled": self.throttled,
                "faults": dict(self.faults),
                "bytes_out": self.bytes_out,
            }

    def count(self, endpoint: str) -> int:
        with self._lock:
            return self.by_endpoint[endpoint]


def connector_config(world: World, base_url: str) -> dict[str, Any]:
    """The connector config that syncs every workspace of `world` served at `base_url`."""
    return {
        "credentials": {"auth_type": "access_token", "access_token": world.token},
        "workspace_ids": [str(workspace_id) for workspace_id in world.workspaces],
        "api_base_url": base_url,
    }


def world_seconds(world: World) -> Callable[[], float]:
    """The world's clock in seconds, for a rate limit that runs on simulated time."""
    return lambda: world.clock.now().timestamp()


class Emulator:
    """A running emulator: `with Emulator(world) as emu: emu.base_url`."""

    def __init__(
        self,
        world: World,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limit: int | None = 300,
        rate_window: float = 60.0,
        faults: FaultPlan | None = None,
        retry_after: bool = False,
        latency: float = 0.0,
        cache_responses: bool = False,
        tamper: Callable[[Request, Any], Any] | None = None,
        limit_on_world_clock: bool = False,
    ) -> None:
        self.world = world
        self.api = Api(world)
        clock = world_seconds(world) if limit_on_world_clock else time.monotonic
        self.limiter = RateLimiter(rate_limit, rate_window, clock)
        # Cell history has a limit of its own: "30 requests per minute per API token" (docs/smartsheet-api.md).
        self.history_limiter = RateLimiter(HISTORY_CALLS_PER_WINDOW if rate_limit else None, rate_window, clock)
        self.faults = faults or FaultPlan()
        self.retry_after = retry_after
        # Seconds added to every answer, to stand in for the network between a user and Smartsheet.
        self.latency = latency
        # For tests of what the API never promises: may rewrite a successful answer's body, or return
        # bytes to send as they are (a truncated or non-JSON body).
        self.tamper = tamper
        # For the benchmark: answers are kept per (request, world generation), so that serving a
        # large sheet again costs the emulator nothing. Only for worlds changed through World methods.
        self._cache: dict[tuple[Any, ...], tuple[int, dict[str, str], bytes]] | None = {} if cache_responses else None
        self._cache_lock = threading.Lock()
        self.stats = Accounting()
        self._server = _QuietServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/2.0"

    def connector_config(self) -> dict[str, Any]:
        """A ready connector config for this world: its owner's token, every workspace, this address."""
        return connector_config(self.world, self.base_url)

    def start(self) -> Emulator:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="smartsheet-emulator", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # ----- one request ----------------------------------------------------------------------
    def respond(self, request: Request) -> tuple[int, dict[str, str], bytes, str | None]:
        """Status, headers, body and the fault injected (`drop` means: send nothing)."""
        token = request.headers.get("authorization", "")
        wait = None
        if token and is_history(request.path):
            wait = self.history_limiter.admit(token)
        if token and wait is None:
            wait = self.limiter.admit(token, request_cost(request.path))
        if wait is not None:
            headers = {"Retry-After": str(max(1, round(wait)))} if self.retry_after else {}
            return 429, headers, _json(error_body(4003, "Rate limit exceeded.")), None
        fault = self.faults.pick(request)
        if fault == "drop":
            return 0, {}, b"", fault
        if fault == "slow":
            time.sleep(self.faults.slow_seconds)
        elif fault is not None:
            return (*_fault_response(fault), fault)
        if self.latency:
            time.sleep(self.latency)
        if self._cache is None:
            response: Response = self.api.handle(request)
            body = response.body
            if self.tamper is not None and response.status == 200:
                body = self.tamper(request, body)
                if isinstance(body, bytes):
                    return response.status, response.headers, body, fault
            return response.status, response.headers, _json(body), fault
        key = (request.method, request.path, tuple(sorted(request.query.items())), token, self.world.generation)
        with self._cache_lock:
            cached = self._cache.get(key)
        if cached is None:
            response = self.api.handle(request)
            cached = (response.status, response.headers, _json(response.body))
            with self._cache_lock:
                self._cache[key] = cached
        status, headers, payload = cached
        return status, dict(headers), payload, fault


class _QuietServer(ThreadingHTTPServer):
    """A client that went away mid-answer (it timed out, as tests make it) is no error of the emulator's."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def _fault_response(kind: str) -> tuple[int, dict[str, str], bytes]:
    if kind == "503_html":
        return 503, {"Content-Type": "text/html"}, HTML_503
    status, code, message = {
        "429": (429, 4003, "Rate limit exceeded."),
        "500_4000": (500, 4000, "An unexpected error has occurred."),
        "500_4004": (500, 4004, "An unexpected error has occurred. Please retry your request."),
        "503_4001": (503, 4001, "Smartsheet.com is currently offline for system maintenance."),
    }[kind]
    return status, {}, _json(error_body(code, message))


def _json(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _handler_for(emulator: Emulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "SmartsheetEmulator/1.0"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet by default
            return

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if parts.path.startswith("/__emulator/"):
                self._admin(method, parts.path, dict(parse_qsl(parts.query)))
                return
            if not parts.path.startswith("/2.0/"):
                self._send(404, {}, _json(error_body(1006, "Not Found")))
                return
            request = Request(
                method=method,
                path=parts.path[len("/2.0") :],
                query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                headers={key.lower(): value for key, value in self.headers.items()},
                body=body,
            )
            status, headers, payload, fault = emulator.respond(request)
            emulator.stats.record(request, emulator.api.endpoint_of(request), status, len(payload), fault)
            if fault == "drop":
                self.close_connection = True
                return
            self._send(status, headers, payload)

        def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", headers.pop("Content-Type", JSON_TYPE))
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _admin(self, method: str, path: str, query: dict[str, str]) -> None:
            """Loopback-only controls for a shell-started emulator: stats and the clock."""
            if path == "/__emulator/stats":
                self._send(200, {}, _json(emulator.stats.snapshot()))
            elif path == "/__emulator/stats/reset" and method == "POST":
                emulator.stats.reset()
                self._send(200, {}, _json({"ok": True}))
            elif path == "/__emulator/clock/advance" and method == "POST":
                moment = emulator.world.clock.advance(float(query.get("seconds", "1")))
                self._send(200, {}, _json({"now": moment.isoformat()}))
            else:
                self._send(404, {}, _json({"error": "unknown admin path"}))

    return Handler
