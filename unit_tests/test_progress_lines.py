"""The progress lines the connector logs and the local sync reads back: one module writes and parses them
(source_smartsheets/progress_lines.py), so each kind is tested as a round trip, with the text pinned once."""

from __future__ import annotations

import pytest

from source_smartsheets.progress_lines import (
    AccountDone,
    AroundRowsDone,
    HistoryDone,
    Reading,
    RowsEmitted,
    RowsSoFar,
    Unchanged,
    parse,
)

TRICKY = """sheet 7 ("Bob's (draft) plan: v2")"""  # quotes, parentheses and a colon inside a label


@pytest.mark.parametrize(
    ("line", "text"),
    [
        (Reading("sheet 11 ('Budget')", "2 of 3"), "Reading sheet 11 ('Budget') (2 of 3 in this sync)."),
        (Reading("report 5 ('Weekly')"), "Reading report 5 ('Weekly')."),
        (Reading(TRICKY, "1 of 9"), f"Reading {TRICKY} (1 of 9 in this sync)."),
        (
            Reading("sheet 3 ('Project Apollo')", "4 of 11", "project_plan_template"),
            "Reading sheet 3 ('Project Apollo') into project_plan_template (4 of 11 in this sync).",
        ),
        (
            Unchanged("sheet 3 ('Project Apollo')", 9, "4 of 11", "project_plan_template"),
            "sheet 3 ('Project Apollo') into project_plan_template is unchanged since the last sync (version 9); "
            "not read (4 of 11 in this sync).",
        ),
        (
            Unchanged("sheet 12 ('Plan')", 4, "3 of 3"),
            "sheet 12 ('Plan') is unchanged since the last sync (version 4); not read (3 of 3 in this sync).",
        ),
        (Unchanged(TRICKY, 17), f"{TRICKY} is unchanged since the last sync (version 17); not read."),
        (RowsSoFar("sheet 11 ('Budget')", 5000, 20000), "sheet 11 ('Budget'): 5000 of 20000 rows read"),
        (
            HistoryDone(3, 2, 20, 600, 5, 7, "17 of 24"),
            "Stream cell_history: 3 changes from 2 cells asked (20 of 600 request units on history); 5 cells left for "
            "the next syncs; 7 sheets unchanged since (17 of 24 in this sync).",
        ),
        (AccountDone("users", 6, "22 of 24"), "Stream users: 6 records (22 of 24 in this sync)."),
        (AccountDone("groups", 0), "Stream groups: 0 records."),
        (
            RowsEmitted("sheet 11 ('Budget')", 6, 1, 2, 3),
            "sheet 11 ('Budget'): 6 rows emitted (1 caught up, 2 deletions), 3 unchanged rows at the cursor skipped.",
        ),
        (
            RowsEmitted(TRICKY, 0, 0, 0, 0),
            f"{TRICKY}: 0 rows emitted (0 caught up, 0 deletions), 0 unchanged rows at the cursor skipped.",
        ),
        (RowsEmitted("report 13 ('Weekly')", 1), "report 13 ('Weekly'): 1 rows emitted."),
        (
            AroundRowsDone("comments", 5, 1, 3, 2, 0, "7 of 10"),
            "Stream comments: 5 records (1 deleted) from 3 sheets; 2 sheets passed over unchanged, 0 skipped "
            "(7 of 10 in this sync).",
        ),
        (
            AroundRowsDone("sheet_summaries", 0, 0, 0, 0, 1),
            "Stream sheet_summaries: 0 records (0 deleted) from 0 sheets; 0 sheets passed over unchanged, 1 skipped.",
        ),
    ],
)
def test_given_a_progress_line_when_written_and_parsed_then_it_is_the_same_line(line, text) -> None:
    assert str(line) == text
    assert parse(text) == line


@pytest.mark.parametrize(
    "text",
    [
        "Starting syncing SourceSmartsheets",
        "Reading",
        "sheet 1 ('A'): many rows emitted.",
        "Stream comments: 5 records from 3 sheets.",
        "Smartsheet answered 429 for /sheets/11; retry 1 in 60.0s.",
    ],
)
def test_given_any_other_log_line_when_parsed_then_it_is_no_progress_line(text) -> None:
    assert parse(text) is None
