"""`make sync`'s own code path (PyAirbyte into DuckDB) against the emulator: what a destination really does.

These run `python -m local_sync` as a subprocess, as `make sync` does, and read the DuckDB file it writes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from smartsheet_emulator import Emulator, build

pytest.importorskip("airbyte", reason="PyAirbyte (the `local` extra in requirements/dev.lock) is not installed")
duckdb = pytest.importorskip("duckdb", reason="DuckDB comes with PyAirbyte")

ROOT = Path(__file__).resolve().parents[1]


def local_sync(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AIRBYTE_OFFLINE_MODE": "1", "DO_NOT_TRACK": "1"}
    return subprocess.run(
        [sys.executable, "-m", "local_sync", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def _catalog(world_name: str) -> list[dict[str, Any]]:
    """The catalog the connector discovers for a fresh copy of the same (deterministic) world."""
    from airbyte_cdk.test.entrypoint_wrapper import discover

    from smartsheet_emulator import DEFAULT_TOKEN
    from source_smartsheets import SourceSmartsheets

    with Emulator(build(world_name), rate_limit=None) as emulator:
        config = {
            "credentials": {"auth_type": "access_token", "access_token": DEFAULT_TOKEN},
            "workspace_ids": [str(workspace_id) for workspace_id in emulator.world.workspaces],
            "api_base_url": emulator.base_url,
        }
        output = discover(SourceSmartsheets(), config)
    catalog = output.catalog.catalog
    assert catalog is not None
    return [{"name": stream.name, "json_schema": stream.json_schema} for stream in catalog.streams]


def test_given_edge_world_when_synced_into_duckdb_then_every_table_and_column_has_the_catalog_name(tmp_path) -> None:
    run = local_sync("--world", "edge", cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert "Traceback" not in run.stdout + run.stderr
    streams = _catalog("edge")
    assert any(stream["name"] == "si_ge_biao" for stream in streams)  # the all-kanji sheet, transliterated
    with duckdb.connect(str(tmp_path / ".local" / "edge.duckdb"), read_only=True) as connection:
        tables = {row[0] for row in connection.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for stream in streams:
            assert stream["name"] in tables, (stream["name"], sorted(tables))
            columns = {
                row[0]
                for row in connection.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [stream["name"]]
                ).fetchall()
            }
            fields = set(stream["json_schema"]["properties"])
            assert fields <= columns, (stream["name"], sorted(fields - columns))
            assert not {column for column in columns if not column.startswith("_airbyte_")} - fields
        kanji_rows = connection.execute("SELECT count(*), count(ming_qian), count(ming_qian_2) FROM si_ge_biao").fetchone()
    assert kanji_rows == (3, 3, 3)
