"""`python -m local_sync [--world NAME | --config FILE]`: sync sheets into a local DuckDB file and show what loaded.

With no config it serves one of the emulator's worlds on loopback (`demo` by default) and syncs that;
each later run of the demo applies one day of the demo team's edits first, so the incremental sync has
something to load. With a config (the same JSON the connector takes) it syncs your own sheets. State is
kept in the DuckDB file, so every run after the first is incremental.

Databases: `.local/smartsheets.duckdb` for the demo, `.local/<world>.duckdb` for another world,
`.local/<config file name>.duckdb` for a config.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlsplit

from local_sync.progress import Progress
from local_sync.table import ROWS, render
from source_smartsheets.schema_mapping.merged_fields import SHEET_NAME
from source_smartsheets.streams.registry import RESERVED_NAMES

if TYPE_CHECKING:
    from source_smartsheets.config import SmartsheetConfig

LOCAL = Path(".local")
DEMO_DB = LOCAL / "smartsheets.duckdb"
CONNECTOR_NAME = "source-smartsheets-multisheet"  # not the official connector's registry name
README_HELP = "README.md, section Troubleshooting"


class Stop(Exception):
    """A mistake or a failure said in one line; the command exits 1."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local_sync", description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--config", type=Path, help="connector config JSON (default: an emulator world)")
    source.add_argument("--world", default=None, help="the emulator world to serve: demo (default), edge, many, large")
    parser.add_argument("--db", type=Path, help="DuckDB file (default: .local/<demo|world|config name>.duckdb)")
    parser.add_argument("--full-refresh", action="store_true", help="re-read every row instead of an incremental sync")
    parser.add_argument(
        "--merge",
        metavar="RULE",
        help="merge sheets into one stream: template, folder:<id>, workspace:<id> or pattern:<regex> (a merge_streams rule)",
    )
    parser.add_argument("--query", help="run one SQL query against the DuckDB file and exit")
    parser.add_argument("--rows", type=int, default=ROWS, help=f"with --query: how many rows to show (default {ROWS})")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except Stop as stop:
        print(f"Error: {stop}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130


def database(config: Path | None, world: str | None, merge: str | None = None) -> Path:
    """Each source its own file, so that trying a world, a config or a merge rule never mixes into the demo's tables."""
    if config is not None:
        path = LOCAL / f"{config.stem}.duckdb"
    elif world and world != "demo":
        path = LOCAL / f"{world}.duckdb"
    else:
        path = DEMO_DB
    if merge:
        path = path.with_name(f"{path.stem}-merged-{merge.split(':', 1)[0]}.duckdb")
    return path


def merge_rule(text: str) -> dict[str, Any]:
    """`template`, `folder:123`, `pattern:^Project ` as a merge_streams rule (the connector's model checks it)."""
    by, _, value = text.partition(":")
    return {"by": by.strip(), **({"value": value} if value else {})}


def _run(args: argparse.Namespace) -> int:
    db: Path = args.db or database(args.config, args.world, args.merge)
    if args.query is not None:
        return _query(db, args.query, _where(args), args.rows)
    os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    emulator = None
    checked: list[Callable[[], None]] = [lambda: db.parent.mkdir(parents=True, exist_ok=True)]  # once the check passed
    if args.config:
        config = read_config(args.config)
    else:
        emulator, config, count_run = _start_world(args.world or "demo", db)
        checked.append(count_run)
    where = _where(args)
    if args.merge:
        config = {**config, "merge_streams": [*config.get("merge_streams", []), merge_rule(args.merge)]}
    try:
        host = urlsplit(check_config(config).base_url).netloc
        return _sync(config, host, db, args.full_refresh, args.debug, where, checked)
    finally:
        if emulator is not None:
            emulator.stop()


def _where(args: argparse.Namespace) -> str:
    """The make variables that name this source (` WORLD=edge MERGE=template`), for the commands a line suggests."""
    where = f" CONFIG={args.config}" if args.config else (f" WORLD={args.world}" if args.world and args.world != "demo" else "")
    return where + (f" MERGE={args.merge}" if args.merge else "")


def read_config(path: Path) -> dict[str, Any]:
    """The config file, or one line that says what is wrong with it."""
    if not path.is_file():
        raise Stop(f"The config file {path} does not exist.")
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise Stop(f"The config file {path} is not valid JSON ({error}).") from None
    if not isinstance(config, dict):
        raise Stop(f"The config file {path} must hold a JSON object.")
    return config


def check_config(config: dict[str, Any]) -> SmartsheetConfig:
    """The connector's own validation, before anything starts: every mistake in the file, in one line."""
    from source_smartsheets.config import ConfigError, parse_config

    try:
        return parse_config(config)
    except ConfigError as error:
        raise Stop(f"{error.message} (see {README_HELP})") from None


def _start_world(name: str, db: Path) -> tuple[Any, dict[str, Any], Callable[[], None]]:
    """The world served, its config, and what counts this run of the demo (done once the check has passed)."""
    from smartsheet_emulator import Emulator, build
    from smartsheet_emulator.worlds import WORLDS, apply_demo_edits

    if name not in WORLDS:
        raise Stop(f"There is no emulator world {name!r}; choose one of {', '.join(WORLDS)}.")
    world = build(name)
    runs_file = db.with_suffix(".demo-runs")
    runs = 0
    if name == "demo":
        runs = int(runs_file.read_text()) if runs_file.exists() and db.exists() else 0
        changes: list[str] = []
        for day in range(1, runs + 1):
            changes = apply_demo_edits(world, day)
        if runs:
            print(f"Demo: since the last sync, the demo team made these edits (day {runs}):")
            for change in changes:
                print(f"  - {change}")
    emulator = Emulator(world).start()
    config = emulator.connector_config()
    if name == "demo":
        config["cell_history_columns"] = ["Status"]  # the plan's Status: how each task moved (cell_history)
    print(f"Demo: serving the emulator's {name} world at {emulator.base_url} (no credentials needed).")

    def count_run() -> None:
        if name == "demo":
            runs_file.write_text(str(runs + 1))

    return emulator, config, count_run


def _properties(source: Any, stream: str) -> dict[str, Any]:
    return dict(source.get_stream_json_schema(stream).get("properties") or {})


def _connector_executable() -> str:
    beside = Path(sys.executable).with_name("source-smartsheets")
    if not beside.exists():
        raise Stop("source-smartsheets is not installed in this environment; run `make sync`.")
    return str(beside)


def _sync(
    config: dict[str, Any], host: str, db: Path, full_refresh: bool, debug: bool, where: str, checked: list[Callable[[], None]]
) -> int:
    """Check, discover, read into `db`; nothing is created or touched before the check has passed (then `checked` runs)."""
    with Progress() as progress:
        progress.phase(f"checking the connection to {host}")
        warnings.filterwarnings("ignore", category=FutureWarning)  # PyAirbyte's cloud clients warn about Python versions
        import airbyte as ab
        from airbyte.caches import DuckDBCache

        source = ab.get_source(CONNECTOR_NAME, config=config, local_executable=_connector_executable())
        _listen(source, progress)
        started = datetime.now(timezone.utc).replace(tzinfo=None)
        try:
            source.check()
            for step in checked:
                step()
            cache = DuckDBCache(db_path=str(db), schema_name="main")  # creates the file: only once the check passed
            progress.phase("discovering the streams (a request per sheet, within the rate limit)")
            source.select_all_streams()
            streams = len(source.get_selected_streams())
            progress.phase(f"reading {streams} streams" + (" in full (FULL_REFRESH)" if full_refresh else ""))
            result = source.read(cache=cache, force_full_refresh=full_refresh)
        except Exception as error:  # PyAirbyte's errors carry the connector's own message: show that, alone
            if debug:
                raise
            raise Stop(f"{_connector_message(error)} (see {README_HELP}; --debug shows the details)") from None
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
        sheets = [(name, table) for name, table, _, _ in rows if name not in RESERVED_NAMES]  # a sheet's own table first
        merged = [table for name, table in sheets if SHEET_NAME in _properties(source, name)]  # and a merged one before that
        example = (merged or [table for _, table in sheets] or [rows[0][1]])[0]
        print()
        print("Query it:")
        print(f"  make query{where} SQL='SELECT * FROM {example} LIMIT 5'")
    return 0


def _listen(source: Any, progress: Progress) -> None:
    """Show the connector's progress and waits in the terminal (PyAirbyte only writes them to its log file),
    and say how to re-read everything the way this project does (PyAirbyte's hint names its Python API)."""
    peek = source._peek_airbyte_message

    def peek_and_show(message: Any, *args: Any, **kwargs: Any) -> Any:
        log = getattr(message, "log", None)
        if log is not None:
            progress.log(getattr(log.level, "value", str(log.level)), str(log.message))
        return peek(message, *args, **kwargs)

    def incremental_note(*_: Any, incremental_streams: set[str] | None = None, **__: Any) -> None:
        count = len(incremental_streams or ())
        print(f"{count} streams sync incrementally; make sync FULL_REFRESH=1 re-reads everything.", file=sys.stderr)

    source._peek_airbyte_message = peek_and_show
    source._log_incremental_streams = incremental_note


def _connector_message(error: Exception) -> str:
    """The connector's own words from a PyAirbyte error (its failure reason or the last error trace)."""
    for attribute in ("original_exception", "__cause__"):
        inner = getattr(error, attribute, None)
        if isinstance(inner, Exception) and inner is not error:
            found = _connector_message(inner)
            if found:
                return found
    context = getattr(error, "context", None) or {}
    for key in ("failure_reason", "message", "error_message"):
        if isinstance(context, dict) and context.get(key):
            return str(context[key]).strip().strip('"')
    for attribute in ("guidance", "message"):
        text = getattr(error, attribute, None)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _scalar(cache: Any, sql: str, started: datetime) -> int:
    from sqlalchemy import text

    with cache.get_sql_engine().connect() as connection:
        return int(connection.execute(text(sql), {"started": started}).scalar() or 0)


def _query(db: Path, sql: str, where: str = "", limit: int = ROWS) -> int:
    if not sql.strip():
        raise Stop("Give the SQL to run: make query SQL='SELECT * FROM website_relaunch_plan'")
    if not db.exists():
        raise Stop(f"{db} does not exist yet: run `make sync{where}` first.")
    import duckdb

    with duckdb.connect(str(db), read_only=True) as connection:
        try:
            relation = connection.sql(sql)
            if relation is None:  # a statement that returns no rows shows nothing
                return 0
            total = int((relation.count("*").fetchone() or (0,))[0])
            rows = relation.limit(limit).fetchall()
        except duckdb.Error as error:
            raise Stop(f"The query failed: {str(error).splitlines()[0]}") from None
    for line in render(sql, relation.columns, rows, total, limit):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
