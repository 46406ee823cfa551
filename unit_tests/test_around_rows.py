"""The streams around rows, their pure parts: the state rule, the record builders (from recorded shapes), and the
summary table's union of titles with its type fallback."""

from __future__ import annotations

from typing import Any

import pytest

from source_smartsheets.schema_mapping.around_rows import (
    attachment_record,
    column_records,
    comment_records,
    discussion_record,
    sheet_record,
    summary_field_record,
)
from source_smartsheets.schema_mapping.common import VALUE_FIELDS
from source_smartsheets.schema_mapping.sheet_fields import SheetFields
from source_smartsheets.schema_mapping.summary_fields import summary_cell, summary_columns, summary_record
from source_smartsheets.state.around_rows import AroundRowsState, RememberedSheet, changes, parse_around_rows_state
from source_smartsheets.state.digests import digest, pack_items, unpack_items
from unit_tests.conftest import load_sample

A, B, C = digest({"a": 1}), digest({"a": 2}), digest({"a": 3})


# ----- the state rule ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("previous", "current", "emit", "gone"),
    [
        ({}, {1: A, 2: B}, [1, 2], []),  # first sync: everything
        ({1: A, 2: B}, {1: A, 2: B}, [], []),  # nothing changed: nothing
        ({1: A, 2: B}, {1: A, 2: C}, [2], []),  # an edit, whatever its timestamps say
        ({1: A}, {1: A, 3: C}, [3], []),  # a new one
        ({1: A, 2: B, 5: C}, {2: B}, [], [1, 5]),  # deleted ones, ascending
        ({1: A}, {2: A}, [2], [1]),  # the same content under another id is another record
    ],
)
def test_changes_emit_what_is_new_or_edited_and_delete_what_is_gone(previous, current, emit, gone) -> None:
    found = changes(previous, current)
    assert (found.emit, found.gone) == (emit, gone)


@pytest.mark.parametrize("items", [{}, {7: A}, {2**53 - 1: A, 10**15: B, 10**15 + 1: C}])
def test_items_pack_and_unpack_to_the_same_digests(items) -> None:
    packed = pack_items(items)
    assert packed.startswith("d1:") and unpack_items(packed) == items


def test_a_part_state_round_trips_through_its_message() -> None:
    state = AroundRowsState({12: RememberedSheet({1: A}, version=4, listing="abcd0123"), 11: RememberedSheet({})})
    message = state.to_message()
    assert list(message["sheets"]) == ["11", "12"]
    assert parse_around_rows_state(message) == AroundRowsState(state.sheets)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, None),
        ({}, None),
        ({"state_version": 1, "sheet_id": 5, "modifiedAt": "2026-01-05T09:00:00Z"}, "not a state this stream writes"),
        ({"state_version": 9, "sheets": {}}, "state_version 9"),
        ({"sheets": {"x": {"items": "d1:AA"}}}, "do not parse"),
        ({"sheets": {"5": {"items": "z1:AAAA"}}}, "do not parse"),
    ],
)
def test_a_state_that_cannot_be_used_is_set_aside_whole_with_its_reason(raw, reason) -> None:
    parsed = parse_around_rows_state(raw)
    assert parsed.sheets == {}
    assert (parsed.reason is None) if reason is None else (reason in str(parsed.reason))


# ----- summary fields --------------------------------------------------------------------------------------
def _summary(type_: str, object_value: Any = None, display: Any = None, **extra: Any) -> dict[str, Any]:
    body = {"id": 900, "index": 0, "title": "Field", "type": type_, "modifiedAt": "2026-01-05T10:00:00Z", **extra}
    if object_value is not None:
        body["objectValue"] = object_value
    if display is not None:
        body["displayValue"] = display
    return body


