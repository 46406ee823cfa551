"""Every endpoint the emulator answers, in one table: method, path template, handler. A new endpoint is a handler
in its module and one line here."""

from __future__ import annotations

import re
from typing import Any, Callable

from . import api_account, api_around_rows, api_sheets
from .access import Access
from .protocol import Request
from .world import TokenGrant

Handler = Callable[[Access, TokenGrant, Request, int], Any]

TABLE: list[tuple[str, str, Handler]] = [
    ("GET", "/users/me", api_sheets.users_me),
    ("GET", "/sheets", api_sheets.list_sheets),
    ("GET", "/sheets/{id}/version", api_sheets.sheet_version),
    ("GET", "/sheets/{id}", api_sheets.get_sheet),
    ("GET", "/workspaces", api_sheets.list_workspaces),
    ("GET", "/workspaces/{id}/children", api_sheets.workspace_children),
    ("GET", "/folders/{id}/children", api_sheets.folder_children),
    ("GET", "/workspaces/{id}/metadata", api_sheets.workspace_metadata),
    ("GET", "/folders/{id}/metadata", api_sheets.folder_metadata),
    ("GET", "/workspaces/{id}", api_sheets.legacy_workspace),
    ("GET", "/folders/{id}", api_sheets.legacy_folder),
    ("GET", "/templates", api_sheets.list_templates),
    ("GET", "/reports", api_sheets.list_reports),
    ("GET", "/reports/{id}", api_sheets.get_report),
    ("GET", "/sheets/{id}/summary", api_around_rows.sheet_summary_fields),
    ("GET", "/sheets/{id}/summary/fields", api_around_rows.list_summary_fields),
    ("GET", "/sheets/{id}/discussions", api_around_rows.list_discussions),
    ("GET", "/sheets/{id}/attachments", api_around_rows.list_attachments),
    ("GET", "/sheets/{id}/columns", api_around_rows.list_columns),
    ("GET", "/sheets/{id}/rows/{row}/columns/{column}/history", api_account.cell_history),
    ("GET", "/sheets/{id}/shares", api_account.sheet_shares),
    ("GET", "/shares", api_account.asset_shares),
    ("GET", "/sights", api_account.list_dashboards),
    ("GET", "/sights/{id}", api_account.get_dashboard),
    ("GET", "/users", api_account.list_users),
    ("GET", "/groups", api_account.list_groups),
]


def _compiled(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\{id\}", r"(?P<id>[^/]+)", template)
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"[^/]+", pattern) + "/?$")  # other ids: the handler reads them


ROUTES: list[tuple[str, re.Pattern[str], str, Handler]] = [
    (method, _compiled(template), f"{method} {template}", handler) for method, template, handler in TABLE
]
