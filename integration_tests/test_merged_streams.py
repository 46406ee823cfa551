"""Merged streams through the command against the emulator: the demo's five project sheets made from one template
as one stream (full refresh, an edit, a sheet joining, a sheet deleted, kill and resume), and `many`'s 200
sheets as four."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from integration_tests.harness import Harness, killed_then_resumed, row_streams
from smartsheet_emulator.worlds import PROJECTS

BY_TEMPLATE = [{"by": "template"}]
MERGED = "project_plan_template"
SHEET_PAGE = "GET /sheets/{id}"


def _merged(harness: Harness, sync_mode: str = "incremental", **config: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    settings = harness.config(merge_streams=BY_TEMPLATE, **config)
    return settings, harness.catalog(sync_mode, config=settings, streams=[MERGED])


def _projects(harness: Harness) -> list[Any]:
    return [harness.world.sheet_named(name) for name in PROJECTS]


def _keys(records: list[dict[str, Any]]) -> list[tuple[int, int]]:
    return sorted((record["_ss_sheet_id"], record["_ss_row_id"]) for record in records)


def test_full_refresh_gives_every_project_row_once_in_one_stream(demo) -> None:
    config, catalog = _merged(demo, "full_refresh")
    (entry,) = catalog["streams"]
    schema = entry["stream"]["json_schema"]
    assert entry["stream"]["source_defined_primary_key"] == [["_ss_sheet_id"], ["_ss_row_id"]]
    assert "Project Plan Template" in schema["description"]
    assert "differs between the merged sheets" in schema["properties"]["done"]["description"]
    run = demo.read(catalog, config=config)
    assert run.returncode == 0, run.stderr[-3000:]
    records = run.records(MERGED)
    projects = _projects(demo)
    assert _keys(records) == sorted((sheet.id, row.id) for sheet in projects for row in sheet.rows)
    names = {sheet.id: sheet.name for sheet in projects}
    for record in records:
        jsonschema.validate(record, schema)
        assert record["_ss_sheet_name"] == names[record["_ss_sheet_id"]]
        assert record["done"] in ("true", "false", "Yes", "No")  # a checkbox here, a picklist there: text
    assert {record["_ss_sheet_name"] for record in records if record.get("risk")} == {"Project Delta"}
    others = demo.discover(config).catalog["streams"]
    assert not {stream["name"] for stream in others} & {"project_apollo", "project_delta"}  # no stream of their own


def test_incremental_reads_only_the_member_that_changed(demo) -> None:
    config, catalog = _merged(demo)
    first = demo.read(catalog, config=config)
    apollo, borealis = _projects(demo)[:2]
    demo.world.clock.advance(120)
    demo.world.update_row(borealis, borealis.rows[1], {"Task": "Design, second round"})
    demo.stats.reset()
    second = demo.read(catalog, config=config, state=first.final_states())
    assert [(r["_ss_sheet_id"], r["_ss_row_id"], r["task"]) for r in second.records()] == [
        (borealis.id, borealis.rows[1].id, "Design, second round")
    ]
    assert sum("is unchanged since the last sync" in message for message in second.logs()) == len(PROJECTS) - 1
    assert demo.stats.count(SHEET_PAGE) <= 3  # the changed sheet's pages, nothing for the four others
    (state,) = [s["stream"]["stream_state"] for s in second.final_states()]
    assert set(state["sheets"]) == {str(sheet.id) for sheet in _projects(demo)} and apollo.id


def test_a_new_sheet_from_the_template_joins_and_is_read_in_full(demo) -> None:
    config, catalog = _merged(demo)
    first = demo.read(catalog, config=config)
    world = demo.world
    template = next(iter(world.templates.values()))
    pmo = next(folder for folder in world.folders.values() if folder.name == "PMO")
    apollo = _projects(demo)[0]
    joined = world.add_sheet("Project Fjord", [world.column(c.title, c.type) for c in apollo.columns], pmo, source=template)
    rows = [world.add_row(joined, {"Task": f"step {n}", "Hours": n}) for n in range(3)]
    second = demo.read(catalog, config=config, state=first.final_states())
    assert second.returncode == 0, second.stderr[-3000:]
    assert _keys(second.records()) == sorted((joined.id, row.id) for row in rows)
    assert {record["_ss_sheet_name"] for record in second.records()} == {"Project Fjord"}


def test_a_deleted_member_ends_its_part_and_its_rows_are_deleted_with_capture_deletes(demo) -> None:
    config, catalog = _merged(demo, capture_deletes=True)
    first = demo.read(catalog, config=config)
    gone = _projects(demo)[2]
    demo.world.delete_sheet(gone)
    second = demo.read(catalog, config=config, state=first.final_states())
    assert second.returncode == 0, second.stderr[-3000:]
    deleted = second.records()
    assert _keys(deleted) == sorted((gone.id, row.id) for row in gone.rows)
    assert all(record["_ab_cdc_deleted_at"] for record in deleted)
    assert any(f"sheet {gone.id} is no longer in it" in message for message in second.logs())
    (state,) = [s["stream"]["stream_state"] for s in second.final_states()]
    assert str(gone.id) not in state["sheets"]
    third = demo.read(catalog, config=config, state=second.final_states())
    assert third.records() == []  # said once


def test_killed_after_each_sheet_and_resumed_delivers_every_change(world_harness) -> None:
    harness = world_harness("demo", real_command=True)
    config, catalog = _merged(harness)
    states = harness.read(catalog, config=config).final_states()
    world = harness.world
    world.clock.advance(120)
    edited = set()
    for sheet in _projects(harness):
        world.update_row(sheet, sheet.rows[-1], {"Task": f"edited {sheet.name}"})
        edited.add(sheet.rows[-1].id)
    for kill_after in range(1, len(PROJECTS) + 1):
        delivered, again = killed_then_resumed(harness, catalog, config, states, kill_after, "_ss_row_id")
        assert edited <= delivered | again, f"killed after state {kill_after}: lost {edited - delivered - again}"
        assert not again & delivered, "a checkpointed sheet is not read again"


@pytest.mark.parametrize("listing_says", [False, True], ids=["source-from-each-sheet", "source-from-the-listing"])
def test_sheets_listed_by_id_are_merged_whether_or_not_the_listing_says_their_source(demo, listing_says) -> None:
    demo.world.listing_says_source = listing_says
    ids = [str(sheet.id) for sheet in _projects(demo)]
    config = demo.config(workspace_ids=None, sheet_ids=ids, merge_streams=BY_TEMPLATE)
    demo.stats.reset()
    run = demo.discover(config)
    template_id = _projects(demo)[0].source[0]  # not walked: no listing names it (#30), so its documented name
    assert [stream["name"] for stream in row_streams(run.catalog)] == [f"template_{template_id}"]
    pages = demo.stats.count(SHEET_PAGE)
    assert pages == len(ids) * (1 if listing_says else 2)  # the schema's page; and each sheet's source when not listed


def test_a_catalog_with_a_members_old_stream_says_to_refresh(demo) -> None:
    per_sheet = demo.catalog("incremental", streams=["project_apollo"])
    before = demo.read(per_sheet)  # synced as its own stream, then the rule is added
    run = demo.read(per_sheet, config=demo.config(merge_streams=BY_TEMPLATE), state=before.final_states())
    assert run.returncode == 0
    assert any("project_apollo: its sheet is in the merged stream project_plan_template" in m for m in run.logs("WARN"))


def test_many_merged_by_template_is_four_streams_and_an_unchanged_sync_reads_no_sheet(world_harness) -> None:
    harness = world_harness("many")
    config = harness.config(merge_streams=BY_TEMPLATE)
    catalog = harness.catalog("incremental", config=config)
    merged = [entry["stream"]["name"] for entry in catalog["streams"]]
    assert sorted(merged) == ["flagship_store_template", "mall_store_template", "outlet_store_template", "street_store_template"]
    first = harness.read(catalog, config=config)
    assert len(first.records()) == sum(len(sheet.rows) for sheet in harness.world.sheets.values())
    harness.stats.reset()
    second = harness.read(catalog, config=config, state=first.final_states())
    assert second.records() == [] and harness.stats.count(SHEET_PAGE) == 0


def test_a_column_added_to_one_sheet_adds_a_field_and_rereads_that_sheet_alone(demo) -> None:
    config, catalog = _merged(demo)
    first = demo.read(catalog, config=config)
    apollo = _projects(demo)[0]
    demo.world.clock.advance(60)
    demo.world.add_column(apollo, demo.world.column("Budget Code"))
    config, refreshed = _merged(demo)  # the schema refreshed, as Airbyte does on a schema change
    assert "budget_code" in refreshed["streams"][0]["stream"]["json_schema"]["properties"]
    second = demo.read(refreshed, config=config, state=first.final_states())
    assert _keys(second.records()) == sorted((apollo.id, row.id) for row in apollo.rows)
    assert sum("is unchanged since the last sync" in message for message in second.logs()) == len(PROJECTS) - 1


def test_given_a_copy_and_a_sheet_of_an_unlisted_template_when_merged_by_template_then_each_keeps_its_own_stream(demo) -> None:
    """#24: a "Save as New" copy of a project sheet and a sheet from a Solution Center template (not among the user's
    templates) are alone with their source: no merged stream of one sheet, none named after a sheet it does not hold."""
    world = demo.world
    apollo = world.sheet_named("Project Apollo")
    pmo = world.folders[next(folder for folder in world.folders if world.folders[folder].name == "PMO")]
    copy = world.add_sheet("Project Apollo (copy)", list(apollo.columns), pmo, source=apollo)
    solution_center = world.add_template("Event Plan (Solution Center)")  # in no workspace: no listing names it
    event = world.add_sheet("Event Plan", list(apollo.columns), pmo, source=solution_center)
    names = [
        stream["stream"]["name"]
        for stream in demo.catalog("full_refresh", config=demo.config(merge_streams=BY_TEMPLATE))["streams"]
    ]
    assert MERGED in names
    assert "project_apollo_copy" in names and "event_plan" in names  # their own streams
    assert not any(
        name.startswith(("template_", "copies_of_", "project_apollo_")) and name != "project_apollo_copy" for name in names
    )
    assert {copy.id, event.id}.isdisjoint(world.sheet_named(name).id for name in PROJECTS)
