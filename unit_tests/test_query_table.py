"""What `make query` prints (`local_sync/table.py`): every column, the sheet's own first for `SELECT *`, the rows
counted and the limit said."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from local_sync.table import ordered, render, text

COLUMNS = ["_ss_row_id", "_airbyte_raw_id", "task", "_ss_modified_at", "hours"]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT * FROM plan", ["task", "hours", "_ss_row_id", "_ss_modified_at", "_airbyte_raw_id"]),
        ("select distinct * from plan", ["task", "hours", "_ss_row_id", "_ss_modified_at", "_airbyte_raw_id"]),
        ("  Select *  from plan limit 5", ["task", "hours", "_ss_row_id", "_ss_modified_at", "_airbyte_raw_id"]),
        ("SELECT _ss_row_id, _airbyte_raw_id, task, _ss_modified_at, hours FROM plan", COLUMNS),  # as asked
        ("SELECT count(*) AS n, * FROM plan", COLUMNS),  # not a plain `*`: as asked
    ],
)
def test_select_star_shows_the_sheets_own_columns_first(sql, expected) -> None:
    assert [COLUMNS[position] for position in ordered(sql, COLUMNS)] == expected


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "NULL"),
        (Decimal("4321.000000000"), "4321"),
        (Decimal("8421.130"), "8421.13"),
        (True, "True"),
        (datetime(2026, 1, 5, 9, 0), "2026-01-05 09:00:00"),
        (date(2026, 1, 5), "2026-01-05"),
        ("a\nb", "a b"),
    ],
)
def test_values_as_text(value, shown) -> None:
    assert text(value) == shown


def test_a_narrow_result_is_a_table_with_every_row_counted() -> None:
    lines = render("SELECT task, hours FROM plan", ["task", "hours"], [("a", 1), ("bb", 22)], total=2, limit=50)
    assert lines == ["task | hours", "-----+------", "a    | 1", "bb   | 22", "(2 rows, 2 columns)"]


def test_past_the_limit_the_output_says_how_many_and_how_to_see_more() -> None:
    rows = [(f"t{n}", n) for n in range(7)]
    lines = render("SELECT task, hours FROM plan", ["task", "hours"], rows, total=7, limit=3)
    assert len(lines) == 2 + 3 + 1
    assert lines[-1] == "(7 rows, 2 columns; the first 3 shown: ROWS=7 shows more, LIMIT and OFFSET in the SQL pick others)"


def test_a_wide_result_shows_each_row_a_column_a_line_and_hides_no_column() -> None:
    columns = [f"column_{n:02d}" for n in range(30)]
    lines = render("SELECT * FROM wide", columns, [tuple(range(30))], total=1, limit=50)
    assert lines[0].startswith("-[ row 1 ]") and len(lines) == 1 + 30 + 1 and lines[-1] == "(1 row, 30 columns)"
