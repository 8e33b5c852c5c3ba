"""Running a crawl in this process: the engine behind ``edunews crawl`` and ``edunews demo``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawler.config import project_settings
from crawler.profiles import SiteProfile
from crawler.spiders.news import NewsSpider


def run_crawl(
    profile: str | SiteProfile | None = None,
    url: str | None = None,
    *,
    db: str | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Crawl one site profile (or one start URL) into ``db`` and return the crawl's stats. The Twisted
    reactor runs once per process: call this once, or run crawls in separate processes."""
    settings = project_settings({"EDUNEWS_DB": db, **(overrides or {})})
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    process.crawl(crawler, profile=profile, url=url)
    process.start()
    try:
        stats = crawler.stats
    except RuntimeError as error:  # the spider could not be created; Scrapy logged why
        raise CrawlNotStarted(f"the crawl did not start ({error})") from error
    assert stats is not None
    return stats.get_stats()


class CrawlNotStarted(RuntimeError):
    """The crawl failed before its first request (bad profile, database unavailable)."""
