"""The account around the sheets, and cell history (docs/smartsheet-api.md "The account around the sheets, and
history"): a cell's history, a sheet's shares (`GET /shares`), dashboards ("sights"), the organisation's users and
groups. Listed in the one route table (`routes.py`) with the rest of the API."""

from __future__ import annotations

import base64
import re
from typing import Any

from .access import Access
from .api_sheets import listed_summary
from .clock import iso
from .model import Dashboard, Group, Row, Share, Sheet, User
from .params import int_param, list_param, offset_page, parse_id, token_page
from .protocol import ApiError, Request, bad_param, not_found
from .render import RenderOptions, render_cell
from .world import TokenGrant

HISTORY_PATH = re.compile(r"^/sheets/[^/]+/rows/(?P<row>[^/]+)/columns/(?P<column>[^/]+)/history/?$")
HISTORY_COST = 10  # "getting cell history ... counts as 10 requests" against the token's 300 a minute
HISTORY_CALLS_PER_WINDOW = 30  # and, the current reference: "limited to 30 requests per minute per API token"
NOT_ADMIN = ApiError(403, 1004, "You are not authorized to perform this action.")


def is_history(path: str) -> bool:
    return HISTORY_PATH.match(path) is not None


def request_cost(path: str) -> int:
    """How many requests a call counts as against the token's rate limit."""
    return HISTORY_COST if is_history(path) else 1


# ----- cell history -------------------------------------------------------------------------------------
def cell_history(api: Access, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
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


def _render_share(share: Share, scope: str, ids_as_text: bool = True) -> dict[str, Any]:
    """An AssetShare (`GET /shares`): its ids are strings; the old `GET /sheets/{id}/shares` said them as numbers."""
    grantee = share.grantee
    grantee_id: int | str = str(grantee.id) if ids_as_text else grantee.id
    body: dict[str, Any] = {"id": share_id(grantee)}
    if isinstance(grantee, Group):
        body.update({"type": "GROUP", "groupId": grantee_id, "name": grantee.name})
    else:
        body.update({"type": "USER", "userId": grantee_id, "email": grantee.email, "name": grantee.name})
    body.update({"accessLevel": share.access_level, "scope": scope})
    return body


def _shares_of(api: Access, sheet: Sheet, scopes: set[str], ids_as_text: bool) -> list[dict[str, Any]]:
    items = [_render_share(share, "ITEM", ids_as_text) for share in sheet.shares] if "ITEM" in scopes else []
    if "WORKSPACE" in scopes and sheet.workspace_id is not None:
        workspace = api.world.workspaces[sheet.workspace_id]
        items += [_render_share(share, "WORKSPACE", ids_as_text) for share in workspace.shares]
    return items


def sheet_shares(api: Access, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
    """Switched off on 2026-06-03 (answered only by `world.old_api`): who has access to the sheet;
    `include=workspaceShares` adds those who have it through its workspace."""
    if not api.world.old_api:
        raise not_found()
    sheet = api.sheet(grant, sheet_id)
    scopes = {"ITEM", "WORKSPACE"} if "workspaceShares" in list_param(request.query, "include") else {"ITEM"}
    return offset_page(_shares_of(api, sheet, scopes, ids_as_text=False), request.query)


SHARES_PAGE = 100  # `maxItems`: "default and minimum 100"


def asset_shares(api: Access, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    """`GET /shares?assetType=sheet&assetId=…` (the SDK's `Sharing.list_asset_shares`): `{items, lastKey?}`, token-paged.
    `sharingInclude=ITEM` (the default): the sheet's own shares; `WORKSPACE`: as `world.workspace_scope_shares` says,
    its own and those it inherits from its workspace ("both") or only the inherited ones ("inherited")."""
    query = request.query
    if query.get("assetType") != "sheet":
        raise bad_param("assetType")
    raw_id = query.get("assetId", "")
    if not raw_id.isdigit():
        raise bad_param("assetId")
    sheet = api.sheet(grant, int(raw_id))
    scope = query.get("sharingInclude") or "ITEM"
    if scope not in ("ITEM", "WORKSPACE"):
        raise bad_param("sharingInclude")
    scopes = {"ITEM"} if scope == "ITEM" else {"WORKSPACE"}
    if scope == "WORKSPACE" and api.world.workspace_scope_shares == "both":
        scopes.add("ITEM")
    items = _shares_of(api, sheet, scopes, ids_as_text=True)
    return token_page(
        items, query, SHARES_PAGE, list_key="items", minimum=SHARES_PAGE, key=lambda item: [item["id"], item["scope"]]
    )


# ----- dashboards ("sights") ----------------------------------------------------------------------------
def _dashboard_summary(dashboard: Dashboard) -> dict[str, Any]:
    return listed_summary("dashboards", dashboard)


DASHBOARDS_PAGE = 100  # `maxItems` when not given


def list_dashboards(api: Access, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    """Token-paged only since 2026-06-03 (`includeAll`, `page` and `pageSize` are ignored); `world.old_api`: an
    IndexResult, as before."""
    items = [_dashboard_summary(dashboard) for dashboard in api.world.dashboards.values()]
    if api.world.old_api:
        return offset_page(items, request.query)
    return token_page(items, request.query, DASHBOARDS_PAGE)


def get_dashboard(api: Access, grant: TokenGrant, request: Request, dashboard_id: int) -> dict[str, Any]:
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


def list_users(api: Access, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    """The organisation's users for a System Admin's token; for another, a 403 or only its own user (both are seen)."""
    world = api.world
    if grant.admin:
        users = world.users
    elif world.listings_for_non_admins == "403":
        raise NOT_ADMIN
    else:
        users = [grant.user]
    return offset_page([_render_user(user, grant.admin and user is grant.user) for user in users], request.query)


def list_groups(api: Access, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
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
