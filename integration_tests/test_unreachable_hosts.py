"""What `check` and `read` say about hosts that are not (or not yet) Smartsheet, and how fast.

Each row of the README's table "What check says" is produced here, through the real `source-smartsheets`
command. Durations are asserted against a generous bound (45 s) so that a slow machine cannot flake; the
connector's own bound is about 25 s (`client.CHECK`).
"""

from __future__ import annotations

import time
from typing import Any, Iterator

import pytest

from integration_tests.harness import Harness, Run
from smartsheet_emulator import FaultPlan
from smartsheet_emulator.hosts import HangingHost, ProxyPageHost, closed_port

BOUND = 45.0


@pytest.fixture
def hanging() -> Iterator[HangingHost]:
    with HangingHost() as host:
        yield host


@pytest.fixture
def proxy_page() -> Iterator[ProxyPageHost]:
    with ProxyPageHost() as host:
        yield host


def _timed_check(harness: Harness, **overrides: Any) -> tuple[str, float]:
    started = time.monotonic()
    run = harness.check(harness.config(**overrides))
    elapsed = time.monotonic() - started
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stdout + run.stderr
    status = run.connection_status
    assert status["status"] == "FAILED"
    return str(status["message"]), elapsed


# (cause, how the host is made, what the message must say)
def test_given_closed_port_when_check_then_connection_refused_names_host_and_port(demo) -> None:
    port = closed_port()
    message, elapsed = _timed_check(demo, api_base_url=f"http://127.0.0.1:{port}/2.0")
    assert f"Could not connect to 127.0.0.1:{port}: the connection was refused" in message
    assert "api_base_url" in message
    assert elapsed < BOUND


def test_given_unknown_host_name_when_check_then_name_not_resolved(demo) -> None:
    message, elapsed = _timed_check(demo, api_base_url="http://smartsheet-host.invalid/2.0")
    assert "The host smartsheet-host.invalid was not found (its name does not resolve)" in message
    assert elapsed < BOUND


def test_given_https_spoken_to_a_plain_http_port_when_check_then_tls_failure(demo) -> None:
    message, elapsed = _timed_check(demo, api_base_url=demo.emulator.base_url.replace("http://", "https://"))
    assert f"The secure connection to 127.0.0.1:{demo.emulator.port} failed" in message
    assert "https" in message
    assert elapsed < BOUND


def test_given_host_that_never_answers_when_check_then_no_answer_within_the_timeout(demo, hanging) -> None:
    message, elapsed = _timed_check(demo, api_base_url=hanging.base_url)
    assert "Smartsheet did not answer for the token's user" in message
    assert "sent no answer within 8 s" in message and "read_timeout_seconds" in message
    assert elapsed < BOUND


@pytest.mark.parametrize("kind, says", [("503_4001", "kept answering 503"), ("429", "kept rate-limiting")])
def test_given_only_errors_when_check_then_unavailable_or_rate_limiting(demo, kind, says) -> None:
    demo.emulator.faults = FaultPlan(rate=1.0, kinds=(kind,))
    message, elapsed = _timed_check(demo)
    assert message.startswith("Smartsheet is unavailable or rate-limiting this token; try again later.")
    assert says in message
    assert elapsed < BOUND


def test_given_proxy_page_when_check_then_says_a_web_page_is_in_the_way(demo, proxy_page) -> None:
    message, elapsed = _timed_check(demo, api_base_url=proxy_page.base_url)
    assert "answered with a web page, not Smartsheet's API" in message and "text/html" in message
    assert elapsed < BOUND


def test_given_a_refused_token_and_api_base_url_when_check_then_names_the_host_not_the_regions(demo) -> None:
    """#33: with api_base_url set, the region is not what to check (the regions are said where it is not set:
    unit_tests/test_errors.py)."""
    token = {"auth_type": "access_token", "access_token": "token-of-the-eu-5f3a"}
    message, _ = _timed_check(demo, credentials=token, region="us", api_base_url=demo.emulator.base_url)
    assert "rejected the access token" in message
    assert f"api_base_url (127.0.0.1:{demo.emulator.port}) serves your account" in message and "region" not in message


# ----- read -----------------------------------------------------------------------------------------------
def _read(harness: Harness, catalog: dict[str, Any], **overrides: Any) -> tuple[Run, float]:
    started = time.monotonic()
    run = harness.read(catalog, config=harness.config(**overrides))
    return run, time.monotonic() - started


@pytest.mark.parametrize("host", ["refused", "unknown name", "tls"])
def test_given_host_that_cannot_be_reached_when_read_then_config_error_quickly(demo, host) -> None:
    catalog = demo.catalog("full_refresh")
    url = {
        "refused": f"http://127.0.0.1:{closed_port()}/2.0",
        "unknown name": "http://smartsheet-host.invalid/2.0",
        "tls": demo.emulator.base_url.replace("http://", "https://"),
    }[host]
    run, elapsed = _read(demo, catalog, api_base_url=url)
    assert run.returncode != 0
    (error,) = run.traces("ERROR")
    assert error["error"]["failure_type"] == "config_error"
    assert "api_base_url" in error["error"]["message"]
    assert "Traceback" not in run.stdout + run.stderr
    assert elapsed < BOUND


def test_given_host_that_recovers_when_read_then_the_sync_completes(demo) -> None:
    catalog = demo.catalog("full_refresh")
    demo.emulator.faults = FaultPlan(rate=1.0, kinds=("503_4001",), first_attempts=2)  # each request: 503, 503, then OK
    run, _ = _read(demo, catalog, retry_initial_seconds=0.05)
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(run.records()) == sum(len(sheet.rows) for sheet in demo.world.sheets.values())
    assert demo.stats.snapshot()["faults"]["503_4001"] >= 10
    waits = [line for line in run.logs("WARN") if "retry" in line]
    assert len(waits) == 1  # said, but at most once every 30 s however many requests wait


def test_given_server_that_stops_answering_mid_sync_when_read_then_cut_by_the_timeout_and_retried(demo) -> None:
    catalog = demo.catalog("full_refresh")
    sheet = demo.world.sheet_named("Website Relaunch Plan")
    demo.emulator.faults = FaultPlan(
        rate=1.0, kinds=("slow",), slow_seconds=8.0, first_attempts=1, only_paths=(f"/sheets/{sheet.id}",)
    )
    run, _ = _read(demo, catalog, read_timeout_seconds=5)
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(run.records("website_relaunch_plan")) == len(sheet.rows)
    assert any("sent no answer within 5 s" in line for line in run.logs("WARN"))
