"""Which selected sheets become one merged stream (`merge_streams`), decided from what discovery listed.

Rules, in the config's order; a sheet goes to the first rule it matches (documented in the README):
- `template`: sheets whose `source` (the API's `source {id, type}`) is that template or sheet; without a
  value, each source that two or more selected sheets share is one stream (a sheet alone keeps its own stream,
  or goes to a later rule), named after the template, or `copies_of_<sheet>` for copies of a sheet ("Save as
  New"), so that no merged stream reads like a sheet it does not hold;
- `folder`: sheets found under that folder, through its subfolders; `workspace`: sheets of that workspace
  (both as the workspace walk found them: a sheet listed only by ID is in neither);
- `pattern`: sheets whose name matches the regular expression (`re.search`).
Sheets no rule matches keep their own stream. Reports are never merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from .config import MergeRule
from .schema_mapping.naming import sanitize


@dataclass(frozen=True)
class MergedGroup:
    """One merged stream before it is named: its rule, what the rule matched (a template, a folder...), its sheets."""

    rule: MergeRule
    key: int | str  # the template, folder or workspace id; a pattern's text
    label: str  # `template 'Project Plan Template'`, for schemas and logs
    base_name: str  # the stream name before collisions are resolved
    member_ids: tuple[int, ...]
    unnamed_template: bool = False  # merged by a template no listing named, and no `name` given: `template_<id>`


@dataclass(frozen=True)
class SheetFacts:
    """What a rule can test of a sheet, as discovery listed it."""

    id: int
    name: str
    source: int | None = None
    folders: tuple[int, ...] = ()
    workspace_id: int | None = None
    source_kind: str | None = None  # "template" or "sheet": what `source` is


def merge_groups(sheets: Sequence[SheetFacts], rules: Sequence[MergeRule], names: Mapping[int, str]) -> list[MergedGroup]:
    """The merged streams the rules make of `sheets` (in their order); `names` holds the names of the templates,
    source sheets, folders and workspaces by id."""
    by_id = {sheet.id: sheet for sheet in sheets}
    assigned: set[int] = set()
    merged = []
    for position, rule in enumerate(rules):
        groups: dict[int | str, list[int]] = {}
        for sheet in sheets:
            key = _key(rule, sheet) if sheet.id not in assigned else None
            if key is not None:
                groups.setdefault(key, []).append(sheet.id)
        for key, member_ids in sorted(groups.items(), key=lambda item: str(item[0])):
            if rule.by == "template" and rule.id is None and len(member_ids) < 2:
                continue  # no other selected sheet shares its source: it keeps its own stream
            assigned.update(member_ids)
            copies = rule.by == "template" and by_id[member_ids[0]].source_kind == "sheet"
            merged.append(_group(rule, position, key, names.get(key) if isinstance(key, int) else None, copies, member_ids))
    return merged


def _group(rule: MergeRule, position: int, key: int | str, what: str | None, copies: bool, member_ids: list[int]) -> MergedGroup:
    if copies:  # made from a sheet, not a template: named as its copies, never as the sheet itself
        label = f"copies of sheet {what!r}" if what else f"copies of sheet {key}"
        default = f"copies_of_{what or f'sheet_{key}'}"
    else:
        label = f"{rule.by} {what!r}" if what else f"{rule.by} {key}"
        default = what or (f"{rule.by}_{key}" if isinstance(key, int) else f"{sanitize(key) or 'pattern'}")
    base = sanitize(rule.name or default) or f"merged_{position + 1}"
    unnamed = rule.by == "template" and not copies and what is None and rule.name is None
    return MergedGroup(rule, key, label, base, tuple(member_ids), unnamed)


def _key(rule: MergeRule, sheet: SheetFacts) -> int | str | None:
    if rule.by == "template":
        if sheet.source is None:
            return None
        return sheet.source if rule.id in (None, sheet.source) else None
    if rule.by == "folder":
        return rule.id if rule.id in sheet.folders else None
    if rule.by == "workspace":
        return rule.id if rule.id is not None and rule.id == sheet.workspace_id else None
    assert rule.value is not None
    return rule.value if re.search(rule.value, sheet.name) else None
