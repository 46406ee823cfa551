"""Shape sheets, rows and cells exactly as the API sends them (docs/smartsheet-api.md, Column types)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .clock import iso
from .model import Cell, Column, Contact, Duration, Predecessor, Row, Sheet, User

# The level each multi-value type needs before the API stops downgrading it to TEXT_NUMBER.
SHEET_LEVELS = {"MULTI_CONTACT_LIST": 1, "MULTI_PICKLIST": 2}
REPORT_LEVELS = {"MULTI_CONTACT_LIST": 3, "MULTI_PICKLIST": 3}


@dataclass(frozen=True)
class RenderOptions:
    level: int = 0
    object_value: bool = False
    writer_info: bool = False
    row_permalink: bool = False
    exclude_nonexistent: bool = False
    report: bool = False

    def effective_type(self, column: Column) -> str:
        needed = (REPORT_LEVELS if self.report else SHEET_LEVELS).get(column.type)
        if needed is not None and self.level < needed:
            return "TEXT_NUMBER"
        return column.type


def render_column(column: Column, index: int, options: RenderOptions) -> dict[str, Any]:
    body: dict[str, Any] = {"id": column.id, "version": column.version, "index": index, "title": column.title}
    body["type"] = options.effective_type(column)
    if column.primary:
        body["primary"] = True
    if column.system_column_type:
        body["systemColumnType"] = column.system_column_type
    if column.auto_number_format:
        body["autoNumberFormat"] = column.auto_number_format
    if column.options:
        body["options"] = list(column.options)
    if column.formula:
        body["formula"] = column.formula
    if column.description:
        body["description"] = column.description
    if column.hidden:
        body["hidden"] = True
    body["validation"] = False
    body["width"] = column.width
    return body


def number_text(number: float) -> str:
    """displayValue of a number: `2.0` shows as `"2"`."""
    return str(int(number)) if float(number).is_integer() and abs(number) < 2**63 else repr(float(number))


def _wire_number(value: Any) -> Any:
    """The live service writes every number as a float (`2.0` even for `2`)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return value


def _contact_object(contact: Contact) -> dict[str, Any]:
    body: dict[str, Any] = {"objectType": "CONTACT"}
    if contact.email:
        body["email"] = contact.email
    body["name"] = contact.name
    return body


def _duration_object(duration: Duration) -> dict[str, Any]:
    body: dict[str, Any] = {"objectType": "DURATION"}
    for key in ("weeks", "days", "hours", "minutes", "seconds"):
        amount = getattr(duration, key)
        if amount:
            body[key] = amount
    # Flags that are false are left out (docs/smartsheet-api.md, objectValue by type).
    if duration.negative:
        body["negative"] = True
    if duration.elapsed:
        body["elapsed"] = True
    return body


def _predecessor_text(predecessors: list[Predecessor], row_numbers: dict[int, int]) -> str:
    parts = []
    for item in predecessors:
        text = f"{row_numbers.get(item.row_id, 0)}{item.type}"
        if item.lag is not None:
            lag = item.lag.text()
            text += f" {lag}" if lag.startswith("-") else f" +{lag}"
        parts.append(text)
    return ", ".join(parts)


def _predecessor_object(predecessors: list[Predecessor], row_numbers: dict[int, int]) -> dict[str, Any]:
    items = []
    for item in predecessors:
        entry: dict[str, Any] = {"rowId": item.row_id, "rowNumber": row_numbers.get(item.row_id, 0), "type": item.type}
        if item.lag is not None:
            entry["lag"] = _duration_object(item.lag)
        items.append(entry)
    return {"objectType": "PREDECESSOR_LIST", "predecessors": items}


def _system_value(column: Column, row: Row) -> Any:
    kind = column.system_column_type
    if kind == "CREATED_DATE":
        return iso(row.created_at)
    if kind == "MODIFIED_DATE":
        return iso(row.modified_at)
    if kind == "CREATED_BY":
        return _user_contact(row.created_by)
    if kind == "MODIFIED_BY":
        return _user_contact(row.modified_by)
    if kind == "AUTO_NUMBER":
        return row.auto_numbers.get(column.id)
    return None


def _user_contact(user: User) -> Contact:
    return Contact(name=user.name, email=user.email)


