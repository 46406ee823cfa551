"""What the streams around rows fetch per sheet, each at most once a run, a few sheets ahead.

Each kind of response is a `Response`: its name and the client call that fetches it for one sheet. A stream
says which one it reads; streams that read the same one share it (`sheet_summaries` and `sheet_summary_fields`
the summary, `discussions` and `comments` the discussions with their comments, `sheets` and `columns` the
sheet's first page, `HEAD`). Every prepared stream plans its sheets before the first request (`plan`), and a
response is kept until each stream that planned it has taken it. A sheet's first page that a row read or
discover already fetched in this run (`keep_head`) costs nothing more. Fetches run `workers` sheets ahead on
threads, within the client's pacing like every other request.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from ..client import SmartsheetClient
from .pages import page_params

HEAD_PARAMS = page_params(1)


def head_of(page: Mapping[str, Any]) -> dict[str, Any]:
    """A sheet's page without its rows: the sheet's own keys and its columns."""
    return {key: value for key, value in page.items() if key != "rows"}


@dataclass(frozen=True)
class Response:
    """One kind of per-sheet response: its name, how it is fetched for one sheet, and (`from_head`) how to take it
    from the sheet's first page when that page already carries it (None: it does not)."""

    name: str
    fetch: Callable[[SmartsheetClient, int], Any]
    from_head: Callable[[Mapping[str, Any]], Any] | None = None
    from_read: Callable[[RiddenRead], Any] | None = None  # from what rode on a complete read's pages (None: it cannot)


@dataclass(frozen=True)
class RiddenRead:
    """What a complete read of a sheet in this run carried: its discussions (without comments, with their comments'
    attachments) and its sheet's and rows' attachments."""

    discussions: list[dict[str, Any]]
    attachments: list[dict[str, Any]]


HEAD = Response("head", lambda client, sheet_id: head_of(client.sheet_page(sheet_id, HEAD_PARAMS)))


class SheetResponses:
    def __init__(self, client: SmartsheetClient, workers: int) -> None:
        self._client = client
        self._workers = max(1, workers)
        self._heads: dict[int, dict[str, Any]] = {}
        self._reads: dict[int, RiddenRead] = {}
        self._futures: dict[tuple[str, int], Future[Any]] = {}
        self._wanted: Counter[tuple[str, int]] = Counter()
        self._order: dict[str, list[int]] = {}
        self._position: dict[str, dict[int, int]] = {}
        self._fetch: dict[str, Response] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def keep_head(self, sheet_id: int, page: Mapping[str, Any]) -> None:
        self._heads[sheet_id] = head_of(page)

    def known_head(self, sheet_id: int) -> dict[str, Any] | None:
        return self._heads.get(sheet_id)

    def keep_read(self, sheet_id: int, discussions: list[dict[str, Any]], attachments: list[dict[str, Any]]) -> None:
        self._reads[sheet_id] = RiddenRead(discussions, attachments)

    def free(self, response: Response, sheet_id: int) -> Any:
        """The response from what a read in this run already fetched (a first page, a complete read), or None (it
        costs a request)."""
        head, read = self._heads.get(sheet_id), self._reads.get(sheet_id)
        found = response.from_head(head) if head is not None and response.from_head is not None else None
        if found is None and read is not None and response.from_read is not None:
            found = response.from_read(read)
        return found

    def plan(self, response: Response, sheet_ids: Iterable[int]) -> None:
        """One stream will take `response` for these sheets, in this order."""
        with self._lock:
            self._fetch[response.name] = response
            order = self._order.setdefault(response.name, [])
            position = self._position.setdefault(response.name, {})
            for sheet_id in sheet_ids:
                self._wanted[(response.name, sheet_id)] += 1
                if sheet_id not in position:
                    position[sheet_id] = len(order)
                    order.append(sheet_id)

    def take(self, response: Response, sheet_id: int) -> Any:
        """The response (raising the API's error for that sheet, if it failed)."""
        key = (response.name, sheet_id)
        with self._lock:
            self._fetch.setdefault(response.name, response)
            ridden = self.free(response, sheet_id)
            if ridden is not None:
                if key in self._wanted:
                    self._done(key)
                return ridden
            if response is HEAD and sheet_id in self._heads and key not in self._futures:
                self._done(key)
                return self._heads[sheet_id]
            self._submit_ahead(response.name, sheet_id)
            future = self._futures.get(key) or self._submit(key)
        try:
            fetched = future.result()
        finally:
            with self._lock:
                self._done(key)
        if response is HEAD:
            self._heads[sheet_id] = fetched
        return fetched

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._futures.clear()

    def _done(self, key: tuple[str, int]) -> None:
        self._wanted[key] -= 1
        if self._wanted[key] <= 0:
            del self._wanted[key]
            self._futures.pop(key, None)

    def _submit_ahead(self, name: str, sheet_id: int) -> None:
        start = self._position.get(name, {}).get(sheet_id)
        if start is None:
            return
        for other in self._order[name][start : start + self._workers]:
            key = (name, other)
            if key in self._futures or self._wanted[key] <= 0 or (name == HEAD.name and other in self._heads):
                continue
            if self.free(self._fetch[name], other) is not None:
                continue
            self._submit(key)

    def _submit(self, key: tuple[str, int]) -> Future[Any]:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="around-rows")
        name, sheet_id = key
        future = self._pool.submit(self._fetch[name].fetch, self._client, sheet_id)
        self._futures[key] = future
        return future
