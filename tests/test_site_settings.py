"""A user's site profile is the one every stage of a crawl sees, and is checked when it is read.

The crawls run through the real Scrapy engine (``python -m edunews crawl`` in a process of its own)
against a small site served on 127.0.0.1 by this test, and the assertions read the real database.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.extraction.profiles import ProfileError, profile_from_text
from pipelines.db import make_engine
from pipelines.models import Article, Sighting

ROOT = Path(__file__).parent.parent
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": False, "HTTPPROXY_ENABLED": False}
STORY = (
    "<p>市教育局近日召开会议，部署今年寒假期间中小学安全工作，要求各校在放假前完成一次安全隐患排查。</p>"
    "<p>会议要求各校通过家长会和致家长的一封信，提醒家长加强对孩子的看护，特别是防溺水和交通安全。</p>"
)


class Site:
    """A few pages on 127.0.0.1, each served after ``delay`` seconds (with the status ``statuses`` gives
    it, else 200, or 404 for a page not in ``pages``); every request is logged. A page given as bytes is
    a file served as it is (``application/x-gzip``, as servers send ``sitemap.xml.gz``)."""

    def __init__(
        self, pages: dict[str, str | bytes], delay: float = 0.0, statuses: dict[str, int] | None = None
    ) -> None:
        self.pages = pages
        self.delay = delay
        self.statuses = statuses or {}
        self.log: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                site.log.append(self.path)
                site.hold(self.path)
                body = site.pages.get(self.path)
                self.send_response(site.statuses.get(self.path, 200 if body is not None else 404))
                binary = isinstance(body, bytes)
                self.send_header("Content-Type", "application/x-gzip" if binary else "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body if binary else (body or "<html><body>not here</body></html>").encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def hold(self, path: str) -> None:
        """Wait before answering a request for ``path``: ``delay`` seconds here."""
        time.sleep(self.delay)

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.shutdown()


def article_page(title: str, headline: str = "") -> str:
    shown = f"<span class='mytitle'>{headline}</span>" if headline else f"<h1>{title}</h1>"
    return (
        f"<html><head><title>{title}</title></head><body><h1 class='logo'>某市教育网</h1>{shown}{STORY}</body></html>"
    )


def listing(links: list[str]) -> str:
    items = "".join(f"<li><a href='{link}'>寒假安全工作部署第{n}条新闻标题</a></li>" for n, link in enumerate(links))
    return f"<html><body><ul>{items}</ul></body></html>"


def crawl(tmp_path: Path, profile: str, db: Path, *extra: str, wait: bool = True) -> subprocess.Popen | dict:
    path = tmp_path / "site.toml"
    path.write_text(profile, encoding="utf-8")
    settings = [arg for name, value in FAST.items() for arg in ("-s", f"{name}={value}")]
    command = [sys.executable, "-m", "edunews", "crawl", "--profile", str(path), "--db", str(db), "--json"]
    process = subprocess.Popen(
        [*command, "--archive", "", *settings, *extra],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if not wait:
        return process
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out)


@pytest.fixture
def site() -> Iterator[Site]:
    article = article_page("某市教育网", "市教育局部署寒假安全工作")
    pages = {"/": listing(["/news/2026/1120/1.html"]), "/news/2026/1120/1.html": article}
    served = Site(pages)
    yield served
    served.close()


def test_the_profile_title_selector_is_used_in_a_crawl(site: Site, tmp_path: Path) -> None:
    profile = (
        f'[site]\nname = "mine"\ndomains = ["127.0.0.1"]\n'
        f'[crawl]\nstart_urls = ["{site.url()}/"]\n'
        '[selectors]\ntitle = "span.mytitle"\n'
    )
    crawl(tmp_path, profile, tmp_path / "news.sqlite")
    with Session(make_engine(str(tmp_path / "news.sqlite"))) as session:
        assert [article.title for article in session.scalars(select(Article))] == ["市教育局部署寒假安全工作"]


def test_the_profile_host_aliases_key_storage_and_the_incremental_skip(tmp_path: Path) -> None:
    # The site's pages are stored under the host the profile folds this one into.
    path = "/news/2026/1120/1.html"
    site = Site({"/": listing([path]), path: article_page("市教育局部署寒假安全工作")})
    profile = (
        f'[site]\nname = "mine"\ndomains = ["127.0.0.1"]\n'
        f'[crawl]\nstart_urls = ["{site.url()}/"]\n'
        '[host_aliases]\n"127.0.0.1" = "www.example.edu.cn"\n'
    )
    db = tmp_path / "news.sqlite"
    crawl(tmp_path, profile, db)
    with Session(make_engine(str(db))) as session:
        urls = [sighting.url for sighting in session.scalars(select(Sighting))]
    assert urls == [f"http://www.example.edu.cn:{site.port}{path}"]
    second = crawl(tmp_path, profile, db)
    site.close()
    assert site.log.count(path) == 1, "the stored article is not fetched again"
    assert second["stats"]["edunews/skipped/known"] == 1


def test_a_crawl_resumed_from_its_job_folder_fetches_nothing_twice(tmp_path: Path) -> None:
    links = [f"/news/2026/1120/{n}.html" for n in range(12)]
    pages = {"/": listing(links), **{link: article_page(f"第{n}篇寒假安全新闻的标题") for n, link in enumerate(links)}}
    slow = Site(pages, delay=0.4)
    try:
        profile = f'[site]\nname = "mine"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{slow.url()}/"]\n'
        db, jobdir = tmp_path / "news.sqlite", tmp_path / "job"
        options = ("--jobdir", str(jobdir), "-s", "CONCURRENT_REQUESTS=1")
        first = crawl(tmp_path, profile, db, *options, wait=False)
        assert isinstance(first, subprocess.Popen)
        while len(slow.log) < 5:
            time.sleep(0.05)
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=120)
        crawl(tmp_path, profile, db, *options)
        assert sorted(slow.log) == sorted(["/", *links]), "every page once, the listing included"
        with Session(make_engine(str(db))) as session:
            # The pages share their text: one article, seen at every page.
            assert len(list(session.scalars(select(Sighting)))) == len(links)
    finally:
        slow.close()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[selectors]\ntitel = "h1"', "[selectors] unknown key 'titel'"),
        ('[crawl]\nstart_url = ["http://a.cn/"]', "[crawl] unknown key 'start_url'"),
        ('[crawl]\nmax_listing_pages = "5"', "[crawl] max_listing_pages: expected a whole number"),
        ("[site.extra]\nx = 1", "unknown key 'extra'"),
        ('[host_aliases]\n"m.a.cn" = 3', "[host_aliases] m.a.cn"),
        ("[crawls]\nfeeds = []", "unknown table [crawls]"),
        ("[crawl]\nlisting_url = 'index_(\\d+'", "[crawl] listing_url: not a regular expression"),
        ("[crawl]\nlisting_url = '/(?!news)'", "[crawl] listing_url: cannot be matched in linear time"),
        ('[crawl]\nstart_urls = ["ftp://a.cn/"]', "[crawl] start_urls: needs an http:// or https:// address"),
        ('[crawl]\nfeeds = ["http://[bad/rss"]', "[crawl] feeds: 'http://[bad/rss' is not an address that parses"),
        ("[crawl]\nconcurrency = 0", "[crawl] concurrency: must be at least 1"),  # it would never end
        ("[crawl]\ndownload_delay = -1", "[crawl] download_delay: must be at least 0"),
        ('[crawl]\nstart_urls = ["http://b.cn/news/"]', "'http://b.cn/news/' is outside [site] domains (a.cn)"),
        # A selector that does not compile failed the extraction of every page of the crawl.
        ('[selectors]\ntitle = "div[[["', "[selectors] title: 'div[[[' is not a CSS selector"),
        ('[selectors]\nbody = "//div[@class="', "[selectors] body: '//div[@class=' is not an XPath selector"),
        ('[selectors]\ndate = "p:nth-child(x)"', "[selectors] date: 'p:nth-child(x)' is not a CSS selector"),
        ("[crawl]\nnext_page = \"//a[@rel='next']\"", "[crawl] next_page: \"//a[@rel='next']\" is not a CSS selector"),
    ],
)
def test_a_profile_with_an_unknown_or_mistyped_key_is_refused_naming_it(text: str, message: str) -> None:
    with pytest.raises(ProfileError) as refused:
        profile_from_text('[site]\nname = "x"\ndomains = ["a.cn"]\n' + text, "mine.toml")
    assert str(refused.value).startswith("mine.toml: ") and message in str(refused.value)


def test_working_css_and_xpath_selectors_are_taken_as_written() -> None:
    selectors = {"title": "h1.headline::text", "body": "(//div[@id='content'])[1]", "author": "span:nth-child(2)"}
    lines = "".join(f'{key} = "{value}"\n' for key, value in selectors.items())
    profile = profile_from_text(
        f'[site]\nname = "x"\ndomains = ["a.cn"]\n[crawl]\nnext_page = "a.next"\n[selectors]\n{lines}', "mine.toml"
    )
    assert profile.selectors.title == selectors["title"] and profile.selectors.body == selectors["body"]
    assert profile.crawl.next_page == "a.next"


def crawl_with_profile_file(tmp_path: Path, path: Path) -> subprocess.CompletedProcess:
    """``edunews crawl --profile FILE`` into a database in ``tmp_path``, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "edunews", "crawl", "--profile", str(path), "--db", str(tmp_path / "n.sqlite")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    ("table", "line"),
    [
        ('[selectors]\nbody_text = "div"', "[selectors] unknown key 'body_text'"),
        # Taken before, this selector then failed every page of the crawl as extract-failed.
        ('[selectors]\ntitle = "div[[["', "[selectors] title: 'div[[[' is not a CSS selector ("),
    ],
)
def test_the_crawl_command_says_what_is_wrong_with_a_profile_in_one_line(tmp_path: Path, table: str, line: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(f'[site]\nname = "x"\ndomains = ["a.cn"]\n{table}\n', encoding="utf-8")
    result = crawl_with_profile_file(tmp_path, path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"edunews: {path}: {line}")
    assert result.stderr.strip().count("\n") == 0 and not (tmp_path / "n.sqlite").exists()


@pytest.mark.parametrize(
    ("profile", "line"),
    [
        ("nosuch", "edunews: no profile named 'nosuch' (known: 1xbbk, "),
        ("bad.toml", "bad.toml: [selectors] title: 'div[[[' is not a CSS selector ("),
    ],
)
def test_a_bare_scrapy_crawl_says_what_is_wrong_with_its_profile_in_one_line(
    tmp_path: Path, profile: str, line: str
) -> None:
    (tmp_path / "bad.toml").write_text('[site]\nname = "x"\ndomains = ["a.cn"]\n[selectors]\ntitle = "div[[["\n')
    given = profile if profile == "nosuch" else str(tmp_path / profile)
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"profile={given}", "-s", "LOG_LEVEL=WARNING"]
        + ["-s", f"EDUNEWS_DB={tmp_path / 'n.sqlite'}"],
        capture_output=True,
        text=True,
        cwd=ROOT,  # the project: scrapy.cfg names its settings
    )
    assert result.returncode == 2, result.stderr[-3000:]
    (said,) = result.stderr.splitlines()  # a traceback before
    assert line in said and not (tmp_path / "n.sqlite").exists()


