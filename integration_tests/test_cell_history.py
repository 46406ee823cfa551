"""cell_history through the command against the emulator: the world's true history, only changed cells asked, a first
sync spread over syncs within the budget and resumed without loss or duplicates, and the API's cost of 10."""

from __future__ import annotations

from typing import Any

import jsonschema

from integration_tests.harness import Harness, read_until_killed
from smartsheet_emulator.server import world_seconds

HISTORY = "GET /sheets/{id}/rows/{row}/columns/{column}/history"
SHEET_PAGE = "GET /sheets/{id}"
KEY = ("sheet_id", "row_id", "column_id", "modified_at", "seq")


def _key(record: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(record[name] for name in KEY)


def _truth(harness: Harness, sheet_name: str, title: str) -> set[tuple[int, int, str]]:
    """Every (row, value, time) the emulated sheet's cells of `title` were given."""
    sheet = harness.world.sheet_named(sheet_name)
    column = sheet.column_by_title(title)
    return {
        (row.id, edit.value, edit.at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        for row in sheet.rows
        for edit in row.edits(column.id)
        if edit.value is not None
    }


def _found(records: list[dict[str, Any]]) -> set[tuple[int, int, str]]:
    return {(r["row_id"], r["value_text"], r["modified_at"]) for r in records}


def _sync(harness: Harness, config: dict[str, Any], catalog: dict[str, Any], state: Any = None) -> Any:
    harness.stats.reset()
    run = harness.read(catalog, config=config, state=state)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def test_history_is_the_worlds_and_later_syncs_ask_only_changed_cells(demo) -> None:
    world = demo.world
    plan = world.sheet_named("Website Relaunch Plan")
    config = demo.config(cell_history_columns=["Status"])
    catalog = demo.catalog("incremental", config=config, streams=["cell_history"])
    assert [entry["sync_mode"] for entry in catalog["streams"]] == ["incremental"]
    schema = catalog["streams"][0]["stream"]["json_schema"]
    assert catalog["streams"][0]["stream"]["supported_sync_modes"] == ["incremental"]

    first = _sync(demo, config, catalog)
    records = first.records("cell_history")
    for record in records:
        jsonschema.validate(record, schema)
    assert _found(records) == _truth(demo, "Website Relaunch Plan", "Status")
    status_cells = sum(1 for row in plan.rows if row.cells.get(plan.column_by_title("Status").id) is not None)
    assert demo.stats.count(HISTORY) == status_cells
    assert demo.stats.snapshot()["units"] >= 10 * status_cells  # each history call counts as 10

    # Two edits: one moves a Status, the other only % Complete (its row's modifiedAt moves, not its Status).
    world.clock.advance(3600)
    moved, other = plan.rows[3], plan.rows[5]
    world.update_row(plan, moved, {"Status": "Complete"})
    world.update_row(plan, other, {"% Complete": 0.9})
    second = _sync(demo, config, catalog, first.final_states())
    assert demo.stats.count(HISTORY) == 1  # only the cell whose value changed
    assert [(r["row_id"], r["value_text"]) for r in second.records("cell_history")] == [(moved.id, "Complete")]
    # The other sheets did not move: no request for them; the plan: its first page and one listing of its Status.
    assert demo.stats.count(SHEET_PAGE) == 2

    third = _sync(demo, config, catalog, second.final_states())
    assert demo.stats.snapshot()["total"] - _listing_requests(demo) == 0  # nothing changed: nothing asked
    assert third.records("cell_history") == []


def _listing_requests(harness: Harness) -> int:
    """The requests every command makes to find the sheets (the listing and the workspace walk)."""
    stats = harness.stats.snapshot()["by_endpoint"]
    walk = ("GET /sheets", "GET /workspaces/{id}/metadata", "GET /workspaces/{id}/children", "GET /folders/{id}/children")
    return sum(stats.get(name, 0) for name in walk)


def test_a_first_sync_is_spread_over_syncs_within_the_budget_and_loses_nothing(demo) -> None:
    world = demo.world
    plan = world.sheet_named("Website Relaunch Plan")
    config = demo.config(cell_history_columns=["Status"], cell_history_budget=30)
    catalog = demo.catalog("incremental", config=config, streams=["cell_history", "website_relaunch_plan"])
    truth = _truth(demo, "Website Relaunch Plan", "Status")
    seen: list[dict[str, Any]] = []
    state = None
    syncs = 0
    while True:
        run = _sync(demo, config, catalog, state)
        syncs += 1
        assert demo.stats.count(HISTORY) <= 3  # 30 request units: 3 cells
        if syncs == 1:  # every row in the first sync, whatever history is left
            assert len(run.records("website_relaunch_plan")) == len(plan.rows)
        seen += run.records("cell_history")
        state = run.final_states()
        if syncs == 1:
            # A change to a cell asked in the first sync is asked before the cells never asked.
            asked = seen[0]["row_id"]
            world.clock.advance(60)
            world.update_row(plan, plan.row(asked), {"Status": "Not Started"})
            truth = _truth(demo, "Website Relaunch Plan", "Status")
            again = _sync(demo, config, catalog, state)
            syncs += 1
            assert ("Not Started", asked) in {(r["value_text"], r["row_id"]) for r in again.records("cell_history")}
            assert asked in {r["_ss_row_id"] for r in again.records("website_relaunch_plan")}  # its row is not late
            seen += again.records("cell_history")
            state = again.final_states()
        if demo.stats.count(HISTORY) == 0:
            break
        assert syncs < 20
    assert _found(seen) == truth
    keys = [_key(record) for record in seen]
    duplicates = [key for key in set(keys) if keys.count(key) > 1]
    # Only the cell edited again during the spread (asked twice, its whole history each time) can come twice.
    assert {key[1] for key in duplicates} <= {asked}
    assert syncs >= 5  # 12 cells at 3 a sync, and the one asked again


def test_a_cell_history_request_is_paced_as_ten(world_harness) -> None:
    """The emulator's quota counts a history call as 10, on its own clock (which the connector's waits move on): the
    pacer counts it so too, so a sync of 12 history calls at 60 requests a minute takes two minutes and no 429."""
    harness = world_harness("demo", rate_limit=60, rate_window=60.0, limit_on_world_clock=True)
    harness.waits = (world_seconds(harness.world), harness.world.clock.advance)
    config = harness.config(cell_history_columns=["Status"], requests_per_minute=60, retry_initial_seconds=0.01)
    catalog = harness.catalog("incremental", config=config, streams=["cell_history"])
    harness.world.clock.advance(60)  # discover's requests leave the window (two runs at once are another test's case)
    started = harness.world.clock.now()
    run = _sync(harness, config, catalog)
    assert len(run.records("cell_history")) >= 12
    assert harness.stats.snapshot()["throttled"] == 0
    assert (harness.world.clock.now() - started).total_seconds() >= 60.0  # 120+ units at 60 a minute


def test_a_title_no_selected_sheet_has_is_a_config_error_naming_the_closest(demo) -> None:
    """#33: `status` for `Status` is a typo, said before anything is synced: discover, check and a sync fail with one
    line that names the titles the sheets have."""
    typo = demo.config(cell_history_columns=["Status", "status"])
    expected = "no selected sheet has a column titled 'status' (did you mean 'Status'?)"
    discovered = demo.discover(typo)
    assert discovered.returncode != 0
    assert [trace["error"]["failure_type"] for trace in discovered.traces()] == ["config_error"]
    assert expected in discovered.traces()[0]["error"]["message"]
    status = demo.check(typo).connection_status
    assert status["status"] == "FAILED" and expected in status["message"]
    catalog = demo.catalog("incremental", config=demo.config(cell_history_columns=["Status"]), streams=["cell_history"])
    run = demo.read(catalog, config=typo)  # the setting changed after the catalog was discovered
    assert run.returncode != 0 and {trace["error"]["failure_type"] for trace in run.traces()} == {"config_error"}
    assert expected in run.traces()[0]["error"]["message"]


def test_a_title_some_sheets_lack_is_normal(demo) -> None:
    config = demo.config(cell_history_columns=["Status"])  # the tracker and the plan have it, the budget has not
    catalog = demo.catalog("incremental", config=config, streams=["cell_history"])
    run = _sync(demo, config, catalog)
    assert run.records("cell_history") and not [line for line in run.logs("WARN") if "Status" in line]
    assert demo.check(config).connection_status["status"] == "SUCCEEDED"


def test_a_renamed_chosen_column_keeps_its_history_by_id_with_a_warning(demo) -> None:
    """#32: not a typo: the column the title chose is followed by its id, and the warning says what to update."""
    world = demo.world
    config = demo.config(cell_history_columns=["Status"])
    catalog = demo.catalog("incremental", config=config, streams=["cell_history"])
    first = _sync(demo, config, catalog)
    plan = world.sheet_named("Website Relaunch Plan")
    world.clock.advance(3600)
    world.rename_column(plan, plan.column_by_title("Status"), "State")
    world.update_row(plan, plan.rows[0], {"State": "Complete"})
    run = _sync(demo, config, catalog, state=first.final_states())
    assert run.returncode == 0, run.stderr[-2000:]
    assert [(r["row_id"], r["value_text"]) for r in run.records("cell_history")] == [(plan.rows[0].id, "Complete")]
    [warning] = [line for line in run.logs("WARN") if "'State'" in line]
    assert "Update cell_history_columns to 'State'" in warning


def test_unselected_history_and_account_streams_cost_nothing(demo) -> None:
    config = demo.config(cell_history_columns=["Status"])
    catalog = demo.catalog("incremental", config=config)  # the sheets' own streams only
    assert not {"cell_history", "users", "dashboards", "sheet_shares"} & {e["stream"]["name"] for e in catalog["streams"]}
    _sync(demo, config, catalog)
    asked = set(demo.stats.snapshot()["by_endpoint"])
    assert not asked & {HISTORY, "GET /users", "GET /groups", "GET /sights", "GET /templates", "GET /shares"}


def test_a_sync_killed_midway_resumes_without_losing_a_change(demo) -> None:
    """Killed by the platform after its second sheet's checkpoint, the next sync asks what the first did not finish:
    together they hold every change (a sheet in progress at the kill may come twice; the key dedupes it)."""
    world = demo.world
    config = demo.config(cell_history_columns=["Done"])  # in the plan and the five project sheets
    catalog = demo.catalog("incremental", config=config, streams=["cell_history"])
    messages = read_until_killed(demo, catalog, config, [], kill_after_states=2)
    delivered = [m["record"]["data"] for m in messages if m["type"] == "RECORD"]
    saved = [m["state"] for m in messages if m["type"] == "STATE"][-1:]
    resumed = _sync(demo, config, catalog, saved)
    truth = {
        (row.id, edit.at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        for sheet in world.sheets.values()
        if any(column.title == "Done" for column in sheet.columns)
        for row in sheet.rows
        for edit in row.edits(sheet.column_by_title("Done").id)
        if edit.value is not None
    }
    first = {(r["row_id"], r["modified_at"]) for r in delivered}
    second = {(r["row_id"], r["modified_at"]) for r in resumed.records("cell_history")}
    assert first and first != truth  # it was killed before the end
    assert first | second == truth
    assert len(first & second) <= max(len(sheet.rows) for sheet in world.sheets.values())  # at most one sheet again
