"""Data folders shipped inside the package (bundled profiles, migration scripts) as real folders on disk,
also when the package runs from a zipped egg, as Scrapyd runs a deployed project."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path


def on_disk(folder: Path) -> Path:
    """``folder`` itself when it is on disk; otherwise its files copied out of the zip archive the package
    was imported from, into a fresh temporary folder (globbing and Alembic read plain files only)."""
    if folder.is_dir():
        return folder
    archive = next((parent for parent in folder.parents if parent.is_file() and zipfile.is_zipfile(parent)), None)
    if archive is None:
        return folder
    inner = folder.relative_to(archive).as_posix() + "/"
    target = Path(tempfile.mkdtemp(prefix="edunews-packaged-"))
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(target, [name for name in zipped.namelist() if name.startswith(inner)])
    return target / inner
