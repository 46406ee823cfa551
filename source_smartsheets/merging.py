"""Which selected sheets become one merged stream (`merge_streams`), decided from what discovery listed.

Rules, in the config's order; a sheet goes to the first rule it matches (documented in the README):
- `template`: sheets whose `source` (the API's `source {id, type}`) is that template or sheet; without a
  value, each distinct source is one stream;
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


@dataclass(frozen=True)
class SheetFacts:
    """What a rule can test of a sheet, as discovery listed it."""

    id: int
    name: str
    source: int | None = None
    folders: tuple[int, ...] = ()
    workspace_id: int | None = None


def merge_groups(sheets: Sequence[SheetFacts], rules: Sequence[MergeRule], names: Mapping[int, str]) -> list[MergedGroup]:
    """The merged streams the rules make of `sheets` (in their order); `names` holds the names of the templates,
    source sheets, folders and workspaces by id."""
    groups: dict[tuple[int, int | str], list[int]] = {}
    for sheet in sheets:
        for position, rule in enumerate(rules):
            key = _key(rule, sheet)
            if key is not None:
                groups.setdefault((position, key), []).append(sheet.id)
                break
    merged = []
    for (position, key), member_ids in sorted(groups.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        rule = rules[position]
        what = names.get(key) if isinstance(key, int) else None
        label = f"{rule.by} {what!r}" if what else f"{rule.by} {key}"
        default = what or (f"{rule.by}_{key}" if isinstance(key, int) else f"{sanitize(key) or 'pattern'}")
        base = sanitize(rule.name or default) or f"merged_{position + 1}"
        merged.append(MergedGroup(rule, key, label, base, tuple(member_ids)))
    return merged


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
