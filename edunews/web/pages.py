"""What each page of the web view shows: request parameters read strictly, then SELECTs only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pipelines import ledger
from pipelines.models import Article, CrawlRun, Schedule, Sighting
from pipelines.queries import changes_summary, copy_changes, list_articles, search_problem
from pipelines.search import search_articles

#: Longest search query accepted: the index turns every two characters into a term to look up.
MAX_QUERY = 200


class BadRequest(ValueError):
    """A parameter the page cannot use (``?page=x``, ``?since=yesterday``); shown as a 400 page."""


class NotFound(LookupError):
    """Nothing at this address (an unknown article id); shown as a 404 page."""


@dataclass(frozen=True)
class Pager:
    """Where the previous and next pages are. ``has_next`` comes from fetching one row more than a
    page, so no COUNT over the whole table is needed."""

    page: int
    previous_url: str | None
    next_url: str | None


def page_number(value: str | None) -> int:
    """``?page=N`` as a number from 1; absent means 1."""
    if value in (None, ""):
        return 1
    if not (value.isascii() and value.isdigit()) or int(value) < 1 or len(value) > 9:
        raise BadRequest(f"page must be a positive number, not {value!r}")
    return int(value)


def day(value: str | None, name: str) -> date | None:
    """``?since=2024-03-01`` as a date; absent or empty means no bound."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name} must be a date like 2024-03-01, not {value!r}") from None


def day_after(value: date | None) -> date | None:
    """The day after ``value``: ``until`` names the last day shown, the list wants the first one not."""
    if value is None:
        return None
    return value + timedelta(days=1) if value < date.max else value


def pager(path: str, params: Mapping[str, str], page: int, has_next: bool) -> Pager:
    """Previous/next links that keep the page's other parameters (filters, query)."""
    kept = {name: value for name, value in params.items() if value and name != "page"}

    def link(number: int) -> str:
        query = urlencode(kept | ({"page": str(number)} if number > 1 else {}))
        return f"{path}?{query}" if query else path

    return Pager(page, link(page - 1) if page > 1 else None, link(page + 1) if has_next else None)


def sighting_counts(session: Session, article_ids: list[int]) -> dict[int, int]:
    """Copies per article for one page of results, in one grouped query."""
    if not article_ids:
        return {}
    rows = session.execute(
        select(Sighting.article_id, func.count())
        .where(Sighting.article_id.in_(article_ids))
        .group_by(Sighting.article_id)
    )
    return {article_id: count for article_id, count in rows}


def site_choices(session: Session) -> list[str]:
    """Every host articles were first stored from, for the site filter."""
    return list(session.scalars(select(Article.site).distinct().order_by(Article.site)))


def article_rows(session: Session, articles: list[Article]) -> list[dict[str, Any]]:
    counts = sighting_counts(session, [article.id for article in articles])
    return [{"article": article, "sightings": counts.get(article.id, 0)} for article in articles]


def article_list(session: Session, params: Mapping[str, str], page_size: int) -> dict[str, Any]:
    """The front page: articles newest first, filtered by site and publication dates, paged."""
    page = page_number(params.get("page"))
    since, until = day(params.get("since"), "since"), day(params.get("until"), "until")
    site = params.get("site") or None
    found = list_articles(
        session,
        site=site,
        since=since,
        until=day_after(until),
        limit=page_size + 1,
        offset=(page - 1) * page_size,
    )
    return {
        "rows": article_rows(session, found[:page_size]),
        "pager": pager("/", params, page, len(found) > page_size),
        "sites": site_choices(session),
        "site": site or "",
        "since": since.isoformat() if since else "",
        "until": until.isoformat() if until else "",
        "query": "",
        "page": page,
    }


def search_results(session: Session, params: Mapping[str, str], page_size: int) -> dict[str, Any]:
    """Articles containing every word of ``?q=`` (Chinese two-character words too), paged."""
    page = page_number(params.get("page"))
    query = (params.get("q") or "").strip()
    if len(query) > MAX_QUERY:
        raise BadRequest(f"the search query is longer than {MAX_QUERY} characters")
    problem = search_problem(query) if query else None
    searched = query and problem is None
    found = search_articles(session, query, limit=page_size + 1, offset=(page - 1) * page_size) if searched else []
    return {
        "rows": article_rows(session, found[:page_size]),
        "pager": pager("/search", {"q": query, "page": str(page)}, page, len(found) > page_size),
        "query": query,
        "problem": problem,
        "page": page,
    }


def article_page(session: Session, article_id: str) -> dict[str, Any]:
    """One article: clean text, removed blocks with reasons, metadata and every copy seen."""
    article = session.scalars(
        select(Article).where(Article.id == int(article_id)).options(selectinload(Article.sightings))
    ).first()
    if article is None:
        raise NotFound(f"no article {article_id}")
    paragraphs = [p for p in article.paragraphs or [] if isinstance(p, str) and p.strip()]
    removed = [block for block in article.removed or [] if isinstance(block, dict)]
    changed = copy_changes(article)
    return {
        "article": article,
        "paragraphs": paragraphs or article.text.split("\n"),
        "removed": removed,
        "sightings": article.sightings,
        "changes": {s.url: changes_summary(changed.get(s.url)) for s in article.sightings},
    }


def crawl_runs(session: Session, params: Mapping[str, str], page_size: int) -> dict[str, Any]:
    """Crawl history, newest first, paged."""
    page = page_number(params.get("page"))
    runs = list(
        session.scalars(
            select(CrawlRun)
            .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
            .limit(page_size + 1)
            .offset((page - 1) * page_size)
        )
    )
    return {
        "runs": runs[:page_size],
        "pending": ledger.pending(session),
        "pager": pager("/runs", params, page, len(runs) > page_size),
    }


def schedules(session: Session) -> dict[str, Any]:
    """Every schedule with its next and last run; there are few, so no paging."""
    return {"schedules": list(session.scalars(select(Schedule).order_by(Schedule.name)))}
