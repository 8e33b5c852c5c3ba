"""How long ``edunews`` takes to start: ``--help`` and ``--version`` (targets: under 0.5 s) and
``articles list`` on a small database (target: under 1 s), each the best of several runs, with what
the command imported that it need not have.

    python benchmarks/startup.py [--runs 5]

The database is made once by replaying the fixtures into a temporary folder."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: (what is run, its arguments, the target in seconds).
COMMANDS = (
    ("--help", ["--help"], 0.5),
    ("--version", ["--version"], 0.5),
    ("articles list", ["articles", "list", "--db", "{db}"], 1.0),
)
#: Modules a command that only prints help or reads the database must not import.
HEAVY = ("scrapy", "twisted", "lxml", "numpy", "scipy", "alembic", "sqlalchemy", "warcio")


def best_time(arguments: list[str], runs: int) -> float:
    """The fastest of ``runs`` starts of ``python -m edunews ARGUMENTS``, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "edunews", *arguments], capture_output=True, check=True, cwd=ROOT)
        times.append(time.perf_counter() - started)
    return min(times)


def heavy_imports(arguments: list[str]) -> list[str]:
    """The heavy packages ``python -m edunews ARGUMENTS`` imports (``-X importtime``)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "edunews", *arguments], capture_output=True, text=True, cwd=ROOT
    )
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    return sorted(package for package in HEAVY if package in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "news.sqlite")
        subprocess.run(
            [sys.executable, "-m", "edunews", "replay", str(ROOT / "fixtures"), "--db", db],
            capture_output=True,
            cwd=ROOT,
        )
        print(f"{'command':<16}{'best of ' + str(options.runs):>12}{'target':>9}  heavy imports")
        for name, arguments, target in COMMANDS:
            arguments = [argument.format(db=db) for argument in arguments]
            seconds = best_time(arguments, options.runs)
            verdict = "ok" if seconds < target else "SLOW"
            heavy = ", ".join(heavy_imports(arguments)) or "none"
            print(f"{name:<16}{seconds:>10.2f} s{target:>7.1f} s  {verdict}; {heavy}")


if __name__ == "__main__":
    main()
