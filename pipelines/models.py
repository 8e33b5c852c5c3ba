"""The database schema: typed SQLAlchemy 2.x models for articles, their sightings, the near-duplicate
index and rejected items. Alembic migrations in ``pipelines/migrations`` create and change it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import BigInteger, TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC. SQLite keeps no offset, so values are converted to UTC on the
    way in and marked UTC on the way out; PostgreSQL gets a ``timestamptz``."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: edunews stores aware times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: Options of a table that is nothing but its primary key (the band index): on SQLite, a WITHOUT ROWID
#: table keeps each row once, in the key, instead of in a rowid table and again in the key's index
#: (migration 0004). Other databases ignore the option.
INDEX_TABLE_OPTIONS: dict[str, Any] = {"sqlite_with_rowid": False}


def fit(value: str | None, column: Any) -> str | None:
    """``value`` cut to the width the ``column`` (a mapped attribute such as ``Article.source``)
    declares. PostgreSQL refuses a longer value where SQLite keeps it whole; cut here, a page naming a
    300-character source stores the same on both instead of failing its batch on one."""
    width = column.property.columns[0].type.length
    return value[:width] if value is not None else None


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: UTCDateTime}


class Article(Base):
    """One real article, however many sites carry it. Its text, headline, date, source and authors
    are those of its elected copy (the best of its sightings' copies, see ``pipelines.copies.elect``),
    refreshed whenever a copy arrives or changes."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    """The (canonicalised) URL of the elected copy."""
    canonical_url: Mapped[str] = mapped_column(String(2048), index=True)
    """The canonical URL that copy declared (``<link rel=canonical>``), or its own URL. Not a key:
    some CMSes declare one canonical URL for every page."""
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    paragraphs: Mapped[list[Any]] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    """The elected copy's publication time, in UTC."""
    published_offset: Mapped[str | None] = mapped_column(String(6))
    """The UTC offset the page gave with that time ("+08:00"), so local time can be shown again."""
    authors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    editors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source: Mapped[str | None] = mapped_column(String(200))
    """The original publisher (来源) as the elected copy names it."""
    site_name: Mapped[str | None] = mapped_column(String(200))
    site: Mapped[str] = mapped_column(String(255), index=True)
    """Host of the elected copy."""
    language: Mapped[str | None] = mapped_column(String(16))
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    images: Mapped[list[Any]] = mapped_column(JSON, default=list)
    removed: Mapped[list[Any]] = mapped_column(JSON, default=list)
    extractor_version: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    """Hash of the normalised text: the exact-duplicate key."""
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    """The MinHash signature of the text's character shingles."""
    shingle_count: Mapped[int] = mapped_column(Integer)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    sightings: Mapped[list[Sighting]] = relationship(back_populates="article", order_by="Sighting.id")


class Sighting(Base):
    """One URL where an article was seen. Duplicates never disappear: they become sightings."""

    __tablename__ = "sightings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    """The URL this copy was fetched from, canonicalised: the key of level-1 deduplication and of
    incremental crawling."""
    site: Mapped[str] = mapped_column(String(255), index=True)
    match: Mapped[str] = mapped_column(String(16))
    """How the copy joined the article: ``original`` (the first copy stored), ``exact`` (same text)
    or ``near`` (a repost). It does not say which copy is elected: that is the one at ``Article.url``."""
    similarity: Mapped[float] = mapped_column(Float, default=1.0)
    title: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str | None] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    fetch_count: Mapped[int] = mapped_column(Integer, default=1)
    warc_path: Mapped[str | None] = mapped_column(String(1024))
    """The WARC file holding the exact response this copy was extracted from (latest fetch)."""
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)
    warc_length: Mapped[int | None] = mapped_column(Integer)
    extracted: Mapped[bytes | None] = mapped_column(LargeBinary)
    """This copy's extracted fields, packed by ``pipelines.copies.pack`` (zlib over JSON): what the
    page said, kept whatever becomes of the article. Empty for copies stored before migration 0007
    other than the article's own, whose text was never kept."""

    article: Mapped[Article] = relationship(back_populates="sightings")


class MinHashBand(Base):
    """The locality-sensitive index: one row per band of an article's signature. A lookup reads only
    the rows whose band hash equals the new text's, never every stored article."""

    __tablename__ = "minhash_bands"

    # The key leads with the bucket: a lookup is ``bucket IN (...)`` on this index (SQLite does not use
    # an index for a row-value ``(band, bucket) IN (...)``); the band is checked on the few rows found.
    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_minhash_bands_article", "article_id"), INDEX_TABLE_OPTIONS)


class RecentMinHashBand(Base):
    """Band rows of the articles stored lately, kept apart until there are ``RECENT_BAND_ROWS``
    of them and then moved into ``minhash_bands`` in one sorted pass (``pipelines.storage``). An
    article's 64 rows land on 64 random pages of the large table's key, and a transaction writes every
    page it changed: a batch of 50 articles rewrote most of the table's pages, 10 MB a batch at 20,000
    articles (15 GB written in that crawl), and more as the table grew. Here they dirty the few pages
    of a small table, and the sorted move writes each page of the large one once per thousand
    articles. Lookups read both tables."""

    __tablename__ = "minhash_bands_recent"

    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_minhash_bands_recent_article", "article_id"), INDEX_TABLE_OPTIONS)


class Reject(Base):
    """An item that failed validation, kept with its URL and reason for inspection and re-runs."""

    __tablename__ = "rejects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    reason: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    item: Mapped[dict[str, Any]] = mapped_column(JSON)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    count: Mapped[int] = mapped_column(Integer, default=1)


class CrawlRun(Base):
    """One crawl: what it was asked to do and what came of it, from the crawl's stats."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile: Mapped[str] = mapped_column(String(200), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finish_reason: Mapped[str | None] = mapped_column(String(64))
    """Scrapy's finish reason (``finished``, ``shutdown``...); empty while running or after a kill."""
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    articles_updated: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejects: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Failures by type: HTTP statuses, timeouts, undecodable bodies, ..."""
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class HttpValidator(Base):
    """ETag and Last-Modified of listing pages, feeds and sitemaps from the last finished crawl, sent
    back as a conditional request so an unchanged page costs a 304."""

    __tablename__ = "http_validators"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Schedule(Base):
    """A crawl to run repeatedly: a profile and a cron expression (``--every 6h`` is stored as one)."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    profile: Mapped[str] = mapped_column(String(1024))
    """A bundled profile's name or a profile file's path."""
    cron: Mapped[str | None] = mapped_column(String(200))
    every_seconds: Mapped[int | None] = mapped_column(Integer)
    """Either a cron expression or a fixed interval."""
    paused: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_outcome: Mapped[str | None] = mapped_column(Text)
    running_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Set while a run of this schedule is in progress: never two at once."""
    running_pid: Mapped[int | None] = mapped_column(Integer)


class ScheduleRun(Base):
    """One run started by the scheduler, and how it ended. While it runs it is held under a lease that
    its scheduler and its crawl renew: any scheduler, on any host, can tell from the database alone
    whether someone still answers for it."""

    __tablename__ = "schedule_runs"
    #: On SQLite an id is never given to another run (see migration 0012): a removed schedule's crawl
    #: goes on renewing its run's lease by id.
    __table_args__ = (
        Index("ix_schedule_runs_due", "schedule_id", "due_at", unique=True),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """The slot this run was started for: unique per schedule, so no slot is ever run twice, however
    many schedulers claim at once (empty for runs recorded before leases)."""
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(Text)
    """``ok``, ``failed (exit N)``, ``interrupted``; empty while running."""
    exit_code: Mapped[int | None] = mapped_column(Integer)
    crawl_run_id: Mapped[int | None] = mapped_column(Integer)
    lease_owner: Mapped[str | None] = mapped_column(String(300))
    """The scheduler answering for the run (``host:pid:random id``): it records the end."""
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Renewed by the owner and by the crawl while either lives; once past, another scheduler takes over."""
    scrapyd_job: Mapped[str | None] = mapped_column(String(100))
    """The Scrapyd job carrying the run out, asked after when its lease has lapsed."""


class LedgerEntry(Base):
    """An article URL a crawl discovered, and what became of it: written when the URL is found, before
    it is fetched, so a page that failed, or was fetched and never stored (a crash, a full disk, a lost
    lease), is fetched again by the next crawl whatever its listing answers then (a 304 names nothing).

    States: ``to-fetch`` (found, not stored yet: due at once), ``stored``, ``not-article`` (the page
    is something else, or was rejected), ``failed`` (due again after a backoff that grows with
    ``failures``) and ``gone`` (404 or 410: never again)."""

    __tablename__ = "article_ledger"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    """The canonical URL, the key the spider and the store share."""
    fetch_url: Mapped[str] = mapped_column(String(2048))
    """The URL as the crawl found it: what is requested again."""
    profile: Mapped[str] = mapped_column(String(200), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str] = mapped_column(String(64), default="")
    """Why it is not stored: the stat it was counted under (``edunews/errors/timeout-error``)."""
    failures: Mapped[int] = mapped_column(Integer, default=0)
    discovered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    """When a crawl should fetch it (again); empty once stored, not an article, or gone."""
