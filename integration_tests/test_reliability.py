"""Faults from the service, bad input from users, malformed answers, secrets: the 3 a.m. tests."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import jsonschema
import pytest

from integration_tests.harness import Harness
from smartsheet_emulator import FaultPlan
from smartsheet_emulator.model import Column
from smartsheet_emulator.server import world_seconds
from smartsheet_emulator.world import OAuthClient

ALL_FAULTS = ("429", "500_4000", "500_4004", "503_4001", "503_html", "drop")
FAST_RETRIES = {"retry_initial_seconds": 0.01, "max_retry_seconds": 30}


def _rows_by_sheet(records: list[dict[str, Any]]) -> Counter[int]:
    return Counter(record["_ss_row_id"] for record in records)


# ----- faults from the service -----------------------------------------------------------------------
# Seeds that serve several faults to each world's requests (edge's was 11 until discover stopped asking summaries).
@pytest.mark.parametrize("world_name, seed, merge", [("edge", 14, None), ("many", 12, None), ("many", 13, [{"by": "template"}])])
def test_given_a_fifth_of_requests_failing_when_synced_then_every_row_exactly_once(
    world_harness, world_name, seed, merge
) -> None:
    harness = world_harness(world_name, faults=FaultPlan(rate=0.2, seed=seed, kinds=ALL_FAULTS))
    config = harness.config(**FAST_RETRIES, merge_streams=merge)
    catalog = harness.catalog("incremental", config=config, sheets_only=True)
    first = harness.read(catalog, config=config)
    assert first.returncode == 0, first.stderr[-3000:]
    assert first.traces("ERROR") == []
    counts = _rows_by_sheet(first.records())
    expected = {row.id for sheet in harness.world.sheets.values() for row in sheet.rows}
    assert set(counts) == expected and set(counts.values()) == {1}
    faults = harness.stats.snapshot()["faults"]
    assert sum(faults.values()) >= 3, faults
    if world_name == "many":
        assert set(faults) == set(ALL_FAULTS), faults  # every kind was served, and survived

    world = harness.world
    world.clock.advance(600)
    changed = set()
    for sheet in sorted(world.sheets.values(), key=lambda s: s.id)[::3]:
        if sheet.rows:
            world.update_row(sheet, sheet.rows[0], {sheet.columns[0].title: "changed under faults"})
            changed.add(sheet.rows[0].id)
    second = harness.read(catalog, config=config, state=first.final_states())
    assert second.returncode == 0, second.stderr[-3000:]
    assert {record["_ss_row_id"] for record in second.records()} == changed


@pytest.mark.parametrize("merge", [None, [{"by": "template"}]], ids=["per-sheet", "merged"])
def test_given_rate_limited_with_retry_after_when_synced_then_waits_and_completes(world_harness, merge) -> None:
    """Smartsheet's own window (60 s) on the emulator's clock: each wait of the connector moves that clock on,
    so minutes of 429s and Retry-After waits take a moment of real time."""
    harness = world_harness("many", rate_limit=40, rate_window=60.0, retry_after=True, limit_on_world_clock=True)
    clock = harness.world.clock
    config = harness.config(retry_initial_seconds=0.01, max_retry_seconds=600, merge_streams=merge)
    harness.waits = (world_seconds(harness.world), clock.advance)  # the connector waits on the emulator's clock
    catalog = harness.catalog("full_refresh", config=config)
    harness.stats.reset()
    started = clock.now()
    run = harness.read(catalog, config=config)
    assert run.returncode == 0, run.stdout[-3000:]
    assert harness.stats.throttled > 0
    assert len(run.records()) == sum(len(sheet.rows) for sheet in harness.world.sheets.values())
    admitted = harness.stats.total - harness.stats.throttled
    windows = (admitted - 1) // 40  # 40 answers per 60 s: the sync cannot have been quicker on that clock
    assert (clock.now() - started).total_seconds() >= windows * 60.0, (admitted, clock.now() - started)


def test_given_service_down_when_synced_then_clear_failure_after_the_budget(world_harness) -> None:
    harness = world_harness("demo")
    catalog = harness.catalog("full_refresh")
    harness.emulator.faults = FaultPlan(rate=1.0, kinds=("503_html",))
    run = harness.read(catalog, config=harness.config(retry_initial_seconds=0.01, max_retry_seconds=0.5))
    assert run.returncode != 0
    (error,) = run.traces("ERROR")
    assert "kept answering 503" in error["error"]["message"] and "retry budget ran out" in error["error"]["message"]
    assert error["error"]["failure_type"] == "transient_error"
    assert "Traceback" not in run.stdout + run.stderr


# ----- bad input from users --------------------------------------------------------------------------
# Mistakes only the service can reveal, and two that the config model catches (`unit_tests/test_config.py`
# holds every such rule) to prove the command answers them too. (case, config overrides, words of the answer)
WRONG_TOKEN = {"auth_type": "access_token", "access_token": "wrong-token-5f3a"}
CONFIG_MISTAKES = [
    ("missing token", {"credentials": {"auth_type": "access_token"}}, "access token is missing"),
    ("text id", {"sheet_ids": ["abc"]}, "'abc' is not a smartsheet id"),
    ("bad token", {"credentials": WRONG_TOKEN}, "rejected the access token"),
    # api_base_url (the emulator's) overrides the region: the message names the host to check, not the regions (#33)
    ("token refused with api_base_url and a region", {"credentials": WRONG_TOKEN, "region": "eu"}, "api_base_url (127.0.0.1:"),
    ("unknown sheet", {"workspace_ids": None, "sheet_ids": ["1234567890123456"]}, "sheet 1234567890123456 was not found"),
    ("unshared sheet", {"workspace_ids": None, "sheet_ids": ["UNSHARED"]}, "no access to sheet {unshared}"),
    ("unknown workspace", {"workspace_ids": ["99"]}, "workspace 99 was not found"),
    ("misspelled setting", {"sheet_name_exlude": ["(?i)project"]}, "'sheet_name_exlude': did you mean 'sheet_name_exclude'?"),
    (
        "misspelled credential",
        {"credentials": {"auth_type": "access_token", "acess_token": "t"}},
        "'credentials.acess_token': did you mean 'credentials.access_token'?",
    ),
]


def _mistake(harness: Harness, overrides: dict[str, Any], part: str) -> tuple[dict[str, Any], str]:
    """The config of a case, and the words its answer must hold (`{unshared}`: the id of the sheet made unshared)."""
    sheet = harness.world.sheet_named("Support Issue Tracker")
    if overrides.get("sheet_ids") == ["UNSHARED"]:
        harness.world.revoke(sheet)
        overrides = {**overrides, "sheet_ids": [str(sheet.id)]}
    return harness.config(**overrides), part.format(unshared=sheet.id)


@pytest.mark.parametrize("name, overrides, part", CONFIG_MISTAKES, ids=[case[0] for case in CONFIG_MISTAKES])
def test_given_config_mistake_when_checked_then_failed_with_what_to_do(demo, name, overrides, part) -> None:
    config, part = _mistake(demo, overrides, part)
    run = demo.check(config)
    assert run.returncode == 0
    status = run.connection_status
    assert status["status"] == "FAILED"
    assert part in status["message"].lower(), status["message"]
    assert "Traceback" not in run.stdout + run.stderr


@pytest.mark.parametrize("name, overrides, part", CONFIG_MISTAKES, ids=[case[0] for case in CONFIG_MISTAKES])
def test_given_config_mistake_when_read_then_one_config_error_trace(demo, name, overrides, part) -> None:
    catalog = demo.catalog("full_refresh")
    config, part = _mistake(demo, overrides, part)
    run = demo.read(catalog, config=config)  # a listed sheet alone and unreachable: nothing to sync
    assert run.returncode != 0
    errors = run.traces("ERROR")
    assert errors
    assert errors[-1]["error"]["failure_type"] == "config_error"
    assert part in errors[-1]["error"]["message"].lower(), errors[-1]["error"]["message"]
    assert "Traceback" not in run.stdout + run.stderr


def test_given_config_mistake_when_the_real_command_runs_then_one_line_and_no_traceback(world_harness) -> None:
    """The installed console script, not only the in-process entrypoint, answers without a traceback."""
    harness = world_harness("demo", real_command=True)
    checked = harness.check(harness.config(credentials=WRONG_TOKEN))
    assert checked.returncode == 0 and checked.connection_status["status"] == "FAILED"
    read = harness.read({"streams": []}, config=harness.config(sheet_ids=["abc"]))
    assert read.returncode == 1
    (error,) = read.traces("ERROR")
    assert error["error"]["failure_type"] == "config_error" and "'abc' is not a Smartsheet ID" in error["error"]["message"]
    assert "Traceback" not in checked.stdout + checked.stderr + read.stdout + read.stderr


@pytest.mark.parametrize(
    "catalog_text, part",
    [("{not json", "not valid json"), ('{"streams": "all"}', "configured catalog"), ('"hello"', "configured catalog")],
)
def test_given_malformed_catalog_when_read_then_config_error(demo, catalog_text, part) -> None:
    path = demo.workdir / "broken-catalog.json"
    path.write_text(catalog_text)
    config_path = demo.workdir / "ok-config.json"
    config_path.write_text(json.dumps(demo.config()))
    run = demo.run("read", "--config", str(config_path), "--catalog", str(path))
    assert run.returncode != 0
    assert part in run.traces("ERROR")[-1]["error"]["message"].lower()
    assert "Traceback" not in run.stdout + run.stderr


def test_given_stale_catalog_when_read_then_unknown_streams_reported_and_the_rest_synced(demo) -> None:
    catalog = demo.catalog("full_refresh")
    ghost = json.loads(json.dumps(catalog["streams"][0]))
    ghost["stream"]["name"] = "a_sheet_that_was_deleted"
    catalog["streams"].append(ghost)
    run = demo.read(catalog)
    assert run.returncode == 0
    assert any("a_sheet_that_was_deleted" in message for message in run.logs("WARN"))
    assert len(run.records()) == sum(len(sheet.rows) for sheet in demo.world.sheets.values())


@pytest.mark.parametrize("state_text", ['"hello"', "42"])
def test_given_state_file_from_nowhere_when_read_then_config_error(demo, state_text) -> None:
    catalog = demo.catalog()
    files = {name: demo.workdir / f"nowhere-{name}.json" for name in ("config", "catalog", "state")}
    files["config"].write_text(json.dumps(demo.config()))
    files["catalog"].write_text(json.dumps(catalog))
    files["state"].write_text(state_text)
    run = demo.run("read", *sum(([f"--{k}", str(v)] for k, v in files.items()), []))
    assert run.returncode != 0
    assert "state must be" in run.traces("ERROR")[-1]["error"]["message"]


# ----- answers that are not what the API promises -------------------------------------------------
def _tamper_sheet(harness: Harness, sheet_name: str, change) -> None:  # type: ignore[no-untyped-def]
    target = harness.world.sheet_named(sheet_name).id

    def tamper(request, body):  # type: ignore[no-untyped-def]
        if request.path == f"/sheets/{target}" and "page" in request.query and isinstance(body, dict) and body.get("rows"):
            return change(body)
        return body

    harness.emulator.tamper = tamper


@pytest.mark.parametrize(
    "what, change, part",
    [
        (
            "row without modifiedAt",
            lambda body: {**body, "rows": [{k: v for k, v in r.items() if k != "modifiedAt"} for r in body["rows"]]},
            "modifiedat",
        ),
        (
            "cell of an unknown column",
            lambda body: {**body, "rows": [{**r, "cells": r["cells"] + [{"columnId": 1, "value": "x"}]} for r in body["rows"]]},
            "unknown column",
        ),
        ("page without totalRowCount", lambda body: {k: v for k, v in body.items() if k != "totalRowCount"}, "totalrowcount"),
    ],
)
def test_given_malformed_page_when_read_then_clear_error_naming_the_sheet_and_others_synced(demo, what, change, part) -> None:
    catalog = demo.catalog("full_refresh")
    _tamper_sheet(demo, "2026 Marketing Budget", change)
    run = demo.read(catalog)
    assert run.returncode != 0, what
    sheet = demo.world.sheet_named("2026 Marketing Budget")
    messages = [error["error"]["message"] for error in run.traces("ERROR")]
    assert any(str(sheet.id) in message and part in message.lower() for message in messages), messages
    assert run.records("n_2026_marketing_budget") == []
    assert len(run.records("website_relaunch_plan")) == len(demo.world.sheet_named("Website Relaunch Plan").rows)


def test_given_a_body_cut_short_once_when_read_then_asked_again_and_nothing_lost(demo) -> None:
    catalog = demo.catalog("full_refresh")
    target = demo.world.sheet_named("2026 Marketing Budget").id
    cut = {"done": False}

    def tamper(request, body):  # type: ignore[no-untyped-def]
        if request.path == f"/sheets/{target}" and not cut["done"]:
            cut["done"] = True
            return json.dumps(body).encode()[:500]
        return body

    demo.emulator.tamper = tamper
    run = demo.read(catalog, config=demo.config(**FAST_RETRIES))
    assert run.returncode == 0 and cut["done"]
    assert len(run.records("n_2026_marketing_budget")) == len(demo.world.sheet_named("2026 Marketing Budget").rows)


# ----- OAuth -------------------------------------------------------------------------------------
def _oauth(harness: Harness, expiry: str) -> dict[str, Any]:
    harness.world.oauth_clients["client-7f3e"] = OAuthClient("client-7f3e", "client-secret-9a8b")
    harness.world.oauth_clients["client-7f3e"].refresh_tokens["refresh-token-1c2d"] = harness.world.owner
    harness.world.add_token("stale-access-4e5f").expired = True
    return harness.config(
        credentials={
            "auth_type": "oauth2.0",
            "client_id": "client-7f3e",
            "client_secret": "client-secret-9a8b",
            "access_token": "stale-access-4e5f",
            "refresh_token": "refresh-token-1c2d",
            "token_expiry_date": expiry,
        }
    )


def _control_config(run) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    (control,) = run.of_type("CONTROL")
    return dict(control["control"]["connectorConfig"]["config"])


@pytest.mark.parametrize("expiry", ["2020-01-01T00:00:00Z", "2999-01-01T00:00:00Z"])
def test_given_oauth_token_expired_when_checked_then_refreshed_and_handed_to_the_platform(demo, expiry) -> None:
    config = _oauth(demo, expiry)  # past: refreshed before the first call; future: refreshed on 401/1003
    run = demo.check(config)
    assert run.connection_status == {"status": "SUCCEEDED"}
    rotated = _control_config(run)
    assert rotated["credentials"]["refresh_token"] != "refresh-token-1c2d"
    again = demo.check(rotated)  # the old refresh token is single-use; the rotated config works
    assert again.connection_status == {"status": "SUCCEEDED"}
    stale = demo.check(config)
    assert stale.connection_status["status"] == "FAILED"
    assert "re-authenticate" in stale.connection_status["message"].lower()


# ----- sheets that break naive code -------------------------------------------------------------
TITLES = ["السعر", "कीमत", "Τιμή", "מחיר", "价格", "가격", "ราคา", "Цена", "🚀🚀", "", "!!!", "...", "#", " ", "Ñandú"]


def test_given_hostile_titles_deep_rows_and_long_cells_when_synced_then_unique_names_valid_records(edge) -> None:
    world = edge.world
    columns = [world.column("Primary")]
    columns += [world.column(title) for title in TITLES]
    alike = ["Same Title", "same_title", "SAME-TITLE", "same  title", "Same Title!"]
    columns += [world.column(alike[index % len(alike)] + ("" if index < 5 else " " * (index // 5))) for index in range(380)]
    sheet = world.add_sheet("Hostile — 🚀 Sheet", columns, world.workspace_named("Edge Cases"))
    parent = None
    for depth in range(60):
        parent = world.add_row(sheet, {"Primary": f"depth {depth}", "价格": depth, "": "x" * 4000}, parent=parent)
    catalog = edge.catalog("full_refresh", streams=["hostile_sheet"])
    (stream,) = catalog["streams"]
    properties = stream["stream"]["json_schema"]["properties"]
    user_fields = [name for name in properties if not name.startswith("_")]
    assert len(user_fields) == len(columns) == len(set(user_fields))
    run = edge.read(catalog)
    assert run.returncode == 0
    records = run.records("hostile_sheet")
    assert len(records) == 60
    for record in records:
        jsonschema.validate(record, stream["stream"]["json_schema"])
    empty_title = next(c for c in sheet.columns if c.title == "")
    assert all(record[f"column_{empty_title.id}"] == "x" * 4000 for record in records)
    assert isinstance(sheet.columns[0], Column)
