"""What the streams share: one way to get ready for a sync (`prepare`, from a `ReadContext` made once per command),
the configured schema kept as given, the saved state, identity, record messages."""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, ClassVar, Collection, Iterable, Iterator, Mapping, MutableMapping, Sequence

from airbyte_cdk.models import AirbyteMessage, AirbyteRecordMessage, SyncMode
from airbyte_cdk.models import Type as MessageType
from airbyte_cdk.sources.streams import CheckpointMixin, Stream

from ..discovery import ObjectRef
from ..errors import skipped_if_gone
from ..fetch.pages import MalformedSheet
from ..progress_lines import object_label
from ..schema_mapping.sheet_fields import ROW_ID, MalformedRow, SheetFields, declared_fields, project, selected_fields
from .context import ReadContext

logger = logging.getLogger("airbyte")


class UnexpectedAnswer(Exception):
    """A sheet or report that cannot be read correctly; the message names it."""


# The slice that ends the part of each sheet a stream held and the config no longer selects.
SHEETS_THAT_LEFT = "sheets_that_left"


def sheet_slices(selected: Collection[int], kept: Iterable[int], ends_leavers: bool = True) -> list[Mapping[str, Any] | None]:
    """One slice (and one checkpoint) per selected sheet, then, when the state keeps a part for a sheet that is not
    selected any more (and `ends_leavers`), the slice that ends those parts."""
    slices: list[Mapping[str, Any] | None] = [{"sheet_id": sheet_id} for sheet_id in selected]
    chosen = set(selected)
    if ends_leavers and any(sheet_id not in chosen for sheet_id in kept):
        slices.append({SHEETS_THAT_LEFT: True})
    return slices


# TEXT_NUMBER columns are typed number or string from the first rows seen at discovery.
SCHEMA_SAMPLE_ROWS = 1000


class ConfiguredSchema:
    """The configured catalog's schema, kept as given. The CDK's own setter compares it with get_json_schema(), which
    here costs requests (a sheet's page, every sheet's summary) before reading; reads project onto it instead."""

    _configured_schema: dict[str, Any] | None = None

    @property
    def configured_json_schema(self) -> dict[str, Any] | None:
        return self._configured_schema

    @configured_json_schema.setter
    def configured_json_schema(self, json_schema: dict[str, Any]) -> None:
        self._configured_schema = json_schema
        self._configured(json_schema)

    def _configured(self, json_schema: dict[str, Any]) -> None:
        """What a stream takes from its configured schema besides keeping it."""


class KeptState(CheckpointMixin):
    """A stream's state, as the read leaves it (the saved state reaches the stream through `prepare`; the CDK also
    hands it over here before the read, as it was)."""

    _state: dict[str, Any]

    @property
    def state(self) -> MutableMapping[str, Any]:
        return self._state

    @state.setter
    def state(self, value: MutableMapping[str, Any]) -> None:
        self._state = dict(value or {})


class SmartsheetStream(ConfiguredSchema, Stream):
    """Every stream of this connector: built with the command's `ReadContext`, and made ready for a sync by `prepare`
    (the source's `read` calls it once for each configured stream, in catalog order, before the first read)."""

    read_after_rows: ClassVar[bool] = False  # read once every row stream is done (to reuse what those fetched)
    merges_sheets: ClassVar[bool] = False  # the rows of many sheets (`merge_streams`)

    def __init__(self, context: ReadContext) -> None:
        self.context = context
        self._client = context.client
        self._config = context.settings

    def prepare(self, saved: Mapping[str, Any], sync_mode: SyncMode, declared: Mapping[str, Any] | None) -> None:
        """Get ready for this sync from the saved state, the sync mode and the fields the catalog declares: decide
        what to read, and tell the context what will be fetched, before any request."""

    @property
    def label(self) -> str:
        return f"stream {self.name}"

    @property
    def position(self) -> str:
        """`3 of 15`: this stream's place in this sync, for progress lines (empty outside a read)."""
        return self.context.position(self.name)

    def schema_sources(self) -> Sequence[ObjectStream]:
        """The sheets and reports whose first page this stream's schema is made from (discover fetches them in parallel)."""
        return ()

    def in_catalog(self) -> bool:
        """Whether discover offers it (a sheet that could not be read is left out)."""
        return True

    def sheet_ids(self) -> Sequence[int]:
        """The sheets whose rows it holds (to recognise a state saved under another name)."""
        return ()

    def _as_messages(self, records: Iterable[dict[str, Any]]) -> Iterator[AirbyteMessage]:
        """Records as ready messages projected onto the selected fields, as the row streams send them: airbyte-cdk
        then neither looks up the stream's schema for each record nor projects it again."""
        make, selected = message_factory(self.name, self.namespace), selected_fields(self.configured_json_schema)
        emitted_at = int(time.time() * 1000)
        for record in records:
            yield make(project(record, selected), emitted_at)

    def name_kept_by(self, old_name: str) -> str | None:
        """What to say of a state saved under `old_name` that this stream now holds, where a setting gives that name
        back (None: nothing)."""
        return None