def test_a_binary_profile_file_is_refused_in_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "picture.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = crawl_with_profile_file(tmp_path, path)
    assert result.returncode == 2
    assert result.stderr == f"edunews: {path}: not a profile: not UTF-8 text (byte 0x89 at 0)\n"


def test_a_listing_with_links_that_do_not_parse_keeps_its_other_links(tmp_path: Path) -> None:
    bad = ["http://[bad/x/2026/1120/2.html", "http://127.0.0.1:99999/2026/1120/3.html", "//[::1/2026/1120/4.html"]
    story = article_page("市教育局部署寒假安全工作")
    served = Site({"/": listing([*bad, "/news/2026/1120/1.html"]), "/news/2026/1120/1.html": story})
    try:
        profile = f'[site]\nname = "mine"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{served.url()}/"]\n'
        report = crawl(tmp_path, profile, tmp_path / "news.sqlite")
    finally:
        served.close()
    assert report["stats"]["edunews/links/malformed"] == len(bad)
    assert report["stats"]["edunews/articles/new"] == 1 and "spider-error" not in json.dumps(report)


def test_a_listing_that_links_a_gone_page_and_a_failing_one_does_not_refetch_them_before_they_are_due(
    tmp_path: Path,
) -> None:
    gone, failing, fine = "/news/2026/1120/7.html", "/news/2026/1120/8.html", "/news/2026/1120/9.html"
    story = article_page("市教育局部署寒假安全工作")
    served = Site({"/": listing([gone, failing, fine]), failing: story, fine: story}, statuses={failing: 500})
    profile = f'[site]\nname = "mine"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{served.url()}/"]\n'
    try:
        for _ in range(3):  # the listing answers 200 every time, linking all three
            process = crawl(tmp_path, profile, tmp_path / "news.sqlite", "-s", "RETRY_TIMES=0", wait=False)
            process.communicate(timeout=300)  # type: ignore[union-attr]
            assert process.returncode in (0, 1)  # type: ignore[union-attr] - 1 while a page fails
    finally:
        served.close()
    assert served.log.count(gone) == 1, "a 404 is never asked for again"
    assert served.log.count(failing) == 2, "a failure is tried on the next crawl, then backs off (an hour)"
    assert served.log.count(fine) == 1
