"""The naming rule, from a table of tricky titles."""

from __future__ import annotations

import pytest

from source_smartsheets.schema_mapping.naming import MAX_LENGTH, field_names, sanitize, stream_names


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Due Date", "due_date"),
        ("due_date", "due_date"),
        ("Due  Date", "due_date"),
        ("due-date", "due_date"),
        ("  Leading and trailing  ", "leading_and_trailing"),
        ("% Complete", "complete"),
        ("Größe (cm)", "grosse_cm"),
        ("Café Crème", "cafe_creme"),
        ("価格", "価格"),
        ("Сумма", "сумма"),
        ("Йогурт", "йогурт"),
        ("2024 Budget", "2024_budget"),
        ("_ss_row_id", "ss_row_id"),
        ("__private__", "private"),
        ("???", ""),
        ("#", ""),
        ("", ""),
        ("a/b\\c.d:e", "a_b_c_d_e"),
        ("Tab\tNew\nLine", "tab_new_line"),
        ("Emoji 🚀 launch", "emoji_launch"),
    ],
)
def test_given_title_when_sanitized_then_rule_applies(title: str, expected: str) -> None:
    assert sanitize(title) == expected


def test_given_very_long_title_when_sanitized_then_capped_without_trailing_underscore() -> None:
    name = sanitize("word " * 40)
    assert len(name) <= MAX_LENGTH
    assert not name.endswith("_")


def test_given_titles_that_sanitize_alike_when_named_then_sheet_order_decides_suffixes() -> None:
    columns = [(1, "Due Date"), (2, "due_date"), (3, "Due  Date"), (4, "due-date")]
    assert field_names(columns) == ["due_date", "due_date_2", "due_date_3", "due_date_4"]


def test_given_a_title_equal_to_a_suffix_when_named_then_no_collision() -> None:
    columns = [(1, "Due Date"), (2, "due date"), (3, "due_date_2")]
    names = field_names(columns)
    assert names == ["due_date", "due_date_3", "due_date_2"]
    assert len(set(names)) == 3


def test_given_titles_with_nothing_left_when_named_then_column_id_is_used() -> None:
    assert field_names([(77, "???"), (78, "#")]) == ["column_77", "column_78"]


def test_given_connector_field_titles_when_named_then_they_never_take_the_reserved_form() -> None:
    names = field_names([(1, "_ss_row_id"), (2, "_ab_cdc_deleted_at"), (3, "modifiedAt")])
    assert all(not name.startswith("_") for name in names)


def test_given_thousands_of_alike_titles_when_named_then_all_unique_and_fast() -> None:
    columns = [(index, "Same Title" if index % 2 else "same-title") for index in range(3000)]
    names = field_names(columns)
    assert len(set(names)) == 3000


def test_given_same_sheet_twice_when_named_then_names_are_stable() -> None:
    columns = [(5, "Status"), (6, "Owner"), (7, "status")]
    assert field_names(columns) == field_names(list(columns))


def test_given_two_sheets_with_one_name_when_streams_named_then_smallest_id_keeps_the_name() -> None:
    names = stream_names([(30, "Tasks"), (10, "Tasks"), (20, "Other")])
    assert names == {10: "tasks", 30: "tasks_30", 20: "other"}


def test_given_a_sheet_name_with_nothing_left_when_streams_named_then_sheet_id_is_used() -> None:
    assert stream_names([(99, "!!!")]) == {99: "sheet_99"}
