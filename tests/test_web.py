"""The read-only web view: its pages, filters, search, escaping and security headers, in-process over
a database filled by the real pipeline, then in a real headless Chromium driven by Playwright."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from urllib.request import urlopen
from wsgiref.util import setup_testing_defaults

import pytest
from click.testing import CliRunner
from postgres import DATABASES, new_database
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from crawler.config import project_settings
from crawler.extraction.items import Article as ArticleItem
from crawler.incremental import FAILED, LedgerNote
from edunews.cli import main
from edunews.replay import input_pages, replay_pages
from edunews.web import WebApp, make_app, make_server, read_only_sessions
from edunews.web.filters import safe_href
from pipelines import ledger, storage
from pipelines.db import open_database
from pipelines.ingest import Ingestor
from pipelines.models import Article, Schedule

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
#: The machine's closed network refuses Chromium's background connections; these flags stop them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

HOSTILE_URL = "https://www.xss-demo.edu.cn/zsks/2024/0305/notice.html"
HOSTILE_TITLE = "<script>alert(1)</script>招生考试院发布2024年春季招生通知"
HOSTILE_PARAGRAPHS = [
    "省教育考试院近日发布2024年春季招生工作通知，明确报名时间、考试科目和录取办法。<img src=x onerror=alert(2)>",
    "通知要求各地招生考试机构做好考生服务，严格执行招生政策，确保招生工作公平公正。",
]
#: Articles the fixtures store (22 article pages, two of them pages of one article), plus the hostile one.
ARTICLES = 22


@pytest.fixture(scope="module", params=DATABASES)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The fixtures replayed through the real pipeline, one hostile article pushed through the same
    pipeline, two crawl runs recorded by the storage functions a crawl uses, and one schedule; on
    SQLite and on PostgreSQL, which the page must show alike."""
    database = new_database(request, tmp_path_factory.mktemp("web"))
    _, pages = input_pages([FIXTURES])
    replay_pages(pages, db=database)
    hostile = ArticleItem(
        url=HOSTILE_URL,
        canonical_url="javascript:alert(3)",
        title=HOSTILE_TITLE,
        text="\n".join(HOSTILE_PARAGRAPHS),
        paragraphs=HOSTILE_PARAGRAPHS,
        published_at="2024-03-05T10:00:00+08:00",
        fetched_at="2026-11-20T10:00:00+08:00",
        source='<b onmouseover="alert(4)">省教育考试院</b>',
        site_name="招生考试网",
        language="zh",
        removed=[{"reason": "ad", "text": "<script>alert(5)</script>点击领取高考志愿卡"}],
    )
    with Ingestor(project_settings({"EDUNEWS_DB": database})) as ingest:
        ingest(hostile)
    sessions = open_database(database)
    with sessions.begin() as session:
        done = storage.start_run(session, "moe", datetime(2026, 11, 19, 2, 0, tzinfo=UTC))
        storage.finish_run(
            session,
            done,
            datetime(2026, 11, 19, 2, 5, tzinfo=UTC),
            "finished",
            {"downloader/response_count": 42, "edunews/articles/new": 7, "edunews/errors/http-500": 2},
        )
        storage.start_run(session, "jyt-yn", datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
        found = datetime(2026, 11, 19, 2, 1, tzinfo=UTC)
        slow, waiting = "http://www.moe.gov.cn/slow.html", "http://www.moe.gov.cn/next.html"
        ledger.record_discovered(session, "moe", [(slow, slow), (waiting, waiting)], found)
        timed_out = LedgerNote(slow, FAILED, "edunews/errors/timeout-error")
        ledger.apply_notes(session, "moe", [timed_out], found, ledger.Backoff(timedelta(hours=1), timedelta(days=7)))
        session.add(
            Schedule(
                name="moe-every-6h",
                profile="moe",
                every_seconds=6 * 3600,
                created_at=datetime(2026, 11, 1, tzinfo=UTC),
                next_run_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
                last_run_at=datetime(2026, 11, 20, 2, 0, tzinfo=UTC),
                last_outcome="ok",
            )
        )
    return database


@pytest.fixture(scope="module")
def app(db: str) -> WebApp:
    return make_app(read_only_sessions(db))


@pytest.fixture(scope="module")
def ids(db: str) -> dict[str, int]:
    """Article ids by a distinctive part of their title."""
    with open_database(db)() as session:
        titles = dict(session.execute(select(Article.title, Article.id)).all())
    wanted = {"repost": "川渝职业教育", "english": "Maple Valley", "hostile": "招生考试院"}
    return {name: next(id_ for title, id_ in titles.items() if part in title) for name, part in wanted.items()}


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str


def call(app: WebApp, path: str, method: str = "GET", **params: str) -> Reply:
    """One request straight into the WSGI application, as a server would make it."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": urlencode(params),
        "wsgi.input": io.BytesIO(b""),
    }
    setup_testing_defaults(environ)
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        started["status"], started["headers"] = int(status.split()[0]), dict(headers)

    body = b"".join(app(environ, start_response))
    return Reply(started["status"], started["headers"], body.decode("utf-8"))


def row_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<td class="title"><a href="/articles/(\d+)"', html)]


def row_titles(html: str) -> list[str]:
    return re.findall(r'<td class="title"><a href="/articles/\d+"[^>]*>(.*?)</a>', html)


# --- in-process --------------------------------------------------------------------------------


def test_front_page_lists_every_article_with_site_local_time_source_and_sightings(app: WebApp) -> None:
    reply = call(app, "/")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    assert len(row_titles(reply.text)) == ARTICLES
    # Published in Beijing time as the page gave it, not in UTC (stored 2021-04-27 02:35 UTC).
    assert "2021-04-27 10:35 +08:00" in reply.text
    assert "Maple Valley" in reply.text and "www.lakeshore-edreview-demo.com" in reply.text
    sightings = dict(
        re.findall(r'<td class="title">.*?>([^<]*)</a>.*?<td class="num">(\d+)</td>\s*</tr>', reply.text, re.S)
    )
    assert sightings["重庆：吹响川渝职业教育协同发展的嘹亮号角"] == "2"
    assert sightings["我校第十届校园读书节开幕"] == "1"


def test_front_page_filters_by_site(app: WebApp) -> None:
    reply = call(app, "/", site="www.eduzx.com.cn")
    assert row_titles(reply.text) == ["重庆：吹响川渝职业教育协同发展的嘹亮号角"]
    assert '<option value="www.eduzx.com.cn" selected>' in reply.text


def test_front_page_filters_by_publication_dates_including_the_until_day(app: WebApp) -> None:
    reply = call(app, "/", since="2024-03-05", until="2024-03-05")
    titles = row_titles(reply.text)
    assert len(titles) == 4  # English, Big5, the stitched two-page article, the hostile one
    assert any("Maple Valley" in title for title in titles)
    assert all("2024-03-05" in row for row in re.findall(r'<td class="time">(.*?)</td>', reply.text))


def test_front_page_pages_with_previous_and_next_links_keeping_filters(db: str) -> None:
    small = make_app(read_only_sessions(db), page_size=5)
    last = -(-ARTICLES // 5)
    seen: list[int] = []
    for page in range(1, last + 1):
        reply = call(small, "/", page=str(page), since="2019-01-01")
        seen += row_ids(reply.text)
        assert ('rel="prev"' in reply.text) == (page > 1)
        assert ('rel="next"' in reply.text) == (page < last)
    assert f'href="/?since=2019-01-01&amp;page={last}"' in call(small, "/", page=str(last - 1), since="2019-01-01").text
    assert len(seen) == len(set(seen)) == ARTICLES
    assert row_ids(call(small, "/", page="9").text) == []


@pytest.mark.parametrize(
    ("query", "title_part"),
    [("职教", "川渝职业教育"), ("课后", "课后服务"), ("literacy", "Maple Valley"), ("招生", "招生考试院")],
)
def test_search_finds_two_character_chinese_words_and_english_words(app: WebApp, query: str, title_part: str) -> None:
    reply = call(app, "/search", q=query)
    assert reply.status == 200
    titles = row_titles(reply.text)
    assert any(title_part in title for title in titles)
    assert len(titles) < ARTICLES
    assert f'name="q" value="{query}"' in reply.text


@pytest.mark.parametrize("query", ["a", "*", "，。"])
def test_search_for_what_cannot_be_searched_says_why_as_the_command_does(app: WebApp, query: str) -> None:
    reply = call(app, "/search", q=query)
    assert reply.status == 200 and "Cannot search for this" in reply.text and "No article contains" not in reply.text


def test_a_page_past_the_last_says_so_rather_than_that_nothing_matched(app: WebApp) -> None:
    assert "Page 9 is past the last page of articles containing “教”" in call(app, "/search", q="教", page="9").text
    assert "Page 9 is past the last page of articles." in call(app, "/", page="9").text


def test_search_for_an_absent_word_says_nothing_matched(app: WebApp) -> None:
    reply = call(app, "/search", q="量子计算机")
    assert row_titles(reply.text) == [] and "No article contains" in reply.text


def test_article_page_shows_clean_text_beside_removed_blocks_with_reasons(app: WebApp, ids: dict[str, int]) -> None:
    reply = call(app, f"/articles/{ids['english']}")
    assert reply.status == 200
    text, removed = reply.text.split('<aside class="removed">')
    assert "Maple Valley" in text and '<section class="text" lang="en">' in text
    reasons = re.findall(r'<span class="reason">(.*?)</span>', removed)
    assert len(reasons) >= 8 and {"share", "related-list", "caption"} <= set(reasons)
    for label in ("Authors", "Editors", "Source", "Keywords", "Canonical URL", "Extractor version"):
        assert f"<dt>{label}</dt>" in reply.text


def test_article_page_lists_every_sighting_with_how_it_matched(app: WebApp, ids: dict[str, int]) -> None:
    reply = call(app, f"/articles/{ids['repost']}")
    sightings = reply.text.split('<table class="sightings">')[1]
    assert re.findall(r'<span class="match match-\w+">(\w+)</span>', sightings) == ["original", "near"]
    assert sightings.count('<a href="http') == 2 and 'rel="noopener noreferrer nofollow"' in sightings
    assert re.search(r'<td class="num">0\.\d{3}</td>', sightings)
    rows = {
        link: (elected, changes)
        for link, elected, changes in re.findall(
            r'href="(http[^"]+)".*?<td class="elected">(\w*)</td>\s*<td class="changes">([^<]*)</td>', sightings, re.S
        )
    }
    assert rows["https://www.eduzx.com.cn/zhijiao/2021/0427/1186523.html"] == ("elected", "none")
    assert rows["http://www.1xbbk.net/jwbzn/4984.html"][1].startswith("digits stripped (5)")


@pytest.mark.parametrize("path", ["/articles/99999", "/articles/abc", "/nowhere", "/static/../app.py"])
def test_unknown_addresses_are_a_404_page(app: WebApp, path: str) -> None:
    reply = call(app, path)
    assert reply.status == 404
    assert "404 Not Found" in reply.text and "Back to the articles" in reply.text


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_every_method_but_get_and_head_is_refused(app: WebApp, method: str) -> None:
    reply = call(app, "/", method=method)
    assert reply.status == 405
    assert reply.headers["Allow"] == "GET, HEAD"


def test_head_sends_the_headers_without_a_body(app: WebApp) -> None:
    reply = call(app, "/runs", method="HEAD")
    assert reply.status == 200 and reply.text == ""
    assert int(reply.headers["Content-Length"]) == len(call(app, "/runs").text.encode())


@pytest.mark.parametrize("path", ["/", "/search", "/articles/1", "/runs", "/schedules", "/static/style.css", "/nope"])
def test_every_response_carries_the_security_headers(app: WebApp, path: str) -> None:
    headers = call(app, path).headers
    assert headers["Content-Security-Policy"].startswith("default-src 'none'; style-src 'self'; img-src 'self'")
    assert "script-src" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_markup_in_stored_fields_is_shown_as_text(app: WebApp, ids: dict[str, int]) -> None:
    for reply in (call(app, "/"), call(app, "/search", q="招生"), call(app, f"/articles/{ids['hostile']}")):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;招生考试院" in reply.text
        assert "<script" not in reply.text
    article = call(app, f"/articles/{ids['hostile']}").text
    assert "&lt;img src=x onerror=alert(2)&gt;" in article
    assert "&lt;b onmouseover=&#34;alert(4)&#34;&gt;" in article
    assert "&lt;script&gt;alert(5)&lt;/script&gt;点击领取高考志愿卡" in article


def test_only_http_urls_become_links(app: WebApp, ids: dict[str, int]) -> None:
    article = call(app, f"/articles/{ids['hostile']}").text
    assert 'href="javascript' not in article.lower()
    assert '<span class="unlinked">javascript:alert(3)</span>' in article
    assert f'<a href="{HOSTILE_URL}"' in article


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://www.moe.gov.cn/jyb_xwfb/2024/t2024.html", True),
        ("http://example.edu.cn/", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        (" https://example.org/", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//example.org/path", False),
        ("https:///no-host", False),
        ("/relative/path", False),
        (None, False),
    ],
)
def test_safe_href_links_only_absolute_http_urls(url: str | None, linked: bool) -> None:
    assert safe_href(url) == (url if linked else None)


@pytest.mark.parametrize(
    ("params", "complaint"),
    [({"page": "x"}, "page must be"), ({"page": "\u00b2"}, "page must be"), ({"since": "yesterday"}, "since")],
)
def test_unusable_parameters_are_a_400_page(app: WebApp, params: dict[str, str], complaint: str) -> None:
    reply = call(app, "/", **params)
    assert reply.status == 400 and complaint in reply.text


@pytest.mark.parametrize("params", [{"until": "9999-12-31"}, {"since": "0001-01-01"}])
def test_the_first_and_last_days_a_date_can_name_are_bounds_like_any_other(app: WebApp, params: dict[str, str]) -> None:
    reply = call(app, "/", **params)
    assert reply.status == 200 and row_titles(reply.text) == row_titles(call(app, "/", since="1900-01-01").text)


def test_runs_page_shows_crawl_history_newest_first(app: WebApp) -> None:
    reply = call(app, "/runs")
    assert reply.text.index("jyt-yn") < reply.text.index("moe")
    assert "running or killed" in reply.text
    assert "2026-11-19 02:05 UTC" in reply.text and "http-500: 2" in reply.text
    assert re.search(r'<td class="num">42</td>\s*<td class="num">7</td>', reply.text)


def test_runs_page_shows_the_article_urls_the_ledger_still_waits_for_and_why(app: WebApp) -> None:
    pending = call(app, "/runs").text.split("<h2>Pending</h2>", 1)[1]
    assert re.search(r"<td>failed timeout-error</td><td class=\"num\">1</td>", pending)
    assert re.search(r"<td>to-fetch</td><td class=\"num\">1</td>", pending)


def test_schedules_page_shows_next_and_last_run_and_outcome(app: WebApp) -> None:
    reply = call(app, "/schedules")
    for shown in ("moe-every-6h", "every 6h", "2026-11-20 08:00 UTC", "2026-11-20 02:00 UTC", "<td>ok</td>"):
        assert shown in reply.text


def test_stylesheet_is_served_with_a_cjk_font_stack(app: WebApp) -> None:
    reply = call(app, "/static/style.css")
    assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/css")
    assert "Noto Sans CJK SC" in reply.text


def test_a_database_error_is_a_500_page_with_the_security_headers(tmp_path: Path) -> None:
    empty = tmp_path / "not-migrated.sqlite"
    empty.touch()  # a SQLite database without the tables: every query fails
    reply = call(make_app(read_only_sessions(str(empty))), "/")
    assert reply.status == 500 and "500 Internal Server Error" in reply.text
    assert reply.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_the_web_view_sessions_refuse_writes(db: str) -> None:
    with read_only_sessions(db)() as session, pytest.raises(DBAPIError, match="readonly|read-only"):
        session.execute(text("DELETE FROM articles"))


@contextmanager
def serve_command(db: str, *options: str) -> Iterator[tuple[subprocess.Popen, str]]:
    """``edunews serve`` on a free port in a process of its own, and the URL it printed; killed after."""
    command = [sys.executable, "-c", "from edunews.cli_serve import serve; serve()", "--db", db, "--port", "0"]
    process = subprocess.Popen([*command, *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        announced = re.search(r"http://127\.0\.0\.1:\d+/", process.stdout.readline())
        assert announced, "serve did not print its URL"
        yield process, announced.group(0)
    finally:
        process.kill()
        process.wait()


def test_serve_command_prints_its_url_and_serves_until_interrupted(db: str) -> None:
    with serve_command(db) as (process, url):
        with urlopen(url + "schedules", timeout=10) as response:
            assert response.status == 200 and "moe-every-6h" in response.read().decode()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


@pytest.mark.parametrize(
    ("option", "value", "complaint"),
    [("--host", "256.1.1.1", "cannot listen on 256.1.1.1"), ("--port", "70000", "70000")],
)
def test_serve_refuses_an_address_it_cannot_listen_on_in_one_line(
    db: str, option: str, value: str, complaint: str
) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", db, option, value])
    assert result.exit_code == 2 and complaint in result.output and "Traceback" not in result.output


#: Readers arriving at the same moment: wsgiref's server (listen backlog 5) dropped 12-33 % of such a
#: burst. How fast they are answered is measured by benchmarks/serve.py, not here.
BURST = 200


def test_serve_answers_every_request_of_a_burst_with_the_security_headers(db: str) -> None:
    with serve_command(db, "--quiet") as (_, url):
        start = threading.Barrier(BURST)

        def read(path: str) -> tuple[int, str]:
            start.wait()
            with urlopen(url + path, timeout=120) as response:
                response.read()
                return response.status, response.headers["Content-Security-Policy"]

        with ThreadPoolExecutor(BURST) as pool:
            replies = list(pool.map(read, ["", "runs", "search?q=%E6%95%99%E8%82%B2", "schedules"] * (BURST // 4)))
    assert len(replies) == BURST
    assert all(status == 200 and policy.startswith("default-src 'none'") for status, policy in replies)


# --- in a real browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(db: str) -> Iterator[str]:
    """The web view served on a free port of 127.0.0.1 from a background thread."""
    server = make_server(make_app(read_only_sessions(db)), "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright. Missing pieces fail loudly: a browser test
    that skips itself would let a broken page pass."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is missing: `pip install playwright` (no browser download needed)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Tab:
    page: Any
    dialogs: list[str]
    console_errors: list[str]


@pytest.fixture
def tab(browser: Any, base_url: str) -> Iterator[Tab]:
    """A fresh page that records every dialog (a script that ran) and every console error (a CSP
    violation, a stylesheet that failed to load)."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    opened = Tab(page, [], [])

    def on_dialog(dialog: Any) -> None:
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message: Any) -> None:
        if message.type == "error":
            opened.console_errors.append(message.text)

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    yield opened
    context.close()
    assert opened.dialogs == [], f"a stored script ran: {opened.dialogs}"
    assert opened.console_errors == []


