"""What `make query` prints: every column the query asked for, every row up to a limit the output states (pure)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Sequence

ROWS = 50  # rows shown unless `ROWS=` says otherwise
WIDE = 160  # wider than this, a result is shown one row at a time, a column a line
SELECT_STAR = re.compile(r"^\s*select\s+(distinct\s+)?\*", re.IGNORECASE)


def ordered(sql: str, columns: Sequence[str]) -> list[int]:
    """The columns' positions to show: for `SELECT *`, the sheet's own first, then the connector's (`_ss_`, `_ab_`),
    then Airbyte's (`_airbyte_`); otherwise as the query put them."""
    positions = list(range(len(columns)))
    if not SELECT_STAR.match(sql):
        return positions

    def rank(position: int) -> int:
        name = columns[position]
        return 2 if name.startswith("_airbyte_") else 1 if name.startswith("_") else 0

    return sorted(positions, key=lambda position: (rank(position), position))


def text(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value.normalize())
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\n", " ")


def render(sql: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], total: int, limit: int) -> list[str]:
    """The lines to print: a table (or, when wide, each row a column a line), then what was shown of how many."""
    order = ordered(sql, columns)
    names = [columns[position] for position in order]
    cells = [[text(row[position]) for position in order] for row in rows[:limit]]
    widths = [max([len(name), *(len(row[index]) for row in cells)]) for index, name in enumerate(names)]
    lines: list[str] = []
    if sum(widths) + 3 * len(widths) <= WIDE:
        lines.append(" | ".join(name.ljust(width) for name, width in zip(names, widths, strict=True)).rstrip())
        lines.append("-+-".join("-" * width for width in widths))
        lines += [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]
    else:
        label = max(len(name) for name in names)
        for number, row in enumerate(cells, start=1):
            lines.append(f"-[ row {number} ]" + "-" * max(0, label - 8))
            lines += [f"{name.ljust(label)} | {cell}" for name, cell in zip(names, row, strict=True)]
    shown = min(total, limit)
    counted = f"{total} row{'' if total == 1 else 's'}, {len(names)} column{'' if len(names) == 1 else 's'}"
    if shown < total:
        counted += f"; the first {shown} shown: ROWS={min(total, limit * 10)} shows more, LIMIT and OFFSET in the SQL pick others"
    lines.append(f"({counted})")
    return lines
