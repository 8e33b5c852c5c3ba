"""Progress of a crawl on the terminal, the crawl process's garbage collector and its per-page log lines
(the crawl-run record lives with the store: pipelines.crawling)."""

from __future__ import annotations

import gc
import logging
import sys
from typing import Any, Self

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.internet import task
from twisted.python.failure import Failure


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


class CollectorThreshold:
    """Has the crawl's process collect its youngest generation of objects every
    ``EDUNEWS_GC_YOUNGEST_THRESHOLD`` allocations (net of frees) rather than Python's 700, however the
    crawl was started (``edunews crawl``, ``scrapy crawl``, a Scrapyd job).

    Each page makes thousands of short-lived objects (a response, its headers, Deferreds, items), and at
    700 the collector ran about 1,900 times in a 5,000-page crawl, 1.05 s in all: a twentieth of the
    process's CPU, holding the interpreter that the downloader and the store's writer thread share. At
    20,000 it ran 10 times (0.16 s). What a collection frees waits a few hundred pages longer; the
    crawl's peak memory did not move (``benchmarks/crawl.py``)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        threshold = crawler.settings.getint("EDUNEWS_GC_YOUNGEST_THRESHOLD")
        if threshold <= 0:
            raise NotConfigured
        gc.set_threshold(threshold, *gc.get_threshold()[1:])
        return cls()


class ShownLinesLogFormatter(LogFormatter):
    """Scrapy's log lines, with the two it writes for every page ("Crawled (200)", "Scraped from") made
    only when ``LOG_LEVEL`` shows them. Scrapy sets the root logger to let everything through and leaves
    the level to its handler, so each page's DEBUG lines became log records only to be dropped: 1.8 % of
    a crawl's main thread at the default level."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.per_page = level <= logging.DEBUG

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        level = crawler.settings.get("LOG_LEVEL")
        if not isinstance(level, int):
            level = logging.getLevelNamesMapping().get(str(level).upper(), logging.DEBUG)
        return cls(level)

    def crawled(self, request: Request, response: Response, spider: Spider) -> LogFormatterResult | None:  # type: ignore[override]
        return super().crawled(request, response, spider) if self.per_page else None

    def scraped(self, item: Any, response: Response | Failure | None, spider: Spider) -> LogFormatterResult | None:  # type: ignore[override]
        return super().scraped(item, response, spider) if self.per_page else None
