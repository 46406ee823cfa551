"""Per-sheet state and the cursor rules that make incremental reads lose no row.

State shape (one per stream; documented in the README, kept backward compatible):

    {"state_version": 1, "sheet_id": 123, "modifiedAt": "2026-01-05T09:00:00Z",
     "version": 17, "columns": "<16 hex>", "cursor_rows": {"<row id>": "<12 hex>"}?,
     "row_ids": "z1:<packed ids>"?, "naming": 2, "fields": {"<column id>": "<field name>"}?}

Rules:
- `rowsModifiedSince` is strictly after, at one-second resolution. A row edited in the same second as
  the last row read, after the read, has the cursor's own timestamp; so the next read asks for rows
  after `cursor - 1s` and re-emits the few rows stamped exactly at the cursor (deduped by `_ss_row_id`).
  `cursor_rows` holds a fingerprint of each row stamped in the cursor's second (at most 50), so the
  re-read skips those that did not change again: duplicates only where a second holds more rows.
- The cursor never passes the sheet's own `modifiedAt` as seen when the read began: a row changed
  during a paged walk, on a page already passed, is stamped later than that and comes back next time.
- A state for another sheet, of an unknown version, or that does not parse, means a full re-read.
- `fields` is the field each column landed in: a read follows a column by its id through a rename even where the
  configured catalog does not say the ids (a catalog discovered before 0.5.0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from ..timestamps import ONE_SECOND, format_time, parse_time
from ..whole_numbers import whole_int
from .envelope import open_state, sealed

CURSOR_KEY = "modifiedAt"


@dataclass(frozen=True)
class SheetState:
    sheet_id: int
    cursor: datetime | None = None
    version: int | None = None
    columns: str | None = None
    row_ids: str | None = None
    cursor_rows: Mapping[str, str] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    naming: int | None = None  # the naming rule the field names followed (absent before 0.2.0: rule 1)
    fields: Mapping[int, str] | None = None  # column id -> the field it landed in (absent before 0.5.0)

    def to_message(self) -> dict[str, Any]:
        body = sealed({**self.extra, "sheet_id": self.sheet_id})  # `extra` never holds a known key (KNOWN_KEYS)
        if self.cursor is not None:
            body[CURSOR_KEY] = format_time(self.cursor)
        if self.version is not None:
            body["version"] = self.version
        if self.columns is not None:
            body["columns"] = self.columns
        if self.cursor_rows:
            body["cursor_rows"] = dict(self.cursor_rows)
        if self.naming is not None:
            body["naming"] = self.naming
        if self.row_ids is not None:
            body["row_ids"] = self.row_ids
        if self.fields:
            body["fields"] = {str(column_id): name for column_id, name in self.fields.items()}
        return body


@dataclass(frozen=True)
class ParsedState:
    state: SheetState | None
    reason: str | None = None  # why the incoming state was set aside (for a warning), if it was


def parse_state(raw: Mapping[str, Any] | None, sheet_id: int) -> ParsedState:
    """Read an incoming per-stream state. Anything unusable means a full re-read, with the reason."""
    opened = open_state(raw)
    if opened.body is None:
        return ParsedState(None, opened.reason)
    raw = opened.body
    known_sheet = raw.get("sheet_id")
    if known_sheet is not None and known_sheet != sheet_id:
        return ParsedState(None, f"the state belongs to sheet {known_sheet}, not {sheet_id}")
    cursor_text = raw.get(CURSOR_KEY)
    try:
        cursor = parse_time(cursor_text) if cursor_text else None
    except (TypeError, ValueError, AttributeError):
        return ParsedState(None, f"its {CURSOR_KEY} {cursor_text!r} is not a timestamp")
    sheet_version = whole_int(raw.get("version"))
    columns = raw.get("columns") if isinstance(raw.get("columns"), str) else None
    row_ids = raw.get("row_ids") if isinstance(raw.get("row_ids"), str) else None
    cursor_rows = _string_map(raw.get("cursor_rows"))
    extra = {key: value for key, value in raw.items() if key not in KNOWN_KEYS}
    naming = whole_int(raw.get("naming"))
    fields = _fields(raw.get("fields"))
    return ParsedState(SheetState(sheet_id, cursor, sheet_version, columns, row_ids, cursor_rows, extra, naming, fields))


KNOWN_KEYS = {"state_version", "sheet_id", CURSOR_KEY, "version", "columns", "row_ids", "cursor_rows", "naming", "fields"}


def _fields(raw: Any) -> dict[int, str] | None:
    """Column id -> field name, as a state keeps it; what does not parse is left out (then followed by title)."""
    if not isinstance(raw, Mapping):
        return None
    return {int(key): value for key, value in raw.items() if str(key).isdigit() and isinstance(value, str)} or None


def _string_map(raw: Any) -> dict[str, str] | None:
    if not isinstance(raw, Mapping):
        return None
    return {str(key): value for key, value in raw.items() if isinstance(value, str)} or None


def since_for(cursor: datetime | None, start: datetime | None) -> datetime | None:
    """The `rowsModifiedSince` to ask for: one second before the cursor, or before the start date."""
    anchor = cursor or start
    if anchor is None:
        return None
    return anchor.replace(microsecond=0) - ONE_SECOND


def next_cursor(
    previous: datetime | None, newest_row: datetime | None, sheet_modified_at_start: datetime | None
) -> datetime | None:
    """The cursor after a complete read: the newest row seen, never past the sheet's modifiedAt at the start."""
    candidate = newest_row
    if candidate is not None and sheet_modified_at_start is not None and candidate > sheet_modified_at_start:
        candidate = sheet_modified_at_start
    if previous is not None and (candidate is None or candidate < previous):
        return previous
    return candidate
