"""Sheet summary fields as typed values: the long form (one record per field) and the portfolio table (one
record per sheet, one field per distinct summary title across the sheets).

A summary field has no `value` key (docs/smartsheet-api.md "Around rows"): its value is `objectValue` (a
primitive, or an object for dates, contacts and multi-values) and `displayValue`. `summary_cell` turns it
into the cell shape the column type mapping reads, so a summary field is typed exactly like a column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from ..timestamps import normalize_timestamp
from .naming import field_names
from .types import (
    TEXT_NUMBER_AS_TEXT,
    TIMESTAMP_TZ,
    ColumnKind,
    Converted,
    column_kind,
    is_formula_error,
    json_types,
    text_number_kind,
    text_number_kind_for,
)
from .widening import widen

SUMMARY_META: dict[str, Any] = {
    "_ss_sheet_id": {"type": "integer"},
    "_ss_stream": {"type": ["null", "string"]},
    "_ss_sheet_name": {"type": ["null", "string"]},
    "_ss_modified_at": TIMESTAMP_TZ,
    "_ss_invalid_values": {"type": ["null", "object"], "additionalProperties": {"type": "string"}},
}
SUMMARY_KEY = "_ss_sheet_id"
SUMMARY_CURSOR = "_ss_modified_at"


def summary_cell(summary: Mapping[str, Any]) -> dict[str, Any]:
    """A summary field as a cell: `value` from `objectValue` (or the display text), the rest as they are."""
    object_value = summary.get("objectValue")
    display = summary.get("displayValue")
    if isinstance(object_value, Mapping):
        value = object_value.get("value", object_value.get("email", display))
    else:
        value = object_value if object_value is not None else display
    cell: dict[str, Any] = {"objectValue": object_value, "displayValue": display}
    if value is not None:
        cell["value"] = value
    return cell


def summary_kind(summary: Mapping[str, Any]) -> ColumnKind:
    """The field's kind by its type; a TEXT_NUMBER field by its own value (number or text)."""
    kind = column_kind({"type": summary.get("type")})
    if kind.name == "TEXT_NUMBER":
        return text_number_kind([summary_cell(summary).get("value")])
    return kind


def display_text(cell: Mapping[str, Any]) -> Converted:
    """A value kept as text: what Smartsheet shows (a contact's name, a date as written)."""
    shown = cell.get("displayValue")
    if shown is None:
        return TEXT_NUMBER_AS_TEXT.convert(cell)
    return str(shown), None


# ----- the portfolio table ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SummaryColumn:
    """One field of the portfolio table: a summary title, its name, and its type across the sheets."""

    name: str
    title: str
    schema: Mapping[str, Any]

    def json_schema(self) -> dict[str, Any]:
        return {**self.schema, "title": self.title}


def summary_columns(per_sheet: Sequence[Sequence[Mapping[str, Any]]]) -> list[SummaryColumn]:
    """The union of the sheets' summary titles, in order of first appearance, each typed by the column type
    mapping; a title whose type differs between sheets is widened by the one rule (`widening.py`)."""
    schemas: dict[str, list[Mapping[str, Any]]] = {}  # title -> its schema in each sheet that says one
    for fields in per_sheet:
        for summary in sorted(fields, key=lambda item: item.get("index", 0)):
            said = schemas.setdefault(str(summary.get("title") or ""), [])
            if not _text_number_error(summary):  # a formula error says nothing of the field's type
                said.append(summary_kind(summary).schema)
    titles = list(schemas)
    names = field_names([(number, title) for number, title in enumerate(titles, start=1)])
    return [
        SummaryColumn(name, title, widen(schemas[title], "sheets") if schemas[title] else TEXT_NUMBER_AS_TEXT.schema)
        for name, title in zip(names, titles, strict=True)
    ]


def _text_number_error(summary: Mapping[str, Any]) -> bool:
    """A TEXT_NUMBER field whose formula fails: its value is the error text, which types it as nothing (read into a
    number field, it is an invalid value: null, and its text in `_ss_invalid_values`, as in rows)."""
    return column_kind({"type": summary.get("type")}).name == "TEXT_NUMBER" and is_formula_error(
        summary_cell(summary).get("value")
    )


def summary_table_properties(columns: Sequence[SummaryColumn], deleted_schema: Mapping[str, Any] | None) -> dict[str, Any]:
    properties: dict[str, Any] = dict(SUMMARY_META)
    properties.update(deleted_schema or {})
    properties.update({column.name: column.json_schema() for column in columns})
    return properties


def summary_converter(declared: Mapping[str, Any], summary: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], Converted]:
    """How one sheet's summary field becomes the value of a declared field: its own type when the schema says
    that type, text when the schema says text (a title whose type differs between sheets), else kept aside."""
    kind = column_kind({"type": summary.get("type")})
    if kind.name == "TEXT_NUMBER":
        kind = text_number_kind_for(declared)
    wanted = json_types(declared)
    if json_types(kind.schema) == wanted or kind.name == "TEXT_NUMBER":
        return kind.convert
    if wanted == {"string"}:
        return display_text
    return lambda cell: (None, display_text(cell)[0])


def summary_record(
    sheet_id: int, stream: str, sheet_name: str, fields: Sequence[Mapping[str, Any]], declared: Mapping[str, Any]
) -> dict[str, Any]:
    """One sheet's row of the portfolio table, for the fields a configured catalog declares (by title)."""
    by_title = {schema["title"]: name for name, schema in declared.items() if isinstance(schema, Mapping) and "title" in schema}
    record: dict[str, Any] = {name: None for name in by_title.values()}
    invalid: dict[str, str] = {}
    modified = [normalize_timestamp(summary["modifiedAt"]) for summary in fields if summary.get("modifiedAt")]
    for summary in fields:
        name = by_title.get(str(summary.get("title") or ""))
        if name is None:
            continue
        value, bad = summary_converter(declared[name], summary)(summary_cell(summary))
        record[name] = value
        if bad is not None:
            invalid[name] = bad
    record.update(
        {
            "_ss_sheet_id": sheet_id,
            "_ss_stream": stream,
            "_ss_sheet_name": sheet_name,
            "_ss_modified_at": max(modified) if modified else None,
            "_ss_invalid_values": invalid or None,
        }
    )
    return record