class ObjectStream(SmartsheetStream):
    """A stream of one Smartsheet object (a sheet or a report), primary key `_ss_row_id`."""

    primary_key = ROW_ID

    def __init__(self, ref: ObjectRef, context: ReadContext) -> None:
        super().__init__(context)
        self.ref = ref
        self._schema: dict[str, Any] | None = None
        self._selected: frozenset[str] | None = None

    @property
    def name(self) -> str:
        return self.ref.stream_name

    @property
    def namespace(self) -> str | None:  # type: ignore[override]
        return self.ref.namespace

    @property
    def label(self) -> str:
        return object_label(self.ref.kind, self.ref.id, self.ref.name)

    @property
    def description(self) -> str:
        """Where the object lives in Smartsheet: `Smartsheet sheet 123 in Acme Operations/Projects`."""
        where = f" in {self.ref.path}" if self.ref.path else ""
        return f"Smartsheet {self.ref.kind} {self.ref.id}{where}"

    def _configured(self, json_schema: dict[str, Any]) -> None:
        self._selected = selected_fields(json_schema)

    def get_json_schema(self) -> Mapping[str, Any]:  # type: ignore[override]
        """The schema from the columns and a sample of the rows: one request, made once, only when asked."""
        if self._schema is None:
            page = self._sample_page(min(self._config.page_size, SCHEMA_SAMPLE_ROWS))
            if self.ref.kind == "sheet":
                self.context.responses.keep_head(self.ref.id, page)
            fields = self._fields(page.get("columns") or [], sample_rows=page.get("rows") or [])
            self._schema = fields.json_schema(title=self.ref.name, description=self.description)
        return self._schema

    def json_schema_if_known(self) -> dict[str, Any] | None:
        """The schema if it was fetched (None: not asked for, or the object could not be read)."""
        return self._schema

    def schema_sources(self) -> Sequence[ObjectStream]:
        return (self,)

    def in_catalog(self) -> bool:
        return self._schema is not None

    def sheet_ids(self) -> Sequence[int]:
        return (self.ref.id,) if self.ref.kind == "sheet" else ()

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: list[str] | None = None,
        stream_slice: Mapping[str, Any] | None = None,
        stream_state: Mapping[str, Any] | None = None,
    ) -> Iterable[AirbyteMessage]:
        """Read, and say what a failure means: gone or unshared since discovery is a warning and a clean
        end of the stream; any other API error is reported as the error table says."""
        try:
            with skipped_if_gone(self.label, self._skipped, self._config.token_home):
                yield from self._read(sync_mode == SyncMode.incremental)
        except (MalformedRow, MalformedSheet) as error:
            raise UnexpectedAnswer(f"Smartsheet sent an unexpected answer for {self.label}: {error}") from None

    def _read(self, incremental: bool) -> Iterator[AirbyteMessage]:
        raise NotImplementedError

    def _skipped(self, why: str) -> None:
        """Gone or unshared since discovery (`why` says so): said, and what to remember of it this time."""
        logger.warning("Skipping %s: %s", self.label, why)

    def _sample_page(self, size: int) -> dict[str, Any]:
        raise NotImplementedError

    def _fields(self, columns: Sequence[Mapping[str, Any]], **options: Any) -> SheetFields:
        raise NotImplementedError

    def _declared(self) -> Mapping[str, Any] | None:
        return declared_fields(self._configured_schema)


def message_factory(stream: str, namespace: str | None) -> Callable[[dict[str, Any], int], AirbyteMessage]:
    """Records as ready AirbyteMessages (the CDK then skips its per-record schema lookup)."""

    def make(record: dict[str, Any], emitted_at: int) -> AirbyteMessage:
        return AirbyteMessage(
            type=MessageType.RECORD,
            record=AirbyteRecordMessage(stream=stream, namespace=namespace, data=record, emitted_at=emitted_at),
        )

    return make
