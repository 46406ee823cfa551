"""The account around the sheets, and cell history (docs/smartsheet-api.md "The account around the sheets, and
history"): a cell's history, a sheet's shares, dashboards ("sights"), the organisation's users and groups. Listed in
the one route table (`routes.py`) with the rest of the API."""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Any

from .api_sheets import listed_summary
from .clock import iso
from .model import Dashboard, Group, Row, Share, User
from .params import int_param, list_param, offset_page, parse_id
from .protocol import ApiError, Request, not_found
from .render import RenderOptions, render_cell
from .world import TokenGrant

if TYPE_CHECKING:
    from .api import Api

HISTORY_PATH = re.compile(r"^/sheets/[^/]+/rows/(?P<row>[^/]+)/columns/(?P<column>[^/]+)/history/?$")
HISTORY_COST = 10  # "getting cell history ... counts as 10 requests" against the token's 300 a minute
NOT_ADMIN = ApiError(403, 1004, "You are not authorized to perform this action.")


def request_cost(path: str) -> int:
    """How many requests a call counts as against the token's rate limit."""
    return HISTORY_COST if HISTORY_PATH.match(path) else 1


# ----- cell history -------------------------------------------------------------------------------------
def cell_history(api: Api, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
    """Every value the cell was given, newest first, each with when and by whom (an IndexResult of Cell)."""
    sheet = api.sheet(grant, sheet_id)
    match = HISTORY_PATH.match(request.path)
    if match is None:
        raise not_found()
    try:
        row = sheet.row(parse_id(match["row"]))
        column = sheet.column(parse_id(match["column"]))
    except KeyError:
        raise not_found() from None
    includes = set(list_param(request.query, "include"))
    options = RenderOptions(level=int_param(request.query, "level", minimum=0) or 0, object_value="objectValue" in includes)
    cells = []
    for edit in reversed(row.edits(column.id)):
        holder = Row(row.id, row.created_at, edit.at, row.created_by, edit.by)
        holder.cells[column.id] = edit.value
        cell = render_cell(column, holder, options, {}) or {"columnId": column.id}
        if "columnType" in includes:
            cell["columnType"] = options.effective_type(column)
        cell["modifiedAt"] = iso(edit.at)
        cell["modifiedBy"] = {"name": edit.by.name, "email": edit.by.email}
        cells.append(cell)
    return offset_page(cells, request.query)


# ----- shares -------------------------------------------------------------------------------------------
def share_id(grantee: User | Group) -> str:
    """A share's id names its user or group: the same on every sheet shared with them."""
    return base64.b32encode(grantee.id.to_bytes(8, "big")).decode().rstrip("=")


def _render_share(share: Share, scope: str) -> dict[str, Any]:
    grantee = share.grantee
    body: dict[str, Any] = {"id": share_id(grantee)}
    if isinstance(grantee, Group):
        body.update({"type": "GROUP", "groupId": grantee.id, "name": grantee.name})
    else:
        body.update({"type": "USER", "userId": grantee.id, "email": grantee.email, "name": grantee.name})
    body.update({"accessLevel": share.access_level, "scope": scope})
    return body


def sheet_shares(api: Api, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
    """Who has access to the sheet; `include=workspaceShares` adds those who have it through its workspace."""
    sheet = api.sheet(grant, sheet_id)
    items = [_render_share(share, "ITEM") for share in sheet.shares]
    if "workspaceShares" in list_param(request.query, "include") and sheet.workspace_id is not None:
        workspace = api.world.workspaces[sheet.workspace_id]
        items += [_render_share(share, "WORKSPACE") for share in workspace.shares]
    return offset_page(items, request.query)


# ----- dashboards ("sights") ----------------------------------------------------------------------------
def _dashboard_summary(dashboard: Dashboard) -> dict[str, Any]:
    return listed_summary("dashboards", dashboard)


def list_dashboards(api: Api, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    return offset_page([_dashboard_summary(dashboard) for dashboard in api.world.dashboards.values()], request.query)


def get_dashboard(api: Api, grant: TokenGrant, request: Request, dashboard_id: int) -> dict[str, Any]:
    """One dashboard with its widgets; a widget that shows a sheet or a report names it in its `contents`."""
    dashboard = api.world.dashboards.get(dashboard_id)
    if dashboard is None:
        raise not_found()
    widgets = []
    for index, widget in enumerate(dashboard.widgets):
        contents: dict[str, Any] = {}
        if widget.sheet_id is not None:
            contents["sheetId"] = widget.sheet_id
        if widget.report_id is not None:
            contents["reportId"] = widget.report_id
        widgets.append({"id": dashboard.id + index + 1, "type": widget.type, "title": widget.title, "contents": contents})
    return {**_dashboard_summary(dashboard), "widgets": widgets}


# ----- users and groups ----------------------------------------------------------------------------------
def _render_user(user: User, admin: bool) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "admin": admin,
        "licensedSheetCreator": True,
        "status": "ACTIVE",
    }


def list_users(api: Api, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    """The organisation's users for a System Admin's token; for another, a 403 or only its own user (both are seen)."""
    world = api.world
    if grant.admin:
        users = world.users
    elif world.listings_for_non_admins == "403":
        raise NOT_ADMIN
    else:
        users = [grant.user]
    return offset_page([_render_user(user, grant.admin and user is grant.user) for user in users], request.query)


def list_groups(api: Api, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    world = api.world
    groups = list(world.groups.values())
    if not grant.admin:
        if world.listings_for_non_admins == "403":
            raise NOT_ADMIN
        groups = [group for group in groups if grant.user in group.members]
    items = [
        {
            "id": group.id,
            "name": group.name,
            "owner": group.owner.email,
            "ownerId": group.owner.id,
        }
        for group in groups
    ]
    return offset_page(items, request.query)
