"""`python -m benchmarks.on_clock 2026-01-05T10:00:00+00:00 read --config …`: the connector's command, with its clock
starting at the given moment and running on from there (freezegun, `tick=True`).

The benchmark simulates syncs an hour or a day apart without waiting for them: the emulator's world clock moves,
and each sync's connector runs on the same date, so the recheck schedule of the streams around rows
(`source_smartsheets/recheck.py`) sees the time that passed between syncs. Benchmark only: the connector itself
always runs on the real clock.
"""

from __future__ import annotations

import sys

from freezegun import freeze_time

from source_smartsheets.run import run  # imported before the clock is set: pydantic's classes must see the real date


def main() -> None:
    moment, *args = sys.argv[1:]
    with freeze_time(moment, tick=True):
        run(args)


if __name__ == "__main__":
    main()
