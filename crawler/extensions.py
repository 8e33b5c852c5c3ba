"""Crawl-wide extensions: a record of every crawl run in the database, and progress on the terminal."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from pipelines import storage
from pipelines.db import open_database


class CrawlRunRecorder:
    """Writes a ``crawl_runs`` row when a crawl starts and fills it from the crawl's stats when it
    ends. A crawl that was killed keeps an empty finish reason: visible afterwards as such."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.sessions = open_database(crawler.settings.get("EDUNEWS_DB"))
        self.run_id: int | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("EDUNEWS_RECORD_RUNS"):
            raise NotConfigured
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        name = getattr(getattr(spider, "profile", None), "name", spider.name)
        with self.sessions.begin() as session:
            self.run_id = storage.start_run(session, name, datetime.now(UTC))
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("edunews/run_id", self.run_id)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None or self.crawler.stats is None:
            return
        with self.sessions.begin() as session:
            storage.finish_run(session, self.run_id, datetime.now(UTC), reason, self.crawler.stats.get_stats())


class ProgressReporter:
    """One status line on stderr every few seconds: pages fetched, articles stored, errors."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
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
        print(("done: " if final else "crawling: ") + line, file=sys.stderr, flush=True)
