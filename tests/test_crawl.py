"""End-to-end crawls of the bundled demo site through the real Scrapy engine, asserting on the database.

Each crawl runs in its own process (`python -m edunews crawl`), as a user runs it: the Twisted reactor
cannot restart inside one test process, and a separate process is what a kill test needs.
"""

from __future__ import annotations

import base64
import gc
import json
import logging
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.test import get_crawler
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_site_settings import FAST, Site, article_page, listing

from crawler.archive import is_warc, iter_warc_pages
from crawler.config import project_settings
from crawler.extensions import CollectorThreshold
from edunews.demo.profile import DEMO_CRAWL_SETTINGS, demo_profile_toml
from edunews.demo.site import DemoSite
from edunews.replay import replay_pages
from pipelines.db import make_engine
from pipelines.models import Article, CrawlRun, Sighting

ROOT = Path(__file__).parent.parent
EXIT_FAILURES = 1
T = TypeVar("T")


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with DemoSite(slow_seconds=4.0) as demo:
        yield demo


def crawl(site: DemoSite, tmp_path: Path, db: Path | str, *extra: str, wait: bool = True) -> subprocess.Popen | dict:
    """Crawl the demo site into ``db`` in a new process; returns the JSON output (or the process)."""
    profile = tmp_path / "demo.toml"
    profile.write_text(demo_profile_toml(site.url), encoding="utf-8")
    settings = [arg for name, value in DEMO_CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    command = [
        sys.executable,
        "-m",
        "edunews",
        "crawl",
        "--profile",
        str(profile),
        "--db",
        str(db),
        "--json",
        "--archive",
        str(tmp_path / "archive"),
        *settings,
        *extra,
    ]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not wait:
        return process
    out, err = process.communicate(timeout=300)
    # The demo site serves broken pages on purpose: a crawl of it finishes with failures (exit 1).
    assert process.returncode == EXIT_FAILURES, err[-3000:]
    result = json.loads(out)
    result["stats"] = {key.removeprefix("edunews/"): value for key, value in result["stats"].items()}
    return result


def requested(site: DemoSite, since: int = 0) -> list[str]:
    return [path for method, path, status in site.request_log[since:]]


def stored(db: Path | str) -> set[frozenset[str]]:
    """Each article as the set of URLs it was seen at: the same whichever copy happened to come first."""
    with Session(make_engine(str(db))) as session:
        return {frozenset(s.url for s in article.sightings) for article in session.scalars(select(Article))}


def test_crawl_stores_each_article_once_and_counts_every_failure(site: DemoSite, tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    result = crawl(site, tmp_path, db)
    stats = result["stats"]
    with Session(make_engine(str(db))) as session:
        articles = list(session.scalars(select(Article)))
        urls = [s.url for s in session.scalars(select(Sighting))]
        reposted = [a for a in articles if len(a.sightings) > 1]
        run = session.scalars(select(CrawlRun)).one()
    assert len(urls) == len(set(urls)), "a URL is stored once"
    assert stats["articles/new"] == len(articles)
    # The seed article's two copies on two sites merged into one article with two sightings.
    assert any("川渝职业教育协同发展" in a.title and len(a.sightings) == 2 for a in reposted)
    # The two pages of the multi-page article are one stitched article.
    gaokao = [a for a in articles if "新高考" in a.title]
    assert len(gaokao) == 1 and "志愿填报" in gaokao[0].text and "3月5日" in gaokao[0].text
    # Failures are counted and did not stop the crawl.
    assert stats["errors/http-500"] >= 1
    assert stats["errors/http-404"] >= 1
    assert any(key.startswith("errors/") and "timeout" in key for key in stats)
    assert stats["errors/undecodable"] >= 1
    assert stats["errors/redirect-loop"] == 1, "the redirect loop is an error, not a silent drop"
    assert stats.get("pages/not-article/list-page", 0) + stats.get("pages/not-article/login-page", 0) >= 1
    failed = {
        entry["url"] or entry["where"]: entry["reason"] for entry in result["not_stored"] if entry["kind"] == "failed"
    }
    assert failed[site.url + "/news/broken.html"] == "http-500" and failed[site.url + "/loop/b.html"] == "redirect-loop"
    assert result["failed"] == sum(value for key, value in stats.items() if key.startswith("errors/"))
    assert "/private/secret.html" not in requested(site), "robots.txt is obeyed"
    assert run.finish_reason == "finished" and run.articles_new == len(articles)
    assert run.errors["http-500"] >= 1


def test_second_crawl_fetches_only_new_pages(site: DemoSite, tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    crawl(site, tmp_path, db)
    first_articles = {url for urls in stored(db) for url in urls}
    mark = len(site.request_log)
    new_path = site.add_article(
        "new-article",
        "<html><head><meta charset='utf-8'><title>市教育局发布暑期安全提示_教育新闻</title></head><body>"
        "<h1>市教育局发布暑期安全提示</h1><div class='article-content'>"
        "<p>暑假将至，市教育局近日发布暑期安全提示，提醒家长加强对孩子的看护，严防溺水事故发生。</p>"
        "<p>提示要求各中小学校在放假前开展一次安全教育，向家长发放《致家长的一封信》，明确监护责任。</p>"
        "<p>市教育局还公布了暑期心理咨询热线，学生和家长在假期遇到困扰时可以随时拨打求助。</p>"
        "</div></body></html>".encode(),
    )
    second = crawl(site, tmp_path, db)["stats"]
    again = requested(site, mark)
    assert new_path in again
    assert second["articles/new"] == 1
    stored_paths = {url.split(site.url, 1)[-1] for url in first_articles}
    assert not stored_paths & set(again), "stored articles are not fetched again"
    assert second.get("listing/not-modified", 0) >= 1, "unchanged listing pages answer 304"


def test_killed_crawl_resumed_ends_like_an_uninterrupted_one(tmp_path: Path) -> None:
    with DemoSite(extra_articles=150, slow_seconds=1.0) as big:
        whole = tmp_path / "whole"
        whole.mkdir()
        crawl(big, whole, whole / "news.sqlite")

        killed = tmp_path / "killed"
        killed.mkdir()
        db = killed / "news.sqlite"
        process = crawl(big, killed, db, wait=False)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and count_articles(db) < 20:
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert 0 < count_articles(db) < count_articles(whole / "news.sqlite"), "killed mid-way"
        crawl(big, killed, db)
    assert stored(db) == stored(whole / "news.sqlite")
    assert fetch_counts(db) == fetch_counts(whole / "news.sqlite"), "no page counted as fetched twice"


def fetch_counts(db: Path | str, *, by_path: bool = True) -> dict[str, int]:
    """How many fetches each stored URL has, by its path (when the sites compared ran on different
    ports) or by the whole URL."""
    with Session(make_engine(str(db))) as session:
        rows = session.execute(select(Sighting.url, Sighting.fetch_count)).all()
    return {url.split("/", 3)[-1] if by_path else url: count for url, count in rows}


def count_articles(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_replaying_the_crawl_archive_reproduces_the_articles(site: DemoSite, tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    crawl(site, tmp_path, db)
    warcs = sorted(path for path in (tmp_path / "archive").iterdir() if is_warc(path))
    assert warcs
    replayed = tmp_path / "replayed.sqlite"
    pages = (page for warc in warcs for page in iter_warc_pages(warc))
    summary = replay_pages(pages, db=str(replayed))
    with Session(make_engine(str(db))) as crawled_session, Session(make_engine(str(replayed))) as replayed_session:
        crawled = {(a.title, a.fingerprint) for a in crawled_session.scalars(select(Article))}
        again = {(a.title, a.fingerprint) for a in replayed_session.scalars(select(Article))}
        linked = crawled_session.scalars(select(Sighting).where(Sighting.warc_path.is_not(None))).first()
    assert again == crawled, "exactly the crawled articles, the stitched two-page one included: not the feed"
    assert linked is not None, "stored articles link back to their archived bytes"
    skipped = {entry.url for entry in summary.ledger.entries if entry.reason == "not-html"}
    assert {site.url + "/feed.xml", site.url + "/sitemap.xml", site.url + "/robots.txt"} <= skipped


#: The size past which the kernel refuses to grow a file of the crawl (RLIMIT_FSIZE), as a full disk
#: would: its database stays far below it, its archive of 0.8 MB pages passes it at every second page.
FILE_SIZE_CAP = 1_000_000


def capped_file_size() -> None:
    """Run as the crawl's ``preexec_fn``: its files cannot grow past ``FILE_SIZE_CAP`` (Python ignores
    SIGXFSZ, so a write past it fails with EFBIG instead of ending the process)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_CAP, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))


def test_an_archive_that_fills_up_mid_crawl_costs_no_article_and_is_counted(tmp_path: Path) -> None:
    links = [f"/news/2026/1120/{n}.html" for n in range(4)]
    noise = [base64.b64encode(random.Random(n).randbytes(600_000)).decode() for n in range(len(links))]
    pages = {
        link: article_page(f"第{n}篇寒假安全工作新闻的标题").replace("</body>", f"<!-- {noise[n]} --></body>")
        for n, link in enumerate(links)
    }
    site = Site({"/": listing(links), **pages})
    profile = tmp_path / "site.toml"
    profile.write_text(f'[site]\nname = "mine"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{site.url()}/"]\n')
    db = tmp_path / "news.sqlite"
    command = [sys.executable, "-m", "edunews", "crawl", "--profile", str(profile), "--db", str(db), "--json"]
    settings = [arg for name, value in FAST.items() for arg in ("-s", f"{name}={value}")]
    try:
        done = subprocess.run(
            [*command, "--archive", str(tmp_path / "archive"), *settings],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=capped_file_size,
        )
    finally:
        site.close()

    assert done.returncode == EXIT_FAILURES, done.stderr[-3000:]
    stats = json.loads(done.stdout)["stats"]
    assert stats["edunews/archive/failed"] >= 1 and stats["edunews/archive/records"] >= 2
    assert "could not archive" in done.stderr and "File too large" in done.stderr
    with Session(make_engine(str(db))) as session:
        sightings = list(session.scalars(select(Sighting)))
    assert sorted(sighting.url for sighting in sightings) == [site.url() + link for link in links], "no page lost"
    assert sum(sighting.warc_path is None for sighting in sightings) == stats["edunews/archive/failed"]


def test_two_crawls_into_one_database_one_killed_the_next_run_recovers_only_the_dead_ones_journal(
    tmp_path: Path, postgres_url: str
) -> None:
    """Crawl X (one site) and crawl Y (another) write into one PostgreSQL database with one state
    folder; Y is killed with records in its journal. The next crawl of Y's site, started while X
    runs, recovers Y's journal and leaves X's alone; in the end the database holds what uninterrupted
    crawls of both sites store, each page fetched once."""
    state = tmp_path / "state"
    with DemoSite(extra_articles=150, slow_seconds=1.0) as one, DemoSite(extra_articles=150, slow_seconds=1.0) as two:
        whole = tmp_path / "whole.sqlite"
        for site, name in ((one, "whole-one"), (two, "whole-two")):
            crawl(site, folder(tmp_path, name), whole)

        # X crawls slowly so that it runs through all of Y's life and Z's start.
        x = crawl(one, folder(tmp_path, "x"), postgres_url, "--state-dir", str(state), *SLOWLY, wait=False)
        y = crawl(two, folder(tmp_path, "y"), postgres_url, "--state-dir", str(state), *STEADILY, wait=False)
        assert isinstance(x, subprocess.Popen) and isinstance(y, subprocess.Popen)
        y_state = wait_for(lambda: owned_folder(state, y.pid))
        wait_for(lambda: (sightings_of(postgres_url, two) >= 20 and journalled(y_state) > 0) or y.poll() is not None)
        assert y.poll() is None, f"Y ended before a moment with records committed and journalled: {finished(y)}"
        os.kill(y.pid, signal.SIGKILL)
        y.wait()
        assert journalled(y_state) > 0, "Y died with records it had not committed"
        x_state = owned_folder(state, x.pid)
        assert x.poll() is None and x_state is not None, "X is running"

        z = crawl(two, folder(tmp_path, "z"), postgres_url, "--state-dir", str(state), wait=False)
        assert isinstance(z, subprocess.Popen)
        wait_for(lambda: not y_state.exists() or z.poll() is not None, what="Z to recover Y's folder")
        assert not y_state.exists(), "Z recovered Y's folder"
        assert x.poll() is None and x_state.is_dir(), "X is still running, and its folder was left alone"
        assert json.loads((x_state / "owner.json").read_text(encoding="utf-8"))["run"] >= 1, "named by its crawl run"
        z_result = finished(z)
        assert z_result["stats"]["edunews/store/unspooled"] >= 1, "Z stored what Y had journalled"
        finished(x)

    assert stored(postgres_url) == stored(whole), "nothing lost, nothing stored twice"
    assert fetch_counts(postgres_url, by_path=False) == fetch_counts(whole, by_path=False), "no page fetched twice"
    assert not list(state.iterdir()), "every folder released or recovered"


#: Settings that make a crawl of the demo site take half a minute: one page at a time, 0.15 s apart.
SLOWLY = ("-s", "DOWNLOAD_DELAY=0.15", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
#: A third of that pace: a crawl at full speed can store its 150 articles between two looks of a test
#: waiting for a moment with records both committed and still journalled, and then never show one.
STEADILY = ("-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")


def folder(parent: Path, name: str) -> Path:
    made = parent / name
    made.mkdir()
    return made


def wait_for(condition: Callable[[], T], *, what: str = "the condition", seconds: float = 120) -> T:
    """Poll ``condition`` until it returns something true, and return that."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds:.0f} s for {what}")


def owned_folder(state: Path, pid: int) -> Path | None:
    """The state folder of the crawl process ``pid`` (named ``<host>-<pid>-<time>``)."""
    return next(iter(state.glob(f"*-{pid}-*")), None) if state.is_dir() else None


def journalled(state_folder: Path) -> int:
    """Bytes of records journalled but not committed in a process's state folder."""
    return sum(path.stat().st_size for path in state_folder.glob("journal.jsonl*"))


def sightings_of(db: str, site: DemoSite) -> int:
    with Session(make_engine(db)) as session:
        urls = session.scalars(select(Sighting.url).where(Sighting.url.startswith(site.url + "/"))).all()
    return len(urls)


def finished(process: subprocess.Popen) -> dict:
    """The JSON summary of a crawl started with ``wait=False``, once it ends as a demo crawl does: exit 1
    for the demo's broken pages, and no traceback, whatever went wrong on the way."""
    out, err = process.communicate(timeout=300)
    assert process.returncode == EXIT_FAILURES and "Traceback" not in err, err[-3000:]
    return json.loads(out)


def test_a_crawl_waits_for_a_database_that_falls_behind_and_still_stores_every_article(tmp_path: Path) -> None:
    """While the writer is stuck (another process holds the write lock), the crawl's finished items
    wait, so the records it holds for the database stay few, then every article is stored."""
    from test_store import hold_write_lock
    from test_workers import wait_for_articles

    from pipelines.store import BATCHES_AHEAD

    db = tmp_path / "news.sqlite"
    # Scrapy's scraper then holds at most 30 pages (each counted as 1 kB at least) before it stops the
    # downloads; a waiting item keeps its page there.
    held_pages = ["-s", "SCRAPER_SLOT_MAX_ACTIVE_SIZE=30000"]
    with DemoSite(extra_articles=300, slow_seconds=0.1) as site:
        process = crawl(site, tmp_path, db, *held_pages, wait=False)
        assert isinstance(process, subprocess.Popen)
        wait_for(db.exists, what="the database")
        wait_for_articles(db, 1)
        holder = hold_write_lock(db, 2.5)  # shorter than the writer's retries wait (3 s)
        out, err = process.communicate(timeout=300)
        holder.join()
        articles = len(site.article_paths())
    assert process.returncode == EXIT_FAILURES, err[-3000:]
    stats = json.loads(out)["stats"]
    assert stats["edunews/store/waits"] > 0, "items waited while the database was locked"
    # Only the item that filled a batch used to wait, so each page held stood for a whole batch: the
    # crawl went on through the lock and held some 300 records for its database.
    assert stats["edunews/store/unwritten-most"] <= BATCHES_AHEAD * 50 + 30
    assert stats.get("edunews/store/spooled", 0) == 0
    assert count_articles(db) == stats["edunews/articles/new"] >= articles - 5


def test_a_crawl_leaves_out_scrapys_remote_control_server() -> None:
    # An extension in the list is imported, even when it then declines to run: this one imports
    # aiohttp, 8 MB of every crawl's memory for a server a crawl must not open.
    extensions = build_component_list(project_settings().getwithbase("EXTENSIONS"))
    assert "scrapy.extensions.corestats.CoreStats" in extensions, "Scrapy's other extensions still run"
    assert "pipelines.crawling.CrawlRunRecorder" in extensions
    assert not [path for path in extensions if "remote_control" in path]


@pytest.fixture
def collector_thresholds() -> Iterator[tuple[int, int, int]]:
    """The interpreter's collector thresholds, put back after the test."""
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_a_crawl_collects_its_youngest_objects_less_often_than_python_does(
    collector_thresholds: tuple[int, int, int],
) -> None:
    configured = project_settings().getint("EDUNEWS_GC_YOUNGEST_THRESHOLD")
    gc.set_threshold(700, *collector_thresholds[1:])
    CollectorThreshold.from_crawler(get_crawler(settings_dict={"EDUNEWS_GC_YOUNGEST_THRESHOLD": configured}))
    assert gc.get_threshold() == (configured, *collector_thresholds[1:])
    assert configured > 700
    assert "crawler.extensions.CollectorThreshold" in build_component_list(project_settings().getwithbase("EXTENSIONS"))


def test_the_per_page_log_lines_are_made_only_at_a_level_that_shows_them() -> None:
    # Scrapy lets every record through to its handler, which dropped each page's two DEBUG lines.
    request = Request("http://127.0.0.1/news/1.html")
    response = HtmlResponse(request.url, request=request, body=b"<html></html>")
    formatter_class = load_object(project_settings()["LOG_FORMATTER"])
    for level, shown in (("DEBUG", True), ("INFO", False), ("CRITICAL", False), (logging.DEBUG, True)):
        crawler = get_crawler(settings_dict={"LOG_LEVEL": level})
        formatter = build_from_crawler(formatter_class, crawler)
        assert (formatter.crawled(request, response, crawler.spider) is not None) == shown, level
        assert (formatter.scraped({"title": "t"}, response, crawler.spider) is not None) == shown, level


def test_a_gc_threshold_of_0_leaves_the_collector_as_python_has_it(collector_thresholds: tuple[int, int, int]) -> None:
    with pytest.raises(NotConfigured):
        CollectorThreshold.from_crawler(get_crawler(settings_dict={"EDUNEWS_GC_YOUNGEST_THRESHOLD": 0}))
    assert gc.get_threshold() == collector_thresholds
