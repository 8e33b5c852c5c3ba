"""The ledger of discovered articles (issue 17): a page that failed, or was fetched and never stored, is
fetched again by the next crawl whatever its listings answer. Real crawls through ``python -m edunews``
against servers on 127.0.0.1, into real databases."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from probes import ROOT, Run, edunews, resize, small_file_system
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_crawl import crawl, requested, stored

from crawler.incremental import FAILED, GONE, NOT_ARTICLE, STORED, TO_FETCH, retry_after
from edunews.demo.profile import DEMO_CRAWL_SETTINGS, demo_profile_toml
from edunews.demo.site import OLD_LINK_PATH, SLOW_PATH, DemoSite
from pipelines.db import make_engine, open_database
from pipelines.models import CrawlRun, LedgerEntry, Sighting


def ledger_states(db: Path) -> dict[str, tuple[str, int]]:
    with Session(make_engine(str(db))) as session:
        return {row.url: (row.state, row.failures) for row in session.scalars(select(LedgerEntry))}


def test_retry_waits_nothing_after_one_failure_then_doubles_up_to_the_cap() -> None:
    from datetime import timedelta

    hour, week = timedelta(hours=1), timedelta(days=7)
    assert [retry_after(n, hour, week) for n in (1, 2, 3, 4)] == [timedelta(0), hour, 3 * hour, 7 * hour]
    assert retry_after(40, hour, week) == week


def test_the_demos_timed_out_article_is_fetched_again_by_the_next_incremental_crawl(tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    with DemoSite(slow_seconds=4.0) as site:
        first = crawl(site, tmp_path, db)
        slow = site.url + SLOW_PATH
        assert any("timeout" in key for key in first["stats"])
        assert ledger_states(db)[slow] == (FAILED, 1)
        assert ledger_states(db)[site.url + "/news/gone.html"][0] == GONE
        shown = edunews("stats", "--db", str(db), "--json", cwd=tmp_path)
        assert json.loads(shown.out)["pending"]["failed timeout-error"] == 1, "stats say what is pending and why"
        table = edunews("stats", "--db", str(db), cwd=tmp_path).out
        assert "failed timeout-error" in table and "started (UTC)" in table
        assert re.search(r"│ demo\s+│ \d{4}-\d\d-\d\d \d\d:\d\d\s+│ finished", table), "the run, its start as a time"
        site.slow_seconds = 0  # the site answers now; its listings, feed and sitemap are unchanged
        mark = len(site.request_log)
        second = crawl(site, tmp_path, db)
        assert second["stats"]["listing/not-modified"] >= 1
        assert SLOW_PATH in requested(site, mark)
        assert "/news/gone.html" not in requested(site, mark), "a page gone for good is not asked for again"
        with Session(make_engine(str(db))) as session:
            assert session.scalars(select(Sighting).where(Sighting.url == slow)).one()
        assert ledger_states(db)[slow] == (STORED, 0)


def test_a_finished_crawl_leaves_in_the_ledger_only_the_failures_its_summary_names(tmp_path: Path) -> None:
    """The demo's old link redirects to an article a listing links too: Scrapy drops the redirect as a
    request made already. The old link stayed to fetch, pending in the ledger and named nowhere."""
    db = tmp_path / "news.sqlite"
    with DemoSite(slow_seconds=1.0) as site:
        result = crawl(site, tmp_path, db)
        old_link = site.url + OLD_LINK_PATH
    states = ledger_states(db)
    retried = [entry for entry in result["not_stored"] if entry["kind"] == "failed" and entry["reason"] != "http-404"]
    assert [url for url, (state, _) in states.items() if state == TO_FETCH] == []
    assert states[old_link][0] == NOT_ARTICLE
    assert result["stats"]["ledger/pending"] == len(retried) == sum(state == FAILED for state, _ in states.values())


#: The one line of a crawl a full disk stopped: records stored, spooled, journalled, kept nowhere; URLs pending.
DISK_FULL_LINE = (
    r"edunews: the disk is full: the crawl stopped with (\d+) records stored, (\d+) spooled, (\d+) journalled "
    r"and (\d+) kept nowhere \(their pages are fetched again\); (\d+) article URLs are pending in the ledger; "
    r"free some space and run the same crawl again"
)


def crawl_capped(site: DemoSite, folder: Path, db: Path, pages: int) -> Run:
    """Crawl the demo site into ``db``, a SQLite database that is full at ``pages`` pages, in batches
    of 10 articles (one batch of the default 50 takes some 250 pages with its index rows)."""
    profile = folder / "demo.toml"
    profile.write_text(demo_profile_toml(site.url), encoding="utf-8")
    settings = [arg for name, value in DEMO_CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    command = [sys.executable, str(ROOT / "tests" / "full_database.py"), str(pages), "crawl", "--profile", str(profile)]
    done = subprocess.run(
        [*command, "--db", str(db), "--archive", "", *settings, "-s", "EDUNEWS_BATCH_SIZE=10"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def test_a_full_database_stops_the_crawl_in_one_line_and_the_same_crawl_later_stores_every_article(
    tmp_path: Path,
) -> None:
    whole, db = tmp_path / "whole.sqlite", tmp_path / "news.sqlite"
    with DemoSite(extra_articles=60, slow_seconds=0.5) as site:
        crawl(site, tmp_path, whole)
        full = crawl_capped(site, tmp_path, db, pages=250)  # some batches fit, then SQLITE_FULL
        assert full.code == 2, full.err[-3000:]
        assert "Traceback" not in full.err
        (line,) = full.lines
        counts = re.fullmatch(DISK_FULL_LINE, line)
        assert counts, line
        stored_now, spooled, journalled, nowhere, pending = map(int, counts.groups())
        assert stored_now > 0 and spooled > 0 and pending >= spooled and journalled == nowhere == 0
        with Session(make_engine(str(db))) as session:
            assert session.scalars(select(CrawlRun.finish_reason)).one() == "disk-full"
        crawl_capped(site, tmp_path, db, pages=10**6)  # space freed: the same crawl again
    assert stored(db) == stored(whole), "every article, each once"
    assert all(state != TO_FETCH for state, _ in ledger_states(db).values())


def lines_in(folder: Path, pattern: str) -> int:
    """Whole lines (records) in the files of ``folder`` matching ``pattern``, at any depth."""
    return sum(path.read_bytes().count(b"\n") for path in folder.rglob(pattern))


def test_a_full_disk_stops_the_crawl_counting_only_the_records_its_journal_holds_as_journalled(
    tmp_path: Path,
) -> None:
    """Database, journal and spool on a disk that fills up: the records whose journal write failed were
    counted as journalled (321 said, 59 there) and left a line cut short (quarantined by the next run).
    Each count now matches what is on disk; the same crawl with space freed stores every article."""
    whole, disk = tmp_path / "whole.sqlite", tmp_path / "disk"
    with DemoSite(extra_articles=200, slow_seconds=0.5) as site, small_file_system(disk, "2500k"):
        crawl(site, tmp_path, whole)
        db = disk / "news.sqlite"
        full = crawl_capped(site, tmp_path, db, pages=10**6)  # the file system fills, not the database
        assert full.code == 2, full.err[-3000:]
        (line,) = full.lines
        counts = re.fullmatch(DISK_FULL_LINE, line)
        assert counts, line
        stored_now, spooled, journalled, nowhere, pending = map(int, counts.groups())
        state = db.with_name(db.name + ".state")
        assert journalled == lines_in(state, "journal.jsonl*") > 0 and spooled == lines_in(state, "spool.jsonl")
        with Session(make_engine(str(db))) as session:
            assert stored_now == len(session.scalars(select(Sighting.id)).all())
        assert nowhere > 0 and pending >= nowhere + journalled
        resize(disk, "64m")  # space freed: the same crawl again
        again = crawl_capped(site, tmp_path, db, pages=10**6)
        assert "spool-unreadable" not in again.err, "no journal line was left cut short"
        assert stored(db) == stored(whole), "every article, each once"


def test_a_crawl_that_met_a_locked_database_is_still_recorded_as_a_crawl_run(tmp_path: Path) -> None:
    from test_site_settings import Site, article_page, crawl, listing
    from test_store import hold_write_lock

    db = tmp_path / "news.sqlite"
    open_database(str(db))
    links = [f"/news/2026/1120/{n}.html" for n in (1, 2)]
    pages = {"/": listing(links)} | {
        link: article_page(f"市教育局部署寒假安全工作第{n}次会议") for n, link in enumerate(links)
    }
    site = Site(pages, delay=4.0)
    try:
        profile = f'[site]\nname = "locked"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{site.url()}/"]\n'
        holder = hold_write_lock(db, 7.0)  # longer than the crawl waits for its database as it starts
        patience = ("-s", "EDUNEWS_DB_RETRIES=2", "-s", "EDUNEWS_DB_RETRY_DELAY=0.1")
        crawling = crawl(tmp_path, profile, db, *patience, wait=False)
        out, err = crawling.communicate(timeout=120)
        holder.join()
    finally:
        site.close()
    assert crawling.returncode == 0, err[-3000:]
    with Session(make_engine(str(db))) as session:
        (run,) = session.scalars(select(CrawlRun)).all()
    assert (run.finish_reason, run.id) == ("finished", json.loads(out)["run_id"])
    assert run.pages_fetched >= 3 and run.articles_new >= 1
