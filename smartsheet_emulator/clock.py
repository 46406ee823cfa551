"""The emulator's clock: frozen and moved by tests, or following real time."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A timezone-aware UTC datetime."""
    return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    """Render a datetime the way the API does: UTC, one-second resolution, `Z` suffix."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    """Parse `...Z`, `+00:00` and `-08:00` forms (see docs/smartsheet-api.md, Timestamps)."""
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def whole_second(moment: datetime) -> datetime:
    """Truncate to the API's one-second resolution."""
    return moment.replace(microsecond=0)


class Clock:
    """A UTC clock. Frozen clocks move only when told; live ones follow real time plus an offset."""

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._frozen = start is not None
        self._now = start or datetime.now(timezone.utc)
        self._offset = timedelta(0)

    @property
    def frozen(self) -> bool:
        return self._frozen

    def now(self) -> datetime:
        with self._lock:
            if self._frozen:
                return self._now
            return datetime.now(timezone.utc) + self._offset

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward (or, for a live clock, shift its offset)."""
        with self._lock:
            if self._frozen:
                self._now = self._now + timedelta(seconds=seconds)
            else:
                self._offset += timedelta(seconds=seconds)
        return self.now()

    def set(self, moment: datetime) -> None:
        """Freeze the clock at `moment`."""
        with self._lock:
            self._frozen = True
            self._now = moment.astimezone(timezone.utc)
