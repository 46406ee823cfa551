"""The local sync's terminal lines, from the connector's log lines (local_sync/progress.py)."""

from __future__ import annotations

import io

import pytest

from local_sync.progress import QUIET_SECONDS, Progress
from source_smartsheets.progress_lines import (
    AccountDone,
    AroundRowsDone,
    HistoryDone,
    Reading,
    RowsEmitted,
    RowsSoFar,
    Unchanged,
    display_name,
)

BUDGET = "sheet 11 ('Budget')"
APOLLO, MERGED = "sheet 3 ('Project Apollo')", "project_plan_template"
# The connector's lines as it writes them (`progress_lines`), and what the terminal shows for each.
LOGS = [
    ("INFO", str(Reading(BUDGET, "2 of 3")), None),
    ("INFO", str(RowsEmitted(BUDGET, 6, 0, 0, 0)), "  [2/3] Budget: 6 rows"),
    ("INFO", str(Unchanged("sheet 12 ('Plan')", 4, "3 of 3")), "  [3/3] Plan: unchanged, not read"),
    ("INFO", str(RowsEmitted("report 13 ('Weekly')", 1)), "  [-] Weekly: 1 row"),
    ("INFO", str(AroundRowsDone("comments", 5, 0, 3, 0, 0, "7 of 10")), "  [7/10] comments: 5 records from 3 sheets"),
    ("INFO", str(AroundRowsDone("sheets", 1, 1, 0, 3, 0, "4 of 10")), "  [4/10] sheets: 1 record, 1 deleted from 0 sheets"),
    ("INFO", str(RowsSoFar(BUDGET, 5000, 20000)), "  [2/3] Budget: 5000 of 20000 rows so far"),
    ("INFO", str(HistoryDone(1, 1, 10, 600, 0, 7, "8 of 10")), "  [8/10] cell_history: 1 change from 1 cell (10 request units)"),
    (
        "INFO",
        str(HistoryDone(140, 60, 600, 600, 7940, 0, "8 of 10")),
        "  [8/10] cell_history: 140 changes from 60 cells (600 request units), 7940 cells left for the next syncs",
    ),
    ("INFO", str(AccountDone("users", 1, "9 of 10")), "  [9/10] users: 1 record"),
    # the sheets of a merged stream share its position: each line names the stream and the sheet
    ("INFO", str(Reading(APOLLO, "4 of 11", MERGED)), None),
    ("INFO", str(RowsEmitted(APOLLO, 3, 0, 0, 0)), f"  [4/11] {MERGED}: Project Apollo 3 rows"),
    (
        "INFO",
        str(Unchanged("sheet 4 ('Project Borealis')", 2, "4 of 11", MERGED)),
        f"  [4/11] {MERGED}: Project Borealis unchanged, not read",
    ),
    (
        "WARN",
        "Smartsheet answered 429 for /sheets/11; retry 1 in 60.0s.",
        "  ! Smartsheet answered 429 for /sheets/11; retry 1 in 60.0s.",
    ),
    ("ERROR", "Check failed", None),  # the sync's own Error line says why
    ("INFO", "Starting syncing SourceSmartsheets", None),
]


def test_each_connector_line_becomes_its_terminal_line() -> None:
    out = io.StringIO()
    progress = Progress(out)
    for level, message, _ in LOGS:
        progress.log(level, message)
    assert out.getvalue().splitlines() == [line for _, _, line in LOGS if line is not None]
    assert progress.rows == 10


@pytest.mark.parametrize(
    "label, name",
    [("sheet 1 ('Budget')", "Budget"), ("""sheet 2 ("Bob's plan")""", "Bob's plan"), ("stream x", "stream x")],
)
def test_display_name(label: str, name: str) -> None:
    assert display_name(label) == name


def test_silence_is_answered_with_what_is_awaited() -> None:
    now = [0.0]
    out = io.StringIO()
    progress = Progress(out, clock=lambda: now[0])
    progress.phase("checking the connection to 127.0.0.1:9")
    now[0] = QUIET_SECONDS - 0.1
    progress._tick_once()
    now[0] = QUIET_SECONDS + 0.1
    progress._tick_once()
    progress.log("INFO", str(Reading("sheet 1 ('A')", "1 of 1")))  # heard: the quiet time starts again
    now[0] = QUIET_SECONDS * 2
    progress._tick_once()
    assert out.getvalue().splitlines() == [
        "Checking the connection to 127.0.0.1:9...",
        f"  ... still checking the connection to 127.0.0.1:9 ({QUIET_SECONDS + 0.1:.0f} s)",
    ]


def test_after_the_last_streams_line_the_waiting_line_says_the_tables_are_being_written() -> None:
    out = io.StringIO()
    now = [0.0]
    progress = Progress(out, clock=lambda: now[0])
    progress.phase("reading 2 streams")
    progress.log("INFO", str(Reading(BUDGET, "2 of 2")))
    progress.log("INFO", str(RowsEmitted(BUDGET, 6, 0, 0, 0)))
    now[0] = QUIET_SECONDS + 1
    progress._tick_once()
    assert out.getvalue().splitlines()[-1] == f"  ... still writing the tables into DuckDB ({QUIET_SECONDS + 1:.0f} s)"
