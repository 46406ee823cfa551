"""#30: the connector against Smartsheet's API as it is today (the emulator's default): nothing it calls was switched
off on 2026-06-03 (`GET /templates`, `GET /sheets/{id}/shares`, `GET /sights` paged by page), and what those calls
answered arrives from where it lives now: templates from the workspace walk, shares from `GET /shares`, dashboards
token-paged to the end."""

from __future__ import annotations

import json

import pytest

from integration_tests.harness import Harness, row_streams

# What Smartsheet switched off on 2026-06-03 (docs/smartsheet-api.md "The account around the sheets"); the emulator
# answers them 404 today. `GET /sights` is still there, but token-paged only: asked with `page`, `pageSize` or
# `includeAll` it answers only its first page (checked by `_old_words_on_sights` below).
REMOVED = ("GET /templates", "GET /sheets/{id}/shares")
BY_TEMPLATE = [{"by": "template"}]
MERGED = "project_plan_template"


def _no_removed_call(harness: Harness) -> None:
    asked = harness.stats.snapshot()["by_endpoint"]
    assert not {endpoint: asked[endpoint] for endpoint in REMOVED if asked.get(endpoint)}
    assert asked.get("GET (unknown)", 0) == 0


@pytest.mark.parametrize("merge", [None, BY_TEMPLATE], ids=["own-streams", "merged-by-template"])
def test_no_command_calls_a_removed_endpoint_and_every_stream_syncs(world_harness, merge) -> None:
    """Every stream selected (the platform's default, PyAirbyte's `select_all_streams()`), in every command."""
    harness = world_harness("demo", cache_responses=False)
    sights_asked: list[dict] = []
    harness.emulator.tamper = _old_words_on_sights(sights_asked)
    config = harness.config(merge_streams=merge, cell_history_columns=["Status"])
    assert harness.check(config).connection_status["status"] == "SUCCEEDED"
    discovered = harness.discover(config)
    names = {stream["name"] for stream in discovered.catalog["streams"]}
    assert {"templates", "sheet_shares", "dashboards"} <= names
    if merge:
        assert MERGED in {stream["name"] for stream in row_streams(discovered.catalog)}
    for mode in ("full_refresh", "incremental"):
        catalog = harness.catalog(mode, config=config, around_rows=True)
        run = harness.read(catalog, config=config)
        assert run.returncode == 0, run.stderr[-3000:]
        assert run.traces() == []
        assert [r["name"] for r in run.records("templates")] == ["Project Plan Template"]
        assert run.records("sheet_shares") and run.records("dashboards")
    _no_removed_call(harness)
    assert sights_asked and not any(words for words in sights_asked)


def _old_words_on_sights(asked: list):
    """Keeps what each `GET /sights` was asked with that today's API does not know."""

    def tamper(request, body):
        if request.path.rstrip("/") == "/sights":
            asked.append({key: value for key, value in request.query.items() if key in ("page", "pageSize", "includeAll")})
        return body

    return tamper


def test_merged_by_template_is_named_after_the_template_the_walk_found(demo) -> None:
    demo.stats.reset()
    run = demo.discover(demo.config(merge_streams=BY_TEMPLATE))
    assert run.returncode == 0
    assert MERGED in [stream["name"] for stream in row_streams(run.catalog)]
    assert not [line for line in run.logs("WARN") if "template" in line]
    _no_removed_call(demo)


def _projects(demo: Harness) -> list:
    return [sheet for sheet in demo.world.sheets.values() if sheet.name.startswith("Project ")]


def test_a_template_no_walk_saw_keeps_its_documented_name_and_says_the_rule_that_keeps_the_old_one(demo) -> None:
    """Sheets selected by id: no workspace is walked, so no listing names their template (there is no account-wide
    list since 2026-06-03). The stream is `template_<id>`, one warning gives the rule, and the rule's `name` wins."""
    projects = _projects(demo)
    template_id = projects[0].source[0]
    by_id = demo.config(workspace_ids=None, sheet_ids=[str(sheet.id) for sheet in projects], merge_streams=BY_TEMPLATE)
    run = demo.discover(by_id)
    assert run.returncode == 0
    assert [stream["name"] for stream in row_streams(run.catalog)] == [f"template_{template_id}"]
    [warning] = [line for line in run.logs("WARN") if f"template {template_id}" in line]
    assert "put this rule first in merge_streams" in warning
    rule = json.loads(warning[warning.index("{") :])
    assert rule == {"by": "template", "value": str(template_id), "name": "<the stream's name in 0.4.0>"}
    _no_removed_call(demo)

    # Synced under 0.4.0's name (the template was listed then): a read with that catalog and state prints the rule
    # with the exact name; pasting it gives the stream that name again.
    old_catalog = demo.catalog("incremental", config=demo.config(merge_streams=BY_TEMPLATE), streams=[MERGED])
    before = demo.read(old_catalog, config=demo.config(merge_streams=BY_TEMPLATE))
    after = demo.read(old_catalog, config=by_id, state=before.final_states())
    assert after.returncode == 0
    [warning] = [line for line in after.logs("WARN") if line.startswith(f"Stream {MERGED}:")]
    pasted = json.loads(warning[warning.index("{") :])
    assert pasted == {"by": "template", "value": str(template_id), "name": MERGED}
    named = demo.discover({**by_id, "merge_streams": [pasted, *BY_TEMPLATE]})
    assert [stream["name"] for stream in row_streams(named.catalog)] == [MERGED]
    assert not [line for line in named.logs("WARN") if "0.4.0" in line]


