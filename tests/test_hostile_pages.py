"""Hostile pages: what a page holds never stops its extraction. Links, images and canonical URLs that do
not parse are data (read as text, or left out), never an exception out of extraction; a page whose
extraction runs past its time budget ends as ``extract-timeout`` and the run goes on."""

from __future__ import annotations

import asyncio
import itertools
import re
import signal
import sys
import time
import weakref
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler import outcome as outcome_module
from crawler.budget import BUDGET_ENV, DEFAULT_BUDGET_SECONDS, OverBudget, extract_budget, time_budget
from crawler.extraction import extract as extract_module
from crawler.extraction import processors
from crawler.extraction.blocks import absolute_url, split_blocks
from crawler.extraction.extract import NotAnArticle, extract_article, parse_html
from crawler.extraction.pages import RawPage
from crawler.extraction.urls import host_of, joined_url, parsed_url, url_parses
from crawler.outcome import ARTICLE, EXTRACT_TIMEOUT, page_outcome
from crawler.workers import WORKER_REPLACED, Workers
from edunews.cli import main

PAGE_URL = "http://www.example.edu.cn/news/2026/0701/1.html"
PARAGRAPH = "市教育局今天发布暑期安全提示，要求各校做好学生假期安全教育，防范溺水等事故发生，家长要加强看护。"
#: Pieces of malformed addresses; the fuzz below joins them in pairs.
URL_PIECES = (
    "http://[",
    "https://]",
    "//[::1",
    "http://[bad/x",
    "http://a:99999/",
    "http://a:x/",
    "http://[v1.fe]/",
    "http://a\x00b/",
    "javascript:void(0)",
    "mailto:",
    "http://%zz/",
    "////",
    ":",
    "[",
    "?from=",
    "http://例子.中国/",
)
MALFORMED_URLS = sorted({"".join(pair) for pair in itertools.product(URL_PIECES, repeat=2)})


def page(body: str, head: str = "") -> RawPage:
    html = (
        f"<html><head><meta charset='utf-8'><title>暑期安全提示_教育网</title>{head}</head><body>"
        f"<h1>暑期安全提示</h1><div class='content'>{body}</div></body></html>"
    )
    return RawPage(PAGE_URL, html.encode(), {"Content-Type": "text/html; charset=utf-8"})


@pytest.mark.parametrize(
    ("url", "readable"),
    [
        ("http://www.example.edu.cn/a.html", True),
        ("http://[::1]/", True),
        ("http://[bad/x", False),
        ("http://a:99999/", False),
        ("http://a:x/", False),
    ],
)
def test_a_url_that_does_not_parse_is_told_apart(url: str, readable: bool) -> None:
    assert (parsed_url(url) is not None) is readable
    assert (joined_url(PAGE_URL, url) is not None) is readable
    assert (absolute_url(PAGE_URL, url) is not None) is readable


def test_the_host_of_a_url_that_does_not_parse_is_empty() -> None:
    assert host_of("http://[bad/x") == ""
    assert host_of("http://WWW.Example.edu.cn/a") == "www.example.edu.cn"


def test_a_link_that_does_not_parse_is_read_as_text() -> None:
    selector, _ = parse_html(page(f"<p><a href='http://[bad/x'>附件下载</a> {PARAGRAPH}</p>"))
    blocks = [block for block in split_blocks(selector.root, PAGE_URL) if "附件下载" in block.text]
    assert blocks and blocks[0].links == ()


def test_an_article_with_a_malformed_link_keeps_its_text() -> None:
    article = extract_article(
        page(f"<p>{PARAGRAPH}</p>" * 4 + f"<p><a href='http://[bad/x'>链接</a></p><p>{PARAGRAPH}</p>")
    )
    assert PARAGRAPH in (article.text or "")


def test_control_characters_written_or_referenced_never_reach_the_article() -> None:
    hostile = page(
        f"<p>\x1b[2J{PARAGRAPH}&#x1b;]0;窗口&#7;</p>" * 3 + f"<p>{PARAGRAPH}&#27;[31m &#1234;&#12;</p>",
        head="<meta name='author' content='王小明\x1b[0m'>",
    )
    article = extract_article(replace(hostile, body=hostile.body.replace(b"<h1>", b"<h1>\x1b[31m")))
    shown = "".join([article.title or "", article.text or "", *article.authors, *article.paragraphs])
    assert not re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", shown)
    assert "[2J" + PARAGRAPH in article.text and "\u04d2" in article.text, "the text around them stays"


