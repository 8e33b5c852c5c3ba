"""Scheduled crawls: schedules kept in the database, and the loop that runs each due one in its own process."""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from types import FrameType
from typing import IO, Any, TypeVar

from croniter import croniter  # type: ignore[import-untyped]
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crawler.extraction.profiles import load_profile
from pipelines.db import (
    DB_ENV,
    StorageUnavailable,
    database_url,
    one_writer_at_a_time,
    open_database,
    shown_url,
    sqlite_path,
    with_retry,
)
from pipelines.models import CrawlRun, Schedule, ScheduleRun

log = logging.getLogger(__name__)
T = TypeVar("T")

OK = "ok"
INTERRUPTED = "interrupted"
#: A crawl that finished but some of its pages failed (exit code 1); the failures follow in brackets.
FAILURES = "failures"
#: The crawl's exit code for "finished, but some input failed" (edunews.common.EXIT_FAILURES).
EXIT_FAILURES = 1
#: The longest interval a schedule may have: longer ones are typos (and overflow date arithmetic).
MAX_EVERY_SECONDS = 3650 * 86400

#: ``1h30m``: units largest first, each at most once, whole numbers only.
EVERY = re.compile(r"(?:(?P<d>\d+)\s*d)?\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m)?\s*(?:(?P<s>\d+)\s*s)?")
UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
EVERY_HINT = "use a whole number and a unit, largest first: 90s, 15m, 6h, 1d, 1h30m"
CRON_HINT = "five fields: minute hour day-of-month month day-of-week, e.g. '0 */6 * * *', or @hourly/@daily/@weekly"
#: The host a scheduler names in its leases when the setting does not say (else the host name).
HOST_ENV = "EDUNEWS_SCHEDULER_HOST"
#: After SIGTERM, how long a crawl gets before it is killed outright.
KILL_GRACE_SECONDS = 10.0


class ScheduleError(ValueError):
    """A schedule request that cannot be carried out; the message says why, in one line."""


class UnknownSchedule(ScheduleError):
    """No schedule has that name."""


class DuplicateSchedule(ScheduleError):
    """A schedule with that name exists already: names are how users refer to schedules."""


# -- when: intervals and cron expressions -------------------------------------------------------------


def parse_every(text: str) -> int:
    """Seconds in an interval as people type it (``90s``, ``15m``, ``6h``, ``1d``, ``1h30m``). A bare
    number is refused rather than guessed at: ``6`` could mean hours to one user and seconds to another."""
    cleaned = text.strip().lower()
    match = EVERY.fullmatch(cleaned)
    if not cleaned or match is None or not any(match.groupdict().values()):
        raise ValueError(f"not an interval: {text!r} ({EVERY_HINT})")
    seconds = sum(int(value) * UNIT_SECONDS[unit] for unit, value in match.groupdict().items() if value)
    if seconds < 1:
        raise ValueError(f"interval {text!r} is zero; it must be at least 1s")
    if seconds > MAX_EVERY_SECONDS:
        raise ValueError(f"interval {text!r} is too long; it must be at most {MAX_EVERY_SECONDS // 86400}d")
    return seconds


def format_every(seconds: int) -> str:
    """An interval the way it was probably typed (``5400`` → ``1h30m``): the inverse of :func:`parse_every`."""
    parts = []
    for unit, size in UNIT_SECONDS.items():
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def validate_cron(expression: str) -> str:
    """The expression, trimmed, if croniter reads it as a standard five-field cron line. Six- and
    seven-field forms are refused: tools disagree on whether the extra field is seconds or years."""
    cleaned = " ".join(expression.split())
    fields = cleaned.split(" ")
    standard = len(fields) == 5 or (len(fields) == 1 and cleaned.startswith("@"))
    if not standard or not croniter.is_valid(cleaned):
        raise ValueError(f"not a valid cron expression: {expression!r} ({CRON_HINT})")
    try:  # valid syntax can still name no real day, e.g. 30 February
        croniter(cleaned, datetime(2000, 1, 1, tzinfo=UTC)).get_next(datetime)
    except ValueError as error:
        raise ValueError(f"cron expression {expression!r} never matches a date") from error
    return cleaned


