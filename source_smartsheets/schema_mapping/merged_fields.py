"""A merged stream's schema: the union of its sheets' fields, matched by field name (after the naming rule).

A field whose type differs between the sheets is widened by the one rule (`widening.py`): integer and number
to number; any other mix to string, with the field's description saying which types met. Reading, a sheet's
value of a field widened to string is written as text (`types.fit_declared`); one that still does not fit goes
to `_ss_invalid_values`.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from .sheet_fields import COLUMN_KEY
from .widening import widen

SHEET_NAME = "_ss_sheet_name"
SHEET_NAME_SCHEMA = {"type": ["null", "string"], "description": "The name of the sheet the row comes from."}


def union_properties(sheets: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The properties of a merged stream from its sheets' properties, in order of first appearance; a field says the
    column it comes from in each sheet (`COLUMN_KEY`), which a read follows through renames."""
    seen: dict[str, list[Mapping[str, Any]]] = {}
    columns: dict[str, dict[str, Any]] = {}
    for properties in sheets:
        for name, schema in properties.items():
            seen.setdefault(name, []).append({key: value for key, value in schema.items() if key != COLUMN_KEY})
            if isinstance(schema.get(COLUMN_KEY), Mapping):
                columns.setdefault(name, {}).update(schema[COLUMN_KEY])
    union = {name: widen(schemas, "the merged sheets") for name, schemas in seen.items()}
    for name, by_sheet in columns.items():
        union[name][COLUMN_KEY] = by_sheet
    return union
