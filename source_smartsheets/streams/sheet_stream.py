"""One stream per sheet: full refresh and incremental reads, with per-sheet state."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Any, Iterator, Mapping, Sequence

from airbyte_cdk.models import AirbyteMessage

from ..client import SmartsheetClient
from ..config import SmartsheetConfig
from ..discovery import ObjectRef
from ..schema_mapping.naming import NAMING_RULE
from ..schema_mapping.sheet_fields import CURSOR, SheetFields
from ..state.cursor import SheetState, parse_state
from .base import KeptState, SmartsheetStream
from .pages import READ_PARAMS, FirstPagePrefetcher
from .sheet_read import ReadPlan, SheetRead, SheetTarget, plan_read

logger = logging.getLogger("airbyte")


@dataclass(frozen=True)
class Prepared:
    """A stream's read, decided: the usable saved state, and the plan (None: the sheet is unchanged, not read)."""

    previous: SheetState | None
    plan: ReadPlan | None


class SheetStream(KeptState, SmartsheetStream):
    """Rows of one sheet. Primary key `_ss_row_id`, cursor `_ss_modified_at` (state key `modifiedAt`)."""

    source_defined_cursor = True

    def __init__(self, ref: ObjectRef, client: SmartsheetClient, config: SmartsheetConfig) -> None:
        super().__init__(ref, client, config)
        self._state: dict[str, Any] = {}
        self._incoming: dict[str, Any] = {}
        self.prefetcher: FirstPagePrefetcher | None = None
        self._prepared: Prepared | None = None
        self.constants: Mapping[str, Any] | None = None  # fields its records carry in a merged stream

    @property
    def cursor_field(self) -> str:
        return CURSOR

    # ----- schema ------------------------------------------------------------------------------
    def _sample_page(self, size: int) -> dict[str, Any]:
        return self._client.sheet_page(self.ref.id, {**READ_PARAMS, "pageSize": size, "page": 1})

    def _fields(self, columns: Sequence[Mapping[str, Any]], **options: Any) -> SheetFields:
        return SheetFields(self.ref.id, columns, self._config.capture_deletes, **options)

    # ----- reading -----------------------------------------------------------------------------
    def _skipped(self) -> None:
        # Vanished or unshared since discovery: forget the cursor, so that a sheet that comes back
        # is read in full.
        self._state = SheetState(self.ref.id).to_message()

    def prepare(self, incoming: Mapping[str, Any], incremental: bool, declared: Mapping[str, Any] | None) -> Prepared:
        """Decide this stream's read before any request, once: the read carries out this very plan, and the
        prefetcher fetches its first page, so the two cannot disagree. A saved state that cannot be used is
        said here (a warning), once."""
        previous: SheetState | None = None
        if incremental:
            parsed = parse_state(incoming, self.ref.id)
            if parsed.reason:
                logger.warning("%s: the saved state is set aside (%s); reading the sheet in full.", self.label, parsed.reason)
            previous = parsed.state
        unchanged = previous is not None and self._unchanged(previous)
        plan = None if unchanged else plan_read(previous, self._config, incremental, declared)
        self._prepared = Prepared(previous, plan)
        return self._prepared

    def _read(self, incremental: bool) -> Iterator[AirbyteMessage]:
        prepared = self._prepared or self.prepare(self._incoming, incremental, self._declared())
        self._prepared = None
        if prepared.plan is None:  # unchanged: `prepare` leaves no plan only beside a usable saved state
            assert prepared.previous is not None
            version = prepared.previous.version
            logger.info("%s is unchanged since the last sync (version %s); not read%s.", self.label, version, self.in_this_sync)
            self._state = prepared.previous.to_message()
            return
        logger.info("Reading %s%s.", self.label, self.in_this_sync)
        target = SheetTarget(self.ref.id, self.label, self.name, self.namespace, self._selected, self._declared(), self.constants)
        first_page = self.prefetcher.take if self.prefetcher is not None else None
        keep = partial(self.answers.keep_head, self.ref.id) if self.answers is not None else None
        reader = SheetRead(self._client, self._config, target, first_page, keep)
        yield from reader.run(prepared.plan)
        if reader.state is not None:
            self._state = reader.state.to_message()

    def _unchanged(self, previous: SheetState) -> bool:
        """The sheet's version has not moved, and its state was written under this naming rule (a state of an
        older rule is checked once: its columns' fingerprint tells whether the field names changed)."""
        listed = self.ref.listed_version
        if previous.naming != NAMING_RULE:
            return False
        return previous.version is not None and listed is not None and listed <= previous.version
