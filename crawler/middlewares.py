"""Downloader middlewares: the raw-page WARC archive, redirect loops named as errors, and no fetch of old
links that redirect to a stored article (conditional requests, which need the database, live in
pipelines.crawling)."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Self
from urllib.parse import urljoin

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from crawler.archive import WarcWriter, header_pairs
from crawler.outcome import ARCHIVE_FAILED, REDIRECT_LOOP, TOO_MANY_REDIRECTS
from crawler.urls import canonicalize_url

logger = logging.getLogger(__name__)

#: HTTP statuses Scrapy's RedirectMiddleware follows through their Location header.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL already visited on the way: counted as ``edunews/errors/redirect-loop``."""

    kind = REDIRECT_LOOP.rsplit("/", 1)[-1]


class TooManyRedirects(IgnoreRequest):
    """More redirects in a row than ``REDIRECT_MAX_TIMES``: ``edunews/errors/too-many-redirects``."""

    kind = TOO_MANY_REDIRECTS.rsplit("/", 1)[-1]


class RedirectGuardMiddleware:
    """Names the redirects that lead nowhere, before Scrapy's RedirectMiddleware follows them: a loop
    would otherwise end silently in the duplicate filter, and a chain too long in a debug line. The
    request's errback counts them (``kind``) like any other failed fetch."""

    def __init__(self, max_redirects: int) -> None:
        self.max_redirects = max_redirects

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("REDIRECT_ENABLED", True):
            raise NotConfigured
        return cls(crawler.settings.getint("REDIRECT_MAX_TIMES"))

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status not in REDIRECT_STATUSES or not location or request.meta.get("dont_redirect"):
            return response
        target = canonicalize_url(urljoin(request.url, location.decode("latin-1").strip()))
        visited = [*request.meta.get("redirect_urls", []), request.url]
        if target in {canonicalize_url(url) for url in visited}:
            raise RedirectLoop(f"redirect loop: {' -> '.join(visited)} -> {target}")
        if len(visited) > self.max_redirects:
            raise TooManyRedirects(f"more than {self.max_redirects} redirects in a row, last to {target}")
        return response


class WarcArchiveMiddleware:
    """Writes every response (after decompression, before redirects and retries are handled) to
    rotating WARC files, and notes in ``request.meta["archive"]`` where it went so the stored article
    can link back to the exact bytes."""

    def __init__(self, folder: Path, max_bytes: int, crawler: Crawler) -> None:
        self.writer = WarcWriter(folder, max_bytes=max_bytes)
        self.stats = crawler.stats
        crawler.signals.connect(self.writer.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        folder = crawler.settings.get("EDUNEWS_ARCHIVE_DIR")
        if not folder:
            raise NotConfigured
        return cls(Path(folder), crawler.settings.getint("EDUNEWS_ARCHIVE_MAX_BYTES"), crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        fetched_at = datetime.now(UTC)
        request.meta["fetched_at"] = fetched_at
        try:
            record = self.writer.write(
                url=response.url,
                status=response.status,
                reason="",
                headers=header_pairs(response.headers.items()),
                body=response.body,
                fetched_at=fetched_at,
                request_headers=header_pairs(request.headers.items()),
                method=request.method,
            )
        except OSError as error:
            # A full disk or an unwritable folder costs the archive copy, never the page: it is still
            # read and stored, without a place in the archive, and the loss is counted.
            self.stats.inc_value(ARCHIVE_FAILED)
            if self.stats.get_value(ARCHIVE_FAILED) == 1:  # a full disk fails every page: one line says why
                logger.warning("edunews: could not archive %s: %s", response.url, error)
            return response
        request.meta["archive"] = asdict(record)
        self.stats.inc_value("edunews/archive/records")
        return response


class SkipKnownRedirectMiddleware:
    """An old link that redirects to an article already stored is not fetched: the spider only knows
    the old URL, this sees where it leads."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        if not request.meta.get("redirect_urls") or "article_key" not in request.meta:
            return
        key = canonicalize_url(request.url, getattr(spider, "host_aliases", {}))
        known = getattr(spider, "known", None)
        if known is not None and not known.should_fetch(key, datetime.now(UTC)):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("edunews/skipped/known")
            raise IgnoreRequest(f"redirects to a stored article: {request.url}")
