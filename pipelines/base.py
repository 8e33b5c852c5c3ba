"""What every edunews item pipeline shares: built from settings and a stats collector, so the same
class runs inside a Scrapy crawl (``from_crawler``) and outside it (replay, tests)."""

from __future__ import annotations

from collections import Counter
from typing import Any, Protocol, Self

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings


class Stats(Protocol):
    """The part of Scrapy's stats collector the pipelines use."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...

    def get_value(self, key: str, default: Any = None) -> Any: ...

    def get_stats(self) -> dict[str, Any]: ...


class CountingStats:
    """A stats collector for runs outside Scrapy: counters only."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self._counts[key] += count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self._counts.get(key, default)

    def get_stats(self) -> dict[str, Any]:
        return dict(self._counts)


class ItemPipeline:
    """Base of the edunews pipelines. Subclasses read their settings in :meth:`setup`."""

    def __init__(self, settings: BaseSettings, stats: Stats) -> None:
        self.settings = settings
        self.stats = stats
        self.setup()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.settings, crawler.stats)

    def setup(self) -> None:
        """Read settings and prepare; called once on construction."""

    def open_spider(self) -> None:
        """Called when a crawl or replay starts."""

    def close_spider(self) -> None:
        """Called when a crawl or replay ends: flush what is buffered."""

    def process_item(self, item: Any) -> Any:
        raise NotImplementedError
