"""The spool: records that could not be written (database locked or gone) wait in a JSON-lines file
beside the database and are stored first on the next run. Nothing is dropped: a line that cannot be
read back (cut short by a crash, damaged, written by an incompatible version) is moved to a quarantine
file beside the spool (``<spool>.quarantine``), and the run names it in its summary and exits 1."""

from __future__ import annotations

import json
import os
from dataclasses import fields
from datetime import datetime
from io import FileIO
from pathlib import Path
from typing import Any

from pipelines.dedupe import sign
from pipelines.records import ArticleRecord, Rejected

_DATETIME_FIELDS = {"published_at", "seen_at"}
#: What the dedupe pipeline derives from the text: not written, computed again when read.
_RECOMPUTED = {"fingerprint", "signature", "terms"}
#: Where a spool's unreadable lines go: a file beside it with this suffix.
QUARANTINE_SUFFIX = ".quarantine"
#: Unreadable lines this process moved to quarantine and its run has not reported yet: (file, lines).
_quarantined: list[tuple[Path, int]] = []


def _encode(record: ArticleRecord | Rejected) -> dict[str, Any]:
    """The record as JSON values. The signature is left out (see ``_decode``): as a list of 192 numbers
    it was 40% of the cost of journalling a record, and the store pipeline journals every one."""
    # Shallow on purpose: dataclasses.asdict deep-copies every nested value.
    data = {field.name: getattr(record, field.name) for field in fields(record) if field.name not in _RECOMPUTED}
    for key, value in list(data.items()):
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    return {"kind": type(record).__name__, "data": data}


def _decode(line: dict[str, Any]) -> ArticleRecord | Rejected:
    data = dict(line["data"])
    for key in _DATETIME_FIELDS & data.keys():
        if data[key] is not None:
            data[key] = datetime.fromisoformat(data[key])
    if line["kind"] == "Rejected":
        return Rejected(**data)
    # Fingerprint and signature are signed again, also over lines older versions wrote with them:
    # that costs only when a spool is read, and gives what the running neardup parameters give.
    kept = {field.name for field in fields(ArticleRecord)} - _RECOMPUTED
    return sign(ArticleRecord(**{key: value for key, value in data.items() if key in kept}))


def append(path: Path, records: list[ArticleRecord | Rejected]) -> None:
    """Add records to the spool, handed to the OS before returning: a killed process keeps what was
    written (a line cut short is skipped when read). All of them or none (see :func:`_write_whole`)."""
    with _open_for_append(path) as spool:
        _write_whole(spool, _lines(records))


class OpenSpool:
    """A spool file kept open while records are added one at a time, each handed to the OS before
    ``append`` returns, as :func:`append` does. The store journals every record a crawl yields, on the
    crawl's thread: opening the file for each cost more than writing it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: FileIO | None = None

    def append(self, records: list[ArticleRecord | Rejected]) -> None:
        if self._file is None:
            self._file = _open_for_append(self.path)
        _write_whole(self._file, _lines(records))

    def close(self) -> None:
        """Close the file (before it is renamed or read); a later ``append`` opens it again."""
        if self._file is not None:
            self._file.close()
            self._file = None


def _lines(records: list[ArticleRecord | Rejected]) -> bytes:
    return "".join(json.dumps(_encode(record), ensure_ascii=False) + "\n" for record in records).encode("utf-8")


def _open_for_append(path: Path) -> FileIO:
    """The file, unbuffered: what a write hands to the OS is all there is (a buffer left with the bytes
    a full disk refused wrote them, cut short, in the middle of a later line, or raised again on close)."""
    try:
        return path.open("ab", buffering=0)
    except FileNotFoundError:  # a new folder: made on its first write, not checked on every one
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("ab", buffering=0)


def _write_whole(file: FileIO, data: bytes) -> None:
    """Write ``data`` at the end of ``file`` whole, or nothing: when the disk is full the part written
    is cut off again (which frees what it took) and the error raised. The file keeps whole lines only,
    and a record whose write failed is known not to be in it."""
    start = file.seek(0, os.SEEK_END)
    rest = memoryview(data)
    try:
        while rest:
            rest = rest[file.write(rest) :]
    except OSError:
        file.truncate(start)
        raise


def take(path: Path, quarantine: Path | None = None) -> list[ArticleRecord | Rejected]:
    """The spooled records, oldest first; the file stays until :func:`clear` confirms they are stored.
    A line that cannot be read (cut short by a crash, damaged) is moved to quarantine, not dropped: to
    the file ``quarantine`` names, or else one beside ``path`` (:func:`quarantine_of`)."""
    if not path.exists():
        return []
    records, unreadable = [], []
    for line in path.read_text(encoding="utf-8", errors="surrogateescape").splitlines():
        if not line.strip():
            continue
        try:
            records.append(_decode(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            unreadable.append(line)
    if unreadable:
        _quarantine(quarantine or quarantine_of(path), unreadable)
    return records


def quarantine_of(path: Path) -> Path:
    """The file beside the spool ``path`` that keeps its unreadable lines."""
    return path.with_name(path.name + QUARANTINE_SUFFIX)


def _quarantine(quarantine: Path, lines: list[str]) -> None:
    """Keep ``lines`` in the ``quarantine`` file (once: a spool is read again until it is cleared) and
    note them for the run's summary."""
    kept = set()
    if quarantine.exists():
        kept = set(quarantine.read_text(encoding="utf-8", errors="surrogateescape").splitlines())
    new = [line for line in dict.fromkeys(lines) if line not in kept]
    if not new:
        return
    with _open_for_append(quarantine) as out:
        _write_whole(out, "".join(line + "\n" for line in new).encode("utf-8", errors="surrogateescape"))
    _quarantined.append((quarantine, len(new)))


def quarantined() -> list[tuple[Path, int]]:
    """The quarantine files written since the last call, with how many lines each received: a run
    reports them once, in its summary."""
    found = list(_quarantined)
    _quarantined.clear()
    return found


def clear(path: Path) -> None:
    path.unlink(missing_ok=True)
