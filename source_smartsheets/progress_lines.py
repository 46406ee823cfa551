"""The progress lines a read logs, written and parsed here only: the connector writes them (INFO), the local
sync reads them back to show its progress. A line reworded here is reworded for both, and the round trip is
tested (`unit_tests/test_progress_lines.py`).

Each kind of line is a small dataclass: `str(line)` is the text logged, `parse(text)` the line again (None for
any other text). A `position` is `"3 of 15"`: the stream's place among the configured streams of this sync
(empty outside a read, and then not written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any, ClassVar


def object_label(kind: str, object_id: int, name: str) -> str:
    """How every line names a sheet, report or dashboard: `sheet 123 ('Budget')`."""
    return f"{kind} {object_id} ({name!r})"


_QUOTED_NAME = re.compile(r"\((['\"])(?P<name>.*)\1\)$")


def display_name(label: str) -> str:
    """The name in a label `object_label` wrote (`sheet 123 ('Budget')` -> `Budget`); another label as it is."""
    found = _QUOTED_NAME.search(label)
    return found.group("name") if found else label


def counted(count: int, noun: str) -> str:
    """`1 row`, `3 rows`: a count with its noun, in every line a person reads."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _in_this_sync(position: str) -> str:
    return f" ({position} in this sync)" if position else ""


_POSITION = r"(?: \((?P<position>\d+ of \d+) in this sync\))?"


def _into(merged: str) -> str:
    return f" into {merged}" if merged else ""


_INTO = r"(?: into (?P<merged>[a-z][a-z0-9_]*))?"


@dataclass(frozen=True)
class Reading:
    """A sheet's or report's read begins (`merged`: the merged stream the sheet is read into)."""

    label: str
    position: str = ""
    merged: str = ""
    pattern: ClassVar[re.Pattern[str]] = re.compile(rf"^Reading (?P<label>.+?){_INTO}{_POSITION}\.$")

    def __str__(self) -> str:
        return f"Reading {self.label}{_into(self.merged)}{_in_this_sync(self.position)}."


@dataclass(frozen=True)
class Unchanged:
    """A sheet passed over: its version did not move since the last sync."""

    label: str
    version: int
    position: str = ""
    merged: str = ""
    pattern: ClassVar[re.Pattern[str]] = re.compile(
        rf"^(?P<label>.+?){_INTO} is unchanged since the last sync \(version (?P<version>-?\d+)\); not read{_POSITION}\.$"
    )

    def __str__(self) -> str:
        return (
            f"{self.label}{_into(self.merged)} is unchanged since the last sync (version {self.version}); "
            f"not read{_in_this_sync(self.position)}."
        )


@dataclass(frozen=True)
class RowsSoFar:
    """A large read's progress, every few thousand rows."""

    label: str
    done: int
    total: int
    pattern: ClassVar[re.Pattern[str]] = re.compile(r"^(?P<label>.+?): (?P<done>\d+) of (?P<total>\d+) rows read$")

    def __str__(self) -> str:
        return f"{self.label}: {self.done} of {self.total} rows read"


@dataclass(frozen=True)
class RowsEmitted:
    """A sheet's or report's read is done (a report's line has no catch-up, deletions or cursor: None)."""

    label: str
    rows: int
    caught_up: int | None = None
    deletions: int | None = None
    skipped_at_cursor: int | None = None
    pattern: ClassVar[re.Pattern[str]] = re.compile(
        r"^(?P<label>.+?): (?P<rows>\d+) rows emitted"
        r"(?: \((?P<caught_up>\d+) caught up, (?P<deletions>\d+) deletions\), (?P<skipped_at_cursor>\d+) unchanged rows at the "
        r"cursor skipped)?\.$"
    )

    def __str__(self) -> str:
        if self.caught_up is None:
            return f"{self.label}: {self.rows} rows emitted."
        return (
            f"{self.label}: {self.rows} rows emitted ({self.caught_up} caught up, {self.deletions} deletions), "
            f"{self.skipped_at_cursor} unchanged rows at the cursor skipped."
        )


@dataclass(frozen=True)
class AroundRowsDone:
    """A stream around rows is done, over every selected sheet."""

    stream: str
    records: int
    deleted: int
    sheets: int
    unchanged: int
    skipped: int
    position: str = ""
    pattern: ClassVar[re.Pattern[str]] = re.compile(
        r"^Stream (?P<stream>\w+): (?P<records>\d+) records \((?P<deleted>\d+) deleted\) from (?P<sheets>\d+) sheets; "
        rf"(?P<unchanged>\d+) sheets passed over unchanged, (?P<skipped>\d+) skipped{_POSITION}\.$"
    )

    def __str__(self) -> str:
        return (
            f"Stream {self.stream}: {self.records} records ({self.deleted} deleted) from {self.sheets} sheets; "
            f"{self.unchanged} sheets passed over unchanged, {self.skipped} skipped{_in_this_sync(self.position)}."
        )


@dataclass(frozen=True)
class HistoryDone:
    """cell_history is done: the changes it emitted, the cells it asked and what that cost, the cells left over."""

    records: int
    asked: int
    units: int
    budget: int
    left: int
    unchanged: int
    position: str = ""
    pattern: ClassVar[re.Pattern[str]] = re.compile(
        r"^Stream cell_history: (?P<records>\d+) changes from (?P<asked>\d+) cells asked \((?P<units>\d+) of (?P<budget>\d+) "
        r"request units on history\); (?P<left>\d+) cells left for the next syncs; (?P<unchanged>\d+) sheets unchanged "
        rf"since{_POSITION}\.$"
    )

    def __str__(self) -> str:
        return (
            f"Stream cell_history: {self.records} changes from {self.asked} cells asked ({self.units} of {self.budget} "
            f"request units on history); {self.left} cells left for the next syncs; {self.unchanged} sheets unchanged "
            f"since{_in_this_sync(self.position)}."
        )


@dataclass(frozen=True)
class AccountDone:
    """An account stream is done."""

    stream: str
    records: int
    position: str = ""
    pattern: ClassVar[re.Pattern[str]] = re.compile(rf"^Stream (?P<stream>\w+): (?P<records>\d+) records{_POSITION}\.$")

    def __str__(self) -> str:
        return f"Stream {self.stream}: {self.records} records{_in_this_sync(self.position)}."


ProgressLine = Reading | Unchanged | RowsSoFar | RowsEmitted | AroundRowsDone | HistoryDone | AccountDone
KINDS: tuple[type[ProgressLine], ...] = (Reading, Unchanged, RowsSoFar, RowsEmitted, AroundRowsDone, HistoryDone, AccountDone)


def parse(text: str) -> ProgressLine | None:
    """The progress line `text` is, or None."""
    for kind in KINDS:
        found = kind.pattern.match(text)
        if found is None:
            continue
        values: dict[str, Any] = {}
        for item in fields(kind):
            raw = found.group(item.name)
            if raw is None:
                continue  # an optional part left out: the field's default
            values[item.name] = raw if item.type == "str" else int(raw)
        return kind(**values)
    return None
