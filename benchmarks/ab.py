"""`python -m benchmarks.ab OLD_TREE NEW_TREE [--runs N]`: the same full refresh of the `large` sheet, with the
connector code of two checkouts run alternately on this interpreter against one emulator (cached answers).

For "is the read any slower?" after a change to the read path: alternating runs cancel out most of the noise
of a shared machine, which two separate `make benchmark` runs do not.
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

from smartsheet_emulator import Emulator, build
from source_smartsheets.streams.registry import AROUND_ROWS_NAMES

RUN = "from source_smartsheets.run import run; run()"


def _command(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}  # that tree's source_smartsheets comes first
    return subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, env=env, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ab", description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--runs", type=int, default=6)
    args = parser.parse_args(argv)
    with Emulator(build("large"), rate_limit=None, cache_responses=True) as emulator, tempfile.TemporaryDirectory() as work:
        config, catalog = Path(work, "config.json"), Path(work, "catalog.json")
        config.write_text(json.dumps({**emulator.connector_config(), "requests_per_minute": 100000}))
        found = _command(args.new, "discover", "--config", str(config))
        streams = next(json.loads(line) for line in found.stdout.splitlines() if '"type":"CATALOG"' in line)["catalog"]["streams"]
        rows = [s for s in streams if s["name"] not in AROUND_ROWS_NAMES or s.get("namespace")]  # the sheet's own stream only
        configured = [{"stream": s, "sync_mode": "full_refresh", "destination_sync_mode": "overwrite"} for s in rows]
        catalog.write_text(json.dumps({"streams": configured}))
        times: dict[str, list[float]] = {"old": [], "new": []}
        for _ in range(args.runs):
            for name, tree in (("old", args.old), ("new", args.new)):
                started = time.perf_counter()
                read = _command(tree, "read", "--config", str(config), "--catalog", str(catalog))
                times[name].append(time.perf_counter() - started)
                records = read.stdout.count('"type":"RECORD"')
                if read.returncode != 0 or records != 20000:
                    print(f"{name}: exit {read.returncode}, {records} records", file=sys.stderr)
                    return 1
    for name, values in times.items():
        print(f"{name}: median {statistics.median(values):.2f} s ({' '.join(f'{v:.2f}' for v in values)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
