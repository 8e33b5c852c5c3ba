"""The demo education-news site: saved and generated pages served over HTTP on 127.0.0.1, with the
traps a real crawl meets (robots rules, redirects, loops, errors, slow and binary pages)."""

from __future__ import annotations

import hashlib
import re
import socket
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from edunews.demo import render
from edunews.demo.bundle import (
    CHINA,
    CONTINUATIONS,
    ERROR_SLUG,
    LOGIN_SLUG,
    NOT_ARTICLES,
    BundledPage,
    article_path,
    headline,
    iter_bundled_pages,
)
from edunews.demo.generate import DISTINCT_SCHOOLS, GENERATED_CAPACITY, generated_article

HOST = "127.0.0.1"
HOME_PATH = "/"
NEWS_PATH = "/news/"
NOTICES_PATH = "/notices/"
ROBOTS_PATH = "/robots.txt"
SITEMAP_PATH = "/sitemap.xml"
FEED_PATH = "/feed.xml"
ABOUT_PATH = "/about.html"
PRIVATE_PATH = "/private/secret.html"
BROKEN_PATH = "/news/broken.html"
SLOW_PATH = "/news/slow.html"
OLD_LINK_PATH = "/news/old-link.html"
LOOP_A_PATH = "/loop/a.html"
LOOP_B_PATH = "/loop/b.html"
GONE_PATH = "/news/gone.html"
EMPTY_PATH = "/news/empty.html"
BINARY_PATH = "/news/report.html"
#: Listing pages after the first: ``/news/index_2.html``, ``/news/index_3.html``, ...
LISTING_PAGE = re.compile(r"^/news/index_([1-9][0-9]*)\.html$")
#: The moved article that ``OLD_LINK_PATH`` redirects to.
OLD_LINK_TARGET_SLUG = "seed-contentfarm-gbk"
#: Generated stories used for the slow page and the robots-forbidden page; ``extra_articles`` pages
#: pass them by, so they differ from every listed article.
SLOW_STORY = DISTINCT_SCHOOLS - 1
PRIVATE_STORY = DISTINCT_SCHOOLS - 2
#: The most ``extra_articles`` a site can hold: every generated story but the two above.
MOST_EXTRA_ARTICLES = GENERATED_CAPACITY - 3
#: Allowed slugs for ``add_article``: they become file names in a URL.
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

HTML_UTF8 = "text/html; charset=utf-8"
#: The start of a real PDF: what a misconfigured server sends for a report link as text/html.
PDF_BYTES = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"xref\n0 4\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
)
#: When the site's own pages (notices, about) last changed.
SITE_EPOCH = datetime(2026, 10, 30, 9, 0, tzinfo=CHINA)
#: Special links a crawler meets on listing page 1, dressed as headlines.
HOT_LINKS = (
    (BROKEN_PATH, "全县中小学教师资格定期注册结果公示"),
    (SLOW_PATH, None),  # the title of the slow page's own story
    (OLD_LINK_PATH, "职业教育活动周专题报道"),
    (LOOP_A_PATH, "2026年秋季学期校历安排"),
    (EMPTY_PATH, "关于做好寒假安全教育工作的通知"),
    (BINARY_PATH, "2025年全县教育事业统计公报（PDF）"),
    (PRIVATE_PATH, "内部资料：教师绩效考核方案（征求意见稿）"),
)
GONE_TITLE = "关于2026年教师招聘笔试成绩的公示"
#: How many headlines the home page shows.
HOME_LATEST = 8


@dataclass(frozen=True)
class DemoPage:
    """One article page the site serves."""

    path: str
    """Absolute path on the site, e.g. ``/news/2021/0426/seed-contentfarm-gbk.html``."""
    body: bytes
    """The bytes sent, in the page's own encoding."""
    content_type: str
    """The Content-Type header sent: the original server's, which may lack a charset."""
    last_modified: datetime
    """Sent as Last-Modified; also the page's sitemap ``<lastmod>`` and feed ``pubDate``."""


@dataclass(frozen=True)
class Reply:
    """A response before it is written: what the server decided, not yet how it is sent."""

    status: int
    body: bytes = b""
    content_type: str | None = HTML_UTF8
    headers: tuple[tuple[str, str], ...] = ()
    last_modified: datetime | None = None
    etag: str | None = None


@dataclass(frozen=True)
class Catalog:
    """Everything the site holds at one moment; replaced whole when an article is added, so a request
    reads one consistent version without locking."""

    pages: Mapping[str, DemoPage]
    """Every article page by path, including continuation pages that are not listed."""
    listed: tuple[render.Entry, ...]
    """The listed articles, newest first."""
    slugs: Mapping[str, str]
    version: int = 0

    @property
    def changed(self) -> datetime:
        """When the listings last changed: the newest listed article's time."""
        return self.listed[0].when if self.listed else SITE_EPOCH


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC).replace(microsecond=0), usegmt=True)


