"""The one spider: walks any site profile's listing pages, sitemaps and feeds to its articles."""

from __future__ import annotations

import itertools
import logging
import re
import struct
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from lxml.etree import XMLSyntaxError
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from crawler.extraction.pages import RawPage
from crawler.extraction.profiles import SiteProfile, adhoc_profile, host_aliases, load_profile
from crawler.extraction.stitch import Stitcher
from crawler.extraction.urls import canonicalize_url, url_parses
from crawler.frontier import FRONTIER_EMPTIED, follows
from crawler.incremental import ArticleLedger, KnownArticles
from crawler.outcome import REJECTED, SPIDER_ERROR, Ledger, error_stat, page_outcome
from crawler.workers import Workers

logger = logging.getLogger(__name__)

#: Link texts of a listing page's next-page link.
NEXT_LISTING = re.compile(r"^\s*(下一页|下页|后页|next( page)?|›|»|>)\s*$", re.IGNORECASE)
#: Without a profile pattern (or ``--article-pattern``), an article link has a headline-long text and a
#: page-like path: a number of 4+ digits (or a TRS ``t20240520_`` stem) in the file name of an .html,
#: .htm, .shtml, .php or .asp(x) page, or a date folder such as ``/2024/05/20/`` or ``/2024-05-20/``.
#: README's "crawl --url" section says the same in words; keep them together.
ARTICLE_PATH = re.compile(r"(\d{4,}|/t\d{8}_)[^/]*\.(s?html?|php|aspx?)$|/\d{4}[/-]?\d{2}[/-]?\d{2}/", re.IGNORECASE)
MIN_HEADLINE_LINK = 6
#: Links on the site that were not followed, kept as examples for the hint a crawl ends with.
UNFOLLOWED_EXAMPLES = 3
#: A multi-page article longer than this is cut, so a pager bug cannot loop for ever.
MAX_ARTICLE_PAGES = 20
#: Links of one page written to the ledger together before they are requested: a listing page's all,
#: a sitemap's (up to 50,000 links) a chunk at a time, so its requests and rows are never all in memory.
RECORDED_AT_ONCE = 500
#: The ledger's reason for an article request dropped on purpose (robots.txt, a redirect to a stored
#: article): nothing to fetch again.
DROPPED = "edunews/pages/skipped/dropped"
#: An article whose next page was still unread when the crawl stopped (Ctrl-C, a time limit): not
#: stored this run, and due again, so the next crawl fetches it whole.
NEXT_PAGE_UNREAD = "edunews/pages/skipped/next-page-unread"
#: What a sitemap or feed is, by the name of its root element: sitemaps (urlset, sitemapindex), RSS 2.0
#: and 1.0 (rss, rdf:RDF) and Atom (feed) feeds.
ENTRY_KINDS = {"urlset": "sitemap", "sitemapindex": "sitemap", "rss": "feed", "RDF": "feed", "feed": "feed"}
#: The root elements of each kind, as a failure's detail names them.
ENTRY_ROOTS = {
    kind: " or ".join(f"<{root}>" for root, of_kind in ENTRY_KINDS.items() if of_kind == kind)
    for kind in set(ENTRY_KINDS.values())
}


