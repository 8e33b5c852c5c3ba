"""``edunews schedule ...`` and ``edunews scheduler``: repeated crawls, kept in the database."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING

import click

from edunews.common import (
    EXIT_UNUSABLE,
    db_option,
    fail,
    json_option,
    open_for_reading,
    open_for_writing,
    setting_pairs,
    stdout_console,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pipelines.models import Schedule

__all__ = ["schedule", "scheduler"]

#: The scheduler library's logger (edunews.scheduler), named here so that start-up need not import it.
SCHEDULER_LOGGER = "edunews.scheduler"


def library() -> ModuleType:
    """The scheduler library (croniter, SQLAlchemy), imported when a schedule command runs."""
    from edunews import scheduler

    return scheduler


def shown(moment: datetime | None) -> str:
    """A time the scheduler recorded, in UTC to the second (a schedule can be as short as 1s)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def state(schedule: Schedule) -> str:
    """``paused``, ``running`` or ``active``, as the web page's schedule list shows it."""
    if schedule.paused:
        return "paused"
    return "running" if schedule.running_since else "active"


@click.group()
def schedule() -> None:
    """Add, list, pause, resume and remove scheduled crawls; `edunews scheduler` runs them.

    \b
    Example:
      edunews schedule add moe-news --profile moe --every 6h
    """


@schedule.command("add")
@click.argument("name")
@click.option("--profile", required=True, help="A bundled site profile's name or a profile .toml file.")
@click.option("--cron", help="When to run, as a five-field cron expression read in UTC, e.g. '0 */6 * * *'.")
@click.option("--every", help="Or a fixed interval: 90s, 15m, 6h, 1d, 1h30m.")
@db_option
def add_command(name: str, profile: str, cron: str | None, every: str | None, db: str | None) -> None:
    """Add a schedule NAME that crawls a site profile by a cron expression or at a fixed interval.

    The first run is the first slot from now. A run that is missed (the scheduler was down, or the
    previous run took longer) happens once when possible, and the next is counted from then.

    \b
    Examples:
      edunews schedule add moe-news --profile moe --every 6h
      edunews schedule add bureau --profile my-bureau.toml --cron "30 1 * * *"
    """
    if (cron is None) == (every is None):
        fail("give exactly one of --cron or --every", EXIT_UNUSABLE)
    try:
        added = write(db, lambda session: library().add_schedule(session, name, profile, cron=cron, every=every))
    except ValueError as error:
        fail(str(error), EXIT_UNUSABLE)
    when, next_at = library().describe_when(added), shown(added.next_run_at)
    click.echo(f"added schedule {name!r}: {when}, first run {next_at} UTC")


