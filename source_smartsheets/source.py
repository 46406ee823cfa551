"""The Airbyte source: `check` and `streams`; `spec`, `discover` and `read` come from airbyte-cdk."""

from __future__ import annotations

import logging
from typing import Any, Mapping

from airbyte_cdk.models import AirbyteConnectionStatus, FailureType, Status
from airbyte_cdk.sources import AbstractSource
from airbyte_cdk.sources.streams import Stream
from airbyte_cdk.utils import AirbyteTracedException

from .client import SmartsheetClient
from .config import ConfigError, parse_config
from .discovery import discover_sheets
from .errors import Action, SmartsheetApiError, explain
from .streams.sheet_stream import SheetStream

logger = logging.getLogger("airbyte")


class SourceSmartsheets(AbstractSource):
    """Smartsheet sheets as Airbyte streams, one per sheet."""

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
        client = SmartsheetClient(settings)
        try:
            user = client.current_user()
            discovered = discover_sheets(client, settings)
        except SmartsheetApiError as error:
            return False, explain(error, "the token check" if error.path == "/users/me" else error.path)
        except ConfigError as error:
            return False, error.message
        if discovered.problems:
            return False, " ".join(problem.message for problem in discovered.problems)
        if not discovered.sheets:
            return False, "The configured workspaces hold no sheet that the name filters let through."
        logger.info("Connected as %s; %d sheets to sync.", user.get("email"), len(discovered.sheets))
        return True, None

    def streams(self, config: Mapping[str, Any]) -> list[Stream]:
        settings = parse_config(config)
        client = SmartsheetClient(settings)
        try:
            discovered = discover_sheets(client, settings)
        except SmartsheetApiError as error:
            message = explain(error, error.path)
            if error.action is Action.CONFIG_ERROR:
                raise ConfigError(message) from None
            raise AirbyteTracedException(
                message=message, internal_message=str(error), failure_type=FailureType.system_error
            ) from None
        for problem in discovered.problems:
            logger.warning("%s It is left out of this run.", problem.message)
        return [SheetStream(ref, client, settings) for ref in discovered.sheets]
