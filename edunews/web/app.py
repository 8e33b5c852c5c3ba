"""The web view as a WSGI application (routing, security headers, one read-only session per request) and
the production server that serves it."""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qsl

from jinja2 import Environment, PackageLoader, StrictUndefined
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker
from waitress.server import create_server

from edunews.web import pages
from edunews.web.filters import FILTERS
from pipelines.db import make_engine

#: Articles (and crawl runs) per page.
PAGE_SIZE = 50
#: The only methods answered: the page is for reading, so nothing else is routed at all.
ALLOWED_METHODS = ("GET", "HEAD")
#: Sent with every response. Every stored field came from the open web, so even if something slipped
#: past autoescaping the browser must not run it: no script at all, styles and images only from here.
SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
#: Files under /static/: a fixed list, so no request path ever reaches the file system.
STATIC_FILES = {"style.css": "text/css; charset=utf-8", "favicon.svg": "image/svg+xml"}
#: The server's worker threads: a page is a few milliseconds of SQLite (which releases the GIL) and of
#: template rendering, so a few threads keep two cores busy; more only queue behind the GIL.
SERVER_THREADS = 8
#: Connections accepted at once, and the listen backlog behind them: a burst of a few hundred readers
#: is accepted and answered in turn, never refused.
SERVER_CONNECTIONS = 1000
SERVER_BACKLOG = 2048

StartResponse = Callable[..., Any]


@dataclass
class Response:
    status: HTTPStatus
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


def templates() -> Environment:
    """The Jinja2 environment: autoescape on for every template, whatever its name, and undefined
    names are errors rather than silently empty cells."""
    environment = Environment(
        loader=PackageLoader("edunews.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(FILTERS)
    return environment


def forbid_writes(engine: Engine) -> None:
    """Make every connection of ``engine`` refuse writes (SQLite ``query_only``, PostgreSQL read-only
    transactions): the web view only SELECTs, and a bug must not be able to change the database."""

    @event.listens_for(engine, "connect")
    def read_only(dbapi_connection: Any, connection_record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        elif engine.dialect.name == "postgresql":
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            # A SET is undone with the transaction it ran in, and the pool rolls back a new connection
            # before handing it out: committed, it lasts the session (it was lost, and writes went in).
            dbapi_connection.commit()
        cursor.close()


def read_only_sessions(db: str | None = None) -> sessionmaker[Session]:
    """Sessions on ``db`` (URL or SQLite path, as ``--db`` takes) whose connections refuse writes (a
    SQLite file is opened read-only, never created), one kept open per server thread. The database
    must exist and be migrated already (``open_database`` does that)."""
    engine = make_engine(db, read_only=True, kept=SERVER_THREADS)
    forbid_writes(engine)
    return sessionmaker(engine)


class WebApp:
    """The WSGI application. Each request gets its own session, closed (never committed) after."""

    def __init__(self, sessions: sessionmaker[Session], *, page_size: int = PAGE_SIZE) -> None:
        self.sessions = sessions
        self.page_size = page_size
        self.environment = templates()
        self.routes: list[tuple[re.Pattern[str], Callable[..., Response]]] = [
            (re.compile(r"/"), self.article_list),
            (re.compile(r"/search"), self.search),
            # At most 18 digits: larger numbers overflow SQLite's integers instead of finding nothing.
            (re.compile(r"/articles/(\d{1,18})"), self.article),
            (re.compile(r"/runs"), self.runs),
            (re.compile(r"/schedules"), self.schedules),
            (re.compile(r"/static/([a-z]+\.(?:css|svg))"), self.static),
        ]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if method not in ALLOWED_METHODS:
            response = self.error(HTTPStatus.METHOD_NOT_ALLOWED, f"{method} is not allowed: this page is read-only.")
            response.headers.append(("Allow", ", ".join(ALLOWED_METHODS)))
        else:
            try:
                response = self.dispatch(environ.get("PATH_INFO") or "/", environ.get("QUERY_STRING", ""))
            except Exception:
                # The traceback goes to the server's log; the browser gets a page with the same headers.
                traceback.print_exc(file=environ.get("wsgi.errors", sys.stderr))
                response = self.error(HTTPStatus.INTERNAL_SERVER_ERROR, "Something went wrong reading the database.")
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(response.body))),
            *SECURITY_HEADERS,
            *response.headers,
        ]
        start_response(f"{response.status.value} {response.status.phrase}", headers)
        return [] if method == "HEAD" else [response.body]

    def dispatch(self, path: str, query_string: str) -> Response:
        params = dict(parse_qsl(query_string, keep_blank_values=True))
        for pattern, handler in self.routes:
            match = pattern.fullmatch(path)
            if match:
                try:
                    return handler(params, *match.groups())
                except pages.NotFound as error:
                    return self.error(HTTPStatus.NOT_FOUND, str(error))
                except pages.BadRequest as error:
                    return self.error(HTTPStatus.BAD_REQUEST, str(error))
        return self.error(HTTPStatus.NOT_FOUND, f"nothing at {path}")

    def render(self, template: str, code: HTTPStatus = HTTPStatus.OK, **context: Any) -> Response:
        body = self.environment.get_template(template).render(**context)
        return Response(code, body.encode("utf-8"))

    def error(self, status: HTTPStatus, message: str) -> Response:
        return self.render("error.html", status, status=status, message=message)

    def page(self, template: str, build: Callable[[Session], dict[str, Any]]) -> Response:
        """Build a page's context and render it inside one fresh session, which is then closed and never
        committed: the request leaves nothing behind, and the template may still load a relationship."""
        with self.sessions() as session:
            return self.render(template, **build(session))

    def article_list(self, params: dict[str, str]) -> Response:
        return self.page("articles.html", partial(pages.article_list, params=params, page_size=self.page_size))

    def search(self, params: dict[str, str]) -> Response:
        return self.page("search.html", partial(pages.search_results, params=params, page_size=self.page_size))

    def article(self, params: dict[str, str], article_id: str) -> Response:
        return self.page("article.html", partial(pages.article_page, article_id=article_id))

    def runs(self, params: dict[str, str]) -> Response:
        return self.page("runs.html", partial(pages.crawl_runs, params=params, page_size=self.page_size))

    def schedules(self, params: dict[str, str]) -> Response:
        return self.page("schedules.html", pages.schedules)

    def static(self, params: dict[str, str], name: str) -> Response:
        if name not in STATIC_FILES:
            raise pages.NotFound(f"no file {name}")
        body = files("edunews.web").joinpath("static", name).read_bytes()
        return Response(HTTPStatus.OK, body, STATIC_FILES[name], [("Cache-Control", "max-age=300")])


