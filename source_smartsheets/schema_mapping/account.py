"""Records of the account streams (workspaces, folders, reports, dashboards, templates, users, groups) and of
`sheet_shares`: pure functions from the API's shapes (docs/smartsheet-api.md "The account around the sheets") to
records, and each stream's fixed schema. Keys are read defensively (`.get`)."""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from ..whole_numbers import id_number, whole_int
from .common import BOOLEAN, INTEGER, SHEET_ID, STRING, Record, email_of, time_text
from .types import TIMESTAMP_TZ

IDS = {"type": ["null", "array"], "items": {"type": "integer"}}
ID = {"id": {"type": "integer"}}
PLACE = {"name": STRING, "access_level": STRING, "permalink": STRING, "created_at": TIMESTAMP_TZ, "modified_at": TIMESTAMP_TZ}


def _place(item: Mapping[str, Any]) -> Record:
    return {
        "id": item.get("id"),
        "name": item.get("name"),
        "access_level": item.get("accessLevel"),
        "permalink": item.get("permalink"),
        "created_at": time_text(item.get("createdAt")),
        "modified_at": time_text(item.get("modifiedAt")),
    }


WORKSPACE_PROPERTIES = {**ID, **PLACE}


def workspace_record(workspace: Mapping[str, Any]) -> Record:
    return _place(workspace)


FOLDER_PROPERTIES = {**ID, **PLACE, "workspace_id": INTEGER, "parent_folder_id": INTEGER, "path": STRING}


def folder_record(folder: Mapping[str, Any], workspace_id: int, parent_id: int | None, path: str) -> Record:
    return {**_place(folder), "workspace_id": workspace_id, "parent_folder_id": parent_id, "path": path}


REPORT_PROPERTIES = {**ID, **PLACE, "workspace_id": INTEGER, "path": STRING, "source_sheet_ids": IDS}


def report_record(report: Mapping[str, Any], workspace_id: int | None, path: str, sources: Sequence[Mapping[str, Any]]) -> Record:
    return {
        **_place(report),
        "workspace_id": workspace_id,
        "path": path,
        "source_sheet_ids": sorted(whole_int(sheet.get("id")) or 0 for sheet in sources if whole_int(sheet.get("id"))),
    }


WIDGETS = {
    "type": ["null", "array"],
    "items": {
        "type": "object",
        "properties": {"type": STRING, "title": STRING, "sheet_id": INTEGER, "report_id": INTEGER},
    },
}
DASHBOARD_PROPERTIES = {**ID, **PLACE, "widgets": WIDGETS, "source_sheet_ids": IDS, "source_report_ids": IDS}


def dashboard_record(listed: Mapping[str, Any], dashboard: Mapping[str, Any]) -> Record:
    """A dashboard with its widgets and what they show: the sheets and reports it depends on."""
    widgets = []
    for widget in dashboard.get("widgets") or ():
        contents = widget.get("contents") if isinstance(widget.get("contents"), Mapping) else {}
        widgets.append(
            {
                "type": widget.get("type"),
                "title": widget.get("title"),
                "sheet_id": whole_int(contents.get("sheetId")),
                "report_id": whole_int(contents.get("reportId")),
            }
        )
    return {
        **_place({**listed, **dashboard}),
        "widgets": widgets,
        "source_sheet_ids": sorted({widget["sheet_id"] for widget in widgets if widget["sheet_id"] is not None}),
        "source_report_ids": sorted({widget["report_id"] for widget in widgets if widget["report_id"] is not None}),
    }


TEMPLATE_PROPERTIES = {
    **ID,
    "name": STRING,
    "description": STRING,
    "access_level": STRING,
    "type": STRING,
    "workspace_id": INTEGER,
    "path": STRING,
}


def template_record(template: Mapping[str, Any], workspace_id: int | None, path: str) -> Record:
    """A template as a workspace's or folder's children list it (`description` may be absent; `type` was said only
    by the account-wide list switched off on 2026-06-03)."""
    return {
        "id": template.get("id"),
        "name": template.get("name"),
        "description": template.get("description"),
        "access_level": template.get("accessLevel"),
        "type": template.get("type"),
        "workspace_id": workspace_id,
        "path": path,
    }


