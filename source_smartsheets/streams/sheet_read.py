"""One read of one sheet: the page walk, the catch-up of rows `rowsModifiedSince` cannot see, deletions.

The rules it keeps are in `state/cursor.py`; this module applies them to what the API answers.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Callable, Generator, Iterator, Mapping

import orjson
from airbyte_cdk.models import AirbyteMessage

from ..client import SmartsheetClient
from ..config import SmartsheetConfig
from ..fetch.pages import LEAN_INCLUDE, READ_PARAMS, Fetch, page_params, walk_pages
from ..progress_lines import RowsEmitted, RowsSoFar
from ..schema_mapping.naming import NAMING_RULE, name_pin
from ..schema_mapping.sheet_fields import CURSOR, DELETED_AT, ROW_ID, ROW_NUMBER, Field, SheetFields, project
from ..schema_mapping.types import needs_object_value, schema_needs_object_value
from ..state.cursor import SheetState, next_cursor, since_for
from ..state.row_ids import CorruptRowIds, pack, unpack
from ..timestamps import format_time, now, parse_time
from .base import message_factory

logger = logging.getLogger("airbyte")
ROW_ID_BATCH = 100  # ids per `rowIds=` request: about 1.7 kB of URL
MAX_CURSOR_ROWS = 50  # beyond this many rows in the cursor's second, accept duplicates instead of growing state
PROGRESS_EVERY = 5000


@dataclass
class SheetTarget:
    """What a read needs to know about its stream."""

    sheet_id: int
    label: str
    stream: str
    namespace: str | None
    selected: frozenset[str] | None
    declared: Mapping[str, Any] | None
    constants: Mapping[str, Any] | None = None  # fields every record carries (a merged stream's `_ss_sheet_name`)
    pinned: Mapping[int, str] | None = None  # column id -> the field `pinned_names` gives it
    merged: bool = False  # read into a merged stream (whose name no sheet pin gives)


@dataclass
class _ReadProgress:
    """What one read has done so far: counts, the ids it emitted, the records of the newest second."""

    emitted: int = 0
    skipped_unchanged: int = 0
    caught_up: int = 0
    deleted: int = 0
    newest: str | None = None
    reported: int = 0  # rows done when progress was last logged
    cursor_second_records: dict[str, dict[str, Any]] = field(default_factory=dict)  # row id -> record
    emitted_ids: set[int] = field(default_factory=set)


@dataclass
class _Around:
    """The discussions (without comments) and attachments that ride on a complete read's pages: the sheet's own on the
    first page, each row's on the row (docs/smartsheet-api.md, `include=discussions,attachments`)."""

    discussions: list[dict[str, Any]]
    attachments: list[dict[str, Any]]

    @classmethod
    def of(cls, first: Mapping[str, Any]) -> _Around:
        return cls(list(first.get("discussions") or []), list(first.get("attachments") or []))

    def add_rows(self, rows: Any) -> None:
        for row in rows:
            self.discussions += row.get("discussions") or ()
            self.attachments += row.get("attachments") or ()


def record_hash(record: Mapping[str, Any]) -> str:
    """A short fingerprint of a row's content. The row number is left out: it moves whenever a row
    above is added or deleted, which moves no modifiedAt and so is no change of this row."""
    content = {key: value for key, value in record.items() if key != ROW_NUMBER}
    return hashlib.blake2b(orjson.dumps(content, option=orjson.OPT_SORT_KEYS), digest_size=6).hexdigest()


@dataclass(frozen=True)
class ReadPlan:
    """What a read of one sheet asks for, decided before its first request: the state it continues from,
    the `rowsModifiedSince` filter, and whether multi-value cells need `objectValue`.

    The first page's columns can call for a revised plan (`revise`): a multi-value column that appeared
    since discovery, or columns that changed since the last sync. Each revision turns a setting one way
    only (objectValue on, the cursor off), so a read is revised at most twice.
    """

    previous: SheetState | None
    since: datetime | None
    object_values: bool
    incremental: bool
    around: str = ""  # what the streams around rows take from a complete read's pages (`discussions,attachments`)

    def extra(self) -> dict[str, Any]:
        """What the page requests add to the standard parameters: the filter, a leaner include when possible, and
        what rides on the pages of a complete read for the streams around rows."""
        words = (READ_PARAMS if self.object_values else LEAN_INCLUDE)["include"]
        extra: dict[str, Any] = {"include": f"{words},{self.around}" if self.around else words}
        if self.since is not None:
            extra["rowsModifiedSince"] = format_time(self.since)
        return extra

    def carrying(self, rides: str) -> ReadPlan:
        """The plan with what the streams around rows ask complete reads to carry (`discussions,attachments`): known
        once every stream is prepared, whatever their order. Only a complete read carries it (no `rowsModifiedSince`)."""
        return replace(self, around=rides) if self.since is None and rides else self

    def first_page_params(self, page_size: int) -> dict[str, Any]:
        """The read's first request, exactly: what the prefetcher fetches ahead of time."""
        return page_params(page_size, 1, self.extra())