RECORDED = load_sample("docs-sheet-summary-contact-objectvalue.json")["fields"][0]
SUMMARY_VALUES = [
    ("recorded contact", RECORDED, "value_object", {"email": "jane.roe@smartsheet.com", "name": "Jane Roe"}, None),
    ("text", _summary("TEXT_NUMBER", "On Track", "On Track"), "value_text", "On Track", None),
    ("number written 2.0", _summary("TEXT_NUMBER", 2.0, "2"), "value_number", 2, None),
    ("checkbox", _summary("CHECKBOX", True), "value_boolean", True, None),
    ("date", _summary("DATE", {"objectType": "DATE", "value": "2026-02-14"}, "02/14/26"), "value_date", "2026-02-14", None),
    ("datetime", _summary("DATETIME", "2026-02-14T08:00:00Z"), "value_datetime", "2026-02-14T08:00:00Z", None),
    ("picklist", _summary("PICKLIST", "Green", "Green"), "value_text", "Green", None),
    (
        "multi-picklist",
        _summary("MULTI_PICKLIST", {"objectType": "MULTI_PICKLIST", "values": ["a", "b"]}, "a, b"),
        "value_array",
        ["a", "b"],
        None,
    ),
    ("duration", _summary("DURATION", {"objectType": "DURATION", "days": 4}, "4d"), "value_text", "4d", None),
    ("formula error in a date", _summary("DATE", "#INVALID DATA TYPE", "#INVALID DATA TYPE"), None, None, "#INVALID DATA TYPE"),
    ("empty", _summary("TEXT_NUMBER"), None, None, None),
]


@pytest.mark.parametrize(
    ("summary", "field", "value", "invalid"), [case[1:] for case in SUMMARY_VALUES], ids=[c[0] for c in SUMMARY_VALUES]
)
def test_a_summary_field_is_typed_like_a_column_in_the_field_of_its_type(summary, field, value, invalid) -> None:
    record = summary_field_record(7, "plan", summary)
    assert {name: record[name] for name in VALUE_FIELDS if record[name] is not None} == ({field: value} if field else {})
    assert record["invalid_value"] == invalid
    assert (record["sheet_id"], record["stream_name"], record["field_id"]) == (7, "plan", summary["id"])


def test_the_recorded_summary_keeps_its_writers_and_times() -> None:
    record = summary_field_record(7, "plan", RECORDED)
    assert record["created_by"] == "john.doe@smartsheet.com"
    assert record["modified_by"] == "sebastian.overwatch@smartsheet.com"
    assert record["modified_at"] == "2018-07-19T22:00:43Z" and record["display_value"] == "Jane Roe"
    assert summary_cell(RECORDED)["value"] == "jane.roe@smartsheet.com"


def _titled(title: str, type_: str, value: Any, display: Any = None) -> dict[str, Any]:
    return {**_summary(type_, value, display), "title": title}


UNIONS = [
    (
        "one type everywhere",
        [[_titled("Budget", "TEXT_NUMBER", 5)], [_titled("Budget", "TEXT_NUMBER", 7.5)]],
        "budget",
        ["null", "number"],
        False,
    ),
    (
        "text in one sheet",
        [[_titled("Budget", "TEXT_NUMBER", 5)], [_titled("Budget", "TEXT_NUMBER", "n/a")]],
        "budget",
        ["null", "string"],
        True,
    ),
    (
        "a formula error in one sheet types nothing",
        [
            [_titled("% Done", "TEXT_NUMBER", 0.5476)],
            [{**_titled("% Done", "TEXT_NUMBER", "#DIVIDE BY ZERO"), "formula": "=1/0"}],
        ],
        "done",
        ["null", "number"],
        False,
    ),
    (
        "only a formula error: text",
        [[{**_titled("% Done", "TEXT_NUMBER", "#DIVIDE BY ZERO"), "formula": "=1/0"}]],
        "done",
        ["null", "string"],
        False,
    ),
    (
        "date here, text there",
        [[_titled("Go-live", "DATE", {"objectType": "DATE", "value": "2026-01-01"})], [_titled("Go-live", "TEXT_NUMBER", "Q3")]],
        "go_live",
        ["null", "string"],
        True,
    ),
    (
        "a title in one sheet only",
        [[_titled("Owner", "CONTACT_LIST", {"objectType": "CONTACT", "email": "a@b.c"})], []],
        "owner",
        ["null", "object"],
        False,
    ),
]


