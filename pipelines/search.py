"""Full-text search that works for Chinese without word segmentation, on any database: an index of
character bigrams (职教, 课后) and lower-case words (literacy), one entry per article, kept beside the
articles (the storage module writes an article's terms with the article).

Each database holds the same terms in its own natural structure, created by migration 0006: SQLite
an FTS5 table whose one column is the space-separated terms, PostgreSQL a ``text[]`` column with a
GIN index. Neither tokenises or folds a term further (FTS5's ``ascii`` tokenizer only splits on ASCII
spaces and punctuation, which no term contains, and folds only ASCII capitals, which no term has), so
both find exactly the articles that hold every term of a query. An entry per article rather than a
row per term: writing ~290 term rows cost a third of storing an article."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, column, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from pipelines.models import Article

CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[^\W\u3400-\u9fff\uf900-\ufaff_]{2,}")
#: Longest indexed word; longer tokens (URLs, hashes) are cut so they fit the column.
MAX_TERM = 64
#: The index's table; SQLite's FTS5 keeps its data in shadow tables named after it (``search_index_data``).
SEARCH_INDEX = "search_index"


def terms(text: str) -> set[str]:
    """Index terms of a text: every two-character window of each Chinese run (a one-character run is
    its own term) and every word of two or more letters or digits, lower-cased."""
    found: set[str] = set()
    for run in CJK_RUN.findall(text):
        found.update(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else found.add(run)
    found.update(word.lower()[:MAX_TERM] for word in WORD.findall(text))
    return found


def is_search_index(table: str) -> bool:
    """Whether ``table`` belongs to the search index, which migrations make per database rather than
    the models declare (schema comparisons leave it out)."""
    return table == SEARCH_INDEX or table.startswith(SEARCH_INDEX + "_")


@dataclass(frozen=True)
class SearchIndex:
    """One database's search index: its statements (parameters ``article_id``, ``terms``) and how
    terms are passed to them."""

    add: TextClause
    """Index an article's terms."""
    remove: TextClause
    """Forget an article's terms."""
    matching: TextClause
    """The ids of the articles holding every term (one column, ``article_id``)."""
    stored: TextClause
    """An article's indexed terms, as ``add`` was given them."""
    as_parameter: Callable[[Collection[str]], Any]
    """Terms as the statements take them."""
    as_query: Callable[[Collection[str]], Any]
    """Terms as ``matching`` takes them."""


def _fts5_query(wanted: Collection[str]) -> str:
    """An FTS5 query for rows holding every term: quoted strings (terms hold no quotes), ANDed."""
    return " ".join(f'"{term}"' for term in sorted(wanted))


SEARCH_INDEXES = {
    "sqlite": SearchIndex(
        add=text(f"INSERT INTO {SEARCH_INDEX} (rowid, terms) VALUES (:article_id, :terms)"),
        remove=text(f"DELETE FROM {SEARCH_INDEX} WHERE rowid = :article_id"),
        matching=text(f"SELECT rowid AS article_id FROM {SEARCH_INDEX} WHERE {SEARCH_INDEX} MATCH :terms"),
        stored=text(f"SELECT terms FROM {SEARCH_INDEX} WHERE rowid = :article_id"),
        as_parameter=" ".join,
        as_query=_fts5_query,
    ),
    "postgresql": SearchIndex(
        add=text(f"INSERT INTO {SEARCH_INDEX} (article_id, terms) VALUES (:article_id, CAST(:terms AS text[]))"),
        remove=text(f"DELETE FROM {SEARCH_INDEX} WHERE article_id = :article_id"),
        matching=text(f"SELECT article_id FROM {SEARCH_INDEX} WHERE terms @> CAST(:terms AS text[])"),
        stored=text(f"SELECT array_to_string(terms, ' ') FROM {SEARCH_INDEX} WHERE article_id = :article_id"),
        as_parameter=list,
        as_query=sorted,
    ),
}


def search_index(session: Session) -> SearchIndex:
    """The search index of the session's database."""
    return SEARCH_INDEXES[session.get_bind().dialect.name]


def indexed_terms(session: Session, article_id: int) -> set[str]:
    """The terms the index holds for an article (none when it is not indexed)."""
    index = search_index(session)
    stored = session.execute(index.stored, {"article_id": article_id}).scalar_one_or_none()
    return set(stored.split()) if stored else set()


def search_articles(session: Session, query: str, *, limit: int = 50, offset: int = 0) -> list[Article]:
    """Articles containing every term of ``query``, newest first. The index finds the candidates
    holding every term; a phrase check on the text removes those whose bigrams occur only apart."""
    wanted = terms(query)
    if not wanted:
        return []
    index = search_index(session)
    candidates = index.matching.bindparams(terms=index.as_query(wanted)).columns(column("article_id", Integer))
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
