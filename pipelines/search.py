"""Full-text search that works for Chinese without word segmentation, on any database: an index of
character bigrams (职教, 课后) and lower-case words (literacy), kept beside the articles (the storage
module writes an article's terms with the article)."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipelines.models import Article, SearchTerm

CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[^\W\u3400-\u9fff\uf900-\ufaff_]{2,}")
#: Longest indexed word; longer tokens (URLs, hashes) are cut so they fit the column.
MAX_TERM = 64


def terms(text: str) -> set[str]:
    """Index terms of a text: every two-character window of each Chinese run (a one-character run is
    its own term) and every word of two or more letters or digits, lower-cased."""
    found: set[str] = set()
    for run in CJK_RUN.findall(text):
        found.update(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else found.add(run)
    found.update(word.lower()[:MAX_TERM] for word in WORD.findall(text))
    return found


def search_articles(session: Session, query: str, *, limit: int = 50, offset: int = 0) -> list[Article]:
    """Articles containing every term of ``query``, newest first. The index finds candidates through
    its primary key; a phrase check on the text removes those whose bigrams occur only apart."""
    wanted = terms(query)
    if not wanted:
        return []
    candidates = (
        select(SearchTerm.article_id)
        .where(SearchTerm.term.in_(wanted))
        .group_by(SearchTerm.article_id)
        .having(func.count() == len(wanted))
    )
    statement = (
        select(Article)
        .where(Article.id.in_(candidates))
        .order_by(Article.published_at.is_(None), Article.published_at.desc(), Article.id.desc())
    )
    phrases = [part for part in query.split() if part]
    matches = [
        article
        for article in session.scalars(statement)
        if all(phrase.lower() in (article.title + "\n" + article.text).lower() for phrase in phrases)
    ]
    return matches[offset : offset + limit]
