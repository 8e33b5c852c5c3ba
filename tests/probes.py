"""What the bad-input tests share: running ``python -m edunews`` as a user does, a database with articles
in it and a snapshot to prove nothing stored was lost or changed, and real read-only files and file
systems (chmod for a normal user; as root, whom chmod does not stop, a read-only bind mount, else
SQLite's own read-only mode)."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures"
#: Fixtures that store as articles: the database every probe starts from.
SEED_FIXTURES = ("english-edunews", "moe-style", "seed-contentfarm-gbk", "gov-trs-province")


@dataclass(frozen=True)
class Run:
    """One finished ``edunews`` command: exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        """stderr's lines, without the progress lines a crawl writes while it runs."""
        return [line for line in self.err.splitlines() if line and not line.startswith(("crawling", "done:"))]


def edunews(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 240,
    bound_by_modes: bool = False,
    reader_gone: bool = False,
) -> Run:
    """Run ``python -m edunews ARGS`` in ``cwd`` as a user would, and wait for it; with
    ``bound_by_modes`` the command obeys files' permission bits even when the tests run as root (see
    :func:`obey_permission_bits`); with ``reader_gone`` its stdout is a pipe nobody reads any more
    (``| head`` that has read its lines), and only stderr is kept."""
    environment = {**os.environ, "COLUMNS": "120", **(env or {})}
    environment.pop("EDUNEWS_DB", None)
    with closed_pipe() if reader_gone else nullcontext(subprocess.PIPE) as stdout:
        done = subprocess.run(
            [sys.executable, "-m", "edunews", *args],
            cwd=cwd,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=timeout,
            env=environment,
            preexec_fn=obey_permission_bits if bound_by_modes else None,
        )
    return Run(done.returncode, done.stdout or "", done.stderr)


@contextmanager
def closed_pipe() -> Iterator[int]:
    """The writing end of a pipe whose reading end is closed: every write to it fails with EPIPE."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        yield writer
    finally:
        os.close(writer)


#: The capabilities that let root read, write and chmod files whatever their owner and permission bits:
#: CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER (linux/capability.h).
ROOTS_FILE_CAPABILITIES = (1, 2, 3)
#: prctl's operation that removes a capability from the bounding set (linux/prctl.h).
PR_CAPBSET_DROP = 24


def obey_permission_bits() -> None:
    """Make the process about to be started obey files' permission bits as any user does (a
    ``preexec_fn``): for root, the capabilities that ignore them are taken from its bounding set, which
    the program it runs cannot get back. Not a switch to ``nobody``: the interpreter may live where
    only root can read it (``/root/.pyenv``). A normal user obeys them already."""
    if not is_root():
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in ROOTS_FILE_CAPABILITIES:
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), f"prctl(PR_CAPBSET_DROP, {capability})")


def assert_one_line(run: Run, code: int, *words: str) -> None:
    """The command ended with ``code`` and one line on stderr holding every one of ``words``: no
    traceback, no log."""
    assert run.code == code, (run.code, run.err[-3000:])
    assert "Traceback" not in run.err, run.err[-3000:]
    assert len(run.lines) == 1, run.err[-3000:]
    for word in words:
        assert word in run.lines[0], (word, run.lines[0])


def seeded_db(folder: Path) -> Path:
    """A SQLite database holding the articles of ``SEED_FIXTURES`` (a replay run as a user runs it)."""
    db = folder / "news.sqlite"
    run = edunews("replay", *(str(FIXTURES / name) for name in SEED_FIXTURES), "--db", str(db), cwd=folder)
    assert run.code == 0, run.err
    return db


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every row that matters of a database, read without changing it: articles, copies, rejects,
    schedules, crawl runs."""
    with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as connection:
        return {
            table: sorted(connection.execute(f"SELECT * FROM {table}").fetchall(), key=repr)  # noqa: S608
            for table in ("articles", "sightings", "rejects", "schedules", "crawl_runs", "alembic_version")
        }


def is_root() -> bool:
    return os.geteuid() == 0


@contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """``folder`` made read-only for real while inside, and yielded: its mode for a normal user, a
    read-only bind mount of it for root (chmod does not stop root). Fails, never skips, where neither
    can be had."""
    if not is_root():
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    mounted = folder.with_name(folder.name + "-ro")
    mounted.mkdir()
    subprocess.run(["mount", "--bind", str(folder), str(mounted)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(mounted)], check=True)
        yield mounted
    finally:
        subprocess.run(["umount", str(mounted)], check=True)
        mounted.rmdir()


@contextmanager
def small_file_system(folder: Path, size: str) -> Iterator[Path]:
    """A file system of ``size`` (``1500k``) mounted on ``folder`` while inside, that fills up for real:
    writes past it fail with ENOSPC, as on a full disk. ``resize`` it (``remount``) to free space. A tmpfs,
    which only root may mount; fails, never skips, for anyone else."""
    assert is_root(), "mounting a small file system needs root"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:  # lazily: a database engine of the test may still hold a file open in it
        subprocess.run(["umount", "--lazy", str(folder)], check=True)


def resize(folder: Path, size: str) -> None:
    """Give the file system of :func:`small_file_system` on ``folder`` the size ``size``: space freed."""
    subprocess.run(["mount", "-o", f"remount,size={size}", str(folder)], check=True)


def read_only_database(db: Path) -> str:
    """The ``--db`` of ``db`` made read-only: the file's mode for a normal user; as root, whom the mode
    does not stop, SQLite's own read-only mode, which refuses writes the same way."""
    if not is_root():
        db.chmod(0o444)
        return str(db)
    return f"sqlite:///file:{db}?mode=ro&uri=true"


#: The user and group ``nobody`` (65534 on Linux).
NOBODY = 65534


def owned_by_someone_else(path: Path) -> None:
    """Give ``path`` to another user (``nobody``), so that a command run with ``bound_by_modes`` may
    neither write it nor change its permissions. Only root can; fails, never skips, for anyone else."""
    assert is_root(), "giving a file to another user needs root"
    os.chown(path, NOBODY, NOBODY)


def copy_fixture(name: str, to: Path) -> Path:
    shutil.copytree(FIXTURES / name, to)
    return to


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released): a site that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
