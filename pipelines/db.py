"""Database access: where the database is, opening it (SQLite tuned for safety, or read-only without
creating anything), migrating it on start-up, retrying when it is locked or briefly gone, and one clear
sentence for every way it can be unusable.

SQLAlchemy and Alembic are imported where they are used, so that a command which never opens the
database (``edunews --help``) does not pay for them."""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import sqlite3
import time
import weakref
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from crawler.extraction.packaged import on_disk

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

#: Every SQLite engine made here, closed at exit (see :func:`_close_at_exit`).
_SQLITE_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()

#: The default database: a SQLite file in the working directory, no server to start.
DEFAULT_DB = "edunews.sqlite"
DB_ENV = "EDUNEWS_DB"
#: A value meant as a database URL but for its ``://`` (``postgresql+psycopg//…``, ``postgresql:/…``): a
#: known kind of database, then a driver or a colon, is never a file's name.
URL_LIKE = re.compile(r"(?i)(?:sqlite|postgres(?:ql)?|mysql|mariadb|oracle|mssql)(?:\+\w*:?|:)/")
#: What a command that needs a stored database says where there is none.
NO_DATABASE = "no database at {} (check --db or $EDUNEWS_DB; crawl or replay creates one)"
#: The password of a URL's ``user:password@``.
PASSWORD_PART = re.compile(r"(//[^:/@\s]*:)[^@/\s]*@")
MIGRATIONS = on_disk(Path(__file__).parent / "migrations")
#: How long SQLite itself waits on a lock before our retry loop takes over.
SQLITE_BUSY_SECONDS = 2.0
#: SQLite's page cache per connection, in MiB (SQLite's default is 2), unless the caller sizes it: a
#: batch's index rows land on thousands of pages, which the default cache evicted and read again within
#: the batch (SQLite's share of storing 3,000 articles fell from 3.7 to 2.6 ms an article with 64 MiB);
#: the inner pages of the band index of a million articles (7 MiB) stay cached too, so a lookup reads
#: one page per band. Once filled the cache is resident memory: a crawl sizes it with
#: ``EDUNEWS_SQLITE_CACHE_MB``.
SQLITE_CACHE_MIB = 64
#: SQLite errors worth waiting out; any other SQLite error will not go away by trying again.
SQLITE_TRANSIENT = ("SQLITE_BUSY", "SQLITE_LOCKED")
#: The pip package that provides each database driver module SQLAlchemy may ask for.
DRIVER_PACKAGES = {
    "psycopg": '"psycopg[binary]"',
    "psycopg2": "psycopg2-binary",
    "asyncpg": "asyncpg",
    "pg8000": "pg8000",
    "pymysql": "pymysql",
    "MySQLdb": "mysqlclient",
    "mysql": "mysql-connector-python",
    "oracledb": "oracledb",
    "pyodbc": "pyodbc",
    "pymssql": "pymssql",
}

#: The PostgreSQL advisory lock keys migrations and record writers hold (any 64-bit numbers; these
#: spell "edunews" and "edunews" + "s" for store).
MIGRATION_LOCK = int.from_bytes(b"edunews", "big")
STORE_LOCK = int.from_bytes(b"edunewss", "big") & ((1 << 63) - 1)
#: The execution option that makes a SQLite transaction begin with ``BEGIN IMMEDIATE`` (see
#: :func:`_sqlite_begin`); :func:`one_writer_at_a_time` and :func:`migrate` set it.
SQLITE_WRITER = "edunews_sqlite_writer"
#: The files SQLite keeps beside a database in WAL mode: the log and its shared-memory index.
WAL_COMPANIONS = ("-wal", "-shm")

T = TypeVar("T")


@dataclass(frozen=True)
class SchemaUpgrade:
    """A migration about to run on a database that has articles, told before it starts: a large one
    takes minutes (5,000 articles, 43 s), and ran silently inside commands that only read."""

    place: str
    """The database, as messages name it (:func:`place_of`)."""
    from_revision: str
    to_revision: str
    steps: int
    """The migrations to run, one after the other."""
    articles: int


