"""Records of the cell_history stream: one per change of a chosen cell (docs/smartsheet-api.md, cell history).

The value is typed as the sheet's own stream types it, in the `value_*` field of its JSON type (as summary fields
are: one stream holds many columns' values, and a destination's column has one type), with the display value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping, Sequence

from ..timestamps import parse_time
from .common import STRING, VALUE_PROPERTIES, Record, email_of, time_text, typed_value
from .sheet_fields import Field
from .types import TIMESTAMP_TZ

PRIMARY_KEY = ["sheet_id", "row_id", "column_id", "modified_at", "seq"]
CELL_HISTORY_PROPERTIES = {
    "sheet_id": {"type": "integer"},
    "row_id": {"type": "integer"},
    "column_id": {"type": "integer"},
    "modified_at": TIMESTAMP_TZ,
    "seq": {"type": "integer"},  # 0, 1, ...: changes of the cell within the same second, oldest first
    "stream_name": STRING,  # the sheet's stream
    "field": STRING,  # the column's field in the sheet's stream
    "column_title": STRING,
    "column_type": STRING,
    **VALUE_PROPERTIES,
    "display_value": STRING,
    "invalid_value": STRING,
    "modified_by": STRING,
    "modified_by_name": STRING,
}


def history_records(
    sheet_id: int, stream: str, row_id: int, field: Field, entries: Sequence[Mapping[str, Any]], floor: datetime | None
) -> list[Record]:
    """The cell's changes (the API gives them newest first) from `floor` on (None: all), oldest first, each numbered
    within its second (`seq`) so that two changes in one second are two records."""
    records: list[Record] = []
    seq_in: dict[str, int] = {}
    convert = field.kind.convert  # typed as the sheet's stream types it (an undeclared TEXT_NUMBER: as it holds)
    for entry in reversed(entries):
        modified = time_text(entry.get("modifiedAt"))
        if modified is None:
            continue
        seq = seq_in.get(modified, 0)
        seq_in[modified] = seq + 1
        if floor is not None and parse_time(modified) < floor:
            continue
        value, invalid = convert(entry)
        by = entry.get("modifiedBy")
        records.append(
            {
                **typed_value(value, field.kind.schema),
                "sheet_id": sheet_id,
                "row_id": row_id,
                "column_id": field.column_id,
                "modified_at": modified,
                "seq": seq,
                "stream_name": stream,
                "field": field.name,
                "column_title": field.title,
                "column_type": entry.get("columnType"),
                "display_value": entry.get("displayValue"),
                "invalid_value": invalid,
                "modified_by": email_of(by),
                "modified_by_name": by.get("name") if isinstance(by, Mapping) else None,
            }
        )
    return records
