"""One rule turns workspace names, sheet names and column titles into names every destination keeps.

The rule (documented in the README, "The naming rule"):
1. Transliterated to ASCII with anyascii: `Größe` -> `Grosse`, `Сумма` -> `Summa`, `Ελληνικά` ->
   `Ellinika`. Each Chinese character and each Hangul syllable is its own word (`名前` -> `ming_qian`,
   `진행 상태` -> `jin_haeng_sang_tae`); kana are read as one word (`テスト` -> `tesuto`). Emoji and other
   symbols (`✅`, `€`, `%`) separate words and leave nothing; invisible marks (RTL, zero-width joiners) vanish.
2. Lower case; every run of characters other than `a-z` and `0-9` becomes one `_`; leading and trailing
   `_` are removed, so a user's name never starts with `_`: that form is reserved for the connector's own
   fields (`_ss_...`, `_ab_...`).
3. A name that starts with a digit gets `n_` in front (`2026 Budget` -> `n_2026_budget`).
4. At most 63 characters, suffixes included. A title with nothing left becomes `column_<column id>`
   (a sheet: `sheet_<sheet id>`, a workspace: `workspace_<id>`).
5. Within one sheet, names that collide keep sheet order: the first keeps the name, the next get `_2`,
   `_3`, ... (skipping names already taken). Across the catalog, the sheet with the smallest id keeps
   the name and the others get `_<sheet id>`; a sheet whose name is a reserved stream name (the streams
   around rows: `sheets`, `comments`, ..., `streams/registry.py`) gets `_<sheet id>` too. Merged streams are
   named clear of both (`_2`, `_3`, ...). One function, `unique_names`, resolves every collision.

Every output matches `[a-z][a-z0-9_]{0,62}`: a fixed point of PyAirbyte's `LowerCaseNormalizer` and of
the name transformation of Airbyte's warehouse destinations, so tables and columns are named exactly as
the catalog says.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Iterable, Mapping, Sequence

from anyascii import anyascii

NAMING_RULE = 2  # kept in each stream's state: rule 1 (before 0.2.0) kept non-Latin letters
MAX_LENGTH = 63
DIGIT_PREFIX = "n_"
_NOT_NAME = re.compile(r"[^a-z0-9]+")
# Scripts where one character is one syllable: each becomes a word of its own.
_SYLLABIC = ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH", "HANGUL SYLLABLE")


def _to_ascii(text: str) -> str:
    parts: list[str] = []
    for char in text:
        if char.isascii():
            parts.append(char)
        elif unicodedata.category(char)[0] == "S":
            parts.append(" ")  # emoji, currency and other symbols: a word break, nothing more
        elif unicodedata.name(char, "").startswith(_SYLLABIC):
            parts.append(f" {anyascii(char)} ")
        else:
            parts.append(anyascii(char))
    return "".join(parts)


def sanitize(text: str) -> str:
    """The name for one title, before collisions are resolved; may be empty."""
    name = _NOT_NAME.sub("_", _to_ascii(text).lower()).strip("_")
    if name[:1].isdigit():
        name = DIGIT_PREFIX + name
    return _fit(name)


def _fit(name: str, suffix: str = "") -> str:
    """`name` + `suffix` within MAX_LENGTH, cutting the name (never the suffix) and any `_` it ends on."""
    return name[: MAX_LENGTH - len(suffix)].rstrip("_") + suffix


def field_names(columns: Sequence[tuple[int, str]], kept: Mapping[int, str] | None = None) -> list[str]:
    """Unique field names for `(column id, title)` pairs in sheet order. `kept`: names that stay with their column
    whatever its title says now (a configured catalog's, a pin's: by column id); the other columns are named from
    their titles around them."""
    ids = {column_id for column_id, _ in columns}
    fixed: dict[int, str] = {}
    for column_id, name in (kept or {}).items():
        if column_id in ids and name not in fixed.values():
            fixed[column_id] = name
    others = [(column_id, title) for column_id, title in columns if column_id not in fixed]
    named = iter(unique_names([sanitize(title) or f"column_{column_id}" for column_id, title in others], fixed.values()))
    return [fixed[column_id] if column_id in fixed else next(named) for column_id, _ in columns]


def unique_names(bases: Sequence[str], taken: Iterable[str] = (), suffixes: Sequence[str] | None = None) -> list[str]:
    """One name per base, in order: the base itself unless a name before it or a `taken` one has it; else the base
    with its own suffix (`suffixes[i]`, e.g. `_<sheet id>`), else `_2`, `_3`, ... skipping every name taken and
    every other base. At most MAX_LENGTH characters: the base is cut, never the suffix."""
    used = set(taken)
    wanted = set(bases)
    next_counter: dict[str, int] = {}
    names: list[str] = []
    for index, base in enumerate(bases):
        name = base
        if name in used and suffixes is not None:
            name = _fit(base, suffixes[index])
        if name in used:
            counter = next_counter.get(base, 2)
            name = _fit(base, f"_{counter}")
            while name in used or name in wanted:
                counter += 1
                name = _fit(base, f"_{counter}")
            next_counter[base] = counter + 1
        used.add(name)
        names.append(name)
    return names


def stream_names(sheets: Iterable[tuple[int, str]], reserved: frozenset[str] = frozenset()) -> dict[int, str]:
    """Unique stream names for `(sheet id, sheet name)` pairs; the oldest (smallest) id keeps the plain name,
    unless the name is `reserved`; the others get `_<sheet id>`."""
    ordered = sorted(set(sheets))
    bases = [sanitize(name) or f"sheet_{sheet_id}" for sheet_id, name in ordered]
    names = unique_names(bases, reserved, [f"_{sheet_id}" for sheet_id, _ in ordered])
    return {sheet_id: name for (sheet_id, _), name in zip(ordered, names, strict=True)}


def namespace_name(workspace_id: int, name: str) -> str:
    """A workspace's name as a namespace (a destination schema)."""
    return sanitize(name) or f"workspace_{workspace_id}"


def name_pin(sheet_id: int, stream: str | None, fields: Mapping[int, str]) -> str:
    """The `pinned_names` entry, as JSON to paste, that keeps a sheet's stream name (None: a merged stream's sheet, named
    by its rule) and every field's name through renames and schema refreshes."""
    pin: dict[str, Any] = {"sheet_id": str(sheet_id)}
    if stream is not None:
        pin["stream_name"] = stream
    pin["field_names"] = {str(column_id): name for column_id, name in sorted(fields.items())}
    return json.dumps(pin, ensure_ascii=False)
