"""The one module the connector calls to talk to Smartsheet: the API's calls over three layers.

`transport` sends one request with explicit timeouts; `auth` holds the token (and refreshes OAuth);
this module's retry layer asks the error table (`errors.ANSWERS`) what each answer means, paces every
request (`pacing`) and spends the retry budget (`retry`). Responses are parsed straight from JSON
(orjson): the SDK's typed models are about 30x slower and re-serialise timestamps wrongly
(docs/smartsheet-api.md, SDK notes).

Until the host has answered once in this run, every request is bounded like `check`: a dead or wrong
host (refused, unknown name, TLS failure, a proxy's web page) is a config error within seconds, and a
host that never answers is given up within `PROBE`'s budget. After it has answered, transient failures
get the configured budget and timeouts.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping

from .auth import USER_AGENT, Auth
from .config import SmartsheetConfig
from .errors import Action, SmartsheetApiError, Transport
from .pacing import Pacer
from .retry import RetryBudget, parse_retry_after
from .transport import HttpTransport, Timeouts, body_of, error_of

__all__ = ["CHECK", "HISTORY_COST", "HISTORY_PER_MINUTE", "PROBE", "Limits", "SmartsheetClient", "USER_AGENT"]
logger = logging.getLogger("airbyte")
HISTORY_COST = 10  # "getting cell history ... counts as 10 requests" (docs/smartsheet-api.md)
HISTORY_PER_MINUTE = 30  # and, the current reference: history is "limited to 30 requests per minute per API token"
SHARES_PAGE = 100  # `GET /shares`' `maxItems`: its default and its minimum
WAIT_LOG_EVERY = 30.0  # seconds between two "waiting" lines: never silent, never flooding


@dataclass(frozen=True)
class Limits:
    """How long one request may be retried, with which timeouts, and by when the whole command must end."""

    retry_seconds: float
    timeouts: Timeouts
    deadline_seconds: float | None = None  # from the client's creation; None: no bound for the command
    strict: bool = False  # count the next try's longest answer in the budget, not only the wait before it


# `check` answers within ~25 s whatever the host does; the same bound holds before a host has ever answered.
CHECK = Limits(retry_seconds=15.0, timeouts=Timeouts(connect=5.0, read=8.0), deadline_seconds=25.0, strict=True)
PROBE = Limits(retry_seconds=15.0, timeouts=Timeouts(connect=5.0, read=8.0), strict=True)


class SmartsheetClient:
    """Raw-JSON access to the API with pacing, retries and (for OAuth) token refresh."""

    def __init__(
        self,
        config: SmartsheetConfig,
        sleep: Callable[[float], None] = time.sleep,
        pool_size: int = 8,
        clock: Callable[[], float] = time.monotonic,
        limits: Limits | None = None,
    ) -> None:
        self._config = config
        self._auth = Auth(config)
        self._transport = HttpTransport(pool_size)
        self._sleep = sleep
        self._clock = clock
        self._created = clock()
        self.pacer = Pacer(config.requests_per_minute, clock=clock, sleep=sleep)
        # Cell history's own limit, whatever requests_per_minute says: at most HISTORY_PER_MINUTE calls in any minute.
        self.history_pacer = Pacer(HISTORY_PER_MINUTE, clock=clock, sleep=sleep)
        self._workspace_scope_has_item = False  # has `GET /shares?sharingInclude=WORKSPACE` answered a sheet's own share?
        configured = Limits(config.max_retry_seconds, Timeouts(config.connect_timeout_seconds, config.read_timeout_seconds))
        self._fixed = limits  # `check`: the same bound for every request
        self._configured = configured
        self._retry_base = 0.5 if limits is not None else config.retry_initial_seconds
        self._reached = False  # has the host answered as the API at least once in this run?
        self._wait_log = _WaitLog(clock)
        self._rng = random.Random()  # the retries' jitter

    # ----- the retry layer ----------------------------------------------------------------------
    def get(self, path: str, params: Mapping[str, Any] | None = None, cost: int = 1, own_limit: Pacer | None = None) -> Any:
        """GET `path` (below /2.0) and return its parsed JSON, retrying what the error table says to retry; `cost`: how
        many requests the API counts it as (paced as that many); `own_limit`: the call's own limit, besides the token's."""
        return self._get(path, params, parse=True, cost=cost, own_limit=own_limit)

    def get_bytes(self, path: str, params: Mapping[str, Any] | None = None) -> bytes:
        """Like `get`, but the body unparsed: a page fetched ahead on a thread is parsed by its reader."""
        return self._get(path, params, parse=False)  # type: ignore[no-any-return]

    def _limits(self) -> Limits:
        if self._fixed is not None:
            return self._fixed
        return self._configured if self._reached else PROBE

    def _get(
        self, path: str, params: Mapping[str, Any] | None, parse: bool, cost: int = 1, own_limit: Pacer | None = None
    ) -> Any:
        started = self._clock()
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            self._auth.refresh_if_expiring()
            used_token = self._auth.token
            limits = self._limits()
            self.pacer.acquire(cost, also=own_limit)
            retry_after: float | None = None
            try:
                response = self._transport.send(self._auth.prepare(path, params), path, limits.timeouts)
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if 200 <= response.status_code < 300:
                    body = body_of(response, path, parse)
                    self._reached = True
                    return body
                error = error_of(response, path)
                self._reached = self._reached or error.code is not None  # an error in the API's own JSON
            except SmartsheetApiError as failure:
                error = failure
            action = error.action
            if action is Action.RETRY_ONCE_REACHED:
                action = Action.RETRY if self._reached and self._fixed is None else Action.CONFIG_ERROR
            if action is Action.REFRESH_TOKEN and self._auth.can_refresh and not refreshed:
                self._auth.refresh(used_token)
                refreshed = True
                continue
            if action is not Action.RETRY:
                raise error
            budget = RetryBudget(limits.retry_seconds, base=self._retry_base, rng=self._rng)
            delay = budget.delay(attempt, retry_after)
            if not self._may_retry(limits, budget, started, delay):
                raise error
            if error.status == 429:
                self.pacer.pause(delay)
            why = f"Smartsheet answered {error.status} for {path}" if error.status else f"No answer for {path} ({error.message})"
            self._wait_log.say(why, attempt, delay)
            self._sleep(delay)

    def _may_retry(self, limits: Limits, budget: RetryBudget, started: float, delay: float) -> bool:
        """Another try fits: its wait and its longest answer stay within the request's and the command's bounds."""
        now = self._clock()
        worst = delay + (limits.timeouts.read if limits.strict else 0.0)
        if not budget.allows(now - started, worst):
            return False
        return limits.deadline_seconds is None or now - self._created + worst <= limits.deadline_seconds

    # ----- calls ------------------------------------------------------------------------------
    def current_user(self) -> dict[str, Any]:
        return dict(self.get("/users/me"))

    def list_sheets(self) -> list[dict[str, Any]]:
        """Every sheet the token can see, with its `version`. `include=sheetVersion` "should not be combined with
        pagination" (the reference): one `includeAll` request, an IndexResult."""
        return self.index("/sheets", {"include": "sheetVersion,ownerInfo,source"})

    def children(self, kind: str, container_id: int) -> Iterator[dict[str, Any]]:
        """Sheets, templates, reports and folders directly inside a workspace or folder (token-paged). Templates are
        listed only with sheets in the same list (the SDK's changelog)."""
        params = {"childrenResourceTypes": "sheets,templates,reports,folders", "include": "source", "maxItems": 1000}
        return self.token_pages(f"/{kind}s/{container_id}/children", params)

    def workspace_metadata(self, workspace_id: int) -> dict[str, Any]:
        return dict(self.get(f"/workspaces/{workspace_id}/metadata"))

    def sheet_page(self, sheet_id: int, params: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self.get(f"/sheets/{sheet_id}", params))

    def report_page(self, report_id: int, params: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self.get(f"/reports/{report_id}", params))

    def sheet_summary(self, sheet_id: int) -> list[dict[str, Any]]:
        """The sheet's summary fields (none: the key is absent or the list empty)."""
        return list(self.get(f"/sheets/{sheet_id}/summary", {"include": "writerInfo"}).get("fields") or [])

    def discussions(self, sheet_id: int) -> list[dict[str, Any]]:
        """Every discussion on the sheet and its rows, each with its comments and their attachments (for their count)."""
        return self.index(f"/sheets/{sheet_id}/discussions", {"include": "comments,attachments"})

    def attachments(self, sheet_id: int) -> list[dict[str, Any]]:
        """Every attachment of the sheet, its rows and its comments."""
        return self.index(f"/sheets/{sheet_id}/attachments", {})

    def sheet_shares(self, sheet_id: int) -> list[dict[str, Any]]:
        """Who has access to the sheet, those who have it through its workspace included (`GET /shares`, as the SDK's
        `Sharing.list_asset_shares`). Whether `sharingInclude=WORKSPACE` also answers the sheet's own shares is not
        documented: once an answer has held one (scope ITEM), it is known to for this run; until then the sheet's own
        are asked too (`sharingInclude=ITEM`), and a share in both answers is kept once."""
        params = {"assetType": "sheet", "assetId": sheet_id, "maxItems": SHARES_PAGE}
        shares = list(self.token_pages("/shares", {**params, "sharingInclude": "WORKSPACE"}, list_key="items"))
        self._workspace_scope_has_item = self._workspace_scope_has_item or any(s.get("scope") == "ITEM" for s in shares)
        if not self._workspace_scope_has_item:
            seen = {(share.get("id"), share.get("scope")) for share in shares}
            for share in self.token_pages("/shares", {**params, "sharingInclude": "ITEM"}, list_key="items"):
                if (share.get("id"), share.get("scope")) not in seen:
                    shares.append(share)
        return shares

    def cell_history(self, sheet_id: int, row_id: int, column_id: int) -> tuple[list[dict[str, Any]], int]:
        """Every value the cell was given, newest first, and how many requests that took (each counts as
        HISTORY_COST against the token's quota)."""
        path = f"/sheets/{sheet_id}/rows/{row_id}/columns/{column_id}/history"
        params = {"include": "columnType,objectValue", "level": 2, "pageSize": 100}
        cells: list[dict[str, Any]] = []
        page, total_pages = 0, 1
        while page < total_pages:
            page += 1
            body = self.get(path, {**params, "page": page}, cost=HISTORY_COST, own_limit=self.history_pacer)
            cells += body.get("data") or []
            total_pages = int(body.get("totalPages") or 1)
        return cells, page

    def dashboards(self) -> list[dict[str, Any]]:
        """Every dashboard ("sight") the token can see: token-paged only since 2026-06-03."""
        return list(self.token_pages("/sights", {"maxItems": 100}))

    def dashboard(self, dashboard_id: int) -> dict[str, Any]:
        return dict(self.get(f"/sights/{dashboard_id}"))

    def report_sources(self, report_id: int) -> list[dict[str, Any]]:
        """The sheets a report shows rows of (one row of the report comes along)."""
        return list(self.report_page(report_id, {"include": "sourceSheets", "pageSize": 1, "page": 1}).get("sourceSheets") or [])

    def users(self) -> list[dict[str, Any]]:
        return self.index("/users", {})

    def groups(self) -> list[dict[str, Any]]:
        return self.index("/groups", {})

    # ----- the two paging styles: every list call says which it is -----------------------------
    def index(self, path: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Every item of an IndexResult list (`data`, `totalPages`): one `includeAll` request, paged on should the
        answer come in pages. Smartsheet is moving lists to token paging one by one: an answer that carries a `lastKey`
        is followed by it, with one warning naming the call."""
        body = self.get(path, {**params, "includeAll": "true"})
        items = _listed(body, "data", path)
        if body.get("lastKey"):
            logger.warning("%s answered a token-paged list (lastKey) where an IndexResult was expected; following it.", path)
            return items + list(self.token_pages(path, params, first_key=str(body["lastKey"])))
        page, total_pages, size = 1, int(body.get("totalPages") or 1), int(body.get("pageSize") or len(items) or 100)
        while page < total_pages:
            page += 1
            items += _listed(self.get(path, {**params, "page": page, "pageSize": size}), "data", path)
        return items

    def token_pages(
        self, path: str, params: Mapping[str, Any], list_key: str = "data", first_key: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every item of a token-paged list (`maxItems`, `lastKey`), page after page until an answer has no `lastKey`;
        `list_key`: the answer's list (`items` for `GET /shares`)."""
        last_key = first_key
        while True:
            body = self.get(path, {**params, "lastKey": last_key} if last_key else params)
            yield from _listed(body, list_key, path)
            last_key = body.get("lastKey")
            if not last_key:
                return

    def sheet_page_bytes(self, sheet_id: int, params: Mapping[str, Any]) -> bytes:
        return self.get_bytes(f"/sheets/{sheet_id}", params)


def _listed(body: Any, list_key: str, path: str) -> list[dict[str, Any]]:
    """The list an answer carries under `list_key` (absent: an empty list); any other shape is an error naming the call."""
    if isinstance(body, Mapping):
        items = body.get(list_key)
        if items is None:
            return []
        if isinstance(items, list) and all(isinstance(item, Mapping) for item in items):
            return [dict(item) for item in items]
    shape = f"`{list_key}` is not a list of objects" if isinstance(body, Mapping) else f"a JSON {type(body).__name__}"
    raise SmartsheetApiError(None, None, shape, path, transport=Transport.UNKNOWN_SHAPE)


class _WaitLog:
    """One line about waiting at most every WAIT_LOG_EVERY seconds, however many requests wait."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._last: float | None = None
        self._quiet = 0
        self._lock = threading.Lock()

    def say(self, why: str, attempt: int, delay: float) -> None:
        with self._lock:
            now = self._clock()
            if self._last is not None and now - self._last < WAIT_LOG_EVERY:
                self._quiet += 1
                return
            more = f" ({self._quiet} other retries since the last line)" if self._quiet else ""
            self._last, self._quiet = now, 0
        logger.warning("%s; retry %d in %.1fs%s.", why, attempt, delay, more)
