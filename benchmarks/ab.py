"""`python -m benchmarks.ab OLD_TREE NEW_TREE [--runs N]`: the same reads with the connector code of two checkouts,
run alternately on this interpreter against one emulator (cached answers, no rate limit):

- rows: a full refresh of the `large` sheet's own stream (20,000 records);
- around rows: a full refresh of the seven streams around rows over `many`'s 200 sheets.

For "is the read any slower?" after a change to the read path: alternating runs cancel out most of the noise
of a shared machine, which two separate `make benchmark` runs do not. Both trees must emit the same records.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from benchmarks.run import SEVEN_AROUND_ROWS
from smartsheet_emulator import Emulator, build
from source_smartsheets.streams.registry import RESERVED_NAMES

RUN = "from source_smartsheets.run import run; run()"


def _command(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}  # that tree's source_smartsheets comes first
    return subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, env=env, check=False)


def _is_around_rows(stream: dict[str, Any]) -> bool:
    """The seven streams around rows every compared version has."""
    return stream["name"] in SEVEN_AROUND_ROWS and not stream.get("namespace")


def _is_rows(stream: dict[str, Any]) -> bool:
    return stream["name"] not in RESERVED_NAMES or bool(stream.get("namespace"))


Wanted = Callable[[dict[str, Any]], bool]


SCENARIOS: dict[str, tuple[str, Wanted]] = {
    "rows (large)": ("large", _is_rows),
    "around rows (many)": ("many", _is_around_rows),
}


def compare(world: str, wanted: Wanted, old: Path, new: Path, runs: int) -> dict[str, list[float]] | None:
    with Emulator(build(world), rate_limit=None, cache_responses=True) as emulator, tempfile.TemporaryDirectory() as work:
        config, catalog = Path(work, "config.json"), Path(work, "catalog.json")
        config.write_text(json.dumps({**emulator.connector_config(), "requests_per_minute": 100000}))
        found = _command(new, "discover", "--config", str(config))
        streams = next(json.loads(line) for line in found.stdout.splitlines() if '"type":"CATALOG"' in line)["catalog"]["streams"]
        mode = {"sync_mode": "full_refresh", "destination_sync_mode": "overwrite"}
        configured = [{"stream": stream, **mode} for stream in streams if wanted(stream)]
        catalog.write_text(json.dumps({"streams": configured}))
        times: dict[str, list[float]] = {"old": [], "new": []}
        counts: dict[str, int] = {}
        for _ in range(runs):
            for name, tree in (("old", old), ("new", new)):
                started = time.perf_counter()
                read = _command(tree, "read", "--config", str(config), "--catalog", str(catalog))
                times[name].append(time.perf_counter() - started)
                counts[name] = read.stdout.count('"type":"RECORD"')
                if read.returncode != 0 or not counts[name]:
                    print(f"{world} {name}: exit {read.returncode}, {counts[name]} records", file=sys.stderr)
                    return None
        if counts["old"] != counts["new"]:
            print(f"{world}: old emitted {counts['old']} records, new {counts['new']}", file=sys.stderr)
            return None
        print(f"{world}: {counts['new']} records in each read")
        return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ab", description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args(argv)
    for scenario, (world, wanted) in SCENARIOS.items():
        times = compare(world, wanted, args.old, args.new, args.runs)
        if times is None:
            return 1
        for name, values in times.items():
            print(f"{scenario}, {name}: median {statistics.median(values):.2f} s ({' '.join(f'{v:.2f}' for v in values)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
