"""What the streams share: the configured schema kept as given, the saved state, identity, record messages."""

from __future__ import annotations

import logging
from typing import Any, Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence

from airbyte_cdk.models import AirbyteMessage, AirbyteRecordMessage, SyncMode
from airbyte_cdk.models import Type as MessageType
from airbyte_cdk.sources.streams import CheckpointMixin, Stream

from ..client import SmartsheetClient
from ..config import SmartsheetConfig
from ..discovery import ObjectRef
from ..errors import Action, SmartsheetApiError, explain, traced
from ..schema_mapping.sheet_fields import ROW_ID, MalformedRow, SheetFields, declared_fields, selected_fields
from .pages import MalformedSheet
from .sheet_answers import SheetAnswers

logger = logging.getLogger("airbyte")


class UnexpectedAnswer(Exception):
    """A sheet or report that cannot be read correctly; the message names it."""


# The slice that ends the part of each sheet a stream held and the config no longer selects.
SHEETS_THAT_LEFT = "sheets_that_left"

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
    """A stream's state: as the CDK hands it over before the read (`_incoming`), and as the read leaves it."""

    _incoming: dict[str, Any]
    _state: dict[str, Any]

    @property
    def state(self) -> MutableMapping[str, Any]:
        return self._state

    @state.setter
    def state(self, value: MutableMapping[str, Any]) -> None:
        self._incoming = dict(value or {})
        self._state = dict(value or {})


class SmartsheetStream(ConfiguredSchema, Stream):
    """A stream of one Smartsheet object (a sheet or a report), primary key `_ss_row_id`."""

    primary_key = ROW_ID

    def __init__(self, ref: ObjectRef, client: SmartsheetClient, config: SmartsheetConfig) -> None:
        self.ref = ref
        self._client = client
        self._config = config
        self._schema: dict[str, Any] | None = None
        self._selected: frozenset[str] | None = None
        self.position = ""  # "3 of 200", for progress logs
        self.answers: SheetAnswers | None = None  # a sheet's first page, shared with the streams around rows

    @property
    def name(self) -> str:
        return self.ref.stream_name

    @property
    def namespace(self) -> str | None:  # type: ignore[override]
        return self.ref.namespace

    @property
    def label(self) -> str:
        return f"{self.ref.kind} {self.ref.id} ({self.ref.name!r})"

    @property
    def in_this_sync(self) -> str:
        """` (3 of 200 in this sync)`, for progress lines (empty outside a read)."""
        return f" ({self.position} in this sync)" if self.position else ""

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
            if self.answers is not None and self.ref.kind == "sheet":
                self.answers.keep_head(self.ref.id, page)
            fields = self._fields(page.get("columns") or [], sample_rows=page.get("rows") or [])
            self._schema = fields.json_schema(title=self.ref.name, description=self.description)
        return self._schema

    def json_schema_if_known(self) -> dict[str, Any] | None:
        """The schema if it was fetched (None: not asked for, or the object could not be read)."""
        return self._schema

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
            yield from self._read(sync_mode == SyncMode.incremental)
        except SmartsheetApiError as error:
            if error.action is not Action.SKIP_SHEET:
                raise traced(error, self.label, self._config.region) from None
            logger.warning("Skipping %s: %s", self.label, explain(error, self.label))
            self._skipped()
        except (MalformedRow, MalformedSheet) as error:
            raise UnexpectedAnswer(f"Smartsheet sent an unexpected answer for {self.label}: {error}") from None

    def _read(self, incremental: bool) -> Iterator[AirbyteMessage]:
        raise NotImplementedError

    def _skipped(self) -> None:
        """What to remember of an object that could not be read this time."""

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
