"""Stay under Smartsheet's per-token rate limit: at most N requests in any sliding minute."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Callable


class Pacer:
    """A sliding-window limiter shared by every thread that talks to one token.

    Smartsheet allows 300 requests per minute per token (docs/smartsheet-api.md); a window that
    matches the service's own never lets a burst exceed it, unlike a token bucket.
    """

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until one more request fits in the window, then count it."""
        while True:
            with self._lock:
                now = self._clock()
                while self._sent and now - self._sent[0] >= self.window:
                    self._sent.popleft()
                if len(self._sent) < self.limit:
                    self._sent.append(now)
                    return
                wait = self.window - (now - self._sent[0])
            self._sleep(max(wait, 0.001))

    def pause(self, seconds: float) -> None:
        """The service said slow down (a 429): hold every thread back for `seconds`."""
        with self._lock:
            now = self._clock()
            # Fill the window so that nobody sends until `seconds` have passed.
            self._sent = deque([now + seconds - self.window] * self.limit)
