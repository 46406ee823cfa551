"""A sheet renamed since the catalog was discovered keeps its stream (#32): reads follow ids, not titles.

A configured stream says which sheet it was discovered from: its schema's `SHEET_KEY` (a catalog discovered since
0.5.0), or its saved state's `sheet_id` (any version's). A read gives that sheet's stream the configured name and
namespace again, so its rows keep landing where they did until the user refreshes the schema; one warning per renamed
sheet (or workspace) and sync says where, what a refresh changes, and the `pinned_names` entry that keeps the names
through a refresh. Pure: table-tested in `unit_tests/test_renames.py`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence

from .config import KEPT_NAME
from .discovery import ObjectRef
from .schema_mapping.naming import name_pin
from .schema_mapping.sheet_fields import declared_columns, declared_sheet
from .whole_numbers import whole_int


@dataclass(frozen=True)
class Configured:
    """What a configured catalog names for one sheet: its stream, namespace and fields (by column id, where it says)."""

    stream: str
    namespace: str | None
    fields: Mapping[int, str] = field(default_factory=dict)


def configured_sheets(
    streams: Iterable[tuple[str, str | None, Mapping[str, Any] | None]], saved: Mapping[str, Mapping[str, Any]]
) -> dict[int, Configured]:
    """Sheet id -> what the catalog names for it, from each configured stream's (name, namespace, json_schema) and the
    states saved by stream name."""
    found: dict[int, Configured] = {}
    for name, namespace, schema in streams:
        sheet_id = declared_sheet(schema)
        if sheet_id is None:
            sheet_id = whole_int(saved.get(name, {}).get("sheet_id"))
        if sheet_id is not None:
            properties = (schema or {}).get("properties")
            found[sheet_id] = Configured(
                name, namespace, declared_columns(properties if isinstance(properties, Mapping) else None, sheet_id)
            )
    return found


def follow_renames(
    objects: Sequence[ObjectRef], configured: Mapping[int, Configured], reserved: frozenset[str]
) -> tuple[list[ObjectRef], list[str]]:
    """The objects with each renamed sheet's stream named and placed as the catalog has it, and a warning for each
    renamed sheet and each renamed workspace. A configured name another stream has now is not taken back."""
    taken = {ref.stream_name for ref in objects} | reserved
    followed: list[ObjectRef] = []
    warnings: list[str] = []
    workspaces: dict[int, tuple[str | None, str | None]] = {}
    for ref in objects:
        wanted = configured.get(ref.id) if ref.kind == "sheet" and ref.merged is None else None
        if wanted is None or (wanted.stream, wanted.namespace) == (ref.stream_name, ref.namespace):
            followed.append(ref)
            continue
        stream, namespace = ref.stream_name, ref.namespace
        if wanted.stream != ref.stream_name and wanted.stream not in taken:
            taken.add(wanted.stream)
            stream = wanted.stream
            pin = name_pin(ref.id, wanted.stream, wanted.fields)
            keep = (
                f"To keep this sheet's names through a refresh, add to pinned_names: {pin}"
                if KEPT_NAME.fullmatch(wanted.stream)
                else f"{wanted.stream} is not a name every destination keeps: refresh the source schema"
            )
            warnings.append(
                f"Sheet {ref.id} ({ref.name!r}) makes stream {ref.stream_name} now, by its title: its rows keep landing in "
                f"stream {wanted.stream}, as the catalog has it. A schema refresh would make {ref.stream_name} (a new "
                f"stream, read in full once; {wanted.stream} keeps its rows). {keep}"
            )
        if wanted.namespace != ref.namespace and ref.workspace_id is not None:
            namespace = wanted.namespace
            workspaces.setdefault(ref.workspace_id, (wanted.namespace, ref.namespace))
        followed.append(replace(ref, stream_name=stream, namespace=namespace))
    for workspace_id, (kept, refreshed) in sorted(workspaces.items()):
        pin = json.dumps({"workspace_id": str(workspace_id), "namespace": kept})
        warnings.append(
            f"Workspace {workspace_id} was renamed: its sheets' streams keep their namespace {kept}, as the catalog has "
            f"it. A schema refresh would make it {refreshed}. To keep it through a refresh, add to pinned_names: {pin}"
        )
    return followed, warnings