@schedule.command("list")
@db_option
@json_option
def list_command(db: str | None, as_json: bool) -> None:
    """Every schedule: profile, timing, next run, last run and how it ended.

    \b
    Examples:
      edunews schedule list
      edunews schedule list --json
    """
    with open_for_reading(db)() as session:
        schedules = library().list_schedules(session)
    if as_json:
        click.echo(json.dumps([library().schedule_record(s) for s in schedules], ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(title="schedules (times in UTC)")
    for column in ("name", "profile", "when", "state", "next run", "last run", "last outcome"):
        # On a narrow terminal, profile paths fold and times break at the space; the rest stays whole.
        whole = column in ("name", "when", "state")
        table.add_column(column, overflow="fold", no_wrap=whole)
    for s in schedules:
        table.add_row(
            s.name,
            s.profile,
            library().describe_when(s),
            state(s),
            shown(s.next_run_at),
            shown(s.last_run_at),
            s.last_outcome or "",
        )
    stdout_console().print(table)


def write(db: str | None, action: Callable[[Session], Schedule]) -> Schedule:
    """Apply one library change in a transaction of its own, waiting for a crawl that is storing
    into the same database; a database that stays locked is one line."""
    from pipelines.db import StorageUnavailable

    try:
        return library().in_one_write(open_for_writing(db, spool=False), action)
    except StorageUnavailable as error:
        fail(str(error))


def change(db: str | None, name: str, action: Callable[[Session, str], Schedule]) -> Schedule:
    """Apply one library change to schedule NAME; an unknown name is one line and exit 2."""
    try:
        return write(db, lambda session: action(session, name))
    except library().ScheduleError as error:
        fail(str(error), EXIT_UNUSABLE)


@schedule.command("remove")
@click.argument("name")
@db_option
def remove_command(name: str, db: str | None) -> None:
    """Remove schedule NAME and its run history (a crawl it is running goes on to its end).

    \b
    Example:
      edunews schedule remove moe-news
    """
    removed = change(db, name, library().remove_schedule)
    running = f" (its running crawl, pid {removed.running_pid}, goes on to its end)" if removed.running_pid else ""
    click.echo(f"removed schedule {name!r}{running}")


@schedule.command("pause")
@click.argument("name")
@db_option
def pause_command(name: str, db: str | None) -> None:
    """Stop starting runs of schedule NAME until it is resumed; a running crawl is left to finish.

    \b
    Example:
      edunews schedule pause moe-news
    """
    change(db, name, library().pause)
    click.echo(f"paused schedule {name!r}")


@schedule.command("resume")
@click.argument("name")
@db_option
def resume_command(name: str, db: str | None) -> None:
    """Start runs of schedule NAME again; a run missed while it was paused happens once, soon.

    \b
    Example:
      edunews schedule resume moe-news
    """
    resumed = change(db, name, library().resume)
    click.echo(f"resumed schedule {name!r}: next run {shown(resumed.next_run_at)} UTC")


def log_to_stderr(level: int) -> None:
    """The scheduler's own log lines on stderr, timestamped; other libraries' (migrations) stay quiet."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s scheduler: %(message)s", "%Y-%m-%d %H:%M:%S"))
    logger = logging.getLogger(SCHEDULER_LOGGER)
    logger.addHandler(handler)
    logger.setLevel(level)


def crawl_settings(pairs: tuple[str, ...]) -> list[str]:
    """``-s NAME=VALUE`` pairs as crawl arguments, checked now: a typo would otherwise fail every crawl."""
    setting_pairs(pairs)
    return [arg for pair in pairs for arg in ("-s", pair)]


@click.command()
@db_option
@click.option(
    "--poll",
    type=click.FloatRange(min=0.05),
    default=5.0,
    show_default=True,
    help="Seconds between looks for due schedules and ended crawls.",
)
@click.option(
    "--stop-timeout",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    help="Seconds running crawls get to stop gracefully on shutdown before they are terminated.",
)
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="A crawl setting passed to every crawl, e.g. -s DOWNLOAD_DELAY=2 (repeatable); "
    "EDUNEWS_SCHEDULER_LEASE and _HEARTBEAT set the scheduler's leases too.",
)
@click.option("--quiet", is_flag=True, help="Log only problems, not each run started and ended.")
@click.option(
    "--scrapyd",
    envvar="EDUNEWS_SCRAPYD",
    metavar="URL",
    help="Hand due crawls to this Scrapyd as jobs (the project deployed there) instead of local processes.",
)
def scheduler(
    db: str | None, poll: float, stop_timeout: float, settings: tuple[str, ...], quiet: bool, scrapyd: str | None
) -> None:
    """Run the schedules' crawls when due, each in its own process, until stopped.

    One run of a schedule at a time; a missed run happens once. Ctrl-C or SIGTERM stops it gracefully:
    no new runs start, running crawls are asked to stop (they resume next time) and their outcome is
    recorded. A second Ctrl-C stops them at once. Everything is kept in the database, so a scheduler
    started again carries on where the last one was.

    \b
    Examples:
      edunews scheduler
      edunews scheduler --db sqlite:///data/news.db -s DOWNLOAD_DELAY=2
      edunews scheduler --db postgresql+psycopg://crawl@db/news --scrapyd http://127.0.0.1:6800
    """
    crawl_args = crawl_settings(settings)
    if scrapyd is not None:
        from crawler.extraction.profiles import start_url_problem

        problem = start_url_problem(scrapyd)
        if problem:
            fail(f"--scrapyd {problem}", EXIT_UNUSABLE)
    sessions = open_for_writing(db, spool=False)
    log_to_stderr(logging.WARNING if quiet else logging.INFO)
    from pipelines.db import database_url, shown_url

    try:
        runner = library().Scheduler(
            db, poll_seconds=poll, crawl_args=crawl_args, stop_timeout=stop_timeout, scrapyd=scrapyd
        )
    except library().ScheduleError as error:
        fail(str(error), EXIT_UNUSABLE)
    with sessions() as session:
        if not library().list_schedules(session):  # a mistyped --db makes a new, empty database
            click.echo(
                f"edunews: no schedules in {shown_url(database_url(db))} yet: add one with "
                "edunews schedule add NAME --profile PROFILE --every 6h (this scheduler will run it)",
                err=True,
            )
    click.echo(f"scheduler on {shown_url(database_url(db))} (Ctrl-C to stop)", err=True)
    stop, force = threading.Event(), threading.Event()
    with library().stop_on_signals(stop, force):
        runner.run(stop, force)
