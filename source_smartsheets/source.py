"""The Airbyte source: `check` and `streams`; `spec`, `discover` and `read` come from airbyte-cdk."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Callable, Iterable, Iterator, Mapping

from airbyte_cdk.models import (
    AirbyteCatalog,
    AirbyteConnectionStatus,
    AirbyteMessage,
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateType,
    AirbyteStreamState,
    ConfiguredAirbyteCatalog,
    ConfiguredAirbyteStream,
    ConnectorSpecification,
    ConnectorSpecificationSerializer,
    Status,
    StreamDescriptor,
)
from airbyte_cdk.models import Type as MessageType
from airbyte_cdk.sources import AbstractSource
from airbyte_cdk.sources.streams import Stream

from . import timestamps
from .cdk_log_filter import quiet_cdk_bookkeeping
from .client import CHECK, SmartsheetClient
from .config import ConfigError, SmartsheetConfig, parse_config
from .discovery import ONE_ROW, ObjectRef, discover_objects
from .errors import Action, SmartsheetApiError, explain, skipped_if_gone, traced, unless_gone
from .progress_lines import counted as counted_noun
from .renames import Configured, configured_sheets, follow_renames
from .schema_mapping.sheet_fields import declared_fields
from .setting_names import missing_titles
from .spec import build_spec
from .state.cursor import SheetState
from .streams.base import ObjectStream, SmartsheetStream
from .streams.context import ReadContext
from .streams.registry import ACCOUNT, AROUND_ROWS, CELL_HISTORY, MERGED, OBJECT_STREAMS, RESERVED_NAMES
from .whole_numbers import whole_int

logger = logging.getLogger("airbyte")


class SourceSmartsheets(AbstractSource):
    """Smartsheet sheets as Airbyte streams, one per sheet."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = timestamps.now,
    ) -> None:
        """`clock` and `sleep` are what pacing and retries wait on, `now` the date the recheck schedule runs on (a test
        runs them on the emulator's clock)."""
        super().__init__()
        self._connection: _Connection | None = None
        self._clock, self._sleep, self._now = clock, sleep, now
        quiet_cdk_bookkeeping("airbyte", f"airbyte.{self.name}")  # the loggers of the CDK's entrypoint and read

    def spec(self, logger: logging.Logger) -> ConnectorSpecification:
        """Generated from the configuration model (`spec.py`), never read from a file."""
        return ConnectorSpecificationSerializer.load(build_spec())

    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        # The base class would wrap the message in repr() quotes.
        ok, message = self.check_connection(logger, config)
        if ok:
            return AirbyteConnectionStatus(status=Status.SUCCEEDED)
        return AirbyteConnectionStatus(status=Status.FAILED, message=str(message))

    def check_connection(self, logger: logging.Logger, config: Mapping[str, Any]) -> tuple[bool, Any]:
        """The token works and every configured sheet and workspace can be reached."""
        try:
            settings = parse_config(config)
        except ConfigError as error:
            return False, error.message
        _say_ignored(settings)
        # Bounded: an answer within ~25 s, whatever the host does.
        client = SmartsheetClient(settings, limits=CHECK, clock=self._clock, sleep=self._sleep)
        try:
            user = client.current_user()
            discovered = discover_objects(client, settings, reserved=RESERVED_NAMES)
        except SmartsheetApiError as error:
            message = explain(error, "the token's user" if error.path == "/users/me" else error.path, settings.token_home)
            if error.status is not None and error.action is Action.RETRY:  # only 429s and 5xx within check's budget
                message = f"Smartsheet is unavailable or rate-limiting this token; try again later. {message}"
            return False, message
        except ConfigError as error:
            return False, error.message
        if discovered.unreachable:
            return False, " ".join(unreachable.message for unreachable in discovered.unreachable)
        if not discovered.objects:
            return False, "The configured workspaces hold no sheet that the name filters let through."
        mistake = _history_titles_mistake(client, settings, discovered.objects)
        if mistake is not None:
            return False, mistake
        logger.info("Connected as %s; %s to sync.", user.get("email"), counted(discovered.objects))
        return True, None

    def discover(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteCatalog:
        """The catalog, with each sheet's schema fetched a few at a time (one request per sheet), then the
        streams around rows (the summary table's schema reuses those pages: `hasSummaryFields`).

        A sheet that vanished since it was listed is left out with a warning.
        """
        connection = self._connect(config, fresh=True)
        sources = [source for stream in connection.streams for source in stream.schema_sources()]

        def fetch_schema(source: ObjectStream) -> None:
            left_out = partial(logger.warning, "%s It is left out of the catalog.")
            with skipped_if_gone(source.label, left_out):
                source.get_json_schema()

        try:
            with ThreadPoolExecutor(
                max_workers=max(1, connection.settings.prefetch_sheets), thread_name_prefix="discover"
            ) as pool:
                list(pool.map(fetch_schema, sources))
            if CELL_HISTORY.offered(connection.settings):  # a chosen title no sheet has is almost always a typo
                titles = {
                    schema["title"]
                    for source in sources
                    if source.ref.kind == "sheet"
                    for schema in ((source.json_schema_if_known() or {}).get("properties") or {}).values()
                    if isinstance(schema, Mapping) and isinstance(schema.get("title"), str)  # columns, not row metadata
                }
                mistake = missing_titles(connection.settings.cell_history_columns, titles)
                if mistake is not None:
                    raise ConfigError(mistake)
            return AirbyteCatalog(streams=[stream.as_airbyte_stream() for stream in connection.streams if stream.in_catalog()])
        finally:
            connection.context.close()

    def read(
        self,
        logger: logging.Logger,
        config: Mapping[str, Any],
        catalog: ConfiguredAirbyteCatalog,
        state: list[AirbyteStateMessage] | None = None,
    ) -> Iterator[AirbyteMessage]:
        """Every configured stream gets ready for this sync (`prepare`), then the CDK reads them in order.

        A configured stream whose sheet is gone is reported, and its state is reset (keeping the sheet id), so that
        a sheet that comes back later is read in full rather than from a stale cursor.
        """
        incoming = {
            (message.stream.stream_descriptor.name, message.stream.stream_descriptor.namespace): _blob(
                message.stream.stream_state
            )
            for message in state or []
            if message.stream is not None
        }
        # A sheet renamed since the catalog was discovered keeps its stream: found by the id its schema or state names.
        saved_by_name = {name: body for (name, _), body in incoming.items()}
        configured = configured_sheets(
            ((c.stream.name, c.stream.namespace, c.stream.json_schema) for c in catalog.streams), saved_by_name
        )
        connection = self._connect(config, fresh=True, configured=configured)
        context = connection.context
        streams = {stream.name: stream for stream in connection.streams}  # as the CDK finds them: by name
        names = _SavedNames(incoming, connection.streams)
        context.saved_under = names.saved_under

        def reads_after_rows(configured: ConfiguredAirbyteStream) -> bool:
            stream = streams.get(configured.stream.name)
            return stream is not None and stream.read_after_rows

        # Read the rows first: the streams around rows then reuse what the row reads fetched.
        catalog = ConfiguredAirbyteCatalog(streams=sorted(catalog.streams, key=reads_after_rows))
        context.positions = {c.stream.name: f"{n} of {len(catalog.streams)}" for n, c in enumerate(catalog.streams, start=1)}
        for configured in catalog.streams:  # in any order: what each stream says it needs is used once all are ready
            key = (configured.stream.name, configured.stream.namespace)
            stream = streams.get(key[0])
            if stream is None:
                yield from self._missing(key, incoming.get(key, {}), names)
                continue
            declared = declared_fields(configured.stream.json_schema)
            if declared is not None:  # the types each sheet's stream declares (the inventory and cell history say them)
                context.declared.update(dict.fromkeys(stream.sheet_ids(), declared))
            stream.prepare(incoming.get(key, {}), configured.sync_mode, declared)
        context.start()
        try:
            yield from super().read(logger, config, catalog, state)
        finally:
            context.close()

    def _missing(self, key: tuple[str, str | None], saved: Mapping[str, Any], names: _SavedNames) -> Iterator[AirbyteMessage]:
        """A configured stream the config no longer makes: said, and a sheet stream's cursor reset (keeping its sheet id)."""
        if key[0] in RESERVED_NAMES and key[1] is None:
            logger.warning(
                "Stream %s: the config no longer makes it (no sheet, no workspace or no column selected for it); it is skipped.",
                key[0],
            )
            return
        if names.warn_if_renamed(key):
            return
        logger.warning(
            "Stream %s: its sheet was not found (deleted, unshared, moved out of the workspaces, or renamed); "
            "it is skipped. Refresh the source schema if it was renamed.",
            key[0],
        )
        sheet_id = whole_int(saved.get("sheet_id"))
        if sheet_id is not None:
            yield _state_message(key, SheetState(sheet_id).to_message())

    def streams(self, config: Mapping[str, Any]) -> list[Stream]:
        """One stream per sheet or report (or per merged group of sheets), then the streams around rows."""
        return list(self._connect(config).streams)

    def _connect(
        self, config: Mapping[str, Any], fresh: bool = False, configured: Mapping[int, Configured] | None = None
    ) -> _Connection:
        """The settings, the read context and the streams of a config, worked out once per command (the CDK asks
        for the streams more than once); `fresh` at a command's start, so that a source object used again never
        carries one command's pages, responses or date into the next. `configured`: what a read's catalog names for
        each sheet, which renamed sheets keep."""
        key = json.dumps(config, sort_keys=True, default=str)
        if fresh or self._connection is None or self._connection.key != key:
            settings = parse_config(config)
            _say_ignored(settings)
            client = SmartsheetClient(settings, clock=self._clock, sleep=self._sleep)
            context = ReadContext.of(settings, client, self._now())
            self._connection = _Connection(key, context, _streams(context, configured or {}))
        return self._connection


CHECK_TITLES_OF = 20  # check looks at the chosen cell history titles when this few sheets are selected: within its time


def _history_titles_mistake(client: SmartsheetClient, settings: SmartsheetConfig, objects: Iterable[ObjectRef]) -> str | None:
    """A `cell_history_columns` title no selected sheet has, said by `check` where it can look at every sheet's
    columns within its time bound (one small page each)."""
    sheets = [ref for ref in objects if ref.kind == "sheet"]
    if not settings.cell_history_columns or len(sheets) > CHECK_TITLES_OF:
        return None
    titles: set[str] = set()
    for ref in sheets:
        page = unless_gone(partial(client.sheet_page, ref.id, ONE_ROW), ref.name, logger.debug, as_traced=False)
        if page is None:
            return None  # a sheet gone since it was listed: not every title is known
        titles.update(column["title"] for column in page.get("columns") or () if isinstance(column.get("title"), str))
    return missing_titles(settings.cell_history_columns, titles)


def _say_ignored(settings: SmartsheetConfig) -> None:
    for warning in settings.ignored_settings:
        logger.warning(warning)


def counted(objects: Iterable[ObjectRef]) -> str:
    """`7 sheets and 1 report`: what a config selects, each kind counted as itself."""
    kinds = Counter(ref.kind for ref in objects)
    parts = [counted_noun(count, kind) for kind, count in sorted(kinds.items(), key=lambda item: item[0] != "sheet")]
    return " and ".join(parts) or "nothing"


def _streams(context: ReadContext, configured: Mapping[int, Configured]) -> list[SmartsheetStream]:
    """The config's streams, in catalog order: each sheet's and report's own (by name), the merged streams, then the
    streams around rows and cell history (when a sheet is selected), then the account streams. A sheet renamed since
    the read's catalog was discovered keeps the name and namespace the catalog has for it (`renames.py`)."""
    try:
        discovered = discover_objects(context.client, context.settings, reserved=RESERVED_NAMES)
    except SmartsheetApiError as error:
        raise traced(error, error.path, context.settings.token_home) from None
    if discovered.unreachable and not discovered.objects:
        # Nothing configured can be reached: that is a configuration to fix, not a sync to run.
        raise ConfigError(" ".join(unreachable.message for unreachable in discovered.unreachable))
    for unreachable in discovered.unreachable:
        logger.warning("%s It is left out of this run.", unreachable.message)
    discovered.objects, renamed = follow_renames(discovered.objects, configured, RESERVED_NAMES)
    for warning in renamed:
        logger.warning("%s", warning)
    by_id = {ref.id: ref for ref in discovered.objects}
    streams: list[SmartsheetStream] = [OBJECT_STREAMS[ref.kind](ref, context) for ref in discovered.objects if ref.merged is None]
    streams.sort(key=lambda stream: stream.name)
    for group in sorted(discovered.merged, key=lambda group: group.base_name):
        streams.append(MERGED(group, [by_id[sheet_id] for sheet_id in group.member_ids], context))
    if any(ref.kind == "sheet" for ref in discovered.objects):
        streams += [kind(discovered.objects, context) for kind in AROUND_ROWS]
        if CELL_HISTORY.offered(context.settings):
            streams.append(CELL_HISTORY(discovered.objects, context))
    streams += [kind(discovered, context) for kind in ACCOUNT]
    return streams


@dataclass(frozen=True)
class _Connection:
    """What one config resolves to for a command: the read context (settings, client...) and the streams."""

    key: str
    context: ReadContext
    streams: list[SmartsheetStream]

    @property
    def settings(self) -> SmartsheetConfig:
        return self.context.settings


class _SavedNames:
    """States saved under a stream name that is not the sheet's name any more (a renamed sheet, or 0.2.0's naming rule)."""

    def __init__(self, incoming: Mapping[tuple[str, str | None], dict[str, Any]], streams: Iterable[SmartsheetStream]) -> None:
        self._incoming = incoming
        self._by_sheet = {sheet_id: stream for stream in streams for sheet_id in stream.sheet_ids()}
        # sheet id -> the stream name its saved state came under
        self.saved_under = {
            sheet_id: key[0] for key, body in incoming.items() if (sheet_id := whole_int(body.get("sheet_id"))) is not None
        }

    def warn_if_renamed(self, key: tuple[str, str | None]) -> bool:
        """A configured stream that no sheet has by that name, though its state's sheet is another stream now."""
        saved = self._incoming.get(key, {})
        sheet_id = whole_int(saved.get("sheet_id"))
        renamed = self._by_sheet.get(sheet_id) if sheet_id is not None else None
        if renamed is None and isinstance(saved.get("sheets"), Mapping):  # a merged stream's state: its sheets by id
            merged = {self._by_sheet.get(int(i)) for i in saved["sheets"] if str(i).isdigit()} - {None}
            renamed = merged.pop() if len(merged) == 1 else None
            keeps = renamed.name_kept_by(key[0]) if renamed is not None else None
            if keeps is not None:
                logger.warning("Stream %s: %s", key[0], keeps)
                return True
        if renamed is not None and renamed.merges_sheets:
            logger.warning(
                "Stream %s: its sheet is in the merged stream %s now (merge_streams); it is skipped. Refresh the source "
                "schema: %s is read in full.",
                key[0],
                renamed.name,
                renamed.name,
            )
        elif renamed is not None:
            logger.warning(
                "Stream %s is called %s now (its sheet was renamed, or the naming rule of version 0.2.0 renamed it: "
                "names are ASCII); it is skipped. Refresh the source schema: %s will be read in full.",
                key[0],
                renamed.name,
                renamed.name,
            )
        return renamed is not None


def _state_message(key: tuple[str, str | None], body: dict[str, Any]) -> AirbyteMessage:
    name, namespace = key
    return AirbyteMessage(
        type=MessageType.STATE,
        state=AirbyteStateMessage(
            type=AirbyteStateType.STREAM,
            stream=AirbyteStreamState(
                stream_descriptor=StreamDescriptor(name=name, namespace=namespace),
                stream_state=AirbyteStateBlob(body),
            ),
        ),
    )


def _blob(state: Any) -> dict[str, Any]:
    if isinstance(state, Mapping):
        return dict(state)
    return dict(vars(state)) if state is not None else {}
