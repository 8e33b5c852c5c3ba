"""Running a command and measuring its own peak memory.

A child's ``ru_maxrss`` as ``wait4`` reports it keeps the high-water mark of the process it was forked
from, across ``exec``: a benchmark that holds a large site or table in memory would see its own size
charged to every command it starts. So the command is started by this small launcher instead, whose
child's figure is the command's own.

Run as a launcher: python benchmarks/measure.py COMMAND... (prints "peak-rss-kb N" on stderr).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

LAUNCHER = Path(__file__).resolve()


def run_measured(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Seconds, peak memory in MB of ``command`` itself, and its standard output."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(LAUNCHER), *command], cwd=cwd, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}")
    peak_kb = next(int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("peak-rss-kb "))
    return seconds, peak_kb / 1024, result.stdout


def _launch(command: list[str]) -> int:
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    print(f"peak-rss-kb {usage.ru_maxrss}", file=sys.stderr)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(_launch(sys.argv[1:]))
