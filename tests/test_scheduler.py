"""Scheduled crawls: when schedules fall due, never two runs of one schedule at once, missed runs run
once, a graceful stop on SIGTERM, and the ``schedule`` commands.

The crawls are real: ``python -m edunews crawl`` processes against the demo site, as the scheduler runs
them for a user.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from revisions import move_to
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from edunews.cli_schedule import schedule, scheduler
from edunews.demo.profile import DEMO_CRAWL_SETTINGS, demo_profile_toml
from edunews.demo.site import DemoSite
from edunews.scheduler import (
    FAILURES,
    INTERRUPTED,
    OK,
    Lease,
    Scheduler,
    add_schedule,
    claim_due,
    crawl_command,
    crawl_run_id,
    format_every,
    get_schedule,
    in_one_write,
    next_run,
    outcome_of,
    parse_every,
    pause,
    record_end,
    remove_schedule,
    schedule_runs,
    scrapyd_settings,
    take_over_lapsed,
    validate_cron,
)
from pipelines.db import database_url, make_engine, open_database
from pipelines.models import CrawlRun, Schedule, ScheduleRun

ROOT = Path(__file__).parent.parent
POLL = 0.2
#: Leases short enough to lapse within a test, renewed often enough to hold while their holder lives.
SHORT_LEASE = 2.0
SHORT_LEASE_SETTINGS = {"EDUNEWS_SCHEDULER_LEASE": SHORT_LEASE, "EDUNEWS_SCHEDULER_HEARTBEAT": 0.3}
EXIT_USAGE = 2


def is_demo_outcome(outcome: str | None) -> bool:
    """A finished crawl of the demo site, whose broken pages (there on purpose) are named."""
    return (
        bool(outcome) and outcome.startswith(f"{FAILURES} (") and "http-500 1" in outcome and "undecodable 2" in outcome
    )


# -- when schedules fall due -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("15m", 900), ("6h", 21600), ("1d", 86400), ("1h30m", 5400), (" 1h 30m ", 5400), ("2D", 172800)],
)
def test_every_reads_a_number_and_a_unit(text: str, seconds: int) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "90", "6x", "1.5h", "0s", "0h0m", "30m1h", "h", "-1h", "every 6h"])
def test_every_refuses_what_it_would_have_to_guess_naming_the_input(text: str) -> None:
    with pytest.raises(ValueError, match="interval") as error:
        parse_every(text)
    assert repr(text) in str(error.value)


@pytest.mark.parametrize("seconds", [1, 59, 90, 900, 5400, 21600, 86400, 90061])
def test_an_interval_is_shown_as_it_would_be_typed(seconds: int) -> None:
    assert parse_every(format_every(seconds)) == seconds


def test_an_interval_runs_that_long_after_the_time_given() -> None:
    after = datetime(2024, 1, 1, 5, 59, 30, tzinfo=UTC)
    assert next_run(Schedule(name="s", every_seconds=5400), after) == datetime(2024, 1, 1, 7, 29, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cron", "after", "expected"),
    [
        ("0 */6 * * *", datetime(2024, 1, 1, 5, 59, 59, 500000, tzinfo=UTC), datetime(2024, 1, 1, 6, 0, tzinfo=UTC)),
        # On a slot exactly: that slot is the run just started, the next one is the one after.
        ("0 */6 * * *", datetime(2024, 1, 1, 6, 0, tzinfo=UTC), datetime(2024, 1, 1, 12, 0, tzinfo=UTC)),
        ("@daily", datetime(2024, 1, 1, 6, 0, tzinfo=UTC), datetime(2024, 1, 2, 0, 0, tzinfo=UTC)),
        # Friday night to Monday: weekdays only.
        ("30 1 * * 1-5", datetime(2024, 1, 5, 2, 0, tzinfo=UTC), datetime(2024, 1, 8, 1, 30, tzinfo=UTC)),
        # A time in Beijing is read as the same instant in UTC, where cron expressions are evaluated.
        ("0 */6 * * *", datetime.fromisoformat("2024-01-01T13:59:00+08:00"), datetime(2024, 1, 1, 6, 0, tzinfo=UTC)),
    ],
)
def test_a_cron_schedule_runs_at_its_next_slot_in_utc(cron: str, after: datetime, expected: datetime) -> None:
    assert next_run(Schedule(name="s", cron=cron), after) == expected


@pytest.mark.parametrize("cron", ["61 * * * *", "bad", "* * * * * *", "0 0 * *", "0 0 30 2 *", "@every 5m", ""])
def test_a_bad_cron_expression_is_an_error_naming_it(cron: str) -> None:
    with pytest.raises(ValueError, match="cron expression") as error:
        validate_cron(cron)
    assert repr(cron) in str(error.value)


def test_a_cron_expression_is_kept_tidy() -> None:
    assert validate_cron("  0  */6 * * * ") == "0 */6 * * *"


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ('{"stats": {"edunews/run_id": 7, "edunews/articles/new": 3}, "articles": []}', 7),
        ('{"stats": {}}', None),
        ("", None),
        ("Traceback (most recent call last):", None),
        ('{"stats": {"edunews/run_id": "7"}}', None),
    ],
)
def test_the_crawl_run_is_read_from_the_crawls_json(output: str, expected: int | None) -> None:
    assert crawl_run_id(output) == expected


@pytest.mark.parametrize(
    ("exit_code", "stopped", "finish_reason", "outcome"),
    [
        (0, False, "finished", OK),
        (0, False, None, OK),  # finished, but its output could not be read
        (0, False, "closespider_pagecount", OK),
        (0, False, "shutdown", INTERRUPTED),  # someone else stopped it
        (0, True, "shutdown", INTERRUPTED),
        (0, True, "finished", OK),  # it had just finished when asked to stop
        (-2, True, "finished", OK),  # ... and the signal cut its exit short
        (1, False, "finished", "failures"),  # it crawled, and some of its pages failed
        (1, False, "shutdown", INTERRUPTED),  # someone else stopped it, after some pages failed
        (0, True, None, INTERRUPTED),
        (1, True, None, INTERRUPTED),
        (-2, True, None, INTERRUPTED),
        (2, False, None, "failed (exit 2)"),
        (-9, False, None, "failed (signal 9)"),
    ],
)
def test_a_runs_outcome(exit_code: int, stopped: bool, finish_reason: str | None, outcome: str) -> None:
    assert outcome_of(exit_code, stopped=stopped, finish_reason=finish_reason) == outcome


# -- schedules in the database --------------------------------------------------------------------------


@pytest.fixture
def db(any_db: str) -> str:
    return any_db


@pytest.fixture
def sessions(db: str) -> sessionmaker[Session]:
    return open_database(db)


def test_a_new_schedule_runs_first_one_interval_from_now(sessions: sessionmaker[Session]) -> None:
    now = datetime(2024, 1, 1, 6, 0, tzinfo=UTC)
    with sessions.begin() as session:
        added = add_schedule(session, "moe-news", "moe", every="6h", now=now)
        assert added.next_run_at == now + timedelta(hours=6)
        with pytest.raises(ValueError, match="exists already"):
            add_schedule(session, "moe-news", "moe", cron="0 * * * *")
        with pytest.raises(ValueError, match="exactly one"):
            add_schedule(session, "both", "moe", cron="0 * * * *", every="1h")
        with pytest.raises(ValueError, match="no profile named 'nope'"):
            add_schedule(session, "typo", "nope", every="1h")
        with pytest.raises(ValueError, match="no schedule named 'moe' .known: moe-news"):
            pause(session, "moe")


def test_a_profile_file_is_stored_as_an_absolute_path(
    sessions: sessionmaker[Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "site.toml").write_text(demo_profile_toml("http://127.0.0.1:1"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with sessions.begin() as session:
        added = add_schedule(session, "local", "site.toml", every="1h")
    assert added.profile == str(tmp_path / "site.toml")


@pytest.fixture
def unreachable_profile(tmp_path: Path) -> str:
    """A profile whose site refuses connections: should a test wrongly start a crawl, it ends at once
    and reaches no real site."""
    path = tmp_path / "unreachable.toml"
    path.write_text(demo_profile_toml("http://127.0.0.1:9"), encoding="utf-8")
    return str(path)


def one_round(db: str) -> None:
    """One scheduler round, and any crawl it started stopped again."""
    runner = Scheduler(str(db), poll_seconds=POLL)
    try:
        runner.tick()
    finally:
        runner.shutdown(threading.Event())


#: The lease of a scheduler on another host, as it leaves it in the database.
ELSEWHERE = "other-host:4242:0123abcd"


def claim_as_running(sessions: sessionmaker[Session], name: str, since: datetime, lease_expires_at: datetime) -> int:
    """A schedule recorded as running under another scheduler's lease, as that scheduler leaves it;
    returns the run id."""
    with sessions.begin() as session:
        running = get_schedule(session, name)
        running.running_since = since
        running.next_run_at = since - timedelta(hours=1)
        run = ScheduleRun(
            schedule_id=running.id,
            due_at=since,
            started_at=since,
            lease_owner=ELSEWHERE,
            lease_expires_at=lease_expires_at,
        )
        session.add(run)
        session.flush()
        return run.id


def test_a_removed_schedules_run_ids_are_never_given_to_another_run(
    sessions: sessionmaker[Session], unreachable_profile: str
) -> None:
    # The removed schedule's crawl goes on, renewing its run's lease by id: no other run may have it.
    with sessions.begin() as session:
        add_schedule(session, "kept", unreachable_profile, every="1h")
        add_schedule(session, "removed", unreachable_profile, every="1h")
    now = datetime.now(UTC)
    orphaned = claim_as_running(sessions, "removed", now, now + timedelta(minutes=2))
    with sessions.begin() as session:
        remove_schedule(session, "removed")  # its runs go with it
    assert claim_as_running(sessions, "kept", now, now + timedelta(minutes=2)) > orphaned


def test_migration_0012_keeps_every_run_and_its_schedule_both_ways(
    db: str, sessions: sessionmaker[Session], unreachable_profile: str
) -> None:
    with sessions.begin() as session:
        add_schedule(session, "kept", unreachable_profile, every="1h")
    now = datetime.now(UTC)
    ids = [claim_as_running(sessions, "kept", now + timedelta(hours=hour), now) for hour in range(3)]
    engine = make_engine(db)
    for revision, down in (("0011", True), ("0012", False)):
        move_to(engine, revision, down=down)
        with Session(engine) as session:
            assert sorted(run.id for run in schedule_runs(session, "kept")) == ids


def test_a_schedule_whose_lease_is_fresh_is_not_started_again_whatever_host_holds_it(
    db: str, sessions: sessionmaker[Session], unreachable_profile: str
) -> None:
    # Another host's run: no process here to look at, only its lease, renewed a moment ago.
    with sessions.begin() as session:
        add_schedule(session, "busy", unreachable_profile, every="1s")
    now = datetime.now(UTC)
    claim_as_running(sessions, "busy", now - timedelta(hours=2), now + timedelta(minutes=1))
    one_round(db)
    with sessions() as session:
        (run,) = schedule_runs(session, "busy")
        assert run.finished_at is None and run.lease_owner == ELSEWHERE
        assert get_schedule(session, "busy").running_since is not None


def test_a_run_whose_lease_lapsed_is_taken_over_and_marked_interrupted(
    db: str, sessions: sessionmaker[Session], unreachable_profile: str
) -> None:
    # A scheduler killed mid-run, and its crawl gone too: nobody renewed the lease.
    with sessions.begin() as session:
        add_schedule(session, "orphan", unreachable_profile, every="1h")
        pause(session, "orphan")  # so that the tick only clears it, and starts no crawl
    started = datetime.now(UTC) - timedelta(minutes=5)
    claim_as_running(sessions, "orphan", started, started + timedelta(minutes=2))
    one_round(db)
    with sessions() as session:
        freed = get_schedule(session, "orphan")
        (run,) = schedule_runs(session, "orphan")
    assert freed.running_since is None and freed.running_pid is None
    assert freed.last_outcome == INTERRUPTED and freed.last_run_at == started
    assert run.outcome == INTERRUPTED and run.finished_at is not None


def test_a_run_whose_scheduler_died_while_its_crawl_finished_fine_is_recorded_ok_not_interrupted(
    db: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    from test_site_settings import FAST, Site, article_page, listing

    site = Site(
        {"/": listing(["/news/2026/1120/1.html"]), "/news/2026/1120/1.html": article_page("市教育局部署寒假安全工作")}
    )
    profile = tmp_path / "one.toml"
    profile.write_text(f'[site]\nname = "one"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{site.url()}/"]\n')
    with sessions.begin() as session:
        add_schedule(session, "survivor", str(profile), every="1h")
        pause(session, "survivor")  # so that the tick only clears it, and starts no crawl
    claimed = datetime.now(UTC) - timedelta(minutes=1)
    run_id = claim_as_running(sessions, "survivor", claimed, claimed + timedelta(seconds=SHORT_LEASE))
    # The crawl the killed scheduler had started, as it started it: it went on and finished fine,
    # renewing the run's lease as it went.
    settings = [arg for name, value in {**FAST, **SHORT_LEASE_SETTINGS}.items() for arg in ("-s", f"{name}={value}")]
    arguments = [*settings, "--archive", "", "-s", f"EDUNEWS_SCHEDULE_RUN={run_id}"]
    try:
        crawl = subprocess.run(
            crawl_command(str(profile), arguments),
            env={**os.environ, "EDUNEWS_DB": db},
            cwd=tmp_path,
            capture_output=True,
        )
    finally:
        site.close()
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    with sessions() as session:
        renewed = session.get_one(ScheduleRun, run_id).lease_expires_at
    assert renewed is not None and renewed > claimed + timedelta(minutes=1), "the crawl renewed the lease"
    one_round(db)  # the crawl's last renewal has not lapsed yet: nobody records the run
    assert runs_of(sessions, "survivor")[0].finished_at is None
    wait_until(lambda: datetime.now(UTC) > renewed, timeout=SHORT_LEASE + 1)
    one_round(db)
    with sessions() as session:
        (run,) = schedule_runs(session, "survivor")
        assert get_schedule(session, "survivor").last_outcome == OK
    assert run.outcome == OK and run.crawl_run_id == crawl_run_id(crawl.stdout.decode())


# -- the commands ----------------------------------------------------------------------------------------


def cli() -> click.Group:
    """The two exported commands in a group of their own, as ``edunews`` attaches them."""
    group = click.Group("edunews")
    group.add_command(schedule)
    group.add_command(scheduler)
    return group


def invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli(), list(args))


def test_schedule_commands_add_list_pause_resume_and_remove(db: str) -> None:
    def run(*args: str) -> click.testing.Result:
        result = invoke("schedule", *args, "--db", str(db))
        assert result.exit_code == 0, result.output + result.stderr
        return result

    def listed() -> list[dict]:
        return json.loads(run("list", "--json").output)

    assert "every 6h" in run("add", "moe-news", "--profile", "moe", "--every", "6h").output
    run("add", "nightly", "--profile", "moe", "--cron", "30 1 * * *")
    assert [(s["name"], s["when"], s["paused"]) for s in listed()] == [
        ("moe-news", "every 6h", False),
        ("nightly", "30 1 * * *", False),
    ]
    assert listed()[1]["next_run_at"].endswith("01:30:00+00:00")

    run("pause", "moe-news")
    assert listed()[0]["paused"] is True
    table = run("list").output
    assert "moe-news" in table and "every 6h" in table and "paused" in table

    run("resume", "moe-news")
    assert listed()[0]["paused"] is False

    run("remove", "nightly")
    assert [s["name"] for s in listed()] == ["moe-news"]


def test_a_schedule_change_waits_for_a_crawl_committing_into_the_same_sqlite_file(tmp_path: Path) -> None:
    # A crawl commits a batch between the change's read of the schedule and its write. Begun plainly,
    # SQLite refused that write at once ("database is locked"); the change holds the write lock from
    # its first read, so the crawl's commit waits for it instead.
    sessions = open_database(str(tmp_path / "news.sqlite"))
    crawl = open_database(str(tmp_path / "news.sqlite"))
    with sessions.begin() as session:
        add_schedule(session, "moe-news", "moe", every="6h")
    committed = threading.Event()

    def crawl_commits() -> None:
        with crawl.begin() as session:
            session.execute(update(Schedule).values(last_outcome="crawl wrote this"))
        committed.set()

    def pause_amid_a_commit(session: Session) -> threading.Thread:
        schedule = get_schedule(session, "moe-news")
        writer = threading.Thread(target=crawl_commits)
        writer.start()
        assert not committed.wait(0.5), "the crawl's commit waits for the change"
        schedule.paused = True
        return writer

    in_one_write(sessions, pause_amid_a_commit).join()
    assert committed.is_set()
    with sessions() as session:
        changed = get_schedule(session, "moe-news")
    assert changed.paused and changed.last_outcome == "crawl wrote this"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["schedule", "pause", "nope"], "no schedule named 'nope'"),
        (["schedule", "resume", "nope"], "no schedule named 'nope'"),
        (["schedule", "remove", "nope"], "no schedule named 'nope'"),
        (["schedule", "add", "x", "--profile", "moe", "--cron", "61 * * * *"], "not a valid cron expression"),
        (["schedule", "add", "x", "--profile", "moe", "--every", "6"], "not an interval: '6'"),
        (["schedule", "add", "x", "--profile", "moe"], "exactly one of --cron or --every"),
        (["schedule", "add", "x", "--profile", "moe", "--cron", "@daily", "--every", "1d"], "exactly one"),
        (["schedule", "add", "x", "--profile", "nope.toml", "--every", "1d"], "profile file not found"),
        (["scheduler", "-s", "DOWNLOAD_DELAY"], "-s takes NAME=VALUE"),
        (["scheduler", "-s", "EDUNEWS_SCHEDULER_HEARTBEAT=300"], "must be above 0 and below EDUNEWS_SCHEDULER_LEASE"),
    ],
)
def test_user_errors_are_one_line_on_stderr_and_exit_2(db: str, args: list[str], message: str) -> None:
    result = invoke(*args, "--db", str(db))
    assert result.exit_code == EXIT_USAGE
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize(
    "command", [["schedule"], *(["schedule", name] for name in sorted(schedule.commands)), ["scheduler"]]
)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0 and "Example" in result.output


# -- running real crawls ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with DemoSite(slow_seconds=1.0) as demo:
        yield demo


@pytest.fixture
def profile(site: DemoSite, tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(demo_profile_toml(site.url), encoding="utf-8")
    return path


def crawl_args(tmp_path: Path) -> list[str]:
    """The demo site's crawl settings, and the WARC archive kept in the test's folder."""
    settings = [arg for name, value in DEMO_CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    return [*settings, "--archive", str(tmp_path / "archive")]


@contextmanager
def running(runner: Scheduler) -> Iterator[threading.Event]:
    """The scheduler's loop in a thread until the block ends; yields its stop event."""
    stop = threading.Event()
    thread = threading.Thread(target=runner.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive(), "the scheduler stopped"


def wait_until(condition: Callable[[], bool], timeout: float, every: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up after {timeout}s"
        time.sleep(every)


def runs_of(sessions: sessionmaker[Session], name: str) -> list[ScheduleRun]:
    with sessions() as session:
        return schedule_runs(session, name)


def test_a_one_second_schedule_runs_repeatedly_never_overlapping_a_slower_crawl(
    db: str, sessions: sessionmaker[Session], profile: Path, tmp_path: Path
) -> None:
    with sessions.begin() as session:
        add_schedule(session, "demo", str(profile), every="1s")
    at_once: list[int] = []

    def started(count: int) -> Callable[[], bool]:
        def check() -> bool:
            runs = runs_of(sessions, "demo")
            at_once.append(sum(run.finished_at is None for run in runs))
            return len(runs) >= count

        return check

    with running(Scheduler(str(db), poll_seconds=POLL, crawl_args=crawl_args(tmp_path))):
        wait_until(started(2), timeout=120)
        in_one_write(sessions, lambda session: pause(session, "demo"))  # no third run: the test is about two
        wait_until(lambda: all(run.finished_at for run in runs_of(sessions, "demo")), timeout=120)

    first, second = runs_of(sessions, "demo")
    assert max(at_once) == 1, "never two runs of one schedule at once"
    # The demo site serves broken pages on purpose: the first crawl finished with those failures named;
    # the second is incremental (unchanged listings answer 304), so it may not meet them again.
    assert is_demo_outcome(first.outcome) and first.exit_code == 1
    assert (second.outcome, second.exit_code) == (OK, 0) or (
        second.outcome.startswith(FAILURES) and second.exit_code == 1
    )
    assert first.finished_at and second.finished_at
    assert first.finished_at - first.started_at > timedelta(seconds=1), "each crawl is slower than the interval"
    assert first.finished_at <= second.started_at, "the next run starts only after the slow one ended"
    assert second.started_at - first.finished_at < timedelta(seconds=10), "and then at once, not a slot later"
    with sessions() as session:
        crawls = [session.get(CrawlRun, run.crawl_run_id) for run in (first, second) if run.crawl_run_id]
        demo = get_schedule(session, "demo")
    assert [crawl.finish_reason for crawl in crawls if crawl] == ["finished", "finished"]
    assert demo.running_since is None and demo.last_outcome == second.outcome and demo.last_run_at == second.started_at


def test_a_missed_schedule_runs_once_on_start_then_counts_from_now(
    db: str, sessions: sessionmaker[Session], profile: Path, tmp_path: Path
) -> None:
    # The scheduler was down for five hours of an hourly schedule: five slots missed.
    with sessions.begin() as session:
        missed = add_schedule(session, "hourly", str(profile), every="1h")
        missed.next_run_at = datetime.now(UTC) - timedelta(hours=5)
    with running(Scheduler(str(db), poll_seconds=POLL, crawl_args=crawl_args(tmp_path))):
        wait_until(lambda: any(run.finished_at for run in runs_of(sessions, "hourly")), timeout=120)
        time.sleep(5 * POLL)  # rounds enough to start another run, were any still owed
    (run,) = runs_of(sessions, "hourly")
    with sessions() as session:
        hourly = get_schedule(session, "hourly")
    assert is_demo_outcome(run.outcome)
    assert hourly.next_run_at == run.started_at + timedelta(hours=1)


def test_sigterm_stops_the_scheduler_gracefully_and_records_the_run(
    db: str, sessions: sessionmaker[Session], profile: Path, site: DemoSite, tmp_path: Path
) -> None:
    with sessions.begin() as session:
        add_schedule(session, "demo", str(profile), every="1s")
    program = (
        "import click; from edunews.cli_schedule import schedule, scheduler; "
        "click.Group(commands=[schedule, scheduler])()"
    )
    settings = [arg for name, value in DEMO_CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    command = [sys.executable, "-c", program, "scheduler", "--db", str(db), "--poll", str(POLL), *settings]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: bool(runs_of(sessions, "demo")), timeout=60)
        mark = len(site.request_log)
        wait_until(lambda: len(site.request_log) > mark, timeout=60)  # the crawl is under way
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err[-2000:]
    (run,) = runs_of(sessions, "demo")
    with sessions() as session:
        demo = get_schedule(session, "demo")
        crawl = session.get(CrawlRun, run.crawl_run_id) if run.crawl_run_id else None
        crawl_runs = list(session.scalars(select(CrawlRun)))
    assert run.outcome == INTERRUPTED and run.finished_at is not None
    assert demo.running_since is None and demo.running_pid is None and demo.last_outcome == INTERRUPTED
    # Scrapy stopped on the one forwarded SIGINT, gracefully: it recorded why it stopped.
    assert crawl is not None and crawl.finish_reason == "shutdown", crawl_runs


# -- several schedulers, on several hosts -----------------------------------------------------------------


def start_scheduler(db: str, host: str, folder: Path, *settings: str) -> subprocess.Popen[str]:
    """``edunews scheduler`` as a process of its own, naming ``host`` in its leases (two of them on this
    machine stand for schedulers on two machines: nothing but the database is shared), with short
    leases and the crawl ``settings``."""
    program = (
        "import click; from edunews.cli_schedule import schedule, scheduler; "
        "click.Group(commands=[schedule, scheduler])()"
    )
    lease = [arg for name, value in SHORT_LEASE_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    command = [sys.executable, "-c", program, "scheduler", "--db", db, "--poll", "0.1", "--stop-timeout", "0"]
    return subprocess.Popen(
        [*command, *lease, *settings],
        cwd=folder,
        env={**os.environ, "EDUNEWS_SCHEDULER_HOST": host},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop_scheduler(process: subprocess.Popen[str]) -> str:
    """SIGTERM, as a service manager stops it; its log."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.communicate(timeout=60)[1]
    finally:
        if process.poll() is None:
            process.kill()


def host_of(run: ScheduleRun) -> str:
    assert run.lease_owner is not None
    return run.lease_owner.split(":")[0]


def test_two_schedulers_on_two_hosts_run_each_due_slot_once_and_never_two_at_once(
    db: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    from test_site_settings import FAST, Site, article_page, listing

    site = Site({"/": listing(["/news/2026/1120/1.html"]), "/news/2026/1120/1.html": article_page("寒假安全工作部署")})
    profile = tmp_path / "one.toml"
    profile.write_text(f'[site]\nname = "one"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{site.url()}/"]\n')
    with sessions.begin() as session:  # due every second: both schedulers race for every slot
        add_schedule(session, "raced", str(profile), every="1s")
    settings = [arg for name, value in FAST.items() for arg in ("-s", f"{name}={value}")]
    schedulers = [start_scheduler(db, host, tmp_path, *settings) for host in ("host-a", "host-b")]
    try:
        wait_until(lambda: len(runs_of(sessions, "raced")) >= 4, timeout=180, every=0.2)
        in_one_write(sessions, lambda session: pause(session, "raced"))
        wait_until(lambda: all(run.finished_at for run in runs_of(sessions, "raced")), timeout=120)
    finally:
        logs = [stop_scheduler(process) for process in schedulers]
        site.close()
    runs = runs_of(sessions, "raced")
    slots = [run.due_at for run in runs]
    assert None not in slots and len(set(slots)) == len(slots), "one run per due slot"
    for earlier, later in zip(runs, runs[1:], strict=False):
        assert earlier.finished_at is not None and earlier.finished_at <= later.started_at, "never two at once"
    assert {host_of(run) for run in runs} <= {"host-a", "host-b"}
    assert all(run.outcome == OK for run in runs), [(run.outcome, run.lease_owner) for run in runs] + logs


def test_a_crawl_outliving_its_killed_scheduler_holds_its_lease_until_it_dies_then_another_host_takes_over(
    db: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    from test_site_settings import FAST, Site, article_page, listing

    # A site that answers after ten minutes: each crawl of it runs until it is stopped.
    site = Site({"/": listing(["/news/2026/1120/1.html"]), "/news/2026/1120/1.html": article_page("寒假")}, delay=600)
    profile = tmp_path / "slow.toml"
    profile.write_text(f'[site]\nname = "slow"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{site.url()}/"]\n')
    with sessions.begin() as session:
        add_schedule(session, "held", str(profile), every="1s")
    settings = [arg for name, value in {**FAST, "DOWNLOAD_TIMEOUT": 900}.items() for arg in ("-s", f"{name}={value}")]
    first = start_scheduler(db, "host-a", tmp_path, *settings)
    second: subprocess.Popen[str] | None = None
    crawl_pid = None
    try:

        def crawl_started() -> bool:
            with sessions() as session:
                return get_schedule(session, "held").running_pid is not None and bool(site.log)

        wait_until(crawl_started, timeout=120)
        with sessions() as session:
            crawl_pid = get_schedule(session, "held").running_pid
        first.kill()  # host A's scheduler dies at once; the crawl it started runs on
        first.wait()
        second = start_scheduler(db, "host-b", tmp_path, *settings)
        time.sleep(4 * SHORT_LEASE)  # leases lapse twice over, were they not renewed
        (run,) = runs_of(sessions, "held")
        assert run.finished_at is None and host_of(run) == "host-a", "host B leaves the live crawl alone"
        assert run.lease_expires_at is not None and run.lease_expires_at > datetime.now(UTC), "the crawl renews it"

        assert crawl_pid is not None
        os.killpg(crawl_pid, signal.SIGKILL)  # now the crawl dies too (its extraction workers with it)
        died = datetime.now(UTC)
        crawl_pid = None
        wait_until(lambda: len(runs_of(sessions, "held")) == 2, timeout=60)
        in_one_write(sessions, lambda session: pause(session, "held"))
    finally:
        logs = [stop_scheduler(process) for process in (first, second) if process is not None]
        if crawl_pid is not None:
            os.killpg(crawl_pid, signal.SIGKILL)
        site.close()
    ended, taken_over = runs_of(sessions, "held")
    assert ended.outcome == INTERRUPTED and ended.finished_at is not None, logs
    assert died < ended.finished_at < died + timedelta(seconds=SHORT_LEASE + 5), "within a lease of its death"
    assert host_of(taken_over) == "host-b" and taken_over.started_at >= ended.finished_at
    assert "nobody renewed its run's lease" in logs[-1]


def test_a_run_another_scheduler_recorded_meanwhile_is_left_as_it_recorded_it(sessions: sessionmaker[Session]) -> None:
    # This scheduler could not renew its lease (a database outage); another took the run over, ended it
    # and started the schedule again. This one's late record must not free that new run.
    now = datetime.now(UTC)
    with sessions.begin() as session:
        add_schedule(session, "late", "moe", every="1h")
        lease = Lease("host-a:1:aa", 60, 10)
        (claim,) = claim_due(session, now + timedelta(hours=2), lease)
        session.get_one(ScheduleRun, claim.run_id).lease_expires_at = now - timedelta(seconds=1)
    with sessions.begin() as session:
        freed, _ = take_over_lapsed(session, now, Lease("host-b:2:bb", 60, 10), (), asks_scrapyd=False)
        (again,) = claim_due(session, now + timedelta(hours=4), Lease("host-b:2:bb", 60, 10))
    with sessions.begin() as session:
        record_end(session, claim, now, exit_code=0, outcome=OK, crawl_run=None)
    with sessions() as session:
        first, second = schedule_runs(session, "late")
        assert freed == ["late"] and first.outcome == INTERRUPTED and host_of(first) == "host-b"
        assert second.id == again.run_id and second.finished_at is None
        assert get_schedule(session, "late").running_since is not None, "the new run still holds its schedule"


def test_a_scheduler_on_a_database_without_schedules_says_so(tmp_path: Path) -> None:
    program = "import click; from edunews.cli_schedule import scheduler; click.Group(commands=[scheduler])()"
    command = [sys.executable, "-c", program, "scheduler", "--db", str(tmp_path / "typo.sqlite"), "--poll", "0.1"]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert first.startswith("edunews: no schedules in ") and "edunews schedule add" in first


def test_a_scrapyd_address_that_is_no_web_address_is_refused_before_the_scheduler_starts(tmp_path: Path) -> None:
    result = CliRunner().invoke(scheduler, ["--db", str(tmp_path / "news.sqlite"), "--scrapyd", "notaurl"])
    assert result.exit_code == 2 and result.output.startswith("edunews: --scrapyd needs an http:// or https://")


def test_a_scrapyd_job_is_given_a_sqlite_file_by_its_whole_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the job runs in Scrapyd's folder, not in this one
    settings = scrapyd_settings(database_url("news.sqlite"), ["-s", "DOWNLOAD_DELAY=1"], 7)
    assert settings == {
        "EDUNEWS_DB": f"sqlite:///{tmp_path / 'news.sqlite'}",
        "DOWNLOAD_DELAY": "1",
        "EDUNEWS_SCHEDULE_RUN": "7",
    }
