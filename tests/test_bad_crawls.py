"""Crawls that go wrong, as a user meets them (issue 10): a site that is unreachable, a start page whose
article links the generic rule does not see, and the demo's own broken pages. Real crawls through
``python -m edunews`` against servers on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from probes import Run, closed_port, edunews, seeded_db, snapshot
from sqlalchemy.orm import Session, sessionmaker
from test_site_settings import STORY, Site, article_page, listing

from edunews.scheduler import FAILURES, Scheduler, add_schedule, get_schedule, schedule_runs
from pipelines.db import open_database

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "HTTPPROXY_ENABLED=False"]


def test_a_schedule_whose_site_is_unreachable_records_the_failure_not_ok(tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    profile = tmp_path / "closed.toml"
    profile.write_text(
        f'[site]\nname = "closed"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["http://127.0.0.1:{closed_port()}/"]\n',
        encoding="utf-8",
    )
    sessions: sessionmaker[Session] = open_database(str(db))
    with sessions.begin() as session:  # added an hour ago: due now
        add_schedule(session, "closed", str(profile), every="1h", now=datetime.now(UTC) - timedelta(hours=1))
    stop = threading.Event()
    once = ["-s", "RETRY_TIMES=0", "-s", "EDUNEWS_ROBOTS_TRIES=1"]  # robots.txt is unreachable too: read once
    runner = Scheduler(str(db), poll_seconds=0.2, crawl_args=[*FAST, *once, "--archive", ""])
    thread = threading.Thread(target=runner.run, args=(stop,), daemon=True)
    thread.start()
    try:
        for _ in range(600):
            with sessions() as session:
                runs = schedule_runs(session, "closed")
            if runs and runs[0].finished_at:
                break
            stop.wait(0.2)
    finally:
        stop.set()
        thread.join(timeout=60)
    (run,) = runs
    assert run.exit_code == 1
    assert run.outcome == f"{FAILURES} (robots-unreachable 1)"
    with sessions() as session:
        assert get_schedule(session, "closed").last_outcome == run.outcome


def no_digit_site() -> Site:
    """A news section whose article links have no number in their path: the generic rule misses them."""
    slugs = ("winter-safety", "library-opens", "teachers-award")
    links = "".join(f"<li><a href='/news/{slug}.html'>寒假安全工作部署新闻标题{slug}</a></li>" for slug in slugs)
    pages = {"/news/": f"<html><body><ul>{links}</ul></body></html>"}
    for number, slug in enumerate(slugs):
        title = f"市教育局部署寒假安全工作第{number + 1}次会议"
        story = STORY.replace("会议", f"第{number + 1}次会议")
        pages[f"/news/{slug}.html"] = (
            f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{story}</body></html>"
        )
    return Site(pages)


def test_crawl_url_says_what_it_follows_why_it_found_nothing_and_takes_an_article_pattern(tmp_path: Path) -> None:
    db = seeded_db(tmp_path)
    before = snapshot(db)
    site = no_digit_site()
    try:
        start = site.url() + "/news/"
        run = edunews("crawl", "--url", start, "--db", str(db), "--archive", "", *FAST, cwd=tmp_path)
        assert run.code == 0, run.err  # nothing failed: nothing looked like an article
        rule, *_, hint = run.lines
        assert rule.startswith(f"edunews: from {start}, following links on 127.0.0.1 whose link text is 6+ characters")
        assert "--article-pattern" in rule
        assert hint.startswith("edunews: no link looked like an article: 3 links on the site were not followed")
        assert site.url() + "/news/winter-safety.html" in hint and "--article-pattern REGEX" in hint
        assert snapshot(db)["articles"] == before["articles"]

        pattern = r"/news/[a-z-]+\.html$"
        run = edunews(
            "crawl", "--url", start, "--article-pattern", pattern, "--db", str(db), "--archive", "", *FAST, "--json",
            cwd=tmp_path,
        )  # fmt: skip
        assert run.code == 0, run.err
        assert json.loads(run.out)["stats"]["edunews/pages/articles"] == 3, run.out
        after = snapshot(db)
        assert set(before["articles"]) <= set(after["articles"]) and set(before["sightings"]) <= set(after["sightings"])
        stored = {row[2] for row in after["sightings"]} - {row[2] for row in before["sightings"]}
        assert stored == {
            f"{site.url()}/news/{slug}.html" for slug in ("winter-safety", "library-opens", "teachers-award")
        }

        two = r"/news/(winter-safety|library-opens)\.html$"  # the third link is not followed now
        again = edunews(
            "crawl", "--url", start, "--article-pattern", two, "--db", str(db), "--archive", "", *FAST,
            cwd=tmp_path,
        )  # fmt: skip
        assert again.code == 0 and "no link looked like an article" not in again.err, "two did: both stored"
    finally:
        site.close()


def test_the_demo_names_its_broken_pages_prints_progress_once_and_shows_the_run_as_a_run(tmp_path: Path) -> None:
    run = edunews("demo", "--port", "0", "--db", str(tmp_path / "demo.sqlite"), cwd=tmp_path)

    assert run.code == 1, run.err[-3000:]  # the demo site's broken pages are broken on purpose
    progress = [line for line in run.err.splitlines() if line.startswith("crawling:")]
    assert all(one != next_one for one, next_one in zip(progress, progress[1:], strict=False)), run.err
    assert "run_id" not in run.out and "crawl summary (crawl run 1)" in run.out
    for path in ("/news/broken.html", "/news/gone.html", "/loop/b.html", "/news/empty.html", "/news/report.html"):
        assert path in run.out, f"{path} is named in the summary"
    assert "Traceback" not in run.err
    assert run.lines[-1].startswith("edunews: finished with failures: 6 inputs failed (http-404 1, http-500 1,")


def test_a_catastrophic_article_pattern_cannot_hold_a_crawl(tmp_path: Path) -> None:
    # (a+)+$ backtracks exponentially in Python's re on a run of "a"s not at the end of the URL: the
    # crawl ran at 100 % CPU for good. RE2 matches it in linear time, so the crawl is over in seconds.
    trap = "/news/" + "a" * 34 + ".html"
    site = Site({"/news/": f"<html><body><a href='{trap}'>寒假安全工作部署新闻标题</a></body></html>"})
    try:
        started = time.monotonic()
        run = edunews(
            "crawl", "--url", site.url() + "/news/", "--article-pattern", "(a+)+$", "--db", str(tmp_path / "n.sqlite"),
            "--archive", "", *FAST, cwd=tmp_path, timeout=120,
        )  # fmt: skip
        took = time.monotonic() - started
    finally:
        site.close()
    assert run.code == 0, run.err
    assert trap not in site.log, "the link does not match: it was not followed"
    # A crawl's start-up alone takes a few seconds on a busy machine; the old matching took hours.
    assert took < 60, f"the crawl took {took:.0f} s"


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def crawl_inputs(tmp_path: Path, site: Site, inputs: str) -> Run:
    """A crawl (``--json``) of a profile whose ``[crawl]`` section is ``inputs``; the site is closed after."""
    profile = tmp_path / "inputs.toml"
    profile.write_text(f'[site]\nname = "inputs"\ndomains = ["127.0.0.1"]\n[crawl]\n{inputs}', encoding="utf-8")
    try:
        return edunews(
            "crawl", "--profile", str(profile), "--db", str(tmp_path / "n.sqlite"), "--archive", "", "--json", *FAST,
            cwd=tmp_path,
        )  # fmt: skip
    finally:
        site.close()


def test_a_sitemap_or_feed_of_the_other_kind_is_read_as_it_is_and_one_of_neither_fails_by_name(tmp_path: Path) -> None:
    one, two = "/news/2026/1120/1.html", "/news/2026/1120/2.html"
    site = Site({one: article_page("市教育局部署寒假安全工作"), two: article_page("市教育局召开寒假安全工作会议")})
    base = site.url()
    site.pages |= {
        "/rss.xml": f"<rss version='2.0'><channel><item><link>{base}{one}</link></item></channel></rss>",
        "/sitemap.xml": f"<urlset xmlns='{SITEMAP_NS}'><url><loc>{base}{two}</loc></url></urlset>",
        "/news/": "<html><body><a href='/news/2026/1120/3.html'>a listing page, not a feed</a></body></html>",
        "/robots.txt": "User-agent: *\nAllow: /\n",
    }  # fmt: skip
    inputs = f'sitemaps = ["{base}/rss.xml", "{base}/robots.txt"]\nfeeds = ["{base}/sitemap.xml", "{base}/news/"]\n'
    run = crawl_inputs(tmp_path, site, inputs)

    assert run.code == 1, run.err[-3000:]
    report = json.loads(run.out)
    stats = report["stats"]
    assert stats["edunews/sitemap/read-as-feed"] == 1 and stats["edunews/feed/read-as-sitemap"] == 1
    assert stats["edunews/pages/articles"] == 2 and one in site.log and two in site.log
    failed = {(entry["stat"], entry["where"]) for entry in report["not_stored"] if entry["kind"] == "failed"}
    assert failed == {
        ("edunews/errors/not-a-sitemap", f"{base}/robots.txt"),
        ("edunews/errors/not-a-feed", f"{base}/news/"),
    }
    assert "edunews/errors/spider-error" not in stats and "Traceback" not in run.err
    assert f"edunews: {base}/rss.xml is a feed (<rss>), not a sitemap: read as a feed" in run.lines
    assert run.lines[-1] == (
        "edunews: finished with failures: 2 inputs failed (not-a-feed 1, not-a-sitemap 1), each named in the summary"
    )


def test_a_gzipped_sitemap_served_as_a_file_is_read_and_one_that_does_not_unzip_or_unzips_too_large_fails_by_name(
    tmp_path: Path,
) -> None:
    # Sites serve sitemap.xml.gz as a gzip file (application/x-gzip, no Content-Encoding): Scrapy hands
    # the spider the compressed bytes.
    one = "/news/2026/1120/1.html"
    site = Site({one: article_page("市教育局部署寒假安全工作")})
    base = site.url()
    packed = gzip.compress(f"<urlset xmlns='{SITEMAP_NS}'><url><loc>{base}{one}</loc></url></urlset>".encode())
    # A small file that unzips past what a download may be (DOWNLOAD_MAXSIZE, 10 MiB): a gzip bomb.
    bomb = gzip.compress(b"<urlset>" + b" " * (11 * 2**20))
    site.pages |= {
        "/sitemap.xml.gz": packed,
        "/cut.xml.gz": packed[:12],
        "/bomb.xml.gz": bomb,
        "/robots.txt": "User-agent: *\nAllow: /\n",
    }
    inputs = f'sitemaps = ["{base}/sitemap.xml.gz", "{base}/cut.xml.gz", "{base}/bomb.xml.gz"]\n'
    run = crawl_inputs(tmp_path, site, inputs)

    assert run.code == 1, run.err[-3000:]
    report = json.loads(run.out)
    assert report["stats"]["edunews/pages/articles"] == 1 and one in site.log
    failed = {entry["where"]: entry for entry in report["not_stored"] if entry["kind"] == "failed"}
    assert sorted(failed) == [f"{base}/bomb.xml.gz", f"{base}/cut.xml.gz"]
    assert {entry["stat"] for entry in failed.values()} == {"edunews/errors/not-a-sitemap"}
    assert all("does not unzip" in entry["detail"] for entry in failed.values()) and "Traceback" not in run.err


class SlowPages(Site):
    """A site whose pages under ``slow`` answer only after ``seconds``."""

    def __init__(self, pages: dict[str, str | bytes], slow: str, seconds: float) -> None:
        super().__init__(pages)
        self.slow, self.seconds = slow, seconds

    def hold(self, path: str) -> None:
        if path.startswith(self.slow):
            time.sleep(self.seconds)


def test_an_article_waiting_for_its_next_page_when_the_crawl_stops_is_named_and_due_again(tmp_path: Path) -> None:
    first, second, slow = "/news/2026/1120/7.html", "/news/2026/1120/7_2.html", "/news/2026/1121/8.html"
    page = article_page("市教育局部署寒假安全工作")
    pager = f"<div class='pagination'>1 <a href='{second}'>2</a> <a href='{second}'>下一页</a></div>"
    pages = {"/news/": listing([slow, first]), first: page.replace("</body>", f"{pager}</body>"), second: page}
    site = SlowPages(pages | {slow: article_page("市教育局召开寒假安全工作会议")}, "/news/2026/1121/", 6)
    # One request at a time, the newest first: page 1, then the slow page while page 2 waits its turn;
    # the crawl stops at 3 s.
    one = ["-s", "CONCURRENT_REQUESTS=1", "-s", "CLOSESPIDER_TIMEOUT=3"]
    try:
        run = edunews(
            "crawl", "--url", site.url() + "/news/", "--db", str(tmp_path / "n.sqlite"), "--archive", "", "--json",
            *FAST, *one, cwd=tmp_path, timeout=120,
        )  # fmt: skip
    finally:
        site.close()

    report = json.loads(run.out)
    assert second not in site.log and report["stats"]["edunews/articles/new"] == 1, "the slow page is stored"
    waiting = [entry for entry in report["not_stored"] if entry["stat"] == "edunews/pages/skipped/next-page-unread"]
    assert [entry["where"] for entry in waiting] == [site.url() + first]
    assert report["stats"]["edunews/ledger/pending"] == 1, "the article stays due for the next crawl"
