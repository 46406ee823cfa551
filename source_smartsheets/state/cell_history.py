"""State of the cell_history stream, and the rules of which cells' history to ask (pure, table-tested).

State shape (documented in docs/incremental.md):

    {"state_version": 1, "columns": ["Status"],
     "sheets": {"<sheet id>": {"cells": {"<column id>": "d1:<packed row id -> digest>"}, "version": 17?, "since": "<ts>"?}}}

`cells` holds, for each chosen column, a short digest of each cell's value as it was when its history was last
asked (or known without asking: an empty cell of a new row has none). A sync lists the chosen cells of a sheet
(one request) and asks the history of a cell only where the digest differs: a value that changed since, or a cell
never asked. A cell the budget leaves over keeps its old digest and is asked by a later sync.
`version` and `since` are written when nothing is left to ask: a sheet whose version did not move since is not
asked at all, and the history asked next time is new from `since` (the newest row change then) on.
`columns` are the titles the state was made for: other titles are a reason to look at every sheet again.
An edit undone before the next sync (A, then B, then A again) leaves the digest as it was and is not asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

from ..timestamps import format_time, parse_time
from ..whole_numbers import whole_int
from .digests import digest, pack_items, unpack_items
from .envelope import open_state, sealed
from .row_ids import CorruptRowIds

EMPTY = digest({})  # the digest of a cell with no value


class Cell(NamedTuple):
    sheet_id: int
    row_id: int
    column_id: int


def cell_digest(cell: Mapping[str, Any] | None) -> bytes:
    """A cell's value, as the digest the state keeps (its column id left out)."""
    if not cell:
        return EMPTY
    return digest({key: value for key, value in cell.items() if key != "columnId"})


@dataclass(frozen=True)
class HistorySheet:
    """What the stream remembers of one sheet."""

    cells: Mapping[int, Mapping[int, bytes]] = field(default_factory=dict)  # column id -> row id -> digest
    version: int | None = None  # the sheet's version when nothing was left to ask (None: something is, or unknown)
    since: datetime | None = None  # the newest row change when nothing was left to ask: newer history is new

    def to_message(self) -> dict[str, Any]:
        body: dict[str, Any] = {"cells": {str(column): pack_items(rows) for column, rows in sorted(self.cells.items())}}
        if self.version is not None:
            body["version"] = self.version
        if self.since is not None:
            body["since"] = format_time(self.since)
        return body


@dataclass(frozen=True)
class CellHistoryState:
    sheets: Mapping[int, HistorySheet]
    columns: tuple[str, ...] = ()  # the titles this state was made for
    reason: str | None = None  # why an incoming state was set aside, if it was

    def to_message(self) -> dict[str, Any]:
        return sealed(
            {
                "columns": list(self.columns),
                "sheets": {str(sheet_id): part.to_message() for sheet_id, part in sorted(self.sheets.items())},
            }
        )


def parse_cell_history_state(raw: Mapping[str, Any] | None) -> CellHistoryState:
    """An incoming state; anything unusable is set aside whole, with the reason (every cell is asked again)."""
    opened = open_state(raw, "sheets")
    if opened.body is None:
        return CellHistoryState({}, reason=opened.reason)
    raw = opened.body
    sheets: dict[int, HistorySheet] = {}
    try:
        for key, body in raw["sheets"].items():
            cells = {int(column): unpack_items(str(packed)) for column, packed in (body.get("cells") or {}).items()}
            version = body.get("version")
            since = body.get("since")
            sheets[int(key)] = HistorySheet(
                cells,
                whole_int(version),
                parse_time(since) if isinstance(since, str) else None,
            )
    except (CorruptRowIds, ValueError, TypeError, AttributeError) as error:
        return CellHistoryState({}, reason=f"its sheets do not parse ({error})")
    columns = raw.get("columns")
    titles = tuple(str(title) for title in columns) if isinstance(columns, list) else ()
    return CellHistoryState(sheets, titles)


def unchanged(previous: HistorySheet | None, listed_version: int | None) -> bool:
    """Nothing to ask of a sheet: nothing was left over, and its version did not move since."""
    if previous is None or previous.version is None or listed_version is None:
        return False
    return listed_version <= previous.version


@dataclass(frozen=True)
class Asks:
    """Which cells of one sheet to ask, from the digests the state keeps and those of the cells now."""

    changed: list[Cell]  # asked before, changed since: history newer than the sheet's `since` is new
    new: list[Cell]  # never asked (a first sync, a new row or a newly chosen column): all of its history is new
    current: Mapping[int, Mapping[int, bytes]]  # column id -> row id -> the digest now


def asks(sheet_id: int, previous: HistorySheet | None, current: Mapping[int, Mapping[int, bytes]]) -> Asks:
    """The cells whose history to ask: a digest that differs from the one kept, or a cell with a value and none
    kept. Rows in sheet order (the order of `current`), column by column."""
    kept = previous.cells if previous is not None else {}
    changed: list[Cell] = []
    new: list[Cell] = []
    rows: dict[int, list[int]] = {}
    for column_id, cells in current.items():
        for row_id in cells:
            rows.setdefault(row_id, []).append(column_id)
    for row_id, columns in rows.items():
        for column_id in columns:
            now = current[column_id][row_id]
            before = kept.get(column_id, {}).get(row_id)
            if before is None and now != EMPTY:
                new.append(Cell(sheet_id, row_id, column_id))
            elif before is not None and before != now:
                changed.append(Cell(sheet_id, row_id, column_id))
    return Asks(changed, new, current)


def spend(budget: int, cost: int, sheets: Sequence[Asks]) -> set[Cell]:
    """The cells a sync asks within `budget` request units (each ask costs `cost`): changes to cells asked before
    first, in sheet order, then cells never asked, so that a long first sync never holds back newer changes."""
    chosen: set[Cell] = set()
    room = budget // cost if cost > 0 else 0
    for cell in [cell for sheet in sheets for cell in sheet.changed] + [cell for sheet in sheets for cell in sheet.new]:
        if len(chosen) >= room:
            break
        chosen.add(cell)
    return chosen


def after(
    previous: HistorySheet | None, found: Asks, asked: Iterable[Cell], version: int | None, newest: datetime | None
) -> HistorySheet:
    """What to remember once the `asked` cells' history was emitted: their digests now; the other cells' digests as
    they were (a cell left over is asked next time); `version` and `since` once nothing is left."""
    done = {(cell.row_id, cell.column_id) for cell in asked}
    kept = previous.cells if previous is not None else {}
    waiting = {(cell.row_id, cell.column_id) for cell in (*found.changed, *found.new)} - done
    cells: dict[int, dict[int, bytes]] = {}
    for column_id, now in found.current.items():
        column: dict[int, bytes] = {}
        before = kept.get(column_id, {})
        for row_id, value in now.items():
            if (row_id, column_id) not in waiting:
                column[row_id] = value
            elif row_id in before:
                column[row_id] = before[row_id]
        cells[column_id] = column
    if waiting:
        return HistorySheet(cells, None, previous.since if previous is not None else None)
    return HistorySheet(cells, version, newest)
