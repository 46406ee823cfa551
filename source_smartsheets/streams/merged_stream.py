"""A merged stream: the rows of many sheets (`merge_streams`) in one stream, each sheet read as its own stream
would be, one slice and one checkpoint per sheet.

State (documented in the README): each sheet's own state, nested by sheet id:

    {"state_version": 1, "sheets": {"<sheet id>": {<the sheet's state, as a sheet stream keeps it>}}}

So an unchanged sheet is passed over by its version, a changed one read from its own cursor, a sheet that
joined is read in full, and a sheet that left (deleted, unshared, moved out, renamed out of a pattern) ends
with a log line; with `capture_deletes` its rows are deleted (`_ab_cdc_deleted_at`).
"""

from __future__ import annotations

import logging
import time
from typing import Any, ClassVar, Iterable, Iterator, Mapping, MutableMapping, Sequence

from airbyte_cdk.models import AirbyteMessage, SyncMode
from airbyte_cdk.sources.streams import CheckpointMixin

from ..discovery import ObjectRef
from ..merging import MergedGroup
from ..schema_mapping.merged_fields import SHEET_NAME, SHEET_NAME_SCHEMA, union_properties
from ..schema_mapping.sheet_fields import CURSOR, ROW_ID, SheetFields, object_schema, project, selected_fields
from ..state.cursor import parse_state
from ..state.envelope import open_state, sealed
from ..state.row_ids import CorruptRowIds, unpack
from ..timestamps import format_time, now
from .base import SHEETS_THAT_LEFT, ObjectStream, SmartsheetStream, message_factory
from .context import ReadContext
from .sheet_stream import SheetStream

logger = logging.getLogger("airbyte")


class MergedStream(SmartsheetStream, CheckpointMixin):
    """Rows of every sheet of a merged group. Primary key (`_ss_sheet_id`, `_ss_row_id`), cursor `_ss_modified_at`."""

    primary_key = [["_ss_sheet_id"], [ROW_ID]]
    source_defined_cursor = True
    merges_sheets: ClassVar[bool] = True

    def __init__(self, group: MergedGroup, refs: Sequence[ObjectRef], context: ReadContext) -> None:
        super().__init__(context)
        self.group = group
        ordered = sorted(refs, key=lambda ref: (ref.name, ref.id))
        self.members = [SheetStream(ref, context, constants={SHEET_NAME: ref.name}) for ref in ordered]
        self._by_id = {member.ref.id: member for member in self.members}
        self._parts: dict[str, dict[str, Any]] = {}
        self._schema: dict[str, Any] | None = None
        self._incremental = False

    @property
    def name(self) -> str:
        return self.group.base_name

    @property
    def namespace(self) -> str | None:  # type: ignore[override]
        return self.members[0].namespace if self.members else None

    @property
    def cursor_field(self) -> str:
        return CURSOR

    @property
    def label(self) -> str:
        return f"merged stream {self.name} ({self.group.label})"

    # ----- schema ------------------------------------------------------------------------------
    def get_json_schema(self) -> Mapping[str, Any]:  # type: ignore[override]
        """The union of the sheets' schemas (each fetched once, by discover's pool; a sheet that vanished is left out)."""
        if self._schema is None:
            schemas = [member.json_schema_if_known() for member in self.members]
            known = [schema["properties"] for schema in schemas if schema is not None]
            properties = union_properties(known)
            properties[SHEET_NAME] = SHEET_NAME_SCHEMA
            sheets = ", ".join(member.ref.name for member in self.members)
            self._schema = object_schema(properties, self.name, f"Smartsheet sheets merged by {self.group.label}: {sheets}")
        return self._schema

    def schema_sources(self) -> Sequence[ObjectStream]:
        return self.members

    def in_catalog(self) -> bool:
        return any(member.json_schema_if_known() for member in self.members)

    def sheet_ids(self) -> Sequence[int]:
        return [member.ref.id for member in self.members]

    def _configured(self, json_schema: dict[str, Any]) -> None:
        for member in self.members:
            member.configured_json_schema = json_schema

    # ----- state -------------------------------------------------------------------------------
    @property
    def state(self) -> MutableMapping[str, Any]:
        return sealed({"sheets": dict(self._parts)})

    @state.setter
    def state(self, value: MutableMapping[str, Any]) -> None:
        """The CDK hands the saved state over here too; `prepare` has already taken it."""

    def prepare(self, saved: Mapping[str, Any], sync_mode: SyncMode, declared: Mapping[str, Any] | None) -> None:
        """Each sheet's read, decided before any request (as a sheet stream decides its own)."""
        incremental = self._incremental = sync_mode == SyncMode.incremental
        opened = open_state(saved, "sheets")
        if opened.reason is not None:
            logger.warning("%s: the saved state is set aside (%s); every sheet is read in full.", self.label, opened.reason)
        sheets = opened.body["sheets"] if opened.body is not None else {}
        self._parts = {str(key): dict(value) for key, value in (sheets or {}).items() if isinstance(value, Mapping)}
        if not incremental:
            self._parts = {}
        for member in self.members:
            member.plan(self._parts.get(str(member.ref.id), {}), incremental, declared)

    # ----- the read ----------------------------------------------------------------------------
    def stream_slices(self, **kwargs: Any) -> Iterable[Mapping[str, Any] | None]:
        slices: list[Mapping[str, Any] | None] = [{"sheet_id": member.ref.id} for member in self.members]
        if self._incremental and any(int(key) not in self._by_id for key in self._parts if key.isdigit()):
            slices.append({SHEETS_THAT_LEFT: True})
        return slices

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: list[str] | None = None,
        stream_slice: Mapping[str, Any] | None = None,
        stream_state: Mapping[str, Any] | None = None,
    ) -> Iterable[AirbyteMessage | Mapping[str, Any]]:
        if stream_slice and stream_slice.get(SHEETS_THAT_LEFT):
            yield from self._sheets_that_left()
            return
        member = self._by_id.get(int((stream_slice or {}).get("sheet_id") or 0))
        if member is None:
            return
        yield from member.read_records(sync_mode, cursor_field, None, None)
        self._parts[str(member.ref.id)] = dict(member.state)

    def _sheets_that_left(self) -> Iterator[AirbyteMessage]:
        make = message_factory(self.name, self.namespace)
        selected = selected_fields(self._configured_schema)
        for key in [key for key in self._parts if not key.isdigit() or int(key) not in self._by_id]:
            part = self._parts.pop(key)
            logger.info(
                "%s: sheet %s is no longer in it (deleted, unshared, moved out or renamed); its part ends.", self.label, key
            )
            if not (self._config.capture_deletes and key.isdigit()):
                continue
            parsed = parse_state(part, int(key)).state
            try:
                row_ids = unpack(parsed.row_ids) if parsed is not None and parsed.row_ids else []
            except CorruptRowIds:
                row_ids = []
            stamp, emitted_at = format_time(now()), int(time.time() * 1000)
            gone = SheetFields(int(key), [], capture_deletes=True)  # its columns are not known any more
            for row_id in row_ids:
                yield make(project(gone.deleted_record(row_id, stamp), selected), emitted_at)
            logger.info("%s: %d rows of sheet %s deleted.", self.label, len(row_ids), key)
