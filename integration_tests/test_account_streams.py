"""The account streams and sheet_shares through the command against the emulator: the world's truth, what they cost,
a token that is not a System Admin's, and the names they reserve."""

from __future__ import annotations

import jsonschema
import pytest

ACCOUNT = ["workspaces", "folders", "reports", "dashboards", "templates", "users", "groups"]


def test_account_streams_hold_the_worlds_truth_at_their_documented_cost(world_harness) -> None:
    harness = world_harness("edge")
    world = harness.world
    catalog = harness.catalog("full_refresh", streams=ACCOUNT)
    schemas = {entry["stream"]["name"]: entry["stream"]["json_schema"] for entry in catalog["streams"]}
    assert set(schemas) == set(ACCOUNT)
    assert all(entry["stream"]["supported_sync_modes"] == ["full_refresh"] for entry in catalog["streams"])
    harness.stats.reset()
    run = harness.read(catalog)
    assert run.returncode == 0, run.stderr[-3000:]
    for stream in ACCOUNT:
        for record in run.records(stream):
            jsonschema.validate(record, schemas[stream])
    assert {r["id"] for r in run.records("workspaces")} == set(world.workspaces)
    folders = {r["id"]: r for r in run.records("folders")}
    assert set(folders) == set(world.folders)
    for folder in folders.values():
        assert folder["path"].endswith("/" + folder["name"]) and folder["workspace_id"] in world.workspaces
    reports = {r["id"]: r["source_sheet_ids"] for r in run.records("reports")}
    assert reports == {report.id: sorted(report.source_sheet_ids) for report in world.reports.values()}
    assert (
        {(r["id"], r["path"]) for r in run.records("templates")}
        == {(template.id, "Edge Cases/Level 1/Level 2/Level 3") for template in world.templates.values()}
        != set()
    )
    assert {r["email"] for r in run.records("users")} == {user.email for user in world.users}
    assert {r["id"] for r in run.records("groups")} == set(world.groups)
    # The cost: the walk every command makes, one per report, one listing each, one per dashboard.
    by_endpoint = harness.stats.snapshot()["by_endpoint"]
    assert by_endpoint.get("GET /reports/{id}", 0) == len(world.reports)
    assert by_endpoint.get("GET /sights/{id}", 0) == len(world.dashboards)
    assert all(by_endpoint.get(f"GET /{name}", 0) <= 1 for name in ("sights", "users", "groups"))
    assert by_endpoint.get("GET /templates", 0) == 0  # switched off on 2026-06-03: templates come from the walk


def test_dashboards_name_the_sheets_they_show(demo) -> None:
    catalog = demo.catalog("full_refresh", streams=["dashboards"])
    run = demo.read(catalog)
    [dashboard] = run.records("dashboards")
    world = demo.world
    assert dashboard["source_sheet_ids"] == sorted(
        {world.sheet_named("Website Relaunch Plan").id, world.sheet_named("Support Issue Tracker").id}
    )


@pytest.mark.parametrize("answer", ["403", "self"])
def test_a_token_that_is_not_an_admins_gets_one_line_and_the_sync_goes_on(demo, answer) -> None:
    world = demo.world
    world.listings_for_non_admins = answer
    member = world.users[-1]
    world.add_token("member-token", member, admin=False)
    config = demo.config(credentials={"auth_type": "access_token", "access_token": "member-token"})
    demo.extra_secrets.append("member-token")
    catalog = demo.catalog("full_refresh", config=config, streams=["users", "groups", "templates"])
    run = demo.read(catalog, config=config)
    assert run.returncode == 0, run.stderr[-3000:]
    users = run.records("users")
    lines = [line for line in run.logs("WARN") if "Stream users" in line]
    assert len(lines) == 1 and "System Admin" in lines[0]
    if answer == "403":
        assert users == [] and run.records("groups") == []
    else:
        assert [user["email"] for user in users] == [member.email]
    assert len(run.records("templates")) == len(world.templates)  # the other streams go on


def test_sheet_shares_follow_the_recheck_schedule(demo) -> None:
    world = demo.world
    plan = world.sheet_named("Website Relaunch Plan")
    catalog = demo.catalog("incremental", streams=["sheet_shares"])
    first = demo.read(catalog)
    shares = {(r["sheet_id"], r["principal_id"]): r for r in first.records("sheet_shares")}
    marketing = next(iter(world.groups.values()))
    for sheet in world.sheets.values():  # the owner's share, and the workspace's group on every sheet
        assert shares[(sheet.id, world.owner.id)]["access_level"] == "OWNER"
        assert shares[(sheet.id, marketing.id)]["from_workspace"] is True
    # Sharing moves no version: the share is found when the sheet's turn comes, within the recheck window.
    newcomer = world.add_user("new@example.com", "New", "Comer")
    world.share(plan, newcomer, "VIEWER")
    state = first.final_states()
    found = []
    asked = 0
    for _ in range(25):  # hourly syncs over the 24-hour window
        world.clock.advance(3600)
        demo.stats.reset()
        run = demo.read(catalog, state=state)
        assert demo.stats.count("GET /shares") < len(world.sheets)  # only the sheets on their turn
        asked += demo.stats.count("GET /shares")
        found += [r for r in run.records("sheet_shares") if r["principal_id"] == newcomer.id]
        state = run.final_states()
    assert [(r["sheet_id"], r["access_level"]) for r in found] == [(plan.id, "VIEWER")]  # once, within the window
    assert asked >= len(world.sheets)  # every sheet had its turn


def test_a_sheet_named_like_a_new_stream_keeps_its_own_name_with_its_id(demo) -> None:
    world = demo.world
    workspace = next(iter(world.workspaces.values()))
    sheet = world.add_sheet("Users", [world.column("Name")], workspace)
    world.add_row(sheet, {"Name": "x"})
    run = demo.discover()
    names = {stream["name"] for stream in run.catalog["streams"]}
    assert f"users_{sheet.id}" in names and "users" in names
