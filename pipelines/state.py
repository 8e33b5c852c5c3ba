"""Recovery state that belongs to one storing process: its journal and spool live in a folder of its
own, held by a lock while the process lives, so another process recovers them only once it is gone.

Several crawls may write into one database (two profiles at once, workers on one machine). When they
shared one journal beside the database, the next start of any of them took the others' pending
records while they were still running. Now each process claims a folder under the state folder
(``<host>-<pid>-<time>``) and holds ``owner.lock`` with ``flock`` for its whole life. The kernel
releases that lock when the process ends however it ends (SIGKILL included), so "the lock can be
taken" is exactly "the owner is gone"; a pid check would be fooled by a reused pid or another host.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from pipelines.db import shown_url, sqlite_path

STATE_ENV = "EDUNEWS_STATE_DIR"
#: The file whose lock marks a folder's owner as alive.
OWNER_LOCK = "owner.lock"
#: Who owns a folder: database, host, pid, start time and crawl run (for people reading the folder).
OWNER_FILE = "owner.json"
#: The records handed to the store but not yet committed, and those it could not write.
JOURNAL = "journal.jsonl"
SPOOL = "spool.jsonl"


def state_root(db_url: str, configured: str | None = None) -> Path:
    """Where storing processes keep their folders: ``configured`` (the ``EDUNEWS_STATE_DIR`` setting,
    ``--state-dir``), else ``$EDUNEWS_STATE_DIR``, else beside a SQLite file (``<file>.state``), else
    a per-user folder (``$XDG_STATE_HOME/edunews``, by default ``~/.local/state/edunews``): a server
    database has no folder of its own, and the working folder changes from run to run."""
    chosen = configured or os.environ.get(STATE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    database = sqlite_path(db_url)
    if database is not None:
        return database.with_name(database.name + ".state")
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "edunews"


def legacy_files(db_url: str) -> list[Path]:
    """The spool and journals earlier versions kept beside a SQLite file (``<file>.spool.jsonl``,
    ``<file>.spool.journal.jsonl*``), shared by every process: recovered by the next start, so an
    upgrade loses nothing they hold."""
    database = sqlite_path(db_url)
    if database is None:
        return []
    spool = database.with_name(database.name + ".spool.jsonl")
    return [path for path in (spool, *sorted(spool.parent.glob(spool.stem + ".journal.jsonl*"))) if path.is_file()]


def database_identity(db_url: str) -> str:
    """The database a folder's records belong to, however its URL was written: the resolved file of
    a SQLite database (a read-only ``file:`` URI and a plain path are one file), else the URL without
    its password."""
    database = sqlite_path(db_url)
    return str(database.resolve()) if database is not None else shown_url(db_url)


def _try_lock(path: Path) -> IO[bytes] | None:
    """``path`` opened and locked for us, or None when another process holds it or it is gone (it
    is never created here: a folder being removed must not get a new lock file)."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def _owner(folder: Path) -> dict[str, object]:
    try:
        return dict(json.loads((folder / OWNER_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


@dataclass
class ProcessState:
    """A folder of recovery state and the lock that makes it ours."""

    folder: Path
    lock: IO[bytes] = field(repr=False)

    @property
    def journal(self) -> Path:
        return self.folder / JOURNAL

    @property
    def spool(self) -> Path:
        return self.folder / SPOOL

    def note_run(self, run_id: int) -> None:
        """Name the crawl run this process records, once the database has given it an id."""
        owner = _owner(self.folder)
        _write_owner(self.folder, {**owner, "run": run_id})

    def release(self) -> None:
        """Give the folder up: removed when nothing is left in it, else left (unlocked) for the next
        start to recover."""
        leftovers = [path for path in self.folder.iterdir() if path.name not in (OWNER_LOCK, OWNER_FILE)]
        if not leftovers:
            (self.folder / OWNER_FILE).unlink(missing_ok=True)
            (self.folder / OWNER_LOCK).unlink(missing_ok=True)
            self.folder.rmdir()
        self.lock.close()

    def remove(self) -> None:
        """Delete a recovered folder whole (its records are safe elsewhere by now) and let it go. The
        lock file goes last: until then no other process can take the folder for an orphan."""
        for path in sorted(self.folder.iterdir(), key=lambda path: path.name == OWNER_LOCK):
            path.unlink(missing_ok=True)
        with suppress(OSError):
            self.folder.rmdir()
        self.lock.close()


def _write_owner(folder: Path, owner: dict[str, object]) -> None:
    fresh = folder / (OWNER_FILE + ".new")
    fresh.write_text(json.dumps(owner), encoding="utf-8")
    fresh.replace(folder / OWNER_FILE)


def claim(root: Path, db_url: str) -> ProcessState:
    """A new folder under ``root`` for this process, locked for as long as the process lives."""
    now = datetime.now(UTC)
    host = socket.gethostname()
    name = f"{host}-{os.getpid()}-{now:%Y%m%dT%H%M%S%fZ}"
    # Made under a hidden name, locked and described there, then renamed: no other process ever sees
    # the folder without its owner (the lock follows the file through the rename).
    making = root / f".{name}"
    making.mkdir(parents=True)
    lock = (making / OWNER_LOCK).open("ab")
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    owner = {"database": database_identity(db_url), "host": host, "pid": os.getpid(), "started": now.isoformat()}
    _write_owner(making, owner)
    making.rename(root / name)
    return ProcessState(root / name, lock)


def orphans(root: Path, db_url: str) -> list[ProcessState]:
    """The folders under ``root`` for this database whose owner is gone, each locked for us now (so
    two processes starting together never recover one twice). A folder whose lock is held belongs to
    a running process (this one's included) and is never returned; one for another database is left
    to that database."""
    if not root.is_dir():
        return []
    database = database_identity(db_url)
    found = []
    for folder in sorted(root.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():  # (the quarantines of gone processes' lines)
            continue
        lock = _try_lock(folder / OWNER_LOCK)
        if lock is None:
            continue
        if _owner(folder).get("database") != database or not folder.is_dir():
            lock.close()
            continue
        found.append(ProcessState(folder, lock))
    return found
