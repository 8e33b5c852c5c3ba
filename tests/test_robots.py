"""robots.txt as RFC 9309 reads it (issue 17): rules from a 2xx, none from a 4xx, and a site whose
robots.txt is unreachable (a 5xx, a timeout) disallowed whole until it can be read. Real crawls
(``python -m edunews crawl``) of small sites on 127.0.0.1 whose robots.txt answers as each test says."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_site_settings import Site, article_page, crawl, listing

ARTICLES = [f"/news/2026/1120/{n}.html" for n in range(3)]
PRIVATE = "/private/2026/1120/1.html"
#: robots.txt obeyed, one quick read after the first (0.2 s apart), no retries of Scrapy's own, and a
#: timeout short enough for a robots.txt that never answers.
OBEY = (
    "-s", "ROBOTSTXT_OBEY=True", "-s", "EDUNEWS_ROBOTS_TRIES=2", "-s", "EDUNEWS_ROBOTS_RETRY_DELAY=0.2",
    "-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_TIMEOUT=2",
)  # fmt: skip


class RobotsSite(Site):
    """A listing of three articles and a private page; its robots.txt answers with ``status`` (after
    ``robots_delay`` seconds) and disallows /private/."""

    def __init__(self, status: int, robots_delay: float = 0.0) -> None:
        pages = {"/": listing([*ARTICLES, PRIVATE]), "/robots.txt": "User-agent: *\nDisallow: /private/\n"}
        pages |= {path: article_page(f"第{n}篇寒假安全工作新闻标题") for n, path in enumerate([*ARTICLES, PRIVATE])}
        super().__init__(pages, statuses={"/robots.txt": status})
        self.robots_delay = robots_delay

    def hold(self, path: str) -> None:
        if path == "/robots.txt":
            time.sleep(self.robots_delay)


def profile(site: Site) -> str:
    return f'[site]\nname = "mine"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{site.url()}/"]\n'


@pytest.mark.parametrize(("status", "delay"), [(500, 0.0), (503, 0.0), (200, 30.0)], ids=["500", "503", "timeout"])
def test_a_site_whose_robots_txt_is_unreachable_is_not_fetched_at_all(
    tmp_path: Path, status: int, delay: float
) -> None:
    site = RobotsSite(status, robots_delay=delay)
    try:
        process = crawl(tmp_path, profile(site), tmp_path / "news.sqlite", *OBEY, wait=False)
        out, err = process.communicate(timeout=120)
    finally:
        site.close()
    assert process.returncode == 1, err[-3000:]  # finished with failures: the start page was not fetched
    assert set(site.log) == {"/robots.txt"}, "nothing but robots.txt was asked for"
    assert site.log.count("/robots.txt") == 2, "read again after a wait, once (EDUNEWS_ROBOTS_TRIES=2)"
    assert "robots-unreachable" in out


def test_a_robots_txt_that_is_missing_allows_everything(tmp_path: Path) -> None:
    site = RobotsSite(404)
    try:
        result = crawl(tmp_path, profile(site), tmp_path / "news.sqlite", *OBEY)
    finally:
        site.close()
    assert {*ARTICLES, PRIVATE} <= set(site.log)
    assert result["stats"]["edunews/pages/articles"] == len(ARTICLES) + 1


def test_every_request_waiting_for_a_slow_robots_txt_obeys_it(tmp_path: Path) -> None:
    # Scrapy handed the rules to the first request that waited for them; the others were let through.
    site = RobotsSite(200, robots_delay=1.0)
    many = [*ARTICLES, PRIVATE]
    start_urls = ", ".join(f'"{site.url()}{path}"' for path in many)
    text = f'[site]\nname = "mine"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = [{start_urls}]\n'
    try:
        crawl(tmp_path, text, tmp_path / "news.sqlite", *OBEY)
    finally:
        site.close()
    assert set(ARTICLES) <= set(site.log)
    assert PRIVATE not in site.log, "the disallowed page was fetched"
