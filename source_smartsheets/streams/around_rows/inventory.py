"""The inventory: `sheets` (one record per selected sheet) and `columns` (one per column of each).

Both are built from the sheet listing discovery reads anyway and the sheet's first page, which a row read
of that sheet in the same sync has already fetched (else one small request). A sheet whose listed
`version` and listing are as they were at the last sync is passed over without a request: columns and rows
move the version.
"""

from __future__ import annotations

import hashlib
from typing import Any, Iterable

import orjson

from ...discovery import ObjectRef
from ...fetch.responses import HEAD
from ...schema_mapping.around_rows import COLUMN_PROPERTIES, SHEET_PROPERTIES, column_records, sheet_record
from ...schema_mapping.sheet_fields import SheetFields
from ...state.around_rows import RememberedSheet
from .base import AroundRowsStream


def listing_digest(ref: ObjectRef) -> str:
    """What the listing and discovery say of a sheet (its name, stream, place, owner, access...), as 8 hex."""
    said = [ref.name, ref.stream_name, ref.namespace, ref.path, dict(ref.listed)]
    return hashlib.blake2b(orjson.dumps(said, option=orjson.OPT_SORT_KEYS), digest_size=4).hexdigest()


class _InventoryStream(AroundRowsStream):
    response = HEAD

    def _unchanged(self, ref: ObjectRef, previous: RememberedSheet | None) -> bool:
        if not self._incremental or previous is None or previous.version is None or ref.listed_version is None:
            return False
        return ref.listed_version <= previous.version and previous.listing == listing_digest(ref)

    def remembered(self, ref: ObjectRef, fetched: Any) -> tuple[int | None, str | None]:
        version = fetched.get("version")
        return (version if isinstance(version, int) else ref.listed_version), listing_digest(ref)


class SheetInventoryStream(_InventoryStream):
    """Every selected sheet. Primary key `sheet_id`, cursor `modified_at`."""

    stream_name = "sheets"
    id_field = sheet_field = "sheet_id"
    cursor_name = "modified_at"
    properties = SHEET_PROPERTIES

    def records(self, ref: ObjectRef, fetched: Any) -> Iterable[dict[str, Any]]:
        yield sheet_record(ref.id, ref.stream_name, ref.name, ref.namespace, ref.path, ref.listed, fetched)


class ColumnInventoryStream(_InventoryStream):
    """Every column of every selected sheet, with its field name. Primary key (`sheet_id`, `column_id`),
    cursor `sheet_version`."""

    stream_name = "columns"
    id_field = "column_id"
    cursor_name = "sheet_version"
    properties = COLUMN_PROPERTIES
    unchanging = frozenset({"sheet_version"})  # a row edit moves it: the columns are emitted again only when they change

    def records(self, ref: ObjectRef, fetched: Any) -> Iterable[dict[str, Any]]:
        columns = fetched.get("columns") or []
        fields = SheetFields(ref.id, columns, declared=self.context.declared.get(ref.id), pinned=self._config.field_pins(ref.id))
        version = fetched.get("version") if isinstance(fetched.get("version"), int) else None
        return column_records(ref.id, ref.stream_name, version, columns, fields)

    def deleted_cursor(self, stamp: str, fetched: Any, part: RememberedSheet | None) -> Any:
        if isinstance(fetched, dict) and isinstance(fetched.get("version"), int):
            return fetched["version"]
        return (part.version or 0) + 1 if part is not None else None  # the sheet is gone: past its last version