class NewsSpider(scrapy.Spider):
    """Crawls one site: ``scrapy crawl news -a profile=moe`` or ``-a url=https://example.edu.cn/news/``.

    Listing pages give article links and their next page; sitemaps and feeds give article links
    directly. The profile the crawl runs with is the one every stage sees: extraction, the request
    fingerprints Scrapy de-duplicates by (canonical URL with the profile's host aliases), the
    incremental skip of stored articles (``known``, filled by the store layer when the crawl opens)
    and, through the normalise pipeline, the URL an article is stored under.
    """

    name = "news"

    def __init__(
        self,
        profile: str | SiteProfile | None = None,
        url: str | None = None,
        article_pattern: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not profile and not url:
            raise ValueError("give a site profile (-a profile=NAME or a .toml path) or a start URL (-a url=URL)")
        self.profile: SiteProfile = load_profile(profile) if profile else adhoc_profile(url or "", article_pattern)
        self.allowed_domains = list(self.profile.domains)
        self.host_aliases = host_aliases(self.profile)
        self.listing_pages = 0
        self.known = KnownArticles({})
        self.stitcher = Stitcher(self.host_aliases)
        #: Every input of the crawl that did not become an article, by URL (the run's summary lists them).
        self.ledger = Ledger()
        #: A few on-site links that were neither listings nor articles: the hint when nothing was found.
        self.unfollowed: list[str] = []
        #: Where pages are read: the crawl's worker processes, set by ``from_crawler``; in-process until then.
        self.workers = Workers(0)
        #: Every article URL found, written before it is requested, and what became of it (the store
        #: layer writes it, and fills in what earlier crawls left due); set by ``from_crawler``.
        self.discovered = ArticleLedger()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.note_rejected, signal=signals.item_dropped)
        crawler.signals.connect(spider.note_spider_error, signal=signals.spider_error)
        crawler.signals.connect(spider.note_dropped_redirect, signal=signals.request_dropped)
        crawler.signals.connect(spider.refill_frontier, signal=FRONTIER_EMPTIED)
        spider.workers = Workers.of(crawler)
        spider.discovered = ArticleLedger.of(crawler)
        slots = dict(crawler.settings.getdict("DOWNLOAD_SLOTS"))
        crawl = spider.profile.crawl
        politeness = {
            key: value
            for key, value in (("delay", crawl.download_delay), ("concurrency", crawl.concurrency))
            if value is not None
        }
        if politeness:
            for domain in spider.profile.domains:
                slots.setdefault(domain, politeness)
                slots.setdefault("www." + domain, politeness)
            crawler.settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        return spider

    # --- where the crawl starts ----------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        for request in [*self.entry_requests(), *self.due_requests(self.discovered.due)]:
            yield request

    def entry_requests(self) -> list[Request]:
        """The listing pages, sitemaps and feeds the crawl starts from."""
        crawl = self.profile.crawl
        return [
            *(self.listing_request(url) for url in crawl.start_urls),
            *(
                Request(url, callback=self.parse_sitemap, meta={"conditional": True}, errback=self.count_failure)
                for url in crawl.sitemaps
            ),
            *(
                Request(url, callback=self.parse_feed, meta={"conditional": True}, errback=self.count_failure)
                for url in crawl.feeds
            ),
        ]

    def due_requests(self, due: list[str]) -> list[Request]:
        """Requests for the ledger's URLs ``due`` on this crawl's site, fetched whatever listings say. A
        site on a port of its own (a local server) is told apart by it: two local sites crawled under
        one profile name are two sites."""
        crawl = self.profile.crawl
        ports = {urlsplit(url).port for url in (*crawl.start_urls, *crawl.sitemaps, *crawl.feeds)} | {None}
        found = [url for url in due if self.profile.on_site(url) and urlsplit(url).port in ports]
        self.crawler.stats.inc_value("edunews/ledger/requeued", len(found))
        return [request for url in found if (request := self.article_request(url, due=True))]

    def refill_frontier(self) -> None:
        """The shared frontier came back from an outage empty: what was queued there is lost. Queue the
        entry pages again and every article the ledger has not seen stored (another worker doing the
        same is harmless: the frontier queues each request once)."""
        due = self.discovered.reload() if self.discovered.reload is not None else []
        assert self.crawler.engine is not None
        for request in [*self.entry_requests(), *self.due_requests(due)]:
            self.crawler.engine.crawl(request)

    def listing_request(self, url: str) -> Request:
        """A listing page; Scrapy's duplicate filter (by canonical URL) sees to it that each is
        fetched once, start pages included when a crawl resumes from its job folder."""
        self.listing_pages += 1
        return Request(url, callback=self.parse_listing, meta={"conditional": True}, errback=self.count_failure)

    def article_request(self, url: str, lastmod: datetime | None = None, due: bool = False) -> Request | None:
        """A request for an article page not stored yet, due again, or ``due`` in the ledger; never for
        one the ledger holds back (gone, or failed and backing off) unless it is ``due``. Repeats within
        the crawl are Scrapy's duplicate filter's to drop."""
        key = canonicalize_url(url, self.host_aliases)
        if not due and (state := self.known.held_back.get(key)):
            self.crawler.stats.inc_value(f"edunews/skipped/{state}")
            return None
        if not due and not self.known.should_fetch(key, datetime.now(UTC), lastmod):
            self.crawler.stats.inc_value("edunews/skipped/known")
            return None
        return Request(
            url,
            callback=self.parse_article,
            errback=self.count_failure,
            meta={"article_key": key, "lastmod": lastmod},
        )

    # --- listing pages, sitemaps, feeds --------------------------------------------------------

    async def parse_listing(self, response: Response) -> AsyncIterator[Request]:
        async for request in self.recorded(self.listing_links(response)):
            yield request

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Request]:
        async for request in self.recorded(self.entry_links(response, "sitemap")):
            yield request

    async def parse_feed(self, response: Response) -> AsyncIterator[Request]:
        async for request in self.recorded(self.entry_links(response, "feed")):
            yield request

    def entry_links(self, response: Response, given: str) -> Iterator[Request]:
        """The links of a document the profile gives as a ``given`` ("sitemap" or "feed"), read as what
        its body is. A feed given as a sitemap (or the other way) is read as what it is, and said: its
        links are what the profile asked for. A body that is neither (an HTML page, robots.txt) fetched
        nothing without a word, or failed with a StopIteration; now it is a failed input named by its
        URL (``edunews/errors/not-a-sitemap``), and the crawl goes on with its other inputs."""
        if response.status == 304:
            self.crawler.stats.inc_value(f"edunews/{given}/not-modified")
            return
        unzipped = self.unzipped(response, given)
        if unzipped is None:
            return
        response = unzipped
        root = root_name(response.body)
        kind = ENTRY_KINDS.get(root or "")
        if kind is None:
            found = f"a document of <{root}>" if root else "not XML"
            self.note_failure(response.url, f"not-a-{given}", f"{found}; a {given} is {ENTRY_ROOTS[given]}")
            return
        if kind != given:
            self.crawler.stats.inc_value(f"edunews/{given}/read-as-{kind}")
            logger.warning("edunews: %s is a %s (<%s>), not a %s: read as a %s", response.url, kind, root, given, kind)
        yield from self.sitemap_links(response) if kind == "sitemap" else self.feed_links(response)

    def unzipped(self, response: Response, given: str) -> Response | None:
        """``response`` with its body unzipped when it is a gzip file: sites serve ``sitemap.xml.gz`` as
        ``application/x-gzip`` with no Content-Encoding for Scrapy to undo. It unzips no larger than a
        download may be (``DOWNLOAD_MAXSIZE``); one that does not unzip is a failed input named by its URL."""
        if not gzip_magic_number(response):
            return response
        limit = response.meta.get("download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        try:
            return response.replace(body=gunzip(response.body, max_size=limit))
        except (OSError, EOFError, ValueError, struct.error) as error:
            self.note_failure(response.url, f"not-a-{given}", f"a gzip file that does not unzip: {error}")
            return None

    async def recorded(self, requests: Iterator[Request]) -> AsyncIterator[Request]:
        """``requests``, each once the article URL among them is in the ledger: one write per page, or
        per ``RECORDED_AT_ONCE`` links of a large sitemap, whose requests are not all held at once."""
        while found := list(itertools.islice(requests, RECORDED_AT_ONCE)):
            keys = [(request.meta["article_key"], request.url) for request in found if request.meta.get("article_key")]
            await self.discovered.discovered(keys)
            for request in found:
                yield request

    def listing_links(self, response: Response) -> Iterator[Request]:
        if response.status == 304:
            self.crawler.stats.inc_value("edunews/listing/not-modified")
            return
        self.crawler.stats.inc_value("edunews/listing/pages")
        next_pages = self.next_listing_urls(response)
        for link in response.css("a[href]"):
            url = self.link_url(response, link.attrib["href"])
            if url is None or not url.startswith("http") or not self.profile.on_site(url):
                continue
            text = " ".join(link.css("::text").getall()).strip()
            if url in next_pages or self.profile.is_listing_url(url):
                if self.listing_pages < self.profile.crawl.max_listing_pages:
                    yield self.listing_request(url)
            elif self.looks_like_article(url, text):
                self.crawler.stats.inc_value("edunews/listing/article-links")
                request = self.article_request(url)
                if request:
                    yield request
            else:
                self.crawler.stats.inc_value("edunews/listing/links-not-followed")
                if len(self.unfollowed) < UNFOLLOWED_EXAMPLES and url not in self.unfollowed:
                    self.unfollowed.append(url)

    def next_listing_urls(self, response: Response) -> set[str]:
        """The listing's next page(s): the profile's selector, else links reading 下一页 / Next."""
        selector = self.profile.crawl.next_page
        if selector:
            hrefs = response.css(f"{selector}::attr(href)").getall()
        else:
            hrefs = [
                link.attrib["href"]
                for link in response.css("a[href]")
                if NEXT_LISTING.match(" ".join(link.css("::text").getall()))
            ]
        return {url for href in hrefs if (url := self.link_url(response, href, count=False))}

    def link_url(self, response: Response, href: str, *, count: bool = True) -> str | None:
        """``href`` made absolute, or None (counted as ``edunews/links/malformed``) when it does not
        parse (``http://[bad/x``, a port of 99999): a link is the page's data, and one that cannot be
        read must not lose the page's other links (nor, once its ETag is kept, keep losing them)."""
        try:
            url = response.urljoin(href.strip())
        except ValueError:
            url = None
        if url is None or not url_parses(url):
            if count:
                self.crawler.stats.inc_value("edunews/links/malformed")
            return None
        return url

    def looks_like_article(self, url: str, text: str) -> bool:
        if self.profile.article_url:
            return self.profile.is_article_url(url)
        return len(text) >= MIN_HEADLINE_LINK and bool(ARTICLE_PATH.search(urlsplit(url).path))

    def sitemap_links(self, response: Response) -> Iterator[Request]:
        sitemap = Sitemap(response.body)
        for entry in sitemap:
            loc = entry.get("loc", "").strip()
            url = self.link_url(response, loc) if loc else None
            if url is None:
                continue
            if sitemap.type == "sitemapindex":
                yield Request(url, callback=self.parse_sitemap, meta={"conditional": True}, errback=self.count_failure)
            elif self.profile.on_site(url) and (not self.profile.article_url or self.profile.is_article_url(url)):
                request = self.article_request(url, lastmod=parse_lastmod(entry.get("lastmod")))
                if request:
                    yield request

    def feed_links(self, response: Response) -> Iterator[Request]:
        response = (
            response.replace(cls=scrapy.http.XmlResponse)
            if not isinstance(response, scrapy.http.XmlResponse)
            else response
        )
        # By local name: the items of an RSS 1.0 feed (rdf:RDF) are in a namespace of their own.
        links = response.xpath(
            "//*[local-name()='item']/*[local-name()='link']/text()"
            " | //*[local-name()='entry']/*[local-name()='link']/@href"
        ).getall()
        for href in links:
            url = self.link_url(response, href)
            request = self.article_request(url) if url else None
            if request:
                yield request

    # --- article pages -------------------------------------------------------------------------

    async def parse_article(self, response: Response, pages: int = 1) -> AsyncIterator[Any]:
        """Turn the page into an item through the one page path (``crawler.outcome``), read by the
        extraction workers while the crawl goes on, stitching the pages of a multi-page article;
        follow its next page, if any."""
        page = raw_page(response)
        outcome = await self.workers.run(page_outcome, page, self.profile)
        self.crawler.stats.inc_value(outcome.stat)
        article = outcome.article
        if article is None:
            self.ledger.note_outcome(page, outcome)
            self.discovered.note(response.meta.get("article_key"), outcome.stat)
            for item in self._release(response):
                yield item
            return
        article.archive = response.meta.get("archive")
        if response.meta.get("redirect_urls"):
            self.discovered.moved(
                response.meta.get("article_key"), canonicalize_url(response.url, self.host_aliases), response.url
            )
        for item in self.stitcher.add(article):
            yield item
        next_url = article.next_page_url
        if next_url is None:
            return
        if pages < MAX_ARTICLE_PAGES and self.profile.on_site(next_url):
            yield Request(
                next_url,
                callback=self.parse_article,
                errback=self.count_failure,
                cb_kwargs={"pages": pages + 1},
                # The next page of an article being stitched is fetched even if a listing linked it, and
                # by this process, which holds the earlier pages (a shared frontier keeps it here).
                dont_filter=True,
                meta={"article_key": None, **follows(response)},
            )
        else:
            for item in self._release_url(next_url):
                yield item

    def closed(self, reason: str) -> None:
        """Name the articles still waiting for a next page as the crawl stops: without a name they were
        missing from the summary, though their first page was fetched."""
        for article in self.stitcher.waiting.values():
            self.crawler.stats.inc_value(NEXT_PAGE_UNREAD)
            detail = f"its next page {article.next_page_url} was unread when the crawl stopped ({reason}); due again"
            self.ledger.note(article.url, NEXT_PAGE_UNREAD, detail)

    def _release(self, response: Response) -> Iterator[Any]:
        """An awaited next page that turned out not to be one: its article is complete as it is."""
        requested = (response.meta.get("redirect_urls") or [response.url])[0]
        yield from self._release_url(requested)

    def _release_url(self, url: str) -> Iterator[Any]:
        article = self.stitcher.give_up(url)
        if article is not None:
            self.crawler.stats.inc_value("edunews/articles/stitch-incomplete")
            yield article

    def count_failure(self, failure: Failure) -> Iterator[Any]:
        """Count a failed request by type and note its URL; a multi-page article keeps the pages it
        already has. A request dropped on purpose (robots.txt, an article already stored) is no failure;
        one dropped for a named fault (a redirect loop: the exception has a ``kind``) is."""
        request: Request = failure.request  # type: ignore[attr-defined]  # Scrapy's errbacks get it
        kind = failure_kind(failure)
        if kind is not None:
            self.note_failure(request.url, kind, failure_detail(failure))
        self.discovered.note(request.meta.get("article_key"), DROPPED if kind is None else error_stat(kind))
        yield from self._release_url(request.url)

    def note_failure(self, url: str, kind: str, detail: str) -> None:
        """An input that failed as ``kind`` (``http-500``, ``not-a-feed``): counted, and named by its URL in
        the crawl's summary."""
        self.crawler.stats.inc_value(error_stat(kind))
        self.ledger.note(url, error_stat(kind), detail)

    def note_rejected(self, item: Any, response: Any, exception: BaseException, spider: Any = None) -> None:
        """An item the validate pipeline refused (counted there): noted by URL with its reason."""
        rejected = getattr(exception, "rejected", None)
        if rejected is not None:
            self.ledger.note(rejected.url, f"{REJECTED}/{rejected.reason}", rejected.detail)
            self.discovered.note(canonicalize_url(rejected.url, self.host_aliases), f"{REJECTED}/{rejected.reason}")

    def note_dropped_redirect(self, request: Request, spider: Any = None) -> None:
        """An article link that redirects to a page this crawl requested already (a listing links the
        article under its new address too): Scrapy's duplicate filter drops the redirect, and the page
        is stored or failed in its own right. The old link is noted as moved there; left as it was, it
        stayed to fetch in the ledger and was named nowhere."""
        key = request.meta.get("article_key")
        if key and request.meta.get("redirect_urls"):
            self.discovered.moved(key, canonicalize_url(request.url, self.host_aliases), request.url)

    def note_spider_error(self, failure: Failure, response: Response, spider: Any = None) -> None:
        """A page that broke one of this spider's callbacks: a named failure, not a log line alone."""
        self.crawler.stats.inc_value(SPIDER_ERROR)
        self.ledger.note(response.url, SPIDER_ERROR, f"{failure.type.__name__}: {failure.value}")
        self.discovered.note(response.meta.get("article_key"), SPIDER_ERROR)


def failure_kind(failure: Failure) -> str | None:
    """The error name a failed request is counted under (``http-500``, ``timeout-error``,
    ``redirect-loop``), or None for a request dropped on purpose."""
    if failure.check(HttpError):
        return f"http-{failure.value.response.status}"
    if failure.check(IgnoreRequest):
        return getattr(failure.value, "kind", None)
    # Scrapy 2.13+ wraps Twisted's errors as Download*Error: the name without the wrapper's prefix.
    return re.sub(r"(?<!^)(?=[A-Z])", "-", failure.type.__name__).lower().removeprefix("download-")


def failure_detail(failure: Failure) -> str:
    """One line saying what went wrong with a request."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return str(failure.value) or failure.type.__name__


def root_name(body: bytes) -> str | None:
    """The local name of the document's root element (``urlset``, ``rss``, ``html``), or None when the
    body is not XML at all (robots.txt, an empty body). Scrapy's sitemap reader, which recovers from
    broken XML as sitemaps need, reads it: it parses no further than the root."""
    try:
        return Sitemap(body).type
    except (StopIteration, XMLSyntaxError):
        return None


def raw_page(response: Response) -> RawPage:
    """The response as extraction and the archive see it: exact body bytes, headers, status."""
    headers = {key.decode("latin-1"): b", ".join(values).decode("latin-1") for key, values in response.headers.items()}
    return RawPage(
        url=response.url,
        body=response.body,
        headers=headers,
        status=response.status,
        fetched_at=response.meta.get("fetched_at") or datetime.now(UTC),
    )


def parse_lastmod(value: str | None) -> datetime | None:
    """A sitemap ``<lastmod>`` (W3C datetime) as an aware datetime; a date alone means midnight UTC."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
