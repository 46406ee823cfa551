"""Column type -> JSON Schema, and cell -> typed value (docs/smartsheet-api.md, Column types).

Every converter returns `(value, invalid)`. `invalid` is the cell's text when the value does not fit the
column's declared type (a formula error in a DATE column, text in a CHECKBOX column): the field is then
null and the text is kept in the record's `_ss_invalid_values` object, so nothing is silently lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import orjson

from ..timestamps import normalize_timestamp, parse_local

Cell = Mapping[str, Any]
Converted = tuple[Any, "str | None"]
Converter = Callable[[Cell], Converted]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_EXACT = 2**53

NULLABLE_STRING = {"type": ["null", "string"]}
CONTACT = {
    "type": ["null", "object"],
    "properties": {"email": {"type": ["null", "string"]}, "name": {"type": ["null", "string"]}},
}
TIMESTAMP_TZ = {"type": ["null", "string"], "format": "date-time", "airbyte_type": "timestamp_with_timezone"}


@dataclass(frozen=True)
class ColumnKind:
    """What a column really holds, and how its cells become values."""

    name: str
    schema: Mapping[str, Any]
    convert: Converter


def column_kind(column: Mapping[str, Any]) -> ColumnKind:
    """The kind of a column as the API describes it (`type`, `version`, `systemColumnType`).

    `version` tells the true kind even where `type` was downgraded to TEXT_NUMBER
    (docs/smartsheet-api.md: 1 MULTI_CONTACT_LIST, 2 MULTI_PICKLIST).
    """
    system = column.get("systemColumnType")
    if system in SYSTEM_KINDS:
        return SYSTEM_KINDS[system]
    version = column.get("version") or 0
    if version == 2:
        return KINDS["MULTI_PICKLIST"]
    if version == 1:
        return KINDS["MULTI_CONTACT_LIST"]
    return KINDS.get(str(column.get("type")), UNKNOWN)


# ----- converters ---------------------------------------------------------------------------------
def is_formula_error(value: Any) -> bool:
    """A formula error is the value itself (`#DIVIDE BY ZERO`), in any column type (docs/smartsheet-api.md)."""
    return isinstance(value, str) and value.startswith("#")


def number(value: Any) -> Any:
    """`2.0` from the wire becomes `2`; other numbers stay as they are."""
    if value.__class__ is float and value.is_integer() and -MAX_EXACT <= value <= MAX_EXACT:
        return int(value)
    return value


def _text(cell: Cell) -> str | None:
    value = cell.get("value")
    if value is None:
        return cell.get("displayValue")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(number(value))
    return str(value)


def convert_text_number(cell: Cell) -> Converted:
    value = cell.get("value")
    if value is None:
        return cell.get("displayValue"), None
    if isinstance(value, bool):
        return ("true" if value else "false"), None
    if isinstance(value, (int, float)):
        return number(value), None
    return value, None


def convert_string(cell: Cell) -> Converted:
    value = cell.get("value")
    if value.__class__ is str:  # the common case, first
        return value, None
    return _text(cell), None


def convert_number(cell: Cell) -> Converted:
    """A TEXT_NUMBER column typed as number: text that turns up later is kept aside, not coerced."""
    value = cell.get("value")
    if value is None:
        return None, _text(cell)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value), None
    return None, _text(cell)


def convert_date(cell: Cell) -> Converted:
    value = cell.get("value")
    if value.__class__ is str and len(value) == 10 and _DATE.match(value):
        return value, None
    return None, _text(cell)


def convert_datetime(cell: Cell) -> Converted:
    value = cell.get("value")
    if isinstance(value, str) and not is_formula_error(value):
        try:
            return normalize_timestamp(value), None
        except ValueError:
            pass
    return None, _text(cell)


def convert_abstract_datetime(cell: Cell) -> Converted:
    """Project dates carry no zone (`2026-02-28T08:00:00`); they are kept as local timestamps."""
    value = cell.get("value")
    if isinstance(value, str) and not is_formula_error(value):
        try:
            return parse_local(value).strftime("%Y-%m-%dT%H:%M:%S"), None
        except ValueError:
            pass
    return None, _text(cell)


def convert_checkbox(cell: Cell) -> Converted:
    value = cell.get("value")
    if value is None or isinstance(value, bool):
        return value, None
    return None, _text(cell)


def convert_multi_picklist(cell: Cell) -> Converted:
    object_value = cell.get("objectValue")
    if isinstance(object_value, dict) and object_value.get("objectType") == "MULTI_PICKLIST":
        return [str(item) for item in object_value.get("values", [])], None
    value = cell.get("value")
    if value is None or is_formula_error(value):
        return None, _text(cell) if value is not None else None
    return [_text(cell)], None


def _contact(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"email": item.get("email"), "name": item.get("name")}


def convert_contact(cell: Cell) -> Converted:
    object_value = cell.get("objectValue")
    if isinstance(object_value, dict) and object_value.get("objectType") == "CONTACT":
        return _contact(object_value), None
    value = cell.get("value")
    if value is None or is_formula_error(value):
        return None, _text(cell) if value is not None else None
    text = str(value)
    return {"email": text if "@" in text else None, "name": cell.get("displayValue") or text}, None


def convert_multi_contact(cell: Cell) -> Converted:
    object_value = cell.get("objectValue")
    if isinstance(object_value, dict):
        if object_value.get("objectType") == "MULTI_CONTACT":
            return [_contact(item) for item in object_value.get("values", [])], None
        if object_value.get("objectType") == "CONTACT":
            return [_contact(object_value)], None
    value = cell.get("value")
    if value is None:
        return None, None
    return None, _text(cell)


def duration_text(duration: Mapping[str, Any]) -> str:
    """A DURATION objectValue as Smartsheet writes it: `-1.5d`, `4d 6h 30m`."""
    parts = []
    for key, unit in (("weeks", "w"), ("days", "d"), ("hours", "h"), ("minutes", "m"), ("seconds", "s"), ("milliseconds", "ms")):
        amount = duration.get(key)
        if amount:
            parts.append(f"{number(float(amount))}{unit}")
    text = " ".join(parts) or "0"
    return ("-" if duration.get("negative") else "") + ("e" if duration.get("elapsed") else "") + text


def convert_predecessors(cell: Cell) -> Converted:
    object_value = cell.get("objectValue")
    if isinstance(object_value, dict) and object_value.get("objectType") == "PREDECESSOR_LIST":
        items = []
        for item in object_value.get("predecessors", []):
            lag = item.get("lag")
            items.append(
                {
                    "row_id": item.get("rowId"),
                    "row_number": item.get("rowNumber"),
                    "type": item.get("type"),
                    "lag": duration_text(lag) if isinstance(lag, dict) else None,
                }
            )
        return items, None
    value = cell.get("value")
    if value is None:
        return None, None
    return None, _text(cell)


def convert_timestamp_system(cell: Cell) -> Converted:
    return convert_datetime(cell)


# ----- the table --------------------------------------------------------------------------------
def _kind(name: str, schema: Mapping[str, Any], convert: Converter) -> ColumnKind:
    return ColumnKind(name, schema, convert)


PREDECESSOR_ITEM = {
    "type": "object",
    "properties": {
        "row_id": {"type": ["null", "integer"]},
        "row_number": {"type": ["null", "integer"]},
        "type": {"type": ["null", "string"]},
        "lag": {"type": ["null", "string"]},
    },
}

KINDS: dict[str, ColumnKind] = {
    # TEXT_NUMBER holds text or numbers in one column: numbers stay JSON numbers, text stays text.
    "TEXT_NUMBER": _kind("TEXT_NUMBER", {"type": ["null", "number", "string"]}, convert_text_number),
    "DATE": _kind("DATE", {"type": ["null", "string"], "format": "date"}, convert_date),
    "DATETIME": _kind("DATETIME", TIMESTAMP_TZ, convert_datetime),
    "ABSTRACT_DATETIME": _kind(
        "ABSTRACT_DATETIME",
        {"type": ["null", "string"], "format": "date-time", "airbyte_type": "timestamp_without_timezone"},
        convert_abstract_datetime,
    ),
    "CHECKBOX": _kind("CHECKBOX", {"type": ["null", "boolean"]}, convert_checkbox),
    "PICKLIST": _kind("PICKLIST", NULLABLE_STRING, convert_string),
    "MULTI_PICKLIST": _kind("MULTI_PICKLIST", {"type": ["null", "array"], "items": {"type": "string"}}, convert_multi_picklist),
    "CONTACT_LIST": _kind("CONTACT_LIST", CONTACT, convert_contact),
    "MULTI_CONTACT_LIST": _kind(
        "MULTI_CONTACT_LIST", {"type": ["null", "array"], "items": {**CONTACT, "type": "object"}}, convert_multi_contact
    ),
    "DURATION": _kind("DURATION", NULLABLE_STRING, convert_string),
    "PREDECESSOR": _kind("PREDECESSOR", {"type": ["null", "array"], "items": PREDECESSOR_ITEM}, convert_predecessors),
}
SYSTEM_KINDS: dict[str, ColumnKind] = {
    "AUTO_NUMBER": _kind("AUTO_NUMBER", NULLABLE_STRING, convert_string),
    "CREATED_DATE": _kind("CREATED_DATE", TIMESTAMP_TZ, convert_timestamp_system),
    "MODIFIED_DATE": _kind("MODIFIED_DATE", TIMESTAMP_TZ, convert_timestamp_system),
    "CREATED_BY": _kind("CREATED_BY", CONTACT, convert_contact),
    "MODIFIED_BY": _kind("MODIFIED_BY", CONTACT, convert_contact),
}
# A type this connector does not know yet is kept as its text rather than dropped.
UNKNOWN = _kind("UNKNOWN", NULLABLE_STRING, convert_string)

# TEXT_NUMBER columns are typed from their data when discovered (see `text_number_kind`), and read
# with the type the configured catalog declares (see `text_number_kind_for`).
TEXT_NUMBER_AS_NUMBER = _kind("TEXT_NUMBER:number", {"type": ["null", "number"]}, convert_number)
TEXT_NUMBER_AS_TEXT = _kind("TEXT_NUMBER:text", NULLABLE_STRING, convert_string)


def text_number_kind(values: Iterable[Any]) -> ColumnKind:
    """number when every value seen is a JSON number (formula errors aside) and there is one; else text."""
    seen_number = False
    for value in values:
        if value is None or is_formula_error(value):
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return TEXT_NUMBER_AS_TEXT
        seen_number = True
    return TEXT_NUMBER_AS_NUMBER if seen_number else TEXT_NUMBER_AS_TEXT


def fit_declared(kind: ColumnKind, declared: Mapping[str, Any]) -> ColumnKind:
    """A kind read into a field the configured catalog declares as text though the column holds another type
    (a merged stream's field widened to string, a column retyped since discovery): its values as text."""
    if json_types(declared) != {"string"} or declared.get("format"):
        return kind  # not plain text: the kind's own type (the catalog says the same, or nothing can be done)
    if json_types(kind.schema) == {"string"} and not kind.schema.get("format"):
        return kind
    convert = kind.convert

    def as_text(cell: Cell) -> Converted:
        value, invalid = convert(cell)
        if value is None or isinstance(value, str):
            return value, invalid
        if isinstance(value, bool):
            return ("true" if value else "false"), invalid
        if isinstance(value, (int, float)):
            return str(number(value)), invalid
        return orjson.dumps(value).decode(), invalid  # a contact, a list: as JSON text

    return ColumnKind(f"{kind.name}:text", {**NULLABLE_STRING}, as_text)


def json_types(schema: Mapping[str, Any]) -> frozenset[str]:
    """The JSON types a field schema allows besides null (`{"type": ["null", "number"]}` -> {"number"})."""
    declared = schema.get("type")
    return frozenset([declared] if isinstance(declared, str) else declared or []) - {"null"}


def text_number_kind_for(schema: Mapping[str, Any]) -> ColumnKind:
    """The TEXT_NUMBER kind a configured catalog declares for a field."""
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(declared or [])
    if "number" in types and "string" not in types:
        return TEXT_NUMBER_AS_NUMBER
    if "string" in types and "number" not in types:
        return TEXT_NUMBER_AS_TEXT
    return KINDS["TEXT_NUMBER"]


# Only these kinds need `include=objectValue`: the others read as well from `value` and `displayValue`
# (a contact's value is its email, its displayValue its name), and objectValue makes a page about a
# third larger to send and to parse.
OBJECT_VALUE_KINDS = frozenset({"MULTI_PICKLIST", "MULTI_CONTACT_LIST", "PREDECESSOR"})


def needs_object_value(columns: Iterable[Mapping[str, Any]]) -> bool:
    """Whether a sheet with these columns must be read with `include=objectValue`."""
    return any(column_kind(column).name in OBJECT_VALUE_KINDS for column in columns)


def schema_needs_object_value(properties: Mapping[str, Any] | None) -> bool:
    """The same question asked of a configured catalog: those kinds, and only they, are arrays."""
    if properties is None:
        return True
    for schema in properties.values():
        declared = schema.get("type") if isinstance(schema, Mapping) else None
        if declared == "array" or (isinstance(declared, list) and "array" in declared):
            return True
    return False
