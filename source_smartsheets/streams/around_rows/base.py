"""The streams around rows (what sheets keep around their rows): one stream per config, one slice (and one
checkpoint) per selected sheet, each sheet's part of the state kept apart (`state/around_rows.py`).

A sheet that is gone or unshared when its turn comes ends its part with a warning and keeps its state;
the other sheets go on. A sheet the config no longer selects is dropped from the state at the end of an
incremental sync, its records deleted (`_ab_cdc_deleted_at`) when `capture_deletes` is on.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any, ClassVar, Iterable, Iterator, Mapping, Sequence

from airbyte_cdk.models import AirbyteMessage

from ...discovery import ObjectRef
from ...errors import unless_gone
from ...fetch.responses import Response
from ...progress_lines import AroundRowsDone, object_label
from ...recheck import due
from ...schema_mapping.sheet_fields import DELETED_AT, DELETED_SCHEMA, declared_fields, object_schema
from ...state.around_rows import AroundRowsState, RememberedSheet, changes, parse_around_rows_state
from ...state.digests import digest
from ...timestamps import format_time, now
from ..context import ReadContext
from ..per_sheet import PerSheetStream

logger = logging.getLogger("airbyte")


class AroundRowsStream(PerSheetStream):
    """Records of one kind from every selected sheet. Subclasses say their name, what they fetch and how it becomes
    records; the registry (`streams/registry.py`) lists them."""

    stream_name: ClassVar[str] = ""  # the stream's name, reserved: no sheet's stream takes it (`naming.stream_names`)
    response: ClassVar[Response]  # what it reads of each sheet (`fetch/responses.py`)
    # The API documents that what this stream holds moves the sheet's version when it changes (discussions, comments,
    # version attachments): a sheet whose version did not move is asked only on its recheck turn (`recheck.py`).
    moves_version: ClassVar[bool] = False
    rides: ClassVar[tuple[str, ...]] = ()  # what it asks a complete row read to carry (`include=`), to take it from there
    read_after_rows = True  # the row reads' first pages serve it
    id_field = ""  # a record's id within its sheet
    sheet_field = "sheet_id"
    cursor_name = ""
    properties: Mapping[str, Any] = {}
    unchanging: frozenset[str] = frozenset()  # fields that move while the record stays the same: not in its digest
    source_defined_cursor = True

    def __init__(self, refs: Sequence[ObjectRef], context: ReadContext) -> None:
        super().__init__(refs, context)
        self._parts: dict[int, RememberedSheet] = {}
        self._previous: Mapping[int, RememberedSheet] = {}
        self._last_pass: datetime | None = None  # the last complete pass over every sheet (the recheck schedule's start)

    @property
    def name(self) -> str:
        return self.stream_name

    @property
    def primary_key(self) -> list[str]:  # type: ignore[override]
        return [self.sheet_field, self.id_field] if self.id_field != self.sheet_field else [self.sheet_field]

    @property
    def cursor_field(self) -> str:
        return self.cursor_name

    def get_json_schema(self) -> Mapping[str, Any]:  # type: ignore[override]
        properties = dict(self.properties)
        if self._config.capture_deletes:
            properties.update(DELETED_SCHEMA)
        return object_schema(properties, self.stream_name)

    # ----- the read ----------------------------------------------------------------------------
    def parse_saved(self, saved: Mapping[str, Any] | None) -> AroundRowsState:
        return parse_around_rows_state(saved)

    def prepared(self, parsed: AroundRowsState, declared: Mapping[str, Any] | None) -> None:
        """Decide, before any request, which sheets need a response, and plan them with the shared fetcher."""
        self._previous = parsed.sheets
        self._parts = dict(parsed.sheets)
        self._last_pass = parsed.checked_at
        wanted = [ref.id for ref in self._refs if not self._unchanged(ref, parsed.sheets.get(ref.id))]
        self.context.responses.plan(self.response, wanted)
        self.context.rides.update(self.rides)

    def state_message(self, complete: bool) -> dict[str, Any]:
        # A pass counts once every sheet has had its turn: a sync stopped before rechecks the rest next time.
        return AroundRowsState(self._parts, checked_at=self.context.now if complete else self._last_pass).to_message()

    def closing_line(self) -> AroundRowsDone:
        done = self._done
        return AroundRowsDone(
            self.name, done["records"], done["deleted"], done["asked"], done["unchanged"], done["skipped"], self.position
        )

    def read_sheet(self, ref: ObjectRef) -> Iterator[AirbyteMessage]:
        return self._as_messages(self._records_of(ref, self._previous.get(ref.id)))

    def _records_of(self, ref: ObjectRef, previous: RememberedSheet | None) -> Iterator[dict[str, Any]]:
        if self._unchanged(ref, previous) and self.context.responses.free(self.response, ref.id) is None:
            self._done["unchanged"] += 1  # (what a first page of this run carries is looked at anyway: it is free)
            return
        take = partial(self.context.responses.take, self.response, ref.id)
        fetched = unless_gone(take, object_label("sheet", ref.id, ref.name), self._left_as_it_was, self._config.token_home)
        if fetched is None:  # gone or unshared: its part is left as it was
            return
        self._done["asked"] += 1
        records = {
            record[self.id_field]: record for record in self.records(ref, fetched) if record.get(self.id_field) is not None
        }
        digests = {item_id: digest(self._content(record)) for item_id, record in records.items()}
        found = changes(previous.items if previous else {}, digests)
        self._done["records"] += len(found.emit)
        for item_id in found.emit:
            yield records[item_id]
        if self._config.capture_deletes and found.gone:
            yield from self._tombstones(ref.id, found.gone, fetched, previous)
        self._parts[ref.id] = RememberedSheet(digests, *self.remembered(ref, fetched))

    def sheet_left(self, key: int, part: RememberedSheet) -> Iterator[AirbyteMessage]:
        if self._config.capture_deletes:
            yield from self._as_messages(self._tombstones(key, sorted(part.items), None, part))

    def _content(self, record: Mapping[str, Any]) -> Mapping[str, Any]:
        return {key: value for key, value in record.items() if key not in self.unchanging} if self.unchanging else record

    def _tombstones(
        self, sheet_id: int, item_ids: list[int], fetched: Any, part: RememberedSheet | None
    ) -> Iterator[dict[str, Any]]:
        stamp = format_time(now())
        self._done["records"] += len(item_ids)
        self._done["deleted"] += len(item_ids)
        properties = declared_fields(self.configured_json_schema) or self.get_json_schema()["properties"]
        for item_id in item_ids:
            record: dict[str, Any] = {name: None for name in properties}
            record.update({self.sheet_field: sheet_id, self.id_field: item_id, DELETED_AT: stamp})
            record[self.cursor_name] = self.deleted_cursor(stamp, fetched, part)
            yield record

    # ----- what a subclass says ----------------------------------------------------------------
    def records(self, ref: ObjectRef, fetched: Any) -> Iterable[dict[str, Any]]:
        raise NotImplementedError

    def remembered(self, ref: ObjectRef, fetched: Any) -> tuple[int | None, str | None]:
        """The sheet version and listing digest to keep beside the records' digests: the version as listed when the
        stream's changes move it (a change made after the listing is asked again next time: nothing is missed)."""
        return (ref.listed_version if self.moves_version else None), None

    def _unchanged(self, ref: ObjectRef, previous: RememberedSheet | None) -> bool:
        """Whether a sheet can be passed over without a request: known, not on its recheck turn, and (for what moves
        the version) its version as it was."""
        if not self._incremental or previous is None:
            return False
        window = timedelta(hours=self._config.around_rows_recheck_hours)
        if due(ref.id, self._last_pass, self.context.now, window):
            return False
        if not self.moves_version:
            return True
        return previous.version is not None and ref.listed_version is not None and ref.listed_version <= previous.version

    def deleted_cursor(self, stamp: str, fetched: Any, part: RememberedSheet | None) -> Any:
        """A deletion's cursor value: later than the record's last (a timestamp cursor: now)."""
        return stamp
