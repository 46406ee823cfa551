"""The one module that talks to Smartsheet.

The official SDK does what it does well here: it holds the token, prepares authorised requests and
refreshes OAuth tokens. Responses are parsed straight from JSON (orjson): the SDK's typed models are
about 30x slower and re-serialise timestamps wrongly (docs/smartsheet-api.md, SDK notes). Retries,
pacing and timeouts are ours, so that every error passes through `errors.classify`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from datetime import timedelta
from typing import Any, Callable, Iterator, Mapping

import orjson
import requests
import smartsheet
from airbyte_cdk.config_observation import emit_configuration_as_airbyte_control_message
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets
from requests.adapters import HTTPAdapter
from smartsheet.util import fresh_operation

from .config import OAuthCredentials, SmartsheetConfig
from .errors import Action, SmartsheetApiError
from .pacing import Pacer
from .retry import RetryBudget, parse_retry_after
from .timestamps import format_time, now
from .version import VERSION

logger = logging.getLogger("airbyte")
USER_AGENT = f"source-smartsheets/{VERSION}"
TIMEOUT = (10.0, 120.0)  # connect, read
REFRESH_MARGIN = timedelta(minutes=5)

# The SDK logs every non-2xx response (and every URL) through Python logging; its requests go
# through our own session below, and its own logger is kept quiet so nothing of it reaches the output.
logging.getLogger("smartsheet").setLevel(logging.CRITICAL + 1)


class SmartsheetClient:
    """Raw-JSON access to the API with pacing, retries and (for OAuth) token refresh."""

    def __init__(
        self,
        config: SmartsheetConfig,
        sleep: Callable[[float], None] = time.sleep,
        pool_size: int = 8,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self._access_token = config.credentials.access_token
        oauth = config.credentials if isinstance(config.credentials, OAuthCredentials) else None
        self._oauth = oauth
        self._token_expiry = oauth.token_expiry_date if oauth else None
        self._refresh_token = oauth.refresh_token if oauth else None
        self._sdk = self._new_sdk(self._access_token)
        self._session = requests.Session()
        self._session.mount("http://", HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size))
        self._session.mount("https://", HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size))
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self.pacer = Pacer(config.requests_per_minute, clock=clock, sleep=sleep)
        self.budget = RetryBudget(config.max_retry_seconds, base=config.retry_initial_seconds)

    def _new_sdk(self, token: str) -> smartsheet.Smartsheet:
        # max_retry_time=0: the SDK must not retry on its own; `get` below decides.
        return smartsheet.Smartsheet(access_token=token, api_base=self._config.base_url, max_retry_time=0, user_agent=USER_AGENT)

    # ----- requests ----------------------------------------------------------------------------
    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET `path` (below /2.0) and return its parsed JSON, retrying what the error table says to retry."""
        return self._get(path, params, parse=True)

    def get_bytes(self, path: str, params: Mapping[str, Any] | None = None) -> bytes:
        """Like `get`, but the body unparsed: a page fetched ahead on a thread is parsed by its reader."""
        return self._get(path, params, parse=False)  # type: ignore[no-any-return]

    def _get(self, path: str, params: Mapping[str, Any] | None, parse: bool) -> Any:
        started = self._clock()
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            self._refresh_if_expiring()
            used_token = self._access_token
            self.pacer.acquire()
            response: requests.Response | None = None
            try:
                response = self._send(path, params)
                if 200 <= response.status_code < 300:
                    return orjson.loads(response.content) if parse else response.content
                error = _error_from(response, path)
            except orjson.JSONDecodeError:
                error = SmartsheetApiError(None, None, "the answer was not complete JSON", path)
            except requests.RequestException as exc:
                # The exception text can hold the URL; name only its kind.
                error = SmartsheetApiError(None, None, f"{type(exc).__name__} (no answer)", path)
            action = error.action
            if action is Action.REFRESH_TOKEN and self._can_refresh() and not refreshed:
                self._refresh(used_token)
                refreshed = True
                continue
            if action is not Action.RETRY:
                raise error
            retry_after = parse_retry_after(response.headers.get("Retry-After")) if response is not None else None
            delay = self.budget.delay(attempt, retry_after)
            if not self.budget.allows(self._clock() - started, delay):
                raise error
            if error.status == 429:
                self.pacer.pause(delay)
            logger.warning("Smartsheet answered %s for %s; retry %d in %.1fs", error.status or "nothing", path, attempt, delay)
            self._sleep(delay)

    def _send(self, path: str, params: Mapping[str, Any] | None) -> requests.Response:
        operation = fresh_operation("get_raw_json")
        operation["method"] = "GET"
        operation["path"] = path
        operation["query_params"] = dict(params or {})
        with self._lock:
            prepared = self._sdk.prepare_request(operation)
        return self._session.send(prepared, timeout=TIMEOUT)

    # ----- OAuth ---------------------------------------------------------------------------------
    def _can_refresh(self) -> bool:
        return self._oauth is not None and bool(self._refresh_token)

    def _refresh_if_expiring(self) -> None:
        if self._can_refresh() and self._token_expiry is not None:
            if now() + REFRESH_MARGIN >= self._token_expiry:
                self._refresh(self._access_token)

    def _refresh(self, stale_token: str) -> None:
        """Refresh the OAuth token through the SDK (`hash = sha256(client_secret|refresh_token)`).

        Refresh tokens are single-use, so only one thread refreshes: a thread that finds the token
        already replaced since it was refused just goes on with the new one.
        """
        from .config import ConfigError

        with self._lock:
            if self._access_token != stale_token or self._oauth is None:
                return
            refresh_token = self._refresh_token or ""
            digest = hashlib.sha256(f"{self._oauth.client_secret}|{refresh_token}".encode()).hexdigest()
            result = self._sdk.Token.refresh_access_token(self._oauth.client_id, refresh_token, digest)
            token = getattr(result, "access_token", None)
            if not token:
                raise ConfigError(
                    "The OAuth token could not be refreshed (the refresh token or client secret was refused). "
                    "Re-authenticate the Smartsheet source."
                )
            self._access_token = str(token)
            self._refresh_token = str(getattr(result, "refresh_token", None) or refresh_token)
            expires_in = getattr(result, "expires_in", None)
            self._token_expiry = now() + timedelta(seconds=int(expires_in)) if expires_in else None
            self._sdk = self._new_sdk(self._access_token)
            for secret in (self._access_token, self._refresh_token):
                add_to_secrets(secret)  # masked wherever the CDK prints
            self._persist_tokens()
            logger.info("Refreshed the OAuth access token.")

    def _persist_tokens(self) -> None:
        """Hand the new tokens to the platform (a CONNECTOR_CONFIG control message), which stores them.

        Smartsheet refresh tokens are single-use: without this, the next sync could not refresh.
        This message is the protocol's one channel for secrets; nothing else prints them.
        """
        if not self._config.raw:
            return
        updated = json.loads(json.dumps(self._config.raw))
        credentials = updated.setdefault("credentials", {})
        credentials["access_token"] = self._access_token
        credentials["refresh_token"] = self._refresh_token
        if self._token_expiry is not None:
            credentials["token_expiry_date"] = format_time(self._token_expiry)
        emit_configuration_as_airbyte_control_message(updated)

    # ----- calls ------------------------------------------------------------------------------
    def current_user(self) -> dict[str, Any]:
        return dict(self.get("/users/me"))

    def list_sheets(self, page_size: int = 1000) -> Iterator[dict[str, Any]]:
        """Every sheet the token can see, with its `version`. Offset paging, stopped by `totalPages`."""
        page = 1
        while True:
            body = self.get("/sheets", {"include": "sheetVersion", "page": page, "pageSize": page_size})
            yield from body.get("data") or []
            total_pages = int(body.get("totalPages") or 1)
            # A page past the end may repeat the last page or come back empty: stop on the count.
            if page >= total_pages or not body.get("data"):
                return
            page += 1

    def children(self, kind: str, container_id: int) -> Iterator[dict[str, Any]]:
        """Sheets and folders directly inside a workspace or folder, through token paging."""
        last_key: str | None = None
        while True:
            params: dict[str, Any] = {"childrenResourceTypes": "sheets,folders", "maxItems": 1000}
            if last_key:
                params["lastKey"] = last_key
            body = self.get(f"/{kind}s/{container_id}/children", params)
            yield from body.get("data") or []
            last_key = body.get("lastKey")
            if not last_key:
                return

    def workspace_metadata(self, workspace_id: int) -> dict[str, Any]:
        return dict(self.get(f"/workspaces/{workspace_id}/metadata"))

    def sheet_page(self, sheet_id: int, params: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self.get(f"/sheets/{sheet_id}", params))

    def report_page(self, report_id: int, params: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self.get(f"/reports/{report_id}", params))

    def sheet_page_bytes(self, sheet_id: int, params: Mapping[str, Any]) -> bytes:
        return self.get_bytes(f"/sheets/{sheet_id}", params)


def _error_from(response: requests.Response, path: str) -> SmartsheetApiError:
    """Read `{errorCode, message, refId}`; a body that is not JSON (an HTML 503) still classifies by status."""
    code = None
    message = response.reason or "error"
    ref_id = None
    try:
        body = orjson.loads(response.content)
        if isinstance(body, dict):
            code = body.get("errorCode") if isinstance(body.get("errorCode"), int) else None
            message = str(body.get("message") or message)
            ref_id = body.get("refId")
    except orjson.JSONDecodeError:
        message = f"{message} (the body was not JSON)"
    return SmartsheetApiError(response.status_code, code, message, path, ref_id)
