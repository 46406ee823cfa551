"""The rules of which cells' history a sync asks (`state/cell_history.py`), the budget, the state's round trip, and
the records a cell's history becomes (`schema_mapping/cell_history.py`)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from source_smartsheets.schema_mapping.cell_history import history_records
from source_smartsheets.schema_mapping.sheet_fields import SheetFields
from source_smartsheets.state.cell_history import (
    EMPTY,
    Asks,
    Cell,
    CellHistoryState,
    HistorySheet,
    after,
    asks,
    cell_digest,
    parse_cell_history_state,
    spend,
    unchanged,
)

S, C = 7, 100  # a sheet, a column
A, B = cell_digest({"value": "A"}), cell_digest({"value": "B"})
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
T1 = datetime(2026, 1, 6, 9, 0, tzinfo=timezone.utc)


def cells(*rows: tuple[int, bytes]) -> dict[int, dict[int, bytes]]:
    return {C: dict(rows)}


@pytest.mark.parametrize(
    ("kept", "now", "changed", "new"),
    [
        pytest.param(None, cells((1, A), (2, EMPTY)), [], [1], id="first sync: every cell with a value, none empty"),
        pytest.param(cells((1, A)), cells((1, A)), [], [], id="unchanged value: nothing to ask"),
        pytest.param(cells((1, A)), cells((1, B)), [1], [], id="changed value"),
        pytest.param(cells((1, A)), cells((1, EMPTY)), [1], [], id="cleared: a change"),
        pytest.param(cells((1, A)), cells((1, A), (2, B)), [], [2], id="a new row"),
        pytest.param(cells((1, A)), cells((2, B)), [], [2], id="a deleted row: nothing to ask of it"),
        pytest.param(cells((1, A), (2, EMPTY)), cells((1, A), (2, B)), [2], [], id="a cell empty when last seen, set now"),
    ],
)
def test_only_cells_whose_value_changed_are_asked(kept, now, changed, new) -> None:
    previous = HistorySheet(kept) if kept is not None else None
    found = asks(S, previous, now)
    assert [cell.row_id for cell in found.changed] == changed
    assert [cell.row_id for cell in found.new] == new


def test_the_budget_goes_to_changes_before_cells_never_asked() -> None:
    first = Asks([], [Cell(1, row, C) for row in range(10)], {})
    second = Asks([Cell(2, 50, C), Cell(2, 51, C)], [Cell(2, 60, C)], {})
    assert spend(50, 10, [first, second]) == {Cell(2, 50, C), Cell(2, 51, C), *(Cell(1, row, C) for row in range(3))}
    assert spend(9, 10, [first, second]) == set()
    assert spend(1000, 10, [first, second]) == {*first.new, *second.changed, *second.new}


def test_cells_left_over_keep_their_old_digest_and_the_sheet_stays_open() -> None:
    previous = HistorySheet(cells((1, A), (2, A)), version=3, since=T0)
    found = asks(S, previous, cells((1, B), (2, B), (3, A)))
    partial = after(previous, found, [Cell(S, 1, C)], version=5, newest=T1)
    assert partial.cells == {C: {1: B, 2: A}}  # row 2 is asked next time; row 3 was never asked: no digest
    assert partial.version is None and partial.since == T0  # not complete: the version is no reason to skip it
    again = asks(S, partial, cells((1, B), (2, B), (3, A)))
    assert [cell.row_id for cell in again.changed] == [2] and [cell.row_id for cell in again.new] == [3]
    complete = after(partial, again, [*again.changed, *again.new], version=6, newest=T1)
    assert complete.cells == {C: {1: B, 2: B, 3: A}} and complete.version == 6 and complete.since == T1


@pytest.mark.parametrize(
    ("previous", "listed", "expected"),
    [
        (None, 5, False),
        (HistorySheet({}, version=5), 5, True),
        (HistorySheet({}, version=5), 6, False),
        (HistorySheet({}, version=None), 5, False),  # cells were left over: look again
        (HistorySheet({}, version=5), None, False),
    ],
)
def test_a_sheet_is_passed_over_only_when_nothing_was_left_and_its_version_did_not_move(previous, listed, expected) -> None:
    assert unchanged(previous, listed) is expected


def test_state_round_trip_and_what_is_set_aside() -> None:
    state = CellHistoryState({S: HistorySheet(cells((1, A), (2, B)), version=4, since=T0)}, ("Status",))
    parsed = parse_cell_history_state(state.to_message())
    assert parsed.sheets == state.sheets and parsed.columns == ("Status",) and parsed.reason is None
    assert parse_cell_history_state({}).sheets == {}
    assert parse_cell_history_state({"sheets": []}).reason == "it is not a state this stream writes"
    assert "do not parse" in (parse_cell_history_state({"sheets": {"7": {"cells": {"100": "zz"}}}}).reason or "")
    assert "state_version" in (parse_cell_history_state({"state_version": 99, "sheets": {}}).reason or "")


STATUS = {"id": C, "index": 0, "title": "Status", "type": "PICKLIST", "options": ["Open", "Done"]}
HOURS = {"id": 101, "index": 1, "title": "Hours", "type": "TEXT_NUMBER"}


def _entry(value, at, by="ana@example.com"):
    return {
        "columnId": C,
        "value": value,
        "displayValue": str(value),
        "modifiedAt": at,
        "modifiedBy": {"email": by, "name": "Ana"},
    }


def test_history_becomes_records_oldest_first_numbered_within_a_second_from_the_floor_on() -> None:
    field = SheetFields(S, [STATUS, HOURS]).fields[0]
    newest_first = [
        _entry("Done", "2026-01-06T10:00:00Z"),
        _entry("Open", "2026-01-06T10:00:00Z"),
        _entry("Done", "2026-01-05T08:00:00Z"),
    ]
    records = history_records(S, "plan", 9, field, newest_first, floor=None)
    assert [(r["value_text"], r["modified_at"], r["seq"]) for r in records] == [
        ("Done", "2026-01-05T08:00:00Z", 0),
        ("Open", "2026-01-06T10:00:00Z", 0),
        ("Done", "2026-01-06T10:00:00Z", 1),
    ]
    assert records[0]["field"] == "status" and records[0]["modified_by"] == "ana@example.com" and records[0]["row_id"] == 9
    from_floor = history_records(S, "plan", 9, field, newest_first, floor=T1.replace(hour=10))
    assert [(r["value_text"], r["seq"]) for r in from_floor] == [("Open", 0), ("Done", 1)]  # seq as in the whole history


def test_a_number_column_keeps_its_type() -> None:
    field = SheetFields(S, [STATUS, HOURS], declared={"hours": {"type": ["null", "number"]}}).fields[1]
    records = history_records(S, "plan", 9, field, [{**_entry(8.0, "2026-01-05T08:00:00Z"), "columnId": 101}], None)
    assert records[0]["value_number"] == 8.0 and records[0]["value_text"] is None
