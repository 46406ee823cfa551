"""The benchmark: this connector, the official one and a floor, side by side, against the emulator.

`make benchmark` (or `.venv/bin/python -m benchmarks.run`) writes benchmarks/RESULTS.md.

1. `large` (one 20,000 x 25 sheet), full refresh: wall time, records/s, peak RSS, requests.
2. `many` (200 sheets), with the emulator enforcing 300 requests/minute in real time and 50 ms of
   latency per answer: full refresh, incremental first read, incremental with nothing changed,
   incremental after 5 sheets changed, and two full refreshes back to back.
3. `scale` (1,000 sheets x 20 rows), the same quota and latency, as Airbyte runs it on a schedule:
   `discover`, then the first sync right after, then a second full refresh right after that, then two
   syncs on one token at once; each next to its quota bound (requests / 300 a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from smartsheet_emulator import Emulator, build
from source_smartsheets.streams.registry import AROUND_ROWS_NAMES, RESERVED_NAMES

ROOT = Path(__file__).resolve().parent
WORK = ROOT / ".work"
OFFICIAL_VENV = WORK / "official-venv"
OFFICIAL_PACKAGE = "airbyte-source-smartsheets==1.1.46"
PAGE_SIZE = 1000
# The seven streams around rows the recorded runs measure (sheet_shares, cell history and the account streams came
# in 0.4.0 with #26 and are measured apart, so that every figure stays comparable with the runs before).
SEVEN_AROUND_ROWS = AROUND_ROWS_NAMES - {"sheet_shares"}
HISTORY = "GET /sheets/{id}/rows/{row}/columns/{column}/history"


@dataclass
class Measure:
    name: str
    wall: float
    records: int
    rss_mb: float
    requests: int
    throttled: int
    returncode: int
    by_endpoint: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.records / self.wall if self.wall else 0.0


class Spawner:
    """The small process that runs every measured command (see spawner.py)."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.spawner"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT.parent,
        )

    def run(self, command: list[str], env: dict[str, str] | None, marker: str, stdout_file: Path | None) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        request = {"command": command, "env": env or {}, "marker": marker, "stdout_file": str(stdout_file or "")}
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        return dict(json.loads(self._process.stdout.readline()))

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=30)


SPAWNER: Spawner | None = None
STATE_SIZES: dict[str, int] = {}


def measure(
    name: str,
    command: list[str],
    emulator: Emulator,
    env: dict[str, str] | None = None,
    marker: str = '"RECORD"',
    stdout_file: Path | None = None,
) -> Measure:
    """Run one command through the spawner; requests and 429s come from the emulator's accounting."""
    assert SPAWNER is not None
    before = emulator.stats.snapshot()
    answer = SPAWNER.run(command, env, marker, stdout_file)
    after = emulator.stats.snapshot()
    return Measure(
        name,
        answer["wall"],
        answer["records"],
        answer["rss_mb"],
        after["total"] - before["total"],
        after["throttled"] - before["throttled"],
        answer["returncode"],
        {key: count - before["by_endpoint"].get(key, 0) for key, count in after["by_endpoint"].items()},
    )


