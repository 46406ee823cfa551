"""What the fixed schemas of the streams besides each sheet's own share: JSON types, the sheet a record belongs to,
the typed value fields, and the readers of a contact and a timestamp (pure)."""

from __future__ import annotations

from typing import Any, Mapping

from ..timestamps import normalize_timestamp
from .types import TIMESTAMP_TZ

Record = dict[str, Any]
INTEGER = {"type": ["null", "integer"]}
NUMBER = {"type": ["null", "number"]}
STRING = {"type": ["null", "string"]}
BOOLEAN = {"type": ["null", "boolean"]}
STRINGS = {"type": ["null", "array"], "items": {"type": "string"}}


def email_of(contact: Any) -> str | None:
    return contact.get("email") if isinstance(contact, Mapping) else None


def time_text(text: Any) -> str | None:
    try:
        return normalize_timestamp(text) if isinstance(text, str) and text else None
    except ValueError:
        return None


SHEET_ID = {"sheet_id": {"type": "integer"}, "stream_name": STRING}
# A typed value, in the field of its JSON type (a destination's column has one type): text, picklists, durations and
# project dates in value_text; contacts in value_object; multi-values and predecessors in value_array (`typed_value`).
VALUE_PROPERTIES = {
    "value_text": STRING,
    "value_number": NUMBER,
    "value_boolean": BOOLEAN,
    "value_date": {"type": ["null", "string"], "format": "date"},
    "value_datetime": TIMESTAMP_TZ,
    "value_object": {"type": ["null", "object"]},
    "value_array": {"type": ["null", "array"]},
}
VALUE_FIELDS = tuple(VALUE_PROPERTIES)


def typed_value(value: Any, kind_schema: Mapping[str, Any]) -> dict[str, Any]:
    """A converted value in the one `value_*` field its type calls for (the others null)."""
    fields: dict[str, Any] = dict.fromkeys(VALUE_FIELDS)
    if value is None:
        return fields
    if isinstance(value, bool):
        fields["value_boolean"] = value
    elif isinstance(value, (int, float)):
        fields["value_number"] = value
    elif isinstance(value, Mapping):
        fields["value_object"] = dict(value)
    elif isinstance(value, list):
        fields["value_array"] = value
    elif kind_schema.get("format") == "date":
        fields["value_date"] = value
    elif kind_schema.get("airbyte_type") == "timestamp_with_timezone":
        fields["value_datetime"] = value
    else:
        fields["value_text"] = str(value)
    return fields
