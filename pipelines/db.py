"""Database access: where the database is, opening it (SQLite tuned for safety), migrating it on
start-up, and retrying when it is locked or briefly gone."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

#: The default database: a SQLite file in the working directory, no server to start.
DEFAULT_DB = "edunews.sqlite"
DB_ENV = "EDUNEWS_DB"
MIGRATIONS = Path(__file__).parent / "migrations"
#: How long SQLite itself waits on a lock before our retry loop takes over.
SQLITE_BUSY_SECONDS = 2.0

T = TypeVar("T")


class StorageUnavailable(RuntimeError):
    """The database stayed locked or unreachable through every retry."""


def database_url(db: str | None = None) -> str:
    """The SQLAlchemy URL to use: ``db`` (a URL or a SQLite file path), else ``$EDUNEWS_DB``, else the
    default SQLite file."""
    value = db or os.environ.get(DB_ENV) or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Settings of every SQLite connection edunews opens (each says why)."""
    pragmas = (
        # Readers (the web page, `edunews articles`) work while a crawl writes.
        "journal_mode=WAL",
        # Sightings, band rows and search terms stay tied to their articles.
        "foreign_keys=ON",
        # In WAL mode a commit writes its pages to the WAL file before it returns, and NORMAL skips
        # only the fsync (done at checkpoints instead). Those bytes are the kernel's from then on, so a
        # process that crashes or is SIGKILLed loses no committed transaction: "kill -9 loses nothing"
        # holds (tests/test_sqlite_durability.py kills a writer to check). Only an OS crash or power
        # loss can roll back the last commits, leaving the database consistent, never corrupt.
        "synchronous=NORMAL",
        # 64 MiB of page cache (the default is 2 MiB). A batch's index rows land on thousands of pages,
        # which the default cache evicted and read again within the batch (SQLite's share of storing
        # 3,000 articles fell from 3.7 to 2.6 ms an article); the inner pages of the band index of a
        # million articles (7 MiB) stay cached too, so a lookup reads one page per band.
        "cache_size=-65536",
        # Checkpoint (copy the WAL into the database, with its fsyncs) every 10,000 pages (40 MiB)
        # rather than every 1,000: with hundreds of index rows per article nearly every batch passed
        # 1,000 pages, and checkpoints were 40% of the time spent committing.
        "wal_autocheckpoint=10000",
    )
    cursor = dbapi_connection.cursor()
    for pragma in pragmas:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def make_engine(db: str | None = None) -> Engine:
    """An engine for ``db`` (see :func:`database_url`); SQLite gets the settings of
    :func:`_sqlite_pragmas` and a busy timeout, and its parent folder is created."""
    url = database_url(db)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision. Runs on every start-up; a no-op when current."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_database(db: str | None = None, *, attempts: int = 5, first_delay: float = 0.2) -> sessionmaker[Session]:
    """Open (creating or migrating as needed) the database and return a session factory; a locked or
    unreachable database is retried as :func:`with_retry` does."""
    engine = make_engine(db)
    with_retry(lambda: migrate(engine), attempts=attempts, first_delay=first_delay)
    return sessionmaker(engine, expire_on_commit=False)


def is_transient(error: BaseException) -> bool:
    """Errors worth retrying: a locked SQLite file, a dropped or refused connection."""
    if isinstance(error, OperationalError):
        return True
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
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except DBAPIError as error:
            if not is_transient(error) or attempt == attempts:
                if is_transient(error):
                    raise StorageUnavailable(f"database unavailable after {attempts} tries: {error.orig}") from error
                raise
            if on_retry:
                on_retry(attempt, error)
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")