@pytest.mark.parametrize("url", MALFORMED_URLS)
def test_no_url_in_a_page_raises_out_of_extraction(url: str) -> None:
    escaped = url.replace("&", "&amp;").replace("'", "&#39;").replace("\x00", "&#0;")
    body = (
        f"<p>{PARAGRAPH}</p>" * 3
        + f"<p><a href='{escaped}'>链接</a></p><p><img src='{escaped}'>图</p>"
        + f"<p><a href='{escaped}'><img src='{escaped}'></a>{PARAGRAPH}</p>"
    )
    head = f"<link rel='canonical' href='{escaped}'><meta property='og:url' content='{escaped}'>"
    try:
        article = extract_article(page(body, head))
    except NotAnArticle:
        return
    assert article.canonical_url is None or parsed_url(article.canonical_url) is not None


# --- the time budget per page --------------------------------------------------------------------

#: The pagination rule as it once was: 40 digits and a letter keep it busy for days.
BACKTRACKING_PAGINATION = re.compile(r"^(\s|共\s*\d+\s*页[:：]?|第\s*\d+\s*页|上一页|下一页|\d+|[<>«»|:：])+$")
ENDLESS_LINE = "1" * 40 + "x"


@pytest.fixture
def endless_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cleaning rule that runs for minutes on ``ENDLESS_LINE``, as rules once did."""
    monkeypatch.setattr(processors, "PAGINATION", BACKTRACKING_PAGINATION)


def endless_page() -> RawPage:
    return page(f"<p>{PARAGRAPH}</p>" * 4 + f"<p>{ENDLESS_LINE}</p>")


def test_a_page_past_its_budget_ends_as_extract_timeout_within_the_limit(endless_rule: None) -> None:
    started = time.monotonic()
    outcome = page_outcome(endless_page(), budget=0.5)
    assert outcome.stat == EXTRACT_TIMEOUT == "edunews/errors/extract-timeout"
    assert outcome.kind == "failed" and "0.5 s" in outcome.detail
    assert time.monotonic() - started < 1.5


def test_the_budget_is_set_by_the_environment(monkeypatch: pytest.MonkeyPatch, endless_rule: None) -> None:
    monkeypatch.setenv(BUDGET_ENV, "0.3")
    assert extract_budget() == 0.3
    assert page_outcome(endless_page()).stat == EXTRACT_TIMEOUT
    monkeypatch.setenv(BUDGET_ENV, "not a number")
    assert extract_budget() == DEFAULT_BUDGET_SECONDS


class _Collected:
    """An object whose collection takes 0.3 s (the garbage collector calls its callbacks midway through
    an extraction, whenever it likes): a budget's alarm rings inside it."""


def _slow_callback(reference: object) -> None:
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:
        pass


def test_an_alarm_swallowed_by_a_weakref_callback_rings_again_unreported(monkeypatch: pytest.MonkeyPatch) -> None:
    # Python reports an exception raised in a weak reference's callback as unraisable and goes on:
    # the alarm's, once, and the page ran unbounded.
    reported: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", reported.append)
    started = time.monotonic()
    with pytest.raises(OverBudget), time_budget(0.1):
        collected = _Collected()
        reference = weakref.ref(collected, _slow_callback)
        del collected  # the callback runs now, and the alarm rings in it
        while time.monotonic() - started < 5:
            pass
    assert reference() is None
    assert time.monotonic() - started < 1
    assert reported == []
    assert sys.unraisablehook == reported.append


def test_a_304_in_an_archive_says_unchanged_not_a_redirect_to_nowhere() -> None:
    outcome = page_outcome(replace(page(f"<p>{PARAGRAPH}</p>"), status=304))
    assert outcome.kind == "skipped" and outcome.detail.startswith("304 not modified") and "?" not in outcome.detail


def test_a_page_within_its_budget_is_an_article(endless_rule: None) -> None:
    assert page_outcome(page(f"<p>{PARAGRAPH}</p>" * 4), budget=0.5).stat == ARTICLE


