"""What the streams around rows fetch per sheet, each at most once a run, a few sheets ahead.

Two streams read the same answer (`sheet_summaries` and `sheet_summary_fields` the summary, `discussions`
and `comments` the discussions with their comments, `sheets` and `columns` the sheet's first page): the
read plans every selected stream's sheets before the first request (`plan`), and an answer is kept until
each stream that planned it has taken it. A sheet's first page that a row read or discover already
fetched in this run (`keep_head`) costs nothing more. Fetches run `workers` sheets ahead on threads,
within the client's pacing like every other request.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Iterable, Mapping

from ..client import SmartsheetClient
from .pages import READ_PARAMS

HEAD, SUMMARY, DISCUSSIONS, ATTACHMENTS = "head", "summary", "discussions", "attachments"
HEAD_PARAMS = {**READ_PARAMS, "page": 1, "pageSize": 1}


def head_of(page: Mapping[str, Any]) -> dict[str, Any]:
    """A sheet's page without its rows: the sheet's own keys and its columns."""
    return {key: value for key, value in page.items() if key != "rows"}


class SheetAnswers:
    def __init__(self, client: SmartsheetClient, workers: int) -> None:
        self._fetch: dict[str, Callable[[int], Any]] = {
            HEAD: lambda sheet_id: head_of(client.sheet_page(sheet_id, HEAD_PARAMS)),
            SUMMARY: client.sheet_summary,
            DISCUSSIONS: client.discussions,
            ATTACHMENTS: client.attachments,
        }
        self._workers = max(1, workers)
        self._heads: dict[int, dict[str, Any]] = {}
        self._futures: dict[tuple[str, int], Future[Any]] = {}
        self._wanted: Counter[tuple[str, int]] = Counter()
        self._order: dict[str, list[int]] = {}
        self._position: dict[str, dict[int, int]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.declared: dict[int, Mapping[str, Any]] = {}  # sheet id -> the fields its row stream declares in this read

    def keep_head(self, sheet_id: int, page: Mapping[str, Any]) -> None:
        self._heads[sheet_id] = head_of(page)

    def known_head(self, sheet_id: int) -> dict[str, Any] | None:
        return self._heads.get(sheet_id)

    def plan(self, kind: str, sheet_ids: Iterable[int]) -> None:
        """One stream will take `kind` for these sheets, in this order."""
        with self._lock:
            order = self._order.setdefault(kind, [])
            position = self._position.setdefault(kind, {})
            for sheet_id in sheet_ids:
                self._wanted[(kind, sheet_id)] += 1
                if sheet_id not in position:
                    position[sheet_id] = len(order)
                    order.append(sheet_id)

    def take(self, kind: str, sheet_id: int) -> Any:
        """The answer (raising the API's error for that sheet, if it failed)."""
        key = (kind, sheet_id)
        with self._lock:
            if kind == HEAD and sheet_id in self._heads and key not in self._futures:
                self._done(key)
                return self._heads[sheet_id]
            self._submit_ahead(kind, sheet_id)
            future = self._futures.get(key) or self._submit(key)
        try:
            answer = future.result()
        finally:
            with self._lock:
                self._done(key)
        if kind == HEAD:
            self._heads[sheet_id] = answer
        return answer

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

    def _submit_ahead(self, kind: str, sheet_id: int) -> None:
        start = self._position.get(kind, {}).get(sheet_id)
        if start is None:
            return
        for other in self._order[kind][start : start + self._workers]:
            key = (kind, other)
            if key in self._futures or self._wanted[key] <= 0 or (kind == HEAD and other in self._heads):
                continue
            self._submit(key)

    def _submit(self, key: tuple[str, int]) -> Future[Any]:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="around-rows")
        kind, sheet_id = key
        future = self._pool.submit(self._fetch[kind], sheet_id)
        self._futures[key] = future
        return future
