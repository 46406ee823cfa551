"""The account streams: what sits around the sheets. Full refresh, read only when selected (an unselected stream
costs nothing), after the row streams.

From the walk through the configured workspaces that every command makes anyway (0 requests): `workspaces`,
`folders` (with their path), `templates` and `reports` (plus one request per report for its source sheets).
Account-wide listings: `dashboards` (one request per 100, plus one per dashboard for its widgets), `users` and
`groups` (one each; they need a System Admin's token: a 403, or a list of only the token's own user, is said in
one line, and the sync goes on).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any, ClassVar, Iterable, Iterator, Mapping

from airbyte_cdk.models import AirbyteMessage, SyncMode

from ..discovery import Discovered, Walked
from ..errors import Action, SmartsheetApiError, unless_gone
from ..progress_lines import AccountDone, object_label
from ..schema_mapping.account import (
    DASHBOARD_PROPERTIES,
    FOLDER_PROPERTIES,
    GROUP_PROPERTIES,
    REPORT_PROPERTIES,
    TEMPLATE_PROPERTIES,
    USER_PROPERTIES,
    WORKSPACE_PROPERTIES,
    dashboard_record,
    folder_record,
    group_record,
    report_record,
    template_record,
    user_record,
    workspace_record,
)
from ..schema_mapping.sheet_fields import object_schema
from .base import SmartsheetStream
from .context import ReadContext

logger = logging.getLogger("airbyte")


class AccountStream(SmartsheetStream):
    """Records of one kind of account object, primary key `id`; subclasses say their name, schema and records."""

    stream_name: ClassVar[str] = ""  # reserved: no sheet's stream takes it (`naming.stream_names`)
    properties: ClassVar[Mapping[str, Any]] = {}
    from_walk: ClassVar[bool] = False  # made from the walk through the configured workspaces (offered only with some)
    read_after_rows = True
    primary_key = "id"

    def __init__(self, discovered: Discovered, context: ReadContext) -> None:
        super().__init__(context)
        self._discovered = discovered

    @property
    def name(self) -> str:
        return self.stream_name

    def get_json_schema(self) -> Mapping[str, Any]:  # type: ignore[override]
        return object_schema(self.properties, self.stream_name)

    def in_catalog(self) -> bool:
        return not self.from_walk or bool(self._config.workspace_ids)

    def read_records(
        self,
        sync_mode: SyncMode,
        cursor_field: list[str] | None = None,
        stream_slice: Mapping[str, Any] | None = None,
        stream_state: Mapping[str, Any] | None = None,
    ) -> Iterable[AirbyteMessage]:
        count = 0
        try:
            for message in self._as_messages(self.records()):
                count += 1
                yield message
        except SmartsheetApiError as error:
            if error.action is not Action.SKIP_SHEET:  # the error table: not this token's to see (403), or gone
                raise
            logger.warning(
                "Stream %s: Smartsheet does not let this token list them (%s: %s needs a System Admin's token, and "
                "with OAuth a scope that grants it); the stream is empty and the sync goes on.",
                self.name,
                error.status,
                self.name,
            )
        logger.info("%s", AccountDone(self.name, count, self.position))

    def records(self) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def _walked(self, kind: str) -> list[Walked]:
        return self._discovered.walked.get(kind, [])

    def _left_out(self, why: str) -> None:
        """One object gone or unshared since it was listed: said, and the others go on."""
        logger.warning("Stream %s: %s It is left out; the others go on.", self.name, why)


class WorkspacesStream(AccountStream):
    stream_name = "workspaces"
    properties = WORKSPACE_PROPERTIES
    from_walk = True

    def records(self) -> Iterator[dict[str, Any]]:
        for walked in self._walked("workspace"):
            yield workspace_record(walked.item)


class FoldersStream(AccountStream):
    stream_name = "folders"
    properties = FOLDER_PROPERTIES
    from_walk = True

    def records(self) -> Iterator[dict[str, Any]]:
        for walked in self._walked("folder"):
            yield folder_record(walked.item, walked.workspace_id, walked.parent_id, walked.path)


class ReportsStream(AccountStream):
    """Every report in the configured workspaces, with the sheets it shows rows of (one request per report)."""

    stream_name = "reports"
    properties = REPORT_PROPERTIES
    from_walk = True

    def records(self) -> Iterator[dict[str, Any]]:
        seen: set[int] = set()
        for walked in self._walked("report"):
            report_id = int(walked.item["id"])
            if report_id in seen:
                continue
            seen.add(report_id)
            label = object_label("report", report_id, str(walked.item.get("name")))
            sources = unless_gone(partial(self._client.report_sources, report_id), label, self._left_out, self._config.token_home)
            if sources is not None:
                yield report_record(walked.item, walked.workspace_id, walked.path, sources)


class DashboardsStream(AccountStream):
    """Every dashboard the token can see, with the sheets and reports its widgets show."""

    stream_name = "dashboards"
    properties = DASHBOARD_PROPERTIES

    def records(self) -> Iterator[dict[str, Any]]:
        for listed in self._client.dashboards():
            dashboard_id = int(listed["id"])
            label = object_label("dashboard", dashboard_id, str(listed.get("name")))
            dashboard = unless_gone(partial(self._client.dashboard, dashboard_id), label, self._left_out, self._config.token_home)
            if dashboard is not None:
                yield dashboard_record(listed, dashboard)


class TemplatesStream(AccountStream):
    """The templates in the configured workspaces, as the walk listed them (there is no account-wide list of templates
    since 2026-06-03: a template outside them cannot be listed)."""

    stream_name = "templates"
    properties = TEMPLATE_PROPERTIES
    from_walk = True

    def records(self) -> Iterator[dict[str, Any]]:
        for walked in self._walked("template"):
            yield template_record(walked.item, walked.workspace_id, walked.path)


class _OrganisationStream(AccountStream):
    """A listing of the organisation that needs a System Admin's token (another token: a 403, or part of it)."""

    def records(self) -> Iterator[dict[str, Any]]:
        items = self.listing()
        yield from (self.record(item) for item in items)
        self.say_if_partial(items)

    def listing(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def record(self, item: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def say_if_partial(self, items: list[dict[str, Any]]) -> None:
        """A token that is not an admin's may get part of the listing instead of a 403."""


class UsersStream(_OrganisationStream):
    stream_name = "users"
    properties = USER_PROPERTIES

    def listing(self) -> list[dict[str, Any]]:
        return self._client.users()

    def record(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return user_record(item)

    def say_if_partial(self, items: list[dict[str, Any]]) -> None:
        if len(items) == 1 and not items[0].get("admin"):
            logger.warning(
                "Stream %s: Smartsheet listed only the token's own user: the organisation's users are listed only to a "
                "System Admin's token.",
                self.name,
            )


class GroupsStream(_OrganisationStream):
    stream_name = "groups"
    properties = GROUP_PROPERTIES

    def listing(self) -> list[dict[str, Any]]:
        return self._client.groups()

    def record(self, item: Mapping[str, Any]) -> dict[str, Any]:
        return group_record(item)
