"""Imports run one way: fetch/decode/extract (``crawler``) → validate/normalise/dedupe/store
(``pipelines``) → application (``edunews``: the command, scheduler, web page, demo site, replay).
A lower layer that needs something from a higher one means the thing lives in the wrong place."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Each layer and the layers above it, which it must not import.
LAYERS = {"crawler": ("pipelines", "edunews"), "pipelines": ("edunews",), "edunews": ()}


def imported_packages(path: Path) -> set[str]:
    """The top-level packages a module imports, wherever the import stands (functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


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
