"""The sample worlds hold what the README says they hold, identically on every build."""

from __future__ import annotations

from smartsheet_emulator import build
from smartsheet_emulator.model import COLUMN_TYPES, SYSTEM_COLUMN_TYPES
from smartsheet_emulator.worlds import EDGE_TEXT, PROJECTS


def _shape(world):
    return [
        (sheet.id, sheet.name, [c.title for c in sheet.columns], [r.id for r in sheet.rows]) for sheet in world.sheets.values()
    ]


def test_worlds_are_deterministic() -> None:
    for name in ("demo", "edge", "many"):
        assert _shape(build(name)) == _shape(build(name))


def test_demo_is_a_small_recognisable_workspace() -> None:
    world = build("demo")
    assert sorted(s.name for s in world.sheets.values()) == sorted(
        ["2026 Marketing Budget", "Support Issue Tracker", "Website Relaunch Plan", *PROJECTS]
    )
    (template,) = world.templates.values()
    projects = [world.sheet_named(name) for name in PROJECTS]
    assert {sheet.source for sheet in projects} == {(template.id, "template")}
    assert sum(1 for sheet in projects if any(c.title == "Risk" for c in sheet.columns)) == 1  # one extra column
    assert len({next(c.type for c in sheet.columns if c.title == "Done") for sheet in projects}) == 2  # one retyped
    plan = world.sheet_named("Website Relaunch Plan")
    assert any(row.parent_id for row in plan.rows)
    assert {c.type for c in plan.columns} >= {"CONTACT_LIST", "DATE", "CHECKBOX", "PICKLIST", "PREDECESSOR"}


def test_edge_has_every_column_type_and_system_column() -> None:
    world = build("edge")
    sheet = world.sheet_named("Every Column Type")
    assert {c.type for c in sheet.columns} >= set(COLUMN_TYPES)
    assert {c.system_column_type for c in sheet.columns} >= set(SYSTEM_COLUMN_TYPES)
    assert any(EDGE_TEXT in row.cells.values() for row in sheet.rows)
    assert any(row.is_blank() for row in world.sheet_named("Títulos — unicode & collisions!").rows)


def test_edge_has_the_traps() -> None:
    world = build("edge")
    titles = [c.title for c in world.sheet_named("Títulos — unicode & collisions!").columns]
    assert {"Due Date", "due_date", "Due  Date", "due-date", "_ss_row_id", "???"} <= set(titles)
    tasks = [s for s in world.sheets.values() if s.name == "Tasks"]
    assert len(tasks) == 2 and world.sheet_named("Empty Sheet").rows == []
    assert len(world.reports) == 1
    assert any(f.name == "Level 3" for f in world.folders.values())


def test_large_is_at_the_size_limit() -> None:
    world = build("large")
    sheet = world.sheet_named("Large Sheet")
    assert (len(sheet.rows), len(sheet.columns)) == (20_000, 25)


def test_many_has_200_sheets_in_one_workspace_across_folders() -> None:
    world = build("many")
    assert len(world.sheets) == 200 and len(world.workspaces) == 1
    assert len(world.folders) >= 20
    assert all(sheet.workspace_id for sheet in world.sheets.values())


def test_each_world_has_its_own_token_and_refuses_the_others() -> None:
    from smartsheet_emulator.api import Api, Request

    worlds = {name: build(name) for name in ("demo", "edge", "many")}
    assert {world.token for world in worlds.values()} == {"emulator-demo-token", "emulator-edge-token", "emulator-many-token"}
    edge_api = Api(worlds["edge"])
    assert edge_api.handle(Request("GET", "/users/me", headers={"authorization": "Bearer emulator-edge-token"})).status == 200
    assert edge_api.handle(Request("GET", "/users/me", headers={"authorization": "Bearer emulator-demo-token"})).status == 401


def test_banner_names_every_workspace_and_a_config_that_reaches_the_world() -> None:
    import json
    import subprocess
    import sys

    from smartsheet_emulator import Emulator
    from smartsheet_emulator.__main__ import banner

    world = build("edge")
    with Emulator(world, rate_limit=None) as emulator:
        text = banner(world, emulator.base_url)
        lines = text.splitlines()
        assert lines[:2] == [f"base_url={emulator.base_url}", "token=emulator-edge-token"]
        for workspace in world.workspaces.values():
            assert str(workspace.id) in text and workspace.name in text
        config = json.loads(lines[-1])
        assert config == emulator.connector_config()
    printed = subprocess.run(
        [sys.executable, "-m", "smartsheet_emulator", "--world", "edge", "--port", "8123", "--print-config"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(printed.stdout) == {**config, "api_base_url": "http://127.0.0.1:8123/2.0"}