def make_etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def newest_first(entries: Sequence[render.Entry]) -> tuple[render.Entry, ...]:
    """Listing order: newest first, ties by path so that the order is the same on every run."""
    return tuple(sorted(entries, key=lambda e: (-e.when.timestamp(), e.path)))


def not_modified(request_headers: Mapping[str, str], etag: str | None, last_modified: datetime | None) -> bool:
    """Whether a conditional request may be answered 304 (``request_headers`` keyed in lower case).
    If-None-Match wins over If-Modified-Since, as RFC 9110 says; an unparsable date is ignored rather
    than trusted."""
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        if etag is None:
            return False
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = request_headers.get("if-modified-since")
    if if_modified_since and last_modified is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return last_modified.replace(microsecond=0) <= since
    return False


def extra_story_numbers(count: int) -> list[int]:
    """The generated stories a site with ``count`` extra articles lists: 1, 2, ... passing by the slow
    and the forbidden page's own stories."""
    numbers = [number for number in range(1, count + 3) if number not in (SLOW_STORY, PRIVATE_STORY)]
    return numbers[:count]


def bundled_catalog(pages: Sequence[BundledPage], extra_articles: int) -> Catalog:
    """The starting catalog: every bundled article (continuations served but not listed) and
    ``extra_articles`` generated ones."""
    served: dict[str, DemoPage] = {}
    listed: list[render.Entry] = []
    slugs: dict[str, str] = {}
    for page in pages:
        if page.slug in NOT_ARTICLES:
            continue
        path = article_path(page.slug, page.last_modified)
        served[path] = DemoPage(path, page.body, page.content_type, page.last_modified)
        slugs[page.slug] = path
        if page.slug not in CONTINUATIONS:
            listed.append(render.Entry(path, page.title, page.last_modified))
    for number in extra_story_numbers(extra_articles):
        story = generated_article(number)
        served[story.path] = DemoPage(story.path, story.body, HTML_UTF8, story.published)
        listed.append(render.Entry(story.path, story.title, story.published))
    return Catalog(served, newest_first(listed), slugs)


