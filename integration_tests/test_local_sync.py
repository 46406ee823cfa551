"""`make sync`'s own code path (PyAirbyte into DuckDB) against the emulator: what a destination really does,
and what a newcomer's mistakes look like (one line each, exit code 1, never a traceback).

These run `python -m local_sync` as a subprocess, as `make sync` and `make query` do.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from smartsheet_emulator import Emulator, build
from smartsheet_emulator.hosts import HangingHost, closed_port

pytest.importorskip("airbyte", reason="PyAirbyte (the `local` extra in requirements/dev.lock) is not installed")
duckdb = pytest.importorskip("duckdb", reason="DuckDB comes with PyAirbyte")

ROOT = Path(__file__).resolve().parents[1]


ENV = {**os.environ, "PYTHONPATH": str(ROOT), "AIRBYTE_OFFLINE_MODE": "1", "DO_NOT_TRACK": "1"}
TOKEN = {"auth_type": "access_token", "access_token": "a-token-for-tests"}


def local_sync(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "local_sync", *args],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def _catalog(world_name: str) -> list[dict[str, Any]]:
    """The catalog the connector discovers for a fresh copy of the same (deterministic) world."""
    from airbyte_cdk.test.entrypoint_wrapper import discover

    from source_smartsheets import SourceSmartsheets

    with Emulator(build(world_name), rate_limit=None) as emulator:
        output = discover(SourceSmartsheets(), emulator.connector_config())
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


def _write(path: Path, text: str) -> str:
    path.write_text(text)
    return path.name


def _config(directory: Path, name: str, **overrides: object) -> list[str]:
    return ["--config", _write(directory / name, json.dumps({"credentials": TOKEN, "sheet_ids": ["1"], **overrides}))]


MISTAKES = [
    ("missing config file", lambda d: ["--config", "nowhere.json"], "The config file nowhere.json does not exist."),
    ("config not JSON", lambda d: ["--config", _write(d / "broken.json", "{not json")], "is not valid JSON"),
    (
        "config with two problems",
        lambda d: [
            "--config",
            _write(d / "two.json", json.dumps({"credentials": TOKEN, "sheet_ids": ["1"], "region": "mars", "page_size": 0})),
        ],
        "region must be one of us, eu, gov, au; got 'mars'.",
    ),
    ("unknown world", lambda d: ["--world", "atlantis"], "There is no emulator world 'atlantis'"),
    ("query before any sync", lambda d: ["--query", "SELECT 1"], "does not exist yet: run `make sync` first"),
    (
        "query of a world not synced yet",
        lambda d: ["--world", "edge", "--query", "SELECT 1"],
        "does not exist yet: run `make sync WORLD=edge` first",
    ),
    (
        "host that refuses connections",
        lambda d: [
            "--config",
            _write(
                d / "refused.json",
                json.dumps({"credentials": TOKEN, "sheet_ids": ["1"], "api_base_url": f"http://127.0.0.1:{closed_port()}/2.0"}),
            ),
        ],
        "refused",
    ),
]


@pytest.mark.parametrize("name, args, words", MISTAKES, ids=[case[0] for case in MISTAKES])
def test_given_a_mistake_when_local_sync_runs_then_one_line_and_exit_1(tmp_path, name, args, words) -> None:
    run = local_sync(*args(tmp_path), cwd=tmp_path, timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and words in errors[0], run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    if name == "config with two problems":
        assert "page_size" in errors[0]  # every problem, in the one line


def _database_with_a_table(tmp_path: Path) -> Path:
    db = tmp_path / ".local" / "smartsheets.duckdb"
    db.parent.mkdir()
    with duckdb.connect(str(db)) as connection:
        connection.execute("CREATE TABLE tasks AS SELECT 1 AS id")
    return db


def test_given_no_sql_when_query_then_usage_and_the_database_untouched(tmp_path) -> None:
    db = _database_with_a_table(tmp_path)
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    run = local_sync("--query", "", cwd=tmp_path)  # what `make query` runs without SQL=
    assert run.returncode == 1
    assert run.stderr.strip().startswith("Error: Give the SQL to run: make query SQL=")
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    assert sorted(path.name for path in db.parent.iterdir()) == ["smartsheets.duckdb"]  # no demo sync ran


def test_given_bad_sql_when_query_then_the_database_error_in_one_line(tmp_path) -> None:
    _database_with_a_table(tmp_path)
    run = local_sync("--query", "SELEC * FROM tasks", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.strip().startswith("Error: The query failed: Parser Error"), run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert "1" in local_sync("--query", "SELECT id FROM tasks", cwd=tmp_path).stdout


def test_given_a_host_that_never_answers_when_synced_then_a_waiting_line_within_10_seconds(tmp_path) -> None:
    host = HangingHost().start()
    config = {"credentials": TOKEN, "sheet_ids": ["1"], "api_base_url": host.base_url}
    (tmp_path / "silent.json").write_text(json.dumps(config))
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "local_sync", "--config", "silent.json"],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    seen: list[tuple[float, str]] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            seen.append((time.monotonic() - started, line.rstrip()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = started + 10
        while time.monotonic() < deadline and not any("still checking the connection" in line for _, line in seen):
            time.sleep(0.1)
    finally:
        process.kill()
        process.wait()
        host.stop()
    waiting = [(at, line) for at, line in seen if "still checking the connection to 127.0.0.1" in line]
    assert waiting and waiting[0][0] < 10, seen


def test_given_a_wrong_token_when_synced_then_the_connectors_message_alone(tmp_path) -> None:
    with Emulator(build("demo"), rate_limit=None) as emulator:
        config = {**emulator.connector_config(), "credentials": {"auth_type": "access_token", "access_token": "wrong-token-5f3a"}}
        (tmp_path / "wrong.json").write_text(json.dumps(config))
        run = local_sync("--config", "wrong.json", cwd=tmp_path, timeout=120)
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "rejected the access token" in errors[0] and "README.md" in errors[0], run.stderr
    assert "Traceback" not in run.stdout + run.stderr and "docs.airbyte.com" not in run.stdout + run.stderr
    assert "wrong-token-5f3a" not in run.stdout + run.stderr
    assert "Loaded into" not in run.stdout
    assert sorted(path.name for path in tmp_path.iterdir()) == ["wrong.json"]  # no .local/, no database: nothing created


def test_given_the_demo_when_synced_then_the_portfolio_table_has_one_typed_row_per_sheet(tmp_path) -> None:
    run = local_sync(cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    world = build("demo")
    with duckdb.connect(str(tmp_path / ".local" / "smartsheets.duckdb"), read_only=True) as connection:
        rows = connection.execute("SELECT _ss_sheet_name, status, budget, complete, go_live FROM sheet_summaries").fetchall()
        types = dict(
            connection.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'sheet_summaries'"
            ).fetchall()
        )
        comments = connection.execute("SELECT count(*) FROM comments").fetchone()
    assert sorted(name for name, *_ in rows) == sorted(sheet.name for sheet in world.sheets.values())
    truth = {sheet.name: {s.title: s.value for s in sheet.summary} for sheet in world.sheets.values()}
    for name, status, budget, complete, go_live in rows:
        assert (status, budget, float(complete), str(go_live)) == (
            truth[name]["Status"],
            str(truth[name]["Budget"]),  # text in one sheet, so text in all
            truth[name]["% Complete"],
            truth[name]["Go-live"],
        )
    assert types["go_live"] == "DATE" and types["budget"] == "VARCHAR" and types["complete"] != "VARCHAR"
    assert comments == (sum(len(d.comments) for sheet in world.sheets.values() for d in sheet.discussions),)


def test_given_merge_template_when_synced_then_one_table_holds_every_project_sheet(tmp_path) -> None:
    run = local_sync("--merge", "template", cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    world = build("demo")
    projects = [sheet for sheet in world.sheets.values() if sheet.source is not None]
    (template,) = world.templates.values()
    with duckdb.connect(str(tmp_path / ".local" / "smartsheets-merged-template.duckdb"), read_only=True) as connection:
        tables = {row[0] for row in connection.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        counts = dict(connection.execute("SELECT _ss_sheet_name, count(*) FROM project_plan_template GROUP BY 1").fetchall())
    assert "project_plan_template" in tables and template.name == "Project Plan Template"
    assert not {"project_apollo", "project_delta"} & tables
    assert counts == {sheet.name: len(sheet.rows) for sheet in projects}
    lines = run.stdout.splitlines()
    assert f"  [4/20] project_plan_template: Project Apollo {len(world.sheet_named('Project Apollo').rows)} rows" in lines
    assert "  make query MERGE=template SQL='SELECT * FROM project_plan_template LIMIT 5'" in lines  # the merged table


def test_given_sql_with_quoted_identifiers_and_dollars_when_make_query_then_duckdb_gets_it_as_typed(tmp_path) -> None:
    """`make query SQL=...` itself: double quotes (a quoted identifier), single quotes and `$HOME` reach DuckDB
    unchanged (0.3.0: argparse's usage text for the quotes, and `$HOME` arrived as `OME`)."""
    db = _database_with_a_table(tmp_path)
    sql = """SELECT count(*) AS "row count", '$HOME' AS home, 'it''s' AS quote FROM tasks"""
    venv = Path(sys.prefix)
    make = ["make", "-s", "-C", str(ROOT), "-o", f"{venv}/.installed", "query", f"VENV={venv}", f"DB={db}", f"SQL={sql}"]
    run = subprocess.run(make, env=ENV, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "row count" in run.stdout and "$HOME" in run.stdout and "it's" in run.stdout, run.stdout


def test_the_readmes_python_snippet_runs_as_written_from_any_folder(tmp_path) -> None:
    """The README's PyAirbyte snippet, taken from the README itself, run from a folder that is not the repository, with
    what an install puts on PATH (`source-smartsheets`, `smartsheet-emulator`) and nothing else; only the demo
    emulator's port is this test's. It prints the streams, and no warning."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("```python\n", 1)[1].split("```", 1)[0]
    assert '"--port", "8080"' in snippet
    bin_dir = str(Path(sys.executable).parent)
    env = {key: value for key, value in ENV.items() if key not in ("PYTHONPATH", "AIRBYTE_OFFLINE_MODE", "DO_NOT_TRACK")}
    env["PATH"] = bin_dir + os.pathsep + "/usr/bin:/bin"
    with Emulator(build("demo"), rate_limit=None) as emulator:
        (tmp_path / "snippet.py").write_text(snippet.replace('"8080"', f'"{emulator.port}"'))
        run = subprocess.run(
            [sys.executable, "snippet.py"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert "'website_relaunch_plan'" in run.stdout.splitlines()[-1] and "'sheet_summaries'" in run.stdout.splitlines()[-1]
    assert "Warning" not in run.stderr, run.stderr[-2000:]


def test_given_pinned_names_when_a_sheet_and_column_are_renamed_then_the_duckdb_table_keeps_its_columns_and_values(
    tmp_path,
) -> None:
    """#32, through the real client: PyAirbyte discovers afresh before every read, so pins are what keep the names."""
    world = build("demo")
    budget = world.sheet_named("2026 Marketing Budget")
    actual = budget.column_by_title("Actual")
    with Emulator(world, rate_limit=None) as emulator:
        pins = [{"sheet_id": str(budget.id), "stream_name": "n_2026_marketing_budget", "field_names": {str(actual.id): "actual"}}]
        config = {**emulator.connector_config(), "sheet_ids": [str(budget.id)], "pinned_names": pins}
        config.pop("workspace_ids")
        (tmp_path / "pins.json").write_text(json.dumps(config))
        first = local_sync("--config", "pins.json", cwd=tmp_path)
        assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-3000:]
        world.clock.advance(3600)
        world.rename_sheet(budget, "Marketing Budget FY26")
        world.rename_column(budget, actual, "Spent")
        world.update_row(budget, budget.rows[0], {"Spent": 4321})
        second = local_sync("--config", "pins.json", cwd=tmp_path)
        assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-3000:]
    with duckdb.connect(str(tmp_path / ".local" / "pins.duckdb"), read_only=True) as connection:
        tables = {row[0] for row in connection.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        values = dict(connection.execute("SELECT _ss_row_id, actual FROM n_2026_marketing_budget").fetchall())
        columns = {
            row[0]
            for row in connection.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'n_2026_marketing_budget'"
            ).fetchall()
        }
    assert "marketing_budget_fy26" not in tables and "spent" not in columns
    # the new value, and every old one (DuckDB keeps numbers as decimals)
    assert {row_id: None if value is None else float(value) for row_id, value in values.items()} == {
        row.id: row.cells.get(actual.id) for row in budget.rows
    }
    assert float(values[budget.rows[0].id]) == 4321


