"""Incremental syncs under everything sheets do between two syncs, with the emulator's clock and mutations."""

from __future__ import annotations

import json
from typing import Any

from integration_tests.harness import Harness, read_until_killed

PLAN = "website_relaunch_plan"


def _synced(harness: Harness, **config: Any) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    cfg = harness.config(**config)
    catalog = harness.catalog(config=cfg)
    first = harness.read(catalog, config=cfg)
    assert first.returncode == 0, first.stderr[-2000:]
    return cfg, catalog, first.final_states()


def _ids(run, stream: str = PLAN) -> list[int]:
    return sorted(record["_ss_row_id"] for record in run.records(stream))


def test_edit_in_the_same_second_as_the_cursor_still_arrives(demo) -> None:
    config, catalog, states = _synced(demo)
    sheet = demo.world.sheet_named("Website Relaunch Plan")
    newest = max(sheet.rows, key=lambda row: row.modified_at)
    other = next(row for row in sheet.rows if row is not newest and row.parent_id)
    # The clock has not moved since the last row was stamped: both edits land in the cursor's second.
    demo.world.clock.set(newest.modified_at)
    demo.world.update_row(sheet, other, {"Status": "Complete"})
    demo.world.update_row(sheet, newest, {"% Complete": 0.5})
    second = demo.read(catalog, config=config, state=states)
    assert _ids(second) == sorted([other.id, newest.id])


def test_unchanged_rows_in_the_cursor_second_are_not_sent_again(demo) -> None:
    config, catalog, states = _synced(demo)
    sheet = demo.world.sheet_named("Website Relaunch Plan")
    demo.world.clock.advance(30)
    changed = sheet.rows[2]
    demo.world.update_row(sheet, changed, {"Status": "Complete"})
    second = demo.read(catalog, config=config, state=states)
    assert _ids(second) == [changed.id]
    demo.world.clock.advance(30)
    demo.world.update_row(sheet, sheet.rows[4], {"Status": "Complete"})
    third = demo.read(catalog, config=config, state=second.final_states())
    assert _ids(third) == [sheet.rows[4].id]


def test_row_cleared_blank_is_caught_up_though_the_filter_hides_it(edge) -> None:
    config, catalog, states = _synced(edge)
    sheet = edge.world.sheet_named("Deep Sheet")
    edge.world.clock.advance(60)
    edge.world.blank_row(sheet, sheet.rows[0])
    edge.stats.reset()
    second = edge.read(catalog, config=config, state=states)
    (record,) = second.records("deep_sheet")
    assert record["_ss_row_id"] == sheet.rows[0].id
    assert "item" not in record and "qty" not in record  # now empty
    assert second.records("every_column_type") == []
    assert edge.stats.count("GET /sheets/{id}") == 3  # filtered walk, id listing, the row by id


def test_column_added_retyped_or_deleted_means_a_full_reread(demo) -> None:
    """A renamed column changes no value and is followed by its id: not a reason to re-read (#32, test_renames.py)."""
    config, catalog, states = _synced(demo)
    sheet = demo.world.sheet_named("2026 Marketing Budget")
    world = demo.world
    for change in (
        lambda: world.add_column(sheet, world.column("Notes")),
        lambda: world.retype_column(sheet, sheet.column_by_title("Category"), "TEXT_NUMBER"),
        lambda: world.delete_column(sheet, sheet.column_by_title("Notes")),
    ):
        world.clock.advance(10)
        change()
        run = demo.read(catalog, config=config, state=states)
        assert _ids(run, "n_2026_marketing_budget") == sorted(row.id for row in sheet.rows)
        assert any("columns changed" in message for message in run.logs())
        states = run.final_states()
    quiet = demo.read(catalog, config=config, state=states)
    assert quiet.records() == []


def test_deleted_rows_without_capture_emit_nothing(demo) -> None:
    config, catalog, states = _synced(demo)
    sheet = demo.world.sheet_named("2026 Marketing Budget")
    demo.world.clock.advance(10)
    demo.world.delete_row(sheet, sheet.rows[1])
    run = demo.read(catalog, config=config, state=states)
    assert run.records() == []


def test_deleted_rows_with_capture_emit_tombstones(demo) -> None:
    config, catalog, states = _synced(demo, capture_deletes=True)
    schema = next(e for e in catalog["streams"] if e["stream"]["name"] == "n_2026_marketing_budget")["stream"]["json_schema"]
    assert "_ab_cdc_deleted_at" in schema["properties"]
    sheet = demo.world.sheet_named("2026 Marketing Budget")
    gone = sheet.rows[1]
    demo.world.clock.advance(10)
    demo.world.delete_row(sheet, gone)
    updated = sheet.rows[2]
    demo.world.update_row(sheet, updated, {"Approved": True})
    run = demo.read(catalog, config=config, state=states)
    records = {record["_ss_row_id"]: record for record in run.records("n_2026_marketing_budget")}
    assert set(records) == {gone.id, updated.id}
    stamp = sheet.modified_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert records[gone.id]["_ab_cdc_deleted_at"] == stamp
    assert "_ab_cdc_deleted_at" not in records[updated.id]
    again = demo.read(catalog, config=config, state=run.final_states())
    assert again.records() == []


def test_deleted_children_are_captured_with_their_parent(demo) -> None:
    config, catalog, states = _synced(demo, capture_deletes=True)
    sheet = demo.world.sheet_named("Website Relaunch Plan")
    phase = next(row for row in sheet.rows if row.parent_id is None)
    doomed = {phase.id} | {row.id for row in sheet.rows if row.parent_id == phase.id}
    demo.world.clock.advance(10)
    demo.world.delete_row(sheet, phase)
    run = demo.read(catalog, config=config, state=states)
    tombstones = {r["_ss_row_id"] for r in run.records(PLAN) if r.get("_ab_cdc_deleted_at")}
    assert tombstones == doomed


