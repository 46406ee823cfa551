"""The Airbyte source: `check` and `streams`; `spec`, `discover` and `read` come from airbyte-cdk."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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
    SyncMode,
)
from airbyte_cdk.models import Type as MessageType
from airbyte_cdk.sources import AbstractSource
from airbyte_cdk.sources.streams import Stream

from .client import CHECK, SmartsheetClient
from .config import ConfigError, SmartsheetConfig, parse_config
from .discovery import ObjectRef, discover_objects
from .errors import Action, SmartsheetApiError, explain, traced
from .log_volume import quiet_cdk_bookkeeping
from .schema_mapping.naming import OWN_STREAMS
from .schema_mapping.sheet_fields import declared_fields
from .spec import build_spec
from .state.cursor import SheetState
from .streams import SHEET_PART_STREAMS, STREAM_OF_KIND
from .streams.base import SmartsheetStream
from .streams.merged_stream import MergedStream
from .streams.pages import FirstPagePrefetcher
from .streams.sheet_answers import SheetAnswers
from .streams.sheet_parts import SheetPartStream
from .streams.sheet_stream import SheetStream

logger = logging.getLogger("airbyte")


class SourceSmartsheets(AbstractSource):
    """Smartsheet sheets as Airbyte streams, one per sheet."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        """`clock` and `sleep` are what pacing and retries wait on (a test runs them on the emulator's clock)."""
        super().__init__()
        self._connection: _Connection | None = None
        self._clock, self._sleep = clock, sleep
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
        # Bounded: an answer within ~25 s, whatever the host does.
        client = SmartsheetClient(settings, limits=CHECK, clock=self._clock, sleep=self._sleep)
        try:
            user = client.current_user()
            discovered = discover_objects(client, settings)
        except SmartsheetApiError as error:
            message = explain(error, "the token's user" if error.path == "/users/me" else error.path, settings.region)
            if error.status is not None and error.action is Action.RETRY:  # only 429s and 5xx within check's budget
                message = f"Smartsheet is unavailable or rate-limiting this token; try again later. {message}"
            return False, message
        except ConfigError as error:
            return False, error.message
        if discovered.problems:
            return False, " ".join(problem.message for problem in discovered.problems)
        if not discovered.objects:
            return False, "The configured workspaces hold no sheet that the name filters let through."
        logger.info("Connected as %s; %s to sync.", user.get("email"), counted(discovered.objects))
        return True, None

    def discover(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteCatalog:
        """The catalog, with each sheet's schema fetched a few at a time (one request per sheet), then the
        streams around rows (the summary table's schema reuses those pages: `hasSummaryFields`).

        A sheet that vanished since it was listed is left out with a warning.
        """
        connection = self._connect(config)
        own = [stream for stream in connection.streams if isinstance(stream, SmartsheetStream)]
        merged = [stream for stream in connection.streams if isinstance(stream, MergedStream)]
        streams: list[Stream] = [*own, *(member for stream in merged for member in stream.members)]
        workers = max(1, connection.settings.prefetch_sheets)

        def schema(stream: Stream) -> Stream | None:
            try:
                stream.get_json_schema()
                return stream
            except SmartsheetApiError as error:
                if error.action is not Action.SKIP_SHEET:
                    raise traced(error, getattr(stream, "label", stream.name)) from None
                logger.warning("%s It is left out of the catalog.", explain(error, getattr(stream, "label", stream.name)))
                return None

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="discover") as pool:
            ready: list[Stream] = [
                stream
                for stream in pool.map(schema, streams)
                if isinstance(stream, SmartsheetStream) and stream.ref.merged is None
            ]
        ready += [stream for stream in merged if any(member.json_schema_if_known() for member in stream.members)]
        try:
            ready += [stream for stream in connection.streams if isinstance(stream, SheetPartStream)]
            return AirbyteCatalog(streams=[stream.as_airbyte_stream() for stream in ready])
        except SmartsheetApiError as error:
            raise traced(error, error.path, connection.settings.region) from None
        finally:
            connection.answers.close()

    def read(
        self,
        logger: logging.Logger,
        config: Mapping[str, Any],
        catalog: ConfiguredAirbyteCatalog,
        state: list[AirbyteStateMessage] | None = None,
    ) -> Iterator[AirbyteMessage]:
        """The CDK's read, after dealing with configured streams whose sheet is gone.

        Such a stream is reported, and its state is reset (keeping the sheet id), so that a sheet
        that comes back later is read in full rather than from a stale cursor.
        """
        connection = self._connect(config)
        streams = {(stream.name, stream.namespace): stream for stream in connection.streams}
        incoming = {
            (message.stream.stream_descriptor.name, message.stream.stream_descriptor.namespace): _blob(
                message.stream.stream_state
            )
            for message in state or []
            if message.stream is not None
        }
        first_pages: list[tuple[int, dict[str, Any]]] = []
        total = len(catalog.streams)
        names = _SavedNames(incoming, streams.values())
        # The rows first: the streams around rows then reuse the first pages the row reads fetched.
        catalog = ConfiguredAirbyteCatalog(streams=sorted(catalog.streams, key=_around_rows))
        for position, configured in enumerate(catalog.streams, start=1):
            key = (configured.stream.name, configured.stream.namespace)
            stream = streams.get(key)
            saved = incoming.get(key, {})
            incremental = configured.sync_mode == SyncMode.incremental
            declared = declared_fields(configured.stream.json_schema)
            if stream is None:
                yield from self._missing(key, saved, names)
                continue
            if isinstance(stream, (SmartsheetStream, SheetPartStream, MergedStream)):
                stream.position = f"{position} of {total}"
            if isinstance(stream, SheetPartStream):
                stream.prepare(saved, incremental)
                continue
            if isinstance(stream, MergedStream):
                sheets = list(zip(stream.members, stream.prepare(saved, incremental, declared), strict=True))
                for member in stream.members:
                    member.position = stream.position
            elif isinstance(stream, SheetStream):
                names.warn_if_saved_under_another_name(key, stream)
                sheets = [(stream, stream.prepare(saved, incremental, declared))]
            else:
                continue  # a report: nothing to decide before its read
            for sheet, prepared in sheets:  # each sheet's columns for the inventory, and its first page fetched ahead
                if declared is not None:
                    connection.answers.declared[sheet.ref.id] = declared
                if prepared.plan is not None:
                    first_pages.append((sheet.ref.id, prepared.plan.first_page_params(connection.settings.page_size)))
        prefetcher = _prefetcher(connection)
        if prefetcher is not None:
            prefetcher.plan(first_pages)
            for stream in streams.values():
                for reader in stream.members if isinstance(stream, MergedStream) else [stream]:
                    if isinstance(reader, SheetStream):
                        reader.prefetcher = prefetcher
        try:
            yield from super().read(logger, config, catalog, state)
        finally:
            connection.answers.close()
            if prefetcher is not None:
                prefetcher.close()

    def _missing(self, key: tuple[str, str | None], saved: Mapping[str, Any], names: _SavedNames) -> Iterator[AirbyteMessage]:
        """A configured stream the config no longer makes: said, and a sheet stream's cursor reset (keeping its sheet id)."""
        if key[0] in OWN_STREAMS and key[1] is None:
            logger.warning("Stream %s: the config selects no sheet now; it is skipped.", key[0])
            return
        if names.warn_if_renamed(key):
            return
        logger.warning(
            "Stream %s: its sheet was not found (deleted, unshared, moved out of the workspaces, or renamed); "
            "it is skipped. Refresh the source schema if it was renamed.",
            key[0],
        )
        sheet_id = saved.get("sheet_id")
        if isinstance(sheet_id, int):
            yield _state_message(key, SheetState(sheet_id).to_message())

    def streams(self, config: Mapping[str, Any]) -> list[Stream]:
        """One stream per sheet or report."""
        return list(self._connect(config).streams)

    def _connect(self, config: Mapping[str, Any]) -> _Connection:
        """The settings, the client and the streams of a config, worked out once per command (the CDK asks
        for the streams more than once)."""
        key = json.dumps(config, sort_keys=True, default=str)
        if self._connection is None or self._connection.key != key:
            settings = parse_config(config)
            client = SmartsheetClient(settings, clock=self._clock, sleep=self._sleep)
            answers = SheetAnswers(client, settings.prefetch_sheets)
            self._connection = _Connection(key, settings, client, answers, _discover_streams(client, settings, answers))
        return self._connection


def counted(objects: Iterable[ObjectRef]) -> str:
    """`7 sheets and 1 report`: what a config selects, each kind counted as itself."""
    kinds = Counter(ref.kind for ref in objects)
    parts = [
        f"{count} {kind}{'' if count == 1 else 's'}" for kind, count in sorted(kinds.items(), key=lambda item: item[0] != "sheet")
    ]
    return " and ".join(parts) or "nothing"


def _discover_streams(client: SmartsheetClient, settings: SmartsheetConfig, answers: SheetAnswers) -> list[Stream]:
    try:
        discovered = discover_objects(client, settings)
    except SmartsheetApiError as error:
        raise traced(error, error.path, settings.region) from None
    if discovered.problems and not discovered.objects:
        # Nothing configured can be reached: that is a configuration to fix, not a sync to run.
        raise ConfigError(" ".join(problem.message for problem in discovered.problems))
    for problem in discovered.problems:
        logger.warning("%s It is left out of this run.", problem.message)
    streams: list[Stream] = []
    members: dict[int, SheetStream] = {}
    for ref in discovered.objects:
        stream = STREAM_OF_KIND[ref.kind](ref, client, settings)
        stream.answers = answers
        if ref.merged is not None and isinstance(stream, SheetStream):
            members[ref.id] = stream
        else:
            streams.append(stream)
    for group in discovered.merged:
        streams.append(MergedStream(group, [members[sheet_id] for sheet_id in group.member_ids], settings))
    streams.sort(key=lambda stream: stream.name)
    if any(ref.kind == "sheet" for ref in discovered.objects):
        streams += [kind(discovered.objects, client, settings, answers) for kind in SHEET_PART_STREAMS]
    return streams


@dataclass(frozen=True)
class _Connection:
    """What one config resolves to for a command: its settings, its client and its streams."""

    key: str
    settings: SmartsheetConfig
    client: SmartsheetClient
    answers: SheetAnswers
    streams: list[Stream]


def _prefetcher(connection: _Connection) -> FirstPagePrefetcher | None:
    if connection.settings.prefetch_sheets < 1:
        return None
    return FirstPagePrefetcher(connection.client, connection.settings.prefetch_sheets)


class _SavedNames:
    """States saved under a stream name that is not the sheet's name any more (a renamed sheet, or 0.2.0's naming rule)."""

    def __init__(self, incoming: Mapping[tuple[str, str | None], dict[str, Any]], streams: Iterable[Stream]) -> None:
        self._incoming = incoming
        self._by_sheet: dict[int, Stream] = {stream.ref.id: stream for stream in streams if isinstance(stream, SheetStream)}
        for merged in streams:
            self._by_sheet.update({member.ref.id: merged for member in getattr(merged, "members", [])})
        self._saved_under = {body["sheet_id"]: key for key, body in incoming.items() if isinstance(body.get("sheet_id"), int)}

    def warn_if_renamed(self, key: tuple[str, str | None]) -> bool:
        """A configured stream that no sheet has by that name, though its state's sheet is another stream now."""
        sheet_id = self._incoming.get(key, {}).get("sheet_id")
        renamed = self._by_sheet.get(sheet_id) if isinstance(sheet_id, int) else None
        if isinstance(renamed, MergedStream):
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

    def warn_if_saved_under_another_name(self, key: tuple[str, str | None], stream: SheetStream) -> None:
        old_key = self._saved_under.get(stream.ref.id)
        if key not in self._incoming and old_key is not None and old_key != key:
            logger.warning(
                "Stream %s: the state saved under its old name %s is not carried over (its sheet was renamed, or the "
                "naming rule of version 0.2.0 renamed it); it is read in full once.",
                stream.name,
                old_key[0],
            )


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


def _around_rows(configured: ConfiguredAirbyteStream) -> bool:
    return configured.stream.name in OWN_STREAMS and configured.stream.namespace is None


def _blob(state: Any) -> dict[str, Any]:
    if isinstance(state, Mapping):
        return dict(state)
    return dict(vars(state)) if state is not None else {}
