"""What the connector must emit for a world's rows, computed from the emulator's own objects.

This is the world's truth, derived independently of the API's JSON: a test compares the records the
command printed with these values, field by field.
"""

from __future__ import annotations

from typing import Any

from smartsheet_emulator.clock import iso
from smartsheet_emulator.model import Cell, Column, Contact, Duration, Predecessor, Row, Sheet
from source_smartsheets.schema_mapping.naming import field_names

NUMBER_TYPES = (int, float)
STRICT_TYPES = {"DATE", "DATETIME", "ABSTRACT_DATETIME", "CHECKBOX", "MULTI_PICKLIST", "MULTI_CONTACT_LIST"}


def _number(value: float) -> Any:
    return int(value) if float(value).is_integer() else float(value)


def _contact(contact: Contact) -> dict[str, Any]:
    return {"email": contact.email, "name": contact.name}


def _truth(column: Column, row: Row, sheet: Sheet, declared: dict[str, Any]) -> tuple[Any, str | None]:
    system = column.system_column_type
    if system == "AUTO_NUMBER":
        return row.auto_numbers.get(column.id), None
    if system in ("CREATED_DATE", "MODIFIED_DATE"):
        return iso(row.created_at if system == "CREATED_DATE" else row.modified_at), None
    if system in ("CREATED_BY", "MODIFIED_BY"):
        user = row.created_by if system == "CREATED_BY" else row.modified_by
        return {"email": user.email, "name": user.name}, None
    raw = row.cells.get(column.id)
    if isinstance(raw, Cell):
        raw = raw.value
    if raw is None or raw == "" or raw == []:
        return None, None
    kind = column.type
    if isinstance(raw, str) and raw.startswith("#"):  # a formula error
        strict = kind in STRICT_TYPES or (kind == "TEXT_NUMBER" and "string" not in set(declared.get("type") or []))
        return (None, raw) if strict else (raw, None)
    if kind == "TEXT_NUMBER":
        is_number = isinstance(raw, NUMBER_TYPES) and not isinstance(raw, bool)
        types = set(declared.get("type") or [])
        if "string" not in types:  # typed number at discovery: text is kept aside
            return (_number(raw), None) if is_number else (None, str(raw))
        if "number" not in types:  # typed string: numbers as their text
            return (str(_number(raw)) if is_number else raw), None
        return (_number(raw) if is_number else raw), None
    if kind == "PICKLIST":
        return (str(_number(raw)) if isinstance(raw, NUMBER_TYPES) else raw), None
    if kind in ("DATE", "DATETIME", "ABSTRACT_DATETIME"):
        if isinstance(raw, NUMBER_TYPES):  # a value left over from a retyped column
            return None, str(_number(raw))
        return raw, None
    if kind == "CHECKBOX":
        return raw, None
    if kind == "MULTI_PICKLIST":
        return list(raw), None
    if kind == "CONTACT_LIST":
        return _contact(raw), None
    if kind == "MULTI_CONTACT_LIST":
        return [_contact(item) for item in raw], None
    if kind == "DURATION":
        return (raw.text() if isinstance(raw, Duration) else raw), None
    if kind == "PREDECESSOR":
        numbers = {r.id: n for n, r in enumerate(sheet.rows, start=1)}
        return [
            {"row_id": p.row_id, "row_number": numbers[p.row_id], "type": p.type, "lag": p.lag.text() if p.lag else None}
            for p in raw
            if isinstance(p, Predecessor)
        ], None
    raise AssertionError(f"no truth for {kind}")


def expected_records(sheet: Sheet, schema: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Row id -> the record the connector must emit for it (metadata and every column).

    `schema` is the stream's discovered JSON schema: it says whether each TEXT_NUMBER column was
    typed number or string.
    """
    properties = schema["properties"]
    names = field_names([(column.id, column.title) for column in sheet.columns])
    records: dict[int, dict[str, Any]] = {}
    for number, row in enumerate(sheet.rows, start=1):
        record: dict[str, Any] = {
            "_ss_row_id": row.id,
            "_ss_sheet_id": sheet.id,
            "_ss_row_number": number,
            "_ss_parent_id": row.parent_id,
            "_ss_created_at": iso(row.created_at),
            "_ss_modified_at": iso(row.modified_at),
            "_ss_created_by": row.created_by.email,
            "_ss_modified_by": row.modified_by.email,
        }
        invalid: dict[str, str] = {}
        for column, name in zip(sheet.columns, names, strict=True):
            value, bad = _truth(column, row, sheet, properties.get(name, {}))
            record[name] = value
            if bad is not None:
                invalid[name] = bad
        record["_ss_invalid_values"] = invalid or None
        records[row.id] = record
    return records


def without_nulls(record: dict[str, Any]) -> dict[str, Any]:
    """Airbyte's serializer leaves null fields out of a RECORD; compare on the values that are set."""
    return {key: value for key, value in record.items() if value is not None}