def test_sheet_deleted_then_restored_is_reported_then_read_in_full(demo) -> None:
    config, catalog, states = _synced(demo)
    world = demo.world
    sheet = world.sheet_named("Support Issue Tracker")
    world.delete_sheet(sheet)
    gone = demo.read(catalog, config=config, state=states)
    assert gone.returncode == 0
    assert any("support_issue_tracker" in m and "not found" in m for m in gone.logs("WARN"))
    assert gone.stream_state("support_issue_tracker") == {"state_version": 1, "sheet_id": sheet.id}
    world.restore_sheet(sheet)
    back = demo.read(catalog, config=config, state=gone.final_states())
    assert _ids(back, "support_issue_tracker") == sorted(row.id for row in sheet.rows)
    assert back.records(PLAN) == []


def test_unshared_sheet_listed_by_id_is_skipped_then_read_in_full_when_shared_again(demo) -> None:
    world = demo.world
    sheet = world.sheet_named("Support Issue Tracker")
    config, catalog, states = _synced(demo, workspace_ids=None, sheet_ids=[str(s.id) for s in world.sheets.values()])
    world.revoke(sheet)
    skipped = demo.read(catalog, config=config, state=states)
    assert skipped.returncode == 0 and skipped.records() == []
    world.grant(sheet)
    back = demo.read(catalog, config=config, state=skipped.final_states())
    assert _ids(back, "support_issue_tracker") == sorted(row.id for row in sheet.rows)


def test_sync_killed_after_each_state_and_resumed_delivers_every_change(edge) -> None:
    config, catalog, states = _synced(edge)
    world = edge.world
    world.clock.advance(120)
    changed: dict[int, int] = {}
    for sheet in world.sheets.values():
        if sheet.rows:
            row = sheet.rows[-1]
            world.update_row(sheet, row, {sheet.columns[0].title: f"edited {sheet.name}"})
            changed[row.id] = sheet.id
    total_streams = len(catalog["streams"])
    for kill_after in range(1, total_streams + 1):
        messages = read_until_killed(edge, catalog, config, states, kill_after)
        delivered = {m["record"]["data"]["_ss_row_id"] for m in messages if m["type"] == "RECORD"}
        saved: dict[tuple[str, Any], dict[str, Any]] = {
            (s["stream"]["stream_descriptor"]["name"], s["stream"]["stream_descriptor"].get("namespace")): s for s in states
        }
        for message in messages:
            if message["type"] == "STATE":
                descriptor = message["state"]["stream"]["stream_descriptor"]
                saved[(descriptor["name"], descriptor.get("namespace"))] = message["state"]
        resumed = edge.read(catalog, config=config, state=list(saved.values()))
        assert resumed.returncode == 0
        delivered |= {record["_ss_row_id"] for record in resumed.records()}
        assert set(changed) <= delivered, f"killed after state {kill_after}: lost {set(changed) - delivered}"


def test_state_from_another_sheet_or_corrupt_means_a_full_reread_not_a_crash(demo) -> None:
    config, catalog, states = _synced(demo)
    forged = json.loads(json.dumps(states))
    for state in forged:
        state["stream"]["stream_state"] = {"modifiedAt": "not a time"}
    forged[0]["stream"]["stream_state"] = {"sheet_id": 1, "modifiedAt": "2026-01-05T09:00:00Z"}
    run = demo.read(catalog, config=config, state=forged)
    assert run.returncode == 0
    assert len(run.records()) == sum(len(sheet.rows) for sheet in demo.world.sheets.values())
    assert sum("set aside" in message for message in run.logs("WARN")) == len(demo.world.sheets)


def test_state_for_a_stream_not_in_the_catalog_is_ignored(demo) -> None:
    config, catalog, states = _synced(demo)
    stray = {"type": "STREAM", "stream": {"stream_descriptor": {"name": "nowhere"}, "stream_state": {"modifiedAt": "x"}}}
    run = demo.read(catalog, config=config, state=states + [stray])
    assert run.returncode == 0 and run.records() == []


def test_unchanged_workspace_of_200_sheets_costs_only_listing_calls(world_harness) -> None:
    harness = world_harness("many")
    config, catalog, states = _synced(harness)
    harness.stats.reset()
    quiet = harness.read(catalog, config=config, state=states)
    assert quiet.records() == []
    by_endpoint = harness.stats.snapshot()["by_endpoint"]
    assert "GET /sheets/{id}" not in by_endpoint and "GET /sheets/{id}/version" not in by_endpoint
    folders = len(harness.world.folders)
    assert by_endpoint == {
        "GET /sheets": 1,
        "GET /workspaces/{id}/metadata": 1,
        "GET /workspaces/{id}/children": 1,
        "GET /folders/{id}/children": folders,
    }


def test_five_changed_sheets_of_200_cost_two_requests_each(world_harness) -> None:
    harness = world_harness("many")
    config, catalog, states = _synced(harness)
    world = harness.world
    world.clock.advance(300)
    touched = sorted(world.sheets.values(), key=lambda sheet: sheet.id)[::40]
    assert len(touched) == 5
    for sheet in touched:
        world.update_row(sheet, sheet.rows[7], {"Revenue": 1.0})
    harness.stats.reset()
    run = harness.read(catalog, config=config, state=states)
    assert sorted(record["_ss_row_id"] for record in run.records()) == sorted(sheet.rows[7].id for sheet in touched)
    assert harness.stats.count("GET /sheets/{id}") == 5 * 2  # the filtered page and the id listing
