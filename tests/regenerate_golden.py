"""Rewrite every fixture's expected.json from the current extractor; review the diff before committing.

Run: python tests/regenerate_golden.py [SLUG ...]
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from crawler.extraction.extract import NotAnArticle, extract_article
from crawler.extraction.pages import read_saved_page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def golden_for(folder: Path) -> dict:
    """The expected output for one fixture: the article's fields, or the reason it is not one."""
    try:
        return {"article": asdict(extract_article(read_saved_page(folder)))}
    except NotAnArticle as error:
        return {"not_article": error.reason}


def main(slugs: list[str]) -> None:
    folders = [FIXTURES / slug for slug in slugs] or sorted(p.parent for p in FIXTURES.glob("*/response.json"))
    for folder in folders:
        text = json.dumps(golden_for(folder), ensure_ascii=False, indent=2) + "\n"
        (folder / "expected.json").write_text(text, encoding="utf-8")
        print(f"wrote {folder.name}/expected.json")


if __name__ == "__main__":
    main(sys.argv[1:])
