"""Spend the token's quota well: Smartsheet allows 300 requests per minute per token (docs/smartsheet-api.md),
shared by every run on that token.

One pacer is shared by every thread of a process, with three rules:
- at most `limit` requests in any sliding window (the service's own rule, within this process);
- requests are spread evenly at `limit` per window, after a start of at most `BURST` at once: a sync of a
  few dozen requests is not slowed down, and a run that starts right after another (discover, then read; a
  retried sync) cannot burst into a minute the other has just spent;
- a 429 says the token's minute is spent anyway (another run beside this one): every request of the
  process waits (not each on its own), and the rate halves (once for 429s that come together), climbing
  back to `limit` per window over `RAMP_SECONDS` without a 429. Two runs sharing a token settle at about half the quota each.
`unit_tests/test_errors.py` plays these rules against a fake service with Smartsheet's quota.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from contextlib import nullcontext
from typing import Callable

BURST = 30  # requests at once at the start: a small sync is not slowed; a storm stays a few 429s at most
DECREASE_GAP = 10.0  # 429s closer together than this are one signal: the rate halves once for them
RAMP_SECONDS = 90.0  # the rate climbs by the full rate in this time (from half back to full: 45 s)
SLOWEST = 1 / 8  # the rate never drops below an eighth of the configured one


class Pacer:
    """When the next request may go, for every thread that talks to one token."""

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        burst: int | None = None,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()
        self._full_rate = limit / window  # requests per second
        self.rate = self._full_rate
        self._burst = max(1, min(BURST if burst is None else burst, limit))
        self._tokens = float(self._burst)
        now = clock()
        self._updated = now
        self._hold_until = now
        self._last_decrease: float | None = None

    def acquire(self, cost: int = 1, also: Pacer | None = None) -> None:
        """Block until one more request may go, then count it as `cost` requests (a cell history call counts as 10
        against the token's quota: docs/smartsheet-api.md). `also`: a limit of the call's own (cell history's 30 a
        minute), which the request counts against once, at the same moment: no limit is kept on a stale time."""
        cost = max(1, min(cost, self._burst))
        while True:
            with self._lock, also._lock if also is not None else nullcontext():
                now = self._clock()
                wait = max(self._wait(now, cost), also._wait(now, 1) if also is not None else 0.0)
                if wait <= 0:
                    self._take(now, cost)
                    if also is not None:
                        also._take(now, 1)
                    return
            self._sleep(max(wait, 0.001))

    def _wait(self, now: float, cost: int = 1) -> float:
        """0 when a request of `cost` may go now; else the seconds to wait before asking again."""
        if now < self._hold_until:
            return self._hold_until - now
        self._recover(now)
        self._tokens = min(float(self._burst), self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        while self._sent and now - self._sent[0] >= self.window:
            self._sent.popleft()
        if len(self._sent) + cost > self.limit:
            return self.window - (now - self._sent[len(self._sent) + cost - self.limit - 1])
        if self._tokens < cost:
            return (cost - self._tokens) / self.rate
        return 0.0

    def _take(self, now: float, cost: int) -> None:
        self._tokens -= cost
        self._sent.extend([now] * cost)

    def _recover(self, now: float) -> None:
        """Additive increase: the rate climbs by the full rate every RAMP_SECONDS without a 429."""
        if self.rate < self._full_rate:
            self.rate = min(self._full_rate, self.rate + (now - self._updated) * self._full_rate / RAMP_SECONDS)

    def pause(self, seconds: float) -> None:
        """The service said slow down (a 429): hold every thread back for `seconds`, and halve the rate."""
        with self._lock:
            now = self._clock()
            self._hold_until = max(self._hold_until, now + seconds)
            self._tokens = 1.0  # when the hold ends, one request goes at once; the next ones at the halved rate
            self._updated = self._hold_until
            if self._last_decrease is None or now - self._last_decrease >= DECREASE_GAP:
                self.rate = max(self._full_rate * SLOWEST, self.rate / 2)
                self._last_decrease = now
