"""What every ``edunews`` command shares: exit codes, one-line errors, the --db and --json options."""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from rich.console import Console
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from pipelines.db import StorageUnavailable, database_url, open_database

#: Exit codes: 2 for input that cannot be read, 3 for a page that is not an article.
EXIT_UNREADABLE = 2
EXIT_NOT_ARTICLE = 3


def stderr_console() -> Console:
    return Console(stderr=True)


def sessions_for(db: str | None) -> sessionmaker[Session]:
    """The database's session factory, or one clear line and exit 2 when it cannot be opened."""
    try:
        return open_database(db, attempts=2)
    except (StorageUnavailable, ArgumentError, NoSuchModuleError, OSError) as error:
        fail(f"cannot open database {database_url(db)}: {error}", EXIT_UNREADABLE)


def check_database(db: str | None) -> None:
    """Open (and migrate) the database now, so an unusable one is one clear line, not a crawl's log."""
    sessions_for(db)


def fail(message: str, code: int) -> NoReturn:
    """One clear line on stderr and the exit code; never a traceback for a user's mistake."""
    click.echo(f"edunews: {message}", err=True)
    sys.exit(code)


db_option = click.option(
    "--db",
    envvar="EDUNEWS_DB",
    help="Database: a SQLAlchemy URL or a SQLite file path. [default: $EDUNEWS_DB, else ./edunews.sqlite]",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of a table.")
