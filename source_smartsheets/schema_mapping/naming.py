"""One rule turns sheet names and column titles into stable, unique stream and field names.

The rule (documented in the README):
1. Unicode NFKD; a combining mark that follows an ASCII letter is dropped (é -> e), other scripts keep
   their letters (й, 価格 stay); NFC again; case-folded (ß -> ss).
2. Every run of characters that is not a letter, digit or underscore becomes one `_`; leading and
   trailing `_` are removed, so a user's name never starts with `_`: that form is reserved for the
   connector's own fields (`_ss_...`, `_ab_...`).
3. At most 60 characters. An empty result becomes `column_<column id>` (or `sheet_<sheet id>`).
4. Within one sheet, names that collide keep sheet order: the first keeps the name, the next get
   `_2`, `_3`, ... (skipping names already taken). Across the catalog, the sheet with the smallest id
   keeps the name and the others get `_<sheet id>`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Sequence

MAX_LENGTH = 60
_NOT_WORD = re.compile(r"[^\w]+")
_UNDERSCORES = re.compile(r"_+")


def sanitize(text: str) -> str:
    """The name for one title, before collisions are resolved; may be empty."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1].isascii() and kept[-1].isalpha():
            continue
        kept.append(char)
    folded = unicodedata.normalize("NFC", "".join(kept)).casefold()
    name = _UNDERSCORES.sub("_", _NOT_WORD.sub("_", folded)).strip("_")
    return name[:MAX_LENGTH].rstrip("_")


def field_names(columns: Sequence[tuple[int, str]]) -> list[str]:
    """Unique field names for `(column id, title)` pairs in sheet order."""
    bases = [sanitize(title) or f"column_{column_id}" for column_id, title in columns]
    return _dedupe(bases)


def _dedupe(bases: Sequence[str]) -> list[str]:
    taken: set[str] = set()
    wanted = set(bases)
    next_suffix: dict[str, int] = {}
    names: list[str] = []
    for base in bases:
        name = base
        if name in taken:
            counter = next_suffix.get(base, 2)
            name = f"{base}_{counter}"
            while name in taken or name in wanted:
                counter += 1
                name = f"{base}_{counter}"
            next_suffix[base] = counter + 1
        taken.add(name)
        names.append(name)
    return names


def stream_names(sheets: Iterable[tuple[int, str]]) -> dict[int, str]:
    """Unique stream names for `(sheet id, sheet name)` pairs; the oldest (smallest) id keeps the plain name."""
    by_base: dict[str, list[int]] = {}
    for sheet_id, name in sheets:
        by_base.setdefault(sanitize(name) or f"sheet_{sheet_id}", []).append(sheet_id)
    names: dict[int, str] = {}
    for base, ids in by_base.items():
        ordered = sorted(set(ids))
        names[ordered[0]] = base
        for sheet_id in ordered[1:]:
            names[sheet_id] = f"{base}_{sheet_id}"
    return names
