"""One stream per sheet: full refresh and incremental reads, with per-sheet state."""

from __future__ import annotations

import logging
from typing import Any, Iterator, Mapping, MutableMapping, Sequence

from airbyte_cdk.models import AirbyteMessage
from airbyte_cdk.sources.streams import CheckpointMixin

from ..client import SmartsheetClient
from ..config import SmartsheetConfig
from ..discovery import SheetRef
from ..schema_mapping.naming import NAMING_RULE
from ..schema_mapping.record import CURSOR, SheetPlan
from ..state.cursor import SheetState, parse_state
from .base import SmartsheetStream
from .pages import READ_PARAMS, FirstPagePrefetcher
from .sheet_read import SheetRead, SheetTarget, first_page_params

logger = logging.getLogger("airbyte")


class SheetStream(SmartsheetStream, CheckpointMixin):
    """Rows of one sheet. Primary key `_ss_row_id`, cursor `_ss_modified_at` (state key `modifiedAt`)."""

    source_defined_cursor = True

    def __init__(self, ref: SheetRef, client: SmartsheetClient, config: SmartsheetConfig) -> None:
        super().__init__(ref, client, config)
        self._state: dict[str, Any] = {}
        self._incoming: dict[str, Any] = {}
        self.prefetcher: FirstPagePrefetcher | None = None

    @property
    def cursor_field(self) -> str:
        return CURSOR

    # ----- state -------------------------------------------------------------------------------
    @property
    def state(self) -> MutableMapping[str, Any]:
        return self._state

    @state.setter
    def state(self, value: MutableMapping[str, Any]) -> None:
        self._incoming = dict(value or {})
        self._state = dict(value or {})

    # ----- schema ------------------------------------------------------------------------------
    def _sample_page(self, size: int) -> dict[str, Any]:
        return self._client.sheet_page(self.ref.id, {**READ_PARAMS, "pageSize": size, "page": 1})

    def _plan(self, columns: Sequence[Mapping[str, Any]], **options: Any) -> SheetPlan:
        return SheetPlan(self.ref.id, columns, self._config.capture_deletes, **options)

    # ----- reading -----------------------------------------------------------------------------
    def _skipped(self) -> None:
        # Vanished or unshared since discovery: forget the cursor, so that a sheet that comes back
        # is read in full.
        self._state = SheetState(self.ref.id).to_message()

    def previous_state(self, incoming: Mapping[str, Any], incremental: bool, warn: bool = True) -> tuple[SheetState | None, bool]:
        """The usable incoming state, and whether the sheet can be left unread (its version has not moved)."""
        if not incremental:
            return None, False
        parsed = parse_state(incoming, self.ref.id)
        if parsed.reason and warn:
            logger.warning("%s: the saved state is set aside (%s); reading the sheet in full.", self.what, parsed.reason)
        previous = parsed.state
        return previous, previous is not None and self._unchanged(previous)

    def planned_first_page(
        self, incoming: Mapping[str, Any], incremental: bool, configured_schema: Mapping[str, Any] | None
    ) -> dict[str, Any] | None:
        """The first request this stream will make, or None when it will not read the sheet."""
        previous, unchanged = self.previous_state(incoming, incremental, warn=False)
        properties = (configured_schema or {}).get("properties")
        declared = properties if isinstance(properties, Mapping) else None
        return None if unchanged else first_page_params(previous, self._config, incremental, declared)

    def _read(self, incremental: bool) -> Iterator[AirbyteMessage]:
        previous, unchanged = self.previous_state(self._incoming, incremental)
        if unchanged and previous is not None:
            logger.info("%s is unchanged since the last sync (version %s); not read.", self.what, previous.version)
            self._state = previous.to_message()
            return
        logger.info("Reading %s%s.", self.what, f" ({self.position} in this sync)" if self.position else "")
        target = SheetTarget(self.ref.id, self.what, self.name, self.namespace, self._selected, self._declared())
        first_page = self.prefetcher.take if self.prefetcher is not None else None
        reader = SheetRead(self._client, self._config, target, first_page)
        yield from reader.run(previous, incremental)
        if reader.state is not None:
            self._state = reader.state.to_message()

    def _unchanged(self, previous: SheetState) -> bool:
        """The sheet's version has not moved, and its state was written under this naming rule (a state of an
        older rule is checked once: its columns' fingerprint tells whether the field names changed)."""
        listed = self.ref.listed_version
        if previous.naming != NAMING_RULE:
            return False
        return previous.version is not None and listed is not None and listed <= previous.version
