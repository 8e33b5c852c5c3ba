"""Replay speed on the devset: pages/second with the pages extracted in this process only and with the
default worker processes, side by side in one run.

Run: python benchmarks/replay.py [--devset DIR] [--rounds 3] [--before CHECKOUT]

Each replay is the command a user runs, ``python -m edunews replay DEVSET --db NEW.sqlite --json``,
into a fresh SQLite file, timed from start to end (start-up included, about 2 s), once with
``-s EDUNEWS_WORKER_PROCESSES=0`` and once with the default (one worker per core for a replay). The
two alternate within each round, in turns, so that the machine's other load (it is shared) weighs
on both; every round's figures are printed, with the load average before each replay, and the
median ratio against the goal. ``--before CHECKOUT`` adds a third replay per round, of another
checkout's code (``PYTHONPATH=CHECKOUT``) with its own defaults: what the replay did before.
Peak memory is of the replay and its workers together (benchmarks/measure.py).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from measure import run_measured  # noqa: E402

DEFAULT_DEVSET = Path(os.environ.get("EDUNEWS_DEVSET", ROOT.parent / "shared" / "devset"))
#: Pages/second with the default workers over pages/second in one process, on 2 cores (issue 20).
GOAL_RATIO = 1.7
IN_PROCESS = "in-process"
DEFAULT = "default"
BEFORE = "before"


def replay_command(kind: str, devset: Path, db: Path, before: Path | None) -> list[str]:
    """The replay of one kind. ``before`` runs from its own folder (``python -m`` puts the working folder
    first on the path) with its own virtual environment when it has one."""
    python = sys.executable
    if kind == BEFORE and before is not None and (before / ".venv" / "bin" / "python").exists():
        python = str(before / ".venv" / "bin" / "python")
    command = [python, "-m", "edunews", "replay", str(devset), "--db", str(db), "--json"]
    if kind == IN_PROCESS:
        return [*command, "-s", "EDUNEWS_WORKER_PROCESSES=0"]
    if kind == BEFORE:
        return ["env", f"PYTHONPATH={before}", *command]
    return command


def replay(kind: str, devset: Path, folder: Path, before: Path | None) -> tuple[int, float, float]:
    """Pages read, seconds and peak MB of one replay of ``devset`` into a new database in ``folder``."""
    db = folder / f"{kind}.sqlite"
    cwd = before if kind == BEFORE and before is not None else ROOT
    measured = run_measured(replay_command(kind, devset, db, before), cwd, ok_codes=(0, 1))
    return json.loads(measured.output)["pages"], measured.seconds, measured.peak_mb


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET, help="pages to replay (devset format)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of one replay of each kind")
    parser.add_argument("--before", type=Path, help="a checkout of edunews to replay with as well (its defaults)")
    args = parser.parse_args()
    if not args.devset.is_dir():
        parser.error(f"{args.devset}: no such folder (set EDUNEWS_DEVSET or --devset)")
    kinds = [IN_PROCESS, DEFAULT, *([BEFORE] if args.before else [])]
    print(f"replaying {args.devset} on {os.cpu_count()} cores; {args.rounds} rounds, kinds in turns\n")
    print(f"{'round':>5}  {'replay':<11}{'pages':>7}{'seconds':>9}{'pages/s':>9}{'peak MB':>9}{'load before':>13}")
    rates: dict[str, list[float]] = {kind: [] for kind in kinds}
    ratios = []
    for round_number in range(1, args.rounds + 1):
        shift = (round_number - 1) % len(kinds)
        for kind in kinds[shift:] + kinds[:shift]:
            load = load_average()
            with tempfile.TemporaryDirectory(prefix="edunews-bench-replay-") as folder:
                pages, seconds, peak_mb = replay(kind, args.devset, Path(folder), args.before)
            rates[kind].append(pages / seconds)
            print(
                f"{round_number:>5}  {kind:<11}{pages:>7}{seconds:>9.1f}{pages / seconds:>9.1f}"
                f"{peak_mb:>9.0f}{load:>13.2f}",
                flush=True,
            )
        ratios.append(rates[DEFAULT][-1] / rates[IN_PROCESS][-1])
        print(f"{round_number:>5}  default / in-process: {ratios[-1]:.2f}x", flush=True)
    print()
    for kind in kinds:
        print(f"{kind:<11} pages/s: {', '.join(f'{rate:.1f}' for rate in rates[kind])}")
    print(f"ratio default / in-process per round: {', '.join(f'{ratio:.2f}' for ratio in ratios)}", end="")
    print(f"; median {statistics.median(ratios):.2f}x (goal: >= {GOAL_RATIO}x on 2 cores)")


if __name__ == "__main__":
    main()
