"""Every fixture against its hand-written checks: real paragraphs survive, boilerplate never leaks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extraction.extract import NotAnArticle, extract_article
from crawler.extraction.pages import read_saved_page

FIXTURES = Path(__file__).parent.parent / "fixtures"
FIXTURE_DIRS = sorted(path.parent for path in FIXTURES.glob("*/checks.json"))


def checks_for(folder: Path) -> dict:
    return json.loads((folder / "checks.json").read_text(encoding="utf-8"))


def test_there_are_enough_fixtures() -> None:
    assert len(FIXTURE_DIRS) >= 15


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=lambda path: path.name)
def test_fixture_matches_hand_written_checks(folder: Path) -> None:
    checks = checks_for(folder)
    page = read_saved_page(folder)
    if not checks["article"]:
        with pytest.raises(NotAnArticle) as raised:
            extract_article(page)
        assert raised.value.reason == checks["reason"]
        return
    article = extract_article(page)
    for snippet in checks["must_contain"]:
        assert snippet in article.text, f"real text lost: {snippet!r}"
    for snippet in checks["must_not_contain"]:
        assert snippet not in article.text, f"boilerplate leaked: {snippet!r}"
        assert snippet not in (article.title or ""), f"boilerplate in title: {snippet!r}"
    assert article.title == checks["title"]
    assert article.published_at == checks["published_at"]
    assert article.source == checks.get("source")
    assert article.authors == checks["authors"]
    reported = {item["reason"] for item in article.removed}
    assert set(checks["removed_reasons"]) <= reported


@pytest.mark.parametrize("folder", FIXTURE_DIRS, ids=lambda path: path.name)
def test_no_mojibake_in_any_field(folder: Path) -> None:
    if not checks_for(folder)["article"]:
        return
    article = extract_article(read_saved_page(folder))
    fields = [article.title or "", article.text or "", *article.authors, article.source or ""]
    for value in fields:
        assert "\ufffd" not in value
        assert not any(0x80 <= ord(ch) <= 0x9F for ch in value), "C1 control characters mean mojibake"
