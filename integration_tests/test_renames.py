"""#32: a rename never stops or blanks a pipeline. Reads follow ids (the catalog's and the state's), a rename alone
re-reads nothing, one warning per rename says where the values keep landing and the `pinned_names` entry to paste,
and with that entry a new discover keeps the old names."""

from __future__ import annotations

import copy
import json

import pytest

from integration_tests.harness import Harness, row_streams

BUDGET = "n_2026_marketing_budget"
SHEET_PAGE = "GET /sheets/{id}"


def _pasted(warnings: list[str]) -> dict:
    """The JSON the latest rename warning prints, as a user would paste it."""
    line = [warning for warning in warnings if "add to pinned_names:" in warning][-1]
    return json.loads(line[line.index("add to pinned_names:") + len("add to pinned_names:") :])


def _first_sync(demo: Harness, config: dict | None = None) -> tuple[dict, list]:
    catalog = demo.catalog("incremental", config=config, streams=[BUDGET])
    first = demo.read(catalog, config=config)
    assert first.returncode == 0, first.stderr[-2000:]
    return catalog, first.final_states()


def test_a_renamed_column_keeps_landing_in_its_field_and_costs_an_ordinary_sync(demo) -> None:
    world = demo.world
    budget = world.sheet_named("2026 Marketing Budget")
    catalog, state = _first_sync(demo)
    world.clock.advance(3600)
    world.rename_column(budget, budget.column_by_title("Actual"), "Spent")
    world.update_row(budget, budget.rows[1], {"Spent": 4321})
    demo.stats.reset()
    run = demo.read(catalog, state=state)
    assert run.returncode == 0, run.stderr[-2000:]
    [record] = run.records(BUDGET)  # only the edited row: no full re-read
    assert record["_ss_row_id"] == budget.rows[1].id and record["actual"] == 4321 and "spent" not in record
    assert demo.stats.count(SHEET_PAGE) == 2  # its changed rows, and its id listing: an ordinary incremental sync
    [warning] = [line for line in run.logs("WARN") if "is titled 'Spent' now" in line]
    assert "field actual of stream n_2026_marketing_budget" in warning and "would name it spent" in warning
    pin = _pasted([warning])
    assert pin["sheet_id"] == str(budget.id) and pin["stream_name"] == BUDGET
    assert pin["field_names"][str(budget.column_by_title("Spent").id)] == "actual"
    # The next sync: the sheet's version did not move, so it is not read, and the rename is not said again.
    again = demo.read(catalog, state=run.final_states())
    assert again.records(BUDGET) == [] and [line for line in again.logs("WARN") if "Spent" in line] == []


def test_a_renamed_sheet_keeps_its_stream_and_a_pin_keeps_both_names_through_a_refresh(demo) -> None:
    world = demo.world
    budget = world.sheet_named("2026 Marketing Budget")
    catalog, state = _first_sync(demo)
    world.clock.advance(3600)
    world.rename_sheet(budget, "Marketing Budget FY26")
    world.rename_column(budget, budget.column_by_title("Planned"), "Plan")
    world.update_row(budget, budget.rows[0], {"Plan": 999})
    run = demo.read(catalog, state=state)
    assert run.returncode == 0, run.stderr[-2000:]
    [record] = run.records(BUDGET)  # its rows keep landing in its stream, in their fields
    assert record["planned"] == 999 and "marketing_budget_fy26" not in {m["stream"] for m in run.record_messages()}
    sheet_lines = [line for line in run.logs("WARN") if f"Sheet {budget.id}" in line]
    assert len(sheet_lines) == 1 and "keep landing in stream n_2026_marketing_budget" in sheet_lines[0]
    # Without pins a refresh follows the titles; with the latest warning's JSON pasted, it keeps both names.
    refreshed = demo.discover()
    assert "marketing_budget_fy26" in {stream["name"] for stream in row_streams(refreshed.catalog)}
    pinned = demo.config(pinned_names=[_pasted(run.logs("WARN"))])
    kept = demo.discover(pinned)
    streams = {stream["name"]: stream for stream in row_streams(kept.catalog)}
    assert BUDGET in streams and "marketing_budget_fy26" not in streams
    properties = streams[BUDGET]["json_schema"]["properties"]
    assert "planned" in properties and "plan" not in properties and properties["planned"]["title"] == "Plan"
    after = demo.read(demo.catalog("incremental", config=pinned, streams=[BUDGET]), config=pinned, state=run.final_states())
    assert after.returncode == 0 and after.records(BUDGET) == []  # the refreshed, pinned catalog: nothing re-read
    assert not [line for line in after.logs("WARN") if "renamed" in line or "titled" in line or "makes stream" in line]


