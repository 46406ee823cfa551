"""Column types to JSON Schema and cells to typed values, from tables and from recorded API answers."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from source_smartsheets.schema_mapping.sheet_fields import SheetFields
from source_smartsheets.schema_mapping.types import (
    KINDS,
    SYSTEM_KINDS,
    TEXT_NUMBER_AS_NUMBER,
    TEXT_NUMBER_AS_TEXT,
    column_kind,
    duration_text,
    text_number_kind,
    text_number_kind_for,
)

CONTACT_OV = {"objectType": "CONTACT", "email": "jane@example.com", "name": "Jane Roe"}


def col(type_: str, version: int = 0, system: str | None = None) -> dict[str, Any]:
    column: dict[str, Any] = {"id": 1, "index": 0, "title": "c", "type": type_, "version": version}
    if system:
        column["systemColumnType"] = system
    return column


@pytest.mark.parametrize(
    "column, kind",
    [
        (col("TEXT_NUMBER"), "TEXT_NUMBER"),
        (col("TEXT_NUMBER", version=2), "MULTI_PICKLIST"),  # downgraded below level 2
        (col("TEXT_NUMBER", version=1), "MULTI_CONTACT_LIST"),  # downgraded below level 1
        (col("MULTI_PICKLIST", version=2), "MULTI_PICKLIST"),
        (col("TEXT_NUMBER", system="AUTO_NUMBER"), "AUTO_NUMBER"),
        (col("DATETIME", system="CREATED_DATE"), "CREATED_DATE"),
        (col("CONTACT_LIST", system="MODIFIED_BY"), "MODIFIED_BY"),
        (col("SOMETHING_NEW"), "UNKNOWN"),
    ],
)
def test_given_column_when_kind_decided_then_version_and_system_type_win(column: dict[str, Any], kind: str) -> None:
    assert column_kind(column).name == kind


CASES = [
    # (kind, cell, expected value, expected invalid text)
    ("TEXT_NUMBER", {"value": 2.0, "displayValue": "2"}, 2, None),
    ("TEXT_NUMBER", {"value": 0.0, "displayValue": "0"}, 0, None),
    ("TEXT_NUMBER", {"value": -12.75}, -12.75, None),
    ("TEXT_NUMBER", {"value": 9007199254740991.0}, 9007199254740991, None),
    ("TEXT_NUMBER", {"value": "00123"}, "00123", None),
    ("TEXT_NUMBER", {"value": "#DIVIDE BY ZERO", "formula": "=1/0"}, "#DIVIDE BY ZERO", None),
    ("TEXT_NUMBER", {}, None, None),
    ("TEXT_NUMBER", {"displayValue": "only display"}, "only display", None),
    ("DATE", {"value": "2020-11-23", "objectValue": {"objectType": "DATE", "value": "2020-11-23"}}, "2020-11-23", None),
    ("DATE", {"value": "#INVALID DATA TYPE", "formula": "=x"}, None, "#INVALID DATA TYPE"),
    ("DATE", {}, None, None),
    ("DATETIME", {"value": "2026-02-28T13:45:00Z"}, "2026-02-28T13:45:00Z", None),
    ("DATETIME", {"value": "2015-01-09T11:41:55-08:00"}, "2015-01-09T19:41:55Z", None),
    ("DATETIME", {"value": "2020-02-05T15:52:36+00:00"}, "2020-02-05T15:52:36Z", None),
    ("DATETIME", {"value": "soon"}, None, "soon"),
    ("ABSTRACT_DATETIME", {"value": "2026-02-28T08:00:00"}, "2026-02-28T08:00:00", None),
    ("CHECKBOX", {"value": True, "objectValue": True}, True, None),
    ("CHECKBOX", {"value": False}, False, None),
    ("CHECKBOX", {}, None, None),
    ("CHECKBOX", {"value": "#CIRCULAR REFERENCE", "formula": "=a"}, None, "#CIRCULAR REFERENCE"),
    ("PICKLIST", {"value": "Green", "displayValue": "Green"}, "Green", None),
    ("PICKLIST", {"value": 7.0, "displayValue": "7"}, "7", None),
    (
        "MULTI_PICKLIST",
        {"objectValue": {"objectType": "MULTI_PICKLIST", "values": ["a", "b"]}, "displayValue": "a, b"},
        ["a", "b"],
        None,
    ),
    ("MULTI_PICKLIST", {"value": "#UNPARSEABLE", "formula": "=JOIN("}, None, "#UNPARSEABLE"),
    (
        "CONTACT_LIST",
        {"value": "jane@example.com", "objectValue": CONTACT_OV, "displayValue": "Jane Roe"},
        {"email": "jane@example.com", "name": "Jane Roe"},
        None,
    ),
    ("CONTACT_LIST", {"value": "free text", "displayValue": "free text"}, {"email": None, "name": "free text"}, None),
    (
        "MULTI_CONTACT_LIST",
        {"objectValue": {"objectType": "MULTI_CONTACT", "values": [CONTACT_OV]}, "displayValue": "Jane Roe"},
        [{"email": "jane@example.com", "name": "Jane Roe"}],
        None,
    ),
    ("MULTI_CONTACT_LIST", {"value": "Jane Roe, John Doe"}, None, "Jane Roe, John Doe"),
    ("DURATION", {"value": "4d 6h 30m", "objectValue": {"objectType": "DURATION", "days": 4}}, "4d 6h 30m", None),
    (
        "PREDECESSOR",
        {
            "value": "1SS +2d",
            "objectValue": {
                "objectType": "PREDECESSOR_LIST",
                "predecessors": [{"rowId": 5, "rowNumber": 1, "type": "SS", "lag": {"objectType": "DURATION", "days": 2}}],
            },
        },
        [{"row_id": 5, "row_number": 1, "type": "SS", "lag": "2d"}],
        None,
    ),
    ("AUTO_NUMBER", {"value": "E-001-X"}, "E-001-X", None),
    ("CREATED_DATE", {"value": "2026-01-05T09:00:00Z"}, "2026-01-05T09:00:00Z", None),
    (
        "MODIFIED_BY",
        {"value": "o@example.com", "objectValue": {"objectType": "CONTACT", "email": "o@example.com", "name": "O"}},
        {"email": "o@example.com", "name": "O"},
        None,
    ),
]


@pytest.mark.parametrize("kind, cell, expected, invalid", CASES)
def test_given_cell_when_converted_then_value_keeps_its_meaning_and_fits_schema(
    kind: str, cell: dict[str, Any], expected: Any, invalid: str | None
) -> None:
    column_kind_ = {**KINDS, **SYSTEM_KINDS}[kind]
    value, bad = column_kind_.convert({"columnId": 1, **cell})
    assert value == expected
    assert type(value) is type(expected)
    assert bad == invalid
    jsonschema.validate(value, column_kind_.schema)


def test_every_column_type_has_a_table_case() -> None:
    covered = {kind for kind, *_ in CASES}
    assert set(KINDS) - covered == set()


@pytest.mark.parametrize(
    "duration, text",
    [
        ({"days": 4, "hours": 6, "minutes": 30}, "4d 6h 30m"),
        ({"days": 1.5, "negative": True}, "-1.5d"),
        ({"weeks": 1.5, "days": 2.5, "milliseconds": 6}, "1.5w 2.5d 6ms"),
        ({"elapsed": True, "hours": 3}, "e3h"),
        ({}, "0"),
    ],
)
def test_given_duration_object_when_written_then_smartsheet_text(duration: dict[str, Any], text: str) -> None:
    assert duration_text(duration) == text


def _records(body: dict[str, Any]) -> tuple[SheetFields, list[dict[str, Any]]]:
    plan = SheetFields(body["id"], body["columns"], sample_rows=body["rows"])
    return plan, [plan.record(row) for row in body["rows"]]


def test_given_recorded_level2_sheet_when_mapped_then_records_are_typed_and_valid(sample) -> None:
    body = sample("real-get-sheet-level2-objectvalue.json")
    plan, records = _records(body)
    schema = plan.json_schema()
    for record in records:
        jsonschema.validate(record, schema)
    first = records[0]
    names = {field.title: field.name for field in plan.fields}
    multi = next(field for field in plan.fields if field.kind.name == "MULTI_PICKLIST")
    assert first[multi.name] == ["simple-smartsheet", "nornir"]
    number_field = next(name for title, name in names.items() if isinstance(first[name], int))
    assert first[number_field] == 2
    assert first["_ss_modified_at"] == "2020-02-05T15:52:36Z"


def test_given_level0_sheet_with_downgraded_multipicklist_when_mapped_then_still_an_array(sample) -> None:
    body = sample("real-sort-rows-sheet-level0.json")
    plan, records = _records(body)
    multi = [field for field in plan.fields if field.kind.name == "MULTI_PICKLIST"]
    assert multi, "the version-2 column must be recognised at level 0"
    for record in records:
        jsonschema.validate(record, plan.json_schema())
        value = record[multi[0].name]
        assert value is None or isinstance(value, list)


def test_given_sdk_reserialized_sheet_when_mapped_then_offsets_become_utc_z(sample) -> None:
    body = sample("airbyte-get-sheet.json")
    plan, records = _records(body)
    assert all(record["_ss_modified_at"].endswith("Z") for record in records)
    for record in records:
        jsonschema.validate(record, plan.json_schema())


@pytest.mark.parametrize(
    "values, kind",
    [
        ([1.0, 2.5, None, -3.0], TEXT_NUMBER_AS_NUMBER),
        ([1.0, "#DIVIDE BY ZERO"], TEXT_NUMBER_AS_NUMBER),  # a formula error is not evidence of text
        ([1.0, "00123"], TEXT_NUMBER_AS_TEXT),
        (["Item 1"], TEXT_NUMBER_AS_TEXT),
        ([None, None], TEXT_NUMBER_AS_TEXT),  # nothing seen: text is the safe type
        ([], TEXT_NUMBER_AS_TEXT),
        ([True], TEXT_NUMBER_AS_TEXT),
    ],
)
def test_given_sample_when_text_number_typed_then_number_only_on_evidence(values, kind) -> None:
    assert text_number_kind(values) is kind


@pytest.mark.parametrize(
    "schema, kind",
    [
        ({"type": ["null", "number"]}, TEXT_NUMBER_AS_NUMBER),
        ({"type": ["null", "string"]}, TEXT_NUMBER_AS_TEXT),
        ({"type": "string"}, TEXT_NUMBER_AS_TEXT),
        ({"type": ["null", "number", "string"]}, KINDS["TEXT_NUMBER"]),
    ],
)
def test_given_declared_schema_when_read_then_text_number_follows_the_catalog(schema, kind) -> None:
    assert text_number_kind_for(schema) is kind


@pytest.mark.parametrize(
    "kind, cell, expected, invalid",
    [
        (TEXT_NUMBER_AS_NUMBER, {"value": 2.0}, 2, None),
        (TEXT_NUMBER_AS_NUMBER, {"value": 0.0}, 0, None),
        (TEXT_NUMBER_AS_NUMBER, {"value": "n/a", "displayValue": "n/a"}, None, "n/a"),
        (TEXT_NUMBER_AS_NUMBER, {"value": "#DIVIDE BY ZERO", "formula": "=1/0"}, None, "#DIVIDE BY ZERO"),
        (TEXT_NUMBER_AS_NUMBER, {}, None, None),
        (TEXT_NUMBER_AS_TEXT, {"value": 2.0}, "2", None),
        (TEXT_NUMBER_AS_TEXT, {"value": 2.5}, "2.5", None),
        (TEXT_NUMBER_AS_TEXT, {"value": "00123"}, "00123", None),
    ],
)
def test_given_typed_text_number_when_converted_then_fits_and_nothing_is_lost(kind, cell, expected, invalid) -> None:
    value, bad = kind.convert({"columnId": 1, **cell})
    assert (value, bad) == (expected, invalid)
    assert type(value) is type(expected)
    jsonschema.validate(value, kind.schema)


def test_given_recorded_report_when_mapped_then_cells_by_virtual_column_and_rows_keep_their_sheet(sample) -> None:
    body = sample("real-get-report-level2-objectvalue.json")
    plan = SheetFields(body["id"], body["columns"], sample_rows=body["rows"], report=True)
    schema = plan.json_schema()
    records = [plan.record(row) for row in body["rows"]]
    for record, row in zip(records, body["rows"], strict=True):
        jsonschema.validate(record, schema)
        assert record["_ss_sheet_id"] == row["sheetId"]
    assert records[0]["sheet_name"] == "[TEST] Report Sheet 1"
    assert records[0]["full_name"] == "Bob Lee"
