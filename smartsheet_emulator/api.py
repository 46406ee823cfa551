"""The API's endpoints over a World: routing, auth, paging and filters, with no HTTP transport."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from .clock import iso, parse_iso, whole_second
from .model import Folder, Report, Sheet, Workspace
from .render import RenderOptions, render_column, render_row, sibling_ids
from .world import TokenGrant, World

APP = "https://app.smartsheet.com"


class ApiError(Exception):
    """An error the API answers with `{errorCode, message, refId}`."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def not_found() -> ApiError:
    return ApiError(404, 1006, "Not Found")


def bad_param(name: str) -> ApiError:
    return ApiError(400, 1018, f"The value for {name} is not valid.")


@dataclass
class Request:
    method: str
    path: str  # below /2.0, e.g. "/sheets/123"
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Response:
    status: int
    body: Any
    endpoint: str
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[["Api", TokenGrant, Request, int], Any]
ROUTES: list[tuple[str, re.Pattern[str], str, Handler]] = []


def route(method: str, template: str) -> Callable[[Handler], Handler]:
    pattern = re.compile("^" + re.sub(r"\{id\}", r"(?P<id>[^/]+)", template) + "/?$")

    def register(handler: Handler) -> Handler:
        ROUTES.append((method, pattern, f"{method} {template}", handler))
        return handler

    return register


class Api:
    """Answers requests against one World."""

    def __init__(self, world: World) -> None:
        self.world = world

    def endpoint_of(self, request: Request) -> str:
        for method, pattern, name, _ in ROUTES:
            if method == request.method and pattern.match(request.path):
                return name
        return f"{request.method} (unknown)"

    def handle(self, request: Request) -> Response:
        endpoint = self.endpoint_of(request)
        try:
            if request.method == "POST" and request.path.rstrip("/") == "/token":
                return Response(200, self._oauth_token(request), endpoint)
            grant = self._authenticate(request)
            for method, pattern, name, handler in ROUTES:
                match = pattern.match(request.path)
                if method == request.method and match:
                    raw_id = match.groupdict().get("id")
                    with self.world.lock:
                        body = handler(self, grant, request, _parse_id(raw_id) if raw_id else 0)
                    return Response(200, body, name)
            raise not_found()
        except ApiError as error:
            return Response(error.status, error_body(error.code, error.message), endpoint)

    # ----- auth ----------------------------------------------------------------------------
    def _authenticate(self, request: Request) -> TokenGrant:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer ") or not header[7:].strip():
            raise ApiError(401, 1001, "An Access Token is required.")
        grant = self.world.tokens.get(header[7:].strip())
        if grant is None:
            raise ApiError(401, 1002, "Your Access Token is invalid.")
        if grant.expired:
            raise ApiError(401, 1003, "Your Access Token has expired.")
        return grant

    def _oauth_token(self, request: Request) -> dict[str, Any]:
        """`POST /token` refresh: `hash = sha256(client_secret + "|" + refresh_token)`."""
        form = dict(request.query)
        if request.body:
            from urllib.parse import parse_qsl

            form.update(dict(parse_qsl(request.body.decode("utf-8"))))
        client = self.world.oauth_clients.get(form.get("client_id", ""))
        refresh = form.get("refresh_token", "")
        if form.get("grant_type") != "refresh_token" or client is None or refresh not in client.refresh_tokens:
            raise ApiError(400, 1116, "Invalid refresh token or client.")
        expected = hashlib.sha256(f"{client.client_secret}|{refresh}".encode()).hexdigest()
        if form.get("hash") != expected:
            raise ApiError(400, 1116, "Invalid hash.")
        user = client.refresh_tokens.pop(refresh)
        access = f"access-{self.world.new_id()}"
        new_refresh = f"refresh-{self.world.new_id()}"
        self.world.add_token(access, user)
        client.refresh_tokens[new_refresh] = user
        return {"token_type": "bearer", "access_token": access, "refresh_token": new_refresh, "expires_in": 604799}

    # ----- lookups with access checks ----------------------------------------------------------
    def sheet(self, grant: TokenGrant, sheet_id: int) -> Sheet:
        sheet = self.world.sheets.get(sheet_id)
        if sheet is None or sheet.deleted:
            raise not_found()
        if sheet_id in grant.revoked_sheet_ids:
            raise ApiError(403, 1004, "You are not authorized to perform this action.")
        return sheet

    def visible_sheets(self, grant: TokenGrant) -> list[Sheet]:
        return [sheet for sheet in self.world.sheets.values() if not sheet.deleted and sheet.id not in grant.revoked_sheet_ids]

    def container(self, kind: str, container_id: int) -> Folder:
        found: Folder | None = (self.world.workspaces if kind == "workspace" else self.world.folders).get(container_id)
        if found is None:
            raise not_found()
        return found


