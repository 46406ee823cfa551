"""State of the streams around rows: what sheets keep around their rows (summaries, discussions, comments, attachments,
the sheet and column inventory): one part per sheet inside each stream's state.

State shape (one per stream; documented in the README):

    {"state_version": 1, "checked_at": "<the last complete pass>"?,
     "sheets": {"<sheet id>": {"items": "d1:<packed>", "version": 17?, "listing": "<hex>"?}}}

`items` holds a short digest of every record the stream emitted for that sheet, by the record's id (a
discussion id, a column id, ...): the next sync emits the records whose digest changed (new or edited), and
a tombstone for each id that is gone. Nothing relies on a timestamp that an edit might not move, nor on the
sheet's `version`, which the API does not say moves with comments, attachments or summary edits.
`version` lets a stream skip a sheet whose version did not move (discussions, comments and attachments, whose
changes the API says move it, and the inventory, with `listing`, a digest of what the sheet listing says).
`checked_at` is when the stream last went over every selected sheet: what does not move the version is rechecked
on a schedule that starts there (`recheck.py`); it is written only when a pass is complete, so a sync stopped
midway rechecks the rest next time. A state without it (0.3.0's) rechecks every sheet once.

Rules (pure, table-tested):
- an id whose digest differs, or that is new, is emitted; an id that is gone is deleted;
- a state that does not parse is set aside as a whole (everything is emitted again once, with a reason).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from ..timestamps import format_time, parse_time
from ..whole_numbers import whole_int
from .digests import pack_items, unpack_items
from .envelope import open_state, sealed
from .row_ids import CorruptRowIds


@dataclass(frozen=True)
class RememberedSheet:
    """What one stream remembers of one sheet."""

    items: Mapping[int, bytes] = field(default_factory=dict)  # record id -> digest
    version: int | None = None
    listing: str | None = None

    def to_message(self) -> dict[str, Any]:
        body: dict[str, Any] = {"items": pack_items(self.items)}
        if self.version is not None:
            body["version"] = self.version
        if self.listing is not None:
            body["listing"] = self.listing
        return body


@dataclass(frozen=True)
class AroundRowsState:
    sheets: Mapping[int, RememberedSheet]
    reason: str | None = None  # why an incoming state was set aside, if it was
    checked_at: datetime | None = None  # the last complete pass over every selected sheet

    def to_message(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.checked_at is not None:
            body["checked_at"] = format_time(self.checked_at)
        body["sheets"] = {str(sheet_id): part.to_message() for sheet_id, part in sorted(self.sheets.items())}
        return sealed(body)


@dataclass(frozen=True)
class Changes:
    emit: list[int]  # ids whose record is new or changed, in the order given
    gone: list[int]  # ids no longer there, ascending


def changes(previous: Mapping[int, bytes], current: Mapping[int, bytes]) -> Changes:
    """Which records to emit and which to delete, from the digests of the last sync and of now."""
    emit = [item_id for item_id, value in current.items() if previous.get(item_id) != value]
    gone = sorted(item_id for item_id in previous if item_id not in current)
    return Changes(emit, gone)


def parse_around_rows_state(raw: Mapping[str, Any] | None) -> AroundRowsState:
    """An incoming stream state; anything unusable is set aside whole, with the reason."""
    opened = open_state(raw, "sheets")
    if opened.body is None:
        return AroundRowsState({}, opened.reason)
    raw = opened.body
    sheets: dict[int, RememberedSheet] = {}
    try:
        for key, body in raw["sheets"].items():
            version = body.get("version")
            listing = body.get("listing")
            sheets[int(key)] = RememberedSheet(
                unpack_items(str(body.get("items") or "")) if body.get("items") else {},
                whole_int(version),
                listing if isinstance(listing, str) else None,
            )
    except (CorruptRowIds, ValueError, TypeError, AttributeError) as error:
        return AroundRowsState({}, f"its sheets do not parse ({error})")
    try:
        checked_at = parse_time(raw["checked_at"]) if isinstance(raw.get("checked_at"), str) else None
    except ValueError:
        checked_at = None  # rechecked in full once: nothing is lost
    return AroundRowsState(sheets, checked_at=checked_at)