class DemoSite:
    """A realistic education-news site on ``127.0.0.1`` and a free port, for crawling end to end.

    Use as a context manager (``with DemoSite() as site: crawl(site.url)``) or call ``start``/``stop``.
    Every request served is appended to ``request_log`` as ``(method, path, status)``, the path as the
    client sent it (query string included), so tests can count what a crawler fetched.
    """

    def __init__(self, *, extra_articles: int = 0, slow_seconds: float = 3.0, port: int = 0) -> None:
        """``port`` 0 (the default) takes any free port; a fixed port keeps article URLs the same from
        one run to the next, and ``start`` raises ``OSError`` when it is taken."""
        if not 0 <= extra_articles <= MOST_EXTRA_ARTICLES:
            raise ValueError(f"extra_articles must be between 0 and {MOST_EXTRA_ARTICLES}")
        self.slow_seconds = slow_seconds
        self.requested_port = port
        self.request_log: list[tuple[str, str, int]] = []
        self._log_lock = threading.Lock()
        self._catalog_lock = threading.Lock()
        bundled = list(iter_bundled_pages())
        self._catalog = bundled_catalog(bundled, extra_articles)
        self._specials = {page.slug: page for page in bundled if page.slug in (LOGIN_SLUG, ERROR_SLUG)}
        self._slow_story = generated_article(SLOW_STORY)
        self._private_story = generated_article(PRIVATE_STORY)
        self._cache: dict[tuple[int, str], Reply] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        #: The last base URL served; requests still in flight while stop() runs keep using it.
        self._base_url = ""

    # -- lifecycle -----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` while the site runs."""
        if self._server is None:
            raise RuntimeError("the demo site is not running; call start() first")
        return self._base_url

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def start(self) -> DemoSite:
        """Bind 127.0.0.1 (on a free port unless one was asked for) and serve from a daemon thread."""
        if self._server is not None:
            raise RuntimeError("the demo site is already running")
        self._server = _Server(self, self.requested_port)
        self._base_url = f"http://{HOST}:{self._server.server_address[1]}"
        self._cache.clear()  # the sitemap and feed name the port, which may change on restart
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="edunews-demo-site", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port: slow responses are cut short and idle keep-alive
        connections closed, so nothing keeps the socket (or the test) waiting."""
        server, thread = self._server, self._thread
        if server is None:
            return
        server.stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- content ---------------------------------------------------------------------------------------

    def article_paths(self) -> list[str]:
        """Paths of the listed articles, newest first: what listings, sitemap and feed cover. The
        second page of the multi-page article and the special pages are served but not in it."""
        return [entry.path for entry in self._catalog.listed]

    def path_for(self, slug: str) -> str:
        """Where a bundled or added article lives, by its slug (``KeyError`` if there is none)."""
        return self._catalog.slugs[slug]

    def page(self, path: str) -> DemoPage | None:
        """The article page served at ``path``, or None."""
        return self._catalog.pages.get(path)

    def listing_page_count(self) -> int:
        return render.page_count(len(self._catalog.listed))

    def add_article(self, slug: str, html: bytes, content_type: str = HTML_UTF8) -> str:
        """Publish an article now: it becomes the newest, first on listing page 1 and in the sitemap and
        feed, with a Last-Modified later than anything before, so listings answer 200 again to a
        conditional request. Returns its path."""
        if not SLUG.match(slug):
            raise ValueError(f"not a usable slug: {slug!r}")
        with self._catalog_lock:
            current = self._catalog
            if slug in current.slugs:
                raise ValueError(f"an article with slug {slug!r} already exists")
            # HTTP dates have whole seconds: one second past the newest keeps If-Modified-Since honest.
            now = datetime.now(UTC).replace(microsecond=0)
            when = max(now, current.changed.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1))
            path = article_path(slug, when)
            if path in current.pages:
                raise ValueError(f"{path} is already taken")
            title = headline(html, content_type) or slug
            pages = {**current.pages, path: DemoPage(path, html, content_type, when)}
            listed = (render.Entry(path, title, when), *current.listed)
            self._catalog = Catalog(pages, listed, {**current.slugs, slug: path}, current.version + 1)
        return path

    # -- serving ---------------------------------------------------------------------------------------

    def record(self, method: str, path: str, status: int) -> None:
        with self._log_lock:
            self.request_log.append((method, path, status))

    def reply(self, path: str) -> Reply:
        """What the site answers for ``path`` (without query string), before conditional handling."""
        catalog, base = self._catalog, self._base_url
        page = catalog.pages.get(path)
        if page is not None:
            return Reply(200, page.body, page.content_type, last_modified=page.last_modified)
        listing = LISTING_PAGE.match(path)
        if path in (NEWS_PATH, "/news/index.html") or listing:
            number = int(listing.group(1)) if listing else 1
            if 1 <= number <= render.page_count(len(catalog.listed)):
                return self._cached(catalog, f"listing:{number}", lambda: self._listing(catalog, number))
            return self.missing()
        generated = {
            HOME_PATH: lambda: self._home(catalog),
            NOTICES_PATH: self._notices,
            SITEMAP_PATH: lambda: self._xml(render.sitemap_xml(base, catalog.listed), catalog, "application/xml"),
            FEED_PATH: lambda: self._xml(render.feed_xml(base, catalog.listed), catalog, "application/rss+xml"),
        }
        if path in generated:
            return self._cached(catalog, path, generated[path])
        if path == ROBOTS_PATH:
            return Reply(200, render.robots_txt(base).encode("utf-8"), "text/plain; charset=utf-8")
        if path == SLOW_PATH:
            story = self._slow_story
            return Reply(200, story.body, HTML_UTF8, last_modified=story.published)
        if path == PRIVATE_PATH:
            story = self._private_story
            return Reply(200, story.body, HTML_UTF8, last_modified=story.published)
        if path == BROKEN_PATH:
            return Reply(500, render.server_error_page().encode("utf-8"))
        if path == OLD_LINK_PATH:
            return self.redirect(301, catalog.slugs.get(OLD_LINK_TARGET_SLUG, NEWS_PATH))
        if path == LOOP_A_PATH:
            return self.redirect(302, LOOP_B_PATH)
        if path == LOOP_B_PATH:
            return self.redirect(302, LOOP_A_PATH)
        if path == EMPTY_PATH:
            return Reply(200, b"", HTML_UTF8, last_modified=SITE_EPOCH)
        if path == BINARY_PATH:
            return Reply(200, PDF_BYTES, "text/html", last_modified=SITE_EPOCH)
        if path == ABOUT_PATH and LOGIN_SLUG in self._specials:
            login = self._specials[LOGIN_SLUG]
            return Reply(200, login.body, login.content_type)
        return self.missing()

    def redirect(self, status: int, target: str) -> Reply:
        location = self._base_url + target
        body = f'<html><body>Moved: <a href="{location}">{location}</a></body></html>'.encode()
        return Reply(status, body, headers=(("Location", location),))

    def missing(self) -> Reply:
        """The site's 404 page: the bundled CMS error page when there is one."""
        error = self._specials.get(ERROR_SLUG)
        if error is not None:
            return Reply(404, error.body, error.content_type)
        return Reply(404, b"<html><body><h1>404 Not Found</h1></body></html>")

    def _cached(self, catalog: Catalog, key: str, build: Callable[[], Reply]) -> Reply:
        """A generated page, rendered once per catalog version; the ETag is the body's hash."""
        cache_key = (catalog.version, key)
        reply = self._cache.get(cache_key)
        if reply is None:
            if len(self._cache) > 4096:  # old versions' pages are never asked for again
                self._cache.clear()
            built = build()
            reply = replace(built, etag=make_etag(built.body))
            self._cache[cache_key] = reply
        return reply

    def _listing(self, catalog: Catalog, number: int) -> Reply:
        start = (number - 1) * render.PER_PAGE
        entries = catalog.listed[start : start + render.PER_PAGE]
        hot = self._hot_links() if number == 1 else ()
        html = render.listing_page(entries, number, render.page_count(len(catalog.listed)), hot)
        return Reply(200, html.encode("utf-8"), last_modified=catalog.changed)

    def _hot_links(self) -> list[render.Entry]:
        return [render.Entry(path, title or self._slow_story.title, SITE_EPOCH) for path, title in HOT_LINKS]

    def _home(self, catalog: Catalog) -> Reply:
        extra = [
            render.Entry(ABOUT_PATH, "用户登录", SITE_EPOCH),
            render.Entry(PRIVATE_PATH, "内部资料（仅限校内访问）", SITE_EPOCH),
        ]
        html = render.home_page(catalog.listed[:HOME_LATEST], extra)
        return Reply(200, html.encode("utf-8"), last_modified=max(catalog.changed, SITE_EPOCH))

    def _notices(self) -> Reply:
        html = render.notices_page([render.Entry(GONE_PATH, GONE_TITLE, SITE_EPOCH)])
        return Reply(200, html.encode("utf-8"), last_modified=SITE_EPOCH)

    def _xml(self, text: str, catalog: Catalog, media_type: str) -> Reply:
        return Reply(200, text.encode("utf-8"), f"{media_type}; charset=utf-8", last_modified=catalog.changed)


