"""Export memory: `edunews articles export` of 10k and 100k synthetic articles, peak memory of each.

Run: python benchmarks/export.py [--sizes 10000,100000]

Memory that stays flat while the table grows tenfold is what "streams in constant memory" means.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import fill_store  # noqa: E402
from measure import run_measured  # noqa: E402


def export_run(db: Path, output_format: str) -> tuple[float, float, int]:
    """Seconds, peak memory (MB) of the export process itself, and bytes written."""
    target = db.with_suffix("." + output_format)
    command = [
        sys.executable,
        "-m",
        "edunews",
        "articles",
        "export",
        "--format",
        output_format,
        "--db",
        str(db),
        "-o",
        str(target),
    ]
    measured = run_measured(command, db.parent)
    return measured.seconds, measured.peak_mb, target.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    print(f"{'articles':>10}{'format':>8}{'seconds':>10}{'MB written':>12}{'peak RSS MB':>14}")
    with tempfile.TemporaryDirectory(prefix="edunews-export-") as folder:
        db = Path(folder) / "export.sqlite"
        filled = 0
        for size in sizes:
            fill_store(db, filled, size, set())  # no repost targets: an export reads what is stored
            filled = size
            for output_format in ("jsonl", "csv"):
                seconds, memory, written = export_run(db, output_format)
                print(f"{size:>10,}{output_format:>8}{seconds:>10.1f}{written / 2**20:>12.1f}{memory:>14.0f}")


if __name__ == "__main__":
    main()
