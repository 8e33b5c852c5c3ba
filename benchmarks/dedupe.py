"""Deduplication on real texts, end to end: edunews beside a MinHash judge and trafilatura's Simhash.

Run: python benchmarks/dedupe.py [--bases N] [--seed N] [--kinds K,K] [--no-baselines]
                                 [--json FILE] [--write-floor tests/dedupe_floor.json] [--keep DIR]

Pairs are made at run time from the article texts of ``../shared/devset`` (or ``$EDUNEWS_DEVSET``):
copies a content farm or portal would make (positives) and different articles that look alike
(negatives), each page on a site template of its own (``tests/dedupe_cases.py`` documents every
generator). Each kind is replayed with the real ``edunews replay`` into a fresh SQLite database, and
a pair is merged when both of its URLs are sightings of one article. The baselines judge the same
pairs on the text edunews extracts from the same pages: datasketch MinHash of the same shingles
(estimated Jaccard >= 0.5, per pair), and trafilatura's Simhash of headline and text (similarity >=
61/64: trafilatura sets no threshold of its own). Figures for the ``tune`` and ``blind`` halves of
the bases (tune on ``tune`` only) and for all.

``--write-floor`` writes edunews' figures as the floor ``tests/test_dedupe_ratchet.py`` holds the
code to, with the run's parameters; write it from the ratchet's small run: ``--bases 40 --seed 1``.
Needs the bench extras: ``pip install -e '.[bench]'`` (trafilatura) and datasketch (test).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from dedupe_cases import (  # noqa: E402
    BASELINES,
    KINDS,
    RunOptions,
    figures,
    floor_of,
    plan,
    run,
)
from extras import missing_extras  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from rich.table import Table  # noqa: E402

from edunews.evaluate import HALVES  # noqa: E402

DEFAULT_DEVSET = Path(os.environ.get("EDUNEWS_DEVSET", ROOT.parent / "shared" / "devset"))
#: Bases of the default run: every usable text of the devset (800: 54 Chinese, 746 in other
#: languages), about 7,100 pairs, a little over two minutes on two cores with both baselines.
DEFAULT_BASES = 800
DEFAULT_SEED = 1
#: Column headings of the judges.
JUDGE_NAMES = {"edunews": "edunews", "minhash": "MinHash J≥0.5", "simhash": "Simhash ≥61/64"}


def _percent(value: object) -> str:
    return "–" if value is None else f"{100 * float(value):.1f} %"  # type: ignore[arg-type]


def _ratio(value: object) -> str:
    return "–" if value is None else f"{float(value):.3f}"  # type: ignore[arg-type]


def kinds_table(half: str, result: dict, judges: list[str]) -> Table:
    """Per kind: pairs, each judge's merge rate, pages the replay did not store, merges across
    pairs, and the best-copy share where the degraded copy came first."""
    table = Table(title=f"{half}: merged pairs by kind (positives should merge, negatives not)")
    table.add_column("kind")
    table.add_column("label")
    table.add_column("pairs", justify="right")
    for judge in judges:
        table.add_column(f"{JUDGE_NAMES[judge]} merged", justify="right")
    table.add_column("pages not stored", justify="right")
    table.add_column("cross-pair", justify="right")
    table.add_column("best copy (groups)", justify="right")
    for kind, row in result["kinds"].items():
        label = "copy" if row["duplicate"] else "different"
        best = f"{_percent(row['best_copy'])} ({row['best_copy_groups']})" if row["best_copy_groups"] else "–"
        merged = [_percent(row["merged"][judge]) for judge in judges]
        table.add_row(
            kind, label, str(row["pairs"]), *merged, str(row["pages_not_stored"]), str(row["cross_pair_merges"]), best
        )
    return table


def judges_table(half: str, result: dict, judges: list[str]) -> Table:
    """Per judge: precision, recall, F1, recall on traditional copies, negatives merged, best copy."""
    table = Table(title=f"{half}: scores by judge")
    for heading in ("judge", "precision", "recall", "F1", "traditional recall", "negatives merged", "best copy"):
        table.add_column(heading, justify="left" if heading in ("judge", "negatives merged") else "right")
    for judge in judges:
        scores = result["judges"][judge]
        negatives = ", ".join(f"{kind} {count}" for kind, count in scores["negatives_merged"].items())
        if judge == "edunews":
            across = sum(scores["negatives_cross_pair"].values())
            negatives += f" (+{across} pairs joined to another pair)" if across else ""
        best = f"{_percent(scores['best_copy'])} ({scores['best_copy_groups']})" if judge == "edunews" else "–"
        table.add_row(
            JUDGE_NAMES[judge],
            _ratio(scores["precision"]),
            _ratio(scores["recall"]),
            _ratio(scores["f1"]),
            _ratio(scores["traditional_recall"]),
            negatives,
            best,
        )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET, help="the devset folder")
    parser.add_argument("--bases", type=int, default=DEFAULT_BASES, help=f"base texts (default {DEFAULT_BASES})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"generators' seed (default {DEFAULT_SEED})")
    parser.add_argument("--kinds", help="comma-separated kinds (default all): " + ", ".join(KINDS))
    parser.add_argument("--no-baselines", action="store_true", help="judge with edunews only (faster)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--write-floor", type=Path, help="write edunews' figures as the ratchet's floor")
    parser.add_argument("--keep", type=Path, help="write pages and databases here and keep them")
    args = parser.parse_args(argv)

    kinds = tuple(args.kinds.split(",")) if args.kinds else KINDS
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        parser.error(f"unknown kinds: {', '.join(unknown)}")
    if not args.no_baselines and (missing := missing_extras({"trafilatura": "bench", "datasketch": "test"})):
        parser.error(f"{missing} (or judge with edunews alone: --no-baselines)")
    if not args.devset.is_dir():
        parser.error(f"{args.devset}: no such folder (set EDUNEWS_DEVSET or --devset)")
    options = RunOptions(args.devset, args.bases, args.seed, kinds, baselines=not args.no_baselines)
    judges = ["edunews", *(BASELINES if options.baselines else ())]
    console = Console(stderr=True)

    started = time.perf_counter()
    total = sum(len(pairs) for pairs in plan(options).values())
    with tempfile.TemporaryDirectory(prefix="edunews-dedupe-") as scratch:
        workdir = args.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("pairs", total=total)

            def advance(kind: str) -> None:
                progress.update(task, advance=1, description=kind)

            verdicts, errors = run(options, workdir, advance)
    seconds = time.perf_counter() - started

    result = figures(verdicts, judges)
    out = Console(width=None if sys.stdout.isatty() else 200)
    for kind, error in errors.items():
        out.print(f"[red]replay of {kind} failed:[/red] {error}")
    for half in (*HALVES, "all"):
        out.print(kinds_table(half, result[half], judges))
        out.print(judges_table(half, result[half], judges))
    out.print(f"{args.bases} bases requested, {total} pairs, seed {args.seed}; wall time {seconds:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.write_floor:
        floor = floor_of(result["all"]["judges"]["edunews"], options)
        args.write_floor.write_text(json.dumps(floor, indent=2) + "\n", encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