def plan_read(
    previous: SheetState | None, config: SmartsheetConfig, incremental: bool, declared: Mapping[str, Any] | None
) -> ReadPlan:
    """The plan of a read, from the usable saved state (None: none) and the configured schema (what rides on its
    pages for the streams around rows is added once every stream is prepared: `ReadPlan.carrying`)."""
    start = config.start_datetime if incremental else None
    since = since_for(previous.cursor if previous else None, start)
    return ReadPlan(previous, since, schema_needs_object_value(declared), incremental)


@dataclass(frozen=True)
class Revision:
    plan: ReadPlan
    reason: str  # "object_values", "columns" or "naming"


def revise(plan: ReadPlan, columns: list[dict[str, Any]], fingerprint: str) -> Revision | None:
    """The plan the first page's columns call for, or None when the plan holds."""
    if not plan.object_values and needs_object_value(columns):
        # A multi-value column appeared since discovery: its cells need objectValue.
        return Revision(replace(plan, object_values=True), "object_values")
    previous = plan.previous
    if plan.since is not None and previous is not None and previous.columns not in (None, fingerprint):
        # Column changes move no row's modifiedAt: re-read everything so no value is stale.
        reason = "naming" if previous.naming != NAMING_RULE else "columns"
        return Revision(replace(plan, previous=_without_cursor(previous), since=None), reason)
    return None


