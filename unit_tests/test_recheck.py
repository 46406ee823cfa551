"""The recheck schedule of the streams around rows (source_smartsheets/recheck.py): each sheet's turn is fixed by
its id, so every sheet is asked once in each window and each sync pays an even share."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest

from source_smartsheets.recheck import due, phase
from source_smartsheets.state.around_rows import AroundRowsState, RememberedSheet, parse_around_rows_state

DAY = timedelta(hours=24)
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
SHEET = 4583173393803140


def _turn(sheet_id: int) -> datetime:
    """The sheet's first turn after T0."""
    start = T0.timestamp()
    seconds = DAY.total_seconds()
    first = phase(sheet_id, DAY) + seconds * ((start - phase(sheet_id, DAY)) // seconds + 1)
    return datetime.fromtimestamp(math.ceil(first), timezone.utc)  # the whole second it falls in


@pytest.mark.parametrize(
    ("last_pass", "now", "window", "expected"),
    [
        (None, T0, DAY, True),  # never checked: due
        (T0, T0, DAY, False),  # no time passed
        (T0, T0 + DAY, DAY, True),  # a whole window passed: due whatever its phase
        (T0, T0 + timedelta(days=3), DAY, True),
        (T0, T0 + timedelta(hours=1), timedelta(0), True),  # window 0: every sync
        (T0, T0 - timedelta(hours=1), DAY, False),  # a clock that went back: not due (the next window catches it)
    ],
)
def test_due(last_pass, now, window, expected) -> None:
    assert due(SHEET, last_pass, now, window) is expected


def test_a_sheet_is_due_exactly_in_the_sync_whose_span_holds_its_turn() -> None:
    turn = _turn(SHEET)
    second = timedelta(seconds=1)
    assert due(SHEET, T0, turn, DAY) and not due(SHEET, T0, turn - second, DAY)
    assert not due(SHEET, turn, turn + DAY - second, DAY)  # once in a window
    assert due(SHEET, turn - second, turn + second, DAY)


def test_syncs_an_hour_apart_ask_each_of_a_thousand_sheets_once_a_day_in_even_shares() -> None:
    sheets = range(10**15, 10**15 + 1000 * 7919, 7919)
    shares = []
    for hour in range(24):
        start, end = T0 + timedelta(hours=hour), T0 + timedelta(hours=hour + 1)
        shares.append(sum(due(sheet, start, end, DAY) for sheet in sheets))
    assert sum(shares) == 1000  # each sheet exactly once in the day
    assert max(shares) <= 70 and min(shares) >= 15  # about 42 an hour, no burst


@pytest.mark.parametrize(
    ("raw", "checked_at"),
    [
        ({"state_version": 1, "sheets": {}}, None),  # 0.3.0's state: every sheet rechecked once
        ({"state_version": 1, "checked_at": "2026-01-05T09:00:00Z", "sheets": {}}, T0),
        ({"state_version": 1, "checked_at": "yesterday", "sheets": {}}, None),  # unreadable: rechecked, nothing lost
    ],
)
def test_the_last_pass_is_read_from_the_state(raw, checked_at) -> None:
    assert parse_around_rows_state(raw).checked_at == checked_at


def test_the_last_pass_round_trips() -> None:
    state = AroundRowsState({7: RememberedSheet({}, version=3)}, checked_at=T0)
    again = parse_around_rows_state(state.to_message())
    assert (again.checked_at, again.sheets[7].version) == (T0, 3)