def make_app(sessions: sessionmaker[Session], *, page_size: int = PAGE_SIZE) -> WebApp:
    """The web view over ``sessions`` (use :func:`read_only_sessions`)."""
    return WebApp(sessions, page_size=page_size)


def logging_requests(app: WebApp) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """``app`` writing one line per request on stderr: client, method, path and status."""

    def logged(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            path = environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
            sys.stderr.write(f"{environ.get('REMOTE_ADDR', '-')} - {environ.get('REQUEST_METHOD')} {path} {status}\n")
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return logged


class WebServer:
    """The web view served by waitress, a production WSGI server: a pool of worker threads behind one
    event loop that accepts every connection (wsgiref's server, with its listen backlog of 5 and a
    thread per connection, dropped 12-33 % of a burst of 200 GETs, and the rest waited up to 30 s)."""

    def __init__(self, app: WebApp, host: str, port: int, *, quiet: bool) -> None:
        self._server = create_server(
            app if quiet else logging_requests(app),
            host=host,
            port=port,
            threads=SERVER_THREADS,
            connection_limit=SERVER_CONNECTIONS,
            backlog=SERVER_BACKLOG,
            # poll(), not select(): select cannot watch file descriptors above 1024.
            asyncore_use_poll=True,
            ident="edunews",
        )
        self._closed = False
        # waitress warns of every request that waits for a thread: a burst is answered in turn, and a
        # line per waiting request tells the user nothing to act on.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    @property
    def server_port(self) -> int:
        """The port listened on (the free one chosen for port 0; the first one when a host name has
        several addresses, each with a server of its own)."""
        listening = getattr(self._server, "effective_listen", None) or [(None, self._server.effective_port)]
        return int(listening[0][1])

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown`, or Ctrl-C in the main thread (waitress stops on it and returns)."""
        self._server.run()

    def shutdown(self) -> None:
        """Stop listening (from any thread); connections still open are closed as they end."""
        if not self._closed:
            self._closed = True
            self._server.close()


def make_server(app: WebApp, host: str = "127.0.0.1", port: int = 8000, *, quiet: bool = False) -> WebServer:
    """A server for ``app`` bound to ``host:port`` (port 0: a free one, see ``server.server_port``); call
    ``serve_forever()``, and ``shutdown()`` from another thread. Each request is logged on stderr unless
    ``quiet``."""
    return WebServer(app, host, port, quiet=quiet)
