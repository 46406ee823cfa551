"""The endpoints of sheets, reports, workspaces, folders, templates and the user (docs/smartsheet-api.md), over a World."""

from __future__ import annotations

import hashlib
import math
from datetime import datetime
from typing import Any

from .access import Access
from .api_around_rows import render_attachment, render_discussion, render_summary_field
from .clock import iso, parse_iso, whole_second
from .model import Dashboard, Folder, Report, Sheet, Template, Workspace
from .params import bool_param, id_list, int_param, list_param, offset_page, permalink, token_page
from .protocol import Request, bad_param, not_found
from .render import RenderOptions, render_column, render_row, sibling_ids
from .world import TokenGrant


# ----- users -------------------------------------------------------------------------------------
def users_me(api: Access, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
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
        permalink=permalink("sheets", sheet.id),
        createdAt=iso(sheet.created_at),
        modifiedAt=iso(sheet.modified_at),
    )
    return body


def list_sheets(api: Access, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    sheets = sorted(api.visible_sheets(grant), key=lambda sheet: (sheet.name.lower(), sheet.id))
    since = request.query.get("modifiedSince")
    if since:
        moment = _parse_time(since, "modifiedSince")
        sheets = [sheet for sheet in sheets if whole_second(sheet.modified_at) >= moment]  # inclusive
    includes = set(list_param(request.query, "include"))
    source = "source" in includes and api.world.listing_says_source
    listed = [sheet_summary(sheet, "sheetVersion" in includes, "ownerInfo" in includes, source) for sheet in sheets]
    return offset_page(listed, request.query)


def _parse_time(raw: str, name: str) -> datetime:
    try:
        return whole_second(parse_iso(raw))
    except ValueError:
        raise bad_param(name) from None


def sheet_version(api: Access, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
    return {"version": api.sheet(grant, sheet_id).version}


def get_sheet(api: Access, grant: TokenGrant, request: Request, sheet_id: int) -> dict[str, Any]:
    sheet = api.sheet(grant, sheet_id)
    query = request.query
    after = int_param(query, "ifVersionAfter", minimum=0)
    if after is not None and sheet.version <= after:
        return {"version": sheet.version}
    includes = set(list_param(query, "include"))
    options = RenderOptions(
        level=int_param(query, "level", minimum=0) or 0,
        object_value="objectValue" in includes,
        writer_info="writerInfo" in includes,
        row_permalink="rowPermalink" in includes,
        exclude_nonexistent="nonexistentCells" in list_param(query, "exclude"),
    )
    columns = sheet.columns
    column_ids = id_list(query, "columnIds")
    if column_ids is not None:
        columns = [column for column in columns if column.id in column_ids]
    row_numbers = {row.id: number for number, row in enumerate(sheet.rows, start=1)}
    rows = sheet.rows
    row_ids = id_list(query, "rowIds")
    if row_ids is not None:
        rows = [row for row in rows if row.id in row_ids]
    wanted_numbers = id_list(query, "rowNumbers")
    if wanted_numbers is not None:
        rows = [row for row in rows if row_numbers[row.id] in wanted_numbers]
    page, page_size = int_param(query, "page"), int_param(query, "pageSize")
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
    sheet_link = permalink("sheets", sheet.id)
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
        "permalink": sheet_link,
        "createdAt": iso(sheet.created_at),
        "modifiedAt": iso(sheet.modified_at),
        "isMultiPicklistEnabled": True,
    }
    if api.world.sheets_say_has_summary_fields:  # in the docs' example; not seen in a live recording
        body["hasSummaryFields"] = bool(sheet.summary)
    if "source" in includes and sheet.source is not None:
        body["source"] = {"id": sheet.source[0], "type": sheet.source[1]}
    if "summary" in includes and api.world.sheet_reads_include_summary:  # in the SDKs' include lists, not the REST docs'
        writer_info = "writerInfo" in includes
        body["summary"] = {"fields": [render_summary_field(field, n, writer_info, True) for n, field in enumerate(sheet.summary)]}
    if sheet.workspace_id is not None:
        workspace = api.world.workspaces[sheet.workspace_id]
        body["workspace"] = {"id": workspace.id, "name": workspace.name}
    body["columns"] = [render_column(column, sheet.columns.index(column), options) for column in columns]
    body["rows"] = [
        render_row(columns, row, row_numbers[row.id], siblings[row.id], options, row_numbers, sheet_link) for row in rows
    ]
    _around(body, sheet, rows, includes)
    return body


def _around(body: dict[str, Any], sheet: Sheet, rows: list[Any], includes: set[str]) -> None:
    """`include=discussions` / `attachments` (docs/smartsheet-api.md "Around rows"): the sheet's own at sheet level,
    each row's on the row (paged with the rows); discussions without their comments, and with their comments'
    attachments (`commentAttachments`) only when both are asked."""
    discussions, attachments = "discussions" in includes, "attachments" in includes
    if not (discussions or attachments):
        return
    rendered = {id(row_body): row for row_body, row in zip(body["rows"], rows, strict=True)}

    def on(parent_type: str, parent_id: int) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if discussions:
            items = [d for d in sheet.discussions if d.parent_type == parent_type and d.parent_id == parent_id]
            if items:
                found["discussions"] = [render_discussion(d, comments=False, attachments=attachments) for d in items]
        if attachments:
            files = [a for a in sheet.attachments if a.parent_type == parent_type and a.parent_id == parent_id]
            if files:
                found["attachments"] = [render_attachment(a) for a in files]
        return found

    body.update(on("SHEET", sheet.id))
    for row_body in body["rows"]:
        row_body.update(on("ROW", rendered[id(row_body)].id))


# ----- workspaces and folders ---------------------------------------------------------------------
def _workspace_summary(workspace: Workspace) -> dict[str, Any]:
    return {
        "id": workspace.id,
        "name": workspace.name,
        "accessLevel": workspace.access_level,
        "permalink": permalink("workspaces", workspace.id),
    }


def list_workspaces(api: Access, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    items = [_workspace_summary(ws) for ws in sorted(api.world.workspaces.values(), key=lambda ws: ws.id)]
    return token_page(items, request.query, default_max=None)


def _children(
    api: Access, grant: TokenGrant, container: Folder, types: set[str], includes: set[str] | None = None
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if "folders" in types:
        for folder_id in container.folder_ids:
            folder = api.world.folders[folder_id]
            items.append(
                {
                    "id": folder.id,
                    "name": folder.name,
                    "permalink": permalink("folders", folder.id),
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
    if "templates" in types and "sheets" in types:  # `templates` alone drops them (the SDK's changelog)
        for template_id in container.template_ids:
            items.append(_template_summary(api.world.templates[template_id]))
    return items


def _template_summary(template: Template) -> dict[str, Any]:
    """A template as a workspace's or folder's children list it (`description` only where it has one)."""
    body: dict[str, Any] = {"id": template.id, "name": template.name}
    if template.description is not None:
        body["description"] = template.description
    body.update(
        accessLevel="OWNER",
        permalink=permalink("sheets", template.id),
        createdAt=iso(template.created_at),
        modifiedAt=iso(template.created_at),
        resourceType="template",
    )
    return body


CHILD_TYPES = {"sheets", "folders", "reports", "sights", "templates"}


def _children_response(api: Access, grant: TokenGrant, request: Request, container: Folder) -> dict[str, Any]:
    types = set(list_param(request.query, "childrenResourceTypes")) or CHILD_TYPES
    unknown = types - CHILD_TYPES
    if unknown:
        raise bad_param("childrenResourceTypes")
    includes = set(list_param(request.query, "include"))
    return token_page(_children(api, grant, container, types, includes), request.query, default_max=100)


def workspace_children(api: Access, grant: TokenGrant, request: Request, workspace_id: int) -> dict[str, Any]:
    return _children_response(api, grant, request, api.container("workspace", workspace_id))


def folder_children(api: Access, grant: TokenGrant, request: Request, folder_id: int) -> dict[str, Any]:
    return _children_response(api, grant, request, api.container("folder", folder_id))


def _metadata(container: Folder, kind: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": container.id,
        "name": container.name,
        "permalink": permalink(kind + "s", container.id),
        "createdAt": iso(container.created_at),
        "modifiedAt": iso(container.modified_at),
    }
    if isinstance(container, Workspace):  # folder metadata has no accessLevel
        body["accessLevel"] = container.access_level
    return body


def workspace_metadata(api: Access, grant: TokenGrant, request: Request, workspace_id: int) -> dict[str, Any]:
    return _metadata(api.container("workspace", workspace_id), "workspace")


def folder_metadata(api: Access, grant: TokenGrant, request: Request, folder_id: int) -> dict[str, Any]:
    return _metadata(api.container("folder", folder_id), "folder")


def _legacy_tree(api: Access, grant: TokenGrant, container: Folder, deep: bool) -> dict[str, Any]:
    """The deprecated nested form: empty arrays are omitted."""
    body: dict[str, Any] = {"id": container.id, "name": container.name}
    if isinstance(container, Workspace):
        body["accessLevel"] = container.access_level
    body["permalink"] = permalink("workspaces" if isinstance(container, Workspace) else "folders", container.id)
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


def legacy_workspace(api: Access, grant: TokenGrant, request: Request, workspace_id: int) -> dict[str, Any]:
    deep = bool_param(request.query, "loadAll")
    return _legacy_tree(api, grant, api.container("workspace", workspace_id), deep)


def legacy_folder(api: Access, grant: TokenGrant, request: Request, folder_id: int) -> dict[str, Any]:
    deep = bool_param(request.query, "loadAll")
    return _legacy_tree(api, grant, api.container("folder", folder_id), deep)


# ----- reports -----------------------------------------------------------------------------------
def listed_summary(kind: str, item: Report | Dashboard) -> dict[str, Any]:
    """A report or dashboard as listings show it (`kind`: its permalink's path, `reports` or `dashboards`)."""
    return {
        "id": item.id,
        "name": item.name,
        "accessLevel": "OWNER",
        "permalink": permalink(kind, item.id),
        "createdAt": iso(item.created_at),
        "modifiedAt": iso(item.modified_at),
    }


def _report_summary(report: Report) -> dict[str, Any]:
    return listed_summary("reports", report)


def list_templates(api: Access, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    """The user's own templates (the SDK's `list_user_created_templates` before 4.0.0): switched off on 2026-06-03,
    answered only by `world.old_api`."""
    if not api.world.old_api:
        raise not_found()
    items = [{"id": t.id, "name": t.name, "accessLevel": "OWNER", "type": "sheet"} for t in api.world.templates.values()]
    return offset_page(items, request.query)


def list_reports(api: Access, grant: TokenGrant, request: Request, _: int) -> dict[str, Any]:
    items = [{**_report_summary(report), "isSummaryReport": False} for report in api.world.reports.values()]
    return offset_page(items, request.query)


def get_report(api: Access, grant: TokenGrant, request: Request, report_id: int) -> dict[str, Any]:
    """Rows from many sheets; columns carry `virtualId`, cells `virtualColumnId`, rows `sheetId`."""
    report = api.world.reports.get(report_id)
    if report is None:
        raise not_found()
    query = request.query
    includes = set(list_param(query, "include"))
    options = RenderOptions(
        level=int_param(query, "level", minimum=0) or 0,
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
            rendered = render_row(sheet.columns, row, 0, None, options, numbers, permalink("sheets", sheet.id))
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
    size = int_param(query, "pageSize") or 100
    last_page = max(1, math.ceil(total / size))
    page = min(int_param(query, "page") or 1, last_page)
    body = _report_summary(report)
    body.update(totalRowCount=total, columns=virtual_columns, rows=rows[(page - 1) * size : page * size])
    if "sourceSheets" in includes:
        body["sourceSheets"] = [
            {"id": sheet.id, "name": sheet.name, "accessLevel": "OWNER", "permalink": permalink("sheets", sheet.id)}
            for sheet in sources
        ]
    return body


def _virtual_id(report_id: int, title: str) -> int:
    digest = hashlib.sha256(f"{report_id}:{title}".encode()).digest()
    return 10**15 + int.from_bytes(digest[:6], "big") % (2**53 - 10**15)