#: Hears of an upgrade before it starts (:class:`SchemaUpgrade`) and gives what to call after each of
#: its steps, in a context that ends with the upgrade: the command line shows a line and a progress bar.
UpgradeWatcher = Callable[[SchemaUpgrade], AbstractContextManager[Callable[[], None]]]


class StorageUnavailable(RuntimeError):
    """The database stayed locked or unreachable through every retry."""


class DatabaseProblem(RuntimeError):
    """A database that cannot be used as it is: not a database, a newer schema, no driver, read-only,
    missing. Trying again will not help; the message says what is wrong in one sentence."""


def database_url(db: str | None = None) -> str:
    """The SQLAlchemy URL to use: ``db`` (a URL or a SQLite file path), else ``$EDUNEWS_DB``, else the
    default SQLite file."""
    value = db or os.environ.get(DB_ENV) or DEFAULT_DB
    if "://" in value:
        return value
    if URL_LIKE.match(value):
        raise DatabaseProblem(f"not a database URL: {_masked(value)!r} (a URL needs '://' after its kind)")
    return f"sqlite:///{Path(value).expanduser()}"


def _masked(url: str) -> str:
    """``url`` with the password of its ``user:password@`` part hidden, parsed or not."""
    return PASSWORD_PART.sub(r"\1***@", url)


