"""Which sheets a configuration names: listed IDs, every sheet in the listed workspaces (through
folders), and listed reports."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Callable, Mapping, TypeVar

from .client import SmartsheetClient
from .config import ConfigError, MergeRule, SmartsheetConfig
from .errors import unless_gone
from .merging import MergedGroup, SheetFacts, merge_groups
from .schema_mapping.naming import namespace_name, stream_names, unique_names
from .whole_numbers import whole_int

logger = logging.getLogger("airbyte")
T = TypeVar("T")
ONE_ROW = {"pageSize": 1, "page": 1}
SOURCE_PAGE = {**ONE_ROW, "include": "source"}


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
    source: int | None = None  # the template or sheet it was made from, when the API says
    source_kind: str | None = None  # "template" or "sheet": what `source` is
    folders: tuple[int, ...] = ()  # the folders it was found under, outermost first
    workspace_id: int | None = None  # the workspace it was found in
    merged: str | None = None  # the merged stream it belongs to (then `stream_name` is that stream's name)


@dataclass(frozen=True)
class Unreachable:
    """A configured sheet, report or workspace that is gone or not shared: what to say of it."""

    message: str


@dataclass(frozen=True)
class Walked:
    """A workspace, folder, report or template met on the walk through the configured workspaces, as the API listed it."""

    item: Mapping[str, Any]
    workspace_id: int
    parent_id: int | None = None  # the folder it is in (None: the workspace itself)
    path: str = ""  # the workspace's name and the folders', `Acme Operations/Projects`


@dataclass
class Discovered:
    objects: list[ObjectRef] = field(default_factory=list)  # sheets and reports (a merged stream's sheets too)
    unreachable: list[Unreachable] = field(default_factory=list)
    merged: list[MergedGroup] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # folders, workspaces, templates and sheets by id
    walked: dict[str, list[Walked]] = field(default_factory=dict)  # "workspace", "folder", "report", "template"


def discover_objects(client: SmartsheetClient, config: SmartsheetConfig, reserved: frozenset[str] = frozenset()) -> Discovered:
    """Resolve the configuration into sheets and reports, named clear of the `reserved` stream names. IDs gone or not
    shared are `unreachable`; other errors raise."""
    result = Discovered()
    listing = {int(item["id"]): item for item in client.list_sheets()}
    result.names.update({sheet_id: str(item.get("name") or "") for sheet_id, item in listing.items()})
    found: dict[int, ObjectRef] = {}
    for workspace_id in config.workspace_ids:
        walk = partial(_walk_workspace, client, config, workspace_id, listing, found, result)
        _unless_unreachable(result, f"workspace {workspace_id}", walk)
    for sheet_id in config.sheet_ids:
        if sheet_id in found:
            continue  # a sheet reached twice is one stream
        # Not in the listing (or the listing lags): ask for the sheet itself, one row.
        item = listing.get(sheet_id) or _unless_unreachable(
            result, f"sheet {sheet_id}", partial(client.sheet_page, sheet_id, ONE_ROW)
        )
        if item is not None:
            name = str(item.get("name") or "")
            found[sheet_id] = ObjectRef(sheet_id, name, listed_version=_version(item), listed=_listed(item), **_source(item))
    for report_id in config.report_ids:
        report = _unless_unreachable(result, f"report {report_id}", partial(client.report_page, report_id, ONE_ROW))
        if report is not None:
            found.setdefault(report_id, ObjectRef(report_id, str(report.get("name") or ""), kind="report"))
    groups = _merge_groups(client, config, found, result) if config.merge_streams else []
    members = {member for group in groups for member in group.member_ids}
    own = [ref for ref in found.values() if ref.id not in members]
    pins = _stream_pins(config, list(found.values()), own, reserved)
    names = stream_names(((ref.id, ref.name) for ref in own if ref.id not in pins), reserved=reserved | set(pins.values()))
    names.update(pins)
    for ref in own:
        found[ref.id] = replace(ref, stream_name=names[ref.id])
    _name_groups(groups, found, result, taken=set(names.values()) | reserved)
    result.objects = sorted(found.values(), key=lambda ref: ref.stream_name)
    return result


def _stream_pins(
    config: SmartsheetConfig, found: list[ObjectRef], own: list[ObjectRef], reserved: frozenset[str]
) -> dict[int, str]:
    """The stream names `pinned_names` gives the selected sheets (the other streams' names step aside for them). A pin
    of a sheet that is not selected (deleted, or no longer configured) is one warning; a pinned name that is one of
    the connector's own streams' is a config error."""
    selected = {ref.id for ref in found if ref.kind == "sheet"}
    for sheet_id in sorted(set(config.stream_pins) - selected):
        logger.warning(
            "pinned_names: sheet %s is not among the selected sheets (deleted, unshared or not configured); its pin is unused.",
            sheet_id,
        )
    clash = sorted(name for name in config.stream_pins.values() if name in reserved)
    if clash:
        raise ConfigError(f"pinned_names: {clash[0]!r} is the name of one of the connector's own streams; pin another name.")
    own_ids = {ref.id for ref in own}  # a merged stream's sheet is named by its rule
    return {sheet_id: name for sheet_id, name in config.stream_pins.items() if sheet_id in own_ids}


def _merge_groups(
    client: SmartsheetClient, config: SmartsheetConfig, found: dict[int, ObjectRef], result: Discovered
) -> list[MergedGroup]:
    """The merged streams the rules make (with each sheet's source known first, for rules by template)."""
    sheets = [ref for ref in found.values() if ref.kind == "sheet"]
    if any(rule.by == "template" for rule in config.merge_streams):
        # Templates are named from the walk (`result.names`): there is no account-wide list of them since 2026-06-03.
        listing_says = any("source" in ref.listed for ref in sheets)  # then a sheet without one has none
        for ref in sheets:
            if ref.source is None and ref.workspace_id is None and not listing_says:  # not said: the sheet says
                page = _unless_unreachable(result, f"sheet {ref.id}", partial(client.sheet_page, ref.id, SOURCE_PAGE))
                if page is not None and _source(page):
                    found[ref.id] = replace(ref, **_source(page))
        sheets = [found[ref.id] for ref in sheets]
    facts = [SheetFacts(ref.id, ref.name, ref.source, ref.folders, ref.workspace_id, ref.source_kind) for ref in sheets]
    groups = merge_groups(facts, config.merge_streams, result.names)
    for rule in config.merge_streams:
        if not any(group.rule is rule for group in groups):
            logger.warning("Merge rule %s: no selected sheet matches it.", _rule_text(rule))
    for group in groups:
        if group.unnamed_template:
            logger.warning("%s", unnamed_template_warning(group))
    return groups


def unnamed_template_warning(group: MergedGroup, old_name: str | None = None) -> str:
    """What to say of a merged stream whose template the walk did not see (sheets selected by id, or a template in a
    workspace not selected): it is named `template_<id>`, and the rule that keeps the name version 0.4.0 gave it."""
    rule = {"by": "template", "value": str(group.key), "name": old_name or "<the stream's name in 0.4.0>"}
    return (
        f"Merge rule {_rule_text(group.rule)}: template {group.key} is in none of the selected workspaces, so no listing "
        f"names it (Smartsheet switched off its account-wide template list on 2026-06-03); its merged stream is named "
        f"{group.base_name}. Version 0.4.0 named it after the template: to keep that name, put this rule first in "
        f"merge_streams: {json.dumps(rule)}"
    )


def _name_groups(groups: list[MergedGroup], found: dict[int, ObjectRef], result: Discovered, taken: set[str]) -> None:
    """Name each merged stream clear of the names `taken`, and mark its sheets with that name (and the namespace
    they share, if they share one)."""
    for group, name in zip(groups, unique_names([group.base_name for group in groups], taken), strict=True):
        namespaces = {found[member].namespace for member in group.member_ids}
        namespace = namespaces.pop() if len(namespaces) == 1 else None
        for member in group.member_ids:
            found[member] = replace(found[member], stream_name=name, namespace=namespace, merged=group.label)
        result.merged.append(replace(group, base_name=name))


def _rule_text(rule: MergeRule) -> str:
    return f"by {rule.by}" + (f" {rule.value!r}" if rule.value else "")


def _source(item: Mapping[str, Any]) -> dict[str, Any]:
    """What a sheet was made from (`source` and `source_kind` of its ObjectRef), when the item says: else nothing."""
    source = item.get("source")
    if isinstance(source, Mapping) and isinstance(source.get("id"), int) and source.get("type") in ("template", "sheet"):
        return {"source": int(source["id"]), "source_kind": source["type"]}
    return {}


def _unless_unreachable(result: Discovered, label: str, fetch: Callable[[], T]) -> T | None:
    """Run one look-up; an ID that is gone or not shared is `unreachable` (None), any other error raises as it is."""
    return unless_gone(fetch, label, lambda message: result.unreachable.append(Unreachable(message)), as_traced=False)


def _walk_workspace(
    client: SmartsheetClient,
    config: SmartsheetConfig,
    workspace_id: int,
    listing: dict[int, dict[str, Any]],
    found: dict[int, ObjectRef],
    result: Discovered,
) -> None:
    names = result.names
    workspace = client.workspace_metadata(workspace_id)
    workspace_name = str(workspace.get("name") or workspace_id)
    names[workspace_id] = workspace_name

    def walked(kind: str) -> list[Walked]:
        return result.walked.setdefault(kind, [])

    walked("workspace").append(Walked(workspace, workspace_id, path=workspace_name))
    namespace = config.namespace_pins.get(workspace_id) or namespace_name(workspace_id, workspace_name)
    pending: list[tuple[str, int, str, tuple[int, ...]]] = [("workspace", workspace_id, workspace_name, ())]
    seen_folders: set[int] = set()
    while pending:
        kind, container_id, path, folders = pending.pop(0)
        parent = container_id if kind == "folder" else None
        for child in client.children(kind, container_id):
            child_type = child.get("resourceType")
            child_id = int(child["id"])
            name = str(child.get("name") or "")
            if child_type == "folder" and child_id not in seen_folders:
                seen_folders.add(child_id)
                names[child_id] = name
                walked("folder").append(Walked(child, workspace_id, parent, f"{path}/{name}"))
                pending.append(("folder", child_id, f"{path}/{name}", (*folders, child_id)))
            elif child_type == "report":
                walked("report").append(Walked(child, workspace_id, parent, path))
            elif child_type == "template" and child_id not in names:
                names[child_id] = name  # what a merged stream by template is named after
                walked("template").append(Walked(child, workspace_id, parent, path))
            if child_type in ("sheet", "report") and child_id not in found:
                if not config.wants_sheet_name(name) and child_id not in (*config.sheet_ids, *config.report_ids):
                    continue
                if child_type == "report":
                    found[child_id] = ObjectRef(child_id, name, namespace=namespace, path=path, kind="report")
                    continue
                item = listing.get(child_id, child)
                found[child_id] = ObjectRef(
                    child_id,
                    name,
                    namespace=namespace,
                    path=path,
                    listed_version=_version(item),
                    listed=_listed(item),
                    **(_source(child) or _source(item)),
                    folders=folders,
                    workspace_id=workspace_id,
                )
    logger.info("Workspace %s: %d folders walked", workspace_name, len(seen_folders))


LISTED_KEYS = ("accessLevel", "permalink", "owner", "ownerId", "createdAt", "modifiedAt", "source")


def _listed(item: Mapping[str, Any]) -> dict[str, Any]:
    """What the listing says of a sheet that the inventory keeps."""
    return {key: item[key] for key in LISTED_KEYS if item.get(key) is not None}


def _version(item: Mapping[str, Any]) -> int | None:
    return whole_int(item.get("version"))