class SheetRead:
    """Carries out a read plan on one sheet; leaves the new state in `self.state` once every row has been emitted."""

    def __init__(
        self,
        client: SmartsheetClient,
        config: SmartsheetConfig,
        target: SheetTarget,
        first_page: Fetch | None = None,
        on_first_page: Callable[[Mapping[str, Any]], None] | None = None,
        on_around: Callable[[list[dict[str, Any]], list[dict[str, Any]]], None] | None = None,
    ) -> None:
        self._client = client
        self._config = config
        self._target = target
        self._first_page = first_page
        self._on_first_page = on_first_page  # the sheet's own keys and columns are of use to other streams
        self._on_around = on_around  # a complete read's discussions and attachments, for the streams around rows
        self.state: SheetState | None = None

    def run(self, plan: ReadPlan) -> Iterator[AirbyteMessage]:
        target = self._target
        first_page = self._first_page
        kept = plan.previous.fields if plan.previous is not None else None  # the fields the columns landed in
        while True:
            pages = walk_pages(self._client, target.sheet_id, self._config.page_size, plan.extra(), first_page)
            first = next(pages)
            fields = SheetFields(
                target.sheet_id,
                first["columns"],
                self._config.capture_deletes,
                declared=target.declared,
                constants=target.constants,
                kept=kept,
                pinned=target.pinned,
            )
            revision = revise(plan, first["columns"], fields.fingerprint())
            if revision is None:
                break
            pages.close()
            _say_why_again(target.label, revision.reason)
            plan, first_page = revision.plan, None  # the prefetched page was for the plan that changed
        if self._on_first_page is not None:
            self._on_first_page(first)
        for renamed, refreshed in fields.renamed:
            logger.warning("%s", column_renamed(target, renamed, refreshed, fields))
        yield from self._walk(plan, fields, first, pages)

    # ----- the walk ----------------------------------------------------------------------------
    def _walk(
        self, plan: ReadPlan, fields: SheetFields, first: dict[str, Any], pages: Iterator[dict[str, Any]]
    ) -> Iterator[AirbyteMessage]:
        target = self._target
        previous, since = plan.previous, plan.since
        started_modified = _time_or_none(first.get("modifiedAt"))
        started_version = first.get("version") if isinstance(first.get("version"), int) else None
        total = int(first.get("totalRowCount") or 0)
        first_rows = first.pop("rows", None) or []
        around = _Around.of(first) if plan.around else None
        del first  # pages are large: keep only what is being turned into records
        progress = _ReadProgress()
        cursor_rows = _previous_cursor_rows(previous) if since is not None else {}
        if around is not None:
            around.add_rows(first_rows)
        yield from self._emit_rows(fields, first_rows, progress, cursor_rows)
        del first_rows
        self._progress(progress, total)
        moved = False
        for page in pages:
            # Rows added or deleted during the walk shift the others across page boundaries: a row
            # can then come twice (skipped the second time) or not at all (caught up below).
            moved = moved or page.get("version") != started_version
            rows = page.pop("rows", None) or ()
            if around is not None:
                around.add_rows(rows)
            yield from self._emit_rows(fields, rows, progress, cursor_rows)
            del page
            self._progress(progress, total)
        if around is not None and not moved and self._on_around is not None:
            # every page read once and no row shifted: what rode on them is the sheet's whole
            self._on_around(around.discussions, around.attachments)
        row_ids: str | None = None
        current = progress.emitted_ids
        if since is not None or moved:
            if moved:
                logger.info("%s changed while it was read; checking that no row was passed over.", target.label)
            current = yield from self._catch_up(fields, since, progress, cursor_rows)
        if plan.incremental and self._config.capture_deletes:
            yield from self._tombstones(fields, previous, current, started_modified, progress)
            row_ids = pack(current)
        cursor = next_cursor(previous.cursor if previous else None, _time_or_none(progress.newest), started_modified)
        self.state = SheetState(
            target.sheet_id,
            cursor=cursor,
            version=started_version,
            columns=fields.fingerprint(),
            row_ids=row_ids,
            cursor_rows=_cursor_rows(cursor, progress, previous, cursor_rows),
            naming=NAMING_RULE,
            fields=fields.names_by_column(),
        )
        emitted = RowsEmitted(target.label, progress.emitted, progress.caught_up, progress.deleted, progress.skipped_unchanged)
        logger.info("%s", emitted)

    def _progress(self, progress: _ReadProgress, total: int) -> None:
        """Rows so far, for sheets large enough that a person waits for them: at INFO each time another
        PROGRESS_EVERY rows are done, at DEBUG after every page."""
        done = len(progress.emitted_ids)
        crossed = done // PROGRESS_EVERY > progress.reported // PROGRESS_EVERY
        level = logging.INFO if total >= PROGRESS_EVERY and (crossed or done >= total) else logging.DEBUG
        progress.reported = done
        logger.log(level, "%s", RowsSoFar(self._target.label, done, total))

    def _emit_rows(
        self, fields: SheetFields, rows: Any, progress: _ReadProgress, cursor_rows: Mapping[str, str]
    ) -> Iterator[AirbyteMessage]:
        target = self._target
        emitted_at = int(time.time() * 1000)
        selected = target.selected
        make = message_factory(target.stream, target.namespace)
        for row in rows:
            record = project(fields.record(row), selected)
            modified = record[CURSOR]
            row_id = record[ROW_ID]
            if row_id in progress.emitted_ids:
                continue  # met again on a later page because rows shifted: once is enough
            progress.emitted_ids.add(row_id)
            sent_before = cursor_rows.get(str(row_id)) if cursor_rows else None
            if sent_before is not None and sent_before == record_hash(record):
                progress.skipped_unchanged += 1  # re-sent only because of the overlap second, and identical
                continue
            if progress.newest is None or modified > progress.newest:
                progress.newest = modified
                progress.cursor_second_records = {}
            if modified == progress.newest and len(progress.cursor_second_records) <= MAX_CURSOR_ROWS:
                progress.cursor_second_records[str(row_id)] = record  # fingerprinted once the read is over
            progress.emitted += 1
            yield make(record, emitted_at)

    def _catch_up(
        self, fields: SheetFields, since: datetime | None, progress: _ReadProgress, cursor_rows: Mapping[str, str]
    ) -> Generator[AirbyteMessage, None, set[int]]:
        """Rows the walk should have returned and did not, fetched by id: rows changed since the cursor
        that the filter hides (rows cleared blank), or (with no cursor) any row passed over.

        One cheap listing of every row (one column, no cell it never had) gives each row's id and
        modifiedAt; its ids are also the sheet's current row set, returned for deletion capture.
        """
        listing = self._client.sheet_page(
            self._target.sheet_id,
            {"columnIds": fields.fields[0].column_id if fields.fields else "", "exclude": "nonexistentCells"},
        )
        current: set[int] = set()
        missed: list[int] = []
        for row in listing.get("rows") or ():
            row_id = int(row["id"])
            current.add(row_id)
            modified = _time_or_none(row.get("modifiedAt"))
            changed = since is None or (modified is not None and modified > since)
            if changed and row_id not in progress.emitted_ids:
                missed.append(row_id)
        for start in range(0, len(missed), ROW_ID_BATCH):
            batch = missed[start : start + ROW_ID_BATCH]
            page = self._client.sheet_page(self._target.sheet_id, {**READ_PARAMS, "rowIds": ",".join(map(str, batch))})
            before = progress.emitted
            yield from self._emit_rows(fields, page.get("rows") or (), progress, cursor_rows)
            progress.caught_up += progress.emitted - before
        return current

    def _tombstones(
        self,
        fields: SheetFields,
        previous: SheetState | None,
        current: set[int],
        sheet_modified: datetime | None,
        progress: _ReadProgress,
    ) -> Iterator[AirbyteMessage]:
        """A record with `_ab_cdc_deleted_at` for every row that was there last time and is gone now."""
        if previous is None or not previous.row_ids:
            return
        target = self._target
        if target.selected is not None and DELETED_AT not in target.selected:
            logger.warning("%s: deleted rows are not captured: refresh the source schema to add %s.", target.label, DELETED_AT)
            return
        try:
            before = unpack(previous.row_ids)
        except CorruptRowIds as error:
            logger.warning(
                "%s: the saved row ids do not decode (%s); deletions since the last sync are not known.", target.label, error
            )
            return
        deleted_at = format_time(sheet_modified or now())
        make = message_factory(target.stream, target.namespace)
        emitted_at = int(time.time() * 1000)
        for row_id in sorted(set(before) - current):
            progress.deleted += 1
            yield make(project(fields.deleted_record(row_id, deleted_at), target.selected), emitted_at)


