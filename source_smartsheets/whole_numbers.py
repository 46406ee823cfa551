"""Whole numbers read from what the API or a saved state says: one rule for "a whole int, not a bool"."""

from __future__ import annotations

from typing import Any


def whole_int(value: Any) -> int | None:
    """`value` if it is a whole number (a JSON integer, not `true`/`false`), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def id_number(value: Any) -> int | None:
    """An id as the number it holds: a whole number, or a string of ASCII digits (`GET /shares` says ids as strings)."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return whole_int(value)