def ensure_official() -> Path | None:
    python = OFFICIAL_VENV / "bin" / "python"
    if python.exists():
        return python
    print(f"Installing {OFFICIAL_PACKAGE} into {OFFICIAL_VENV} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(OFFICIAL_VENV)], check=True)
    result = subprocess.run([str(python), "-m", "pip", "install", "-q", OFFICIAL_PACKAGE], capture_output=True)
    if result.returncode != 0:
        print("Could not install the official connector; it is left out.", flush=True)
        return None
    return python


def _write(name: str, body: Any) -> str:
    path = WORK / name
    path.write_text(json.dumps(body))
    return str(path)


def _connector() -> list[str]:
    return [str(Path(sys.executable).with_name("source-smartsheets"))]


def _our_config(emulator: Emulator, **extra: Any) -> dict[str, Any]:
    return {
        **emulator.connector_config(),
        "page_size": PAGE_SIZE,
        **extra,
    }


def _catalog(
    discovered: dict[str, Any], sync_mode: str, around_rows: str = "without", also: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Every stream of the sheets (`around_rows`: "without" the seven streams around rows, "with" them, or "only"
    them), and the connector's own streams named in `also`."""

    def wanted(stream: dict[str, Any]) -> bool:
        own = stream["name"] in RESERVED_NAMES and not stream.get("namespace")
        seven = own and stream["name"] in SEVEN_AROUND_ROWS
        rows = {"without": not own, "with": not own or seven, "only": seven}[around_rows]
        return rows or (own and stream["name"] in also)

    return {
        "streams": [
            {
                "stream": stream,
                "sync_mode": sync_mode if sync_mode in stream.get("supported_sync_modes", [sync_mode]) else "incremental",
                "destination_sync_mode": "append",
                "cursor_field": stream.get("default_cursor_field") or [],
                "primary_key": stream.get("source_defined_primary_key") or [],
            }
            for stream in discovered["streams"]
            if wanted(stream)
        ]
    }


def _discover(command: list[str], config_path: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = subprocess.run(
        command + ["discover", "--config", config_path],
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=True,
    )
    for line in result.stdout.splitlines():
        if b'"CATALOG"' in line[:40]:
            return json.loads(line)["catalog"]
    raise RuntimeError("no catalog")


def _final_states(path: Path) -> list[dict[str, Any]]:
    last: dict[str, Any] = {}
    for line in path.read_bytes().splitlines():
        if b'"STATE"' in line[:40]:
            state = json.loads(line)["state"]
            last[state["stream"]["stream_descriptor"]["name"]] = state
    return list(last.values())


class _Instant:
    """A simulated clock for a setup read: its waits take no time."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _read_instantly(config: dict[str, Any], catalog: str, states: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A read in this process whose pacing waits take no time (setup only, never measured): the final states."""
    from airbyte_cdk.models import AirbyteStateMessageSerializer, ConfiguredAirbyteCatalogSerializer
    from airbyte_cdk.test.entrypoint_wrapper import read

    from source_smartsheets import SourceSmartsheets

    instant = _Instant()
    configured = ConfiguredAirbyteCatalogSerializer.load(json.loads(Path(catalog).read_text()))
    output = read(
        SourceSmartsheets(clock=instant.clock, sleep=instant.sleep),
        config,
        configured,
        [AirbyteStateMessageSerializer.load(state) for state in states],
    )
    last: dict[str, Any] = {}
    for message in output.state_messages:
        state = AirbyteStateMessageSerializer.dump(message.state)
        last[state["stream"]["stream_descriptor"]["name"]] = state
    return list(last.values())


def _five_sheets_an_hour_later(world: Any) -> list[Any]:
    """The 5 sheets (every 40th by id) that the "5 sheets changed" syncs find edited, an hour after the last sync."""
    world.clock.advance(3600)
    return sorted(world.sheets.values(), key=lambda sheet: sheet.id)[::40]


class _Syncs:
    """Syncs of one config on one emulator, as a schedule runs them: each in a fresh rate-limit minute (scheduled
    syncs are far apart) unless told otherwise; the last one's final states kept for the next."""

    def __init__(self, emulator: Emulator, config: str, prefix: str, on_clock: Any = None) -> None:
        self._emulator, self._config, self._prefix = emulator, config, prefix
        self._on_clock = on_clock  # the connector's clock at each sync (None: the real one)
        self.last_states: list[dict[str, Any]] = []

    def read(self, name: str, catalog: str, state: list[dict[str, Any]] | None = None, fresh_minute: bool = True) -> Measure:
        emulator = self._emulator
        if fresh_minute:
            emulator.limiter = type(emulator.limiter)(300, 60.0)
            emulator.history_limiter = type(emulator.limiter)(30, 60.0)
        launcher = [sys.executable, "-m", "benchmarks.on_clock", self._on_clock().isoformat()] if self._on_clock else _connector()
        command = launcher + ["read", "--config", self._config, "--catalog", catalog]
        if state is not None:
            command += ["--state", _write(f"{self._prefix}-state.json", state)]
        output = WORK / f"{self._prefix}-output.jsonl"
        result = measure(name, command, emulator, stdout_file=output)
        self.last_states = _final_states(output)
        return result


# ----- scenario 1: large ----------------------------------------------------------------------------
def bench_large(repeats: int, with_official: bool) -> list[Measure]:
    world = build("large")
    sheet = world.sheet_named("Large Sheet")
    results: list[Measure] = []
    with Emulator(world, rate_limit=None, cache_responses=True) as emulator:
        config = _write("large-config.json", _our_config(emulator))
        catalog = _write("large-catalog.json", _catalog(_discover(_connector(), config), "full_refresh"))
        # Warm the emulator's answer cache, so that no contender pays for rendering the pages.
        measure("warm-up", _connector() + ["read", "--config", config, "--catalog", catalog], emulator)
        ours = [
            measure("this connector", _connector() + ["read", "--config", config, "--catalog", catalog], emulator)
            for _ in range(repeats)
        ]
        results.append(_median(ours))
        deletes_config = _write("large-config-deletes.json", _our_config(emulator, capture_deletes=True))
        deletes_catalog = _write("large-catalog-deletes.json", _catalog(_discover(_connector(), deletes_config), "incremental"))
        output = WORK / "large-incremental.jsonl"
        incremental = measure(
            "this connector, incremental with capture_deletes",
            _connector() + ["read", "--config", deletes_config, "--catalog", deletes_catalog],
            emulator,
            stdout_file=output,
        )
        STATE_SIZES["large, capture_deletes"] = max(
            len(json.dumps(state["stream"]["stream_state"])) for state in _final_states(output)
        )
        results.append(incremental)
        floor_command = [
            sys.executable,
            "-m",
            "benchmarks.floor",
            emulator.base_url,
            emulator.world.token,
            str(sheet.id),
            str(PAGE_SIZE),
        ]
        floors = [measure("floor", floor_command, emulator, marker="") for _ in range(repeats)]
        results.append(_median(floors))
        official = ensure_official() if with_official else None
        if official is not None:
            env = {"SMARTSHEET_API_BASE": emulator.base_url}
            launcher = [str(official), str(ROOT / "official_launcher.py")]
            official_config = _write(
                "official-config.json",
                {
                    "credentials": {"auth_type": "access_token", "access_token": emulator.world.token},
                    "spreadsheet_id": str(sheet.id),
                    "start_datetime": "2000-01-01T00:00:00Z",
                },
            )
            official_catalog = _write(
                "official-catalog.json", _catalog(_discover(launcher, official_config, env), "full_refresh")
            )
            official_read = launcher + ["read", "--config", official_config, "--catalog", official_catalog]
            runs = [measure("official 1.1.46", official_read, emulator, env=env) for _ in range(max(1, min(repeats, 2)))]
            results.append(runs[-1] if len(runs) > 1 else runs[0])  # the second run finds the answer cached
    return results


def _median(runs: list[Measure]) -> Measure:
    ordered = sorted(runs, key=lambda run: run.wall)
    middle = ordered[len(ordered) // 2]
    middle.rss_mb = max(run.rss_mb for run in runs)  # peak over every run
    return middle


# ----- scenario 2: many -----------------------------------------------------------------------------
def bench_many(latency: float) -> list[Measure]:
    world = build("many")
    results: list[Measure] = []
    with Emulator(world, rate_limit=300, rate_window=60.0, latency=latency) as emulator:
        config_body = _our_config(emulator)
        config = _write("many-config.json", config_body)
        discovered = _discover(_connector(), config)
        emulator.limiter = type(emulator.limiter)(300, 60.0)  # discovery is not part of any sync below
        full = _write("many-full.json", _catalog(discovered, "full_refresh"))
        incremental = _write("many-incremental.json", _catalog(discovered, "incremental"))

        syncs = _Syncs(emulator, config, "many")
        read = syncs.read
        results.append(read("full refresh", full))
        plain = _write("many-config-no-prefetch.json", {**config_body, "prefetch_sheets": 0})
        emulator.limiter = type(emulator.limiter)(300, 60.0)
        results.append(
            measure(
                "full refresh, sheets not fetched ahead (prefetch_sheets=0)",
                _connector() + ["read", "--config", plain, "--catalog", full],
                emulator,
            )
        )
        results.append(read("incremental, first sync", incremental))
        states = syncs.last_states
        results.append(read("incremental, nothing changed", incremental, states))
        for sheet in _five_sheets_an_hour_later(world):
            world.update_row(sheet, sheet.rows[3], {"Revenue": 1.0})
        results.append(read("incremental, 5 sheets changed", incremental, states))
        emulator.limiter = type(emulator.limiter)(300, 60.0)
        first = read("full refresh, back to back (1 of 2)", full, fresh_minute=False)
        second = read("full refresh, back to back (2 of 2)", full, fresh_minute=False)
        results += [first, second]
    return results


def bench_many_merged(latency: float) -> list[Measure]:
    """The same syncs with the 200 sheets merged by template into 4 streams (`merge_streams: [{"by": "template"}]`)."""
    world = build("many")
    results: list[Measure] = []
    with Emulator(world, rate_limit=300, rate_window=60.0, latency=latency) as emulator:
        config = _write("merged-config.json", _our_config(emulator, merge_streams=[{"by": "template"}]))
        results.append(measure("merged by template: discover", _connector() + ["discover", "--config", config], emulator))
        discovered = _discover(_connector(), config)
        full = _write("merged-full.json", _catalog(discovered, "full_refresh"))
        incremental = _write("merged-incremental.json", _catalog(discovered, "incremental"))
        syncs = _Syncs(emulator, config, "merged")

        def read(name: str, catalog: str, state: list[dict[str, Any]] | None = None) -> Measure:
            return syncs.read(f"merged by template: {name}", catalog, state)

        results.append(read("full refresh", full))
        results.append(read("incremental, first sync", incremental))
        before = syncs.last_states
        results.append(read("incremental, nothing changed", incremental, before))
        for sheet in _five_sheets_an_hour_later(world):
            world.update_row(sheet, sheet.rows[3], {"Revenue": 1.0})
        results.append(read("incremental, 5 sheets changed", incremental, before))
    return results


# ----- scenario 2b: the streams around rows on `many` ---------------------------------------------------
AROUND_ENDPOINTS = ("GET /sheets/{id}/summary", "GET /sheets/{id}/discussions", "GET /sheets/{id}/attachments")


@dataclass
class AroundSync:
    """One sync of scenario 2b, with what the schedule and the changes allow it to ask around the rows."""

    measure: Measure
    hours_since: float | None  # on the connector's clock, since the last sync (None: first or full)
    due: int  # sheets on their recheck turn in this sync
    changed: int  # sheets whose version moved since the last sync
    target: str  # what the issue allows around the rows, in requests


def _around_requests(m: Measure) -> int:
    return sum(m.by_endpoint.get(endpoint, 0) for endpoint in AROUND_ENDPOINTS)


def bench_around_rows(latency: float) -> tuple[list[Measure], list[AroundSync]]:
    """What the summaries, discussions, comments, attachments and the inventory cost on 200 sheets, with the syncs
    on the connector's clock an explicit time apart (`benchmarks/on_clock.py`): the recheck schedule's share
    (`around_rows_recheck_hours`, 24 by default) is computed from those times and shown apart."""
    from source_smartsheets.recheck import due

    world = build("many")
    discovers: list[Measure] = []
    syncs_done: list[AroundSync] = []
    window = timedelta(hours=24)
    with Emulator(world, rate_limit=300, rate_window=60.0, latency=latency) as emulator:
        config = _write("around-config.json", _our_config(emulator))
        for honoured in (True, False):
            world.sheet_reads_include_summary = honoured
            emulator.limiter = type(emulator.limiter)(300, 60.0)
            said = "answered" if honoured else "not answered (GET /sheets/{id}/summary per sheet)"
            command = _connector() + ["discover", "--config", config]
            discovers.append(measure(f"discover, include=summary {said}", command, emulator))
        world.sheet_reads_include_summary = True
        discovered = _discover(_connector(), config)
        catalogs = {
            f"{kind}-{mode}": _write(f"around-{kind}-{mode}.json", _catalog(discovered, mode, kind))
            for kind in ("only", "with")
            for mode in ("full_refresh", "incremental")
        }
        syncs = _Syncs(emulator, config, "around", on_clock=world.clock.now)
        sheets = sorted(world.sheets.values(), key=lambda sheet: sheet.id)
        with_discussions = sum(1 for sheet in sheets if sheet.discussions)
        last_pass = None

        def sync(name: str, catalog: str, state: Any, changed: int, target: str) -> None:
            nonlocal last_pass
            now = world.clock.now()
            hours = (now - last_pass).total_seconds() / 3600 if last_pass is not None and state is not None else None
            turn = sum(due(sheet.id, last_pass if state is not None else None, now, window) for sheet in sheets)
            syncs_done.append(AroundSync(syncs.read(name, catalog, state), hours, turn, changed, target))
            last_pass = now

        sync("the 7 streams around rows, full refresh", catalogs["only-full_refresh"], None, 0, "-")
        sync(
            "rows and the 7 streams, full refresh",
            catalogs["with-full_refresh"],
            None,
            0,
            f"1 per sheet with discussions: {with_discussions}",
        )
        sync("rows and the 7 streams, incremental, first sync", catalogs["with-incremental"], None, 0, "as a full refresh")
        world.clock.advance(600)
        sync(
            "rows and the 7 streams, incremental, nothing changed, 10 minutes later",
            catalogs["with-incremental"],
            syncs.last_states,
            0,
            "the recheck share",
        )
        before = syncs.last_states
        changed = _five_sheets_an_hour_later(world)
        for sheet in changed:
            world.update_row(sheet, sheet.rows[3], {"Revenue": 1.0})
            world.add_comment(sheet, world.add_discussion(sheet, "A new question.", row=sheet.rows[3]), "And its answer.")
            world.set_summary_value(sheet, sheet.summary[2], "Red")
        sync(
            "rows and the 7 streams, incremental, 5 sheets changed (rows, comments, summary), an hour later",
            catalogs["with-incremental"],
            before,
            len(changed),
            "at most 2 per changed sheet + the recheck share",
        )
    return discovers, syncs_done


# ----- scenario 2c: cell history on `many` ----------------------------------------------------------------
@dataclass
class HistorySync:
    """One sync of scenario 2c: its history calls, and the request units (as the API counts them) beside the floor."""

    measure: Measure
    floor: str

    @property
    def calls(self) -> int:
        return self.measure.by_endpoint.get(HISTORY, 0)

    @property
    def units(self) -> int:
        return self.measure.requests + 9 * self.calls  # a history call counts as 10


def bench_history(latency: float) -> list[HistorySync]:
    """cell_history of one column (Status) on the 200 sheets: a first sync at the default budget, then (after the
    rest of the first pass, unmeasured, without a rate limit) 5 sheets changed an hour later, one Status and one
    other cell each, and a sync with nothing changed."""
    world = build("many")
    results: list[HistorySync] = []
    with Emulator(world, rate_limit=300, rate_window=60.0, latency=latency) as emulator:
        settings = _our_config(emulator, cell_history_columns=["Status"])
        config = _write("history-config.json", settings)
        catalog = _write(
            "history-catalog.json", _catalog(_discover(_connector(), config), "incremental", also=frozenset({"cell_history"}))
        )
        syncs = _Syncs(emulator, config, "history")
        cells = sum(len(sheet.rows) for sheet in world.sheets.values())
        first = syncs.read("rows and cell_history, first sync (cell_history_budget 600)", catalog)
        results.append(HistorySync(first, f"at most 600 units of history: 60 of the {cells:,} cells, the rest in later syncs"))
        # Setup, not measured: the rest of the first pass, as fast as it goes. The API's 30 history calls a minute
        # would stretch its 7,940 cells over hours, so it runs in this process on a simulated clock.
        no_limit = type(emulator.limiter)(None)
        emulator.limiter, emulator.history_limiter, emulator.latency = no_limit, no_limit, 0.0
        rest = {**settings, "cell_history_budget": 100000, "requests_per_minute": 100000}
        setup_states = _read_instantly(rest, catalog, syncs.last_states)
        emulator.latency = latency
        changed = _five_sheets_an_hour_later(world)
        for sheet in changed:
            row = sheet.rows[3]
            status = sheet.column_by_title("Status").id
            world.update_row(sheet, row, {"Status": "Green" if row.cells.get(status) != "Green" else "Red"})
            world.update_row(sheet, sheet.rows[5], {"Revenue": 1.0})
        after = syncs.read("5 sheets changed an hour later: one Status and one Revenue cell each", catalog, setup_states)
        results.append(
            HistorySync(
                after,
                "5 history calls (50 units) for the 5 Status cells; asking every cell of the 10 changed rows' Status "
                "would be 10 calls, every Status cell of the 5 sheets 200",
            )
        )
        world.clock.advance(600)
        idle = syncs.read("nothing changed, 10 minutes later", catalog, syncs.last_states)
        results.append(HistorySync(idle, "0 history calls"))
    return results


# ----- scenario 3: scale ----------------------------------------------------------------------------
SCALE_SHEETS = 1000


def bench_scale(latency: float) -> list[Measure]:
    """Back-to-back runs on one token, with no fresh minute between them: what a schedule really does."""
    from smartsheet_emulator.worlds import build_many

    world = build_many(sheets=SCALE_SHEETS, rows=20)
    results: list[Measure] = []
    with Emulator(world, rate_limit=300, rate_window=60.0, latency=latency) as emulator:
        config = _write("scale-config.json", _our_config(emulator))
        output = WORK / "scale-discover.jsonl"
        discover = measure(
            "discover", _connector() + ["discover", "--config", config], emulator, marker='"CATALOG"', stdout_file=output
        )
        discover.records = 0
        results.append(discover)
        catalog_line = next(line for line in output.read_bytes().splitlines() if b'"CATALOG"' in line[:40])
        full = _write("scale-full.json", _catalog(json.loads(catalog_line)["catalog"], "full_refresh"))
        read = _connector() + ["read", "--config", config, "--catalog", full]
        results.append(measure("first sync, right after discover", read, emulator))
        results.append(measure("second full refresh, right after the first", read, emulator))
        results.append(_concurrent("two full refreshes on one token at once (together)", read, emulator))
        # Every stream, on the connector's clock: the first sync, then one 10 minutes later with nothing changed.
        every = _write("scale-every.json", _catalog(json.loads(catalog_line)["catalog"], "incremental", "with"))
        syncs = _Syncs(emulator, config, "scale", on_clock=world.clock.now)
        results.append(syncs.read("every stream, incremental, first sync, right after", every, fresh_minute=False))
        first_pass = world.clock.now()
        world.clock.advance(600)
        results.append(
            syncs.read(
                "every stream, incremental, nothing changed, 10 minutes later", every, syncs.last_states, fresh_minute=False
            )
        )
        SCALE_DUE[results[-1].name] = _due_sheets(world, first_pass, world.clock.now())
    return results


SCALE_DUE: dict[str, int] = {}  # sheets on their recheck turn, by scale run


def _due_sheets(world: Any, last_pass: datetime, now: datetime) -> int:
    from source_smartsheets.recheck import due

    return sum(due(sheet.id, last_pass, now, timedelta(hours=24)) for sheet in world.sheets.values())


def _concurrent(name: str, command: list[str], emulator: Emulator) -> Measure:
    """Two runs started together; requests and 429s are their sum, the wall time the later one's end."""
    before = emulator.stats.snapshot()
    started = time.perf_counter()
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) for _ in range(2)]
    records = [0, 0]

    def count(index: int) -> None:
        stdout = processes[index].stdout
        assert stdout is not None
        records[index] = sum(1 for line in stdout if b'"RECORD"' in line[:40])

    readers = [threading.Thread(target=count, args=(index,)) for index in range(2)]
    for reader in readers:
        reader.start()
    codes = [process.wait() for process in processes]
    for reader in readers:
        reader.join()
    after = emulator.stats.snapshot()
    wall = time.perf_counter() - started
    return Measure(
        name, wall, sum(records), 0.0, after["total"] - before["total"], after["throttled"] - before["throttled"], max(codes)
    )


# ----- report ---------------------------------------------------------------------------------------
def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {system}"


def report(
    large: list[Measure],
    many: list[Measure],
    around: tuple[list[Measure], list[AroundSync]] | None,
    history: list[HistorySync],
    scale: list[Measure],
    command: str,
    latency: float,
) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"- date: {now}",
        f"- machine: {machine()}",
        f"- command: `{command}`",
        "- the emulator runs in the benchmark's process; each connector runs as a subprocess, as Airbyte runs it;",
        "  peak RSS is the subprocess's own (`wait4`), the maximum over the runs; times are the median run",
        "",
    ]
    if large:
        lines += _large_section(large)
    if many:
        lines += _many_section(many, latency)
    if around is not None:
        lines += _around_section(*around)
    if history:
        lines += _history_section(history)
    if scale:
        lines += _scale_section(scale, latency)
    return "\n".join(lines) + "\n"


def _large_section(large: list[Measure]) -> list[str]:
    lines = [
        "## 1. `large`: one sheet of 20,000 rows x 25 columns, full refresh",
        "",
        "The emulator serves cached answers here, so the numbers are the clients' own cost.",
        "",
        "| client | wall (s) | records | records/s | peak RSS (MB) | requests |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for m in large:
        lines.append(f"| {m.name} | {m.wall:.2f} | {m.records} | {m.per_second:,.0f} | {m.rss_mb:.0f} | {m.requests} |")
    for name, size in STATE_SIZES.items():
        lines += [
            "",
            f"- state of the 20,000-row sheet with `capture_deletes` ({name}): {size:,} bytes ({size / 20000:.1f} per row)",
        ]
    ours = next(m for m in large if m.name == "this connector")
    floor = next(m for m in large if m.name == "floor")
    official = next((m for m in large if m.name.startswith("official")), None)
    floor_ratio = floor.per_second / ours.per_second
    lines += ["", f"- floor / this connector, records/s: {floor_ratio:.2f} (target: at most 2)"]
    if official is not None and official.per_second:
        official_ratio = ours.per_second / official.per_second
        lines.append(f"- this connector / official, records/s: {official_ratio:.1f} (target: at least 10)")
    return lines + [""]


def _many_section(many: list[Measure], latency: float) -> list[str]:
    lines = [
        f"## 2. `many`: 200 sheets in one workspace, 300 requests/minute enforced in real time, "
        f"{latency * 1000:.0f} ms latency per answer",
        "",
        "Each sync starts in a fresh rate-limit minute (scheduled syncs are far apart), except the back-to-back pair. "
        'The `merged by template` rows make the same 200 sheets 4 streams (`merge_streams: [{"by": "template"}]`).',
        "",
        "| sync | wall (s) | records | requests | 429s received | exit code | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for m in many:
        lines.append(
            f"| {m.name} | {m.wall:.2f} | {m.records} | {m.requests} | {m.throttled} | {m.returncode} | {m.rss_mb:.0f} |"
        )
    return lines + [""]


def _around_section(discovers: list[Measure], syncs: list[AroundSync]) -> list[str]:
    lines = [
        "## 2b. `many`: the streams around rows (sheets, columns, sheet_summaries, sheet_summary_fields, discussions, "
        "comments, attachments)",
        "",
        "The same 200 sheets, each with a 4-field summary; every tenth has a discussion, a comment and a file. "
        "Same limits and latency as above. `discover` in both of the emulator's answers to `include=summary` on a "
        "sheet read (the API's is not documented):",
        "",
        "| discover | wall (s) | requests | sheet pages | summaries | 429s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for m in discovers:
        pages, summaries = m.by_endpoint.get("GET /sheets/{id}", 0), m.by_endpoint.get("GET /sheets/{id}/summary", 0)
        lines.append(f"| {m.name} | {m.wall:.2f} | {m.requests} | {pages} | {summaries} | {m.throttled} |")
    lines += [
        "",
        "Syncs an explicit time apart on the connector's clock (`benchmarks/on_clock.py`), "
        "`around_rows_recheck_hours` 24 (the default). *Around rows* counts the summary, discussion and attachment "
        "requests; *rows* the rest (listings and sheet pages), what the same sync costs without the streams around "
        "rows. *Due* is the recheck share: the sheets whose turn came since the last sync (each costs up to 3 "
        "requests); *changed* the sheets whose version moved.",
        "",
        "| sync | hours since the last | wall (s) | records | requests | rows | around rows | changed | due "
        "| allowed around rows | 429s | exit code |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for sync in syncs:
        m = sync.measure
        around_count = _around_requests(m)
        hours = f"{sync.hours_since:.2f}" if sync.hours_since is not None else "-"
        allowed = sync.target
        if sync.hours_since is not None:
            allowed = f"{sync.target}: at most {2 * sync.changed + 3 * sync.due}"
        lines.append(
            f"| {m.name} | {hours} | {m.wall:.2f} | {m.records} | {m.requests} | {m.requests - around_count} | "
            f"{around_count} | {sync.changed} | {sync.due} | {allowed} | {m.throttled} | {m.returncode} |"
        )
    return lines + [""]


def _history_section(history: list[HistorySync]) -> list[str]:
    lines = [
        '## 2c. `many`: cell history of one column (`cell_history_columns: ["Status"]`)',
        "",
        "The 200 sheets' rows and `cell_history`, incremental, 300 requests/minute enforced. *Units* are requests as "
        "the API counts them (a history call: 10); the floor is the least history any connector must ask.",
        "",
        "| sync | wall (s) | records | requests | history calls | units | floor | 429s | exit code |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for sync in history:
        m = sync.measure
        lines.append(
            f"| {m.name} | {m.wall:.2f} | {m.records} | {m.requests} | {sync.calls} | {sync.units} | {sync.floor} | "
            f"{m.throttled} | {m.returncode} |"
        )
    return lines + [""]


def _scale_section(scale: list[Measure], latency: float) -> list[str]:
    lines = [
        f"## 3. `scale`: {SCALE_SHEETS:,} sheets x 20 rows, 300 requests/minute enforced in real time, "
        f"{latency * 1000:.0f} ms latency per answer, every run right after the one before",
        "",
        "The quota bound is the time the requests need at Smartsheet's 300 a minute; the targets are at most "
        "1.15 x that bound and at most 5 answers 429 for the sequential runs, at most 5 % 429s for the pair.",
        "",
        "| run | wall (s) | quota bound (s) | wall / bound | records | requests | 429s | 429 share | exit code |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in scale:
        bound = (m.requests - m.throttled) * 60 / 300
        share = m.throttled / m.requests if m.requests else 0.0
        lines.append(
            f"| {m.name} | {m.wall:.1f} | {bound:.1f} | {m.wall / bound if bound else 0:.2f} | {m.records} | "
            f"{m.requests} | {m.throttled} | {share:.1%} | {m.returncode} |"
        )
    for m in scale:
        if m.name in SCALE_DUE:
            around = _around_requests(m)
            lines += [
                "",
                f"- {m.name}: {m.requests - around} requests for the rows (listings, no sheet page), {around} around the "
                f"rows for {SCALE_DUE[m.name]} sheets on their recheck turn (at most 3 each: {3 * SCALE_DUE[m.name]} allowed)",
            ]
    return lines + [""]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-official", action="store_true")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--output", type=Path, default=ROOT / "RESULTS.md")
    parser.add_argument("--skip-scale", action="store_true", help="leave out the 1,000-sheet scenario (about 20 minutes)")
    parser.add_argument("--only", default="large,many,around,history,scale", help="the scenarios to run, e.g. --only around")
    args = parser.parse_args()
    only = set(args.only.split(",")) - ({"scale"} if args.skip_scale else set())
    WORK.mkdir(exist_ok=True)
    global SPAWNER
    SPAWNER = Spawner()  # before any world is built: see spawner.py
    try:
        large = bench_large(args.repeats, not args.skip_official) if "large" in only else []
        many = bench_many(args.latency) + bench_many_merged(args.latency) if "many" in only else []
        around = bench_around_rows(args.latency) if "around" in only else None
        history = bench_history(args.latency) if "history" in only else []
        scale = bench_scale(args.latency) if "scale" in only else []
    finally:
        SPAWNER.close()
    command = "make benchmark" if len(sys.argv) == 1 else "python -m benchmarks.run " + " ".join(sys.argv[1:])
    text = report(large, many, around, history, scale, command, args.latency)
    args.output.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    threading.current_thread().name = "benchmark"
    sys.exit(main())
