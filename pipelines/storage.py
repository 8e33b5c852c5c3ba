"""Small storage functions over the models: the only place that reads or writes article rows.

Every stored record asks the same few questions (is this URL known, is this text stored, which
articles share a band bucket) and a new article brings 64 band rows and a search index entry. That
path skips the ORM, which took 270 µs for an indexed lookup SQLite answers in 10 µs: its lookups are
Core statements compiled once per database dialect and run on the driver's cursor, and so are the
inserts of a new article and its sighting; its band rows go in one statement to a small table of
recent rows (moved into the large one a thousand articles at a time), its search index entry with
those of the whole transaction as it commits. The ORM stays where stored objects
change (refreshes, duplicate sightings, rejects), which is rarer and wants the objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Dialect,
    Insert,
    Table,
    bindparam,
    delete,
    event,
    func,
    insert,
    literal_column,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import ReturningInsert
from sqlalchemy.sql.expression import ClauseElement

from crawler.incremental import STORED
from pipelines.copies import Copy, pack, record_fields, unpack
from pipelines.models import (
    Article,
    CrawlRun,
    HttpValidator,
    LedgerEntry,
    MinHashBand,
    RecentMinHashBand,
    Reject,
    ScheduleRun,
    Sighting,
    fit,
)
from pipelines.neardup import BANDS, Candidates, Signature
from pipelines.records import ArticleRecord, Rejected
from pipelines.search import rank, search_index

SIGHTING_BY_URL = select(Sighting.id).where(Sighting.url == bindparam("url"))
ARTICLE_BY_FINGERPRINT = select(Article.id).where(Article.fingerprint == bindparam("fingerprint"))
SIGHTED_ARTICLE_BY_FINGERPRINT = select(Sighting.article_id).where(Sighting.fingerprint == bindparam("fingerprint"))
#: Where an article's band rows go (see :class:`pipelines.models.RecentMinHashBand`), and how many
#: gather there before they move into ``minhash_bands``: a thousand articles' bands.
BAND_TABLES = (MinHashBand, RecentMinHashBand)
RECENT_BAND_ROWS = BANDS * 1000
#: The band rows in a signature's buckets, each with its article's signature. One placeholder per
#: band: a signature always asks for ``BANDS`` buckets, so one statement serves. The signatures come
#: with the rows rather than by a lookup per candidate: on a site of templated pages (a bureau's
#: notices) a new article meets dozens of candidates, and their lookups were a fifth of the store's
#: time in a 20,000-article crawl.
_FOUND_BANDS = union_all(
    *(
        select(table.band, table.bucket, table.article_id).where(
            table.bucket.in_([bindparam(f"bucket{band}") for band in range(BANDS)])
        )
        for table in BAND_TABLES
    )
).subquery()
BAND_CANDIDATES = select(
    _FOUND_BANDS.c.band, _FOUND_BANDS.c.bucket, _FOUND_BANDS.c.article_id, Article.minhash, Article.shingle_count
).join(Article, Article.id == _FOUND_BANDS.c.article_id)
DELETE_BANDS = tuple(delete(table).where(table.article_id == bindparam("article_id")) for table in BAND_TABLES)
RECENT_BAND_COUNT = select(func.count()).select_from(RecentMinHashBand)
#: The recent band rows moved into the large table, in its key's order.
MOVE_RECENT_BANDS = insert(MinHashBand).from_select(
    ["bucket", "band", "article_id"],
    select(RecentMinHashBand.bucket, RecentMinHashBand.band, RecentMinHashBand.article_id).order_by(
        RecentMinHashBand.bucket, RecentMinHashBand.band, RecentMinHashBand.article_id
    ),
)
CLEAR_RECENT_BANDS = delete(RecentMinHashBand)
DELETE_REJECT = delete(Reject).where(Reject.url == bindparam("url"))
#: A discovered URL that is now stored: nothing pending for it in the ledger.
MARK_STORED = (
    update(LedgerEntry)
    .where(LedgerEntry.url == bindparam("url"))
    # Written into the statement, not bound: ``_run`` binds only the values it is given.
    .values(
        state=literal_column(f"'{STORED}'"), reason=literal_column("''"), failures=literal_column("0"), due_at=null()
    )
)
#: ``Session.info`` key of the search index ranks and index texts of the articles stored in the session's
#: transaction, by article id: ``_write_search_entries`` indexes them as it commits.
PENDING_SEARCH_ENTRIES = "edunews/search-entries"
#: ``Session.info`` key set when the transaction added band rows (see :func:`_move_recent_bands`).
BANDS_ADDED = "edunews/bands-added"
#: Inserts of every column, in the table's column order (run on the driver by ``_insert_rows``).
INSERT_BANDS = insert(RecentMinHashBand)
#: Values bound in one multi-row INSERT on SQLite (:func:`_insert_rows`): the most any SQLite takes
#: (999 before 3.32, as some distributions' Pythons still link), so an article's 64 band rows go in one.
VALUES_PER_INSERT = 999


def _insert_new(table: Table) -> ReturningInsert[tuple[int]]:
    """An insert of one new row (every column but the id the database assigns) that returns its id."""
    return insert(table).values({c.key: bindparam(c.key) for c in table.columns if c.key != "id"}).returning(table.c.id)


#: Inserts of a new article and of a sighting, run on the driver by ``_insert_returning_id``. Built
#: once: building the statement anew for every article cost as much as executing it.
INSERT_ARTICLE = _insert_new(Article.__table__)
INSERT_SIGHTING = _insert_new(Sighting.__table__)


@lru_cache(maxsize=64)
def _compiled(statement: ClauseElement, dialect: Dialect) -> SQLCompiler:
    """``statement`` compiled for ``dialect``, once."""
    compiled = statement.compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler)
    return compiled


def _driver_params(compiled: SQLCompiler, values: Mapping[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
    """``values`` as the driver takes them: in placeholder order (SQLite's ``?``) or by name."""
    if compiled.positiontup is None:
        return values
    return tuple(values[name] for name in compiled.positiontup)


def _run(
    session: Session, statement: ClauseElement, values: Mapping[str, Any], *, first: bool = False
) -> list[tuple[Any, ...]]:
    """Run ``statement`` with ``values`` on the driver's cursor and return its rows (only the first
    with ``first``; none for a write).

    Only for statements over plain columns (integers, text, bytes), which need no type conversion.
    Core's execution path took 47 µs for a 10 µs lookup, the ORM's 270 µs. The session is flushed
    first, as the ORM's autoflush would: its pending changes must be seen."""
    session.flush()
    connection = session.connection()
    compiled = _compiled(statement, connection.dialect)
    cursor = connection.connection.cursor()
    try:
        with _as_sqlalchemy_errors(connection.dialect, compiled.string):
            cursor.execute(compiled.string, _driver_params(compiled, values))
            if cursor.description is None:
                return []
            return list(cursor.fetchmany(1) if first else cursor.fetchall())
    finally:
        cursor.close()


@contextmanager
def _as_sqlalchemy_errors(dialect: Dialect, statement: str) -> Iterator[None]:
    """Raise a driver's error as SQLAlchemy's wrapper of it (``OperationalError``, ``IntegrityError``),
    as SQLAlchemy's own execution would: the store retries by those classes, and a PostgreSQL
    serialization failure raised here escaped its retry when it surfaced as the driver's own class."""
    base = dialect.loaded_dbapi.Error
    try:
        yield
    except base as error:
        raise DBAPIError.instance(statement, None, error, base, dialect=dialect) from error


def _insert_rows(session: Session, statement: Insert, rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (plain values in the table's column order) straight through the driver:
    SQLAlchemy prepares every row's parameters itself, which cost more than inserting them.

    On SQLite the rows go as multi-row ``INSERT`` statements of up to :data:`VALUES_PER_INSERT` values,
    not one ``executemany``: the driver lets go of the GIL for every row it steps, and a crawl's writer thread
    then waited to get it back from the engine's thread 64 times an article (one per band row), most
    of the writer's time. Other drivers take the rows in one ``executemany``."""
    if not rows:
        return
    connection = session.connection()
    compiled = _compiled(statement, connection.dialect)
    names = [column.key for column in statement.table.columns]
    cursor = connection.connection.cursor()
    try:
        with _as_sqlalchemy_errors(connection.dialect, compiled.string):
            # A plain INSERT's placeholders follow the column order: positional drivers take rows as they are.
            if compiled.positiontup != names:
                cursor.executemany(compiled.string, [dict(zip(names, row, strict=True)) for row in rows])
            elif connection.dialect.name != "sqlite":
                cursor.executemany(compiled.string, rows)
            else:
                per_insert = max(1, VALUES_PER_INSERT // len(names))
                for start in range(0, len(rows), per_insert):
                    chunk = rows[start : start + per_insert]
                    cursor.execute(_multi_row(compiled.string, len(chunk)), [value for row in chunk for value in row])
    finally:
        cursor.close()


@lru_cache(maxsize=16)
def _multi_row(insert: str, rows: int) -> str:
    """A one-row ``INSERT ... VALUES (?, ?)`` made to insert ``rows`` rows at once."""
    head, values = insert.split(" VALUES ", 1)
    return f"{head} VALUES {', '.join([values] * rows)}"


@lru_cache(maxsize=16)
def _bind_processors(table: Table, dialect: Dialect) -> dict[str, Callable[[Any], Any] | None]:
    """Each column's conversion of a Python value into what the driver takes (JSON text, UTC times),
    the one SQLAlchemy's own execution applies; ``None`` where the value goes as it is."""
    return {column.key: column.type.dialect_impl(dialect).bind_processor(dialect) for column in table.columns}


def _insert_returning_id(session: Session, statement: ReturningInsert[tuple[int]], values: Mapping[str, Any]) -> int:
    """Run an insert of ``_insert_new`` on the driver's cursor and return the new row's id. Core's
    execution of the article and sighting inserts took 0.4 ms of each new article's 1.6; the values
    are converted as it would (a column missing from ``values`` is NULL)."""
    table = statement.table
    assert isinstance(table, Table)
    processors = _bind_processors(table, session.get_bind().dialect)
    row = {}
    for name, process in processors.items():
        value = values.get(name)
        row[name] = value if process is None else process(value)
    [(new_id,)] = _run(session, statement, row)
    return int(new_id)


def find_sighting(session: Session, url: str) -> Sighting | None:
    """The sighting of ``url``. Most records bring a new URL: only a known one loads an object."""
    found = _run(session, SIGHTING_BY_URL, {"url": url}, first=True)
    return session.get_one(Sighting, found[0][0]) if found else None


def find_by_fingerprint(session: Session, fingerprint: str) -> Article | None:
    """The article whose stored copy, or any sighted copy, has exactly this normalised text."""
    values = {"fingerprint": fingerprint}
    found = _run(session, ARTICLE_BY_FINGERPRINT, values, first=True) or _run(
        session, SIGHTED_ARTICLE_BY_FINGERPRINT, values, first=True
    )
    return session.get_one(Article, found[0][0]) if found else None


def near_duplicate_candidates(session: Session, signature: Signature) -> Candidates:
    """The articles sharing at least one LSH band bucket with ``signature``, with their signatures
    (:class:`pipelines.neardup.Candidates`): an indexed lookup in both band tables (their primary
    keys lead with the bucket) that reads a handful of rows however many articles are stored. Only the
    signatures are loaded, packed as stored; the caller loads the one article it picks."""
    pairs = signature.buckets
    if not pairs:
        return Candidates.packed({})
    rows = _run(session, BAND_CANDIDATES, {f"bucket{band}": bucket for band, bucket in pairs})
    wanted = set(pairs)
    return Candidates.packed(
        {article_id: (minhash, size) for band, bucket, article_id, minhash, size in rows if (band, bucket) in wanted}
    )


def _article_fields(record: ArticleRecord) -> dict[str, Any]:
    """What an article takes from its elected copy: its text and everything extracted with it, its
    URL and site, and the keys it is filed under."""
    assert record.signature is not None, "the dedupe pipeline signs records before they are stored"
    return {
        **record_fields(record),
        "url": record.url,
        "site": record.site,
        "fingerprint": record.fingerprint,
        "minhash": record.signature.to_bytes(),
        "shingle_count": record.signature.size,
        "updated_at": record.seen_at,
    }


def _archive_fields(record: ArticleRecord) -> dict[str, Any]:
    """The WARC record of this fetch, when the crawl archived it."""
    if not record.archive:
        return {}
    return {
        "warc_path": record.archive["path"],
        "warc_offset": record.archive["offset"],
        "warc_length": record.archive["length"],
    }


def _sighting_fields(record: ArticleRecord, match: str, similarity: float) -> dict[str, Any]:
    """A new sighting of ``record``'s copy."""
    return {
        "url": record.url,
        "site": record.site,
        "match": match,
        "similarity": similarity,
        "title": record.title,
        "published_at": record.published_at,
        "source": record.source,
        "fingerprint": record.fingerprint,
        "first_seen": record.seen_at,
        "last_seen": record.seen_at,
        "fetch_count": 1,
        "extracted": pack(record_fields(record)),
        **_archive_fields(record),
    }


def _index(session: Session, article_id: int, record: ArticleRecord) -> None:
    """Add the article's band rows (the near-duplicate index) and its search index entry."""
    assert record.signature is not None
    bands = [(bucket, band, article_id) for band, bucket in record.signature.buckets]
    _insert_rows(session, INSERT_BANDS, bands)
    session.info[BANDS_ADDED] = True
    entry = (rank(record.published_at, article_id), record.index_text)
    session.info.setdefault(PENDING_SEARCH_ENTRIES, {})[article_id] = entry


@event.listens_for(Session, "before_commit")
def _write_search_entries(session: Session) -> None:
    """Write the search index entries of the articles the transaction stored, all at once as it
    commits. Written with each article, they cost more: SQLite's FTS5 writes its pending entries to
    disk whenever a statement opens a savepoint, which every article insert does, so each entry became
    an index segment of its own (a tenth of the time ingestion took). Nothing searches the index
    inside a write transaction, so nothing misses them meanwhile."""
    entries = session.info.pop(PENDING_SEARCH_ENTRIES, None)
    if entries:
        index = search_index(session)
        rows = [
            {"article_id": article_id, "rank": ranked, "terms": index.as_parameter(indexed)}
            for article_id, (ranked, indexed) in entries.items()
        ]
        session.connection().execute(index.add, rows)


@event.listens_for(Session, "before_commit")
def _move_recent_bands(session: Session) -> None:
    """Move the recent band rows into ``minhash_bands`` once there are ``RECENT_BAND_ROWS`` of them,
    inside the transaction that added the last ones: one sorted pass that writes each page of the
    large table once, where the rows added one article at a time had rewritten most of its pages in
    every batch. Counting the small table costs a millisecond a transaction that stored articles.
    Every transaction that stores records holds the store's lock (``one_writer_at_a_time``), so no
    other writer adds recent rows between the move and the clearing."""
    if not session.info.pop(BANDS_ADDED, False):
        return
    if _run(session, RECENT_BAND_COUNT, {})[0][0] >= RECENT_BAND_ROWS:
        _run(session, MOVE_RECENT_BANDS, {})
        _run(session, CLEAR_RECENT_BANDS, {})


@event.listens_for(Session, "after_rollback")
def _forget_pending_index_work(session: Session) -> None:
    """A transaction rolled back stored nothing: nothing of it is indexed, and it added no band rows."""
    session.info.pop(PENDING_SEARCH_ENTRIES, None)
    session.info.pop(BANDS_ADDED, None)


def _insert_article(session: Session, record: ArticleRecord, first_seen: datetime, last_seen: datetime) -> int:
    """Write a new article row from its elected copy, with its index rows, and return its id."""
    article = {**_article_fields(record), "first_seen": first_seen, "last_seen": last_seen}
    article_id = _insert_returning_id(session, INSERT_ARTICLE, article)
    _index(session, article_id, record)
    return article_id


def add_article(session: Session, record: ArticleRecord) -> int:
    """Store a new article with its original sighting and its index rows, and return its id. Written
    on the driver: the session holds no object of it, and loads one if it is asked for later."""
    article_id = _insert_article(session, record, record.seen_at, record.seen_at)
    sighting = {**_sighting_fields(record, "original", 1.0), "article_id": article_id}
    _insert_returning_id(session, INSERT_SIGHTING, sighting)
    return article_id


def refresh_article(session: Session, article: Article, record: ArticleRecord) -> None:
    """Take the article's text, fields and keys from ``record``, its elected copy (newly elected, or
    fetched or extracted again), and file it under them."""
    filed_under = rank(article.published_at, article.id)
    for name, value in _article_fields(record).items():
        setattr(article, name, value)
    _unindex(session, article.id, filed_under)
    _index(session, article.id, record)


def _unindex(session: Session, article_id: int, filed_under: int) -> None:
    """Remove the article's band rows and search index entry: the entry of an earlier commit, filed
    under the rank ``filed_under`` its publication time then gave it, and one still waiting for this
    transaction's commit (an article joined to another must not be indexed as it commits)."""
    for statement in DELETE_BANDS:
        _run(session, statement, {"article_id": article_id})
    session.info.get(PENDING_SEARCH_ENTRIES, {}).pop(article_id, None)
    _run(session, search_index(session).remove, {"article_id": article_id, "rank": filed_under})


def copies_of(article: Article) -> list[Copy]:
    """The copies of ``article`` that kept their text, oldest sighting first."""
    return [sighting_copy(sighting) for sighting in article.sightings if sighting.extracted is not None]


def sighting_copy(sighting: Sighting) -> Copy:
    """The copy a sighting keeps (it must have one)."""
    assert sighting.extracted is not None
    return Copy(sighting.url, sighting.site, sighting.first_seen, sighting.last_seen, unpack(sighting.extracted))


def split_off(session: Session, sightings: list[Sighting], elected: ArticleRecord) -> int:
    """Make ``sightings`` an article of their own, filed under their elected copy (signed); returns
    its id. The sightings keep how they joined."""
    article_id = _insert_article(
        session, elected, min(s.first_seen for s in sightings), max(s.last_seen for s in sightings)
    )
    article = session.get_one(Article, article_id)
    for sighting in sightings:
        sighting.article = article
    return article_id


def join(session: Session, kept: Article, gone: Article) -> None:
    """Move every sighting of ``gone`` to ``kept`` and delete ``gone`` with its index rows."""
    for sighting in list(gone.sightings):
        sighting.article = kept
    kept.first_seen = min(kept.first_seen, gone.first_seen)
    kept.last_seen = max(kept.last_seen, gone.last_seen)
    _unindex(session, gone.id, rank(gone.published_at, gone.id))
    session.delete(gone)
    session.flush()  # gone before its URL can be elected for the article kept: URLs are unique


def add_sighting(session: Session, article: Article, record: ArticleRecord, match: str, similarity: float) -> Sighting:
    """Record that ``article`` was seen at ``record``'s URL."""
    sighting = Sighting(article=article, **_sighting_fields(record, match, similarity))
    session.add(sighting)
    article.last_seen = max(article.last_seen, record.seen_at)
    return sighting


def touch_sighting(sighting: Sighting, record: ArticleRecord) -> None:
    """Count a new fetch of a known URL; the same fetch replayed again changes nothing."""
    if record.seen_at > sighting.last_seen:
        sighting.last_seen = record.seen_at
        sighting.fetch_count += 1
        sighting.article.last_seen = max(sighting.article.last_seen, record.seen_at)
        link_archive(sighting, record)
    sighting.first_seen = min(sighting.first_seen, record.seen_at)


def link_archive(sighting: Sighting, record: ArticleRecord) -> None:
    """Point the sighting at the WARC record of this fetch, when the crawl archived it."""
    for name, value in _archive_fields(record).items():
        setattr(sighting, name, value)


def update_sighting_copy(sighting: Sighting, record: ArticleRecord) -> None:
    """A sighted copy whose text changed: keep what that copy now says."""
    sighting.title = record.title
    sighting.fingerprint = record.fingerprint
    sighting.published_at = record.published_at
    sighting.source = record.source
    sighting.extracted = pack(record_fields(record))


def record_reject(session: Session, rejected: Rejected) -> None:
    """Keep a rejected item by URL; seeing it again counts, it does not add a row."""
    url = fit(rejected.url, Reject.url) or ""  # a reject may be for a URL too long to store whole
    existing = session.scalars(select(Reject).where(Reject.url == url)).first()
    if existing is None:
        session.add(
            Reject(
                url=url,
                reason=rejected.reason,
                detail=rejected.detail,
                item=rejected.item,
                first_seen=rejected.seen_at,
                last_seen=rejected.seen_at,
                count=1,
            )
        )
    elif rejected.seen_at > existing.last_seen:
        existing.reason, existing.detail, existing.item = rejected.reason, rejected.detail, rejected.item
        existing.last_seen = rejected.seen_at
        existing.count += 1
    session.flush()


def forget_reject(session: Session, url: str) -> None:
    """A URL that now stores as an article is no longer a reject (asked for every stored record)."""
    _run(session, DELETE_REJECT, {"url": url})


def mark_stored(session: Session, url: str) -> None:
    """The ledger's entry for a URL now stored, if it has one, waits for nothing (asked for every
    stored record, in its transaction: stored and marked together or neither)."""
    _run(session, MARK_STORED, {"url": url})


def known_urls(session: Session) -> dict[str, datetime]:
    """Every sighted URL with when it was last fetched: what an incremental crawl need not fetch."""
    return {url: seen for url, seen in session.execute(select(Sighting.url, Sighting.last_seen))}


def validators(session: Session) -> dict[str, tuple[str | None, str | None]]:
    """ETag and Last-Modified per URL from the last finished crawl."""
    rows = session.execute(select(HttpValidator.url, HttpValidator.etag, HttpValidator.last_modified))
    return {url: (etag, modified) for url, etag, modified in rows}


def save_validators(session: Session, found: dict[str, tuple[str | None, str | None]], when: datetime) -> None:
    for url, (etag, modified) in found.items():
        session.merge(HttpValidator(url=url, etag=etag, last_modified=modified, checked_at=when))


def start_run(session: Session, profile: str, started_at: datetime) -> int:
    run = CrawlRun(profile=profile, started_at=started_at)
    session.add(run)
    session.flush()
    return run.id


def link_schedule_run(session: Session, schedule_run_id: int, run_id: int) -> None:
    """Note on a schedule run the crawl run that carries it out (a schedule removed meanwhile is gone)."""
    schedule_run = session.get(ScheduleRun, schedule_run_id)
    if schedule_run is not None:
        schedule_run.crawl_run_id = run_id


def renew_lease(session: Session, until: datetime, *, run_id: int | None = None, owner: str | None = None) -> int:
    """Push to ``until`` the lease of one open schedule run (``run_id``: its crawl's heartbeat) or of
    every open run ``owner`` holds (its scheduler's). A run that has ended, or that another scheduler
    took over, is left as it is. Returns how many leases were renewed."""
    renewed = update(ScheduleRun).where(ScheduleRun.finished_at.is_(None))
    if run_id is not None:
        renewed = renewed.where(ScheduleRun.id == run_id)
    if owner is not None:
        renewed = renewed.where(ScheduleRun.lease_owner == owner)
    result = session.execute(renewed.values(lease_expires_at=until).execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


def finish_run(session: Session, run_id: int, finished_at: datetime, reason: str, stats: dict[str, Any]) -> None:
    """Fill a crawl run's outcome from the crawl's stats."""
    run = session.get_one(CrawlRun, run_id)
    run.finished_at = finished_at
    run.finish_reason = reason
    run.pages_fetched = stats.get("downloader/response_count", 0)
    run.articles_new = stats.get("edunews/articles/new", 0)
    run.articles_updated = stats.get("edunews/articles/updated", 0)
    run.duplicates = sum(value for key, value in stats.items() if key.startswith("edunews/duplicates/"))
    run.rejects = sum(value for key, value in stats.items() if key.startswith("edunews/rejected/"))
    run.errors = {
        key.removeprefix("edunews/errors/"): value for key, value in stats.items() if key.startswith("edunews/errors/")
    }
    run.stats = {key: value if isinstance(value, int | float | str) else str(value) for key, value in stats.items()}


def recent_articles(session: Session, limit: int = 50) -> list[Article]:
    """The newest stored articles by publication time (undated ones last), sightings loaded."""
    query = (
        select(Article)
        .options(selectinload(Article.sightings))
        .order_by(Article.published_at.is_(None), Article.published_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