class _Handler(BaseHTTPRequestHandler):
    """Routes each request to the site and writes its reply; logs to ``request_log`` only."""

    server: _Server
    protocol_version = "HTTP/1.1"
    #: Idle keep-alive connections are dropped after this many seconds.
    timeout = 30
    #: A reply leaves in two writes, headers then body. With Nagle's algorithm on, the body waited for
    #: the client to acknowledge the headers, which Linux delays by 40 ms: every page on a kept-alive
    #: connection took 43 ms instead of 0.3, and a crawl went at the site's pace, not its own (bare
    #: Scrapy, 16 requests at a time: 261 pages/s, 394 with this on). Real servers send at once (nginx's
    #: ``tcp_nodelay`` is on by default).
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return "nginx"

    def do_GET(self) -> None:
        self.serve(head=False)

    def do_HEAD(self) -> None:
        self.serve(head=True)

    def serve(self, *, head: bool) -> None:
        site = self.server.site
        path = unquote(urlsplit(self.path).path) or "/"
        if path == SLOW_PATH:
            # Waits on the stop event, not time.sleep, so stop() never waits for a slow response.
            self.server.stopping.wait(site.slow_seconds)
        reply = site.reply(path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        if reply.status == 200 and not_modified(headers, reply.etag, reply.last_modified):
            self.send_response(304)
            self.send_validators(reply)
            self.end_headers()
            return
        self.send_response(reply.status)
        if reply.content_type is not None:
            self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_validators(reply)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.end_headers()
        if not head and reply.body:
            self.wfile.write(reply.body)

    def send_validators(self, reply: Reply) -> None:
        if reply.etag is not None:
            self.send_header("ETag", reply.etag)
        if reply.last_modified is not None:
            self.send_header("Last-Modified", http_date(reply.last_modified))

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Called by send_response (errors included): the one place every answered request passes."""
        try:
            status = int(code)
        except ValueError:
            status = 0
        self.server.site.record(self.command or "", self.path or "", status)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence: a crawl of thousands of pages must not write a line to stderr per request."""


class _Server(ThreadingHTTPServer):
    """A threaded server bound to 127.0.0.1 only, which can drop its open connections on stop."""

    daemon_threads = True
    block_on_close = False
    #: socketserver's default backlog of 5 drops the SYNs of a crawler opening 16+ connections at once;
    #: the client then waits a second to retry, and short download timeouts fire on healthy pages.
    request_queue_size = 1024

    def __init__(self, site: DemoSite, port: int = 0) -> None:
        self.site = site
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((HOST, port), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A crawler that gives up on a slow page closes its socket mid-reply: that is expected, not an
        error worth a traceback. Anything else is a bug and is printed."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)