def shown_url(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _masked(url)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (a ``file:`` URI's too), or None for other databases and ``:memory:``."""
    if not url.startswith("sqlite"):
        return None
    database = url.split("///", 1)[1] if "///" in url else ""
    if database.startswith("file:"):
        database = database.removeprefix("file:").split("?", 1)[0].removeprefix("//")
    if not database or database == ":memory:":
        return None
    return Path(database.split("?", 1)[0])


def _sqlite_pragmas(cache_mib: int) -> Callable[[Any, Any], None]:
    """The settings of every SQLite connection edunews opens (each says why), with a page cache of
    ``cache_mib`` MiB: a connection listener for :func:`make_engine`."""
    pragmas = (
        # Readers (the web page, `edunews articles`) work while a crawl writes.
        "journal_mode=WAL",
        # Sightings and band rows stay tied to their articles (search index entries by a trigger, 0006).
        "foreign_keys=ON",
        # In WAL mode a commit writes its pages to the WAL file before it returns, and NORMAL skips
        # only the fsync (done at checkpoints instead). Those bytes are the kernel's from then on, so a
        # process that crashes or is SIGKILLed loses no committed transaction: "kill -9 loses nothing"
        # holds (tests/test_sqlite_durability.py kills a writer to check). Only an OS crash or power
        # loss can roll back the last commits, leaving the database consistent, never corrupt.
        "synchronous=NORMAL",
        # See SQLITE_CACHE_MIB. A negative size is in KiB.
        f"cache_size=-{cache_mib * 1024}",
        # Checkpoint (copy the WAL into the database, with its fsyncs) every 10,000 pages (40 MiB)
        # rather than every 1,000: with hundreds of index rows per article nearly every batch passed
        # 1,000 pages, and checkpoints were 40% of the time spent committing.
        "wal_autocheckpoint=10000",
    )

    def apply(dbapi_connection: Any, connection_record: Any) -> None:
        # The transactions are begun by _sqlite_begin, not by the driver: pysqlite would begin one only
        # at the first INSERT, UPDATE or DELETE, so a transaction's lookups ran before it and outside it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return apply


def _sqlite_begin(connection: Any) -> None:
    """Begin a SQLite transaction (SQLAlchemy's ``begin`` event, SQLAlchemy's documented recipe for
    pysqlite): ``BEGIN IMMEDIATE`` for a writer, which takes the file's write lock before its first
    lookup, so what it decides from them cannot be overtaken by another process's commit; ``BEGIN`` for
    the others, whose reads see one snapshot and never wait for a writer (WAL). A transaction begun
    plainly that reads and then writes fails with SQLITE_BUSY_SNAPSHOT if another process committed in
    between: one that writes what it read calls :func:`one_writer_at_a_time` first."""
    writer = connection.get_execution_options().get(SQLITE_WRITER, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")


def make_engine(
    db: str | None = None, *, read_only: bool = False, cache_mib: int = SQLITE_CACHE_MIB, kept: int = 0
) -> Engine:
    """An engine for ``db`` (see :func:`database_url`). SQLite gets the settings of
    :func:`_sqlite_pragmas` (a page cache of ``cache_mib`` MiB) and a busy timeout, and its parent
    folder is created; with ``read_only`` a SQLite file is opened read-only and must exist (nothing is
    created), and ``kept`` of its connections are kept open between uses (none by default). Raises
    :class:`DatabaseProblem` for a kind of database edunews does not store into, a missing driver, an
    unknown kind of database, a folder that cannot be created or a missing read-only database."""
    from sqlalchemy import create_engine, event, make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    url = database_url(db)
    path = sqlite_path(url)
    try:
        # Before the driver is looked for: a MySQL URL must not be told to install a MySQL driver.
        require_supported(make_url(url).get_backend_name(), url)
        if path is not None and read_only:
            return _read_only_sqlite(path, kept)
        if url.startswith("sqlite"):
            if path is not None:
                _create_folder(path.parent)
                _companions_like_database(path)
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
            event.listen(engine, "connect", _sqlite_pragmas(cache_mib))
            event.listen(engine, "begin", _sqlite_begin)
            _SQLITE_ENGINES.add(engine)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as error:
        raise DatabaseProblem(missing_driver(url, error.name or "")) from error
    except NoSuchModuleError as error:
        kind = url.split("://", 1)[0]
        raise DatabaseProblem(f"unknown kind of database {kind!r} in {shown_url(url)}") from error
    except (ArgumentError, ValueError) as error:  # (ValueError: a port that is not a number)
        raise DatabaseProblem(f"not a database URL: {_masked(url)!r} ({_masked(str(error))})") from error


@atexit.register
def _close_at_exit() -> None:
    """Close the pooled connections of every SQLite engine as the process ends. The last connection to
    close checkpoints the WAL and removes the ``-wal`` and ``-shm`` files; left to the interpreter's
    teardown they stayed beside the database, which then is not whole without them (a copy of the
    ``.sqlite`` file alone was an empty database)."""
    for engine in list(_SQLITE_ENGINES):
        engine.dispose()


def missing_driver(url: str, module: str) -> str:
    """The sentence for a database whose driver is not installed, with the install that fixes it."""
    package = DRIVER_PACKAGES.get(module, module)
    kind = url.split("://", 1)[0]
    return f"the driver for {kind} databases is not installed (no module {module!r}): pip install {package}"


def _create_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseProblem(f"cannot create the database folder {folder}: {error.strerror or error}") from error


def wal_companions(path: Path) -> list[Path]:
    """The ``-wal`` and ``-shm`` files of the SQLite database at ``path``, whether they exist or not."""
    return [path.with_name(path.name + suffix) for suffix in WAL_COMPANIONS]


def unwritable_companion(path: Path) -> Path | None:
    """The ``-wal`` or ``-shm`` file beside a database this process may write that it may not write
    itself, or None. SQLite then opens it read-only and refuses every write, as if the database were."""
    if not os.access(path, os.W_OK):
        return None
    return next((file for file in wal_companions(path) if file.exists() and not os.access(file, os.W_OK)), None)


def _companions_like_database(path: Path) -> None:
    """Give a ``-wal`` or ``-shm`` file that this process owns but cannot write the database file's
    permissions. SQLite makes them with the database's permissions, and a reader of a read-only
    database leaves them read-only behind it (it may not remove them); once the database was made
    writable again the stale ``-shm`` still made every write fail as "attempt to write a readonly
    database". Files owned by someone else are left alone: :func:`read_only_problem` names them."""
    if not os.access(path, os.W_OK):
        return
    for file in wal_companions(path):
        # Another process's last connection may remove the file meanwhile: then nothing is stale.
        with contextlib.suppress(FileNotFoundError):
            if not os.access(file, os.W_OK) and file.stat().st_uid == os.geteuid():
                file.chmod(path.stat().st_mode & 0o777)


def _read_only_sqlite(path: Path, kept: int = 0) -> Engine:
    """A SQLite file opened read-only (``mode=ro``): never created, never written. On a read-only file
    system a WAL database cannot keep its shared-memory file, so it is read as immutable there. A
    command reads once and needs no connection kept; a server keeps ``kept`` of them open, since
    opening one (and reading the schema) was more than half the time of a web page."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool, QueuePool

    if path.is_dir():
        raise DatabaseProblem(f"{path} is a folder, not a database file")
    if not path.is_file():
        raise DatabaseProblem(NO_DATABASE.format(path))
    uri = path.resolve().as_uri() + "?mode=ro"

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(uri, uri=True, timeout=SQLITE_BUSY_SECONDS, check_same_thread=False)
        try:
            connection.execute("SELECT 1 FROM sqlite_master LIMIT 1")  # opening a WAL file happens here
        except sqlite3.OperationalError:
            connection.close()
            if not on_read_only_file_system(path):
                raise
            return sqlite3.connect(uri + "&immutable=1", uri=True, check_same_thread=False)
        return connection

    pool = {"poolclass": QueuePool, "pool_size": kept} if kept else {"poolclass": NullPool}
    engine = create_engine("sqlite://", creator=connect, **pool)
    event.listen(engine, "connect", lambda connection, record: connection.execute("PRAGMA foreign_keys=ON"))
    return engine


def on_read_only_file_system(path: Path) -> bool:
    """True when ``path`` (or the nearest folder above it that exists) is on a read-only file system."""
    for place in (path, *path.absolute().parents):
        if place.exists():
            return bool(os.statvfs(place).f_flag & os.ST_RDONLY)
    return False


def migrate(engine: Engine, on_step: Callable[[], None] | None = None) -> None:
    """Bring the schema to the newest Alembic revision. Runs on start-up when the schema is older.

    Several workers may start at the same moment against an empty database; each takes a lock first,
    so one migrates while the others wait, and each then finds the schema current when Alembic reads
    ``alembic_version`` (the DDL is transactional, so a waiter sees all of it or none). On PostgreSQL
    that is a transaction-scoped advisory lock; on SQLite the file's write lock, taken by ``BEGIN
    IMMEDIATE`` before Alembic's first read (two first starts on a new file both created
    ``alembic_version``, and one failed, while pysqlite began the transaction only at the first write).
    ``on_step`` is called after each migration (see ``migrations/env.py``)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.execution_options(**{SQLITE_WRITER: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        config.attributes["on_step"] = on_step
        command.upgrade(config, "head")


def declared_by_models(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Alembic's ``include_name`` for schema comparisons: everything but the search index, which
    migrations make per database (an FTS5 table and its shadow tables on SQLite, see
    ``pipelines.search``) rather than the models declare."""
    from pipelines.search import is_search_index

    return not (type_ == "table" and name is not None and is_search_index(name))


def known_revisions() -> list[str]:
    """The schema revisions this version knows, oldest first: each migration file is named after its
    revision (``0003_schedules_and_search_index.py`` is ``0003``), so no Alembic import is needed to
    tell a current database from one that needs migrating or one written by a newer edunews."""
    return sorted(path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or None when it has no schema yet."""
    from sqlalchemy import inspect, text

    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def prepare_schema(
    engine: Engine, url: str, *, read_only: bool = False, on_upgrade: UpgradeWatcher | None = None
) -> None:
    """Check the schema and migrate an older one, telling ``on_upgrade`` first when there is one. A
    newer one is refused naming both versions; with ``read_only`` a database without the schema is
    refused rather than created."""
    revisions = known_revisions()
    revision = schema_revision(engine)
    if revision == revisions[-1]:
        return
    where = place_of(url)
    if revision is not None and revision not in revisions:
        if not (re.fullmatch(r"\d{4}", revision) and revision > revisions[-1]):
            raise DatabaseProblem(
                f"{where} is not an edunews database (its schema version {revision!r} is none of ours)"
            )
        raise DatabaseProblem(
            f"{where} has schema version {revision}, newer than this edunews knows ({revisions[-1]}): "
            "upgrade edunews (pip install -U edunews) to use it"
        )
    if read_only and revision is None:
        raise DatabaseProblem(f"{where} is not an edunews database (it has no edunews tables)")
    migrating = make_engine(url) if read_only else engine
    if revision is None or on_upgrade is None:  # (a new database: nothing to move, done at once)
        migrate(migrating)
        return
    steps = sum(known > revision for known in revisions)
    with on_upgrade(SchemaUpgrade(where, revision, revisions[-1], steps, article_count(engine))) as step:
        migrate(migrating, step)


def article_count(engine: Engine) -> int:
    """How many articles the database holds."""
    from sqlalchemy import text

    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM articles")).scalar() or 0)


def place_of(url: str) -> str:
    """How a database is named in messages: its file for SQLite, its URL (no password) otherwise."""
    path = sqlite_path(url)
    return str(path) if path is not None else shown_url(url)


def open_database(
    db: str | None = None,
    *,
    attempts: int = 5,
    first_delay: float = 0.2,
    read_only: bool = False,
    cache_mib: int = SQLITE_CACHE_MIB,
    on_upgrade: UpgradeWatcher | None = None,
) -> sessionmaker[Session]:
    """Open (creating or migrating as needed) the database and return a session factory; a locked or
    unreachable database is retried as :func:`with_retry` does. A SQLite file gets a page cache of
    ``cache_mib`` MiB per connection. With ``read_only`` nothing is created:
    a missing database is a :class:`DatabaseProblem` naming the path. Every lasting problem is a
    :class:`DatabaseProblem` with one sentence saying what it is. ``on_upgrade`` hears of a migration
    of stored articles before it starts (:class:`SchemaUpgrade`)."""
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.orm import sessionmaker

    url = database_url(db)
    engine = make_engine(url, read_only=read_only, cache_mib=cache_mib)
    try:
        with_retry(
            lambda: prepare_schema(engine, url, read_only=read_only, on_upgrade=on_upgrade),
            attempts=attempts,
            first_delay=first_delay,
        )
    except DBAPIError as error:
        raise DatabaseProblem(explain(error, url)) from error
    return sessionmaker(engine, expire_on_commit=False)


def require_supported(dialect: str, url: str) -> None:
    """Raise :class:`DatabaseProblem` unless edunews can store into this kind of database: its search
    index is built in each database's own way (``pipelines.search``), for SQLite and PostgreSQL, and
    another kind would fail half-way through the migrations."""
    from pipelines.search import SEARCH_INDEXES

    if dialect not in SEARCH_INDEXES:
        kinds = " or ".join(sorted(SEARCH_INDEXES))
        raise DatabaseProblem(f"{shown_url(url)}: edunews stores into {kinds}, not {dialect}")


def one_writer_at_a_time(session: Session) -> None:
    """Make ``session``'s transaction the only one storing records until it ends, on PostgreSQL as on
    SQLite (call it first thing in the transaction).

    Two workers storing two copies of one article at the same moment each look for the text, find
    nothing and insert a new article: the article is stored twice. No unique key can catch that (a
    repost has its own URL and text), so the decision must see every earlier write: each write
    transaction first takes a transaction-scoped advisory lock, and the next writer's lookups run
    after the previous one committed. On SQLite the transaction begins with ``BEGIN IMMEDIATE`` (see
    :func:`_sqlite_begin`), which takes the file's write lock before the first lookup: two crawls into
    one file stored one text twice while the lookups ran before the lock. SERIALIZABLE isolation was
    tried first: with 64 band lookups per record nearly every concurrent batch conflicted with another,
    and three workers storing one set of pages spooled batches after five failed tries each; the lock
    costs only the waits, and workers fetch and extract in parallel."""
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STORE_LOCK})
    else:
        session.connection(execution_options={SQLITE_WRITER: True})


def check_writable(sessions: sessionmaker[Session], url: str) -> None:
    """Raise :class:`DatabaseProblem` unless the database takes writes: a real write (of a row onto
    itself), rolled back. A read-only file or file system is found here, before a run has fetched
    anything, rather than by spooling every record it stores."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with sessions() as session:
            session.execute(text("UPDATE alembic_version SET version_num = version_num"))
            session.rollback()
    except DBAPIError as error:
        if is_transient(error):
            return  # locked by another writer: the store waits for it, and spools if it must
        raise DatabaseProblem(explain(error, url)) from error


def explain(error: BaseException, url: str) -> str:
    """One sentence for a database error: what is wrong with the database, not where in the code."""
    original = getattr(error, "orig", None) or error
    name = getattr(original, "sqlite_errorname", "")
    where = place_of(url)
    path = sqlite_path(url)
    if name == "SQLITE_NOTADB":
        return f"{where} is not a SQLite database (file is not a database)"
    if name == "SQLITE_CANTOPEN" and path is not None and path.is_dir():
        return f"{where} is a folder, not a database file"
    if name.startswith("SQLITE_READONLY") or (name == "SQLITE_CANTOPEN" and path and on_read_only_file_system(path)):
        return read_only_problem(where, path)
    if name == "SQLITE_CORRUPT":
        return f"{where} is damaged (database disk image is malformed)"
    reason = " ".join(str(original).split()) or type(original).__name__
    return f"cannot use the database {where}: {reason}"


def read_only_problem(where: str, path: Path | None) -> str:
    """The sentence for a database that cannot be written, saying whether the file or its whole file
    system is read-only."""
    if path is not None and on_read_only_file_system(path):
        return f"cannot write to the database {where}: it is on a read-only file system"
    stale = unwritable_companion(path) if path is not None else None
    if stale is not None:
        return (
            f"cannot write to the database {where}: {stale} beside it is read-only (left by a read-only use); "
            f"give it the database file's owner and permissions (chown --reference={path} {stale}; "
            f"chmod --reference={path} {stale})"
        )
    return f"cannot write to the database {where}: the file is read-only"


def is_disk_full(error: BaseException) -> bool:
    """A database or file system out of space: SQLite's ``SQLITE_FULL``, PostgreSQL's ``disk_full``
    (SQLSTATE 53100), a file write's ``ENOSPC``. Trying again fills nothing but the log."""
    import errno

    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    original = getattr(error, "orig", None)
    return getattr(original, "sqlite_errorname", "") == "SQLITE_FULL" or getattr(original, "sqlstate", "") == "53100"


def is_transient(error: BaseException) -> bool:
    """Errors worth retrying: a locked SQLite file, a dropped or refused connection. A SQLite file
    that is read-only, damaged or not a database stays so."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(error, OperationalError):
        name = getattr(error.orig, "sqlite_errorname", None)
        return name is None or name.startswith(SQLITE_TRANSIENT)
    return isinstance(error, DBAPIError) and error.connection_invalidated


def with_retry(
    action: Callable[[], T],
    *,
    attempts: int = 5,
    first_delay: float = 0.2,
    on_retry: Callable[[int, BaseException], None] | None = None,
) -> T:
    """Run ``action``; on a transient database error wait (doubling each time) and run it again.
    After ``attempts`` failures raise :class:`StorageUnavailable` naming the last error."""
    from sqlalchemy.exc import DBAPIError

    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except DBAPIError as error:
            if not is_transient(error) or attempt == attempts:
                if is_transient(error):
                    reason = " ".join(str(error.orig).split())
                    raise StorageUnavailable(f"database unavailable after {attempts} tries: {reason}") from error
                raise
            if on_retry:
                on_retry(attempt, error)
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")
