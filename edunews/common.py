"""What every ``edunews`` command shares: exit codes, one-line errors, the --db and --json options, and
opening the database for reading (never creating anything) or for writing (checked before a run).

Kept light on purpose: the command line imports this at start-up, so SQLAlchemy, Scrapy and rich are
imported only inside the functions that need them."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress
    from scrapy.settings import Settings
    from sqlalchemy.orm import Session, sessionmaker

    from pipelines.db import SchemaUpgrade

#: Exit codes, the same for every command (README, "Exit codes"):
#: everything was done; every input became an article, or is a page that is not one.
EXIT_OK = 0
#: the run finished, but some input failed (each is listed) or records were spooled instead of stored.
EXIT_FAILURES = 1
#: nothing could be done: invalid arguments, an unusable database, input that cannot be read at all.
EXIT_UNUSABLE = 2
#: ``extract`` only: the page is readable but is not an article.
EXIT_NOT_ARTICLE = 3


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def stdout_console() -> Console:
    from rich.console import Console

    class StdoutConsole(Console):
        def on_broken_pipe(self) -> None:
            """A reader that stopped reading (``| head``) is the command group's to answer, as for
            ``click.echo`` (``edunews.cli.Commands``): rich's own answer is exit 1."""
            raise BrokenPipeError

    return StdoutConsole()


def progress_bar(label: str, *, disable: bool = False) -> Progress:
    """A progress bar on stderr, gone once done (stdout is the command's output, piped or not):
    ``label``, the bar, done of total, time so far. Only on a terminal: elsewhere it left an empty
    line behind."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = stderr_console()
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    return Progress(*columns, console=console, transient=True, disable=disable or not console.is_terminal)


@contextmanager
def shown_upgrade(upgrade: SchemaUpgrade) -> Iterator[Callable[[], None]]:
    """A schema upgrade of a stored database, said in one line on stderr before it starts (it ran
    silently for 43 s inside a command that only reads), then its migrations on a progress bar."""
    articles = f"{upgrade.articles:,} article{'s' * (upgrade.articles != 1)}"
    click.echo(
        f"edunews: upgrading {upgrade.place} from schema version {upgrade.from_revision} to "
        f"{upgrade.to_revision} ({articles}); a large database takes minutes",
        err=True,
    )
    with progress_bar("upgrading the database") as progress:
        task = progress.add_task("upgrade", total=upgrade.steps)
        yield lambda: progress.advance(task)


def fail(message: str, code: int = EXIT_UNUSABLE) -> NoReturn:
    """One clear line on stderr and the exit code; never a traceback for a user's mistake."""
    click.echo(f"edunews: {' '.join(message.split())}", err=True)
    sys.exit(code)


def open_for_reading(db: str | None) -> sessionmaker[Session]:
    """The database for a command that only reads it: nothing is created, so a mistyped ``--db`` is
    an error naming the path, not a new empty database reporting "0 articles". One line, exit 2, for
    every problem."""
    from pipelines.db import DatabaseProblem, StorageUnavailable, open_database

    try:
        return open_database(db, attempts=2, read_only=True, on_upgrade=shown_upgrade)
    except (DatabaseProblem, StorageUnavailable) as error:
        fail(str(error))


def open_for_writing(
    db: str | None, *, spool: bool = True, state_dir: str | None = None, existing: bool = False
) -> sessionmaker[Session]:
    """The database for a command that writes it, created and migrated as needed, and checked to take
    writes (and, for a run that stores articles, the folder of its journal and spool too, ``state_dir``
    or its default) before the run starts: a read-only database is one line and exit 2, not a run that
    spools every record it meets. A command that only changes what is stored (``existing``) creates
    nothing: a mistyped SQLite file is named, not made."""
    from pipelines.db import (
        NO_DATABASE,
        DatabaseProblem,
        StorageUnavailable,
        check_writable,
        database_url,
        open_database,
        sqlite_path,
    )

    try:
        url = database_url(db)
    except DatabaseProblem as error:
        fail(str(error))
    path = sqlite_path(url)
    if existing and path is not None and not path.is_file():
        fail(NO_DATABASE.format(path))
    try:
        sessions = open_database(url, attempts=2, on_upgrade=shown_upgrade)
        check_writable(sessions, url)
    except (DatabaseProblem, StorageUnavailable) as error:
        fail(str(error))
    if spool:
        from pipelines.store import state_problem

        problem = state_problem(url, state_dir)
        if problem:
            fail(problem)
    return sessions


#: Where the ``--db`` option leaves its value in ``click.Context.meta`` (shared by nested commands), so
#: the error line for a database fault met mid-command can name the database.
DB_META = "edunews.db"