def test_templates_are_those_of_the_selected_workspaces_through_their_folders(demo) -> None:
    world = demo.world
    workspace = next(iter(world.workspaces.values()))
    deep = world.add_folder("Inner", world.add_folder("Outer", workspace))
    nested = world.add_template("Retro Template", deep, description="Two columns")
    world.add_template("Loose Template")  # in no workspace: no listing names it
    run = demo.read(demo.catalog("full_refresh", streams=["templates"]))
    templates = {r["id"]: r for r in run.records("templates")}
    assert set(templates) == {t.id for t in world.templates.values() if t.name != "Loose Template"}
    assert templates[nested.id]["description"] == "Two columns"
    assert templates[nested.id]["path"] == f"{workspace.name}/Outer/Inner"
    assert all(r["workspace_id"] == workspace.id for r in templates.values())
    assert [r.get("description") for r in templates.values() if r["id"] != nested.id] == [None]  # absent in the answer


def test_without_workspaces_the_templates_stream_is_not_offered(demo) -> None:
    config = demo.config(workspace_ids=None, sheet_ids=[str(next(iter(demo.world.sheets)))])
    names = {stream["name"] for stream in demo.discover(config).catalog["streams"]}
    assert "templates" not in names and "workspaces" not in names


@pytest.mark.parametrize("workspace_scope", ["both", "inherited"])
def test_every_share_of_every_sheet_arrives_over_many_pages(demo, workspace_scope) -> None:
    """`GET /shares` answers `items` with ids as strings, 100 a page; whether `sharingInclude=WORKSPACE` also holds
    the sheet's own shares is not documented: both answers give the same records."""
    world = demo.world
    world.workspace_scope_shares = workspace_scope
    plan = world.sheet_named("Website Relaunch Plan")
    workspace = next(iter(world.workspaces.values()))
    crowd = [world.add_user(f"user{n:03d}@example.com", "User", f"{n:03d}") for n in range(150)]
    for user in crowd[:120]:
        world.share(plan, user, "VIEWER")
    for user in crowd[100:]:
        world.share(workspace, user, "EDITOR")  # 20 with both shares: one record, the higher level
    demo.stats.reset()
    run = demo.read(demo.catalog("full_refresh", streams=["sheet_shares"]))
    assert run.returncode == 0, run.stderr[-3000:]
    found = {(r["sheet_id"], r["principal_id"]): r for r in run.records("sheet_shares")}
    expected = {}
    for sheet in world.sheets.values():
        for share in sheet.shares:
            expected[(sheet.id, share.grantee.id)] = share.access_level
        for share in workspace.shares if sheet.workspace_id == workspace.id else ():
            own = next((s.access_level for s in sheet.shares if s.grantee is share.grantee), None)
            expected[(sheet.id, share.grantee.id)] = "EDITOR" if own in (None, "VIEWER") else own
    assert {key: record["access_level"] for key, record in found.items()} == expected
    assert found[(plan.id, crowd[110].id)]["item_access_level"] == "VIEWER"
    assert found[(plan.id, crowd[110].id)]["workspace_access_level"] == "EDITOR"
    assert found[(plan.id, crowd[140].id)]["from_workspace"] is True
    calls = demo.stats.count("GET /shares")
    sheets = len(world.sheets)
    if workspace_scope == "both":  # learnt from the first answer, which holds an own share: one listing per sheet
        assert calls == sheets + 1  # + plan's second page
    else:
        assert calls > 2 * sheets
    _no_removed_call(demo)


def test_all_dashboards_arrive_past_the_first_page(demo) -> None:
    world = demo.world
    plan = world.sheet_named("Website Relaunch Plan")
    for n in range(121):
        world.add_dashboard(f"Board {n:03d}", [("GRID", "Plan", plan)])
    run = demo.read(demo.catalog("full_refresh", streams=["dashboards"]))
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(world.dashboards) == 122
    assert {r["id"] for r in run.records("dashboards")} == set(world.dashboards)
    assert demo.stats.count("GET /sights") == 2  # 100 a page


def test_a_sync_made_before_the_switch_off_reads_on_after_it(demo) -> None:
    """The same catalog and state across 2026-06-03: the emulator answers the old API, then today's."""
    world = demo.world
    world.old_api = True
    config = demo.config(merge_streams=BY_TEMPLATE)
    catalog = demo.catalog("incremental", config=config)
    before = demo.read(catalog, config=config)
    assert before.returncode == 0
    world.old_api = False
    world.clock.advance(3600)
    plan = world.sheet_named("Project Apollo")
    world.update_row(plan, plan.rows[0], {"Task": "Kick-off, again"})
    demo.stats.reset()
    after = demo.read(catalog, config=config, state=before.final_states())
    assert after.returncode == 0, after.stderr[-3000:]
    assert [r["task"] for r in after.records(MERGED)] == ["Kick-off, again"]
    assert not after.logs("WARN")
    _no_removed_call(demo)
