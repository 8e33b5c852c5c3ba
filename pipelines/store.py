"""The store pipeline: writes records to the database in batched transactions, resolving each against
what is stored (see ``pipelines.dedupe.resolve``). A batch commits whole or not at all; a locked or
unavailable database is retried with backoff, then the batch goes to the spool.

Inside a Scrapy crawl the batches are written on a writer thread of their own, so extraction and
downloads go on while the database works, and the waits between retries never block the reactor.
The crawl cannot run ahead of its database: the item that fills a batch waits for it, and while the
writer has ``BATCHES_AHEAD`` batches it has not finished, every item waits until it has fewer.
Every record is journalled before it counts as taken: a crash or kill between two commits loses
nothing, the next run stores the journal first. Journal and spool belong to this process alone (see
``pipelines.state``): a start recovers those of processes that are gone, never a running one's."""

from __future__ import annotations

import functools
import itertools
import logging
import threading
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from twisted.internet.defer import Deferred
from twisted.python.threadpool import ThreadPool

from crawler.folders import folder_problem
from crawler.incremental import ArticleLedger, LedgerNote
from crawler.outcome import DISK_FULL, JOURNALLED, NOT_KEPT, REJECTS_KEPT, SPOOLED, STORE_PROBLEM, WAITING_IN
from pipelines import ledger, spool, storage
from pipelines.base import ItemPipeline
from pipelines.crawling import CrawlDatabase
from pipelines.db import (
    DatabaseProblem,
    StorageUnavailable,
    database_url,
    is_disk_full,
    one_writer_at_a_time,
    open_database,
    with_retry,
)
from pipelines.dedupe import resolve
from pipelines.records import ArticleRecord, Outcome, Rejected, Rejection
from pipelines.state import JOURNAL, SPOOL, ProcessState, claim, legacy_files, orphans, state_root

logger = logging.getLogger(__name__)

Record = ArticleRecord | Rejected
T = TypeVar("T")

#: Batches handed to the writer and not yet written, past which every item waits (one being written,
#: one ready for when it is). Waiting items keep their pages in Scrapy's scraper, whose limit on pages
#: in process then stops the downloads. Making only the item that fills a batch wait was not enough:
#: the scraper holds 5 MB of pages, so on a database slower than the downloads a hundred batches of
#: finished articles (and their tasks) queued for the writer, and a 50,000-article crawl grew to 1 GB.
BATCHES_AHEAD = 2


def state_problem(db_url: str, configured: str | None) -> str | None:
    """Why the journal and spool cannot be written where they go (a read-only folder), or None: found
    before a run starts, since a store that cannot journal cannot promise to lose nothing."""
    folder = state_root(db_url, configured).absolute()
    problem = folder_problem(folder)
    return f"cannot write the journal and spool in {folder}: {problem}" if problem else None


def record_key(record: Record) -> tuple[str, str, str, str]:
    """What makes two spooled records the same record: kind, URL, fetch time and text (or reason)."""
    detail = record.fingerprint if isinstance(record, ArticleRecord) else record.reason
    return type(record).__name__, record.url, record.seen_at.isoformat(), detail


