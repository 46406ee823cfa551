"""The local sync's terminal lines, from the connector's log lines (local_sync/progress.py)."""

from __future__ import annotations

import io

import pytest

from local_sync.progress import QUIET_SECONDS, Progress, display_name

LOGS = [
    ("INFO", "Reading sheet 11 ('Budget') (2 of 3 in this sync).", None),
    (
        "INFO",
        "sheet 11 ('Budget'): 6 rows emitted (0 caught up, 0 deletions), 0 unchanged rows at the cursor skipped.",
        "  [2/3] Budget: 6 rows",
    ),
    (
        "INFO",
        "sheet 12 ('Plan') is unchanged since the last sync (version 4); not read (3 of 3 in this sync).",
        "  [3/3] Plan: unchanged, not read",
    ),
    ("INFO", "report 13 ('Weekly'): 1 rows emitted.", "  [-] Weekly: 1 row"),
    (
        "INFO",
        "Stream comments: 5 records (0 deleted) from 3 sheets; 0 sheets passed over unchanged, 0 skipped (7 of 10 in this sync).",
        "  [7/10] comments: 5 records from 3 sheets",
    ),
    (
        "INFO",
        "Stream sheets: 1 records (1 deleted) from 0 sheets; 3 sheets passed over unchanged, 0 skipped (4 of 10 in this sync).",
        "  [4/10] sheets: 1 record, 1 deleted from 0 sheets",
    ),
    ("INFO", "sheet 11 ('Budget'): 5000 of 20000 rows read", "  [2/3] Budget: 5000 of 20000 rows so far"),
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
    assert progress.rows == 7


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
    progress.log("INFO", "Reading sheet 1 ('A') (1 of 1 in this sync).")  # heard: the quiet time starts again
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
    progress.log("INFO", "Reading sheet 11 ('Budget') (2 of 2 in this sync).")
    progress.log(
        "INFO", "sheet 11 ('Budget'): 6 rows emitted (0 caught up, 0 deletions), 0 unchanged rows at the cursor skipped."
    )
    now[0] = QUIET_SECONDS + 1
    progress._tick_once()
    assert out.getvalue().splitlines()[-1] == f"  ... still writing the tables into DuckDB ({QUIET_SECONDS + 1:.0f} s)"