def next_run(schedule: Schedule, after: datetime) -> datetime:
    """When ``schedule`` runs next after ``after``: the next cron slot (read in UTC), or ``after`` plus
    the interval. Computed from the actual time, so missed slots are never queued up."""
    after = after.astimezone(UTC)
    if schedule.cron:
        following: datetime = croniter(validate_cron(schedule.cron), after).get_next(datetime)
        return following.astimezone(UTC)
    if schedule.every_seconds:
        return after + timedelta(seconds=schedule.every_seconds)
    raise ScheduleError(f"schedule {schedule.name!r} has neither a cron expression nor an interval")


def describe_when(schedule: Schedule) -> str:
    """``every 6h`` or the cron expression: how a schedule's timing is shown."""
    if schedule.cron:
        return schedule.cron
    return f"every {format_every(schedule.every_seconds or 0)}"


# -- schedules over the models ---------------------------------------------------------------------------


def resolve_profile(profile: str) -> str:
    """A profile as the scheduler should store it: a file becomes an absolute path (the scheduler may run
    from another folder); a bundled name must exist, so a typo fails now rather than at 3 a.m."""
    path = Path(profile).expanduser()
    if path.suffix == ".toml":
        if not path.is_file():
            raise ScheduleError(f"profile file not found: {profile}")
        profile = str(path.resolve())
    try:
        load_profile(profile)
    except ValueError as error:
        raise ScheduleError(str(error)) from error
    return profile


def get_schedule(session: Session, name: str) -> Schedule:
    schedule = session.scalars(select(Schedule).where(Schedule.name == name)).one_or_none()
    if schedule is None:
        known = ", ".join(session.scalars(select(Schedule.name).order_by(Schedule.name))) or "none yet"
        raise UnknownSchedule(f"no schedule named {name!r} (known: {known})")
    return schedule


def add_schedule(
    session: Session,
    name: str,
    profile: str,
    *,
    cron: str | None = None,
    every: str | int | None = None,
    now: datetime | None = None,
) -> Schedule:
    """A new schedule crawling ``profile`` by a cron expression or every ``every`` (``"6h"`` or seconds);
    its first run is the first slot after ``now``."""
    if (cron is None) == (every is None):
        raise ScheduleError("give exactly one of a cron expression or an interval (--cron or --every)")
    name = name.strip()
    if not name:
        raise ScheduleError("a schedule needs a name")
    if session.scalars(select(Schedule.id).where(Schedule.name == name)).first() is not None:
        raise DuplicateSchedule(f"a schedule named {name!r} exists already (remove it first to change it)")
    now = now or datetime.now(UTC)
    schedule = Schedule(
        name=name,
        profile=resolve_profile(profile),
        cron=validate_cron(cron) if cron is not None else None,
        every_seconds=(every if isinstance(every, int) else parse_every(every)) if every is not None else None,
        paused=False,
        created_at=now,
    )
    if schedule.every_seconds is not None and schedule.every_seconds < 1:
        raise ScheduleError("the interval must be at least 1s")
    schedule.next_run_at = next_run(schedule, now)
    session.add(schedule)
    session.flush()
    return schedule


def remove_schedule(session: Session, name: str) -> Schedule:
    """Delete a schedule and its run history. A crawl it is running goes on to its end, unrecorded."""
    schedule = get_schedule(session, name)
    session.delete(schedule)
    session.flush()
    return schedule


def in_one_write(sessions: sessionmaker[Session], action: Callable[[Session], T]) -> T:
    """Run ``action`` in a transaction that no other writer interleaves, tried again while the
    database stays locked (:class:`StorageUnavailable` when it never frees). Every schedule change
    reads a schedule and then writes it: begun plainly on SQLite, the write failed at once with
    "database is locked" whenever a crawl committed articles in between."""

    def attempt() -> T:
        with sessions.begin() as session:
            one_writer_at_a_time(session)
            return action(session)

    return with_retry(attempt, attempts=4, first_delay=0.2)


def pause(session: Session, name: str) -> Schedule:
    """Stop starting runs of a schedule; a run in progress is left to finish."""
    schedule = get_schedule(session, name)
    schedule.paused = True
    return schedule


def resume(session: Session, name: str) -> Schedule:
    """Start runs again. A slot missed while paused runs once, as any missed run does."""
    schedule = get_schedule(session, name)
    schedule.paused = False
    return schedule


def list_schedules(session: Session) -> list[Schedule]:
    """Every schedule by name; each carries its next run, last run and last outcome."""
    return list(session.scalars(select(Schedule).order_by(Schedule.name)))


