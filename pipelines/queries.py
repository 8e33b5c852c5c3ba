"""Read-only queries for people looking into the database: listing, one article, export, statistics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import Session, selectinload

from pipelines import ledger
from pipelines.models import Article, CrawlRun, Reject, Sighting
from pipelines.search import QUERY_PIECE, piece_terms
from pipelines.timezones import in_offset, offset_delta

#: Rows fetched per round trip while exporting: memory stays flat however large the table is.
EXPORT_CHUNK = 500
#: The largest id a database can hold (a signed 64-bit integer): a larger number names no article.
MAX_ID = 2**63 - 1
#: The farthest a page's clock stands from UTC (UTC+14; UTC-12 is nearer): a day as a page dates it
#: begins at most this long before or after that day's UTC midnight.
FARTHEST_OFFSET = timedelta(hours=14)
#: A bound is a day as pages date it, or an exact time.
Bound = date | datetime


def list_articles(
    session: Session,
    *,
    site: str | None = None,
    since: Bound | None = None,
    until: Bound | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Article]:
    """Articles newest first, optionally from one site (host or site name) and a publication window:
    from ``since`` and before ``until`` (see :func:`published_from`)."""
    statement = select(Article).options(selectinload(Article.sightings))
    if site:
        statement = statement.where((Article.site == site) | (Article.site_name == site))
    if since:
        statement = statement.where(published_from(session, since))
    if until:
        statement = statement.where(published_before(session, until))
    statement = statement.order_by(Article.published_at.is_(None), Article.published_at.desc(), Article.id.desc())
    return list(session.scalars(statement.limit(limit).offset(offset)))


def find_article(session: Session, id_or_url: str) -> Article | None:
    """An article by id, by the URL of any copy of it, or by its canonical URL; a URL is looked up as
    given and in the canonical form articles are stored under (tracking parameters and fragment
    dropped, mobile host folded), so a link copied from a browser finds its article."""
    from crawler.extraction.profiles import host_aliases
    from crawler.extraction.urls import canonicalize_url  # w3lib and the public-suffix list: only when a URL is given

    id_or_url = id_or_url.strip()
    if id_or_url.isascii() and id_or_url.isdigit():
        return session.get(Article, int(id_or_url)) if int(id_or_url) <= MAX_ID else None
    try:
        canonical = canonicalize_url(id_or_url, host_aliases(None))
    except ValueError:  # not a URL that parses (http://[::1): only the text as given can match
        canonical = id_or_url
    for url in dict.fromkeys((id_or_url, canonical)):
        sighting = session.scalars(select(Sighting).where(Sighting.url == url)).first()
        if sighting is not None:
            return sighting.article
        article = session.scalars(select(Article).where(Article.canonical_url == url)).first()
        if article is not None:
            return article
    return None


def search_problem(query: str) -> str | None:
    """Why ``query`` cannot be searched, or None. Spaces and punctuation only separate words; the
    index holds Chinese characters and words of two letters or digits and more, so a lone Latin
    letter or digit would silently ask nothing."""
    pieces = QUERY_PIECE.findall(query)
    if not pieces:
        return "give something to search for"
    short = [piece for piece in pieces if not piece_terms(piece)]
    if short:
        return (
            f"{short[0]!r} is too short to search: give a word of two or more letters or digits, or "
            "Chinese characters (教, 职教, 课后服务, literacy)"
        )
    return None


def published_from(session: Session, start: Bound) -> ColumnElement[bool]:
    """Published at ``start`` or later. A day means the day as each page dates it: a page dated
    2025-06-28 in China (stored as 2025-06-27 16:00 UTC) is from the 28th on, as the article list and
    ``stats`` show it, not from the 27th. An exact time (a ``datetime``) is compared as it is."""
    if isinstance(start, datetime):
        return Article.published_at >= start
    midnight, starts = _day_starts(session, start)
    return and_(Article.published_at >= midnight - FARTHEST_OFFSET, Article.published_at >= starts)


def published_before(session: Session, end: Bound) -> ColumnElement[bool]:
    """Published before ``end``: before the day as each page dates it, or before an exact time."""
    if isinstance(end, datetime):
        return Article.published_at < end
    midnight, starts = _day_starts(session, end)
    return and_(Article.published_at < midnight + FARTHEST_OFFSET, Article.published_at < starts)


def _day_starts(session: Session, day: date) -> tuple[datetime, ColumnElement[datetime]]:
    """``day``'s UTC midnight, and the time ``day`` begins for each article: that midnight moved by
    the article's own offset. Only articles within ``FARTHEST_OFFSET`` of the midnight can fall on
    either side of it by their offset, so only their offsets are read (a range of the time index);
    every other article is decided by its time alone, and the callers' first condition keeps the
    index in use."""
    day = min(max(day, date.min + timedelta(days=1)), date.max - timedelta(days=1))
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    near = Article.published_at.between(midnight - FARTHEST_OFFSET, midnight + FARTHEST_OFFSET)
    offsets = session.scalars(
        select(Article.published_offset).where(near, Article.published_offset.is_not(None)).distinct()
    )
    as_time = Article.published_at.type
    starts = {offset: literal(midnight - offset_delta(offset), as_time) for offset in offsets}
    if not starts:
        return midnight, literal(midnight, as_time)
    return midnight, case(starts, value=Article.published_offset, else_=literal(midnight, as_time))


def iter_articles(session: Session, *, since: Bound | None = None) -> Iterator[Article]:
    """Every article (optionally published since ``since``, see :func:`published_from`) in id order,
    fetched in chunks."""
    last_id = 0
    published = published_from(session, since) if since else None
    while True:
        statement = select(Article).where(Article.id > last_id).order_by(Article.id).limit(EXPORT_CHUNK)
        if published is not None:
            statement = statement.where(published)
        chunk = list(session.scalars(statement))
        if not chunk:
            return
        yield from chunk
        last_id = chunk[-1].id
        session.expunge_all()


def article_record(article: Article, *, with_sightings: bool = False) -> dict[str, Any]:
    """An article as plain data for JSON, CSV and tables."""
    data: dict[str, Any] = {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "title": article.title,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "published_offset": article.published_offset,
        "source": article.source,
        "site": article.site,
        "site_name": article.site_name,
        "language": article.language,
        "authors": article.authors,
        "editors": article.editors,
        "keywords": article.keywords,
        "images": article.images,
        "text": article.text,
        "extractor_version": article.extractor_version,
        "first_seen": article.first_seen.isoformat(),
        "last_seen": article.last_seen.isoformat(),
    }
    if with_sightings:
        data["removed"] = article.removed
        changed = copy_changes(article)
        data["sightings"] = [
            {
                "url": s.url,
                "site": s.site,
                "match": s.match,
                "elected": s.url == article.url,
                "changes": changed.get(s.url),
                "similarity": round(s.similarity, 3),
                "first_seen": s.first_seen.isoformat(),
                "last_seen": s.last_seen.isoformat(),
                "fetch_count": s.fetch_count,
                "warc": s.warc_path and f"{s.warc_path}@{s.warc_offset}",
            }
            for s in article.sightings
        ]
    return data


def copy_changes(article: Article) -> dict[str, list[str]]:
    """What each copy that kept its text changed against the elected copy, by URL (an empty list for
    the elected copy); copies stored before copies were kept are left out."""
    from pipelines.copies import changes  # NumPy, OpenCC and the cleaner's patterns: only to show an article
    from pipelines.storage import copies_of

    copies = copies_of(article)
    elected = next((copy for copy in copies if copy.url == article.url), None)
    if elected is None:
        return {}
    return {copy.url: changes(copy, elected) for copy in copies}


def changes_summary(changed: list[str] | None) -> str:
    """A copy's changes (``copy_changes``) in one line: ``none`` for the elected text itself, ``text
    not kept`` for a copy stored before copies were kept."""
    if changed is None:
        return "text not kept"
    return ", ".join(changed) or "none"


def articles_per_day(session: Session, days: int = 14) -> dict[str, int]:
    """Articles per publication date, newest ``days`` dates first, each article on the date its page
    shows (its own time zone), not the UTC date it is stored under."""
    times = session.execute(
        select(Article.published_at, Article.published_offset, func.count())
        .where(Article.published_at.is_not(None))
        .group_by(Article.published_at, Article.published_offset)
    )
    counts: Counter[str] = Counter()
    for moment, offset, count in times:
        counts[in_offset(moment, offset).date().isoformat()] += count
    return dict(sorted(counts.items(), reverse=True)[:days])


def database_stats(session: Session, *, days: int = 14) -> dict[str, Any]:
    """Articles per site and per day (the last ``days`` days with articles), duplicates, rejects by
    reason, discovered article URLs not stored yet (by state and reason), and the last crawl of each
    profile."""
    per_site = session.execute(
        select(func.coalesce(Article.site_name, Article.site), func.count())
        .group_by(Article.site_name, Article.site)
        .order_by(func.count().desc())
    ).all()
    per_day = articles_per_day(session, days)
    duplicates = session.execute(select(Sighting.match, func.count()).group_by(Sighting.match)).all()
    rejects = session.execute(select(Reject.reason, func.count()).group_by(Reject.reason)).all()
    last_run = select(CrawlRun.profile, func.max(CrawlRun.id).label("id")).group_by(CrawlRun.profile).subquery()
    runs = session.scalars(select(CrawlRun).join(last_run, CrawlRun.id == last_run.c.id).order_by(CrawlRun.profile))
    return {
        "articles": session.scalar(select(func.count()).select_from(Article)) or 0,
        "per_site": {site: count for site, count in per_site},
        "per_day": per_day,
        "sightings_by_match": {match: count for match, count in duplicates},
        "rejects": {reason: count for reason, count in rejects},
        "pending": ledger.pending(session),
        "last_crawls": [
            {
                "profile": run.profile,
                "started_at": run.started_at.isoformat(),
                "finish_reason": run.finish_reason,
                "pages": run.pages_fetched,
                "new": run.articles_new,
                "errors": run.errors,
            }
            for run in runs
        ],
    }
