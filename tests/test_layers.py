"""Imports run one way: fetch/decode/extract (``crawler``) → validate/normalise/dedupe/store
(``pipelines``) → application (``edunews``: the command, scheduler, web page, demo site, replay).
A lower layer that needs something from a higher one means the thing lives in the wrong place.

Inside ``crawler``, extraction (``crawler.extraction``: page bytes to an article) stands apart from the
Scrapy side (spider, middlewares, frontier, workers): it imports neither Scrapy, Twisted nor the
database, nor the crawl, so any tool can call it and a change to the crawl cannot change what a page
extracts to."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Each layer and the layers above it, which it must not import.
LAYERS = {"crawler": ("pipelines", "edunews"), "pipelines": ("edunews",), "edunews": ()}
EXTRACTION = "crawler.extraction"
#: Packages extraction must not import: the crawl's frameworks, the database, the layers above.
NOT_FOR_EXTRACTION = ("scrapy", "twisted", "sqlalchemy", "pipelines", "edunews")


def imported_modules(path: Path) -> set[str]:
    """The modules a module imports by dotted name, wherever the import stands (functions included);
    ``from a import b`` counts ``a.b`` as well, since ``b`` may be a module of ``a``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def imported_packages(path: Path) -> set[str]:
    """The top-level packages a module imports."""
    return {name.split(".")[0] for name in imported_modules(path)}


def outside_extraction(module: str) -> bool:
    """True for a module extraction may not import: a forbidden package, or the Scrapy side of ``crawler``
    (any of its modules outside ``crawler.extraction``; the bare package ``crawler`` is empty)."""
    top = module.split(".")[0]
    if top in NOT_FOR_EXTRACTION:
        return True
    return top == "crawler" and module != "crawler" and not f"{module}.".startswith(f"{EXTRACTION}.")


def modules(package: str) -> list[Path]:
    return sorted(path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts)


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_no_module_imports_a_layer_above_its_own(layer: str) -> None:
    higher = set(LAYERS[layer])
    offending = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & higher)
        for path in modules(layer)
        if imported_packages(path) & higher
    }
    assert offending == {}


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("def late():\n    from pipelines.store import StorePipeline\n", encoding="utf-8")
    assert "pipelines" in imported_packages(module)


def test_extraction_imports_neither_scrapy_nor_the_database_nor_the_crawl() -> None:
    offending = {
        str(path.relative_to(ROOT)): sorted(filter(outside_extraction, imported_modules(path)))
        for path in modules(EXTRACTION.replace(".", "/"))
        if any(map(outside_extraction, imported_modules(path)))
    }
    assert offending == {}


def test_the_check_sees_extraction_reach_into_the_crawl(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "from crawler.extraction.blocks import Block\n"
        "from crawler import extraction\n"
        "def late():\n    from crawler import workers\n    import twisted.internet\n",
        encoding="utf-8",
    )
    assert sorted(filter(outside_extraction, imported_modules(module))) == ["crawler.workers", "twisted.internet"]


def test_extraction_runs_where_scrapy_and_the_database_cannot_be_imported() -> None:
    """The modules' own imports are checked above; this checks the libraries they use as well, which
    may bring Scrapy in where it is installed (itemadapter does, to support Scrapy items): in a fresh
    interpreter where the forbidden packages cannot be imported, every extraction module loads and a
    saved page extracts."""
    program = (
        "import importlib, pathlib, pkgutil, sys\n"
        f"sys.modules.update(dict.fromkeys({NOT_FOR_EXTRACTION!r}))\n"
        "import crawler.extraction as package\n"
        "for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "from crawler.extraction.extract import extract_article\n"
        "from crawler.extraction.pages import read_saved_page\n"
        "print(extract_article(read_saved_page(pathlib.Path('fixtures/moe-style'))).title)\n"
    )
    run = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip()
