"""Deduplication on real texts, end to end, may only get better.

A small deterministic run of the dedupe evaluation (``tests/dedupe_cases.py``: copies and look-alikes
of the devset's texts on invented site templates, replayed with the real ``edunews replay``) is held
to the floor in ``tests/dedupe_floor.json``: recall, precision, traditional-character recall and the
best-copy share may not drop, merged negatives per kind may not rise. The floor records the run it
was measured on (bases, seed, kinds); after a change that improves the figures, rewrite it with
``python benchmarks/dedupe.py --bases 40 --seed 1 --no-baselines --write-floor tests/dedupe_floor.json``
and review the diff. The devset stays in the shared folder; point ``EDUNEWS_DEVSET`` elsewhere to
use another copy.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from dedupe_cases import RunOptions, below_floor, figures, run

ROOT = Path(__file__).resolve().parent.parent
FLOOR = json.loads((ROOT / "tests" / "dedupe_floor.json").read_text(encoding="utf-8"))
DEVSET = Path(os.environ.get("EDUNEWS_DEVSET", ROOT.parent / "shared" / "devset"))


def test_dedupe_figures_do_not_drop_below_the_floor(tmp_path: Path) -> None:
    assert DEVSET.is_dir(), f"labelled pages not found at {DEVSET} (set EDUNEWS_DEVSET to the devset folder)"
    measured = FLOOR["run"]
    options = RunOptions(DEVSET, measured["bases"], measured["seed"], tuple(measured["kinds"]), baselines=False)
    verdicts, errors = run(options, tmp_path)
    assert errors == {}
    scores = figures(verdicts, ["edunews"])["all"]["judges"]["edunews"]
    assert below_floor(scores, FLOOR) == []
