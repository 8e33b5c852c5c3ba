"""Request de-duplication the Scrapy way, by the page's canonical URL: ``?utm_source=…``, a
fragment or the mobile host of a site whose profile folds it into the desktop one are one page.
Scrapy's duplicate filter keeps the fingerprints, so a crawl resumed from ``--jobdir`` remembers
what it had already requested."""

from __future__ import annotations

from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.request import fingerprint

from crawler.extraction.profiles import host_aliases
from crawler.extraction.urls import canonicalize_url


class CanonicalUrlFingerprinter:
    """Fingerprints a request as Scrapy does, over the canonical URL the crawl's profile gives it."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        self._aliases: dict[str, str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def aliases(self) -> dict[str, str]:
        """The host aliases of the profile the crawl runs with (read once the spider exists)."""
        if self._aliases is None:
            spider = self.crawler.spider if self.crawler is not None else None
            if spider is None:
                return host_aliases(None)
            self._aliases = getattr(spider, "host_aliases", None) or host_aliases(getattr(spider, "profile", None))
        return self._aliases

    def fingerprint(self, request: Request) -> bytes:
        canonical = canonicalize_url(request.url, self.aliases())
        return fingerprint(request if canonical == request.url else request.replace(url=canonical))
