"""A merged stream's schema: the union of its sheets' fields, matched by field name (after the naming rule).

A field whose type differs between the sheets is widened: integer and number to number; any other mix to
string, with the field's description saying which types met. Reading, a sheet's value of a field widened to
string is written as text (`types.fit_declared`); one that still does not fit goes to `_ss_invalid_values`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Mapping, Sequence

import orjson

NUMERIC = {"integer", "number"}
SHEET_NAME = "_ss_sheet_name"
SHEET_NAME_SCHEMA = {"type": ["null", "string"], "description": "The name of the sheet the row comes from."}


def _types(schema: Mapping[str, Any]) -> frozenset[str]:
    declared = schema.get("type")
    return frozenset([declared] if isinstance(declared, str) else declared or []) - {"null"}


def _shape(schema: Mapping[str, Any]) -> bytes:
    """What makes two field schemas the same type (their titles and descriptions aside)."""
    kept = {key: value for key, value in schema.items() if key not in ("title", "description")}
    return orjson.dumps(kept, option=orjson.OPT_SORT_KEYS)


def _said(schema: Mapping[str, Any]) -> str:
    types = sorted(_types(schema)) or ["untyped"]
    extra = schema.get("format") or ""
    return "/".join(types) + (f" ({extra})" if extra else "")


def union_properties(sheets: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The properties of a merged stream from its sheets' properties, in order of first appearance."""
    seen: dict[str, list[Mapping[str, Any]]] = {}
    for properties in sheets:
        for name, schema in properties.items():
            seen.setdefault(name, []).append(schema)
    union: dict[str, Any] = {}
    for name, schemas in seen.items():
        first = schemas[0]
        if len({_shape(schema) for schema in schemas}) == 1:
            union[name] = dict(first)
            continue
        kept = {key: first[key] for key in ("title",) if key in first}
        types = frozenset().union(*(_types(schema) for schema in schemas))
        if types <= NUMERIC and not any(schema.get("format") for schema in schemas):
            union[name] = {"type": ["null", "number"], **kept}
            continue
        counts = Counter(_said(schema) for schema in schemas)
        met = ", ".join(f"{kind} in {count}" for kind, count in sorted(counts.items()))
        note = f"Its type differs between the merged sheets ({met}): kept as text."
        union[name] = {"type": ["null", "string"], **kept, "description": note}
    return union
