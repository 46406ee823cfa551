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
