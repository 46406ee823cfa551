"""What the terminal shows while a local sync runs: each sheet as it is done, waits and warnings as they
happen, and a line whenever nothing has been heard for a few seconds, so a sync is never minutes of silence.

It listens to the connector's LOG messages as PyAirbyte receives them (PyAirbyte itself only writes them
to its log file).
"""

from __future__ import annotations

import re
import sys
import threading
import time
from typing import Any, Callable, TextIO

QUIET_SECONDS = 4.0  # after this long without a word from the connector, say what is being waited for

READING = re.compile(r"^Reading (?P<label>.+?) \((?P<position>\d+ of \d+) in this sync\)\.$")
EMITTED = re.compile(r"^(?P<label>.+?): (?P<rows>\d+) rows emitted")
UNCHANGED = re.compile(r"^(?P<label>.+?) is unchanged since the last sync .*\((?P<position>\d+ of \d+) in this sync\)\.$")
ROWS_READ = re.compile(r"^(?P<label>.+?): (?P<done>\d+) of (?P<total>\d+) rows read$")
AROUND_ROWS = re.compile(
    r"^Stream (?P<name>\w+): (?P<records>\d+) records \((?P<deleted>\d+) deleted\) from (?P<sheets>\d+) sheets.*"
    r"\((?P<position>\d+ of \d+) in this sync\)\.$"
)
LAST_STREAM = re.compile(r"^  \[(\d+)/\1\] ")  # `[15/15]`: the last stream's line
QUOTED_NAME = re.compile(r"\((['\"])(?P<name>.*)\1\)$")
LOUD_LEVELS = ("WARN", "ERROR", "FATAL")
SAID_ELSEWHERE = ("Check failed",)  # the CDK's line before the check's answer, which the sync then says in full


def display_name(label: str) -> str:
    """`sheet 123 ('Budget')` -> `Budget`."""
    found = QUOTED_NAME.search(label)
    return found.group("name") if found else label


class Progress:
    """Prints progress lines; `phase()` says what is happening now, `log()` takes each connector log line."""

    def __init__(self, out: TextIO = sys.stdout, clock: Callable[[], float] = time.monotonic) -> None:
        self._out = out
        self._clock = clock
        self._lock = threading.Lock()
        self._phase = "starting"
        self._phase_started = self._heard = clock()
        self._positions: dict[str, str] = {}  # label -> "2 of 3"
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
        if found := READING.match(message):
            self._positions[found["label"]] = found["position"]
            return None
        if found := EMITTED.match(message):
            rows = int(found["rows"])
            self.rows += rows
            return f"  [{self._position(found['label'])}] {display_name(found['label'])}: {rows} row{'' if rows == 1 else 's'}"
        if found := UNCHANGED.match(message):
            return f"  [{found['position'].replace(' of ', '/')}] {display_name(found['label'])}: unchanged, not read"
        if found := AROUND_ROWS.match(message):
            records, sheets = int(found["records"]), int(found["sheets"])
            deleted = f", {found['deleted']} deleted" if found["deleted"] != "0" else ""
            what = f"{records} record{'' if records == 1 else 's'}{deleted} from {sheets} sheet{'' if sheets == 1 else 's'}"
            return f"  [{found['position'].replace(' of ', '/')}] {found['name']}: {what}"
        if found := ROWS_READ.match(message):
            label = found["label"]
            return f"  [{self._position(label)}] {display_name(label)}: {found['done']} of {found['total']} rows so far"
        return None

    def _position(self, label: str) -> str:
        return self._positions.get(label, "-").replace(" of ", "/")

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