def test_a_reset_with_the_old_catalog_still_maps_by_id(demo) -> None:
    world = demo.world
    budget = world.sheet_named("2026 Marketing Budget")
    catalog, _ = _first_sync(demo)
    world.rename_sheet(budget, "Budget (renamed)")
    world.rename_column(budget, budget.column_by_title("Actual"), "Spent")
    run = demo.read(catalog)  # no state: the catalog's ids alone
    assert run.returncode == 0, run.stderr[-2000:]
    records = run.records(BUDGET)
    assert len(records) == len(budget.rows) and not any("spent" in record for record in records)
    spent = budget.column_by_title("Spent").id
    assert [record.get("actual") for record in records] == [row.cells.get(spent) for row in budget.rows]


def test_a_renamed_workspace_keeps_its_namespace(demo) -> None:
    world = demo.world
    workspace = next(iter(world.workspaces.values()))
    catalog, state = _first_sync(demo)
    world.rename_workspace(workspace, "Acme Ops")
    budget = world.sheet_named("2026 Marketing Budget")
    world.clock.advance(3600)
    world.update_row(budget, budget.rows[0], {"Actual": 1})
    run = demo.read(catalog, state=state)
    assert run.returncode == 0
    assert [message["namespace"] for message in run.record_messages()] == ["acme_operations"]
    assert {state["stream"]["stream_descriptor"]["namespace"] for state in run.states()} == {"acme_operations"}
    [line] = [line for line in run.logs("WARN") if f"Workspace {workspace.id}" in line]
    assert _pasted([line]) == {"workspace_id": str(workspace.id), "namespace": "acme_operations"}
    kept = demo.discover(demo.config(pinned_names=[_pasted([line])]))
    assert {stream.get("namespace") for stream in row_streams(kept.catalog)} == {"acme_operations"}


def test_a_merged_members_renamed_column_keeps_feeding_its_union_field(demo) -> None:
    world = demo.world
    config = demo.config(merge_streams=[{"by": "template"}])
    catalog = demo.catalog("incremental", config=config, streams=["project_plan_template"])
    first = demo.read(catalog, config=config)
    apollo = world.sheet_named("Project Apollo")
    world.clock.advance(3600)
    world.rename_column(apollo, apollo.column_by_title("Hours"), "Effort (h)")
    world.update_row(apollo, apollo.rows[0], {"Effort (h)": 77})
    run = demo.read(catalog, config=config, state=first.final_states())
    assert run.returncode == 0, run.stderr[-2000:]
    [record] = run.records("project_plan_template")
    assert record["hours"] == 77 and "effort_h" not in record
    [warning] = [line for line in run.logs("WARN") if "'Effort (h)'" in line]
    assert "stream_name" not in _pasted([warning])  # a merged stream is named by its rule, not by a sheet pin


@pytest.mark.parametrize(
    ("pins", "words"),
    [
        ([{"sheet_id": "1", "stream_name": "Budget!"}], "is not a name every destination keeps"),
        ([{"sheet_id": "1", "field_names": {"2": "_ss_row_id"}}], "is not a name every destination keeps"),
        ([{"sheet_id": "1", "stream_name": "a"}, {"sheet_id": "2", "stream_name": "a"}], "pinned for two different IDs"),
        ([{"sheet_id": "1"}], "pins nothing"),
        ([{"workspace_id": "1"}], "needs its namespace"),
        ([{"sheet_id": "1", "stream_nam": "a"}], "did you mean 'pinned_names.0.stream_name'"),
    ],
)
def test_a_pin_a_destination_would_not_keep_is_one_clear_line(demo, pins, words) -> None:
    run = demo.check(demo.config(pinned_names=pins))
    status = run.connection_status
    assert status["status"] == "FAILED" and words in status["message"] and "\n" not in status["message"]


