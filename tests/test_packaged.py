"""Bundled data folders read out of a zipped egg, as Scrapyd runs a deployed project: one copy per egg,
however many jobs start from it, and none left half written."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import pytest

from crawler.extraction.packaged import _extract, on_disk


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def egg(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zipped:
        for name, text in files.items():
            zipped.writestr(name, text)
    return path


def test_a_folder_on_disk_is_used_where_it_is(tmp_path: Path, temp_root: Path) -> None:
    assert on_disk(tmp_path) == tmp_path
    assert list(temp_root.iterdir()) == []


def test_a_folder_inside_an_egg_is_copied_out_with_its_files_only(tmp_path: Path, temp_root: Path) -> None:
    archive = egg(tmp_path / "project.egg", {"pkg/data/a.yaml": "one", "pkg/data/sub/b.yaml": "two", "pkg/x.py": ""})
    folder = on_disk(archive / "pkg" / "data")
    assert (folder / "a.yaml").read_text() == "one"
    assert (folder / "sub" / "b.yaml").read_text() == "two"
    assert not (folder.parent / "x.py").exists()


def test_every_job_from_one_egg_shares_one_copy(tmp_path: Path, temp_root: Path) -> None:
    archive = egg(tmp_path / "project.egg", {"pkg/data/a.yaml": "one"})
    first = on_disk(archive / "pkg" / "data")
    again = on_disk(archive / "pkg" / "data")
    assert first == again
    assert len(list(temp_root.iterdir())) == 1


def test_a_new_egg_of_the_project_gets_a_copy_of_its_own(tmp_path: Path, temp_root: Path) -> None:
    archive = egg(tmp_path / "project.egg", {"pkg/data/a.yaml": "one"})
    old = on_disk(archive / "pkg" / "data")
    egg(archive, {"pkg/data/a.yaml": "version two"})
    new = on_disk(archive / "pkg" / "data")
    assert new != old
    assert (new / "a.yaml").read_text() == "version two"
    assert (old / "a.yaml").read_text() == "one"


def test_a_job_that_loses_the_race_to_copy_the_egg_uses_the_winners_copy_and_leaves_none(
    tmp_path: Path, temp_root: Path
) -> None:
    # Two jobs starting at once both extract; the second one's rename finds the first one's folder.
    archive = egg(tmp_path / "project.egg", {"pkg/data/a.yaml": "one"})
    target = temp_root / "edunews-packaged-race"
    _extract(archive, "pkg/data/", target)
    (target / "pkg" / "data" / "a.yaml").write_text("the winner's")
    _extract(archive, "pkg/data/", target)
    assert (target / "pkg" / "data" / "a.yaml").read_text() == "the winner's"
    assert [path.name for path in temp_root.iterdir()] == ["edunews-packaged-race"]
