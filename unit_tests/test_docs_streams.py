"""Every field a stream besides each sheet's own declares is documented in docs/streams.md, on its stream's row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from source_smartsheets.schema_mapping.cell_history import CELL_HISTORY_PROPERTIES
from source_smartsheets.streams.registry import ACCOUNT, AROUND_ROWS

DOC = (Path(__file__).resolve().parents[1] / "docs" / "streams.md").read_text(encoding="utf-8")
ALWAYS = {"sheet_id", "stream_name"}  # every record of a stream around rows, said once above its table


def _row(stream: str) -> str:
    """The table rows whose first cell names the stream, or the section the stream has to itself (`## Cell history`)."""
    rows = [line for line in DOC.splitlines() if line.startswith("| ") and f"`{stream}`" in line.split("|")[1]]
    sections = [part for part in DOC.split("\n## ") if part.split("\n", 1)[0].lower().replace(" ", "_") == stream]
    assert rows or sections, f"docs/streams.md has no row or section for {stream}"
    return "\n".join(rows + sections)


def _documented(field: str, row: str) -> bool:
    names = set(re.findall(r"`([a-z_*]+)`", row))
    return field in names or any(name.endswith("*") and field.startswith(name[:-1]) for name in names)


CASES = [(stream.stream_name, dict(stream.properties)) for stream in (*AROUND_ROWS, *ACCOUNT)]
CASES.append(("cell_history", dict(CELL_HISTORY_PROPERTIES)))


@pytest.mark.parametrize(("stream", "properties"), CASES, ids=[case[0] for case in CASES])
def test_every_declared_field_is_in_docs_streams(stream, properties) -> None:
    row = _row(stream)
    missing = [field for field in properties if field not in ALWAYS and not _documented(field, row)]
    assert not missing, f"docs/streams.md does not name {missing} on the row of {stream}"
