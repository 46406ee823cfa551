"""What the terminal shows while a local sync runs: each sheet as it is done, waits and warnings as they
happen, and a line whenever nothing has been heard for a few seconds, so a sync is never minutes of silence.

It listens to the connector's LOG messages as PyAirbyte receives them (PyAirbyte itself only writes them
to its log file), and reads them with the connector's own parser (`source_smartsheets.progress_lines`), which
writes them too: a line reworded there is read the new way here.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from typing import Any, Callable, TextIO

from source_smartsheets.progress_lines import (
    AccountDone,
    AroundRowsDone,
    HistoryDone,
    Reading,
    RowsEmitted,
    RowsSoFar,
    Unchanged,
    counted,
    display_name,
    parse,
)

QUIET_SECONDS = 4.0  # after this long without a word from the connector, say what is being waited for

LAST_STREAM = re.compile(r"^  \[(\d+)/\1\] ")  # `[15/15]`: the last stream's line
LOUD_LEVELS = ("WARN", "ERROR", "FATAL")
SAID_ELSEWHERE = ("Check failed",)  # the CDK's line before the check's answer, which the sync then says in full


def _what(label: str, merged: str) -> str:
    """`Budget:`, or for a sheet read into a merged stream `project_plan_template: Project Apollo`."""
    return f"{merged}: {display_name(label)}" if merged else f"{display_name(label)}:"


def _slash(position: str) -> str:
    """`3 of 15` -> `3/15` (`-` when the position is not known)."""
    return position.replace(" of ", "/") or "-"


class Progress:
    """Prints progress lines; `phase()` says what is happening now, `log()` takes each connector log line."""

    def __init__(self, out: TextIO = sys.stdout, clock: Callable[[], float] = time.monotonic) -> None:
        self._out = out
        self._clock = clock
        self._lock = threading.Lock()
        self._phase = "starting"
        self._phase_started = self._heard = clock()
        self._reads: dict[str, Reading] = {}  # label -> its read's line (position, merged stream)
        self.rows = 0
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="progress", daemon=True)

    def __enter__(self) -> Progress:
        self._ticker.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._ticker.join(timeout=1)

    def phase(self, doing: str) -> None:
        """`checking the connection to host:port`: printed now, and repeated while nothing else is heard."""
        with self._lock:
            self._phase = doing
            self._phase_started = self._heard = self._clock()
            self._print(f"{doing[:1].upper()}{doing[1:]}...")

    def log(self, level: str, message: str) -> None:
        with self._lock:
            self._heard = self._clock()
            line = self._line(level, message.strip())
            if line and LAST_STREAM.match(line):  # what follows is PyAirbyte writing the tables, not reading
                self._phase, self._phase_started = "writing the tables into DuckDB", self._clock()
            if line:
                self._print(line)

    def _line(self, level: str, message: str) -> str | None:
        if message in SAID_ELSEWHERE:
            return None
        if level in LOUD_LEVELS:
            return f"  ! {message.splitlines()[0] if message else ''}"
        line = parse(message)
        if isinstance(line, Reading):
            self._reads[line.label] = line
            return None
        if isinstance(line, RowsEmitted):
            self.rows += line.rows
            read = self._reads.get(line.label, Reading(line.label))
            rows = counted(line.rows, "row")
            return f"  [{_slash(read.position)}] {_what(read.label, read.merged)} {rows}"
        if isinstance(line, Unchanged):
            return f"  [{_slash(line.position)}] {_what(line.label, line.merged)} unchanged, not read"
        if isinstance(line, AroundRowsDone):
            deleted = f", {line.deleted} deleted" if line.deleted else ""
            what = f"{counted(line.records, 'record')}{deleted} from {counted(line.sheets, 'sheet')}"
            return f"  [{_slash(line.position)}] {line.stream}: {what}"
        if isinstance(line, HistoryDone):
            left = f", {line.left} cells left for the next syncs" if line.left else ""
            what = f"{counted(line.records, 'change')} from {counted(line.asked, 'cell')} ({line.units} request units)"
            return f"  [{_slash(line.position)}] cell_history: {what}{left}"
        if isinstance(line, AccountDone):
            return f"  [{_slash(line.position)}] {line.stream}: {counted(line.records, 'record')}"
        if isinstance(line, RowsSoFar):
            read = self._reads.get(line.label, Reading(line.label))
            return f"  [{_slash(read.position)}] {_what(read.label, read.merged)} {line.done} of {line.total} rows so far"
        return None

    def _tick(self) -> None:
        while not self._stop.wait(0.25):
            self._tick_once()

    def _tick_once(self) -> None:
        with self._lock:
            now = self._clock()
            if now - self._heard >= QUIET_SECONDS:
                self._heard = now
                self._print(f"  ... still {self._phase} ({now - self._phase_started:.0f} s)")

    def _print(self, line: str) -> None:
        print(line, file=self._out, flush=True)