async def _two_pages(workers: Workers) -> list[str]:
    # Three thousand paragraphs take far longer than 20 ms in any worker, however it was started: a
    # rule patched here reaches a forked worker only, and one started by a fork server (used when
    # other threads run, as an earlier test can leave them) never sees it.
    slow = await workers.run(page_outcome, page(f"<p>{PARAGRAPH}</p>" * 3000), None, 0.02)
    fine = await workers.run(page_outcome, page(f"<p>{PARAGRAPH}</p>" * 4), None, 0.5)
    return [slow.stat, fine.stat]


def test_a_worker_gives_up_a_page_past_its_budget_and_goes_on() -> None:
    workers = Workers(1)
    try:
        assert asyncio.run(_two_pages(workers)) == [EXTRACT_TIMEOUT, ARTICLE]
        assert not workers.lost
    finally:
        workers.close()


def test_edunews_extract_honours_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, endless_rule: None
) -> None:
    saved = tmp_path / "page.html"
    saved.write_bytes(endless_page().body)
    monkeypatch.setenv(BUDGET_ENV, "0.5")
    result = CliRunner().invoke(main, ["extract", str(saved), "--url", PAGE_URL])
    assert result.exit_code == 1
    assert "extract-timeout" in result.output


REAL_EXTRACT = extract_article


def _stuck_where_no_alarm_reaches(page: RawPage, profile: object = None) -> object:
    """Extraction stuck as inside a C library: the budget's alarm is held back and never arrives."""
    if "stuck" in page.url:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(120)
    return REAL_EXTRACT(page, profile)  # type: ignore[arg-type]


class _Counts:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count


async def _stuck_then_fine(workers: Workers) -> list[str]:
    stuck = replace(page(f"<p>{PARAGRAPH}</p>" * 4), url=PAGE_URL + "?stuck=1")
    first = await workers.run(page_outcome, stuck, None, 0.2)
    second = await workers.run(page_outcome, page(f"<p>{PARAGRAPH}</p>" * 4), None, 0.2)
    return [first.stat, second.stat]


def test_a_worker_stuck_past_its_deadline_is_replaced_and_the_page_ends_as_extract_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(extract_module, "extract_article", _stuck_where_no_alarm_reaches)
    counts = _Counts()
    workers = Workers(1, counts)  # forked with the stuck extraction in place
    started = time.monotonic()
    try:
        assert asyncio.run(_stuck_then_fine(workers)) == [EXTRACT_TIMEOUT, ARTICLE]
        assert not workers.lost
    finally:
        workers.close()
    assert counts.values == {WORKER_REPLACED: 1}
    assert time.monotonic() - started < 30


async def _pages_in_one_turn(workers: Workers, urls: list[str]) -> list[str]:
    pages = [replace(page(f"<p>{PARAGRAPH}</p>" * 4), url=url) for url in urls]
    outcomes = await asyncio.gather(*(workers.run(page_outcome, one, None, 0.2) for one in pages))
    return [outcome.stat for outcome in outcomes]


def test_a_stuck_page_among_pages_sent_together_is_found_and_only_it_times_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(extract_module, "extract_article", _stuck_where_no_alarm_reaches)
    monkeypatch.setattr(outcome_module, "WORKER_GRACE_SECONDS", 0.5)
    counts = _Counts()
    workers = Workers(1, counts)
    urls = [PAGE_URL + "?n=1", PAGE_URL + "?stuck=1", PAGE_URL + "?n=3"]
    try:
        assert asyncio.run(_pages_in_one_turn(workers, urls)) == [ARTICLE, EXTRACT_TIMEOUT, ARTICLE]
        assert not workers.lost
    finally:
        workers.close()
    assert counts.values == {WORKER_REPLACED: 2}


@pytest.mark.parametrize(
    ("url", "parses"),
    [
        ("https://news.example.cn/2026/1120/a.html?id=3#top", True),
        ("http://user:pw@example.com/a", True),
        ("http://example.com:8080/a", True),
        ("http://[bad/x", False),
        ("http://example.com:99999/a", False),
        ("http://example.com:port/a", False),
    ],
)
def test_a_url_parses_when_split_would_and_only_then(url: str, parses: bool) -> None:
    assert url_parses(url) is parses is (parsed_url(url) is not None)