USER_PROPERTIES = {
    **ID,
    "email": STRING,
    "name": STRING,
    "first_name": STRING,
    "last_name": STRING,
    "admin": BOOLEAN,
    "licensed_sheet_creator": BOOLEAN,
    "status": STRING,
}


def user_record(user: Mapping[str, Any]) -> Record:
    return {
        "id": user.get("id"),
        "email": user.get("email"),
        "name": user.get("name"),
        "first_name": user.get("firstName"),
        "last_name": user.get("lastName"),
        "admin": user.get("admin"),
        "licensed_sheet_creator": user.get("licensedSheetCreator"),
        "status": user.get("status"),
    }


GROUP_PROPERTIES = {**ID, "name": STRING, "description": STRING, "owner": STRING, "owner_id": INTEGER}


def group_record(group: Mapping[str, Any]) -> Record:
    owner = group.get("owner")
    return {
        "id": group.get("id"),
        "name": group.get("name"),
        "description": group.get("description"),
        "owner": owner if isinstance(owner, str) else email_of(owner),
        "owner_id": whole_int(group.get("ownerId")),
    }


# ----- sheet shares --------------------------------------------------------------------------------------
ACCESS_LEVELS = ("VIEWER", "COMMENTER", "EDITOR", "EDITOR_SHARE", "ADMIN", "OWNER")  # lowest first
SHARE_PROPERTIES = {
    **SHEET_ID,
    "principal_id": {"type": "integer"},  # the user's or group's id: one record per sheet and principal
    "share_id": STRING,  # the API's share id, which names the user or group (the same on every sheet)
    "type": STRING,  # USER or GROUP
    "email": STRING,
    "name": STRING,
    "access_level": STRING,  # the highest the principal has on the sheet, directly or through the workspace
    "item_access_level": STRING,  # shared on the sheet itself (null: not)
    "workspace_access_level": STRING,  # through the sheet's workspace (null: not)
    "from_workspace": BOOLEAN,  # the principal's access comes from the workspace only
    "observed_at": TIMESTAMP_TZ,  # the sync that saw this access as it is
}


def _highest(levels: Iterable[str | None]) -> str | None:
    known = [level for level in levels if level is not None]
    return max(known, key=lambda level: ACCESS_LEVELS.index(level) if level in ACCESS_LEVELS else -1, default=None)


def share_records(
    sheet_id: int, stream: str, shares: Sequence[Mapping[str, Any]], observed_at: str
) -> tuple[list[Record], list[str]]:
    """One record per user or group with access to the sheet: a direct share and a workspace share of the same
    principal are one record, with both levels and the higher one. `GET /shares` says the user's or group's id as a
    string: its number is the principal; a share whose id holds no number is left out, and named in the second list."""
    by_principal: dict[int, Record] = {}
    skipped: list[str] = []
    for share in shares:
        raw = share.get("userId") if share.get("userId") is not None else share.get("groupId")
        principal = id_number(raw)
        if principal is None:
            skipped.append(f"share {share.get('id')!r} ({share.get('type')}, id {raw!r})")
            continue
        record = by_principal.setdefault(
            principal,
            {
                "sheet_id": sheet_id,
                "stream_name": stream,
                "principal_id": principal,
                "share_id": share.get("id"),
                "type": share.get("type"),
                "email": share.get("email"),
                "name": share.get("name"),
                "item_access_level": None,
                "workspace_access_level": None,
                "observed_at": observed_at,
            },
        )
        scope_field = "workspace_access_level" if share.get("scope") == "WORKSPACE" else "item_access_level"
        record[scope_field] = _highest((record[scope_field], share.get("accessLevel")))
    for record in by_principal.values():
        record["access_level"] = _highest((record["item_access_level"], record["workspace_access_level"]))
        record["from_workspace"] = record["item_access_level"] is None
    return list(by_principal.values()), skipped
