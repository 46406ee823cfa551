"""Which sheets a configuration names: listed IDs, every sheet in the listed workspaces (through
folders), and listed reports."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Callable, Mapping, TypeVar

from .client import SmartsheetClient
from .config import SmartsheetConfig
from .errors import Action, SmartsheetApiError, explain
from .schema_mapping.naming import OWN_STREAMS, namespace_name, stream_names

logger = logging.getLogger("airbyte")
T = TypeVar("T")
ONE_ROW = {"pageSize": 1, "page": 1}


@dataclass(frozen=True)
class ObjectRef:
    """A sheet to sync, known without reading it: its stream name, namespace and listed version."""

    id: int
    name: str
    stream_name: str = ""
    namespace: str | None = None
    path: str = ""
    listed_version: int | None = None
    kind: str = "sheet"  # or "report"
    listed: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)  # what the sheet listing says


@dataclass
class Problem:
    """A configured sheet or workspace that could not be reached."""

    label: str
    error: SmartsheetApiError

    @property
    def message(self) -> str:
        return explain(self.error, self.label)


@dataclass
class Discovered:
    objects: list[ObjectRef] = field(default_factory=list)  # sheets and reports
    problems: list[Problem] = field(default_factory=list)


def discover_objects(client: SmartsheetClient, config: SmartsheetConfig) -> Discovered:
    """Resolve the configuration into sheets and reports. Unreachable IDs become problems; other errors raise."""
    result = Discovered()
    listing = {int(item["id"]): item for item in client.list_sheets()}
    found: dict[int, ObjectRef] = {}
    for workspace_id in config.workspace_ids:
        _or_problem(result, f"workspace {workspace_id}", partial(_walk_workspace, client, config, workspace_id, listing, found))
    for sheet_id in config.sheet_ids:
        if sheet_id in found:
            continue  # a sheet reached twice is one stream
        # Not in the listing (or the listing lags): ask for the sheet itself, one row.
        item = listing.get(sheet_id) or _or_problem(result, f"sheet {sheet_id}", partial(client.sheet_page, sheet_id, ONE_ROW))
        if item is not None:
            name = str(item.get("name") or "")
            found[sheet_id] = ObjectRef(sheet_id, name, listed_version=_version(item), listed=_listed(item))
    for report_id in config.report_ids:
        report = _or_problem(result, f"report {report_id}", partial(client.report_page, report_id, ONE_ROW))
        if report is not None:
            found.setdefault(report_id, ObjectRef(report_id, str(report.get("name") or ""), kind="report"))
    names = stream_names(((ref.id, ref.name) for ref in found.values()), reserved=OWN_STREAMS)
    result.objects = [replace(ref, stream_name=names[ref.id]) for ref in found.values()]
    result.objects.sort(key=lambda ref: ref.stream_name)
    return result


def _or_problem(result: Discovered, label: str, fetch: Callable[[], T]) -> T | None:
    """Run one look-up; an ID that is gone or not shared becomes a problem, any other error raises."""
    try:
        return fetch()
    except SmartsheetApiError as error:
        if error.action is not Action.SKIP_SHEET:
            raise
        result.problems.append(Problem(label, error))
        return None


def _walk_workspace(
    client: SmartsheetClient,
    config: SmartsheetConfig,
    workspace_id: int,
    listing: dict[int, dict[str, Any]],
    found: dict[int, ObjectRef],
) -> None:
    workspace = client.workspace_metadata(workspace_id)
    workspace_name = str(workspace.get("name") or workspace_id)
    namespace = namespace_name(workspace_id, workspace_name)
    pending: list[tuple[str, int, str]] = [("workspace", workspace_id, workspace_name)]
    seen_folders: set[int] = set()
    while pending:
        kind, container_id, path = pending.pop(0)
        for child in client.children(kind, container_id):
            child_type = child.get("resourceType")
            child_id = int(child["id"])
            name = str(child.get("name") or "")
            if child_type == "folder" and child_id not in seen_folders:
                seen_folders.add(child_id)
                pending.append(("folder", child_id, f"{path}/{name}"))
            elif child_type in ("sheet", "report") and child_id not in found:
                if not config.wants_sheet_name(name) and child_id not in (*config.sheet_ids, *config.report_ids):
                    continue
                if child_type == "report":
                    found[child_id] = ObjectRef(child_id, name, namespace=namespace, path=path, kind="report")
                    continue
                item = listing.get(child_id, child)
                version = _version(item)
                found[child_id] = ObjectRef(
                    child_id, name, namespace=namespace, path=path, listed_version=version, listed=_listed(item)
                )
    logger.info("Workspace %s: %d folders walked", workspace_name, len(seen_folders))


LISTED_KEYS = ("accessLevel", "permalink", "owner", "ownerId", "createdAt", "modifiedAt")


def _listed(item: Mapping[str, Any]) -> dict[str, Any]:
    """What the listing says of a sheet that the inventory keeps."""
    return {key: item[key] for key in LISTED_KEYS if item.get(key) is not None}


def _version(item: Mapping[str, Any]) -> int | None:
    version = item.get("version")
    return version if isinstance(version, int) and not isinstance(version, bool) else None
