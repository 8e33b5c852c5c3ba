"""Running a command and measuring its own peak memory, its worker processes included.

A child's ``ru_maxrss`` as ``wait4`` reports it keeps the high-water mark of the process it was forked
from, across ``exec``: a benchmark that holds a large site or table in memory would see its own size
charged to every command it starts. So the command is started by this small launcher instead, whose
child's figure is the command's own. A command that starts worker processes (a crawl's extraction
workers) uses their memory too, which no one process's ``ru_maxrss`` shows: the launcher also samples
the proportional memory (PSS: pages shared between processes, as after a fork, counted once) of the
command and all its descendants together, and reports the larger figure.

It reports CPU time too: the command's with its waited-for descendants (from ``wait4``), and the
command's own process alone (its last sample), so that a crawl's CPU splits into the crawl process and
its extraction workers. On a machine of few cores, CPU per page bounds pages per second more than any
wait does.

Run as a launcher: python benchmarks/measure.py COMMAND... (prints "peak-rss-kb N", "cpu-seconds S" and
"own-cpu-seconds S" on stderr).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

LAUNCHER = Path(__file__).resolve()
#: The figures the launcher prints on stderr, each as "NAME VALUE" on a line of its own.
FIGURES = ("peak-rss-kb ", "cpu-seconds ", "own-cpu-seconds ")
#: Clock ticks a second, the unit of CPU time in /proc/PID/stat.
TICKS = os.sysconf("SC_CLK_TCK")


class Measured(NamedTuple):
    """One measured command: wall seconds, peak memory in MB (its process tree), its standard output,
    CPU seconds of the whole tree and of the command's own process."""

    seconds: float
    peak_mb: float
    output: str
    cpu_seconds: float
    own_cpu_seconds: float


def run_measured(command: list[str], cwd: Path, ok_codes: tuple[int, ...] = (0,)) -> Measured:
    """Run ``command`` under the launcher and measure it. ``ok_codes`` are the exit codes that still
    mean the command did its work (any other ends the benchmark)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(LAUNCHER), *command], cwd=cwd, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode not in ok_codes:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}")
    figures = dict(line.split() for line in result.stderr.splitlines() if line.startswith(FIGURES))
    return Measured(
        seconds,
        int(figures["peak-rss-kb"]) / 1024,
        result.stdout,
        float(figures["cpu-seconds"]),
        float(figures["own-cpu-seconds"]),
    )


def measured_cases(script: str, cases: Iterable[str], cwd: Path) -> Iterator[tuple[str, float, list[str]]]:
    """Each case run as ``script --worker CASE`` in a measured process of its own: the case, its peak
    memory in MB, and the tab-separated fields of what it printed."""
    for case in cases:
        measured = run_measured([sys.executable, script, "--worker", case], cwd)
        yield case, measured.peak_mb, measured.output.strip().split("\t")


def worker_or_main(worker: Callable[[str], None], main: Callable[[], None]) -> None:
    """A case benchmark's entry point: ``worker(CASE)`` when started as ``--worker CASE`` by
    :func:`measured_cases`, ``main()`` otherwise."""
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
    else:
        main()


#: Seconds between two samples of the process tree's memory.
SAMPLE_SECONDS = 0.05


def _sample_tree(root: int) -> tuple[int, float]:
    """Proportional memory of ``root`` and every process descended from it, from /proc; and the CPU
    seconds ``root`` itself has used so far. Only the tree's own processes have their memory read:
    the kernel walks a process's page tables to sum it, and reading every process on the machine
    twenty times a second took CPU from the crawl being measured."""
    parents: dict[int, int] = {}
    own_cpu = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            # The fields after the command's name: state, parent, ... user and system ticks at 11, 12.
            stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile, or not ours to read
        parents[int(entry.name)] = int(stat[1])
        if int(entry.name) == root:
            own_cpu = (int(stat[11]) + int(stat[12])) / TICKS
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(_pss_kb(pid) for pid in tree), own_cpu


def _pss_kb(pid: int) -> int:
    """The proportional memory of process ``pid`` in kB; 0 once it has gone."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)


def _launch(command: list[str]) -> int:
    child = subprocess.Popen(command)
    tree_peak, own_cpu = 0, 0.0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        tree_pss, own_sampled = _sample_tree(child.pid)
        tree_peak, own_cpu = max(tree_peak, tree_pss), max(own_cpu, own_sampled)  # none once it has exited
        time.sleep(SAMPLE_SECONDS)
    print(f"peak-rss-kb {max(usage.ru_maxrss, tree_peak)}", file=sys.stderr)
    # wait4 counts the command with every descendant it waited for (a crawl's extraction workers).
    print(f"cpu-seconds {usage.ru_utime + usage.ru_stime:.2f}", file=sys.stderr)
    print(f"own-cpu-seconds {own_cpu:.2f}", file=sys.stderr)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(_launch(sys.argv[1:]))
