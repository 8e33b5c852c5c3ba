"""What a crawl keeps in the database beside its items, as Scrapy components of the store layer: the
crawl's one database engine, the record of the crawl run, the stored articles the spider need not
fetch again, and the validators that make unchanged listing pages cost a 304."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from twisted.internet import task
from twisted.internet.defer import Deferred

from crawler.incremental import ArticleLedger, KnownArticles
from crawler.outcome import DISK_FULL, JOURNALLED, LEDGER_PENDING, SPOOLED
from pipelines import ledger, storage
from pipelines.db import (
    SQLITE_CACHE_MIB,
    DatabaseProblem,
    StorageUnavailable,
    database_url,
    one_writer_at_a_time,
    open_database,
    with_retry,
)

logger = logging.getLogger(__name__)


class CrawlDatabase:
    """The crawl's database, opened and migrated once and shared by every component that needs it
    (store pipeline, crawl-run record, incremental skip list, validators): ``CrawlDatabase.of(crawler)``."""

    _ATTRIBUTE = "_edunews_database"

    def __init__(self, url: str, attempts: int, first_delay: float, cache_mib: int = SQLITE_CACHE_MIB) -> None:
        self.url = url
        self.attempts = attempts
        self.first_delay = first_delay
        self.cache_mib = cache_mib
        self._sessions: sessionmaker[Session] | None = None
        self._error: StorageUnavailable | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlDatabase:
        """The database of ``crawler``'s crawl, opened the first time a component asks for it: while
        the crawl's components are built, before the reactor runs, so a locked database is waited
        for there and never on the reactor thread."""
        database = getattr(crawler, cls._ATTRIBUTE, None)
        if database is None:
            settings = crawler.settings
            database = cls(
                database_url(settings.get("EDUNEWS_DB")),
                settings.getint("EDUNEWS_DB_RETRIES", 5),
                settings.getfloat("EDUNEWS_DB_RETRY_DELAY", 0.2),
                settings.getint("EDUNEWS_SQLITE_CACHE_MB", SQLITE_CACHE_MIB),
            )
            database.open()
            setattr(crawler, cls._ATTRIBUTE, database)
        return database

    def open(self) -> None:
        """Open and migrate the database, retrying a locked or unreachable one; remember a failure."""
        try:
            self._sessions = open_database(
                self.url, attempts=self.attempts, first_delay=self.first_delay, cache_mib=self.cache_mib
            )
        except StorageUnavailable as error:
            self._error = error
        except DatabaseProblem as error:  # `edunews crawl` refuses these before it starts; `scrapy crawl` does not
            self._error = StorageUnavailable(str(error))

    @property
    def is_open(self) -> bool:
        return self._sessions is not None

    def sessions(self) -> sessionmaker[Session]:
        """The shared session factory; raises :class:`StorageUnavailable` when the database could not
        be opened."""
        if self._sessions is None:
            raise self._error or StorageUnavailable(f"{self.url} is not open")
        return self._sessions


class CrawlRunRecorder:
    """Writes a ``crawl_runs`` row when a crawl starts and fills it from the crawl's stats when it
    ends. A crawl that was killed keeps an empty finish reason: visible afterwards as such."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.database = CrawlDatabase.of(crawler)
        self.run_id: int | None = None
        self.started_at = datetime.now(UTC)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("EDUNEWS_RECORD_RUNS"):
            raise NotConfigured
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        """Record the run as it starts. A database locked by another writer is not waited for here (on
        the reactor thread): the run is then recorded when it ends, with its start time."""
        self.started_at = datetime.now(UTC)
        try:
            with self.database.sessions().begin() as session:
                self._start(session, spider)
        except (StorageUnavailable, DBAPIError) as error:
            logger.info("edunews: the start of the crawl is recorded when it ends: %s", error)

    def _start(self, session: Session, spider: Spider) -> None:
        self.run_id = storage.start_run(session, profile_name(spider), self.started_at)
        schedule_run = self.crawler.settings.getint("EDUNEWS_SCHEDULE_RUN")
        if schedule_run:
            storage.link_schedule_run(session, schedule_run, self.run_id)
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("edunews/run_id", self.run_id)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Count what the ledger still waits for, and record how the run ended: ``incomplete`` rather
        than ``finished`` when records are missing (spooled or journalled), so no finished run hides
        them. A database too full to take even that keeps the run unfinished, which is the truth."""
        stats = self.crawler.stats
        if stats is None:
            return

        def finish() -> None:
            with self.database.sessions().begin() as session:
                stats.set_value(LEDGER_PENDING, sum(ledger.pending(session, profile_name(spider)).values()))
                one_writer_at_a_time(session)  # it reads the run, then writes it: no other commit in between
                if self.run_id is None:
                    self._start(session, spider)
                assert self.run_id is not None
                outcome = run_outcome(reason, stats.get_stats())
                storage.finish_run(session, self.run_id, datetime.now(UTC), outcome, stats.get_stats())

        if not self.database.is_open:
            self.database.open()  # locked or away when the crawl started: it may take writes now
        try:
            with_retry(finish, attempts=self.database.attempts, first_delay=self.database.first_delay)
        except (StorageUnavailable, DBAPIError) as error:
            logger.info("edunews: the end of the crawl run is not recorded: %s", error)


class ScheduleRunLease:
    """Renews the lease of the schedule run a crawl carries out (``EDUNEWS_SCHEDULE_RUN``) every
    ``EDUNEWS_SCHEDULER_HEARTBEAT`` seconds while the crawl runs, here or as a Scrapyd job. The lease
    then lapses when the crawl ends, not when its scheduler does: no scheduler, on this host or another,
    starts a schedule again while a crawl of it still runs after its own scheduler was killed."""

    def __init__(self, crawler: Crawler, run_id: int) -> None:
        self.database = CrawlDatabase.of(crawler)
        self.run_id = run_id
        self.lease = timedelta(seconds=crawler.settings.getfloat("EDUNEWS_SCHEDULER_LEASE"))
        self.every = crawler.settings.getfloat("EDUNEWS_SCHEDULER_HEARTBEAT")
        self.loop = task.LoopingCall(self.beat)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        run_id = crawler.settings.getint("EDUNEWS_SCHEDULE_RUN")
        if not run_id:
            raise NotConfigured
        return cls(crawler, run_id)

    def spider_opened(self, spider: Spider) -> None:
        self.loop.start(self.every, now=True)

    def spider_closed(self, spider: Spider) -> None:
        if self.loop.running:
            self.loop.stop()

    def beat(self) -> Deferred[None]:
        """Renew on a thread of the reactor's pool: a locked database is waited for there, and the next
        beat comes only after this one is done."""
        from twisted.internet.threads import deferToThread

        return deferToThread(self.renew)

    def renew(self) -> None:
        try:
            with self.database.sessions().begin() as session:
                storage.renew_lease(session, datetime.now(UTC) + self.lease, run_id=self.run_id)
        except (StorageUnavailable, DBAPIError) as error:
            logger.warning("edunews: the lease of schedule run %d was not renewed: %s", self.run_id, error)


def profile_name(spider: Spider) -> str:
    """The name of the profile ``spider`` crawls with (the spider's own name for another spider)."""
    return str(getattr(getattr(spider, "profile", None), "name", spider.name))


def run_outcome(reason: str, stats: dict[str, Any]) -> str:
    """A crawl run's recorded end: Scrapy's finish reason, but ``incomplete`` for a crawl that
    finished with records it could not store."""
    missing = stats.get(SPOOLED) or stats.get(JOURNALLED) or stats.get(DISK_FULL)
    return "incomplete" if reason == "finished" and missing else reason


class KnownArticlesLoader:
    """Hands the spider the article URLs already stored when the crawl opens, so it fetches only what
    is new (or due again after ``EDUNEWS_RECRAWL_AFTER_DAYS``), and the ledger's URLs due now (never
    stored, or failed and past their backoff), which it fetches whatever the listings answer."""

    def __init__(self, crawler: Crawler) -> None:
        self.database = CrawlDatabase.of(crawler)
        self.ledger = ArticleLedger.of(crawler)
        days = crawler.settings.getfloat("EDUNEWS_RECRAWL_AFTER_DAYS")
        self.recrawl_after = timedelta(days=days) if days > 0 else None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        if not hasattr(spider, "known"):
            return
        name = profile_name(spider)
        try:
            with self.database.sessions()() as session:
                known = storage.known_urls(session)
                held_back = ledger.held_back(session, name, datetime.now(UTC))
        except StorageUnavailable as error:
            logger.error("edunews: no incremental skip this time: %s", error)
            return
        spider.known = KnownArticles(known, self.recrawl_after, held_back)
        self.ledger.reload = lambda: self.due(name)
        self.ledger.due = self.due(name)

    def due(self, profile: str) -> list[str]:
        """The ledger's URLs of ``profile`` due now."""
        with self.database.sessions()() as session:
            return ledger.due_urls(session, profile, datetime.now(UTC))


class ConditionalRequestMiddleware:
    """Sends the ETag / Last-Modified a listing page, feed or sitemap had at the last finished crawl,
    so an unchanged page costs a 304. New validators are saved only when a crawl finishes: a crawl
    that was killed re-reads its listings in full on the next run, so it misses no article."""

    def __init__(self, crawler: Crawler) -> None:
        self.database = CrawlDatabase.of(crawler)
        self.known: dict[str, tuple[str | None, str | None]] = {}
        self.found: dict[str, tuple[str | None, str | None]] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("EDUNEWS_CONDITIONAL_REQUESTS"):
            raise NotConfigured
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        try:
            with self.database.sessions()() as session:
                self.known = storage.validators(session)
        except StorageUnavailable as error:
            logger.error("edunews: listing pages are fetched in full: %s", error)

    def process_request(self, request: Request) -> None:
        if not request.meta.get("conditional"):
            return
        request.meta.setdefault("handle_httpstatus_list", [304])
        etag, modified = self.known.get(request.url, (None, None))
        if etag:
            request.headers.setdefault("If-None-Match", etag)
        if modified:
            request.headers.setdefault("If-Modified-Since", modified)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("conditional") and response.status == 200:
            etag = response.headers.get("ETag")
            modified = response.headers.get("Last-Modified")
            if etag or modified:
                self.found[request.url] = (
                    etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None,
                )
        return response

    def spider_closed(self, reason: str) -> None:
        if reason != "finished" or not self.found:
            return
        with self.database.sessions().begin() as session:
            one_writer_at_a_time(session)  # each validator is looked up, then written
            storage.save_validators(session, self.found, datetime.now(UTC))