def test_a_pin_of_a_reserved_name_fails_discover_and_a_pin_of_a_gone_sheet_warns(demo) -> None:
    budget = demo.world.sheet_named("2026 Marketing Budget")
    reserved = demo.discover(demo.config(pinned_names=[{"sheet_id": str(budget.id), "stream_name": "comments"}]))
    assert reserved.returncode != 0 and "one of the connector's own streams" in json.dumps(reserved.traces())
    gone = demo.discover(demo.config(pinned_names=[{"sheet_id": "1234567", "stream_name": "old_budget"}]))
    assert gone.returncode == 0
    assert [line for line in gone.logs("WARN") if "sheet 1234567 is not among the selected sheets" in line]


def test_other_streams_step_aside_for_a_pinned_name(demo) -> None:
    world = demo.world
    budget = world.sheet_named("2026 Marketing Budget")
    plan = world.sheet_named("Website Relaunch Plan")
    run = demo.discover(demo.config(pinned_names=[{"sheet_id": str(budget.id), "stream_name": "website_relaunch_plan"}]))
    names = {stream["name"] for stream in row_streams(run.catalog)}
    assert "website_relaunch_plan" in names and f"website_relaunch_plan_{plan.id}" in names and BUDGET not in names


def _as_0_4(catalog: dict, states: list) -> tuple[dict, list]:
    """The catalog and state 0.4.x wrote: no ids in the schemas, no `fields` in the state."""
    old = copy.deepcopy(catalog)
    for configured in old["streams"]:
        schema = configured["stream"]["json_schema"]
        schema.pop("x-smartsheet-sheet", None)
        for field in schema["properties"].values():
            field.pop("x-smartsheet-column", None)
    old_states = copy.deepcopy(states)
    for state in old_states:
        state["stream"]["stream_state"].pop("fields", None)
    return old, old_states


def test_upgrading_re_reads_nothing_and_the_old_catalog_follows_a_later_rename_through_the_state(demo) -> None:
    world = demo.world
    budget = world.sheet_named("2026 Marketing Budget")
    catalog, states = _first_sync(demo)
    old_catalog, old_states = _as_0_4(catalog, states)
    world.clock.advance(3600)
    world.update_row(budget, budget.rows[3], {"Actual": 12})
    upgraded = demo.read(old_catalog, state=old_states)
    assert [record["_ss_row_id"] for record in upgraded.records(BUDGET)] == [budget.rows[3].id]  # no full re-read
    assert "fields" in upgraded.stream_state(BUDGET)  # written by the first sync of this version
    world.clock.advance(3600)
    world.rename_column(budget, budget.column_by_title("Actual"), "Spent")
    world.rename_sheet(budget, "Budget 2026")
    world.update_row(budget, budget.rows[4], {"Spent": 34})
    run = demo.read(old_catalog, state=upgraded.final_states())
    [record] = run.records(BUDGET)
    assert record["actual"] == 34 and "spent" not in record


def test_the_columns_stream_maps_each_column_id_to_the_field_it_lands_in(demo) -> None:
    """A map users can join on: a rename shows as a new title on the same id, landing in the same field."""
    world = demo.world
    budget = world.sheet_named("2026 Marketing Budget")
    catalog = demo.catalog("incremental", streams=[BUDGET, "columns"])
    first = demo.read(catalog)
    actual = budget.column_by_title("Actual")
    before = {(r["sheet_id"], r["column_id"]): r for r in first.records("columns")}[(budget.id, actual.id)]
    assert (before["title"], before["field_name"], before["stream_name"]) == ("Actual", "actual", BUDGET)
    world.clock.advance(3600)
    world.rename_column(budget, actual, "Spent")
    run = demo.read(catalog, state=first.final_states())
    after = {(r["sheet_id"], r["column_id"]): r for r in run.records("columns")}[(budget.id, actual.id)]
    assert (after["title"], after["field_name"], after["stream_name"]) == ("Spent", "actual", BUDGET)
