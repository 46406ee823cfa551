"""The one rule for a field whose type differs between sheets: a merged stream's fields (`merged_fields.py`) and
the portfolio table's summary titles (`summary_fields.py`) are both widened by it.

The same type everywhere stays as it is; integer and number (neither with a format) become number; any other
mix becomes string, its description saying which types met (`number in 2, string (date) in 1`). The reading
side writes a widened value as text (`types.fit_declared`, `summary_fields.summary_converter`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Mapping, Sequence

import orjson

from .types import json_types

NUMERIC = frozenset({"integer", "number"})


def _shape(schema: Mapping[str, Any]) -> bytes:
    """What makes two field schemas the same type (their titles and descriptions aside)."""
    kept = {key: value for key, value in schema.items() if key not in ("title", "description")}
    return orjson.dumps(kept, option=orjson.OPT_SORT_KEYS)


def _said(schema: Mapping[str, Any]) -> str:
    types = sorted(json_types(schema)) or ["untyped"]
    extra = schema.get("format") or ""
    return "/".join(types) + (f" ({extra})" if extra else "")


def widen(schemas: Sequence[Mapping[str, Any]], between: str) -> dict[str, Any]:
    """One field's schema from the schemas it has in several sheets (the first one's title kept); `between` names
    the sheets for the description (`the merged sheets`)."""
    first = schemas[0]
    if len({_shape(schema) for schema in schemas}) == 1:
        return dict(first)
    kept = {key: first[key] for key in ("title",) if key in first}
    types = frozenset().union(*(json_types(schema) for schema in schemas))
    if types <= NUMERIC and not any(schema.get("format") for schema in schemas):
        return {"type": ["null", "number"], **kept}
    counts = Counter(_said(schema) for schema in schemas)
    met = ", ".join(f"{kind} in {count}" for kind, count in sorted(counts.items()))
    return {"type": ["null", "string"], **kept, "description": f"Its type differs between {between} ({met}): kept as text."}
