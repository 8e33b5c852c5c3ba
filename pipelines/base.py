"""What every edunews item pipeline shares: built from settings and a stats collector, so the same
class runs inside a Scrapy crawl (``from_crawler``) and outside it (replay, tests)."""

from __future__ import annotations

from collections import Counter
from typing import Any, Protocol, Self

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.extraction.items import Article
from crawler.extraction.profiles import SiteProfile
from crawler.workers import Workers


def item_fields(item: Any) -> dict[str, Any]:
    """An item's fields by name, the values themselves. ``ItemAdapter.asdict`` copies them deeply,
    asking of every list element whether it is an item: six times the cost, for fields that hold
    only text, lists of text and small dicts, which no pipeline changes. Our own ``Article`` (a plain
    dataclass) is read from its instance dictionary: the adapter's field-by-field reading cost
    17 µs an item (2 µs so), twice per stored article."""
    if type(item) is Article:
        return dict(vars(item))
    return dict(ItemAdapter(item).items())


class Stats(Protocol):
    """The part of Scrapy's stats collector the pipelines use."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...

    def get_value(self, key: str, default: Any = None) -> Any: ...

    def set_value(self, key: str, value: Any) -> None: ...

    def get_stats(self) -> dict[str, Any]: ...


class CountingStats:
    """A stats collector for runs outside Scrapy: counters and highest values, and values set whole
    (the store's reason for spooling, in words)."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self._counts[key] += count

    def max_value(self, key: str, value: int) -> None:
        self._counts[key] = max(self._counts[key], value)

    def set_value(self, key: str, value: Any) -> None:
        self._values[key] = value

    def get_value(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, self._counts.get(key, default))

    def get_stats(self) -> dict[str, Any]:
        return {**self._counts, **self._values}


class ItemPipeline:
    """Base of the edunews pipelines. Subclasses read their settings in :meth:`setup`.

    ``profile`` is the site profile the crawl runs with (``None`` outside a single-site crawl: a
    replay of pages from many sites), so that every stage sees the same per-site settings.
    ``workers`` are the run's worker processes, given to a pipeline that ``uses_workers`` (in a crawl
    the crawl's, in a replay the ``Ingestor``'s): its pure CPU work goes there, and its
    ``process_item`` returns a coroutine that awaits it."""

    #: Whether the pipeline runs CPU work in the run's worker processes.
    uses_workers = False

    def __init__(
        self,
        settings: BaseSettings,
        stats: Stats,
        profile: SiteProfile | None = None,
        workers: Workers | None = None,
    ) -> None:
        self.settings = settings
        self.stats = stats
        self.profile = profile
        self.workers = workers
        self.crawler: Crawler | None = None
        self.setup()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        workers = Workers.of(crawler) if cls.uses_workers else None
        pipeline = cls(crawler.settings, crawler.stats, getattr(crawler.spider, "profile", None), workers)
        pipeline.crawler = crawler
        crawler.signals.connect(pipeline._on_item_dropped, signal=signals.item_dropped)
        pipeline.connected(crawler)
        return pipeline

    def connected(self, crawler: Crawler) -> None:
        """Called once inside a Scrapy crawl, after construction: take shared resources here."""

    def _on_item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Any = None) -> None:
        self.item_dropped(item, exception)

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        """An item a pipeline dropped (Scrapy's ``item_dropped`` signal, or ``Ingestor`` outside it)."""

    def setup(self) -> None:
        """Read settings and prepare; called once on construction."""

    def open_spider(self) -> None:
        """Called when a crawl or replay starts."""

    def close_spider(self) -> None:
        """Called when a crawl or replay ends: flush what is buffered."""

    def process_item(self, item: Any) -> Any:
        raise NotImplementedError
