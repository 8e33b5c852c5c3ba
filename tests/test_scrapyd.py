"""The project on a real Scrapyd: deployed with ``scrapyd-deploy`` (scrapy.cfg's target), a crawl
scheduled through Scrapyd's HTTP API, and ``edunews scheduler --scrapyd`` handing a due crawl to it."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from services import needed, scrapyd_server
from sqlalchemy import update
from test_stopping import (
    ENDS_WITHIN,
    assert_the_next_run_stores_the_journal,
    profile_of,
    stalling_site,
    wait_until_journalled,
)

from edunews.demo.profile import DEMO_CRAWL_SETTINGS, demo_profile_toml
from edunews.demo.site import DemoSite
from edunews.scheduler import add_schedule
from edunews.scrapyd import PROJECT, SPIDER, call, cancel, job_state, schedule_crawl
from pipelines.db import open_database
from pipelines.models import Schedule, ScheduleRun

ROOT = Path(__file__).parent.parent
#: What ``scrapyd-deploy`` needs to build the egg, copied so the build leaves the checkout untouched.
PROJECT_FILES = ("crawler", "pipelines", "edunews", "fixtures", "pyproject.toml", "setup.py", "scrapy.cfg", "README.md")
JOB_TIMEOUT = 120.0


def copy_project(target: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)  # follows the demo pages' symlink
        else:
            shutil.copy(source, target / name)
    return target


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Scrapyd started for these tests, with the project deployed to it by ``scrapyd-deploy``."""
    folder = tmp_path_factory.mktemp("scrapyd")
    deploy = needed("scrapyd-deploy", "the distributed extra: pip install 'edunews[distributed]'")
    with scrapyd_server(folder / "server") as url:
        project = copy_project(folder / "project")
        done = subprocess.run(
            [deploy],
            cwd=project,
            env={**os.environ, "EDUNEWS_SCRAPYD": url},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert '"status": "ok"' in done.stdout, done.stdout
        yield url


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with DemoSite(slow_seconds=1.0) as demo:
        yield demo


def job_settings(db: Path) -> dict[str, str]:
    return {"EDUNEWS_DB": str(db), "EDUNEWS_ARCHIVE_DIR": "", **{k: str(v) for k, v in DEMO_CRAWL_SETTINGS.items()}}


def wait_for(condition: callable, what: str) -> None:
    deadline = time.monotonic() + JOB_TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {JOB_TIMEOUT:.0f} s"
        time.sleep(0.5)


def demo_profile_file(site: DemoSite, folder: Path) -> Path:
    profile = folder / "demo.toml"
    profile.write_text(demo_profile_toml(site.url), encoding="utf-8")
    return profile


def stored_articles(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_a_job_scheduled_over_scrapyds_http_api_crawls_the_profile_into_the_database(
    deployed: str, site: DemoSite, tmp_path: Path
) -> None:
    profile, db = demo_profile_file(site, tmp_path), tmp_path / "news.sqlite"
    job = schedule_crawl(deployed, str(profile), job_settings(db))
    wait_for(lambda: job_state(deployed, job) == "finished", "the job finishes")
    assert stored_articles(db) >= 10
    with sqlite3.connect(db) as connection:
        reason = connection.execute("SELECT finish_reason FROM crawl_runs").fetchone()[0]
    assert reason == "finished"


EDUNEWS = [sys.executable, "-m", "edunews"]


def due_demo_schedule(site: DemoSite, folder: Path, overdue: timedelta) -> Path:
    """A database in ``folder`` with an hourly schedule of the demo site that fell due ``overdue`` ago."""
    profile, db = demo_profile_file(site, folder), folder / "news.sqlite"
    added = subprocess.run(
        [*EDUNEWS, "schedule", "add", "demo", "--profile", str(profile), "--every", "1h", "--db", str(db)],
        capture_output=True,
        text=True,
    )
    assert added.returncode == 0, added.stderr
    with open_database(str(db)).begin() as session:
        session.execute(update(Schedule).values(next_run_at=datetime.now(UTC) - overdue))
    return db


def scheduler_settings(db: Path, extra: dict[str, str] | None = None) -> list[str]:
    """The scheduler's ``-s`` arguments that pass the jobs' settings (and ``extra``) on to its crawls."""
    settings = {**job_settings(db), **(extra or {})}
    return [arg for name, value in settings.items() if name != "EDUNEWS_DB" for arg in ("-s", f"{name}={value}")]


def test_the_scheduler_hands_a_due_crawl_to_scrapyd_and_records_its_job(
    deployed: str, site: DemoSite, tmp_path: Path
) -> None:
    db = due_demo_schedule(site, tmp_path, overdue=timedelta(hours=1))
    scheduler = subprocess.Popen(
        [*EDUNEWS, "scheduler", "--db", str(db), "--poll", "0.5", "--scrapyd", deployed, *scheduler_settings(db)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: last_outcome(db) is not None, "the run is recorded")
    finally:
        scheduler.send_signal(signal.SIGINT)
        log = scheduler.communicate(timeout=60)[1]
    outcome = last_outcome(db)
    assert outcome is not None and outcome.startswith("failures") and "[scrapyd job " in outcome, (outcome, log)
    assert "handed to Scrapyd" in log
    assert stored_articles(db) >= 10


def job_log(base_url: str, job: str) -> str:
    """The Scrapy log of a job, as Scrapyd serves it."""
    with urllib.request.urlopen(f"{base_url}/logs/{PROJECT}/{SPIDER}/{job}.log", timeout=10) as reply:
        return reply.read().decode()


def last_outcome(db: Path) -> str | None:
    with sqlite3.connect(db, timeout=5) as connection:
        row = connection.execute("SELECT outcome FROM schedule_runs WHERE finished_at IS NOT NULL").fetchone()
    return row[0] if row else None


def test_a_job_cancelled_twice_ends_at_once_and_the_next_run_stores_its_journal(deployed: str, tmp_path: Path) -> None:
    site, answered = stalling_site()
    db = tmp_path / "news.sqlite"
    profile = tmp_path / "site.toml"
    profile.write_text(profile_of(site.url()), encoding="utf-8")
    # Records wait in the journal; a request to a page that hangs is not given up while the test runs.
    settings = {**job_settings(db), "EDUNEWS_BATCH_SIZE": "1000", "DOWNLOAD_TIMEOUT": "120"}
    job = schedule_crawl(deployed, str(profile), settings)
    try:
        wait_until_journalled(tmp_path / "news.sqlite.state")
        cancel(deployed, job)
        wait_for(lambda: "shutting down gracefully" in job_log(deployed, job), "Scrapy takes the first cancel")
        cancel(deployed, job)
        sent = time.monotonic()
        wait_for(lambda: job_state(deployed, job) == "finished", "the job ends")
        took = time.monotonic() - sent
        assert took < ENDS_WITHIN, f"the job took {took:.1f} s to end"
        assert_the_next_run_stores_the_journal(tmp_path, db, {site.url() + path for path in answered})
    finally:
        site.close()


def project_jobs(base_url: str) -> set[str]:
    """Every job Scrapyd knows of the project, pending, running or finished (``listjobs.json``)."""
    listed = call(base_url, f"listjobs.json?project={PROJECT}")
    return {job["id"] for state in ("pending", "running", "finished") for job in listed[state]}


def run_row(db: Path) -> tuple:
    with sqlite3.connect(db, timeout=5) as connection:
        return connection.execute(
            "SELECT count(*), max(scrapyd_job), max(finished_at), max(outcome), max(lease_owner) FROM schedule_runs"
        ).fetchone()


def test_a_scheduler_restarted_while_its_scrapyd_job_runs_starts_no_second_job_and_records_the_end(
    deployed: str, site: DemoSite, tmp_path: Path
) -> None:
    db = due_demo_schedule(site, tmp_path, overdue=timedelta(minutes=1))  # due now, and not again for an hour
    lease = {"EDUNEWS_SCHEDULER_LEASE": "2", "EDUNEWS_SCHEDULER_HEARTBEAT": "0.3"}
    settings = scheduler_settings(db, lease)
    command = [*EDUNEWS, "scheduler", "--db", str(db), "--poll", "0.2", "--scrapyd", deployed, *settings]
    before = project_jobs(deployed)
    first = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    second = None
    try:
        wait_for(lambda: run_row(db)[1] is not None, "the job is noted on its run")
        job = run_row(db)[1]
        wait_for(lambda: job_state(deployed, job) == "running", "the job runs")
        first.kill()  # the scheduler dies at once, without cancelling its job: a crash, a reboot
        first.wait()
        second = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        wait_for(lambda: run_row(db)[2] is not None, "the restarted scheduler records the job's end")
        assert job_state(deployed, job) == "finished"
    finally:
        if first.poll() is None:
            first.kill()
        log = ""
        if second is not None:
            second.send_signal(signal.SIGINT)
            log = second.communicate(timeout=60)[1]
    count, noted, _, outcome, owner = run_row(db)
    assert count == 1 and noted == job, "one run for the due slot"
    assert project_jobs(deployed) - before == {job}, "and one Scrapyd job: it was never started again"
    assert outcome.startswith("failures") and outcome.endswith(f"[scrapyd job {job}]"), (outcome, log)
    assert owner.split(":")[1] == str(second.pid), "the restarted scheduler took the run over"
    assert stored_articles(db) >= 10


def test_a_scrapyd_job_whose_run_lease_lapsed_is_tracked_while_it_runs_not_started_again(
    deployed: str, site: DemoSite, tmp_path: Path
) -> None:
    # The run's scheduler died before the job's crawl renewed anything (a job that waited in Scrapyd's
    # queue, or one whose crawl does not know its run): the lease lapsed while the job runs.
    profile, db = demo_profile_file(site, tmp_path), tmp_path / "news.sqlite"
    sessions = open_database(str(db))
    with sessions.begin() as session:
        demo = add_schedule(session, "demo", str(profile), every="1h")
        demo.next_run_at = datetime.now(UTC) + timedelta(hours=1)
        demo.running_since = datetime.now(UTC)
    before = project_jobs(deployed)
    job = schedule_crawl(deployed, str(profile), job_settings(db))
    with sessions.begin() as session:
        lapsed = datetime.now(UTC) - timedelta(seconds=1)
        session.add(ScheduleRun(schedule_id=demo.id, due_at=lapsed, started_at=lapsed, scrapyd_job=job))
    settings = [
        arg
        for name, value in (("EDUNEWS_SCHEDULER_LEASE", 2), ("EDUNEWS_SCHEDULER_HEARTBEAT", 0.3))
        for arg in ("-s", f"{name}={value}")
    ]
    command = [sys.executable, "-m", "edunews", "scheduler", "--db", str(db), "--poll", "0.2", "--scrapyd", deployed]
    scheduler = subprocess.Popen([*command, *settings], stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: run_row(db)[2] is not None, "the scheduler records the job's end")
        assert job_state(deployed, job) == "finished"
    finally:
        scheduler.send_signal(signal.SIGINT)
        log = scheduler.communicate(timeout=60)[1]
    assert f"Scrapyd job {job} running, is now this scheduler's" in log or f"job {job} pending" in log, log
    count, _, _, outcome, _ = run_row(db)
    assert count == 1 and outcome.endswith(f"[scrapyd job {job}]"), (outcome, log)
    assert project_jobs(deployed) - before == {job}, "no second job"
