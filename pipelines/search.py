"""Full-text search that works for Chinese without word segmentation, on any database, and reads only
the page of results it returns: an index of Chinese characters and character bigrams (教, 职教, 课后)
and lower-case words (literacy), one entry per article, kept beside the articles (the storage module
writes an article's terms with the article).

Each database holds the same terms in its own natural structure, built by migration 0010: SQLite an
FTS5 table whose one column is the space-separated terms, PostgreSQL a ``text[]`` column with a GIN
index. Neither tokenises or folds a term further (FTS5's ``ascii`` tokenizer only splits on ASCII
spaces and punctuation, which no term contains, and folds only ASCII capitals, which no term has), so
both find exactly the articles that hold every term of a query. An entry per article rather than a
row per term: writing ~290 term rows cost a third of storing an article.

Results come newest first, and the order is the index's own: each entry is filed under a *rank*
(:func:`rank`) that sorts as the article list does (publication time, newest first, undated last,
then the newer id first). SQLite's FTS5 keeps the rank as the entry's rowid and walks a term's
entries from the highest rowid down, stopping after the page asked for, so a word held by most of a
million articles reads fifty entries, not a million; PostgreSQL keeps it in a column with a b-tree
index its planner can walk the same way."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, Text, column, literal_column, or_, select, table, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import TextClause

from pipelines.models import Article

CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[^\W\u3400-\u9fff\uf900-\ufaff_]{2,}")
#: What a query keeps: runs of letters, digits and Chinese characters; the spaces and punctuation
#: between them (``literacy,``, ``课后服务，双减``) only separate them.
QUERY_PIECE = re.compile(r"[^\W_]+")
#: Longest indexed word; longer tokens (URLs, hashes) are cut so they fit the column.
MAX_TERM = 64
#: The index's table; SQLite's FTS5 keeps its data in shadow tables named after it (``search_index_data``).
SEARCH_INDEX = "search_index"
#: A rank is the publication second (since 1970, plus one, so that undated articles' 0 sorts below
#: every dated one) above the article id: ``ID_BITS`` of id (two thousand million articles) under
#: ``TIME_BITS`` of time (until 2106), 63 bits in all, a positive 64-bit integer on both databases.
ID_BITS = 31
TIME_BITS = 32
ID_MASK = (1 << ID_BITS) - 1
LATEST_SECOND = (1 << TIME_BITS) - 1


def _chinese_terms(run: str, *, characters: bool) -> Iterable[str]:
    """The bigrams of a Chinese run, and its characters too with ``characters`` (a one-character run
    is its own term either way)."""
    if len(run) == 1:
        return (run,)
    bigrams = (run[i : i + 2] for i in range(len(run) - 1))
    return [*bigrams, *run] if characters else bigrams


def _words(text: str) -> Iterable[str]:
    return (word.lower()[:MAX_TERM] for word in WORD.findall(text))


def terms(text: str) -> set[str]:
    """Index terms of a text: every character and every two-character window of each Chinese run, and
    every word of two or more letters or digits, lower-cased. The characters are there so that a
    one-character query (教) finds the articles where it stands inside a longer run (教育)."""
    found: set[str] = set()
    for run in CJK_RUN.findall(text):
        found.update(_chinese_terms(run, characters=True))
    found.update(_words(text))
    return found


def piece_terms(piece: str) -> set[str]:
    """The terms an article must hold to contain ``piece`` (a run of letters, digits and Chinese
    characters): a lone Chinese character itself, a longer run's bigrams, its words. Empty when the
    piece is too short to be looked up (one Latin letter or digit)."""
    found: set[str] = set()
    for run in CJK_RUN.findall(piece):
        found.update(_chinese_terms(run, characters=False))
    found.update(_words(piece))
    return found


@dataclass(frozen=True)
class SearchQuery:
    """What a query asks of an article."""

    terms: frozenset[str]
    """Every index term the article must hold."""
    phrases: tuple[str, ...]
    """Lower-cased pieces of the query the terms alone do not prove present as written (课后服务:
    its bigrams may occur apart; 5g网络): the article's headline or text must contain each."""


def parse_query(query: str) -> SearchQuery:
    """The terms and phrases of ``query``. Spaces and punctuation only separate pieces, and a piece
    that has no term (one Latin letter or digit) asks nothing."""
    wanted: set[str] = set()
    phrases: list[str] = []
    for piece in QUERY_PIECE.findall(query.lower()):
        found = piece_terms(piece)
        wanted |= found
        if found and found != {piece}:
            phrases.append(piece)
    return SearchQuery(frozenset(wanted), tuple(dict.fromkeys(phrases)))


def rank(published_at: datetime | None, article_id: int) -> int:
    """The index rank of an article: higher sorts first, as the article list does (publication time,
    newest first, undated last, then the newer id first). Times are counted in whole seconds and held
    within 1970 to 2106; articles published in one second (or outside those years) go by id."""
    if not 0 < article_id <= ID_MASK:
        raise ValueError(f"article id {article_id} does not fit the search index's {ID_BITS} bits")
    second = 0 if published_at is None else min(max(int(published_at.timestamp()) + 1, 1), LATEST_SECOND)
    return second << ID_BITS | article_id


