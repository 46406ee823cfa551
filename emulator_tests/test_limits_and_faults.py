"""Rate limit per token, seeded fault injection, request accounting."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

from smartsheet_emulator import FaultPlan


def test_rate_limit_answers_429_4003_past_the_limit(serve) -> None:
    world, http = serve("demo", rate_limit=5, rate_window=60.0)
    statuses = [http.get("/users/me").status for _ in range(7)]
    assert statuses == [200] * 5 + [429, 429]
    answer = http.get("/users/me")
    assert answer.body["errorCode"] == 4003
    assert http.emulator.stats.throttled == 3


def test_rate_limit_is_per_token(serve) -> None:
    world, http = serve("demo", rate_limit=2)
    world.add_token("second-token")
    assert [http.get("/users/me").status for _ in range(3)] == [200, 200, 429]
    assert http.get("/users/me", token="second-token").status == 200


def test_rate_limit_window_slides(serve) -> None:
    world, http = serve("demo", rate_limit=2, rate_window=0.2)
    assert [http.get("/users/me").status for _ in range(3)] == [200, 200, 429]
    import time

    time.sleep(0.25)
    assert http.get("/users/me").status == 200


def test_retry_after_is_sent_when_asked(serve) -> None:
    world, http = serve("demo", rate_limit=1, retry_after=True)
    http.get("/users/me")
    answer = http.get("/users/me")
    assert answer.status == 429 and int(answer.headers["Retry-After"]) >= 1


def _statuses(http, count: int) -> list[int]:
    return [http.get(f"/sheets/{index}").status for index in range(count)]


def test_faults_are_seeded_so_a_run_replays(serve) -> None:
    _, first = serve("demo", faults=FaultPlan(rate=0.5, seed=3, kinds=("500_4004", "429")))
    _, second = serve("demo", faults=FaultPlan(rate=0.5, seed=3, kinds=("500_4004", "429")))
    _, other = serve("demo", faults=FaultPlan(rate=0.5, seed=4, kinds=("500_4004", "429")))
    one, two, three = _statuses(first, 30), _statuses(second, 30), _statuses(other, 30)
    assert one == two
    assert one != three
    assert {500, 429} <= set(one)


def test_a_retried_request_gets_a_fresh_draw(serve) -> None:
    _, http = serve("demo", faults=FaultPlan(rate=0.5, seed=1, kinds=("500_4004",)))
    statuses = [http.get("/users/me").status for _ in range(20)]
    assert 200 in statuses and 500 in statuses


def test_each_fault_kind_has_its_shape(serve) -> None:
    expectations = {
        "429": (429, 4003),
        "500_4000": (500, 4000),
        "500_4004": (500, 4004),
        "503_4001": (503, 4001),
    }
    for kind, (status, code) in expectations.items():
        _, http = serve("demo", faults=FaultPlan(rate=1.0, kinds=(kind,)))
        answer = http.get("/users/me")
        assert (answer.status, answer.body["errorCode"]) == (status, code), kind


def test_html_503_has_no_json_body(serve) -> None:
    _, http = serve("demo", faults=FaultPlan(rate=1.0, kinds=("503_html",)))
    answer = http.get("/users/me")
    assert answer.status == 503 and answer.body is None
    assert answer.headers["Content-Type"].startswith("text/html")


def test_dropped_connection_sends_nothing(serve) -> None:
    _, api = serve("demo", faults=FaultPlan(rate=1.0, kinds=("drop",)))
    parts = urlsplit(api.emulator.base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("GET", "/2.0/users/me", headers={"Authorization": "Bearer emulator-demo-token"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        connection.getresponse()


def test_slow_fault_delays_the_answer(serve) -> None:
    import time

    _, http = serve("demo", faults=FaultPlan(rate=1.0, kinds=("slow",), slow_seconds=0.3))
    started = time.monotonic()
    assert http.get("/users/me").status == 200
    assert time.monotonic() - started >= 0.3


def test_accounting_counts_endpoints_statuses_and_bytes(edge) -> None:
    world, http = edge
    sheet = world.sheet_named("Deep Sheet")
    http.get("/users/me")
    http.get(f"/sheets/{sheet.id}")
    http.get(f"/sheets/{sheet.id}/version")
    http.get("/sheets/1")
    stats = http.emulator.stats.snapshot()
    assert stats["total"] == 4
    assert stats["by_endpoint"] == {"GET /users/me": 1, "GET /sheets/{id}": 2, "GET /sheets/{id}/version": 1}
    assert stats["by_status"] == {"200": 3, "404": 1}
    assert stats["bytes_out"] > 0
    http.emulator.stats.reset()
    assert http.emulator.stats.snapshot()["total"] == 0


def test_admin_endpoints_expose_stats_and_move_the_clock(edge) -> None:
    world, http = edge
    import urllib.request

    base = http.emulator.base_url.replace("/2.0", "")
    before = world.clock.now()
    request = urllib.request.Request(f"{base}/__emulator/clock/advance?seconds=30", method="POST")
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    assert (world.clock.now() - before).total_seconds() == 30
    with urllib.request.urlopen(f"{base}/__emulator/stats") as response:
        assert "total" in json.loads(response.read())


def test_latency_delays_every_answer(serve) -> None:
    import time

    _, api = serve("demo", latency=0.2)
    started = time.monotonic()
    api.get("/users/me")
    assert time.monotonic() - started >= 0.2


def test_response_cache_serves_the_same_bytes_until_the_world_changes(serve) -> None:
    world, api = serve("edge", cache_responses=True)
    sheet = world.sheet_named("Deep Sheet")
    first = api.get(f"/sheets/{sheet.id}").raw
    assert api.get(f"/sheets/{sheet.id}").raw == first
    world.update_row(sheet, sheet.rows[0], {"Qty": 99})
    changed = api.get(f"/sheets/{sheet.id}").raw
    assert changed != first and b"99.0" in changed


def test_tamper_rewrites_successful_answers_only(serve) -> None:
    def tamper(request, body):
        if request.path == "/users/me":
            return b'{"id": 1, "email": "trunc'
        return body

    _, api = serve("demo", tamper=tamper)
    assert api.get("/users/me").raw == b'{"id": 1, "email": "trunc'
    assert api.get("/users/me", token="bad").status == 401
