"""Data folders shipped inside the package (bundled profiles, migration scripts) as real folders on disk,
also when the package runs from a zipped egg, as Scrapyd runs a deployed project."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from pathlib import Path


def on_disk(folder: Path) -> Path:
    """``folder`` itself when it is on disk; otherwise its files copied out of the zip archive the package
    was imported from (globbing and Alembic read plain files only).

    The copy goes to one folder per archive and folder, named by the archive's path, size and time, in
    the temporary directory: Scrapyd starts a process for every job, and each would otherwise leave a
    copy behind. A new egg of the same project gets a folder of its own."""
    if folder.is_dir():
        return folder
    archive = next((parent for parent in folder.parents if parent.is_file() and zipfile.is_zipfile(parent)), None)
    if archive is None:
        return folder
    inner = folder.relative_to(archive).as_posix() + "/"
    stat = archive.stat()
    key = hashlib.sha1(f"{archive.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{inner}".encode()).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"edunews-packaged-{key}"
    if not target.is_dir():
        _extract(archive, inner, target)
    return target / inner


def _extract(archive: Path, inner: str, target: Path) -> None:
    """Extract ``inner`` of ``archive`` to ``target`` whole or not at all: into a fresh folder first,
    then renamed into place. When two jobs start at once, the second rename fails and its copy goes."""
    fresh = Path(tempfile.mkdtemp(prefix=f"{target.name}.", dir=target.parent))
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(fresh, [name for name in zipped.namelist() if name.startswith(inner)])
    try:
        fresh.rename(target)
    except OSError:
        shutil.rmtree(fresh, ignore_errors=True)
        if not target.is_dir():
            raise
