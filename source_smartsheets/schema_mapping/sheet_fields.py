"""A sheet's fields: its JSON schema and the turn of each API row into a record, worked out once per sheet."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from ..timestamps import normalize_timestamp
from ..whole_numbers import whole_int
from .naming import field_names
from .types import TIMESTAMP_TZ, ColumnKind, column_kind, fit_declared, text_number_kind, text_number_kind_for

ROW_ID = "_ss_row_id"
ROW_NUMBER = "_ss_row_number"
CURSOR = "_ss_modified_at"
INVALID = "_ss_invalid_values"
DELETED_AT = "_ab_cdc_deleted_at"

META_SCHEMA: dict[str, Any] = {
    ROW_ID: {"type": "integer"},
    "_ss_sheet_id": {"type": "integer"},
    ROW_NUMBER: {"type": ["null", "integer"]},
    "_ss_parent_id": {"type": ["null", "integer"]},
    "_ss_created_at": TIMESTAMP_TZ,
    CURSOR: TIMESTAMP_TZ,
    "_ss_created_by": {"type": ["null", "string"]},
    "_ss_modified_by": {"type": ["null", "string"]},
    INVALID: {"type": ["null", "object"], "additionalProperties": {"type": "string"}},
}
DELETED_SCHEMA = {DELETED_AT: {"type": ["null", "string"], "format": "date-time"}}
# The ids a rename keeps, carried in the catalog (airbyte-cdk keeps a schema's unknown keys): a stream's sheet, and
# each field's column by sheet (`{"<sheet id>": <column id>}`: a merged stream's field has one per sheet).
SHEET_KEY = "x-smartsheet-sheet"
COLUMN_KEY = "x-smartsheet-column"


def declared_columns(declared: Mapping[str, Any] | None, sheet_id: int) -> dict[int, str]:
    """Column id -> the field a configured catalog has for that column of this sheet (where it says the ids)."""
    found: dict[int, str] = {}
    for name, schema in (declared or {}).items():
        columns = schema.get(COLUMN_KEY) if isinstance(schema, Mapping) else None
        column_id = whole_int(columns.get(str(sheet_id))) if isinstance(columns, Mapping) else None
        if column_id is not None:
            found.setdefault(column_id, name)
    return found


def declared_sheet(schema: Mapping[str, Any] | None) -> int | None:
    """The sheet a configured stream was discovered from (where its schema says it)."""
    return whole_int((schema or {}).get(SHEET_KEY))


class MalformedRow(ValueError):
    """A row that is not what the API promises (no id, no modifiedAt, a cell of an unknown column)."""


@dataclass(frozen=True)
class Field:
    column_id: int
    name: str
    title: str
    kind: ColumnKind
    description: str | None = None

    def json_schema(self, sheet_id: int | None = None) -> dict[str, Any]:
        """The field's type, with the column's own title (and description) as Smartsheet shows them, and the column's
        id (`COLUMN_KEY`): what a read follows when the title changes."""
        schema = {**self.kind.schema, "title": self.title}
        if self.description:
            schema["description"] = self.description
        if sheet_id is not None:
            schema[COLUMN_KEY] = {str(sheet_id): self.column_id}
        return schema


class SheetFields:
    """How one sheet's columns become fields. Built once from the sheet's `columns`.

    TEXT_NUMBER columns hold text or numbers. Discovery passes `sample_rows` and such a column is
    typed number when every value in the sample is a number, else string. A read passes the
    configured catalog's `declared` properties, so records follow the schema the destination has.
    """

    def __init__(
        self,
        sheet_id: int,
        columns: Sequence[Mapping[str, Any]],
        capture_deletes: bool = False,
        sample_rows: Sequence[Mapping[str, Any]] | None = None,
        declared: Mapping[str, Any] | None = None,
        report: bool = False,
        constants: Mapping[str, Any] | None = None,
        kept: Mapping[int, str] | None = None,
        pinned: Mapping[int, str] | None = None,
    ) -> None:
        self.sheet_id = sheet_id
        self.capture_deletes = capture_deletes
        # A report's columns are virtual: `virtualId`, and cells point at them by `virtualColumnId`;
        # its rows come from many sheets and carry their own `sheetId`.
        self.report = report
        id_key = "virtualId" if report else "id"
        self._cell_key = "virtualColumnId" if report else "columnId"
        ordered = sorted(columns, key=lambda column: column.get("index", 0))
        # A field follows its column's id: the name the configured catalog has for the column (else the one a pin
        # gives, else the one the state kept) stays whatever the title says now; the others are named from titles.
        in_catalog = declared_columns(declared, sheet_id) if not report else {}
        follow = {**(kept or {}), **(pinned or {}), **in_catalog} if not report else {}
        titled = [(int(column[id_key]), str(column.get("title") or "")) for column in ordered]
        names = field_names(titled, follow)
        self.fields = [
            Field(
                int(column[id_key]),
                name,
                str(column.get("title") or ""),
                _kind(column, name, sample_rows, declared, id_key, self._cell_key),
                str(column["description"]) if column.get("description") else None,
            )
            for column, name in zip(ordered, names, strict=True)
        ]
        self._by_column = {field.column_id: (field.name, field.kind.convert) for field in self.fields}
        # Fields that keep a name their column's title no longer gives, each with the name a schema refresh gives it.
        self.renamed: list[tuple[Field, str]] = []
        for field, refreshed in zip(self.fields, field_names(titled, pinned) if follow else names, strict=True):
            said = (declared or {}).get(field.name) if field.column_id in in_catalog else None
            title_then = said.get("title") if isinstance(said, Mapping) else None
            if title_then is not None:  # the catalog says the title it was discovered with
                if title_then != field.title:
                    self.renamed.append((field, refreshed))
            elif field.name != refreshed and field.column_id in (kept or {}) and field.column_id not in (pinned or {}):
                self.renamed.append((field, refreshed))
        self._template: dict[str, Any] = {field.name: None for field in self.fields}
        self._template.update(constants or {})  # fields every record of this sheet has (a merged stream's sheet name)

    def fingerprint(self) -> str:
        """Changes whenever a column is added, removed, renamed or retyped (a reason to re-read in full)."""
        text = "|".join(f"{field.column_id}:{field.name}:{field.kind.name}" for field in self.fields)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def json_schema(self, title: str | None = None, description: str | None = None) -> dict[str, Any]:
        """The stream's schema; `title` and `description` say what the sheet is called and where it lives."""
        properties: dict[str, Any] = dict(META_SCHEMA)
        if self.capture_deletes:
            properties.update(DELETED_SCHEMA)
        for field in self.fields:
            properties[field.name] = field.json_schema(None if self.report else self.sheet_id)
        schema = object_schema(properties, title, description)
        if not self.report:
            schema[SHEET_KEY] = self.sheet_id
        return schema

    def names_by_column(self) -> dict[int, str]:
        """Column id -> its field: what a sheet's state keeps, so that a catalog that does not say the ids is followed."""
        return {field.column_id: field.name for field in self.fields}

    def record(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """One API row as a record. Raises MalformedRow on what the API never sends."""
        try:
            row_id = row["id"]
            modified = normalize_timestamp(row["modifiedAt"])
        except (KeyError, TypeError, ValueError) as error:
            raise MalformedRow(f"row {row.get('id')!r} has no valid id or modifiedAt ({error})") from None
        created = row.get("createdAt")
        created_by = row.get("createdBy")
        modified_by = row.get("modifiedBy")
        record: dict[str, Any] = {
            ROW_ID: row_id,
            "_ss_sheet_id": row.get("sheetId", self.sheet_id) if self.report else self.sheet_id,
            ROW_NUMBER: row.get("rowNumber"),
            "_ss_parent_id": row.get("parentId"),
            "_ss_created_at": normalize_timestamp(created) if created else None,
            CURSOR: modified,
            "_ss_created_by": created_by.get("email") if isinstance(created_by, dict) else None,
            "_ss_modified_by": modified_by.get("email") if isinstance(modified_by, dict) else None,
            INVALID: None,
        }
        record.update(self._template)
        by_column = self._by_column
        cell_key = self._cell_key
        invalid: dict[str, str] | None = None
        for cell in row.get("cells") or ():
            entry = by_column.get(cell.get(cell_key))
            if entry is None:
                raise MalformedRow(f"row {row_id} has a cell of unknown column {cell.get(cell_key)!r}")
            name, convert = entry
            value, bad = convert(cell)
            record[name] = value
            if bad is not None:
                if invalid is None:
                    invalid = {}
                invalid[name] = bad
        record[INVALID] = invalid
        return record

    def deleted_record(self, row_id: int, deleted_at: str) -> dict[str, Any]:
        """A tombstone for a row that disappeared, for append+dedupe destinations."""
        record: dict[str, Any] = {name: None for name in META_SCHEMA}
        record.update(self._template)
        record.update({ROW_ID: row_id, "_ss_sheet_id": self.sheet_id, CURSOR: deleted_at, DELETED_AT: deleted_at})
        return record


def _kind(
    column: Mapping[str, Any],
    name: str,
    sample_rows: Sequence[Mapping[str, Any]] | None,
    declared: Mapping[str, Any] | None,
    id_key: str = "id",
    cell_key: str = "columnId",
) -> ColumnKind:
    kind = column_kind(column)
    wanted = declared.get(name) if declared is not None else None
    if kind.name != "TEXT_NUMBER":
        return fit_declared(kind, wanted) if isinstance(wanted, Mapping) else kind
    if isinstance(wanted, Mapping):
        return text_number_kind_for(wanted)
    if sample_rows is None:
        return kind  # no evidence either way: text or number
    column_id = column.get(id_key)
    values = (
        cell.get("value") for row in sample_rows or () for cell in row.get("cells") or () if cell.get(cell_key) == column_id
    )
    return text_number_kind(values)


def object_schema(properties: Mapping[str, Any], title: str | None = None, description: str | None = None) -> dict[str, Any]:
    """A stream's schema around its properties: every stream's records are objects that may hold more fields."""
    schema: dict[str, Any] = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}
    if title:
        schema["title"] = title
    if description:
        schema["description"] = description
    schema.update({"additionalProperties": True, "properties": dict(properties)})
    return schema


def selected_fields(schema: Mapping[str, Any] | None) -> frozenset[str] | None:
    """Field names a configured catalog selected, or None for all."""
    declared = declared_fields(schema)
    return frozenset(declared) if declared is not None else None


def declared_fields(schema: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The field schemas a configured catalog declares (its `properties`), or None when it declares none."""
    properties = (schema or {}).get("properties")
    return properties if isinstance(properties, Mapping) else None


def project(record: dict[str, Any], fields: Iterable[str] | None) -> dict[str, Any]:
    """Keep only the selected fields (the configured catalog is the contract with the destination)."""
    if fields is None:
        return record
    return {key: value for key, value in record.items() if key in fields}