def test_given_a_wide_table_when_queried_then_every_column_the_sheets_own_first_and_the_rows_counted(tmp_path) -> None:
    """#33: `SELECT *` shows what it asked for: every column (the sheet's own before `_ss_` and `_airbyte_`), every row up
    to a limit the output states, and how to see more."""
    db = tmp_path / ".local" / "smartsheets.duckdb"
    db.parent.mkdir()
    with duckdb.connect(str(db)) as connection:
        meta = ", ".join(f"n AS _ss_meta_{n}" for n in range(12))
        connection.execute(
            f"CREATE TABLE plan AS SELECT n AS _airbyte_raw_id, {meta}, 'task ' || n AS task_name, n AS hours "
            "FROM range(120) t(n)"
        )
    run = local_sync("--query", "SELECT * FROM plan", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    first_row = lines[1 : lines.index(next(line for line in lines[1:] if line.startswith("-[ row 2 ]")))]
    names = [line.split("|")[0].strip() for line in first_row]
    assert names[:2] == ["task_name", "hours"] and names[-1] == "_airbyte_raw_id" and len(names) == 15
    assert lines[-1] == "(120 rows, 15 columns; the first 50 shown: ROWS=120 shows more, LIMIT and OFFSET in the SQL pick others)"
    more = local_sync("--query", "SELECT task_name, hours FROM plan", "--rows", "200", cwd=tmp_path)
    assert more.stdout.splitlines()[-1] == "(120 rows, 2 columns)" and "task 119" in more.stdout