def error_body(code: int, message: str) -> dict[str, Any]:
    ref = hashlib.sha1(f"{code}{message}".encode()).hexdigest()[:12]
    return {"errorCode": code, "message": message, "refId": ref}


def _parse_id(raw: str) -> int:
    if not raw.isdigit():
        raise not_found()
    return int(raw)


def _int_param(query: dict[str, str], name: str, minimum: int = 1) -> int | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    try:
        number = int(raw)
    except ValueError:
        raise bad_param(name) from None
    if number < minimum:
        raise bad_param(name)
    return number


def _bool_param(query: dict[str, str], name: str) -> bool:
    # The SDK sends Python's `True`; browsers send `true`.
    return query.get(name, "").lower() == "true"


def _list_param(query: dict[str, str], name: str) -> list[str]:
    return [part.strip() for part in query.get(name, "").split(",") if part.strip()]


def _id_list(query: dict[str, str], name: str) -> list[int] | None:
    parts = _list_param(query, name)
    if not parts:
        return None
    try:
        return [int(part) for part in parts]
    except ValueError:
        raise bad_param(name) from None


def _permalink(kind: str, object_id: int) -> str:
    token = base64.b32encode(object_id.to_bytes(8, "big")).decode().rstrip("=").lower()
    return f"{APP}/{kind}/{token}"


def _offset_page(items: list[Any], query: dict[str, str]) -> dict[str, Any]:
    """An IndexResult; `includeAll` drops `pageSize`, a page past the end repeats the last page."""
    total = len(items)
    if _bool_param(query, "includeAll"):
        return {"pageNumber": 1, "totalPages": 1, "totalCount": total, "data": items}
    size = _int_param(query, "pageSize") or 100
    pages = max(1, math.ceil(total / size))
    page = min(_int_param(query, "page") or 1, pages)
    data = items[(page - 1) * size : page * size]
    return {"pageNumber": page, "pageSize": size, "totalPages": pages, "totalCount": total, "data": data}


def _token_page(items: list[dict[str, Any]], query: dict[str, str], default_max: int | None) -> dict[str, Any]:
    """Token paging: `{data, lastKey?}`; `lastKey` is opaque and absent on the last page."""
    max_items = _int_param(query, "maxItems") or default_max
    start = 0
    last_key = query.get("lastKey")
    if last_key:
        try:
            last_id = json.loads(base64.b64decode(last_key.encode()).decode())["lastId"]
            start = next(i for i, item in enumerate(items) if item["id"] == last_id) + 1
        except (ValueError, KeyError, StopIteration, TypeError):
            raise bad_param("lastKey") from None
    if max_items is None:
        return {"data": items[start:]}
    data = items[start : start + max_items]
    body: dict[str, Any] = {"data": data}
    if start + max_items < len(items):
        body["lastKey"] = base64.b64encode(json.dumps({"lastId": data[-1]["id"]}, separators=(",", ":")).encode()).decode()
    return body