def schedule_runs(session: Session, name: str) -> list[ScheduleRun]:
    """A schedule's runs, oldest first."""
    schedule = get_schedule(session, name)
    return list(session.scalars(select(ScheduleRun).where(ScheduleRun.schedule_id == schedule.id).order_by("id")))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def schedule_record(schedule: Schedule) -> dict[str, Any]:
    """A schedule as plain JSON-ready data, times in ISO 8601 UTC."""
    return {
        "name": schedule.name,
        "profile": schedule.profile,
        "cron": schedule.cron,
        "every_seconds": schedule.every_seconds,
        "when": describe_when(schedule),
        "paused": schedule.paused,
        "created_at": _iso(schedule.created_at),
        "next_run_at": _iso(schedule.next_run_at),
        "last_run_at": _iso(schedule.last_run_at),
        "last_outcome": schedule.last_outcome,
        "running_since": _iso(schedule.running_since),
        "running_pid": schedule.running_pid,
    }


# -- runs: outcomes and crawl processes -----------------------------------------------------------------


def crawl_command(profile: str, extra_args: Sequence[str] = ()) -> list[str]:
    """The command line of one scheduled crawl. The database goes through ``$EDUNEWS_DB`` instead, so a
    password in its URL does not show in ``ps``."""
    return [sys.executable, "-m", "edunews", "crawl", "--profile", profile, "--json", *extra_args]


def crawl_run_id(output: str) -> int | None:
    """The ``crawl_runs`` id a crawl printed (``--json``: ``stats["edunews/run_id"]``), if it printed one."""
    try:
        value = json.loads(output)["stats"]["edunews/run_id"]
    except (ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, int) else None


def failures_of(output: str) -> str:
    """What failed in a crawl, from its ``--json`` output: ``http-404 1, connection-refused-error 2``."""
    try:
        entries = json.loads(output)["not_stored"]
        reasons = [entry["reason"] for entry in entries if entry["kind"] == "failed"]
    except (ValueError, KeyError, TypeError):
        return ""
    counts = {reason: reasons.count(reason) for reason in sorted(set(reasons))}
    return ", ".join(f"{reason} {count}" for reason, count in counts.items())


def outcome_of(exit_code: int, *, stopped: bool, finish_reason: str | None, failures: str = "") -> str:
    """How a run ended, in a word or two. A crawl that was asked to stop reports ``interrupted`` (it
    stopped early and resumes next time) unless Scrapy had recorded it as finished before the signal
    came; one that finished with failed pages (exit 1) reports ``failures`` and what failed."""
    if exit_code == EXIT_FAILURES and finish_reason == "finished":
        return f"{FAILURES} ({failures})" if failures else FAILURES
    if finish_reason == "finished" and (exit_code == 0 or stopped):
        return OK  # the crawl had ended when the stop reached the process on its way out
    if exit_code == 0:
        return INTERRUPTED if finish_reason == "shutdown" or stopped else OK
    if stopped or (exit_code == EXIT_FAILURES and finish_reason == "shutdown"):
        return INTERRUPTED
    if exit_code < 0:
        return f"failed (signal {-exit_code})"
    return f"failed (exit {exit_code})"


def ended_outcome(crawl: CrawlRun | None) -> str:
    """The outcome of a run whose scheduler is gone, from the crawl run it linked as it started: a crawl
    that went on and finished is ``ok`` (or ``failures`` and what failed), not ``interrupted``."""
    if crawl is None or crawl.finish_reason != "finished":
        return INTERRUPTED
    failed = ", ".join(f"{reason} {count}" for reason, count in sorted(crawl.errors.items()))
    return f"{FAILURES} ({failed})" if failed else OK


def end_lapsed_run(session: Session, run: ScheduleRun, now: datetime) -> str:
    """End a run nobody answers for any more, as the crawl it linked ended (see :func:`ended_outcome`),
    and free its schedule. Returns the schedule's name."""
    crawl = session.get(CrawlRun, run.crawl_run_id) if run.crawl_run_id is not None else None
    run.outcome = ended_outcome(crawl)
    run.finished_at = crawl.finished_at if crawl is not None and crawl.finished_at else now
    schedule = session.get_one(Schedule, run.schedule_id)
    schedule.last_run_at, schedule.last_outcome = run.started_at, run.outcome
    schedule.running_since = schedule.running_pid = None
    return schedule.name


