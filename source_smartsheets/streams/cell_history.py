"""`cell_history`: every change of the chosen columns' cells (`cell_history_columns`), one record per change.

The API counts each cell's history as 10 requests (docs/smartsheet-api.md), so a sync asks only what it must:
- a sheet whose version did not move since nothing was left to ask costs nothing;
- another sheet costs its first page (free when its row stream read it in this sync) and one listing of the chosen
  columns' cells; a cell's history is asked only where its value changed since it was last asked (a digest of
  each cell is kept: `state/cell_history.py`), or was never asked;
- at most `cell_history_budget` request units go to history per sync: changes to cells asked before first, then
  cells never asked (a first sync of large sheets is spread over syncs); what is left is asked by the next syncs.
The stream reads after every row stream, so row data never waits for history.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Iterable, Iterator, Mapping, Sequence

from airbyte_cdk.models import AirbyteMessage, AirbyteStream, SyncMode

from ..client import HISTORY_COST
from ..discovery import ObjectRef
from ..errors import unless_gone
from ..fetch.responses import HEAD
from ..progress_lines import HistoryDone, object_label
from ..schema_mapping.cell_history import CELL_HISTORY_PROPERTIES, PRIMARY_KEY, history_records
from ..schema_mapping.sheet_fields import Field, SheetFields, object_schema, project, selected_fields
from ..state.cell_history import (
    Asks,
    Cell,
    CellHistoryState,
    HistorySheet,
    after,
    asks,
    cell_digest,
    parse_cell_history_state,
    spend,
    unchanged,
)
from ..timestamps import parse_time
from .base import SHEETS_THAT_LEFT, KeptState, SmartsheetStream, message_factory, sheet_slices
from .context import ReadContext

logger = logging.getLogger("airbyte")


@dataclass
class _SheetPlan:
    """What one sheet needs in this sync: its chosen columns' fields, the cells to ask, what to remember after."""

    ref: ObjectRef
    fields: Mapping[int, Field]  # column id -> its field in the sheet's stream
    found: Asks
    version: int | None
    newest: datetime | None  # the newest row change in the listing


