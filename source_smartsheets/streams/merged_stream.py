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
from typing import Any, ClassVar, Iterator, Mapping, MutableMapping, Sequence

from airbyte_cdk.models import AirbyteMessage, SyncMode

from ..discovery import ObjectRef, unnamed_template_warning
from ..merging import MergedGroup
from ..schema_mapping.merged_fields import SHEET_NAME, SHEET_NAME_SCHEMA, union_properties
from ..schema_mapping.sheet_fields import CURSOR, ROW_ID, SheetFields, object_schema, project, selected_fields
from ..state.cursor import parse_state
from ..state.envelope import Opened, open_state, sealed
from ..state.row_ids import CorruptRowIds, unpack
from ..timestamps import format_time, now
from .base import ObjectStream, message_factory
from .context import ReadContext
from .per_sheet import PerSheetStream
from .sheet_stream import SheetStream

logger = logging.getLogger("airbyte")


class MergedStream(PerSheetStream):
    """Rows of every sheet of a merged group. Primary key (`_ss_sheet_id`, `_ss_row_id`), cursor `_ss_modified_at`."""

    primary_key = [["_ss_sheet_id"], [ROW_ID]]
    source_defined_cursor = True
    merges_sheets: ClassVar[bool] = True
    set_aside_means = "every sheet is read in full"

    def __init__(self, group: MergedGroup, refs: Sequence[ObjectRef], context: ReadContext) -> None:
        ordered = sorted(refs, key=lambda ref: (ref.name, ref.id))
        super().__init__(ordered, context)
        self.group = group
        self.members = [SheetStream(ref, context, constants={SHEET_NAME: ref.name}) for ref in ordered]
        self._members = {member.ref.id: member for member in self.members}
        self._parts: dict[int | str, dict[str, Any]] = {}  # sheet id -> its state, as a sheet stream keeps it
        self._schema: dict[str, Any] | None = None

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

    def name_kept_by(self, old_name: str) -> str | None:
        """A stream by a template no walk saw is `template_<id>`: the rule that gives it its old name back."""
        return unnamed_template_warning(self.group, old_name) if self.group.unnamed_template else None

    def _configured(self, json_schema: dict[str, Any]) -> None:
        for member in self.members:
            member.configured_json_schema = json_schema

    # ----- state and the read: each sheet read as its own stream would be -------------------------
    @property
    def state(self) -> MutableMapping[str, Any]:
        return self.state_message(False)

    @state.setter
    def state(self, value: MutableMapping[str, Any]) -> None:
        """The CDK hands the saved state over here too; `prepare` has already taken it."""

    def state_message(self, complete: bool) -> dict[str, Any]:
        return sealed({"sheets": {str(key): part for key, part in self._parts.items()}})

    def parse_saved(self, saved: Mapping[str, Any] | None) -> Opened:
        return open_state(saved, "sheets")

    def prepared(self, parsed: Opened, declared: Mapping[str, Any] | None) -> None:
        """Each sheet's read, decided before any request (as a sheet stream decides its own)."""
        sheets = parsed.body["sheets"] if parsed.body is not None else {}
        self._parts = {_key(key): dict(part) for key, part in sheets.items() if isinstance(part, Mapping)}
        for member in self.members:
            member.plan(self._parts.get(member.ref.id, {}), self._incremental, declared)

    def read_sheet(self, ref: ObjectRef) -> Iterator[AirbyteMessage | Mapping[str, Any]]:
        member = self._members[ref.id]
        yield from member.read_records(SyncMode.incremental if self._incremental else SyncMode.full_refresh)
        self._parts[ref.id] = dict(member.state)

    def sheet_left(self, key: int | str, part: dict[str, Any]) -> Iterator[AirbyteMessage]:
        """With `capture_deletes`, the rows its state knows are deleted."""
        if not (self._config.capture_deletes and isinstance(key, int)):
            return
        parsed = parse_state(part, key).state
        try:
            row_ids = unpack(parsed.row_ids) if parsed is not None and parsed.row_ids else []
        except CorruptRowIds:
            row_ids = []
        make = message_factory(self.name, self.namespace)
        selected = selected_fields(self._configured_schema)
        stamp, emitted_at = format_time(now()), int(time.time() * 1000)
        gone = SheetFields(key, [], capture_deletes=True)  # its columns are not known any more
        for row_id in row_ids:
            yield make(project(gone.deleted_record(row_id, stamp), selected), emitted_at)
        logger.info("%s: %d rows of sheet %s deleted.", self.who, len(row_ids), key)


def _key(raw: str) -> int | str:
    """A part's key as the sheet id it names (a key that names none is kept as it is, and ended as a sheet that left)."""
    return int(raw) if raw.isdigit() else raw
