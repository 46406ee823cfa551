"""Who the requests are from: the access token, and for OAuth its refresh and hand-over to the platform.

The official SDK does what it does well here: it holds the token, prepares authorised requests and
refreshes OAuth tokens (`hash = sha256(client_secret|refresh_token)`). Refresh tokens are single-use, so
only one thread refreshes, and the new tokens go to the platform in a CONNECTOR_CONFIG control message.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from datetime import timedelta
from typing import Any, Mapping

import requests
import smartsheet
from airbyte_cdk.config_observation import emit_configuration_as_airbyte_control_message
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets
from smartsheet.util import fresh_operation

from .config import ConfigError, OAuthCredentials, SmartsheetConfig
from .timestamps import format_time, now
from .version import VERSION

logger = logging.getLogger("airbyte")
USER_AGENT = f"source-smartsheets/{VERSION}"
REFRESH_MARGIN = timedelta(minutes=5)

# The SDK logs every non-2xx response (and every URL) through Python logging; its requests go through
# the transport's own session, and its own logger is kept quiet so nothing of it reaches the output.
logging.getLogger("smartsheet").setLevel(logging.CRITICAL + 1)


class Auth:
    """The current token; prepares each request with it, and refreshes it when OAuth allows."""

    def __init__(self, config: SmartsheetConfig) -> None:
        self._config = config
        self._oauth = config.credentials if isinstance(config.credentials, OAuthCredentials) else None
        self.token = config.credentials.access_token
        self._token_expiry = self._oauth.token_expiry_date if self._oauth else None
        self._refresh_token = self._oauth.refresh_token if self._oauth else None
        self._sdk = self._new_sdk(self.token)
        self._lock = threading.Lock()

    def _new_sdk(self, token: str) -> smartsheet.Smartsheet:
        # max_retry_time=0: the SDK must not retry on its own; the client's retry layer decides.
        return smartsheet.Smartsheet(access_token=token, api_base=self._config.base_url, max_retry_time=0, user_agent=USER_AGENT)

    def prepare(self, path: str, params: Mapping[str, Any] | None) -> requests.PreparedRequest:
        """A GET of `path` (below /2.0), authorised with the current token."""
        operation = fresh_operation("get_raw_json")
        operation["method"] = "GET"
        operation["path"] = path
        operation["query_params"] = dict(params or {})
        with self._lock:
            return self._sdk.prepare_request(operation)  # type: ignore[no-any-return]

    @property
    def can_refresh(self) -> bool:
        return self._oauth is not None and bool(self._refresh_token)

    def refresh_if_expiring(self) -> None:
        if self.can_refresh and self._token_expiry is not None and now() + REFRESH_MARGIN >= self._token_expiry:
            self.refresh(self.token)

    def refresh(self, stale_token: str) -> None:
        """Refresh the OAuth token; a thread that finds it already replaced since it was refused goes on."""
        with self._lock:
            if self.token != stale_token or self._oauth is None:
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
            self.token = str(token)
            self._refresh_token = str(getattr(result, "refresh_token", None) or refresh_token)
            expires_in = getattr(result, "expires_in", None)
            self._token_expiry = now() + timedelta(seconds=int(expires_in)) if expires_in else None
            self._sdk = self._new_sdk(self.token)
            for secret in (self.token, self._refresh_token):
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
        credentials["access_token"] = self.token
        credentials["refresh_token"] = self._refresh_token
        if self._token_expiry is not None:
            credentials["token_expiry_date"] = format_time(self._token_expiry)
        emit_configuration_as_airbyte_control_message(updated)