# ----- users -------------------------------------------------------------------------------------
@route("GET", "/users/me")
def users_me(api: Api, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    user = grant.user
    return {
        "id": user.id,
        "email": user.email,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "locale": "en_US",
        "timeZone": "UTC",
        "account": {"name": "Emulated Account", "id": 4242},
        "admin": True,
        "licensedSheetCreator": True,
        "alternateEmails": [],
        "sheetCount": len(api.visible_sheets(grant)),
    }


# ----- sheets ------------------------------------------------------------------------------------
def sheet_summary(sheet: Sheet, with_version: bool = False, owner_info: bool = False, source: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {"id": sheet.id, "name": sheet.name, "accessLevel": "OWNER"}
    if with_version:
        body["version"] = sheet.version
    if owner_info:  # api-samples/list-sheets-include-ownerinfo.json
        body.update(owner=sheet.owner.email, ownerId=sheet.owner.id)
    if source and sheet.source is not None:  # api-samples/workspace-children-include-source-ownerinfo.json
        body["source"] = {"id": sheet.source[0], "type": sheet.source[1]}
    body.update(
        permalink=_permalink("sheets", sheet.id),
        createdAt=iso(sheet.created_at),
        modifiedAt=iso(sheet.modified_at),
    )
    return body


@route("GET", "/sheets")
def list_sheets(api: Api, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    sheets = sorted(api.visible_sheets(grant), key=lambda sheet: (sheet.name.lower(), sheet.id))
    since = request.query.get("modifiedSince")
    if since:
        moment = _parse_time(since, "modifiedSince")
        sheets = [sheet for sheet in sheets if whole_second(sheet.modified_at) >= moment]  # inclusive
    includes = set(_list_param(request.query, "include"))
    source = "source" in includes and api.world.listing_says_source
    listed = [sheet_summary(sheet, "sheetVersion" in includes, "ownerInfo" in includes, source) for sheet in sheets]
    return _offset_page(listed, request.query)


def _parse_time(raw: str, name: str) -> datetime:
    try:
        return whole_second(parse_iso(raw))
    except ValueError:
        raise bad_param(name) from None


@route("GET", "/sheets/{id}/version")
def sheet_version(api: Api, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
    return {"version": api.sheet(grant, sheet_id).version}


@route("GET", "/sheets/{id}")
def get_sheet(api: Api, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
    sheet = api.sheet(grant, sheet_id)
    query = request.query
    after = _int_param(query, "ifVersionAfter", minimum=0)
    if after is not None and sheet.version <= after:
        return {"version": sheet.version}
    includes = set(_list_param(query, "include"))
    options = RenderOptions(
        level=_int_param(query, "level", minimum=0) or 0,
        object_value="objectValue" in includes,
        writer_info="writerInfo" in includes,
        row_permalink="rowPermalink" in includes,
        exclude_nonexistent="nonexistentCells" in _list_param(query, "exclude"),
    )
    columns = sheet.columns
    column_ids = _id_list(query, "columnIds")
    if column_ids is not None:
        columns = [column for column in columns if column.id in column_ids]
    row_numbers = {row.id: number for number, row in enumerate(sheet.rows, start=1)}
    rows = sheet.rows
    row_ids = _id_list(query, "rowIds")
    if row_ids is not None:
        rows = [row for row in rows if row.id in row_ids]
    wanted_numbers = _id_list(query, "rowNumbers")
    if wanted_numbers is not None:
        rows = [row for row in rows if row_numbers[row.id] in wanted_numbers]
    page, page_size = _int_param(query, "page"), _int_param(query, "pageSize")
    if page is not None or page_size is not None:
        # With neither, every row; with `page` only, 100 rows; a page past the end repeats the last page.
        size = page_size or 100
        last_page = max(1, math.ceil(len(rows) / size))
        page = min(page or 1, last_page)
        rows = rows[(page - 1) * size : page * size]
    since_raw = query.get("rowsModifiedSince")
    if since_raw:
        # Applied after paging; strictly after, at one-second resolution; blank rows are invisible.
        since = _parse_time(since_raw, "rowsModifiedSince")
        rows = [row for row in rows if whole_second(row.modified_at) > since and not row.is_blank()]
    siblings = sibling_ids(sheet)
    permalink = _permalink("sheets", sheet.id)
    body = {
        "id": sheet.id,
        "name": sheet.name,
        "version": sheet.version,
        "totalRowCount": len(sheet.rows),
        "accessLevel": "OWNER",
        "effectiveAttachmentOptions": ["FILE", "GOOGLE_DRIVE", "LINK"],
        "ganttEnabled": False,
        "dependenciesEnabled": any(column.type == "PREDECESSOR" for column in sheet.columns),
        "resourceManagementEnabled": False,
        "cellImageUploadEnabled": True,
        "userSettings": {"criticalPathEnabled": False, "displaySummaryTasks": True},
        "permalink": permalink,
        "createdAt": iso(sheet.created_at),
        "modifiedAt": iso(sheet.modified_at),
        "isMultiPicklistEnabled": True,
    }
    if api.world.sheets_say_has_summary_fields:  # in the docs' example; not seen in a live recording
        body["hasSummaryFields"] = bool(sheet.summary)
    if "source" in includes and sheet.source is not None:
        body["source"] = {"id": sheet.source[0], "type": sheet.source[1]}
    if sheet.workspace_id is not None:
        workspace = api.world.workspaces[sheet.workspace_id]
        body["workspace"] = {"id": workspace.id, "name": workspace.name}
    body["columns"] = [render_column(column, sheet.columns.index(column), options) for column in columns]
    body["rows"] = [
        render_row(columns, row, row_numbers[row.id], siblings[row.id], options, row_numbers, permalink) for row in rows
    ]
    return body


# ----- workspaces and folders ---------------------------------------------------------------------
def _workspace_summary(workspace: Workspace) -> dict[str, Any]:
    return {
        "id": workspace.id,
        "name": workspace.name,
        "accessLevel": workspace.access_level,
        "permalink": _permalink("workspaces", workspace.id),
    }


@route("GET", "/workspaces")
def list_workspaces(api: Api, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    items = [_workspace_summary(ws) for ws in sorted(api.world.workspaces.values(), key=lambda ws: ws.id)]
    return _token_page(items, request.query, default_max=None)


def _children(
    api: Api, grant: TokenGrant, container: Folder, types: set[str], includes: set[str] | None = None
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if "folders" in types:
        for folder_id in container.folder_ids:
            folder = api.world.folders[folder_id]
            items.append(
                {
                    "id": folder.id,
                    "name": folder.name,
                    "permalink": _permalink("folders", folder.id),
                    "createdAt": iso(folder.created_at),
                    "modifiedAt": iso(folder.modified_at),
                    "resourceType": "folder",
                }
            )
    if "sheets" in types:
        visible = {sheet.id for sheet in api.visible_sheets(grant)}
        for sheet_id in container.sheet_ids:
            if sheet_id in visible:
                sheet = api.world.sheets[sheet_id]
                owner_info, source = "ownerInfo" in (includes or ()), "source" in (includes or ())
                items.append({**sheet_summary(sheet, owner_info=owner_info, source=source), "resourceType": "sheet"})
    if "reports" in types:
        for report_id in container.report_ids:
            items.append({**_report_summary(api.world.reports[report_id]), "resourceType": "report"})
    return items


def _children_response(api: Api, grant: TokenGrant, request: Request, container: Folder) -> dict[str, Any]:
    types = set(_list_param(request.query, "childrenResourceTypes")) or {"sheets", "folders", "reports", "sights"}
    unknown = types - {"sheets", "folders", "reports", "sights"}
    if unknown:
        raise bad_param("childrenResourceTypes")
    includes = set(_list_param(request.query, "include"))
    return _token_page(_children(api, grant, container, types, includes), request.query, default_max=100)


@route("GET", "/workspaces/{id}/children")
def workspace_children(api: Api, grant: TokenGrant, request: Request, workspace_id: int) -> dict[str, Any]:
    return _children_response(api, grant, request, api.container("workspace", workspace_id))


@route("GET", "/folders/{id}/children")
def folder_children(api: Api, grant: TokenGrant, request: Request, folder_id: int) -> dict[str, Any]:
    return _children_response(api, grant, request, api.container("folder", folder_id))


def _metadata(container: Folder, kind: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": container.id,
        "name": container.name,
        "permalink": _permalink(kind + "s", container.id),
        "createdAt": iso(container.created_at),
        "modifiedAt": iso(container.modified_at),
    }
    if isinstance(container, Workspace):  # folder metadata has no accessLevel
        body["accessLevel"] = container.access_level
    return body


@route("GET", "/workspaces/{id}/metadata")
def workspace_metadata(api: Api, grant: TokenGrant, request: Request, workspace_id: int) -> dict[str, Any]:
    return _metadata(api.container("workspace", workspace_id), "workspace")


@route("GET", "/folders/{id}/metadata")
def folder_metadata(api: Api, grant: TokenGrant, request: Request, folder_id: int) -> dict[str, Any]:
    return _metadata(api.container("folder", folder_id), "folder")


def _legacy_tree(api: Api, grant: TokenGrant, container: Folder, deep: bool) -> dict[str, Any]:
    """The deprecated nested form: empty arrays are omitted."""
    body: dict[str, Any] = {"id": container.id, "name": container.name}
    if isinstance(container, Workspace):
        body["accessLevel"] = container.access_level
    body["permalink"] = _permalink("workspaces" if isinstance(container, Workspace) else "folders", container.id)
    visible = {sheet.id for sheet in api.visible_sheets(grant)}
    sheets = [sheet_summary(api.world.sheets[i]) for i in container.sheet_ids if i in visible]
    if sheets:
        body["sheets"] = sheets
    folders = []
    for folder_id in container.folder_ids:
        folder = api.world.folders[folder_id]
        folders.append(_legacy_tree(api, grant, folder, deep) if deep else {"id": folder.id, "name": folder.name})
    if folders:
        body["folders"] = folders
    reports = [_report_summary(api.world.reports[i]) for i in container.report_ids]
    if reports:
        body["reports"] = reports
    return body


@route("GET", "/workspaces/{id}")
def legacy_workspace(api: Api, grant: TokenGrant, request: Request, workspace_id: int) -> dict[str, Any]:
    deep = _bool_param(request.query, "loadAll")
    return _legacy_tree(api, grant, api.container("workspace", workspace_id), deep)


@route("GET", "/folders/{id}")
def legacy_folder(api: Api, grant: TokenGrant, request: Request, folder_id: int) -> dict[str, Any]:
    deep = _bool_param(request.query, "loadAll")
    return _legacy_tree(api, grant, api.container("folder", folder_id), deep)


# ----- reports -----------------------------------------------------------------------------------
def _report_summary(report: Report) -> dict[str, Any]:
    return {
        "id": report.id,
        "name": report.name,
        "accessLevel": "OWNER",
        "permalink": _permalink("reports", report.id),
        "createdAt": iso(report.created_at),
        "modifiedAt": iso(report.modified_at),
    }


@route("GET", "/templates")
def list_templates(api: Api, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    """The user's own templates (the SDK's `list_user_created_templates`)."""
    items = [{"id": t.id, "name": t.name, "accessLevel": "OWNER", "type": "sheet"} for t in api.world.templates.values()]
    return _offset_page(items, request.query)


@route("GET", "/reports")
def list_reports(api: Api, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    items = [{**_report_summary(report), "isSummaryReport": False} for report in api.world.reports.values()]
    return _offset_page(items, request.query)


@route("GET", "/reports/{id}")
def get_report(api: Api, grant: TokenGrant, request: Request, report_id: int) -> dict[str, Any]:
    """Rows from many sheets; columns carry `virtualId`, cells `virtualColumnId`, rows `sheetId`."""
    report = api.world.reports.get(report_id)
    if report is None:
        raise not_found()
    query = request.query
    includes = set(_list_param(query, "include"))
    options = RenderOptions(
        level=_int_param(query, "level", minimum=0) or 0,
        object_value="objectValue" in includes,
        report=True,
    )
    sources = [sheet for sheet in (api.world.sheets[i] for i in report.source_sheet_ids) if not sheet.deleted]
    virtual: dict[str, int] = {}
    virtual_columns = [
        {
            "virtualId": _virtual_id(report.id, "Sheet Name"),
            "version": 0,
            "index": 0,
            "title": "Sheet Name",
            "type": "TEXT_NUMBER",
            "sheetNameColumn": True,
            "width": 150,
        }
    ]
    for sheet in sources:
        for column in sheet.columns:
            if column.title not in virtual:
                virtual[column.title] = _virtual_id(report.id, column.title)
                rendered = render_column(column, len(virtual_columns), options)
                del rendered["id"]
                virtual_columns.append({"virtualId": virtual[column.title], **rendered})
    rows: list[dict[str, Any]] = []
    for sheet in sources:
        numbers = {row.id: n for n, row in enumerate(sheet.rows, start=1)}
        for row in sheet.rows:
            rendered = render_row(sheet.columns, row, 0, None, options, numbers, _permalink("sheets", sheet.id))
            name_cell: dict[str, Any] = {"virtualColumnId": virtual_columns[0]["virtualId"], "value": sheet.name}
            if options.object_value:
                name_cell["objectValue"] = sheet.name
            name_cell["displayValue"] = sheet.name
            cells = [name_cell]
            for column, cell in zip(sheet.columns, rendered["cells"], strict=True):
                cells.append({**cell, "virtualColumnId": virtual[column.title]})
            rows.append(
                {
                    "id": row.id,
                    "rowNumber": len(rows) + 1,
                    "sheetId": sheet.id,
                    "accessLevel": "OWNER",
                    "expanded": True,
                    "createdAt": rendered["createdAt"],
                    "modifiedAt": rendered["modifiedAt"],
                    "cells": cells,
                }
            )
    total = len(rows)
    size = _int_param(query, "pageSize") or 100
    last_page = max(1, math.ceil(total / size))
    page = min(_int_param(query, "page") or 1, last_page)
    body = _report_summary(report)
    body.update(totalRowCount=total, columns=virtual_columns, rows=rows[(page - 1) * size : page * size])
    return body


def _virtual_id(report_id: int, title: str) -> int:
    digest = hashlib.sha256(f"{report_id}:{title}".encode()).digest()
    return 10**15 + int.from_bytes(digest[:6], "big") % (2**53 - 10**15)
