"""Small storage functions over the models: the only place that reads or writes article rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, selectinload

from pipelines.models import Article, CrawlRun, HttpValidator, MinHashBand, Reject, Sighting
from pipelines.neardup import Signature, band_buckets
from pipelines.records import ArticleRecord, Rejected
from pipelines.search import index_article

#: Largest number of buckets put in one IN clause.
BUCKETS_PER_QUERY = 500


def find_sighting(session: Session, url: str) -> Sighting | None:
    return session.scalars(select(Sighting).where(Sighting.url == url)).first()


def find_by_fingerprint(session: Session, fingerprint: str) -> Article | None:
    """The article whose stored copy, or any sighted copy, has exactly this normalised text."""
    article = session.scalars(select(Article).where(Article.fingerprint == fingerprint)).first()
    if article is not None:
        return article
    sighting = session.scalars(select(Sighting).where(Sighting.fingerprint == fingerprint)).first()
    return sighting.article if sighting is not None else None


def near_duplicate_candidates(session: Session, signature: Signature) -> list[tuple[int, Signature]]:
    """(article id, signature) of the articles sharing at least one LSH band bucket with
    ``signature``: an indexed lookup that reads a handful of rows however many articles are stored.
    Only the signatures are loaded; the caller loads the one article it picks."""
    pairs = set(band_buckets(signature))
    buckets = sorted({bucket for _, bucket in pairs})
    ids: set[int] = set()
    for start in range(0, len(buckets), BUCKETS_PER_QUERY):
        query = select(MinHashBand.band, MinHashBand.bucket, MinHashBand.article_id).where(
            MinHashBand.bucket.in_(buckets[start : start + BUCKETS_PER_QUERY])
        )
        ids.update(article_id for band, bucket, article_id in session.execute(query) if (band, bucket) in pairs)
    if not ids:
        return []
    rows = session.execute(
        select(Article.id, Article.minhash, Article.shingle_count).where(Article.id.in_(ids)).order_by(Article.id)
    )
    return [(article_id, Signature.from_bytes(minhash, size)) for article_id, minhash, size in rows]


def _copy_fields(article: Article, record: ArticleRecord) -> None:
    assert record.signature is not None, "the dedupe pipeline signs records before they are stored"
    article.title = record.title
    article.text = record.text
    article.paragraphs = record.paragraphs
    article.authors = record.authors
    article.editors = record.editors
    article.site_name = record.site_name
    article.language = record.language
    article.keywords = record.keywords
    article.images = record.images
    article.removed = record.removed
    article.extractor_version = record.extractor_version
    article.fingerprint = record.fingerprint
    article.minhash = record.signature.to_bytes()
    article.shingle_count = record.signature.size
    article.updated_at = record.seen_at


def _index_bands(session: Session, article: Article, signature: Signature) -> None:
    session.execute(delete(MinHashBand).where(MinHashBand.article_id == article.id))
    rows = [{"band": band, "bucket": bucket, "article_id": article.id} for band, bucket in band_buckets(signature)]
    if rows:
        session.execute(insert(MinHashBand.__table__), rows)


def add_article(session: Session, record: ArticleRecord) -> Article:
    """Store a new article with its original sighting and its band index rows."""
    assert record.signature is not None
    article = Article(
        url=record.url,
        canonical_url=record.canonical_url,
        site=record.site,
        published_at=record.published_at,
        published_offset=record.published_offset,
        source=record.source,
        first_seen=record.seen_at,
        last_seen=record.seen_at,
    )
    _copy_fields(article, record)
    session.add(article)
    session.flush()
    _index_bands(session, article, record.signature)
    index_article(session, article)
    add_sighting(session, article, record, "original", 1.0)
    return article


def refresh_article(session: Session, article: Article, record: ArticleRecord) -> None:
    """Replace the stored copy's text and fields with a newer fetch or extraction of the same page."""
    assert record.signature is not None
    _copy_fields(article, record)
    _index_bands(session, article, record.signature)
    index_article(session, article)
    merge_copy_metadata(article, record)


def add_sighting(session: Session, article: Article, record: ArticleRecord, match: str, similarity: float) -> Sighting:
    """Record that ``article`` was seen at ``record``'s URL."""
    sighting = Sighting(
        article=article,
        url=record.url,
        site=record.site,
        match=match,
        similarity=similarity,
        title=record.title,
        published_at=record.published_at,
        source=record.source,
        fingerprint=record.fingerprint,
        first_seen=record.seen_at,
        last_seen=record.seen_at,
        fetch_count=1,
    )
    link_archive(sighting, record)
    session.add(sighting)
    article.last_seen = max(article.last_seen, record.seen_at)
    session.flush()
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
    if record.archive:
        sighting.warc_path = record.archive["path"]
        sighting.warc_offset = record.archive["offset"]
        sighting.warc_length = record.archive["length"]


def update_sighting_copy(sighting: Sighting, record: ArticleRecord) -> None:
    """A sighted copy whose text changed: keep what that copy now says."""
    sighting.title = record.title
    sighting.fingerprint = record.fingerprint
    sighting.published_at = record.published_at
    sighting.source = record.source


def merge_copy_metadata(article: Article, record: ArticleRecord) -> None:
    """An article keeps the earliest publication time any copy gives, and the source named by that
    earliest copy (the original publisher, not the reposting site)."""
    if record.published_at is not None and (article.published_at is None or record.published_at < article.published_at):
        article.published_at = record.published_at
        article.published_offset = record.published_offset
        if record.source:
            article.source = record.source
    elif article.source is None and record.source:
        article.source = record.source


def record_reject(session: Session, rejected: Rejected) -> None:
    """Keep a rejected item by URL; seeing it again counts, it does not add a row."""
    existing = session.scalars(select(Reject).where(Reject.url == rejected.url)).first()
    if existing is None:
        session.add(
            Reject(
                url=rejected.url,
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
    """A URL that now stores as an article is no longer a reject."""
    session.execute(delete(Reject).where(Reject.url == url))


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
