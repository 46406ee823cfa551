"""Keys of a config that are not settings. A typo of a setting (within two edits, or its singular or plural) is a
mistake to fix, named with the setting it resembles; any other unknown key is only said, since a setting that a
later version dropped must not break a running connection. Pure functions, tested from a table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Collection, Mapping

MAX_EDITS = 2
SHORT_KEY = 4  # a key this short is a typo of a setting only one edit away: `id` is not `by`


@dataclass(frozen=True)
class UnknownKey:
    path: str  # `credentials.acess_token`
    closest: str | None  # the setting it resembles (`credentials.access_token`), or None

    @property
    def message(self) -> str:
        if self.closest is not None:
            return f"Unknown setting {self.path!r}: did you mean {self.closest!r}?"
        return f"Unknown setting {self.path!r}: this connector does not use it, so it is ignored."


def edits(a: str, b: str) -> int:
    """How many single-character insertions, deletions, substitutions or swaps of neighbours turn `a` into `b`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def closest(key: str, known: Collection[str]) -> str | None:
    """The setting `key` is a typo of, or None."""
    folded = key.strip().lower()
    candidates = []
    for name in known:
        if folded in (f"{name}s", name[:-1] if name.endswith("s") else None):
            candidates.append((0, name))  # the setting's singular or plural
            continue
        distance = edits(folded, name)
        if distance <= (1 if min(len(folded), len(name)) <= SHORT_KEY else MAX_EDITS):
            candidates.append((distance, name))
    return min(candidates)[1] if candidates else None


def unknown_keys(given: Mapping[str, Any], known: Collection[str], where: str = "") -> list[UnknownKey]:
    """The keys of `given` that are not in `known`, each with the setting it resembles (if any); `where` prefixes paths."""
    found = []
    for key in given:
        if key in known:
            continue
        near = closest(str(key), known)
        found.append(UnknownKey(f"{where}{key}", f"{where}{near}" if near is not None else None))
    return found


def near_titles(title: str, titles: Collection[str], most: int = 3) -> list[str]:
    """The titles `title` may have meant: the same but for case and spacing first, then the nearest spellings."""
    folded = " ".join(title.split()).casefold()
    scored = []
    for candidate in set(titles):
        other = " ".join(candidate.split()).casefold()
        distance = 0 if other == folded else edits(folded, other)
        if distance <= max(MAX_EDITS, len(folded) // 4):
            scored.append((distance, candidate))
    return [candidate for _, candidate in sorted(scored)[:most]]


def missing_titles(chosen: Collection[str], present: Collection[str]) -> str | None:
    """What to say of column titles chosen in a setting that no selected sheet has (None: each is in some sheet)."""
    missing = [title for title in chosen if title not in present]
    if not missing:
        return None
    parts = []
    for title in missing:
        near = near_titles(title, present)
        hint = f"did you mean {' or '.join(repr(t) for t in near)}?" if near else "no title is close to it"
        parts.append(f"{title!r} ({hint})")
    return f"cell_history_columns: no selected sheet has a column titled {'; '.join(parts)}. Titles are matched exactly."