@dataclass(frozen=True)
class Claim:
    """A due schedule this scheduler has marked as running, and the run row recorded for it."""

    schedule_id: int
    name: str
    profile: str
    run_id: int


@dataclass(frozen=True)
class Lease:
    """How a scheduler holds its runs: under its own name, for ``seconds`` after each renewal, renewed
    every ``heartbeat`` seconds (by the run's crawl too)."""

    owner: str
    seconds: float
    heartbeat: float

    def until(self, now: datetime) -> datetime:
        return now + timedelta(seconds=self.seconds)


def scheduler_name(host: str) -> str:
    """``host:pid:random``: the host and pid say where the scheduler runs, to people reading the
    database; the random part tells apart two schedulers that two containers gave the same name and pid."""
    return f"{host}:{os.getpid()}:{secrets.token_hex(4)}"


def setting_overrides(crawl_args: Sequence[str]) -> dict[str, str]:
    """The ``-s NAME=VALUE`` settings among a crawl's arguments."""
    pairs = [arg.partition("=") for flag, arg in zip(crawl_args[::2], crawl_args[1::2], strict=True) if flag == "-s"]
    return {name: value for name, _, value in pairs}


def lease_for(crawl_args: Sequence[str]) -> Lease:
    """A new scheduler's lease, from the settings its crawls get too (``-s EDUNEWS_SCHEDULER_LEASE=...``):
    scheduler and crawl renew one lease, so they must agree on its length."""
    from crawler.config import project_settings

    settings = project_settings(setting_overrides(crawl_args))
    seconds, heartbeat = settings.getfloat("EDUNEWS_SCHEDULER_LEASE"), settings.getfloat("EDUNEWS_SCHEDULER_HEARTBEAT")
    if not 0 < heartbeat < seconds:
        raise ScheduleError(
            f"EDUNEWS_SCHEDULER_HEARTBEAT ({heartbeat:g}) must be above 0 and below EDUNEWS_SCHEDULER_LEASE "
            f"({seconds:g}): a lease must be renewed before it lapses"
        )
    host = settings.get("EDUNEWS_SCHEDULER_HOST") or os.environ.get(HOST_ENV) or socket.gethostname()
    return Lease(scheduler_name(host), seconds, heartbeat)


def claim_due(session: Session, now: datetime, lease: Lease) -> list[Claim]:
    """Mark every due schedule (next run passed, not paused, not running) as running and record a run
    for its slot under ``lease``. The conditional update makes the claim safe against other schedulers
    on the same database, on any host: of two racing for one schedule, one updates it. The next run is
    computed from now: a schedule that missed many slots runs once, not once per slot."""
    due = select(Schedule).where(
        Schedule.next_run_at <= now, Schedule.paused.is_(False), Schedule.running_since.is_(None)
    )
    claims = []
    for schedule in list(session.scalars(due)):
        slot = schedule.next_run_at
        claimed = session.execute(
            update(Schedule)
            .where(Schedule.id == schedule.id, Schedule.running_since.is_(None), Schedule.paused.is_(False))
            .values(running_since=now, running_pid=None, next_run_at=next_run(schedule, now))
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        run = ScheduleRun(
            schedule_id=schedule.id,
            due_at=slot,
            started_at=now,
            lease_owner=lease.owner,
            lease_expires_at=lease.until(now),
        )
        session.add(run)
        session.flush()
        claims.append(Claim(schedule.id, schedule.name, schedule.profile, run.id))
    return claims


def take_over_lapsed(
    session: Session, now: datetime, lease: Lease, own: Collection[int], *, asks_scrapyd: bool
) -> tuple[list[str], list[ScrapydRun]]:
    """Take the lease of every open run nobody renewed in time (its scheduler and its crawl are gone,
    or its Scrapyd job has not started its crawl). The conditional update gives each run to one of the
    schedulers racing for it. A local run ends there, as its crawl ended; a Scrapyd run is returned for
    the caller to ask Scrapyd how its job is, outside the transaction. A Scrapyd run is left alone by a
    scheduler that cannot ask Scrapyd: it cannot tell the job ended. ``own`` are ids of schedules this
    scheduler is running. Returns the names of the schedules freed and the Scrapyd runs taken."""
    lapsed = or_(ScheduleRun.lease_expires_at.is_(None), ScheduleRun.lease_expires_at < now)
    candidates = select(ScheduleRun).where(ScheduleRun.finished_at.is_(None), lapsed).order_by(ScheduleRun.id)
    freed, jobs = [], []
    for run in list(session.scalars(candidates)):
        if run.schedule_id in own or (run.scrapyd_job and not asks_scrapyd):
            continue
        taken = session.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == run.id, ScheduleRun.finished_at.is_(None), lapsed)
            .values(lease_owner=lease.owner, lease_expires_at=lease.until(now))
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            continue
        if run.scrapyd_job is None:
            freed.append(end_lapsed_run(session, run, now))
            continue
        schedule = session.get_one(Schedule, run.schedule_id)
        claim = Claim(schedule.id, schedule.name, schedule.profile, run.id)
        jobs.append(ScrapydRun(claim, run.scrapyd_job, run.started_at - timedelta(seconds=1)))
    return freed, jobs


