"""Running the item pipelines outside Scrapy: replay and tests push items through the very same
pipeline classes, in the order ``ITEM_PIPELINES`` gives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.misc import load_object

from crawler.profiles import SiteProfile
from pipelines.base import CountingStats, ItemPipeline, Stats


class Ingestor:
    """The pipeline chain as a context manager: ``with Ingestor(settings) as ingest: ingest(item)``.
    A dropped item is announced to every pipeline as Scrapy's ``item_dropped`` signal would be, and to
    ``on_dropped`` (a replay notes the rejects by URL there, as a crawl does on the signal)."""

    def __init__(
        self,
        settings: Settings,
        stats: Stats | None = None,
        profile: SiteProfile | None = None,
        on_dropped: Callable[[Any, BaseException], None] | None = None,
    ) -> None:
        self.stats = stats or CountingStats()
        self.on_dropped = on_dropped
        order = sorted(settings.getdict("ITEM_PIPELINES").items(), key=lambda entry: entry[1])
        self.pipelines: list[ItemPipeline] = [load_object(path)(settings, self.stats, profile) for path, _ in order]

    def __enter__(self) -> Ingestor:
        for pipeline in self.pipelines:
            pipeline.open_spider()
        return self

    def __exit__(self, *exc: object) -> None:
        for pipeline in reversed(self.pipelines):
            pipeline.close_spider()

    def __call__(self, item: Any) -> Any | None:
        """Push one item through; ``None`` when a pipeline dropped it."""
        for pipeline in self.pipelines:
            try:
                item = pipeline.process_item(item)
            except DropItem as dropped:
                for listener in self.pipelines:
                    listener.item_dropped(item, dropped)
                if self.on_dropped is not None:
                    self.on_dropped(item, dropped)
                return None
        return item