#: :func:`rank` of the ``published_at`` and ``id`` of an ``articles`` row named ``old`` in SQLite's
#: SQL, for the trigger that drops a deleted article's entry (SQLite keeps times as ISO text).
SQLITE_OLD_ARTICLE_RANK = (
    "((CASE WHEN old.published_at IS NULL THEN 0 "
    f"ELSE min(max(CAST(strftime('%s', old.published_at) AS INTEGER) + 1, 1), {LATEST_SECOND}) END) "
    f"<< {ID_BITS}) | old.id"
)


def is_search_index(table: str) -> bool:
    """Whether ``table`` belongs to the search index, which migrations make per database rather than
    the models declare (schema comparisons leave it out)."""
    return table == SEARCH_INDEX or table.startswith(SEARCH_INDEX + "_")


@dataclass(frozen=True)
class SearchIndex:
    """One database's search index: its statements (parameters ``article_id``, ``rank``, ``terms``),
    how terms are passed to them, and how it finds the entries holding terms."""

    add: TextClause
    """Index an article's terms under its rank."""
    remove: TextClause
    """Forget an article's terms (filed under ``rank``)."""
    stored: TextClause
    """An article's indexed terms, as ``add`` was given them (a scan on SQLite: for checks)."""
    as_parameter: Callable[[Collection[str]], Any]
    """Terms as the statements take them."""
    holding: Callable[[Collection[str]], Select[Any]]
    """The (``article_id``, ``rank``) of the entries holding every term, ready to be ordered by
    ``rank`` (a column of it, so the database walks its rank order)."""


def _fts5_query(wanted: Collection[str]) -> str:
    """An FTS5 query for rows holding every term: quoted strings (terms hold no quotes), ANDed."""
    return " ".join(f'"{term}"' for term in sorted(wanted))


_FTS5_TABLE = table(SEARCH_INDEX, column("rowid", BigInteger))
_PG_TABLE = table(SEARCH_INDEX, column("article_id", Integer), column("rank", BigInteger), column("terms", ARRAY(Text)))


def _fts5_holding(wanted: Collection[str]) -> Select[Any]:
    rowid = _FTS5_TABLE.c.rowid
    return select((rowid.op("&")(ID_MASK)).label("article_id"), rowid.label("rank")).where(
        literal_column(SEARCH_INDEX).op("MATCH")(_fts5_query(wanted))
    )


def _array_holding(wanted: Collection[str]) -> Select[Any]:
    index = _PG_TABLE
    return select(index.c.article_id, index.c.rank).where(index.c.terms.contains(sorted(wanted)))


SEARCH_INDEXES = {
    "sqlite": SearchIndex(
        add=text(f"INSERT INTO {SEARCH_INDEX} (rowid, terms) VALUES (:rank, :terms)"),
        remove=text(f"DELETE FROM {SEARCH_INDEX} WHERE rowid = :rank"),
        stored=text(f"SELECT terms FROM {SEARCH_INDEX} WHERE rowid & {ID_MASK} = :article_id"),
        as_parameter=" ".join,
        holding=_fts5_holding,
    ),
    "postgresql": SearchIndex(
        add=text(
            f"INSERT INTO {SEARCH_INDEX} (article_id, rank, terms) VALUES (:article_id, :rank, CAST(:terms AS text[]))"
        ),
        remove=text(f"DELETE FROM {SEARCH_INDEX} WHERE article_id = :article_id"),
        stored=text(f"SELECT array_to_string(terms, ' ') FROM {SEARCH_INDEX} WHERE article_id = :article_id"),
        as_parameter=list,
        holding=_array_holding,
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
    """Articles containing every piece of ``query``, newest first, ``limit`` of them after skipping
    ``offset``. The database does all of it: the index yields the entries holding every term in rank
    order, a phrase is checked against the headline and text of those entries only, and the page is
    cut as they come, so a common word reads one page of entries."""
    wanted = parse_query(query)
    if not wanted.terms:
        return []
    found = search_index(session).holding(wanted.terms)
    if wanted.phrases:
        entry = found.selected_columns
        found = found.join(Article.__table__, Article.id == entry.article_id).where(
            *(or_(_holds(Article.title, phrase), _holds(Article.text, phrase)) for phrase in wanted.phrases)
        )
    page = found.order_by(found.selected_columns.rank.desc()).limit(limit).offset(offset).subquery()
    statement = select(Article).join(page, Article.id == page.c.article_id).order_by(page.c.rank.desc())
    return list(session.scalars(statement))


def _holds(text_column: Any, phrase: str) -> Any:
    """``text_column`` contains ``phrase`` (lower-cased, as queries are). A phrase with no cased letter
    (课后服务, 2024) is looked for as it is: folding the case of each candidate's whole text first, as a
    case-blind match must, cost most of a phrase check."""
    if phrase.upper() == phrase:
        return text_column.contains(phrase, autoescape=True)
    return text_column.icontains(phrase, autoescape=True)
