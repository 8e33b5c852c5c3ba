"""A real PostgreSQL server for tests: ``initdb`` into a temporary folder, ``pg_ctl`` on a free loopback
port, a fresh database per test, stopped and removed afterwards. No mocks: store, search, migrations
and crawls run against the server operators run.

PostgreSQL refuses to run as root, so as root the cluster belongs to an unprivileged user (the
``postgres`` user Debian's package creates, else ``nobody``). The binaries are found on PATH or where
Debian's ``postgresql`` package puts them (``/usr/lib/postgresql/<version>/bin``); a machine without
them fails the test with the install that fixes it, it never skips.

Used from other tests and benchmarks as::

    with postgres_database() as url:        # postgresql+psycopg://edunews@127.0.0.1:PORT/edunews
        ...
    with PostgresServer() as server:        # one server, many databases
        url = server.create_database()
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for a fixture's type: benchmarks/distributed.py uses this module without pytest
    import pytest

#: Where Debian's ``postgresql`` package installs the server binaries (not on PATH).
DEBIAN_BINARIES = Path("/usr/lib/postgresql")
#: The superuser the test cluster is created with; it logs in without a password (trust, loopback only).
SUPERUSER = "edunews"
#: Users that may own the cluster when the tests run as root, in order of preference.
CLUSTER_OWNERS = ("postgres", "nobody")
#: Durability is not under test here: no fsync makes initdb and every commit several times faster.
SERVER_OPTIONS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=200")


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def server_binary(name: str) -> str:
    """The path of PostgreSQL's ``name`` (``initdb``, ``pg_ctl``): PATH first, else the newest version
    under Debian's folder. Raises :class:`PostgresMissing` saying what to install."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(DEBIAN_BINARIES.glob(f"*/bin/{name}"), key=lambda path: _version(path.parents[1].name))
    if candidates:
        return str(candidates[-1])
    raise PostgresMissing(
        f"PostgreSQL's {name} was not found on PATH nor in {DEBIAN_BINARIES}/*/bin: "
        "install it (apt-get install postgresql; scripts/test.sh does)"
    )


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cluster_owner() -> pwd.struct_passwd | None:
    """The user to run the server as: None when not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in CLUSTER_OWNERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresMissing(f"running as root and none of the users {CLUSTER_OWNERS} exists to own the test cluster")


class PostgresServer:
    """A throw-away PostgreSQL cluster on 127.0.0.1 (a context manager): started on enter, stopped and
    deleted on exit. ``create_database()`` gives each test its own empty database in a few
    milliseconds, much faster than a server per test."""

    def __init__(self) -> None:
        self.owner = _cluster_owner()
        # Not under pytest's tmp_path: its parents are private to root, and the cluster's owner must reach it.
        self.folder = Path(tempfile.mkdtemp(prefix="edunews-pg-"))
        self.data = self.folder / "data"
        self.port = 0
        self._names = itertools.count(1)

    def _run(self, *command: str) -> None:
        """Run a server command as the cluster's owner; its output is shown if it fails."""
        prefix = ("runuser", "-u", self.owner.pw_name, "--") if self.owner else ()
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, cwd=self.folder)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stdout}{done.stderr}")

    def __enter__(self) -> PostgresServer:
        initdb = server_binary("initdb")
        if self.owner:
            os.chown(self.folder, self.owner.pw_uid, self.owner.pw_gid)
        self._run(initdb, "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "-N")
        for attempt in range(3):  # another process may take the free port before the server binds it
            self.port = free_port()
            try:
                self.start()
                return self
            except RuntimeError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def start(self) -> None:
        """Start the server on its port (again, after :meth:`stop`: a database that comes back)."""
        options = " ".join(f"-c {option}" for option in SERVER_OPTIONS)
        self._run(
            server_binary("pg_ctl"), "start", "-w", "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 {options}",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server at once, its connections refused from then on (a database that goes away)."""
        self._run(server_binary("pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", "-w")

    def __exit__(self, *exc: object) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` on this server (psycopg 3 driver)."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database (named ``test_N`` unless ``name`` is given) and return its URL."""
        import psycopg
        from psycopg import sql

        name = name or f"test_{next(self._names)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres", autocommit=True) as c:
            c.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
        return self.url(name)


@contextmanager
def postgres_database(name: str = "edunews") -> Iterator[str]:
    """A server of its own with one empty database, for a benchmark or a single test: yields the
    database's SQLAlchemy URL and stops the server afterwards."""
    with PostgresServer() as server:
        yield server.create_database(name)


#: The databases a store test runs on: pass as a fixture's ``params`` and build it with :func:`new_database`.
DATABASES = ("sqlite", "postgresql")


def new_database(request: pytest.FixtureRequest, folder: Path) -> str:
    """An empty database of the kind a fixture parametrized with :data:`DATABASES` is at: a SQLite file
    in ``folder``, or a new database on the session's PostgreSQL server (``postgres_server`` fixture)."""
    if request.param == "sqlite":
        return str(folder / "news.sqlite")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database()