def _say_why_again(label: str, reason: str) -> None:
    if reason == "naming":
        logger.warning(
            "%s: its field names follow the naming rule of version 0.2.0 now (ASCII, transliterated); "
            "reading it in full once so that every record has the new names.",
            label,
        )
    elif reason == "columns":
        logger.info("%s: its columns changed since the last sync; reading it in full.", label)
    else:
        logger.debug("%s: a column needs objectValue; reading it with objectValue.", label)


def _previous_cursor_rows(previous: SheetState | None) -> Mapping[str, str]:
    return dict(previous.cursor_rows or {}) if previous is not None else {}


def _cursor_rows(
    cursor: datetime | None, progress: _ReadProgress, previous: SheetState | None, previous_rows: Mapping[str, str]
) -> dict[str, str] | None:
    """Fingerprints of the rows stamped in the cursor's own second, so the overlap re-read can skip them."""
    if cursor is None:
        return None
    cursor_text = format_time(cursor)
    rows: dict[str, str] = {}
    if previous is not None and previous.cursor == cursor:
        rows.update(previous_rows)
    if progress.newest == cursor_text:
        rows.update({row_id: record_hash(record) for row_id, record in progress.cursor_second_records.items()})
    if not rows or len(rows) > MAX_CURSOR_ROWS:
        return None
    return rows


def _without_cursor(previous: SheetState) -> SheetState:
    return SheetState(previous.sheet_id, row_ids=previous.row_ids)


def _time_or_none(text: Any) -> datetime | None:
    try:
        return parse_time(text) if isinstance(text, str) else None
    except ValueError:
        return None


def column_renamed(target: SheetTarget, field: Field, refreshed: str, fields: SheetFields) -> str:
    """One warning for a column renamed since the catalog was discovered: where its values keep landing, what a schema
    refresh changes, and the `pinned_names` entry that keeps every name of the sheet through a refresh."""
    pin = name_pin(target.sheet_id, None if target.merged else target.stream, fields.names_by_column())
    refresh = (
        f"a schema refresh would name it {refreshed} (a new field, read in full once; {field.name} keeps its old values)"
        if refreshed != field.name
        else "a schema refresh keeps its name"
    )
    return (
        f"{target.label}: a column is titled {field.title!r} now (column {field.column_id}); its values keep landing in "
        f"field {field.name} of stream {target.stream}, and {refresh}. To keep this sheet's names through a refresh, "
        f"add to pinned_names: {pin}"
    )
