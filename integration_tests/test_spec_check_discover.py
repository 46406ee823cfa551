"""spec, check and discover against the emulator; `spec` and a good `check` through the real command."""

from __future__ import annotations

import subprocess

import pytest

from integration_tests.harness import connector_command, row_streams
from source_smartsheets.streams.registry import CELL_HISTORY, RESERVED_NAMES


def test_spec_describes_credentials_ids_region_and_secrets(world_harness) -> None:
    run = world_harness("demo", real_command=True).spec()
    assert run.returncode == 0
    properties = run.spec["connectionSpecification"]["properties"]
    assert {"credentials", "sheet_ids", "workspace_ids", "region", "start_datetime", "api_base_url"} <= set(properties)
    methods = properties["credentials"]["oneOf"]
    assert [m["properties"]["auth_type"]["const"] for m in methods] == ["access_token", "oauth2.0"]
    assert methods[0]["properties"]["access_token"]["airbyte_secret"] is True
    assert all(methods[1]["properties"][key]["airbyte_secret"] for key in ("client_secret", "refresh_token"))


@pytest.mark.parametrize(("args", "code"), [([], 2), (["--help"], 0)], ids=["no arguments", "--help"])
def test_the_command_without_a_command_prints_its_usage_not_a_traceback(args, code) -> None:
    run = subprocess.run([*connector_command(), *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert run.returncode == code
    said = run.stderr if code else run.stdout
    assert said.startswith("usage: source-smartsheets {spec,check,discover,read}") and "Traceback" not in run.stdout + run.stderr


def test_given_good_config_when_check_then_succeeded(world_harness) -> None:
    run = world_harness("demo", real_command=True).check()
    assert run.returncode == 0
    assert run.connection_status == {"status": "SUCCEEDED"}


def _failed(run) -> str:
    assert run.returncode == 0, run.stderr
    status = run.connection_status
    assert status["status"] == "FAILED"
    assert "Traceback" not in run.stdout + run.stderr
    return str(status["message"]).lower()


# The config mistakes (bad token, unknown or unshared sheet, unknown workspace, ...) are one table in test_reliability.py.


def test_given_name_filter_excluding_all_when_check_then_failed(demo) -> None:
    message = _failed(demo.check(demo.config(sheet_name_include=["^nothing matches$"])))
    assert "no sheet" in message


def test_given_expired_token_when_check_then_failed_says_expired(demo) -> None:
    demo.world.tokens[demo.world.token].expired = True
    assert "expired" in _failed(demo.check())


def test_discover_gives_one_stream_per_sheet_with_namespace_key_and_cursor(demo) -> None:
    run = demo.discover()
    assert run.returncode == 0
    streams = {stream["name"]: stream for stream in row_streams(run.catalog)}
    assert {"n_2026_marketing_budget", "support_issue_tracker", "website_relaunch_plan", "project_apollo"} <= set(streams)
    assert len(streams) == len(demo.world.sheets)
    around = {stream["name"] for stream in run.catalog["streams"]} - set(streams)
    assert around == RESERVED_NAMES - {CELL_HISTORY.stream_name}  # cell history: offered when columns are chosen
    assert streams["n_2026_marketing_budget"]["json_schema"]["title"] == "2026 Marketing Budget"
    assert "in Acme Operations/Finance" in streams["n_2026_marketing_budget"]["json_schema"]["description"]
    for stream in streams.values():
        assert stream["namespace"] == "acme_operations"
        assert stream["source_defined_primary_key"] == [["_ss_row_id"]]
        assert stream["default_cursor_field"] == ["_ss_modified_at"]
        assert stream["source_defined_cursor"] is True
        assert stream["supported_sync_modes"] == ["full_refresh", "incremental"]
    tracker = streams["support_issue_tracker"]["json_schema"]["properties"]
    assert tracker["labels"]["type"] == ["null", "array"]
    assert tracker["resolved"]["type"] == ["null", "boolean"]
    assert tracker["watchers"]["items"]["properties"].keys() == {"email", "name"}


def test_discover_sheet_reached_twice_is_one_stream(demo) -> None:
    sheet = demo.world.sheet_named("Support Issue Tracker")
    run = demo.discover(demo.config(sheet_ids=[str(sheet.id)]))
    names = [stream["name"] for stream in row_streams(run.catalog)]
    assert names.count("support_issue_tracker") == 1 and len(names) == len(demo.world.sheets)


def test_discover_edge_names_are_unique_and_follow_the_rule(edge) -> None:
    run = edge.discover()
    assert run.returncode == 0, run.stderr
    streams = {stream["name"]: stream for stream in run.catalog["streams"]}
    tasks = sorted(edge.world.sheets[s.id].id for s in edge.world.sheets.values() if s.name == "Tasks")
    assert "tasks" in streams and f"tasks_{tasks[1]}" in streams
    titles = streams["titulos_unicode_collisions"]["json_schema"]["properties"]
    assert {"due_date", "due_date_2", "due_date_3", "due_date_4", "ss_row_id", "row_id", "modifiedat"} <= set(titles)
    assert {"grosse_cm", "si_ge", "summa", "n_2024_budget"} <= set(titles)
    assert titles["si_ge"]["title"] == "価格" and titles["n_2024_budget"]["title"] == "2024 Budget"
    assert not [name for name in titles if name.startswith("_") and not name.startswith(("_ss_", "_ab_"))]
    assert "empty_sheet" in streams and "deep_sheet" in streams


def test_discover_with_sheet_ids_only_has_no_namespace(demo) -> None:
    sheet = demo.world.sheet_named("Support Issue Tracker")
    run = demo.discover(demo.config(workspace_ids=None, sheet_ids=[str(sheet.id)]))
    (stream,) = row_streams(run.catalog)
    assert stream["name"] == "support_issue_tracker" and "namespace" not in stream


def test_discover_is_stable_from_run_to_run(edge) -> None:
    first, second = edge.discover(), edge.discover()
    assert first.catalog == second.catalog


def test_discover_leaves_out_a_sheet_that_vanishes_after_listing(demo) -> None:
    sheet = demo.world.sheet_named("Support Issue Tracker")

    def vanish_after_listing(request, body):  # type: ignore[no-untyped-def]
        if request.path == "/sheets":
            demo.world.delete_sheet(sheet)  # listed, then gone before its schema is asked for
        return body

    demo.emulator.tamper = vanish_after_listing
    run = demo.discover(demo.config(workspace_ids=None, sheet_ids=[str(s.id) for s in demo.world.sheets.values()]))
    assert run.returncode == 0
    left = sorted(stream["name"] for stream in row_streams(run.catalog))
    assert "support_issue_tracker" not in left and len(left) == len(demo.world.sheets) - 1
    assert any(
        f"Sheet {sheet.id} ('Support Issue Tracker') was not found" in m and "left out of the catalog" in m
        for m in run.logs("WARN")
    )


def test_given_a_misspelled_setting_when_discovered_then_a_config_error_names_it_and_the_setting(demo) -> None:
    run = demo.discover(demo.config(workspace_id=["1"]))
    (error,) = run.traces("ERROR")
    assert error["error"]["failure_type"] == "config_error"
    assert "Unknown setting 'workspace_id': did you mean 'workspace_ids'?" in error["error"]["message"]
    assert "Traceback" not in run.stdout + run.stderr


def test_given_a_key_that_resembles_no_setting_when_checked_and_read_then_one_warning_and_the_sync_goes_on(demo) -> None:
    config = demo.config(team_notes="kept by our deploy script")
    warning = "Unknown setting 'team_notes': this connector does not use it, so it is ignored."
    check = demo.check(config)
    assert check.connection_status["status"] == "SUCCEEDED"
    assert check.logs("WARN") == [warning]
    run = demo.read(demo.catalog("full_refresh", config=config, streams=["project_apollo"]), config=config)
    assert run.returncode == 0 and len(run.records()) == 3
    assert run.logs("WARN").count(warning) == 1
