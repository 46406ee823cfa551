"""Full refresh and incremental reads of the demo and edge worlds, checked against the world's truth."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from integration_tests.expected import expected_records, without_nulls
from integration_tests.harness import Harness, row_streams
from source_smartsheets.schema_mapping.naming import field_names


def _schemas(catalog: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["stream"]["name"]: entry["stream"]["json_schema"] for entry in catalog["streams"]}


def _sheet_of(harness: Harness, records: list[dict[str, Any]]):
    return harness.world.sheets[records[0]["_ss_sheet_id"]]


@pytest.mark.parametrize("world_name", ["demo", "edge"])
def test_full_refresh_emits_every_row_once_with_the_worlds_values(world_harness, world_name: str) -> None:
    harness = world_harness(world_name)
    catalog = harness.catalog("full_refresh", sheets_only=True)
    run = harness.read(catalog)
    assert run.returncode == 0, run.stderr[-2000:]
    schemas = _schemas(catalog)
    by_stream: dict[str, list[dict[str, Any]]] = {}
    for message in run.record_messages():
        by_stream.setdefault(message["stream"], []).append(message["data"])
    expected_sheets = {sheet.id for sheet in harness.world.sheets.values() if sheet.rows}
    seen_sheets = {records[0]["_ss_sheet_id"] for records in by_stream.values()}
    assert seen_sheets == expected_sheets
    for stream, records in by_stream.items():
        sheet = _sheet_of(harness, records)
        truth = expected_records(sheet, schemas[stream])
        ids = [record["_ss_row_id"] for record in records]
        assert sorted(ids) == sorted(truth), f"{stream}: every row exactly once"
        for record in records:
            jsonschema.validate(record, schemas[stream])
            assert record == without_nulls(truth[record["_ss_row_id"]]), f"{stream} row {record['_ss_row_id']}"


def test_full_refresh_keeps_zero_false_and_reports_invalid_values(edge) -> None:
    run = edge.read(edge.catalog("full_refresh", streams=["every_column_type"]))
    records = {record["name"]: record for record in run.records() if "name" in record}
    assert records["zeros and false"]["number"] == "0"
    assert records["zeros and false"]["checkbox"] is False
    assert records["0.0"]["number"] == "0"
    assert records["numeric text"]["number"] == "00123"  # a column holding text is typed string
    assert records["huge"]["number"] == str(2**53 - 1)
    errors = records["formula errors"]
    assert "date" not in errors and errors["_ss_invalid_values"]["date"] == "#INVALID DATA TYPE"
    assert errors["_ss_invalid_values"]["checkbox"] == "#CIRCULAR REFERENCE"
    assert errors["number"] == "#DIVIDE BY ZERO"


def test_full_refresh_ignores_start_datetime(demo) -> None:
    config = demo.config(start_datetime="2026-01-05T09:10:00Z")
    run = demo.read(demo.catalog("full_refresh"), config=config)
    assert len(run.records()) == sum(len(sheet.rows) for sheet in demo.world.sheets.values())


def test_read_pages_through_a_sheet_without_loss(world_harness) -> None:
    harness = world_harness("many")
    sheet = harness.world.sheet_named("Region 01 Store 01")
    config = harness.config(workspace_ids=None, sheet_ids=[str(sheet.id)], page_size=7)
    run = harness.read(harness.catalog("full_refresh", config=config), config=config)
    assert sorted(r["_ss_row_id"] for r in run.records()) == sorted(row.id for row in sheet.rows)
    assert harness.stats.count("GET /sheets/{id}") == 1 + 6  # discover + ceil(40 / 7) pages


def test_projection_keeps_only_configured_fields(demo) -> None:
    catalog = demo.catalog("full_refresh", streams=["n_2026_marketing_budget"])
    properties = catalog["streams"][0]["stream"]["json_schema"]["properties"]
    for name in ("planned", "actual", "owner"):
        del properties[name]
    records = demo.read(catalog).records()
    assert records and all({"planned", "actual", "owner"}.isdisjoint(record) for record in records)
    assert all("line_item" in record for record in records)


def test_incremental_first_read_emits_everything_and_state_per_stream(demo) -> None:
    run = demo.read(demo.catalog())
    assert run.returncode == 0
    assert len(run.records()) == sum(len(sheet.rows) for sheet in demo.world.sheets.values())
    state = run.stream_state("n_2026_marketing_budget")
    sheet = demo.world.sheet_named("2026 Marketing Budget")
    newest = max(row.modified_at for row in sheet.rows)
    at_newest = {str(row.id) for row in sheet.rows if row.modified_at == newest}
    assert state == {
        "state_version": 1,
        "sheet_id": sheet.id,
        "modifiedAt": newest.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "version": sheet.version,
        "columns": state["columns"],
        "cursor_rows": {row_id: state["cursor_rows"][row_id] for row_id in at_newest},
        "naming": 2,
        # each column's landing field, followed through renames (#32): here, as the titles name them
        "fields": dict(
            zip(map(str, (c.id for c in sheet.columns)), field_names([(c.id, c.title) for c in sheet.columns]), strict=True)
        ),
    }


def test_incremental_with_no_change_reads_no_row_and_no_sheet(demo) -> None:
    catalog = demo.catalog()
    first = demo.read(catalog)
    demo.stats.reset()
    second = demo.read(catalog, state=first.final_states())
    assert second.returncode == 0
    assert second.records() == []
    assert demo.stats.count("GET /sheets/{id}") == 0
    assert [s["stream"]["stream_state"] for s in second.final_states()] == [
        s["stream"]["stream_state"] for s in first.final_states()
    ]


def test_incremental_after_mutations_emits_exactly_the_changed_and_added_rows(demo) -> None:
    catalog = demo.catalog()
    first = demo.read(catalog)
    world = demo.world
    sheet = world.sheet_named("Website Relaunch Plan")
    cursor_second = first.stream_state("website_relaunch_plan")["modifiedAt"]
    at_cursor = {row.id for row in sheet.rows if row.modified_at.strftime("%Y-%m-%dT%H:%M:%SZ") == cursor_second}
    world.clock.advance(120)
    world.update_row(sheet, sheet.rows[3], {"% Complete": 0.9})
    world.update_row(sheet, sheet.rows[6], {"Done": True})
    added = world.add_row(sheet, {"Task Name": "Retrospective"})
    second = demo.read(catalog, state=first.final_states())
    emitted = [record["_ss_row_id"] for record in second.records("website_relaunch_plan")]
    changed = {sheet.rows[3].id, sheet.rows[6].id, added.id}
    # The rows stamped in the cursor's own second are re-read but skipped: unchanged since.
    assert at_cursor and at_cursor.isdisjoint(changed)
    assert sorted(emitted) == sorted(changed)
    assert second.records("n_2026_marketing_budget") == [] and second.records("support_issue_tracker") == []
    schema = next(e["stream"]["json_schema"] for e in catalog["streams"] if e["stream"]["name"] == "website_relaunch_plan")
    truth = expected_records(sheet, schema)
    for record in second.records("website_relaunch_plan"):
        assert record == without_nulls(truth[record["_ss_row_id"]])


def test_incremental_first_read_honours_start_datetime(demo) -> None:
    sheet = demo.world.sheet_named("2026 Marketing Budget")
    start = sheet.rows[3].modified_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    config = demo.config(start_datetime=start)
    run = demo.read(demo.catalog(config=config, streams=["n_2026_marketing_budget"]), config=config)
    assert sorted(r["_ss_row_id"] for r in run.records()) == sorted(row.id for row in sheet.rows[3:])


def test_sheet_deleted_between_discover_and_read_is_skipped_and_others_go_on(demo) -> None:
    catalog = demo.catalog()
    sheet = demo.world.sheet_named("Support Issue Tracker")
    demo.world.revoke(sheet)
    sheet_ids = [str(s.id) for s in demo.world.sheets.values()]
    config = demo.config(workspace_ids=None, sheet_ids=sheet_ids)
    run = demo.read(catalog, config=config)
    assert run.returncode == 0
    assert run.records("support_issue_tracker") == []
    assert len(run.records()) == sum(len(s.rows) for s in demo.world.sheets.values() if s is not sheet)
    assert any(f"sheet {sheet.id}" in message and "not shared" in message for message in run.logs("WARN"))


def test_records_carry_namespace_and_stream_status_runs(demo) -> None:
    run = demo.read(demo.catalog("full_refresh"))
    assert {message["namespace"] for message in run.record_messages()} == {"acme_operations"}
    assert run.stream_statuses("website_relaunch_plan") == ["STARTED", "RUNNING", "COMPLETE"]
    assert run.stream_statuses("support_issue_tracker") == ["STARTED", "RUNNING", "COMPLETE"]


def test_text_number_columns_holding_numbers_are_numbers(demo) -> None:
    catalog = demo.catalog("full_refresh", streams=["n_2026_marketing_budget"])
    properties = catalog["streams"][0]["stream"]["json_schema"]["properties"]
    assert properties["planned"]["type"] == ["null", "number"]
    assert properties["line_item"]["type"] == ["null", "string"]
    records = {r["line_item"]: r for r in demo.read(catalog).records()}
    assert records["Case study videos"]["actual"] == 0
    assert records["Search ads"]["actual"] == 8421.13


def test_text_arriving_in_a_number_column_is_kept_aside_not_lost(demo) -> None:
    catalog = demo.catalog("full_refresh", streams=["n_2026_marketing_budget"])
    sheet = demo.world.sheet_named("2026 Marketing Budget")
    demo.world.update_row(sheet, sheet.rows[0], {"Planned": "TBD"})
    record = next(r for r in demo.read(catalog).records() if r["_ss_row_id"] == sheet.rows[0].id)
    assert "planned" not in record
    assert record["_ss_invalid_values"] == {"planned": "TBD"}


def test_progress_is_logged_per_sheet_and_through_large_sheets(world_harness) -> None:
    harness = world_harness("large")
    config = harness.config(page_size=1000)  # a page per 1,000 rows; a progress line per 5,000 (pages at DEBUG)
    run = harness.read(harness.catalog("full_refresh", config=config), config=config)
    logs = run.logs("INFO")
    assert any("(1 of 1 in this sync)" in message for message in logs)
    assert [m.split(": ")[-1] for m in logs if "rows read" in m] == [
        "5000 of 20000 rows read",
        "10000 of 20000 rows read",
        "15000 of 20000 rows read",
        "20000 of 20000 rows read",
    ]
    assert len(run.records()) == 20000


def test_report_is_a_full_refresh_stream_of_its_source_sheets_rows(edge) -> None:
    world = edge.world
    report = next(iter(world.reports.values()))
    sources = [world.sheets[sheet_id] for sheet_id in report.source_sheet_ids]
    config = edge.config(workspace_ids=None, report_ids=[str(report.id)])
    discovered = edge.discover(config)
    (stream,) = row_streams(discovered.catalog)
    assert stream["name"] == "edge_report" and stream["supported_sync_modes"] == ["full_refresh"]
    properties = stream["json_schema"]["properties"]
    assert properties["multi_picklist"]["type"] == ["null", "array"]  # real with level=3
    assert properties["sheet_name"]["type"] == ["null", "string"]
    catalog = edge.catalog("full_refresh", config=config)
    run = edge.read(catalog, config=config)
    assert run.returncode == 0
    records = run.records("edge_report")
    assert sorted(r["_ss_row_id"] for r in records) == sorted(row.id for sheet in sources for row in sheet.rows)
    for record in records:
        jsonschema.validate(record, stream["json_schema"])
        assert record["sheet_name"] == world.sheets[record["_ss_sheet_id"]].name
    assert next(r for r in records if r.get("name") == "all filled")["multi_picklist"] == ["a", "c"]


def test_official_report_config_still_works(edge) -> None:
    report = next(iter(edge.world.reports.values()))
    config = edge.config(workspace_ids=None, spreadsheet_id=str(report.id), is_report=True)
    assert edge.check(config).connection_status == {"status": "SUCCEEDED"}
    unknown = edge.check(edge.config(workspace_ids=None, report_ids=["999"]))
    assert unknown.connection_status["status"] == "FAILED" and "report 999" in unknown.connection_status["message"].lower()


def _change_after_first_page(harness, sheet, change) -> None:  # type: ignore[no-untyped-def]
    """Change the sheet right after its first page is served, as another user would mid-read."""
    done = {"changed": False}

    def tamper(request, body):  # type: ignore[no-untyped-def]
        if request.path == f"/sheets/{sheet.id}" and request.query.get("page") == "1" and not done["changed"]:
            done["changed"] = True
            change()
        return body

    harness.emulator.tamper = tamper


@pytest.mark.parametrize("change", ["delete above", "insert above"])
def test_rows_shifting_between_pages_during_a_read_are_neither_lost_nor_doubled(world_harness, change) -> None:
    harness = world_harness("many")
    world = harness.world
    sheet = world.sheet_named("Region 01 Store 01")
    config = harness.config(workspace_ids=None, sheet_ids=[str(sheet.id)], page_size=10)
    catalog = harness.catalog("full_refresh", config=config)
    deleted = sheet.rows[2].id
    if change == "delete above":
        _change_after_first_page(harness, sheet, lambda: world.delete_row(sheet, sheet.rows[2]))
    else:
        _change_after_first_page(harness, sheet, lambda: world.add_row(sheet, {"Store": "new"}, parent=sheet.rows[0]))
    run = harness.read(catalog, config=config)
    assert run.returncode == 0
    emitted = [record["_ss_row_id"] for record in run.records()]
    assert len(emitted) == len(set(emitted))  # none twice
    now = {row.id for row in sheet.rows}
    assert now <= set(emitted) <= now | {deleted}  # every row there now; the deleted one was read before it went
    assert any("changed while it was read" in message for message in run.logs())


def test_log_volume_is_a_few_lines_per_sheet_and_the_cdk_bookkeeping_only_with_debug(demo) -> None:
    catalog = demo.catalog("incremental")
    run = demo.read(catalog)
    logs = run.logs()
    sheets = len(demo.world.sheets)
    assert len(logs) <= 2 * sheets + 3, logs  # "Reading …" and "… rows emitted" per sheet, and a start line or two
    bookkeeping = ("Marking stream", "MemoryMonitor", "Setting state of", "Read 6 records from")
    assert not [message for message in logs if message.startswith(bookkeeping) or "runtimes:" in message]
    assert sum(f"(2 of {sheets} in this sync)" in message for message in logs) == 1
    unchanged = demo.read(catalog, state=run.final_states())
    said = sum("unchanged since the last sync" in message and "in this sync)" in message for message in unchanged.logs())
    assert said == sheets
    debug = demo.run("read", "--debug", config=demo.config(), catalog=catalog)
    # With --debug the CDK writes debug lines as {"type": "DEBUG", ...}: its bookkeeping is there.
    assert any(str(line.get("message", "")).startswith("Marking stream") for line in debug.of_type("DEBUG"))


def test_check_counts_sheets_and_reports_each_as_itself(edge) -> None:
    report = next(iter(edge.world.reports.values()))
    run = edge.check(edge.config(report_ids=[str(report.id)]))
    assert run.connection_status == {"status": "SUCCEEDED"}
    sheets = sum(1 for sheet in edge.world.sheets.values() if not sheet.deleted)
    assert any(message.endswith(f"; {sheets} sheets and 1 report to sync.") for message in run.logs("INFO")), run.logs()


def test_given_one_source_object_used_for_two_reads_then_the_second_runs_on_its_own_date(demo) -> None:
    """airbyte-cdk's test helpers may reuse a source object: the second read must not keep the first one's date (nor
    what it fetched), or the recheck schedule would never see the day that passed."""
    from airbyte_cdk.models import ConfiguredAirbyteCatalogSerializer
    from airbyte_cdk.test.entrypoint_wrapper import read

    from source_smartsheets import SourceSmartsheets

    world = demo.world
    source = SourceSmartsheets(now=world.clock.now)
    config = demo.config()
    catalog = ConfiguredAirbyteCatalogSerializer.load(demo.catalog("incremental", streams=["sheet_summary_fields"]))
    first = read(source, config, catalog)
    budget = world.sheet_named("2026 Marketing Budget")
    world.clock.advance(25 * 3600)
    world.set_summary_value(budget, budget.summary[0], "Off Track")  # moves no version: found on the sheet's turn
    second = read(source, config, catalog, state=[first.state_messages[-1].state])  # one stream: its final state
    assert [message.record.data["field_id"] for message in second.records] == [budget.summary[0].id]
