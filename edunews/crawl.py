"""Running a crawl in this process: the engine behind ``edunews crawl`` and ``edunews demo``, what a
crawl from one start URL follows, and the hint a crawl that found nothing ends with."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from crawler.extraction.profiles import SiteProfile, start_url_problem
from crawler.outcome import ARTICLE, Ledger
from edunews.output import note_quarantined

#: Loggers whose warnings a crawl shows on stderr without --verbose: edunews's own, one line each.
OWN_LOGGERS = ("crawler", "pipelines")
#: Scrapy's log level for a crawl run without --verbose: only what stops it.
QUIET_LOG_LEVEL = "CRITICAL"


class CrawlNotStarted(RuntimeError):
    """The crawl failed before its first request (bad profile, database unavailable)."""


@dataclass
class CrawlResult:
    """What a crawl did: its stats, every input that did not become an article, and a hint when it
    found no article at all."""

    stats: dict[str, Any]
    ledger: Ledger = field(default_factory=Ledger)
    hint: str = ""


def check_start_url(url: str, article_pattern: str | None = None) -> str | None:
    """Why ``url`` (and ``article_pattern``) cannot start a crawl, or None."""
    problem = start_url_problem(url)
    if problem:
        return f"--url {problem}"
    if article_pattern is not None:
        from crawler.extraction.user_patterns import pattern_problem

        problem = pattern_problem(article_pattern)
        if problem:
            return f"--article-pattern {article_pattern!r}: {problem}"
    return None


def following_rule(url: str, article_pattern: str | None) -> str:
    """One paragraph saying which links a crawl from ``url`` follows, printed before it starts."""
    host = urlsplit(url).hostname
    if article_pattern:
        articles = f"whose URL matches --article-pattern {article_pattern!r}"
    else:
        articles = (
            "whose link text is 6+ characters and whose path looks like an article: a number of 4+ digits "
            "(or a t20240520_ stem) in an .html/.htm/.shtml/.php/.asp(x) file name, or a /2024/05/20/ date "
            "folder. Other links are not followed; say which are articles with --article-pattern REGEX"
        )
    return (
        f"edunews: from {url}, following links on {host} {articles}; next-page links (下一页, Next) are followed too."
    )


def run_crawl(
    profile: str | SiteProfile | None = None,
    url: str | None = None,
    *,
    db: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    article_pattern: str | None = None,
) -> CrawlResult:
    """Crawl one site profile (or one start URL) into ``db`` and return what happened. The Twisted
    reactor runs once per process: call this once, or run crawls in separate processes."""
    from crawler.config import project_settings
    from crawler.spiders.news import NewsSpider
    from edunews.process import CrawlProcess

    settings = project_settings({"EDUNEWS_DB": db, **(overrides or {})})
    process = CrawlProcess(settings)
    if settings.get("LOG_LEVEL") == QUIET_LOG_LEVEL:
        show_own_warnings()
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, profile=profile, url=url, article_pattern=article_pattern)
    process.start()
    try:
        stats = crawler.stats
    except RuntimeError as error:  # the spider could not be created; Scrapy logged why
        raise CrawlNotStarted(f"the crawl did not start ({error})") from error
    assert stats is not None
    spider = crawler.spider
    result = CrawlResult(stats.get_stats(), getattr(spider, "ledger", Ledger()))
    note_quarantined(result.stats, result.ledger)
    if url and spider is not None:
        result.hint = nothing_found_hint(result.stats, getattr(spider, "unfollowed", []))
    return result


def show_own_warnings() -> None:
    """With Scrapy's log quiet (``LOG_LEVEL`` ``CRITICAL``, the command's default without --verbose),
    edunews's own warnings still show, one line each and without traceback: a crawl tells what
    happened in its summary, which names every failed URL, not in a traceback per refused connection."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(OneLine("%(message)s"))
    for name in OWN_LOGGERS:
        logging.getLogger(name).addHandler(handler)


class OneLine(logging.Formatter):
    """A log line without the traceback: the message says what happened."""

    def format(self, record: logging.LogRecord) -> str:
        return " ".join(record.getMessage().split())


def nothing_found_hint(stats: dict[str, Any], unfollowed: list[str]) -> str:
    """Why a crawl from one start URL found no article, when the reason is the link rule: links on
    the site were seen but none looked like an article (not when those that did were stored already,
    gone or failing)."""
    if stats.get(ARTICLE, 0) or stats.get("edunews/listing/article-links", 0) or not unfollowed:
        return ""
    seen = stats.get("edunews/listing/links-not-followed", len(unfollowed))
    return (
        f"no link looked like an article: {seen} links on the site were not followed "
        f"(e.g. {', '.join(unfollowed)}); say which are articles with --article-pattern REGEX"
    )
