"""`python -m local_sync [--config FILE]`: sync sheets into a local DuckDB file and show what loaded.

With no config it serves the emulator's `demo` workspace on loopback and syncs that; each later run
applies one day of the demo team's edits first, so the incremental sync has something to load.
With a config (the same JSON the connector takes) it syncs your own sheets. State is kept in the
DuckDB file, so every run after the first is incremental.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

DEFAULT_DB = Path(".local/smartsheets.duckdb")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local_sync", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, help="connector config JSON (default: the bundled demo world)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"DuckDB file (default: {DEFAULT_DB})")
    parser.add_argument("--full-refresh", action="store_true", help="re-read every row instead of an incremental sync")
    parser.add_argument("--query", help="run one SQL query against the DuckDB file and exit")
    args = parser.parse_args(argv)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    if args.query:
        return _query(args.db, args.query)
    os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    emulator = None
    if args.config:
        config = json.loads(args.config.read_text())
    else:
        emulator, config = _start_demo(args.db)
    try:
        return _sync(config, args.db, args.full_refresh)
    finally:
        if emulator is not None:
            emulator.stop()


def _start_demo(db: Path) -> tuple[Any, dict[str, Any]]:
    from smartsheet_emulator import DEFAULT_TOKEN, Emulator, build
    from smartsheet_emulator.worlds import apply_demo_edits

    runs_file = db.with_suffix(".demo-runs")
    runs = int(runs_file.read_text()) if runs_file.exists() and db.exists() else 0
    world = build("demo")
    for day in range(1, runs + 1):
        changes = apply_demo_edits(world, day)
    if runs:
        print(f"Demo: since the last sync, the demo team made these edits (day {runs}):")
        for change in changes:
            print(f"  - {change}")
    runs_file.write_text(str(runs + 1))
    emulator = Emulator(world).start()
    config = {
        "credentials": {"auth_type": "access_token", "access_token": DEFAULT_TOKEN},
        "workspace_ids": [str(workspace_id) for workspace_id in world.workspaces],
        "api_base_url": emulator.base_url,
    }
    print(f"Demo: serving the emulator's demo workspace at {emulator.base_url} (no credentials needed).")
    return emulator, config


def _connector_executable() -> str:
    beside = Path(sys.executable).with_name("source-smartsheets")
    if not beside.exists():
        raise SystemExit("source-smartsheets is not installed in this environment; run `make sync`.")
    return str(beside)


def _sync(config: dict[str, Any], db: Path, full_refresh: bool) -> int:
    warnings.filterwarnings("ignore", category=FutureWarning)  # PyAirbyte's cloud clients warn about Python versions
    import airbyte as ab
    from airbyte.caches import DuckDBCache

    source = ab.get_source("source-smartsheets", config=config, local_executable=_connector_executable())
    source.check()
    source.select_all_streams()
    cache = DuckDBCache(db_path=str(db), schema_name="main")
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    result = source.read(cache=cache, force_full_refresh=full_refresh)
    rows = []
    for name, dataset in sorted(result.streams.items()):
        table = dataset.to_sql_table().name
        loaded = _scalar(cache, f'SELECT count(*) FROM main."{table}" WHERE _airbyte_extracted_at >= :started', started)
        rows.append((name, table, loaded, len(dataset)))
    print()
    print(f"Loaded into {db.resolve()}")
    print(f"{'stream':32} {'table':32} {'loaded now':>10} {'rows in table':>13}")
    for name, table, loaded, total in rows:
        print(f"{name:32} {table:32} {loaded:>10} {total:>13}")
    if rows:
        example = rows[0][1]
        print()
        print("Query it:")
        print(f"  make query SQL='SELECT * FROM \"{example}\" LIMIT 5'")
        print(f"  .venv/bin/python -m local_sync --query 'SELECT count(*) FROM \"{example}\"'")
    return 0


def _scalar(cache: Any, sql: str, started: datetime) -> int:
    from sqlalchemy import text

    with cache.get_sql_engine().connect() as connection:
        return int(connection.execute(text(sql), {"started": started}).scalar() or 0)


def _query(db: Path, sql: str) -> int:
    import duckdb

    if not db.exists():
        raise SystemExit(f"{db} does not exist yet: run `make sync` first.")
    with duckdb.connect(str(db), read_only=True) as connection:
        connection.sql(sql).show(max_width=200)
    return 0


if __name__ == "__main__":
    sys.exit(main())
