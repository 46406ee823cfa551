"""What every stream of one command shares, made once per command and handed to each stream when it is built.

A read goes in two steps (`source.read`): every configured stream gets ready from its saved state, sync mode and
declared schema (`SmartsheetStream.prepare`), saying here what it needs; then `start` decides what to fetch from
what they all said, and fetches it ahead, and the CDK reads the streams in order. What a stream says here is read
only after every stream is prepared, so the order they are prepared in changes nothing. No stream writes here for
another to read: what the command knows (the declared fields, the names states were saved under) the source sets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Mapping

from ..client import SmartsheetClient
from ..config import SmartsheetConfig
from ..fetch.pages import Fetch, FirstPagePrefetcher
from ..fetch.responses import SheetResponses


@dataclass
class ReadContext:
    settings: SmartsheetConfig
    client: SmartsheetClient
    responses: SheetResponses  # per-sheet answers the streams around rows share (and the first pages they reuse)
    now: datetime  # when this command began, on the connector's clock (the recheck schedule's present)
    declared: dict[int, Mapping[str, Any]] = field(default_factory=dict)  # sheet id -> what the catalog declares
    positions: dict[str, str] = field(default_factory=dict)  # stream name -> "3 of 15", for progress lines
    saved_under: dict[int, str] = field(default_factory=dict)  # sheet id -> the stream name its incoming state has
    rides: set[str] = field(default_factory=set)  # what the streams around rows ask complete row reads to carry
    _first_pages: list[tuple[int, Callable[[str], dict[str, Any]]]] = field(default_factory=list)
    _prefetcher: FirstPagePrefetcher | None = None

    @classmethod
    def of(cls, settings: SmartsheetConfig, client: SmartsheetClient, now: datetime) -> ReadContext:
        return cls(settings, client, SheetResponses(client, settings.prefetch_sheets), now)

    def position(self, stream: str) -> str:
        return self.positions.get(stream, "")

    def plan_first_page(self, sheet_id: int, params: Callable[[str], dict[str, Any]]) -> None:
        """A row read will start with this request (`params` of what rides on complete reads): fetched ahead once every
        stream is prepared."""
        self._first_pages.append((sheet_id, params))

    def ridden(self) -> str:
        """What complete row reads carry for the streams around rows (`discussions,attachments`), once all are prepared."""
        return ",".join(sorted(self.rides))

    def start(self) -> None:
        """Every stream is prepared: the first pages they planned are fetched, a few sheets ahead."""
        if self.settings.prefetch_sheets >= 1:
            self._prefetcher = FirstPagePrefetcher(self.client, self.settings.prefetch_sheets)
            rides = self.ridden()
            self._prefetcher.plan([(sheet_id, params(rides)) for sheet_id, params in self._first_pages])
        self._first_pages = []

    def first_page(self) -> Fetch | None:
        """How a row read takes its first page (None: it asks for it itself)."""
        return self._prefetcher.take if self._prefetcher is not None else None

    def close(self) -> None:
        self.responses.close()
        if self._prefetcher is not None:
            self._prefetcher.close()
            self._prefetcher = None