class StorePipeline(ItemPipeline):
    """Buffers records (rejects included, heard of through ``item_dropped``) and writes them
    ``EDUNEWS_BATCH_SIZE`` at a time."""

    def setup(self) -> None:
        self.db_url = database_url(self.settings.get("EDUNEWS_DB"))
        self.batch_size = self.settings.getint("EDUNEWS_BATCH_SIZE", 50)
        self.retries = self.settings.getint("EDUNEWS_DB_RETRIES", 5)
        self.retry_delay = self.settings.getfloat("EDUNEWS_DB_RETRY_DELAY", 0.2)
        self.reextract = self.settings.getbool("EDUNEWS_REEXTRACT")
        self.state_root = state_root(self.db_url, self.settings.get("EDUNEWS_STATE_DIR"))
        # This process's folder, claimed when the pipeline opens. The journal holds the records still in
        # memory; each batch handed to the writer takes its journal with it (renamed) and drops it once
        # committed. The spool holds what the database would not take.
        self.state: ProcessState | None = None
        self.journal = Path(JOURNAL)
        self.journal_out = spool.OpenSpool(self.journal)
        self.spool = Path(SPOOL)
        self.buffer: list[Record] = []
        self.batches = itertools.count(1)
        #: The batches handed to the writer and not yet written, with their sizes in records, and
        #: the items waiting for fewer such batches.
        self.unwritten: dict[Deferred[None], int] = {}
        self.waiting: list[Deferred[None]] = []
        self.open_sessions: Callable[[], sessionmaker[Session]] = lambda: open_database(
            self.db_url, attempts=self.retries, first_delay=self.retry_delay
        )
        self.sessions: sessionmaker[Session] | None = None
        self.writer: ThreadPool | None = None
        #: Keys of the records in the spool file, so a record that fails again is not spooled twice.
        self.spooled: set[tuple[str, str, str, str]] = set()
        #: Keys of the records whose journal write failed (a full disk): in memory only.
        self.unjournalled: set[tuple[str, str, str, str]] = set()
        #: The crawl's ledger of discovered articles: its notes go with each batch, and its new URLs
        #: are written (on the writer thread) before they are requested.
        self.ledger = ArticleLedger()
        self.backoff = ledger.Backoff(
            timedelta(hours=self.settings.getfloat("EDUNEWS_LEDGER_RETRY_HOURS")),
            timedelta(days=self.settings.getfloat("EDUNEWS_LEDGER_RETRY_DAYS_AT_MOST")),
        )

    def connected(self, crawler: Crawler) -> None:
        """In a crawl: the crawl's shared database, a writer thread, and the crawl run's id noted on
        the state folder once the run is recorded (after the pipeline opens)."""
        self.open_sessions = CrawlDatabase.of(crawler).sessions
        self.writer = ThreadPool(minthreads=1, maxthreads=1, name="edunews-store")
        # A daemon: a close that failed half-way (a full disk) must not leave the process waiting for
        # ever on a thread that will get no more work. Its records are journalled, so none is lost.
        self.writer.threadFactory = functools.partial(threading.Thread, daemon=True)  # type: ignore[misc,assignment]
        self.ledger = ArticleLedger.of(crawler)
        self.ledger.record = self._record_discovered
        crawler.signals.connect(self._note_run, signal=signals.spider_opened)

    def _note_run(self) -> None:
        run_id = self.stats.get_value("edunews/run_id")
        if self.state is not None and run_id is not None:
            self.state.note_run(run_id)

    def open_spider(self) -> None:
        if self.writer is not None:
            self.writer.start()
        self.state = claim(self.state_root, self.db_url)
        self.journal, self.spool = self.state.journal, self.state.spool
        self.journal_out = spool.OpenSpool(self.journal)
        waiting = self._gather_waiting()
        try:
            self.sessions = self.open_sessions()
        except (StorageUnavailable, DatabaseProblem) as error:  # the command refuses the lasting ones first
            logger.error("edunews: %s; records will be spooled to %s", error, self.spool)
            self.stats.inc_value("edunews/store/unavailable")
            return
        if waiting:
            self._store_waiting(waiting)

    def _gather_waiting(self) -> list[Record]:
        """What processes that are gone left in their spools and journals, each record once, moved into
        this process's spool (written whole) before their folders go: whether the database then takes
        them or not, the spool holds exactly the records still unstored, never a second copy. Folders
        of running processes are not touched. The shared files of earlier versions are taken too."""
        gone = orphans(self.state_root, self.db_url)
        legacy = legacy_files(self.db_url)
        left = self._left_in(gone) + [record for path in legacy for record in spool.take(path)]
        waiting = list({record_key(r): r for r in left}.values())
        if waiting:
            self._replace_spool(waiting)
        for folder in gone:
            logger.info("edunews: recovered the records of %s, whose process is gone", folder.folder.name)
            folder.remove()
        for path in legacy:
            spool.clear(path)
        self.spooled = {record_key(record) for record in waiting}
        return waiting

    def _left_in(self, folders: list[ProcessState]) -> list[Record]:
        """The records in the spools and journals of ``folders``, spools first (the older records). Their
        unreadable lines go to quarantine files in the state folder itself, named after the process's
        folder: that folder goes once its records are taken."""
        files = [
            (state, path) for state in folders for path in (state.spool, *sorted(state.folder.glob(JOURNAL + "*")))
        ]
        return [
            record
            for state, path in files
            for record in spool.take(
                path, self.state_root / f"{state.folder.name}-{path.name}{spool.QUARANTINE_SUFFIX}"
            )
        ]

    def _store_waiting(self, waiting: list[Record]) -> None:
        """Store the records an earlier run left; the spool goes once every one of them is stored."""
        logger.info("edunews: storing %d records left by an earlier run", len(waiting))
        self.stats.inc_value("edunews/store/unspooled", len(waiting))
        before = self.stats.get_value(SPOOLED, 0)
        self._count(self._write_batch(waiting, []))
        if self.stats.get_value(SPOOLED, 0) == before:
            spool.clear(self.spool)
            self.spooled.clear()

    def _replace_spool(self, records: list[Record]) -> None:
        """Write ``records`` as the whole spool, atomically (a crash leaves the old file or the new)."""
        fresh = self.spool.with_name(self.spool.name + ".new")
        spool.clear(fresh)
        spool.append(fresh, records)
        fresh.replace(self.spool)

    def close_spider(self) -> Coroutine[Any, Any, None] | None:
        pending = self.flush()
        if self.writer is None:
            self._release_state()
            return None
        return self._stop_writer(pending)

    async def _stop_writer(self, pending: Deferred[None] | None) -> None:
        """Wait for the last batch, then let the writer thread go (a crawl's close awaits this)."""
        assert self.writer is not None
        try:
            if pending is not None:
                await maybe_deferred_to_future(pending)
        finally:
            self.writer.stop()
            self._release_state()

    def _release_state(self) -> None:
        """Give up this process's folder: gone when empty, else (a spool) left for the next start."""
        self.journal_out.close()
        if self.state is not None:
            self.state.release()
            self.state = None

    def process_item(self, item: Any) -> Any:
        self._take(item)
        # Records taken and not yet written: what a crawl holds in memory for its database.
        self.stats.max_value("edunews/store/unwritten-most", len(self.buffer) + sum(self.unwritten.values()))
        if len(self.buffer) >= self.batch_size:
            pending = self.flush()
            return item if pending is None else self._when_written(pending, item)
        if len(self.unwritten) >= BATCHES_AHEAD:
            self.stats.inc_value("edunews/store/waits")
            resume: Deferred[None] = Deferred()
            self.waiting.append(resume)
            return self._when_written(resume, item)
        return item

    @staticmethod
    async def _when_written(pending: Deferred[None], item: Any) -> Any:
        """``item``, done once ``pending`` fires."""
        await maybe_deferred_to_future(pending)
        return item

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        """A validation reject: kept in the rejects table with the next batch."""
        if isinstance(exception, Rejection):
            self._take(exception.rejected)

    def _take(self, record: Record) -> None:
        self.buffer.append(record)
        try:
            self.journal_out.append([record])
        except OSError as error:
            if not is_disk_full(error):
                raise
            # Kept in memory all the same (a database on another disk may still take it); if it is not
            # stored it is counted as kept nowhere, and the ledger still names its URL for the next crawl.
            self.unjournalled.add(record_key(record))
            self._stop_on_full_disk()

    def flush(self) -> Deferred[None] | None:
        """Hand the buffer to the writer as one batch, with the ledger's notes (or write it here,
        outside a crawl). Returns the batch's Deferred in a crawl, ``None`` when written already or
        nothing was buffered."""
        batch, self.buffer = self.buffer, []
        notes = self.ledger.take_notes()
        if not batch and not notes:
            return None
        journal = self.journal.with_name(f"{self.journal.name}.{next(self.batches)}")
        self.journal_out.close()
        if self.journal.exists():
            self.journal.rename(journal)
        if self.writer is None:
            self._count(self._write_batch(batch, [journal], notes))
            return None
        written: Deferred[None] = self._on_writer(self._write_batch, batch, [journal], notes).addCallback(self._count)
        self.unwritten[written] = len(batch)
        written.addBoth(self._written, written)
        return written

    def _written(self, result: T, batch: Deferred[None]) -> T:
        """A batch is written (or failed): once the writer is no longer ``BATCHES_AHEAD`` behind, the
        items waiting go on."""
        del self.unwritten[batch]
        if len(self.unwritten) < BATCHES_AHEAD:
            waiting, self.waiting = self.waiting, []
            for resume in waiting:
                resume.callback(None)
        return result

    def _on_writer(self, work: Callable[..., Any], *args: Any) -> Deferred[Any]:
        """Run ``work`` on the writer thread: one writer, so ledger and records never wait for each other."""
        from twisted.internet import reactor
        from twisted.internet.threads import deferToThreadPool

        assert self.writer is not None
        return deferToThreadPool(reactor, self.writer, work, *args)

    async def _record_discovered(self, found: list[tuple[str, str]]) -> None:
        """Write newly found article URLs to the ledger (with the notes waiting) before they are
        requested: one transaction per listing page, sitemap or feed, not one per link."""
        await maybe_deferred_to_future(self._on_writer(self._write_ledger, found, self.ledger.take_notes()))

    def _write_ledger(self, found: list[tuple[str, str]], notes: list[LedgerNote]) -> None:
        """The writer thread's half of :meth:`_record_discovered`. A database that will not take them
        is counted and logged: the URLs are requested all the same (fetching beats losing them)."""
        now = datetime.now(UTC)

        def write() -> None:
            assert self.sessions is not None
            with self.sessions.begin() as session:
                one_writer_at_a_time(session)
                ledger.record_discovered(session, self._profile_name(), found, now)
                ledger.apply_notes(session, self._profile_name(), notes, now, self.backoff)

        try:
            self._retrying(write)
        except (StorageUnavailable, DBAPIError) as error:
            self.stats.inc_value("edunews/ledger/unrecorded", len(found))
            if is_disk_full(error):
                self._stop_on_full_disk()
                return
            logger.error("edunews: %d discovered URLs not in the ledger: %s", len(found), error)

    def _profile_name(self) -> str:
        return self.profile.name if self.profile is not None else ""

    def _write_batch(
        self, batch: list[Record], journals: list[Path], notes: Sequence[LedgerNote] = ()
    ) -> list[Outcome]:
        """Write ``batch`` and the ledger's ``notes`` in one transaction (runs on the writer thread
        in a crawl). On a lasting database failure the batch is spooled; on an error that only some
        records cause, each record is tried alone so the rest are kept (the notes are dropped then:
        their URLs stay due, so they are fetched again). The batch's journals go once it is safe."""
        try:
            outcomes = self._write_with_retry(batch, notes)
        except StorageUnavailable as error:
            self._to_spool(batch, str(error))
            outcomes = []
        except (DBAPIError, ValueError, TypeError) as error:
            if is_disk_full(error):
                self._keep_on_full_disk(batch, journals)
                return []
            logger.warning("edunews: batch of %d failed (%s); storing one by one", len(batch), error)
            outcomes, unwritten = self._write_one_by_one(batch)
            if unwritten:  # the disk filled up on the way: the journals keep them (and some stored since)
                self._keep_on_full_disk(unwritten, journals)
                return outcomes
        for journal in journals:
            spool.clear(journal)
        return outcomes

    def _keep_on_full_disk(self, records: list[Record], journals: list[Path]) -> None:
        """The database is full: keep ``records`` in the spool, or, when the spool's disk is full too,
        in their journals (the next start stores both first), and stop the crawl. Storing on would
        only fail record after record while pages are fetched for nothing."""
        try:
            spool.append(self.spool, [record for record in records if record_key(record) not in self.spooled])
        except OSError:  # (whole or not at all: the records are where they were)
            lost = sum(record_key(record) in self.unjournalled for record in records)
            self.stats.inc_value(JOURNALLED, len(records) - lost)
            self.stats.inc_value(NOT_KEPT, lost)
        else:
            self.spooled.update(record_key(record) for record in records)
            self.stats.inc_value(SPOOLED, len(records))
            for journal in journals:
                spool.clear(journal)
        self._stop_on_full_disk()

    def _stop_on_full_disk(self) -> None:
        """Close the crawl once (``edunews/store/disk-full``; the command exits 2 saying where records are)."""
        if self.stats.get_value(DISK_FULL):
            return
        self.stats.inc_value(DISK_FULL)
        crawler = self.crawler
        if crawler is None or crawler.engine is None:
            return
        from scrapy.utils.defer import deferred_from_coro
        from twisted.internet import reactor

        engine = crawler.engine
        reactor.callFromThread(lambda: deferred_from_coro(engine.close_spider_async(reason="disk-full")))

    def _write_with_retry(self, batch: list[Record], notes: Sequence[LedgerNote] = ()) -> list[Outcome]:
        return self._retrying(lambda: self._write(batch, notes))

    def _retrying(self, action: Callable[[], T]) -> T:
        """Run a write, opening the database first if it was not, retrying while it is locked."""
        if self.sessions is None:
            try:
                self.sessions = open_database(self.db_url, attempts=1)
            except DatabaseProblem as error:
                raise StorageUnavailable(str(error)) from error
        return with_retry(
            action,
            attempts=self.retries,
            first_delay=self.retry_delay,
            on_retry=lambda attempt, error: self.stats.inc_value("edunews/store/retries"),
        )

    def _write(self, batch: list[Record], notes: Sequence[LedgerNote]) -> list[Outcome]:
        assert self.sessions is not None
        with self.sessions.begin() as session:
            one_writer_at_a_time(session)
            ledger.apply_notes(session, self._profile_name(), notes, datetime.now(UTC), self.backoff)
            return [self._store(session, record) for record in batch]

    def _store(self, session: Session, record: Record) -> Outcome:
        if isinstance(record, Rejected):
            storage.record_reject(session, record)
            return Outcome("rejected")
        outcome = resolve(session, record, reextract=self.reextract)
        storage.forget_reject(session, record.url)
        storage.mark_stored(session, record.url)
        return outcome

    def _write_one_by_one(self, batch: list[Record]) -> tuple[list[Outcome], list[Record]]:
        """Store each record of ``batch`` alone, spooling those the database refuses. Returns the
        outcomes, and the records left unwritten when the disk filled up on the way (none otherwise):
        their batch's journals must stay (they were cleared, and the records counted as journalled)."""
        outcomes = []
        for position, record in enumerate(batch):
            try:
                outcomes += self._write_with_retry([record])
            except StorageUnavailable as error:
                self._to_spool([record], str(error))
            except (DBAPIError, IntegrityError, ValueError, TypeError) as error:
                if is_disk_full(error):
                    return outcomes, batch[position:]
                self.stats.inc_value("edunews/store/errors")
                logger.error("edunews: could not store %s: %s", getattr(record, "url", "?"), error)
                self._to_spool([record], str(error))
        return outcomes, []

    def _to_spool(self, records: list[Record], why: str) -> None:
        """Keep unwritten records for the next run; one already in the spool is not added again."""
        fresh = [record for record in records if record_key(record) not in self.spooled]
        if fresh:
            spool.append(self.spool, fresh)
        self.spooled.update(record_key(record) for record in fresh)
        self.stats.inc_value(SPOOLED, len(records))
        self._note_waiting(why)
        logger.error("edunews: %s; %d records kept in %s for the next run", why, len(records), self.spool)

    def _note_waiting(self, why: str) -> None:
        """Note for the run's closing line why records wait for the next run and where (once: the
        first reason is the cause, later ones mostly repeat it)."""
        if self.stats.get_value(STORE_PROBLEM) is None:
            self.stats.set_value(STORE_PROBLEM, why)
            self.stats.set_value(WAITING_IN, str(self.spool))

    def _count(self, outcomes: list[Outcome]) -> None:
        self.stats.inc_value("edunews/store/batches")
        for outcome in outcomes:
            if outcome.status in ("new", "updated", "unchanged"):
                self.stats.inc_value(f"edunews/articles/{outcome.status}")
            elif outcome.status == "rejected":  # (counted by reason when refused; this one is stored)
                self.stats.inc_value(REJECTS_KEPT)
            if outcome.level:
                self.stats.inc_value(f"edunews/duplicates/{outcome.level}")
