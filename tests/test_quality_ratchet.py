"""Extraction quality on the real labelled pages of ``../shared/devset`` may only go up.

The floor (``tests/quality_floor.json``) holds what extraction reached, per set and per half
(``tune``, ``blind`` and ``all`` pages, so a gain on the pages rules were tuned on cannot hide a loss
on the others); rewrite it with ``python benchmarks/quality.py --only edunews --corpus
../shared/devset/<set> ... --write-floor tests/quality_floor.json`` (one ``--corpus`` per set it
holds) after a change that improves it, and review the diff. The pages stay in the shared folder (they are third-party
pages, not the project's); point ``EDUNEWS_DEVSET`` elsewhere to use another copy.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from edunews.evaluate import (
    below_floor,
    by_half,
    edunews_extraction,
    labelled_fields,
    labelled_pages,
    score_page,
    summarize,
)

ROOT = Path(__file__).resolve().parent.parent
FLOOR = json.loads((ROOT / "tests" / "quality_floor.json").read_text(encoding="utf-8"))
DEVSET = Path(os.environ.get("EDUNEWS_DEVSET", ROOT.parent / "shared" / "devset"))


@pytest.mark.parametrize("set_name", sorted(FLOOR))
def test_extraction_quality_does_not_drop_below_the_floor(set_name: str) -> None:
    folder = DEVSET / set_name
    assert folder.is_dir(), f"labelled pages not found at {folder} (set EDUNEWS_DEVSET to the devset folder)"
    pages = labelled_pages(folder)
    labelled = labelled_fields(pages)
    scores = [score_page(page, edunews_extraction(page.raw_page()), labelled=labelled) for page in pages]
    halves = by_half(scores)
    worse = {half: below_floor(summarize(halves[half]), floor) for half, floor in FLOOR[set_name].items()}
    assert {half: lines for half, lines in worse.items() if lines} == {}