class CellHistoryStream(KeptState, SmartsheetStream):
    """One stream over every selected sheet: primary key (sheet, row, column, modified_at, seq), cursor modified_at."""

    stream_name = "cell_history"
    read_after_rows = True
    primary_key = PRIMARY_KEY
    cursor_field = "modified_at"
    source_defined_cursor = True

    def __init__(self, refs: Sequence[ObjectRef], context: ReadContext) -> None:
        super().__init__(context)
        self._refs = [ref for ref in refs if ref.kind == "sheet"]
        self._by_id = {ref.id: ref for ref in self._refs}
        self._titles = tuple(self._config.cell_history_columns)
        self._state: dict[str, Any] = {}
        self._previous: CellHistoryState | None = None
        self._parts: dict[int, HistorySheet] = {}
        self._wanted: list[ObjectRef] = []
        self._plans: dict[int, _SheetPlan] | None = None
        self._chosen: set[Cell] = set()
        self._spent = 0
        self._done = {"records": 0, "asked": 0, "left": 0, "unchanged": 0}
        self._last_slice: Mapping[str, Any] | None = None

    @property
    def name(self) -> str:
        return self.stream_name

    def get_json_schema(self) -> Mapping[str, Any]:  # type: ignore[override]
        return object_schema(CELL_HISTORY_PROPERTIES, self.stream_name)

    def in_catalog(self) -> bool:
        return bool(self._titles)

    def as_airbyte_stream(self) -> AirbyteStream:
        """Incremental only: a full refresh would ask every cell's history again, at 10 requests a cell."""
        stream = super().as_airbyte_stream()
        stream.supported_sync_modes = [SyncMode.incremental]
        return stream

    # ----- the read ----------------------------------------------------------------------------
    def prepare(self, saved: Mapping[str, Any], sync_mode: SyncMode, declared: Mapping[str, Any] | None) -> None:
        parsed = parse_cell_history_state(saved if sync_mode == SyncMode.incremental else None)
        if parsed.reason:
            logger.warning("Stream %s: the saved state is set aside (%s); every cell is asked again.", self.name, parsed.reason)
        self._previous = parsed
        self._parts = dict(parsed.sheets)
        same_columns = parsed.columns == self._titles
        self._wanted = [
            ref for ref in self._refs if not (same_columns and unchanged(parsed.sheets.get(ref.id), ref.listed_version))
        ]
        self._done["unchanged"] = len(self._refs) - len(self._wanted)
        self.context.responses.plan(HEAD, [ref.id for ref in self._wanted])

    def stream_slices(self, **kwargs: Any) -> Iterable[Mapping[str, Any] | None]:
        slices = sheet_slices(self._by_id, self._parts)
        self._last_slice = slices[-1] if slices else None
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
        if self._plans is None:
            self._plans = self._plan()
        if stream_slice and stream_slice.get(SHEETS_THAT_LEFT):
            for sheet_id in [sheet_id for sheet_id in self._parts if sheet_id not in self._by_id]:
                del self._parts[sheet_id]  # its history stays in the destination: it happened
        elif stream_slice and stream_slice.get("sheet_id") in self._plans:
            make, selected = message_factory(self.name, self.namespace), selected_fields(self.configured_json_schema)
            emitted_at = int(time.time() * 1000)
            for record in self._read_sheet(self._plans[stream_slice["sheet_id"]]):
                yield make(project(record, selected), emitted_at)
        self._state = CellHistoryState(self._parts, self._titles).to_message()
        if stream_slice is not None and stream_slice == self._last_slice:
            self._say_done()

    def _plan(self) -> dict[int, _SheetPlan]:
        """Every sheet that needs it is looked at (its first page, then its chosen cells), then the budget is spent:
        changes to cells asked before first, across sheets, then cells never asked."""
        plans: dict[int, _SheetPlan] = {}
        for ref in self._wanted:
            plan = self._plan_sheet(ref)
            if plan is not None:
                plans[ref.id] = plan
        if len(plans) == len(self._refs):  # every selected sheet was looked at: a title no sheet has is a typo
            found = {field.title for plan in plans.values() for field in plan.fields.values()}
            for title in [title for title in self._titles if title not in found]:
                logger.warning(
                    "Stream %s: no selected sheet has a column titled %r (cell_history_columns; titles are matched exactly).",
                    self.name,
                    title,
                )
        self._chosen = spend(self._config.cell_history_budget, HISTORY_COST, [plan.found for plan in plans.values()])
        return plans

    def _plan_sheet(self, ref: ObjectRef) -> _SheetPlan | None:
        label = object_label("sheet", ref.id, ref.name)
        head = unless_gone(partial(self.context.responses.take, HEAD, ref.id), label, self._left_as_it_was, self._config.region)
        if head is None:
            return None
        sheet_fields = SheetFields(ref.id, head.get("columns") or [], declared=self.context.declared.get(ref.id))
        formulas = {int(column["id"]) for column in head.get("columns") or [] if column.get("formula")}
        fields = {field.column_id: field for field in sheet_fields.fields if field.title in self._titles}
        for column_id in sorted(formulas & set(fields)):
            logger.warning(
                "Stream %s: column %r of %s is a column formula; its cells change without edits and have no history "
                "of their own. It is left out.",
                self.name,
                fields[column_id].title,
                label,
            )
            del fields[column_id]
        previous = self._parts.get(ref.id)
        if not fields:  # no chosen column here: nothing to ask until its version moves
            return _SheetPlan(ref, {}, Asks([], [], {}), head.get("version"), None)
        listing = unless_gone(
            partial(self._client.sheet_page, ref.id, {"columnIds": ",".join(map(str, fields)), "exclude": "nonexistentCells"}),
            label,
            self._left_as_it_was,
            self._config.region,
        )
        if listing is None:
            return None
        current: dict[int, dict[int, bytes]] = {column_id: {} for column_id in fields}
        newest: datetime | None = None
        for row in listing.get("rows") or ():
            cells = {cell.get("columnId"): cell for cell in row.get("cells") or ()}
            for column_id, column in current.items():
                column[int(row["id"])] = cell_digest(cells.get(column_id))
            modified = parse_time(row["modifiedAt"]) if isinstance(row.get("modifiedAt"), str) else None
            if modified is not None and (newest is None or modified > newest):
                newest = modified
        version = listing.get("version") if isinstance(listing.get("version"), int) else head.get("version")
        return _SheetPlan(ref, fields, asks(ref.id, previous, current), version, newest)

    def _read_sheet(self, plan: _SheetPlan) -> Iterator[dict[str, Any]]:
        ref, previous = plan.ref, self._parts.get(plan.ref.id)
        floor = previous.since if previous is not None else None
        asked: list[Cell] = []
        changed = set(plan.found.changed)
        for cell in (*plan.found.changed, *plan.found.new):
            if cell not in self._chosen or self._spent + HISTORY_COST > self._config.cell_history_budget:
                self._done["left"] += 1
                continue
            fetched = unless_gone(
                partial(self._client.cell_history, ref.id, cell.row_id, cell.column_id),
                f"row {cell.row_id} of sheet {ref.id} ({ref.name!r})",
                logger.debug,
                self._config.region,
            )
            asked.append(cell)
            if fetched is None:  # the row was deleted since the listing: nothing to ask any more
                self._spent += HISTORY_COST
                continue
            entries, requests = fetched
            self._spent += requests * HISTORY_COST
            self._done["asked"] += 1
            field = plan.fields[cell.column_id]
            records = history_records(ref.id, ref.stream_name, cell.row_id, field, entries, floor if cell in changed else None)
            self._done["records"] += len(records)
            yield from records
        self._parts[ref.id] = after(previous, plan.found, asked, plan.version, plan.newest)

    def _left_as_it_was(self, why: str) -> None:
        logger.warning("Stream %s: %s Its part is left as it was; the other sheets go on.", self.name, why)

    def _say_done(self) -> None:
        done = self._done
        budget = self._config.cell_history_budget
        line = HistoryDone(done["records"], done["asked"], self._spent, budget, done["left"], done["unchanged"], self.position)
        logger.info("%s", line)
