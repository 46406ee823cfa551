"""One stream per sheet: full refresh and incremental reads, with per-sheet state."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Any, Iterator, Mapping, Sequence

from airbyte_cdk.models import AirbyteMessage, SyncMode

from ..discovery import ObjectRef
from ..fetch.pages import page_params
from ..progress_lines import Reading, Unchanged
from ..schema_mapping.naming import NAMING_RULE
from ..schema_mapping.sheet_fields import CURSOR, SheetFields
from ..state.cursor import SheetState, parse_state
from .base import KeptState, ObjectStream
from .context import ReadContext
from .sheet_read import ReadPlan, SheetRead, SheetTarget, plan_read

logger = logging.getLogger("airbyte")


@dataclass(frozen=True)
class Prepared:
    """A stream's read, decided: the usable saved state, and the plan (None: the sheet is unchanged, not read)."""

    previous: SheetState | None
    plan: ReadPlan | None


class SheetStream(KeptState, ObjectStream):
    """Rows of one sheet. Primary key `_ss_row_id`, cursor `_ss_modified_at` (state key `modifiedAt`)."""

    source_defined_cursor = True

    def __init__(self, ref: ObjectRef, context: ReadContext, constants: Mapping[str, Any] | None = None) -> None:
        super().__init__(ref, context)
        self._state: dict[str, Any] = {}
        self._prepared: Prepared | None = None
        self.constants = constants  # fields its records carry (in a merged stream, `_ss_sheet_name`)

    @property
    def cursor_field(self) -> str:
        return CURSOR

    # ----- schema ------------------------------------------------------------------------------
    def _sample_page(self, size: int) -> dict[str, Any]:
        return self._client.sheet_page(self.ref.id, page_params(size))

    def _fields(self, columns: Sequence[Mapping[str, Any]], **options: Any) -> SheetFields:
        return SheetFields(
            self.ref.id, columns, self._config.capture_deletes, pinned=self._config.field_pins(self.ref.id), **options
        )

    # ----- reading -----------------------------------------------------------------------------
    def _skipped(self, why: str) -> None:
        # Vanished or unshared since discovery: forget the cursor, so that a sheet that comes back
        # is read in full.
        super()._skipped(why)
        self._state = SheetState(self.ref.id).to_message()

    def prepare(self, saved: Mapping[str, Any], sync_mode: SyncMode, declared: Mapping[str, Any] | None) -> None:
        old_name = self.context.saved_under.get(self.ref.id)
        if not saved and old_name not in (None, self.name):
            logger.warning(
                "Stream %s: the state saved under its old name %s is not carried over (its sheet was renamed, or the "
                "naming rule of version 0.2.0 renamed it); it is read in full once.",
                self.name,
                old_name,
            )
        self.plan(saved, sync_mode == SyncMode.incremental, declared)

    def plan(self, incoming: Mapping[str, Any], incremental: bool, declared: Mapping[str, Any] | None) -> Prepared:
        """Decide this sheet's read before any request, once: the read carries out this very plan, and the
        context fetches its first page ahead, so the two cannot disagree. A saved state that cannot be used is
        said here (a warning), once. A merged stream plans each of its sheets through this too."""
        self._state = dict(incoming)
        previous: SheetState | None = None
        if incremental:
            parsed = parse_state(incoming, self.ref.id)
            if parsed.reason:
                logger.warning("%s: the saved state is set aside (%s); reading the sheet in full.", self.label, parsed.reason)
            previous = parsed.state
        unchanged = previous is not None and self._unchanged(previous)
        plan = None if unchanged else plan_read(previous, self._config, incremental, declared)
        if plan is not None:
            page_size = self._config.page_size
            self.context.plan_first_page(self.ref.id, lambda rides: plan.carrying(rides).first_page_params(page_size))
        self._prepared = Prepared(previous, plan)
        return self._prepared

    def _read(self, incremental: bool) -> Iterator[AirbyteMessage]:
        prepared, self._prepared = self._prepared, None
        if prepared is None:
            raise RuntimeError(f"{self.label} was read before it was prepared (SmartsheetStream.prepare)")
        if prepared.plan is None:  # unchanged: `plan` leaves no plan only beside a usable saved state
            assert prepared.previous is not None and prepared.previous.version is not None
            logger.info("%s", Unchanged(self.label, prepared.previous.version, self.position, self._merged_into))
            self._state = prepared.previous.to_message()
            return
        plan = prepared.plan.carrying(self.context.ridden())
        logger.info("%s", Reading(self.label, self.position, self._merged_into))
        target = SheetTarget(
            self.ref.id,
            self.label,
            self.name,
            self.namespace,
            self._selected,
            self._declared(),
            self.constants,
            pinned=self._config.field_pins(self.ref.id),
            merged=self.ref.merged is not None,
        )
        responses = self.context.responses
        keep, keep_read = partial(responses.keep_head, self.ref.id), partial(responses.keep_read, self.ref.id)
        reader = SheetRead(self._client, self._config, target, self.context.first_page(), keep, keep_read)
        yield from reader.run(plan)
        if reader.state is not None:
            self._state = reader.state.to_message()

    @property
    def _merged_into(self) -> str:
        """The merged stream this sheet is read into (its name is that stream's), or empty."""
        return self.name if self.ref.merged is not None else ""

    def _unchanged(self, previous: SheetState) -> bool:
        """The sheet's version has not moved, and its state was written under this naming rule (a state of an
        older rule is checked once: its columns' fingerprint tells whether the field names changed)."""
        listed = self.ref.listed_version
        if previous.naming != NAMING_RULE:
            return False
        return previous.version is not None and listed is not None and listed <= previous.version
