"""One stream per sheet: full refresh and incremental reads, with per-sheet state."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any, Iterable, Iterator, Mapping, MutableMapping

from airbyte_cdk.models import AirbyteMessage, AirbyteRecordMessage, SyncMode
from airbyte_cdk.models import Type as MessageType
from airbyte_cdk.sources.streams import CheckpointMixin, Stream

from ..client import SmartsheetClient
from ..config import SmartsheetConfig
from ..discovery import SheetRef
from ..errors import Action, SmartsheetApiError, explain
from ..schema_mapping.record import CURSOR, ROW_ID, MalformedRow, SheetPlan, project, selected_fields
from ..state.cursor import SheetState, format_time, next_cursor, parse_state, parse_time, since_for
from .pages import READ_PARAMS, MalformedSheet, walk_pages

logger = logging.getLogger("airbyte")
# TEXT_NUMBER columns are typed number or string from the first rows of the sheet at discovery.
SCHEMA_SAMPLE_ROWS = 1000


class SheetReadError(Exception):
    """A sheet that cannot be read correctly; the message names the sheet."""


class SheetStream(Stream, CheckpointMixin):
    """Rows of one sheet. Primary key `_ss_row_id`, cursor `_ss_modified_at` (state key `modifiedAt`)."""

    primary_key = ROW_ID
    source_defined_cursor = True

    def __init__(self, ref: SheetRef, client: SmartsheetClient, config: SmartsheetConfig) -> None:
        self.ref = ref
        self._client = client
        self._config = config
        self._state: dict[str, Any] = {}
        self._incoming: dict[str, Any] = {}
        self._schema: dict[str, Any] | None = None
        self._selected: frozenset[str] | None = None
        self._configured_schema: dict[str, Any] | None = None

    # ----- identity ----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.ref.stream_name

    @property
    def namespace(self) -> str | None:  # type: ignore[override]
        return self.ref.namespace

    @property
    def cursor_field(self) -> str:
        return CURSOR

    @property
    def what(self) -> str:
        return f"sheet {self.ref.id} ({self.ref.name!r})"

    # ----- state -------------------------------------------------------------------------------
    @property
    def state(self) -> MutableMapping[str, Any]:
        return self._state

    @state.setter
    def state(self, value: MutableMapping[str, Any]) -> None:
        self._incoming = dict(value or {})
        self._state = dict(value or {})

    # ----- schema ------------------------------------------------------------------------------
    def get_json_schema(self) -> Mapping[str, Any]:  # type: ignore[override]
        """The schema from the sheet's columns and a sample of its rows: one request, made once, only when asked."""
        if self._schema is None:
            sample_size = min(self._config.page_size, SCHEMA_SAMPLE_ROWS)
            page = self._client.sheet_page(self.ref.id, {**READ_PARAMS, "pageSize": sample_size, "page": 1})
            plan = SheetPlan(
                self.ref.id, page.get("columns") or [], self._config.capture_deletes, sample_rows=page.get("rows") or []
            )
            self._schema = plan.json_schema()
        return self._schema

    @property
    def configured_json_schema(self) -> dict[str, Any] | None:  # type: ignore[override]
        return self._configured_schema

    @configured_json_schema.setter
    def configured_json_schema(self, json_schema: dict[str, Any]) -> None:
        # The CDK would compare it with get_json_schema() here (one request per sheet before reading);
        # the read itself projects records onto the configured fields instead.
        self._configured_schema = json_schema
        self._selected = selected_fields(json_schema)

    def _declared(self) -> Mapping[str, Any] | None:
        properties = (self._configured_schema or {}).get("properties")
        return properties if isinstance(properties, Mapping) else None

    # ----- reading -----------------------------------------------------------------------------
    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: list[str] | None = None,
        stream_slice: Mapping[str, Any] | None = None,
        stream_state: Mapping[str, Any] | None = None,
    ) -> Iterable[AirbyteMessage]:
        incremental = sync_mode == SyncMode.incremental
        try:
            yield from self._read(incremental)
        except SmartsheetApiError as error:
            if error.action is not Action.SKIP_SHEET:
                raise
            # Vanished or unshared since discovery: warn, end the stream cleanly, and forget the
            # cursor, so that a sheet that comes back is read in full.
            logger.warning("Skipping %s: %s", self.what, explain(error, self.what))
            self._state = SheetState(self.ref.id).to_message()
        except (MalformedRow, MalformedSheet) as error:
            raise SheetReadError(f"Smartsheet sent an unexpected answer for {self.what}: {error}") from None

    def _read(self, incremental: bool) -> Iterator[AirbyteMessage]:
        previous = None
        if incremental:
            parsed = parse_state(self._incoming, self.ref.id)
            if parsed.reason:
                logger.warning("%s: the saved state is set aside (%s); reading the sheet in full.", self.what, parsed.reason)
            previous = parsed.state
        if previous is not None and self._unchanged(previous):
            logger.info("%s is unchanged since the last sync (version %s); not read.", self.what, previous.version)
            self._state = previous.to_message()
            return
        since = since_for(previous.cursor if previous else None, self._config.start_datetime if incremental else None)
        columns_seen = previous.columns if previous else None
        yield from self._read_pages(since, columns_seen, previous.cursor if previous else None)

    def _unchanged(self, previous: SheetState) -> bool:
        listed = self.ref.listed_version
        return previous.version is not None and listed is not None and listed <= previous.version

    def _read_pages(
        self, since: datetime | None, columns_seen: str | None, previous_cursor: datetime | None
    ) -> Iterator[AirbyteMessage]:
        extra = {"rowsModifiedSince": format_time(since)} if since else {}
        pages = walk_pages(self._client, self.ref.id, self._config.page_size, extra)
        first = next(pages)
        plan = SheetPlan(self.ref.id, first["columns"], self._config.capture_deletes, declared=self._declared())
        if since is not None and columns_seen is not None and columns_seen != plan.fingerprint():
            # Column changes move no row's modifiedAt: re-read everything so no value is stale.
            logger.info("%s: its columns changed since the last sync; reading it in full.", self.what)
            yield from self._read_pages(None, None, None)
            return
        started_version = first.get("version")
        started_modified = _time_or_none(first.get("modifiedAt"))
        newest: str | None = None
        selected = self._selected
        stream, namespace = self.name, self.namespace
        count = 0
        for page in _chain(first, pages):
            emitted_at = int(time.time() * 1000)
            for row in page.get("rows") or ():
                record = plan.record(row)
                modified = record[CURSOR]
                if newest is None or modified > newest:
                    newest = modified
                count += 1
                yield AirbyteMessage(
                    type=MessageType.RECORD,
                    record=AirbyteRecordMessage(
                        stream=stream, namespace=namespace, data=project(record, selected), emitted_at=emitted_at
                    ),
                )
        cursor = next_cursor(previous_cursor, parse_time(newest) if newest else None, started_modified)
        self._state = SheetState(
            self.ref.id,
            cursor=cursor,
            version=started_version if isinstance(started_version, int) else None,
            columns=plan.fingerprint(),
        ).to_message()
        logger.info("%s: %d rows read.", self.what, count)


def _chain(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest


def _time_or_none(text: Any) -> datetime | None:
    try:
        return parse_time(text) if isinstance(text, str) else None
    except ValueError:
        return None
