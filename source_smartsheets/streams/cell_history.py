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
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Iterator, Mapping, Sequence

from airbyte_cdk.models import AirbyteMessage, AirbyteStream, SyncMode

from ..client import HISTORY_COST
from ..config import ConfigError, SmartsheetConfig
from ..discovery import ObjectRef
from ..errors import unless_gone
from ..fetch.responses import HEAD
from ..progress_lines import HistoryDone, object_label
from ..schema_mapping.cell_history import CELL_HISTORY_PROPERTIES, PRIMARY_KEY, history_records
from ..schema_mapping.sheet_fields import Field, SheetFields, object_schema
from ..setting_names import missing_titles
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
from .context import ReadContext
from .per_sheet import PerSheetStream

logger = logging.getLogger("airbyte")


@dataclass
class _SheetPlan:
    """What one sheet needs in this sync: its chosen columns' fields, the cells to ask, what to remember after."""

    ref: ObjectRef
    fields: Mapping[int, Field]  # column id -> its field in the sheet's stream
    found: Asks
    version: int | None
    newest: datetime | None  # the newest row change in the listing


class CellHistoryStream(PerSheetStream):
    """One stream over every selected sheet: primary key (sheet, row, column, modified_at, seq), cursor modified_at."""

    stream_name = "cell_history"
    read_after_rows = True
    primary_key = PRIMARY_KEY
    cursor_field = "modified_at"
    source_defined_cursor = True
    set_aside_means = "every cell is asked again"

    def __init__(self, refs: Sequence[ObjectRef], context: ReadContext) -> None:
        super().__init__(refs, context)
        self._titles = tuple(self._config.cell_history_columns)
        self._parts: dict[int, HistorySheet] = {}
        self._wanted: list[ObjectRef] = []
        self._plans: dict[int, _SheetPlan] | None = None
        self._chosen: set[Cell] = set()
        self._spent = 0
        self._renamed: set[int] = set()  # chosen columns followed by id through a rename
        self._titles_seen: set[str] = set()  # every column title of the sheets looked at

    @classmethod
    def offered(cls, settings: SmartsheetConfig) -> bool:
        """Made, and offered by discover, only when `cell_history_columns` names columns."""
        return bool(settings.cell_history_columns)

    @property
    def name(self) -> str:
        return self.stream_name

    def get_json_schema(self) -> Mapping[str, Any]:  # type: ignore[override]
        return object_schema(CELL_HISTORY_PROPERTIES, self.stream_name)

    def as_airbyte_stream(self) -> AirbyteStream:
        """Incremental only: a full refresh would ask every cell's history again, at 10 requests a cell."""
        stream = super().as_airbyte_stream()
        stream.supported_sync_modes = [SyncMode.incremental]
        return stream

    # ----- the read ----------------------------------------------------------------------------
    def parse_saved(self, saved: Mapping[str, Any] | None) -> CellHistoryState:
        return parse_cell_history_state(saved)

    def prepared(self, parsed: CellHistoryState, declared: Mapping[str, Any] | None) -> None:
        self._parts = dict(parsed.sheets)
        same_columns = parsed.columns == self._titles
        self._wanted = [
            ref for ref in self._refs if not (same_columns and unchanged(parsed.sheets.get(ref.id), ref.listed_version))
        ]
        self._done["unchanged"] = len(self._refs) - len(self._wanted)
        self.context.responses.plan(HEAD, [ref.id for ref in self._wanted])

    def read_sheet(self, ref: ObjectRef) -> Iterator[AirbyteMessage]:
        if self._plans is None:
            self._plans = self._plan()
        plan = self._plans.get(ref.id)
        return self._as_messages(self._read_sheet(plan)) if plan is not None else iter(())

    def sheet_left(self, key: int, part: HistorySheet) -> Iterator[AirbyteMessage]:
        return iter(())  # its history stays in the destination: it happened

    def state_message(self, complete: bool) -> dict[str, Any]:
        return CellHistoryState(self._parts, self._titles).to_message()

    def closing_line(self) -> HistoryDone:
        done = self._done
        budget = self._config.cell_history_budget
        return HistoryDone(done["records"], done["asked"], self._spent, budget, done["left"], done["unchanged"], self.position)

    def _plan(self) -> dict[int, _SheetPlan]:
        """Every sheet that needs it is looked at (its first page, then its chosen cells), then the budget is spent:
        changes to cells asked before first, across sheets, then cells never asked."""
        plans: dict[int, _SheetPlan] = {}
        for ref in self._wanted:
            plan = self._plan_sheet(ref)
            if plan is not None:
                plans[ref.id] = plan
        if len(plans) == len(self._refs) and not self._renamed:  # every sheet looked at: a title none has is a typo
            mistake = missing_titles(self._titles, self._titles_seen)
            if mistake is not None:
                raise ConfigError(mistake)
        self._chosen = spend(self._config.cell_history_budget, HISTORY_COST, [plan.found for plan in plans.values()])
        return plans

    def _plan_sheet(self, ref: ObjectRef) -> _SheetPlan | None:
        label = object_label("sheet", ref.id, ref.name)
        head = unless_gone(
            partial(self.context.responses.take, HEAD, ref.id), label, self._left_as_it_was, self._config.token_home
        )
        if head is None:
            return None
        sheet_fields = SheetFields(
            ref.id, head.get("columns") or [], declared=self.context.declared.get(ref.id), pinned=self._config.field_pins(ref.id)
        )
        formulas = {int(column["id"]) for column in head.get("columns") or [] if column.get("formula")}
        fields = {field.column_id: field for field in sheet_fields.fields if field.title in self._titles}
        titles = {field.title for field in sheet_fields.fields}
        self._titles_seen |= titles
        previous = self._parts.get(ref.id)
        self._follow_renamed(ref, sheet_fields, titles, fields, previous)
        for column_id in sorted(formulas & set(fields)):
            logger.warning(
                "Stream %s: column %r of %s is a column formula; its cells change without edits and have no history "
                "of their own. It is left out.",
                self.name,
                fields[column_id].title,
                label,
            )
            del fields[column_id]
        if not fields:  # no chosen column here: nothing to ask until its version moves
            return _SheetPlan(ref, {}, Asks([], [], {}), head.get("version"), None)
        listing = unless_gone(
            partial(self._client.sheet_page, ref.id, {"columnIds": ",".join(map(str, fields)), "exclude": "nonexistentCells"}),
            label,
            self._left_as_it_was,
            self._config.token_home,
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

    def _follow_renamed(
        self,
        ref: ObjectRef,
        sheet_fields: SheetFields,
        titles: set[str],
        fields: dict[int, Field],
        previous: HistorySheet | None,
    ) -> None:
        """A chosen column renamed since its history was asked keeps its history by its id (the state's cells say which
        columns were chosen), while a chosen title is missing from the sheet: said, with what to update."""
        missing = [title for title in self._titles if title not in titles]
        if previous is None or not missing:
            return
        for field in sheet_fields.fields:
            if field.column_id in previous.cells and field.column_id not in fields:
                fields[field.column_id] = field
                self._renamed.add(field.column_id)
                logger.warning(
                    "Stream %s: a column of %s chosen in cell_history_columns (%s) is titled %r now; its history is kept "
                    "by its id (column %s). Update cell_history_columns to %r.",
                    self.name,
                    object_label("sheet", ref.id, ref.name),
                    ", ".join(repr(title) for title in missing),
                    field.title,
                    field.column_id,
                    field.title,
                )

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
                self._config.token_home,
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
