"""Folders a run writes in (its WARC archive, its journal and spool), checked before the run starts."""

from __future__ import annotations

import tempfile
from pathlib import Path


def folder_problem(folder: Path) -> str | None:
    """Why files cannot be written in ``folder`` (created as needed), or None. Asked before a run starts:
    a run that finds out at its first write has already fetched pages it cannot keep as it promised."""
    if folder.exists() and not folder.is_dir():
        return "it is a file, not a folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        return error.strerror or str(error)
    return None
