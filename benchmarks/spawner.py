"""Runs the benchmark's commands from a small process, so that each child's peak RSS is its own.

A child forked from the benchmark (which holds the emulator's worlds) would carry the parent's memory
until it execs, and Linux counts that in the child's `ru_maxrss`. This helper is started before any
world is built; it reads one JSON request a line, runs the command, counts its output lines, and
answers with `{"records", "rss_mb", "returncode", "wall"}`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> int:
    for line in sys.stdin:
        request = json.loads(line)
        marker = request.get("marker", "").encode()
        sink = open(request["stdout_file"], "wb") if request.get("stdout_file") else None
        started = time.perf_counter()
        process = subprocess.Popen(
            request["command"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **request.get("env", {})},
        )
        records = 0
        assert process.stdout is not None
        for output in process.stdout:
            if not marker or marker in output[:40]:
                records += 1
            if sink:
                sink.write(output)
        if sink:
            sink.close()
        _, status, usage = os.wait4(process.pid, 0)
        answer = {
            "records": records,
            "rss_mb": usage.ru_maxrss / 1024,
            "returncode": os.waitstatus_to_exitcode(status),
            "wall": time.perf_counter() - started,
        }
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