@pytest.mark.parametrize(("per_sheet", "name", "types", "says_so"), [case[1:] for case in UNIONS], ids=[c[0] for c in UNIONS])
def test_the_summary_table_is_the_union_of_titles_and_a_type_that_differs_falls_back_to_text(
    per_sheet, name, types, says_so
) -> None:
    (column,) = summary_columns(per_sheet)
    schema = column.json_schema()
    assert (column.name, schema["type"]) == (name, types)
    assert ("differs between sheets" in schema.get("description", "")) is says_so


def test_titles_that_name_alike_get_unique_names_in_order_of_first_appearance() -> None:
    columns = summary_columns(
        [[_titled("Budget", "TEXT_NUMBER", 1)], [_titled("budget", "TEXT_NUMBER", 2), _titled("% Done", "TEXT_NUMBER", 1)]]
    )
    assert [(c.name, c.title) for c in columns] == [("budget", "Budget"), ("budget_2", "budget"), ("done", "% Done")]


def test_given_a_formula_error_in_a_number_summary_field_when_recorded_then_null_and_its_text_is_an_invalid_value() -> None:
    declared = {"done": {"type": ["null", "number"], "title": "% Done"}, "_ss_sheet_id": {"type": "integer"}}
    record = summary_record(
        7, "plan", "Plan", [{**_titled("% Done", "TEXT_NUMBER", "#DIVIDE BY ZERO"), "formula": "=1/0"}], declared
    )
    assert record["done"] is None and record["_ss_invalid_values"] == {"done": "#DIVIDE BY ZERO"}


def test_a_sheets_record_follows_the_declared_fields_and_keeps_what_cannot_be_represented() -> None:
    declared = {
        "budget": {"type": ["null", "string"], "title": "Budget"},
        "go_live": {"type": ["null", "string"], "format": "date", "title": "Go-live"},
        "owner": {"type": ["null", "object"], "title": "Owner"},
        "_ss_sheet_id": {"type": "integer"},
    }
    fields = [
        _titled("Budget", "TEXT_NUMBER", 48000.0, "$48,000"),
        _titled("Go-live", "DATE", "#INVALID DATA TYPE", "#INVALID DATA TYPE"),
        _titled("Not in the catalog", "TEXT_NUMBER", "x"),
        {**_titled("Owner", "PICKLIST", "Ana"), "modifiedAt": "2026-01-06T10:00:00+00:00"},
    ]
    record = summary_record(7, "plan", "Plan", fields, declared)
    assert record["budget"] == "48000"  # a number in a field kept as text: its value, as text
    assert record["go_live"] is None and record["_ss_invalid_values"] == {"go_live": "#INVALID DATA TYPE", "owner": "Ana"}
    assert record["owner"] is None  # a picklist cannot be a contact object: kept aside, not coerced
    assert "not_in_the_catalog" not in record
    assert (record["_ss_sheet_id"], record["_ss_stream"], record["_ss_modified_at"]) == (7, "plan", "2026-01-06T10:00:00Z")


# ----- discussions, comments, attachments ------------------------------------------------------------------
ROW_DISCUSSION = {
    "id": 31,
    "title": "Can we move it?",
    "parentId": 400,
    "parentType": "ROW",
    "commentCount": 2,
    "lastCommentedAt": "2026-01-05T10:00:00Z",
    "lastCommentedUser": {"name": "Ana", "email": "ana@example.com"},
    "createdBy": {"name": "Bo", "email": "bo@example.com"},
    "comments": [
        {
            "id": 41,
            "discussionId": 31,
            "text": "Can we move it?",
            "createdAt": "2026-01-05T09:00:00Z",
            "modifiedAt": "2026-01-05T09:00:00Z",
        },
        {"id": 42, "text": "Yes", "createdAt": "2026-01-05T10:00:00Z", "modifiedAt": "2026-01-05T10:05:00Z", "attachments": [{}]},
    ],
}