def record_job(session: Session, run_id: int, job: str) -> None:
    """Note on a run the Scrapyd job carrying it out: after a restart, that job is what is asked after."""
    session.execute(update(ScheduleRun).where(ScheduleRun.id == run_id).values(scrapyd_job=job))


def record_pid(session: Session, schedule_id: int, pid: int) -> None:
    session.execute(update(Schedule).where(Schedule.id == schedule_id).values(running_pid=pid))


def record_end(
    session: Session,
    claim: Claim,
    finished_at: datetime,
    *,
    exit_code: int | None,
    outcome: str,
    crawl_run: int | None,
) -> None:
    """Close a run and free its schedule. A schedule removed meanwhile is simply gone; a run another
    scheduler recorded meanwhile (it took over the lease this one failed to renew) is left as it is:
    its schedule may already be running again."""
    run = session.get(ScheduleRun, claim.run_id)
    if run is not None and run.finished_at is not None:
        return
    if run is not None:
        run.finished_at, run.exit_code, run.outcome, run.crawl_run_id = finished_at, exit_code, outcome, crawl_run
    schedule = session.get(Schedule, claim.schedule_id)
    if schedule is not None:
        schedule.running_since = schedule.running_pid = None
        schedule.last_run_at = run.started_at if run is not None else finished_at
        schedule.last_outcome = outcome


def finish_reason(session: Session, crawl_run: int | None) -> str | None:
    run = session.get(CrawlRun, crawl_run) if crawl_run is not None else None
    return run.finish_reason if run is not None else None


# -- the scheduler loop -----------------------------------------------------------------------------------


@dataclass
class Child:
    """A crawl process this scheduler started and has not yet recorded the end of."""

    claim: Claim
    process: subprocess.Popen[bytes]
    output: IO[bytes]
    """The crawl's stdout, in a file rather than a pipe: a pipe left unread would block a chatty crawl."""
    exit_code: int | None = None
    stop_sent: float | None = None
    """``time.monotonic()`` when SIGINT was forwarded; None while it runs undisturbed."""
    terminate_sent: float | None = None


def record_child(session: Session, child: Child, finished_at: datetime) -> str:
    """Record how an ended crawl went: exit code, outcome, the crawl run it printed. Returns the outcome."""
    assert child.exit_code is not None
    child.output.seek(0)
    output = child.output.read().decode("utf-8", "replace")
    crawl_run = crawl_run_id(output)
    reason = finish_reason(session, crawl_run)
    stopped = child.stop_sent is not None
    outcome = outcome_of(child.exit_code, stopped=stopped, finish_reason=reason, failures=failures_of(output))
    record_end(session, child.claim, finished_at, exit_code=child.exit_code, outcome=outcome, crawl_run=crawl_run)
    return outcome


@dataclass
class ScrapydRun:
    """A crawl this scheduler handed to Scrapyd and has not yet recorded the end of."""

    claim: Claim
    job: str
    claimed_at: datetime


def scrapyd_settings(db_url: str, crawl_args: Sequence[str], run_id: int) -> dict[str, str]:
    """The Scrapy settings of a crawl run by Scrapyd: the database, every ``-s NAME=VALUE``, and the
    schedule run, which the crawl links and whose lease it renews while it runs. A SQLite file named
    relative to here is named whole: the job runs in Scrapyd's folder, not in this one."""
    path = sqlite_path(db_url)
    db = f"sqlite:///{path.resolve()}" if path is not None and not path.is_absolute() else db_url
    return {"EDUNEWS_DB": db} | setting_overrides(crawl_args) | {"EDUNEWS_SCHEDULE_RUN": str(run_id)}


