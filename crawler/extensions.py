"""Progress of a crawl on the terminal (the crawl-run record lives with the store: pipelines.crawling)."""

from __future__ import annotations

import sys
from typing import Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class ProgressReporter:
    """One status line on stderr every few seconds while the figures move (pages fetched, articles
    stored, errors): a crawl waiting on a slow page does not repeat the same line."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.last_line = ""
        self.loop = task.LoopingCall(self.report)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        interval = crawler.settings.getfloat("EDUNEWS_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, interval)

    def spider_opened(self, spider: Spider) -> None:
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider: Spider) -> None:
        if self.loop.running:
            self.loop.stop()
        self.report(final=True)

    def report(self, final: bool = False) -> None:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        errors = sum(value for key, value in stats.items() if key.startswith("edunews/errors/"))
        line = (
            f"pages {stats.get('downloader/response_count', 0)}  extracted {stats.get('edunews/pages/articles', 0)}  "
            f"articles new {stats.get('edunews/articles/new', 0)} "
            f"updated {stats.get('edunews/articles/updated', 0)} "
            f"duplicates {sum(v for k, v in stats.items() if k.startswith('edunews/duplicates/'))}  "
            f"skipped {stats.get('edunews/skipped/known', 0)}  errors {errors}"
        )
        if line == self.last_line and not final:
            return
        self.last_line = line
        print(("done: " if final else "crawling: ") + line, file=sys.stderr, flush=True)