@pytest.mark.parametrize(
    ("discussion", "expected"),
    [
        (ROW_DISCUSSION, {"row_id": 400, "parent_id": 400, "comment_count": 2, "last_commented_by": "ana@example.com"}),
        (
            {"id": 32, "parentId": 7, "parentType": "SHEET", "comments": [{}]},
            {"row_id": None, "parent_id": 7, "comment_count": 1},
        ),
        ({"id": 33}, {"row_id": None, "parent_id": None, "comment_count": None, "last_commented_at": None, "title": None}),
    ],
    ids=["on a row", "on the sheet, no count", "nothing but an id"],
)
def test_a_discussion_record_from_whatever_keys_there_are(discussion, expected) -> None:
    record = discussion_record(7, "plan", discussion)
    assert record["discussion_id"] == discussion["id"] and {key: record[key] for key in expected} == expected


def test_comments_carry_their_discussion_and_row() -> None:
    records = comment_records(7, "plan", ROW_DISCUSSION)
    assert [(r["comment_id"], r["discussion_id"], r["row_id"], r["attachment_count"]) for r in records] == [
        (41, 31, 400, 0),  # asked with include=comments,attachments: no key, no attachment
        (42, 31, 400, 1),
    ]
    assert records[1]["modified_at"] == "2026-01-05T10:05:00Z"


@pytest.mark.parametrize(
    ("attachment", "link_url"),
    [
        ({"id": 1, "attachmentType": "FILE", "url": "https://s3.example/temporary?sig=x", "sizeInKb": 812}, None),
        ({"id": 2, "attachmentType": "LINK", "url": "https://example.com/brand"}, "https://example.com/brand"),
        ({"id": 3, "attachmentType": "GOOGLE_DRIVE", "url": "https://drive.example/x"}, None),
    ],
)
def test_an_attachment_never_keeps_a_temporary_download_link(attachment, link_url) -> None:
    record = attachment_record(7, "plan", attachment)
    assert record["link_url"] == link_url
    assert "https://s3.example" not in str(record)


# ----- the inventory ---------------------------------------------------------------------------------------
def test_a_sheet_record_from_the_listing_and_its_first_page() -> None:
    listed = load_sample("list-sheets-include-ownerinfo.json")["data"][1]
    head = {key: value for key, value in load_sample("docs-get-sheet-level2.json").items() if key != "rows"}
    record = sheet_record(listed["id"], "tasks", listed["name"], "ops", "Ops/Projects", listed, head)
    assert record["owner"] == "john.doe@smartsheet.com" and record["owner_id"] == 10
    assert (record["total_row_count"], record["version"], record["workspace_id"]) == (240, 6, 825898975642500)
    assert record["name"] == head["name"]  # the page is newer than the listing
    assert record["column_count"] == len(head["columns"])


def test_column_records_name_each_field_as_the_sheets_stream_does() -> None:
    head = load_sample("docs-get-sheet-level2.json")
    columns = head["columns"]
    fields = SheetFields(head["id"], columns)
    records = column_records(head["id"], "s", head["version"], columns, fields)
    assert [r["field_name"] for r in records] == [
        f.name for f in sorted(fields.fields, key=lambda f: [c["id"] for c in columns].index(f.column_id))
    ]
    assert all(r["sheet_version"] == head["version"] for r in records)
    assert [r["primary"] for r in records].count(True) == 1


@pytest.mark.parametrize(
    ("declared", "json_type"),
    [
        (None, None),  # the rows' stream is not in this sync: a TEXT_NUMBER column's type is not known, not guessed
        ({"budget": {"type": ["null", "string"]}}, "string"),
        ({"budget": {"type": ["null", "number"]}}, "number"),
    ],
)
def test_given_a_text_number_column_when_listed_then_json_type_is_what_its_stream_declares_or_null(declared, json_type) -> None:
    columns = [{"id": 1, "title": "Budget", "type": "TEXT_NUMBER", "index": 0}, {"id": 2, "title": "Done", "type": "CHECKBOX"}]
    (budget, done) = column_records(7, "plan", 3, columns, SheetFields(7, columns, declared=declared))
    assert (budget["field_name"], budget["json_type"]) == ("budget", json_type)
    assert done["json_type"] == "boolean"  # a type the column type decides is known either way
