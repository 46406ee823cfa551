"""Walk a sheet page by page (docs/smartsheet-api.md: GET /sheets/{id} paging), fetching ahead.

While one page is turned into records, the next two are already on their way (as raw bytes: one
parsed page at a time is in memory). Across sheets, a `FirstPagePrefetcher` fetches the first page of the next
few sheets while the current one is read: a workspace of many small sheets then costs about one
round trip per few sheets instead of one per sheet. Both stay within the client's pacing.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Generator, Mapping

import orjson

from ..client import SmartsheetClient

# Typed multi-value columns need level=2 with objectValue; writerInfo adds createdBy/modifiedBy.
READ_PARAMS = {"level": 2, "include": "objectValue,writerInfo"}
LEAN_INCLUDE = {"include": "writerInfo"}  # for sheets with no column that needs objectValue
PAGES_AHEAD = 2  # transfers in flight while a page is turned into records

Fetch = Callable[[int, Mapping[str, Any]], dict[str, Any]]


class MalformedSheet(ValueError):
    """A page that is not what the API promises."""


# A sheet's summary rides on its first page: Smartsheet's SDKs offer `include=summary` (the REST reference does not
# list it, docs/smartsheet-api.md "Around rows"); where the answer carries `summary`, the summary streams take it
# from there instead of asking `GET /sheets/{id}/summary` (`responses.SUMMARY`). A few hundred bytes a sheet.
FIRST_PAGE_INCLUDE = "summary"


def page_params(page_size: int, page: int = 1, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    params = {**READ_PARAMS, **(extra or {}), "page": page, "pageSize": page_size}
    if page == 1:
        params["include"] = f"{params['include']},{FIRST_PAGE_INCLUDE}"
    return params


def walk_pages(
    client: SmartsheetClient,
    sheet_id: int,
    page_size: int,
    extra: Mapping[str, Any] | None = None,
    first_page: Fetch | None = None,
) -> Generator[dict[str, Any], None, None]:
    """Every page of a sheet, in order.

    A page past the end repeats the last page instead of coming back empty, and with
    `rowsModifiedSince` a page in the middle can be empty while later ones are not (paging comes
    before the filter): so the walk stops on `totalRowCount`, re-read on every page, never on an
    empty page.
    """
    fetch_first = first_page or client.sheet_page
    with ThreadPoolExecutor(max_workers=PAGES_AHEAD, thread_name_prefix=f"sheet-{sheet_id}") as pool:
        page = 1
        body: dict[str, Any] | None = fetch_first(sheet_id, page_params(page_size, 1, extra))
        ahead: deque[Future[bytes]] = deque()
        requested = 1
        while body is not None:
            total = body.get("totalRowCount")
            if not isinstance(total, int) or not isinstance(body.get("columns"), list):
                raise MalformedSheet(f"page {page} of sheet {sheet_id} has no totalRowCount or columns")
            last = max(1, math.ceil(total / page_size))
            # Only the transfers happen ahead (raw bytes are a fraction of a parsed page); parsing stays
            # on this thread, which holds the GIL for it anyway.
            while requested < last and len(ahead) < PAGES_AHEAD:
                requested += 1
                ahead.append(pool.submit(client.sheet_page_bytes, sheet_id, page_params(page_size, requested, extra)))
            yield body
            body = None  # let this page go before the next one is taken
            if not ahead:
                return
            page += 1
            body = _parse(ahead.popleft().result(), client, sheet_id, page_params(page_size, page, extra))


def _parse(raw: bytes, client: SmartsheetClient, sheet_id: int, params: Mapping[str, Any]) -> dict[str, Any]:
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return client.sheet_page(sheet_id, params)  # a body cut short: ask again, with retries
    if not isinstance(parsed, dict):
        raise MalformedSheet(f"a page of sheet {sheet_id} is not a JSON object")
    return parsed


class FirstPagePrefetcher:
    """Fetches the first pages of the sheets to be read next, a few at a time, in read order."""

    def __init__(self, client: SmartsheetClient, depth: int = 3) -> None:
        self._client = client
        self._depth = depth
        self._pool = ThreadPoolExecutor(max_workers=depth, thread_name_prefix="prefetch")
        self._lock = threading.Lock()
        self._queue: list[tuple[int, dict[str, Any]]] = []
        self._pending: dict[int, tuple[dict[str, Any], Future[dict[str, Any]]]] = {}

    def plan(self, requests: list[tuple[int, dict[str, Any]]]) -> None:
        """The (sheet id, first-page params) of the sheets that will be read, in order."""
        with self._lock:
            self._queue = list(requests)
            self._fill()

    def _fill(self) -> None:
        while self._queue and len(self._pending) < self._depth:
            sheet_id, params = self._queue.pop(0)
            self._pending[sheet_id] = (params, self._pool.submit(self._client.sheet_page, sheet_id, params))

    def take(self, sheet_id: int, params: Mapping[str, Any]) -> dict[str, Any]:
        """The first page, prefetched when the plan had it with these params; fetched now otherwise."""
        with self._lock:
            entry = self._pending.pop(sheet_id, None)
            self._queue = [item for item in self._queue if item[0] != sheet_id]
            self._fill()
        if entry is not None and entry[0] == dict(params):
            return entry[1].result()
        return self._client.sheet_page(sheet_id, params)

    def close(self) -> None:
        with self._lock:
            self._queue = []
        self._pool.shutdown(wait=True, cancel_futures=True)