def record_scrapyd_run(session: Session, run: ScrapydRun, finished_at: datetime) -> str:
    """Record a finished Scrapyd job from the crawl run it wrote (the newest of its profile since it was
    claimed): outcome and failures as for a local crawl, and the job id. Returns the outcome."""
    name = load_profile(run.claim.profile).name
    crawl = session.scalars(
        select(CrawlRun)
        .where(CrawlRun.profile == name, CrawlRun.started_at >= run.claimed_at)
        .order_by(CrawlRun.id.desc())
    ).first()
    if crawl is None:
        outcome = "failed (no crawl run recorded)"
    else:
        failures = ", ".join(f"{reason} {count}" for reason, count in sorted((crawl.errors or {}).items()))
        exit_code = EXIT_FAILURES if failures else 0
        outcome = outcome_of(exit_code, stopped=False, finish_reason=crawl.finish_reason, failures=failures)
    outcome = f"{outcome} [scrapyd job {run.job}]"
    record_end(session, run.claim, finished_at, exit_code=None, outcome=outcome, crawl_run=crawl.id if crawl else None)
    return outcome


class Scheduler:
    """Runs due schedules, each crawl in its own process (or as a Scrapyd job), until stopped. All state
    is in the database, runs are held there under leases (see :class:`Lease`): a scheduler started
    again, or others on any host, carry on from it and never run one schedule twice at once."""

    def __init__(
        self,
        db: str | None = None,
        *,
        poll_seconds: float = 5.0,
        crawl_args: Sequence[str] = (),
        stop_timeout: float = 60.0,
        scrapyd: str | None = None,
    ) -> None:
        """``crawl_args`` are added to every crawl's command line (``-s NAME=VALUE``, ``--archive DIR``);
        ``stop_timeout`` is how long running crawls get to stop gracefully before SIGTERM. With
        ``scrapyd`` (its URL), due crawls are scheduled there as jobs instead of run here; only the
        ``-s`` settings of ``crawl_args`` go with them. The lease settings are read from those too."""
        self.lease = lease_for(crawl_args)
        self.renewed = time.monotonic()
        self.db_url = database_url(db)
        self.sessions: sessionmaker[Session] = open_database(self.db_url)
        self.poll_seconds = poll_seconds
        self.crawl_args = tuple(crawl_args)
        self.stop_timeout = stop_timeout
        self.children: dict[int, Child] = {}
        self.scrapyd = scrapyd
        self.jobs: dict[int, ScrapydRun] = {}

    def run(self, stop: threading.Event, force: threading.Event | None = None) -> None:
        """Check for due schedules and ended crawls every ``poll_seconds`` until ``stop`` is set; then
        stop the running crawls gracefully (all at once if ``force`` gets set) and record them."""
        log.info("scheduler %s started on %s", self.lease.owner, shown_url(self.db_url))
        try:
            while not stop.is_set():
                self.tick()
                stop.wait(self.poll_seconds)
        finally:  # even after an unexpected error, no crawl is left running unrecorded
            self.shutdown(force or threading.Event())
        log.info("scheduler stopped")

    def tick(self) -> None:
        """One round: record ended crawls, renew this scheduler's leases, take over the runs nobody
        renewed, start the due ones. A database that stays locked is logged and tried again next round,
        not fatal."""
        try:
            self.collect()
            self.renew()
            now = datetime.now(UTC)
            own = set(self.children) | set(self.jobs)
            take = partial(take_over_lapsed, now=now, lease=self.lease, own=own, asks_scrapyd=bool(self.scrapyd))
            freed, jobs = in_one_write(self.sessions, take)
            for name in freed:
                log.warning("schedule %r: nobody renewed its run's lease; the run is recorded as its crawl ended", name)
            for run in jobs:
                self.adopt(run)
            claims = in_one_write(self.sessions, lambda session: claim_due(session, datetime.now(UTC), self.lease))
            for claim in claims:
                if self.scrapyd:
                    self.hand_over(claim)
                else:
                    self.launch(claim)
        except (StorageUnavailable, OperationalError) as error:
            log.warning("database unavailable, trying again in %ss: %s", self.poll_seconds, error)
        except IntegrityError as error:  # the unique slot: another scheduler claimed it, however that came about
            log.warning("a due run was claimed elsewhere: %s", error)

    def renew(self) -> None:
        """The heartbeat: push this scheduler's leases on, every ``lease.heartbeat`` seconds."""
        from pipelines.storage import renew_lease  # the store's module, imported only by a running scheduler

        if time.monotonic() - self.renewed < self.lease.heartbeat:
            return
        until = self.lease.until(datetime.now(UTC))
        in_one_write(self.sessions, lambda session: renew_lease(session, until, owner=self.lease.owner))
        self.renewed = time.monotonic()

    def launch(self, claim: Claim) -> None:
        """Start one claimed run's crawl in its own process and session: a Ctrl-C at the terminal reaches
        only the scheduler, which forwards exactly one SIGINT (a second one would make Scrapy abort)."""
        output = tempfile.TemporaryFile()
        environment = {**os.environ, DB_ENV: self.db_url}
        try:
            process = subprocess.Popen(
                crawl_command(claim.profile, [*self.crawl_args, "-s", f"EDUNEWS_SCHEDULE_RUN={claim.run_id}"]),
                stdin=subprocess.DEVNULL,
                stdout=output,
                env=environment,
                start_new_session=True,
            )
        except OSError as error:
            output.close()
            log.error("schedule %r: could not start the crawl: %s", claim.name, error)
            failed = partial(record_end, claim=claim, exit_code=None, outcome="failed (start)", crawl_run=None)
            in_one_write(self.sessions, lambda session: failed(session, finished_at=datetime.now(UTC)))
            return
        self.children[claim.schedule_id] = Child(claim, process, output)
        log.info("schedule %r: run %d started, pid %d", claim.name, claim.run_id, process.pid)
        try:
            in_one_write(self.sessions, lambda session: record_pid(session, claim.schedule_id, process.pid))
        except (StorageUnavailable, OperationalError) as error:
            # Only shown to people: the lease, not the pid, says whether the run is live.
            log.warning("schedule %r: could not record pid %d: %s", claim.name, process.pid, error)

    def hand_over(self, claim: Claim) -> None:
        """Schedule one claimed run as a Scrapyd job, and note the job on the run: whichever scheduler
        holds the run's lease later asks Scrapyd about it. A Scrapyd that refuses is that run's outcome."""
        from edunews.scrapyd import ScrapydError, schedule_crawl

        assert self.scrapyd is not None
        settings = scrapyd_settings(self.db_url, self.crawl_args, claim.run_id)
        try:
            job = schedule_crawl(self.scrapyd, claim.profile, settings)
        except ScrapydError as error:
            log.error("schedule %r: %s", claim.name, error)
            failed = partial(record_end, claim=claim, exit_code=None, outcome="failed (scrapyd)", crawl_run=None)
            in_one_write(self.sessions, lambda session: failed(session, finished_at=datetime.now(UTC)))
            return
        self.jobs[claim.schedule_id] = ScrapydRun(claim, job, datetime.now(UTC) - timedelta(seconds=1))
        log.info("schedule %r: run %d handed to Scrapyd, job %s", claim.name, claim.run_id, job)
        try:
            in_one_write(self.sessions, lambda session: record_job(session, claim.run_id, job))
        except (StorageUnavailable, OperationalError) as error:
            # The job's crawl renews the lease while it runs; only a job that never starts goes unasked.
            log.warning("schedule %r: could not note Scrapyd job %s on its run: %s", claim.name, job, error)

    def adopt(self, run: ScrapydRun) -> None:
        """A Scrapyd run whose lease this scheduler took (its scheduler is gone): a job still pending or
        running is tracked as this scheduler's own, never started again; one that ended is recorded.
        A Scrapyd that does not answer is asked again once the lease lapses again."""
        state = self._job_state(run)
        if state is None:
            return
        if state in ("pending", "running"):
            self.jobs[run.claim.schedule_id] = run
            log.info(
                "schedule %r: run %d, Scrapyd job %s %s, is now this scheduler's",
                run.claim.name,
                run.claim.run_id,
                run.job,
                state,
            )
            return
        outcome = self._record_job_end(run)
        log.info(
            "schedule %r: run %d ended while no scheduler watched it: %s", run.claim.name, run.claim.run_id, outcome
        )

    def collect_jobs(self) -> None:
        """Record every Scrapyd job that has ended (or that Scrapyd no longer knows)."""
        for run in list(self.jobs.values()):
            state = self._job_state(run)
            if state is None or state in ("pending", "running"):
                continue
            outcome = self._record_job_end(run)
            log.info("schedule %r: run %d ended: %s", run.claim.name, run.claim.run_id, outcome)
            del self.jobs[run.claim.schedule_id]

    def _job_state(self, run: ScrapydRun) -> str | None:
        """What Scrapyd says of a run's job; ``None`` (and a warning) when it does not answer."""
        from edunews.scrapyd import ScrapydError, job_state

        assert self.scrapyd is not None
        try:
            return job_state(self.scrapyd, run.job)
        except ScrapydError as error:
            log.warning("schedule %r: %s", run.claim.name, error)
            return None

    def _record_job_end(self, run: ScrapydRun) -> str:
        return in_one_write(self.sessions, partial(record_scrapyd_run, run=run, finished_at=datetime.now(UTC)))

    def collect(self) -> None:
        """Record every crawl that has ended; one whose record fails stays for the next round."""
        if self.jobs:
            self.collect_jobs()
        for child in list(self.children.values()):
            if child.exit_code is None:
                child.exit_code = child.process.poll()
            if child.exit_code is None:
                continue
            outcome = in_one_write(self.sessions, partial(record_child, child=child, finished_at=datetime.now(UTC)))
            log.info("schedule %r: run %d ended: %s", child.claim.name, child.claim.run_id, outcome)
            child.output.close()
            del self.children[child.claim.schedule_id]

    def shutdown(self, force: threading.Event) -> None:
        """Ask each running crawl to stop (one SIGINT: Scrapy finishes in-flight requests and records
        its run), wait for them, escalate to SIGTERM after ``stop_timeout`` (or at once when ``force`` is
        set) and to SIGKILL after that, and record how each ended. Scrapyd jobs are cancelled (Scrapyd
        stops them gracefully) and recorded when they end."""
        self.cancel_jobs()
        for child in self.children.values():
            if self._signal(child, signal.SIGINT):  # one that has just ended on its own was not stopped
                child.stop_sent = time.monotonic()
        if self.children:
            log.info("stopping %d running crawl(s)", len(self.children))
        give_up = time.monotonic() + self.stop_timeout + KILL_GRACE_SECONDS
        while self.children or self.jobs:
            now = time.monotonic()
            if self.jobs and not self.children and now > give_up:
                # Scrapyd does not say they ended; once their leases lapse, the next scheduler asks it.
                log.warning("left %d Scrapyd job(s) unrecorded", len(self.jobs))
                self.jobs.clear()
                return
            for child in self.children.values():
                asked = child.stop_sent if child.stop_sent is not None else now
                if child.terminate_sent is None and (force.is_set() or now - asked > self.stop_timeout):
                    self._signal(child, signal.SIGTERM)
                    child.terminate_sent = now
                elif child.terminate_sent is not None and now - child.terminate_sent > KILL_GRACE_SECONDS:
                    self._signal(child, signal.SIGKILL)
            try:
                self.renew()  # crawls slow to stop are still this scheduler's
                self.collect()
            except (StorageUnavailable, OperationalError) as error:
                if all(child.exit_code is not None for child in self.children.values()):
                    # Nothing is left running; once their leases lapse, a scheduler records them.
                    log.error("could not record the stopped crawls: %s", error)
                    for child in self.children.values():
                        child.output.close()
                    self.children.clear()
                    return
            time.sleep(min(self.poll_seconds, 0.5))

    def cancel_jobs(self) -> None:
        from edunews.scrapyd import ScrapydError, cancel

        for run in self.jobs.values():
            assert self.scrapyd is not None
            try:
                cancel(self.scrapyd, run.job)
            except ScrapydError as error:
                log.warning("schedule %r: %s", run.claim.name, error)

    def _signal(self, child: Child, signum: int) -> bool:
        """Send ``signum`` to a crawl that still runs; whether it was sent."""
        if child.process.poll() is not None:
            return False
        name = signal.Signals(signum).name
        log.info("schedule %r: sending %s to pid %d", child.claim.name, name, child.process.pid)
        child.process.send_signal(signum)
        return True


@contextmanager
def stop_on_signals(stop: threading.Event, force: threading.Event | None = None) -> Iterator[None]:
    """While inside, SIGTERM and SIGINT set ``stop``; a second one sets ``force``. Call from the main
    thread (Python delivers signals only there); the previous handlers come back afterwards."""

    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.is_set() and force is not None:
            force.set()
        stop.set()

    previous = {signum: signal.signal(signum, handle) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
