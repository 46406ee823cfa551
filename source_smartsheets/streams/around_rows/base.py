"""The streams around rows (what sheets keep around their rows): one stream per config, one slice (and one
checkpoint) per selected sheet, each sheet's part of the state kept apart (`state/around_rows.py`).

A sheet that is gone or unshared when its turn comes ends its part with a warning and keeps its state;
the other sheets go on. A sheet the config no longer selects is dropped from the state at the end of an
incremental sync, its records deleted (`_ab_cdc_deleted_at`) when `capture_deletes` is on.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import datetime, timedelta
from functools import partial
from typing import Any, ClassVar, Iterable, Iterator, Mapping, Sequence

from airbyte_cdk.models import AirbyteMessage, SyncMode

from ...discovery import ObjectRef
from ...errors import unless_gone
from ...fetch.responses import Response
from ...progress_lines import AroundRowsDone, object_label
from ...recheck import due
from ...schema_mapping.sheet_fields import DELETED_AT, DELETED_SCHEMA, declared_fields, object_schema, project, selected_fields
from ...state.around_rows import AroundRowsState, RememberedSheet, changes, parse_around_rows_state
from ...state.digests import digest
from ...timestamps import format_time, now
from ..base import SHEETS_THAT_LEFT, KeptState, SmartsheetStream, message_factory, sheet_slices
from ..context import ReadContext

logger = logging.getLogger("airbyte")


class AroundRowsStream(KeptState, SmartsheetStream):
    """Records of one kind from every selected sheet. Subclasses say their name, what they fetch and how it becomes
    records; the registry (`streams/registry.py`) lists them."""

    stream_name: ClassVar[str] = ""  # the stream's name, reserved: no sheet's stream takes it (`naming.stream_names`)
    response: ClassVar[Response]  # what it reads of each sheet (`responses.py`)
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
        super().__init__(context)
        self._refs = [ref for ref in refs if ref.kind == "sheet"]
        self._by_id = {ref.id: ref for ref in self._refs}
        self._state: dict[str, Any] = {}
        self._parts: dict[int, RememberedSheet] = {}
        self._previous: Mapping[int, RememberedSheet] | None = None
        self._last_pass: datetime | None = None  # the last complete pass over every sheet (the recheck schedule's start)
        self._incremental = False
        self._last_slice: Mapping[str, Any] | None = None
        self._done = Counter[str]()  # what this read did, for its closing line

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
    def prepare(self, saved: Mapping[str, Any], sync_mode: SyncMode, declared: Mapping[str, Any] | None) -> None:
        """Decide, before any request, which sheets need a response, and plan them with the shared fetcher."""
        incremental = sync_mode == SyncMode.incremental
        parsed = parse_around_rows_state(saved) if incremental else AroundRowsState({})
        if parsed.reason:
            reason = parsed.reason
            logger.warning("Stream %s: the saved state is set aside (%s); every record is emitted again.", self.name, reason)
        self._incremental = incremental
        self._previous = parsed.sheets
        self._parts = dict(parsed.sheets)
        self._last_pass = parsed.checked_at
        wanted = [ref.id for ref in self._refs if not self._unchanged(ref, parsed.sheets.get(ref.id))]
        self.context.responses.plan(self.response, wanted)
        self.context.rides.update(self.rides)

    def stream_slices(self, **kwargs: Any) -> Iterable[Mapping[str, Any] | None]:
        slices = sheet_slices(self._by_id, self._parts, ends_leavers=self._incremental)
        self._last_slice = slices[-1] if slices else None
        self._done.clear()
        return slices

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: list[str] | None = None,
        stream_slice: Mapping[str, Any] | None = None,
        stream_state: Mapping[str, Any] | None = None,
    ) -> Iterable[AirbyteMessage]:
        if self._previous is None:
            raise RuntimeError(f"Stream {self.name} was read before it was prepared (SmartsheetStream.prepare)")
        records: Iterable[dict[str, Any]] = ()
        if stream_slice and stream_slice.get(SHEETS_THAT_LEFT):
            records = self._sheets_that_left()
        elif stream_slice and stream_slice.get("sheet_id") in self._by_id:
            records = self._read_sheet(self._by_id[stream_slice["sheet_id"]], self._previous.get(stream_slice["sheet_id"]))
        # Ready messages, as the row streams send them: airbyte-cdk then neither looks up the stream's schema for each
        # record (the portfolio table's is the union of every sheet's summary) nor projects it again.
        make, selected = message_factory(self.name, self.namespace), selected_fields(self.configured_json_schema)
        emitted_at = int(time.time() * 1000)
        for record in records:
            yield make(project(record, selected), emitted_at)
        complete = stream_slice is not None and stream_slice == self._last_slice
        # A pass counts once every sheet has had its turn: a sync stopped before rechecks the rest next time.
        self._state = AroundRowsState(self._parts, checked_at=self.context.now if complete else self._last_pass).to_message()
        if complete:
            done = self._done
            line = AroundRowsDone(
                self.name, done["records"], done["deleted"], done["asked"], done["unchanged"], done["skipped"], self.position
            )
            logger.info("%s", line)

    def _read_sheet(self, ref: ObjectRef, previous: RememberedSheet | None) -> Iterator[dict[str, Any]]:
        if self._unchanged(ref, previous) and self.context.responses.free(self.response, ref.id) is None:
            self._done["unchanged"] += 1  # (what a first page of this run carries is looked at anyway: it is free)
            return
        take = partial(self.context.responses.take, self.response, ref.id)
        fetched = unless_gone(take, object_label("sheet", ref.id, ref.name), self._part_left_as_it_was, self._config.region)
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

    def _part_left_as_it_was(self, why: str) -> None:
        logger.warning("Stream %s: %s Its part is left as it was; the other sheets go on.", self.name, why)
        self._done["skipped"] += 1

    def _content(self, record: Mapping[str, Any]) -> Mapping[str, Any]:
        return {key: value for key, value in record.items() if key not in self.unchanging} if self.unchanging else record

    def _sheets_that_left(self) -> Iterator[dict[str, Any]]:
        for sheet_id in [sheet_id for sheet_id in self._parts if sheet_id not in self._by_id]:
            part = self._parts.pop(sheet_id)
            logger.info("Stream %s: sheet %s is no longer selected, deleted or unshared; its part ends.", self.name, sheet_id)
            if self._config.capture_deletes:
                yield from self._tombstones(sheet_id, sorted(part.items), None, part)

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
