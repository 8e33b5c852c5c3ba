"""Running a command and measuring its own peak memory, its worker processes included.

A child's ``ru_maxrss`` as ``wait4`` reports it keeps the high-water mark of the process it was forked
from, across ``exec``: a benchmark that holds a large site or table in memory would see its own size
charged to every command it starts. So the command is started by this small launcher instead, whose
child's figure is the command's own. A command that starts worker processes (a crawl's extraction
workers) uses their memory too, which no one process's ``ru_maxrss`` shows: the launcher also samples
the proportional memory (PSS: pages shared between processes, as after a fork, counted once) of the
command and all its descendants together, and reports the larger figure.

Run as a launcher: python benchmarks/measure.py COMMAND... (prints "peak-rss-kb N" on stderr).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

LAUNCHER = Path(__file__).resolve()


def run_measured(command: list[str], cwd: Path, ok_codes: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """Seconds, peak memory in MB of ``command`` itself, and its standard output. ``ok_codes`` are the
    exit codes that still mean the command did its work (any other ends the benchmark)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(LAUNCHER), *command], cwd=cwd, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode not in ok_codes:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}")
    peak_kb = next(int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("peak-rss-kb "))
    return seconds, peak_kb / 1024, result.stdout


def measured_cases(script: str, cases: Iterable[str], cwd: Path) -> Iterator[tuple[str, float, list[str]]]:
    """Each case run as ``script --worker CASE`` in a measured process of its own: the case, its peak
    memory in MB, and the tab-separated fields of what it printed."""
    for case in cases:
        _, peak_mb, output = run_measured([sys.executable, script, "--worker", case], cwd)
        yield case, peak_mb, output.strip().split("\t")


def worker_or_main(worker: Callable[[str], None], main: Callable[[], None]) -> None:
    """A case benchmark's entry point: ``worker(CASE)`` when started as ``--worker CASE`` by
    :func:`measured_cases`, ``main()`` otherwise."""
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
    else:
        main()


#: Seconds between two samples of the process tree's memory.
SAMPLE_SECONDS = 0.05


def _tree_pss_kb(root: int) -> int:
    """Proportional memory of ``root`` and every process descended from it, from /proc."""
    parents: dict[int, int] = {}
    pss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            rollup = Path(entry.path, "smaps_rollup").read_text().splitlines()
        except (OSError, IndexError):
            continue  # gone meanwhile, or not ours to read
        parents[int(entry.name)] = int(stat[1])
        pss[int(entry.name)] = next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(pss.get(pid, 0) for pid in tree)


def _launch(command: list[str]) -> int:
    child = subprocess.Popen(command)
    tree_peak = 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        tree_peak = max(tree_peak, _tree_pss_kb(child.pid))
        time.sleep(SAMPLE_SECONDS)
    print(f"peak-rss-kb {max(usage.ru_maxrss, tree_peak)}", file=sys.stderr)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(_launch(sys.argv[1:]))
