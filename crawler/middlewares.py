"""Downloader middlewares: robots.txt read as RFC 9309 says, the raw-page WARC archive, redirect loops
named as errors, meta refreshes looked for without decoding every page, and no fetch of old links that
redirect to a stored article (conditional requests, which need the database, live in
pipelines.crawling)."""

from __future__ import annotations

import codecs
import logging
from collections import defaultdict
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Self
from urllib.parse import urljoin

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred
from twisted.internet.task import deferLater

from crawler.archive import WarcWriter, header_pairs
from crawler.extraction.urls import canonicalize_url
from crawler.outcome import ARCHIVE_FAILED, REDIRECT_LOOP, ROBOTS_UNREACHABLE, TOO_MANY_REDIRECTS

logger = logging.getLogger(__name__)

#: HTTP statuses Scrapy's RedirectMiddleware follows through their Location header.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: Scrapy looks for a meta refresh in a page's first 4,096 characters: in bytes, at most four a character.
REFRESH_SCAN_BYTES = 4 * 4096
#: Byte-order marks of the encodings whose text holds no ASCII bytes to find "refresh" by.
WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL already visited on the way: counted as ``edunews/errors/redirect-loop``."""

    kind = REDIRECT_LOOP.rsplit("/", 1)[-1]


class TooManyRedirects(IgnoreRequest):
    """More redirects in a row than ``REDIRECT_MAX_TIMES``: ``edunews/errors/too-many-redirects``."""

    kind = TOO_MANY_REDIRECTS.rsplit("/", 1)[-1]


class RobotsUnreachable(IgnoreRequest):
    """A request to a site whose robots.txt could not be read: ``edunews/errors/robots-unreachable``."""

    kind = ROBOTS_UNREACHABLE.rsplit("/", 1)[-1]


#: What a site's robots.txt says: its rules, None (no rules: a 4xx, everything allowed), or that it
#: stayed unreachable (everything disallowed).
Rules = RobotParser | None | RobotsUnreachable


class RobotsRfc9309Middleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, reading robots.txt the way RFC 9309 says (section 2.3.1): a 2xx
    gives the rules, a 4xx means there are none (everything allowed), and an unreachable robots.txt (a
    5xx or a network error, after Scrapy's retries) means the whole site is disallowed until it can be
    read. Scrapy allowed everything then: under load, a worker of a frontier crawl whose robots.txt
    request timed out fetched the demo's disallowed page. A site's requests wait while its robots.txt
    is read again, ``EDUNEWS_ROBOTS_TRIES`` times ``EDUNEWS_ROBOTS_RETRY_DELAY`` seconds apart; if it
    stays unreachable they fail as ``robots-unreachable``, named in the summary, and the next crawl
    tries again. Every worker of a frontier crawl reads robots.txt the same way.

    Each request waiting for the rules gets them on a Deferred of its own: Scrapy's requests awaited
    one shared Deferred, whose result only the first of them received (the others got None, which
    allows everything)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.tries = crawler.settings.getint("EDUNEWS_ROBOTS_TRIES")
        self.retry_delay = crawler.settings.getfloat("EDUNEWS_ROBOTS_RETRY_DELAY")
        self.rules: dict[str, Rules] = {}
        self.waiting: defaultdict[str, list[Deferred[Rules]]] = defaultdict(list)
        self.reads: dict[str, Deferred[None]] = {}

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """The rules of ``request``'s site (None: everything allowed); raises :class:`RobotsUnreachable`
        when its robots.txt could not be read."""
        netloc = urlparse_cached(request).netloc
        if netloc in self.rules:
            rules = self.rules[netloc]
        else:
            mine: Deferred[Rules] = Deferred()
            first = netloc not in self.waiting
            self.waiting[netloc].append(mine)
            if first:  # kept: a task nobody holds may be collected before it ends
                self.reads[netloc] = deferred_from_coro(self._read(request, netloc))
            rules = await maybe_deferred_to_future(mine)
        if isinstance(rules, RobotsUnreachable):
            raise RobotsUnreachable(f"{rules}: {request.url} not fetched")
        return rules

    async def _read(self, request: Request, netloc: str) -> None:
        """Read the site's robots.txt, again after a wait while it is unreachable, and hand the rules to
        every request waiting for them."""
        from twisted.internet import reactor

        parts = urlparse_cached(request)
        url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        rules: Rules = RobotsUnreachable("robots.txt could not be read")
        try:
            for attempt in range(1, self.tries + 1):
                rules = await self._fetch(url)
                if not isinstance(rules, RobotsUnreachable):
                    break
                self._stats.inc_value("edunews/robots/unreachable-reads")
                if attempt < self.tries:
                    await maybe_deferred_to_future(deferLater(reactor, self.retry_delay))
        finally:  # whatever happened, no request waits for good
            self.rules[netloc] = rules
            for waiter in self.waiting.pop(netloc):
                waiter.callback(rules)

    async def _fetch(self, url: str) -> Rules:
        """One read of robots.txt at ``url`` (with Scrapy's retries), as RFC 9309 reads its status."""
        assert self.crawler.engine is not None
        robots = Request(url, priority=self.DOWNLOAD_PRIORITY, meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
        self._stats.inc_value("robotstxt/request_count")
        try:
            response = await self.crawler.engine.download_async(robots)
        except IgnoreRequest:
            return None  # dropped on purpose by another middleware, as Scrapy's own reading does
        except Exception as error:  # a timeout, a refused or dropped connection: unreachable
            self._stats.inc_value(f"robotstxt/exception_count/{type(error)}")
            return RobotsUnreachable(f"robots.txt unreachable: {' '.join(str(error).split()) or type(error).__name__}")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        if response.status >= 500:
            return RobotsUnreachable(f"robots.txt unreachable (HTTP {response.status})")
        if response.status >= 400:
            return None
        return build_from_crawler(self._parserimpl, self.crawler, response.body)


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


class MetaRefreshMiddleware(ScrapyMetaRefreshMiddleware):
    """Scrapy's, asked only about pages whose first bytes hold the word "refresh". Scrapy decodes the
    whole page to read its first characters, and an article page is not decoded in the crawl's process
    otherwise (its bytes go to the extraction workers), the process that sets a crawl's pace: on real
    Chinese pages of 150 kB that decode took 0.23 of the 0.27 ms a page this middleware spent."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        head = response.body[:REFRESH_SCAN_BYTES]
        if b"refresh" not in head.lower() and not head.startswith(WIDE_BOMS):
            return response
        return super().process_response(request, response)


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