def problem_line(error: BaseException) -> str | None:
    """One line for an error a user can act on that reached the top of a command (a database fault
    met mid-command, such as a write refused), or None for anything else (a bug keeps its traceback)."""
    from_db = sys.modules.get("pipelines.db")
    if from_db is not None and isinstance(error, from_db.DatabaseProblem | from_db.StorageUnavailable):
        return str(error)
    if "sqlalchemy" in sys.modules and from_db is not None:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(error, SQLAlchemyError):
            db = click.get_current_context(silent=True)
            return from_db.explain(error, from_db.database_url(db.meta.get(DB_META) if db else None))
    return None


def _remember_db(context: click.Context, parameter: click.Parameter, value: str | None) -> str | None:
    context.meta[DB_META] = value
    return value


db_option = click.option(
    "--db",
    envvar="EDUNEWS_DB",
    callback=_remember_db,
    help="Database: a SQLAlchemy URL or a SQLite file path. [default: $EDUNEWS_DB, else ./edunews.sqlite]",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of a table.")

#: ``-s NAME=VALUE``, for the commands that run the crawler's parts (crawl, replay).
set_option = click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a setting of crawler/settings.py, e.g. -s DOWNLOAD_DELAY=2 (repeatable).",
)


def setting_pairs(settings: tuple[str, ...]) -> dict[str, str]:
    """The ``-s NAME=VALUE`` pairs as settings. A pair without ``=`` or a name, or a value the setting
    cannot take, or a name of edunews's own that is none (see :func:`setting_problem`), ends the command
    in one line before it starts."""
    overrides = {}
    for pair in settings:
        name, separator, value = pair.partition("=")
        if not separator or not name.strip():
            fail(f"-s takes NAME=VALUE, got {pair!r}")
        overrides[name.strip()] = value
    if overrides:
        from crawler.config import project_settings

        defaults = project_settings()
        for problem in filter(None, (setting_problem(name, value, defaults) for name, value in overrides.items())):
            fail(problem)
    return overrides


#: Set in the environment, not with ``-s``: read by every process that extracts, before any settings.
ENVIRONMENT_ONLY = frozenset({"EDUNEWS_EXTRACT_TIMEOUT"})


def setting_problem(name: str, value: str, defaults: Settings) -> str | None:
    """Why ``value`` cannot be the setting ``name`` (``defaults`` are the project's settings), or None: a
    setting whose default is a number or a yes/no takes one. ``DOWNLOAD_TIMEOUT=abc`` was taken, and the
    crawl ended before it began, with nothing fetched, nothing said and exit 0."""
    if name in ENVIRONMENT_ONLY:
        return f"{name} is set in the environment, not with -s: {name}={value} edunews ..."
    unknown = unknown_setting_problem(name, defaults)
    if unknown:
        return unknown
    default = defaults.get(name)
    if isinstance(default, bool):
        if value.strip() not in ("0", "1", "True", "False", "true", "false"):
            return f"-s {name} takes 0/1 or true/false, not {value!r}"
    elif isinstance(default, int | float):
        try:
            float(value)  # (settings read as floats may default to a whole number: DOWNLOAD_TIMEOUT)
        except ValueError:
            return f"-s {name} takes a number, not {value!r}"
    return None


#: The prefix of edunews's own settings, every one defined in crawler/settings.py.
OWN_PREFIX = "EDUNEWS_"


def unknown_setting_problem(name: str, defaults: Settings) -> str | None:
    """Why ``name``, under edunews's own prefix, is no setting, naming the closest one, or None. Scrapy
    takes any name, so ``-s EDUNEWS_BATCH_SIZ=10`` ran with the default and said nothing; other names
    are Scrapy's (or an extension's) to know, and pass."""
    if not name.upper().startswith(OWN_PREFIX) or name in defaults:
        return None
    # Compared without the prefix they share, which would make every name look close to any other.
    known = [known.removeprefix(OWN_PREFIX) for known in [*defaults, *ENVIRONMENT_ONLY] if known.startswith(OWN_PREFIX)]
    closest = difflib.get_close_matches(name.upper().removeprefix(OWN_PREFIX), known, n=1)
    hint = f"did you mean {OWN_PREFIX}{closest[0]}?" if closest else "edunews's own are listed in crawler/settings.py"
    return f"-s {name}: no such setting ({hint})"


#: The most articles one command lists: more than any database holds, and within SQL's 64-bit LIMIT.
MAX_LIMIT = 2**62


def _positive_limit(ctx: click.Context, param: click.Parameter, value: int) -> int:
    """A ``--limit`` of 1 or more. SQL reads a negative LIMIT as none at all: ``--limit -5`` printed
    every article."""
    if value < 1:
        fail(f"--limit must be 1 or more, not {value}", EXIT_UNUSABLE)
    return min(value, MAX_LIMIT)


limit_option = click.option(
    "--limit", type=int, default=50, show_default=True, callback=_positive_limit, help="At most this many articles."
)
