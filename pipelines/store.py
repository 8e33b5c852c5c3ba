"""The store pipeline: writes records to the database in batched transactions, resolving each against
what is stored (see ``pipelines.dedupe.resolve``). A batch commits whole or not at all; a locked or
unavailable database is retried with backoff, then the batch goes to the spool."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from pipelines import spool, storage
from pipelines.base import ItemPipeline
from pipelines.db import StorageUnavailable, database_url, open_database, with_retry
from pipelines.dedupe import resolve
from pipelines.records import ArticleRecord, Outcome, Rejected

logger = logging.getLogger(__name__)

Record = ArticleRecord | Rejected


def spool_path(db_url: str, configured: str | None) -> Path:
    """Where unwritten records wait: the setting, else beside a SQLite file, else the working folder."""
    if configured:
        return Path(configured)
    if db_url.startswith("sqlite:///") and not db_url.endswith(":memory:"):
        return Path(db_url.split("///", 1)[1] + ".spool.jsonl")
    return Path("edunews-spool.jsonl")


class StorePipeline(ItemPipeline):
    """Buffers records and writes them ``EDUNEWS_BATCH_SIZE`` at a time."""

    def setup(self) -> None:
        self.db_url = database_url(self.settings.get("EDUNEWS_DB"))
        self.batch_size = self.settings.getint("EDUNEWS_BATCH_SIZE", 50)
        self.retries = self.settings.getint("EDUNEWS_DB_RETRIES", 5)
        self.retry_delay = self.settings.getfloat("EDUNEWS_DB_RETRY_DELAY", 0.2)
        self.reextract = self.settings.getbool("EDUNEWS_REEXTRACT")
        self.spool = spool_path(self.db_url, self.settings.get("EDUNEWS_SPOOL"))
        # Every buffered record is journalled before it counts as taken: a crash or kill between two
        # batches loses nothing, the next run stores the journal first.
        self.journal = self.spool.with_name(self.spool.stem + ".journal.jsonl")
        self.buffer: list[Record] = []
        self.sessions: sessionmaker[Session] | None = None

    def open_spider(self) -> None:
        try:
            self.sessions = open_database(self.db_url, attempts=self.retries, first_delay=self.retry_delay)
        except StorageUnavailable as error:
            logger.error("edunews: %s; records will be spooled to %s", error, self.spool)
            self.stats.inc_value("edunews/store/unavailable")
            return
        waiting = spool.take(self.spool) + spool.take(self.journal)
        if waiting:
            logger.info("edunews: storing %d records left by an earlier run", len(waiting))
            self.stats.inc_value("edunews/store/unspooled", len(waiting))
            spool.clear(self.spool)
            self.buffer.extend(waiting)
            self.flush()

    def close_spider(self) -> None:
        self.flush()

    def process_item(self, item: Any) -> Any:
        spool.append(self.journal, [item])
        self.buffer.append(item)
        if len(self.buffer) >= self.batch_size:
            self.flush()
        if isinstance(item, Rejected):
            raise DropItem(f"rejected ({item.reason}): {item.detail}")
        return item

    def flush(self) -> None:
        """Write the buffer in one transaction. On a lasting database failure the batch is spooled;
        on an error that only some records cause, each record is tried alone so the rest are kept."""
        batch, self.buffer = self.buffer, []
        if not batch:
            return
        try:
            outcomes = self._write_with_retry(batch)
        except StorageUnavailable as error:
            self._to_spool(batch, str(error))
            outcomes = []
        except (DBAPIError, ValueError, TypeError) as error:
            logger.warning("edunews: batch of %d failed (%s); storing one by one", len(batch), error)
            outcomes = self._write_one_by_one(batch)
        spool.clear(self.journal)
        self._count(outcomes)

    def _write_with_retry(self, batch: list[Record]) -> list[Outcome]:
        if self.sessions is None:
            self.sessions = open_database(self.db_url, attempts=1)
        return with_retry(
            lambda: self._write(batch),
            attempts=self.retries,
            first_delay=self.retry_delay,
            on_retry=lambda attempt, error: self.stats.inc_value("edunews/store/retries"),
        )

    def _write(self, batch: list[Record]) -> list[Outcome]:
        assert self.sessions is not None
        with self.sessions.begin() as session:
            return [self._store(session, record) for record in batch]

    def _store(self, session: Session, record: Record) -> Outcome:
        if isinstance(record, Rejected):
            storage.record_reject(session, record)
            return Outcome("rejected")
        outcome = resolve(session, record, reextract=self.reextract)
        storage.forget_reject(session, record.url)
        return outcome

    def _write_one_by_one(self, batch: list[Record]) -> list[Outcome]:
        outcomes = []
        for record in batch:
            try:
                outcomes += self._write_with_retry([record])
            except StorageUnavailable as error:
                self._to_spool([record], str(error))
            except (DBAPIError, IntegrityError, ValueError, TypeError) as error:
                self.stats.inc_value("edunews/store/errors")
                logger.error("edunews: could not store %s: %s", getattr(record, "url", "?"), error)
                self._to_spool([record], str(error))
        return outcomes

    def _to_spool(self, records: list[Record], why: str) -> None:
        spool.append(self.spool, records)
        self.stats.inc_value("edunews/store/spooled", len(records))
        logger.error("edunews: %s; %d records kept in %s for the next run", why, len(records), self.spool)

    def _count(self, outcomes: list[Outcome]) -> None:
        self.stats.inc_value("edunews/store/batches")
        for outcome in outcomes:
            if outcome.status in ("new", "updated", "unchanged"):
                self.stats.inc_value(f"edunews/articles/{outcome.status}")
            if outcome.level:
                self.stats.inc_value(f"edunews/duplicates/{outcome.level}")