def render_cell(
    column: Column,
    row: Row,
    options: RenderOptions,
    row_numbers: dict[int, int],
) -> dict[str, Any] | None:
    """One cell as the API sends it, or None when `exclude=nonexistentCells` drops it."""
    if column.system_column_type:
        raw: Any = _system_value(column, row)
    elif column.id in row.cells:
        raw = row.cells[column.id]
    elif options.exclude_nonexistent:
        return None
    else:
        raw = None
    body: dict[str, Any] = {"columnId": column.id}
    formula = None
    hyperlink = None
    if isinstance(raw, Cell):
        formula, hyperlink, raw = raw.formula, raw.hyperlink, raw.value
    if raw is None or raw == "" or raw == []:
        if formula:
            body["formula"] = formula
        return body
    kind = options.effective_type(column)
    if isinstance(raw, str) and raw.startswith("#") and formula:
        # A formula error is the value itself, in any column type.
        _put(body, raw, raw, raw, options)
    else:
        _shape_value(body, column.type, kind, raw, options, row_numbers)
    if formula:
        body["formula"] = formula
    if hyperlink:
        body["hyperlink"] = hyperlink
    return body


def _put(body: dict[str, Any], value: Any, display: Any, object_value: Any, options: RenderOptions) -> None:
    # Key order as the live service sends it: value, objectValue, displayValue.
    if value is not None:
        body["value"] = value
    if options.object_value and object_value is not None:
        body["objectValue"] = object_value
    if display is not None:
        body["displayValue"] = display


def _shape_value(
    body: dict[str, Any],
    true_type: str,
    kind: str,
    raw: Any,
    options: RenderOptions,
    row_numbers: dict[int, int],
) -> None:
    if true_type == "MULTI_PICKLIST" and isinstance(raw, list):
        joined = ", ".join(str(item) for item in raw)
        if kind == "MULTI_PICKLIST" and options.object_value:
            # With objectValue asked for there is no `value` key at all.
            _put(body, None, joined, {"objectType": "MULTI_PICKLIST", "values": list(raw)}, options)
        else:
            _put(body, joined, joined, None, options)
        return
    if true_type == "MULTI_CONTACT_LIST" and isinstance(raw, list):
        joined = ", ".join(contact.name for contact in raw)
        if kind == "MULTI_CONTACT_LIST" and options.object_value:
            values = [_contact_object(contact) for contact in raw]
            _put(body, None, joined, {"objectType": "MULTI_CONTACT", "values": values}, options)
        else:
            _put(body, joined, joined, None, options)
        return
    if isinstance(raw, Contact):
        _put(body, raw.email or raw.name, raw.name, _contact_object(raw), options)
        return
    if isinstance(raw, Duration):
        _put(body, raw.text(), raw.text(), _duration_object(raw), options)
        return
    if isinstance(raw, list) and raw and isinstance(raw[0], Predecessor):
        text = _predecessor_text(raw, row_numbers)
        _put(body, text, text, _predecessor_object(raw, row_numbers), options)
        return
    if isinstance(raw, bool):
        display = None if kind == "CHECKBOX" else ("true" if raw else "false")
        _put(body, raw, display, raw, options)
        return
    if isinstance(raw, (int, float)):
        number = _wire_number(raw)
        _put(body, number, number_text(number), number, options)
        return
    text = str(raw)
    if kind == "DATE" and true_type == "DATE":
        _put(body, text, None, {"objectType": "DATE", "value": text}, options)
    elif kind in ("DATETIME", "ABSTRACT_DATETIME") and true_type == kind:
        _put(body, text, text, {"objectType": kind, "value": text}, options)
    else:
        _put(body, text, text, text, options)


def render_row(
    sheet_columns: list[Column],
    row: Row,
    row_number: int,
    sibling_id: int | None,
    options: RenderOptions,
    row_numbers: dict[int, int],
    permalink_base: str,
) -> dict[str, Any]:
    body: dict[str, Any] = {"id": row.id, "rowNumber": row_number}
    if row.parent_id is not None:
        body["parentId"] = row.parent_id
    if sibling_id is not None:
        body["siblingId"] = sibling_id
    body["expanded"] = row.expanded
    body["createdAt"] = iso(row.created_at)
    body["modifiedAt"] = iso(row.modified_at)
    if options.writer_info:
        body["createdBy"] = row.created_by.contact()
        body["modifiedBy"] = row.modified_by.contact()
    if options.row_permalink:
        body["permalink"] = f"{permalink_base}?rowId={row.id}"
    cells = []
    for column in sheet_columns:
        cell = render_cell(column, row, options, row_numbers)
        if cell is not None:
            cells.append(cell)
    body["cells"] = cells
    return body


def sibling_ids(sheet: Sheet) -> dict[int, int | None]:
    """Each row's previous sibling under the same parent (the first child has none)."""
    last_by_parent: dict[int | None, int] = {}
    result: dict[int, int | None] = {}
    for row in sheet.rows:
        result[row.id] = last_by_parent.get(row.parent_id)
        last_by_parent[row.parent_id] = row.id
    return result
