"""Golden files: every field of every fixture's extraction equals its reviewed expected.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from regenerate_golden import FIXTURES, golden_for  # noqa: E402

GOLDEN_DIRS = sorted(path.parent for path in FIXTURES.glob("*/expected.json"))


def test_every_fixture_has_a_golden_file() -> None:
    saved = sorted(path.parent for path in FIXTURES.glob("*/response.json"))
    assert saved == GOLDEN_DIRS


@pytest.mark.parametrize("folder", GOLDEN_DIRS, ids=lambda path: path.name)
def test_extraction_matches_golden_file(folder: Path) -> None:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(golden_for(folder), ensure_ascii=False))
    if "article" in expected:
        for field, value in expected["article"].items():
            assert actual["article"][field] == value, f"{field} differs; run tests/regenerate_golden.py and review"
    assert actual == expected
