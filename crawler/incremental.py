"""Incremental crawling: what a crawl need not fetch again, judged from what is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from scrapy.settings import BaseSettings

from pipelines import storage
from pipelines.db import open_database


@dataclass
class KnownArticles:
    """Article URLs already stored (canonicalised), with when each was last fetched."""

    last_fetched: dict[str, datetime]
    recrawl_after: timedelta | None = None
    """Fetch a stored article again once its last fetch is older than this; None: never."""

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> KnownArticles:
        days = settings.getfloat("EDUNEWS_RECRAWL_AFTER_DAYS")
        sessions = open_database(settings.get("EDUNEWS_DB"))
        with sessions() as session:
            known = storage.known_urls(session)
        return cls(known, timedelta(days=days) if days > 0 else None)

    def should_fetch(self, key: str, now: datetime, lastmod: datetime | None = None) -> bool:
        """New URLs, URLs whose sitemap ``lastmod`` is newer than our last fetch, and URLs past the
        recrawl window are fetched; the rest were stored already."""
        last = self.last_fetched.get(key)
        if last is None:
            return True
        if lastmod is not None and lastmod > last:
            return True
        return self.recrawl_after is not None and now - last > self.recrawl_after