def test_browser_shows_the_styled_article_list(tab: Tab) -> None:
    page = tab.page
    page.goto("/")
    assert page.title() == "Articles · edunews"
    assert page.locator("table.articles tbody tr").count() == ARTICLES
    # The stylesheet loaded under the CSP: the header has its white background and bottom rule.
    assert page.locator("header.top").evaluate("e => getComputedStyle(e).borderBottomStyle") == "solid"
    page.select_option("select[name=site]", "www.eduzx.com.cn")
    page.click("form.filters button")
    page.wait_for_url("**/?site=www.eduzx.com.cn*")
    assert page.locator("table.articles tbody tr").count() == 1


def test_browser_searches_for_a_chinese_word(tab: Tab) -> None:
    page = tab.page
    page.goto("/")
    page.fill("input[name=q]", "职教")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("h1").inner_text() == "Articles containing “职教”"
    assert "吹响川渝职业教育协同发展的嘹亮号角" in page.locator("table.articles").inner_text()


def test_browser_opens_an_article_beside_its_removed_blocks(tab: Tab) -> None:
    page = tab.page
    page.goto("/search?" + urlencode({"q": "川渝"}))
    page.click("text=吹响川渝职业教育协同发展的嘹亮号角")
    page.wait_for_url(re.compile(r".*/articles/\d+$"))
    text = page.locator("section.text")
    removed = page.locator("aside.removed")
    assert "川渝" in text.inner_text()
    assert removed.locator(".reason").count() == 5
    # Two columns: the removed blocks sit to the right of the clean text, not below it.
    text_box, removed_box = text.bounding_box(), removed.bounding_box()
    assert removed_box["x"] > text_box["x"] + text_box["width"] - 1
    assert removed_box["y"] == pytest.approx(text_box["y"], abs=2)
    assert page.locator("table.sightings tbody tr").count() == 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    page.screenshot(path=str(SCREENSHOTS / "article.png"))
    assert (SCREENSHOTS / "article.png").stat().st_size > 10_000 and time.monotonic() - started < 30


def test_browser_shows_a_script_title_as_text(tab: Tab) -> None:
    page = tab.page
    page.goto("/")
    page.locator("table.articles a", has_text="招生考试院").click()
    page.wait_for_url(re.compile(r".*/articles/\d+$"))
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert "<img src=x onerror=alert(2)>" in page.locator("section.text").inner_text()
    assert page.locator("script, img").count() == 0
    assert page.locator("a[href^='javascript' i]").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "hostile-article.png"), full_page=True)
