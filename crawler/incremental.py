"""Incremental crawling: what a crawl need not fetch again, judged from what is stored (the store
layer fills it when a crawl opens: pipelines.crawling.KnownArticlesLoader)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class KnownArticles:
    """Article URLs already stored (canonicalised), with when each was last fetched."""

    last_fetched: dict[str, datetime]
    recrawl_after: timedelta | None = None
    """Fetch a stored article again once its last fetch is older than this; None: never."""

    def should_fetch(self, key: str, now: datetime, lastmod: datetime | None = None) -> bool:
        """New URLs, URLs whose sitemap ``lastmod`` is newer than our last fetch, and URLs past the
        recrawl window are fetched; the rest were stored already."""
        last = self.last_fetched.get(key)
        if last is None:
            return True
        if lastmod is not None and lastmod > last:
            return True
        return self.recrawl_after is not None and now - last > self.recrawl_after
