"""Full-text search that works for Chinese without word segmentation, on any database, and reads only
the page of results it returns: an index of Chinese characters and character bigrams (教, 职教, 课后)
and lower-case words (literacy), one entry per article, kept beside the articles (the storage module
writes an article's entry with the article).

Each database holds an entry in its own natural structure. SQLite keeps the article's *index text*
(:func:`index_text`) in an FTS5 table with positions: the terms in the order the text has them, so that
a phrase (课后服务: the bigrams 课后 后服 服务 in a row) is found in the index itself, not by reading
candidates' texts (migration 0011). PostgreSQL keeps the set of terms in a ``text[]`` column with a GIN
index and checks phrases against the texts of the entries holding their terms (migration 0010).
Neither tokenises or folds a term further (FTS5's ``ascii`` tokenizer only splits on ASCII spaces and
punctuation, which no term contains, and folds only ASCII capitals, which no term has).

Results come newest first, and the order is the index's own: each entry is filed under a *rank*
(:func:`rank`) that sorts as the article list does (publication time, newest first, undated last,
then the newer id first). SQLite's FTS5 keeps the rank as the entry's rowid and walks a term's
entries from the highest rowid down, stopping after the page asked for, so a word held by most of a
million articles reads fifty entries, not a million; PostgreSQL keeps it in a column with a b-tree
index its planner can walk the same way."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Connection, Integer, Text, column, literal_column, or_, select, table, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import TextClause

from pipelines.models import Article
from pipelines.textform import CJK, normalize_text

CJK_RUN = re.compile(f"[{CJK}]+")
WORD = re.compile(rf"[^\W{CJK}_]{{2,}}")
#: The runs of a text that give index terms, in order: Chinese runs and words (a lone Latin letter or
#: digit gives none).
TERM_RUN = re.compile(rf"(?P<chinese>{CJK_RUN.pattern})|{WORD.pattern}")
#: Stands in the index text where two runs do not touch (a space or punctuation, or a lone letter or
#: digit, between them) and one of them is Chinese, so that no phrase is found across the gap. Two
#: words never need it: no query piece holds two words in a row. It is no term (it is neither a
#: letter, digit nor Chinese character, so no query asks for it), and FTS5's ``ascii`` tokenizer
#: keeps it as a token of its own, as it keeps every character outside ASCII.
BREAK = "\u00b7"
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


def _run_terms(match: re.Match[str]) -> list[str]:
    """The terms of one run :data:`TERM_RUN` found, in order: a Chinese run's bigrams (a one-character
    run is its own term), a word lower-cased (cut to ``MAX_TERM``)."""
    run = match.group()
    if match.lastgroup != "chinese":
        return [run.lower()[:MAX_TERM]]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_text(text: str) -> str:
    """What the index holds for a text: its terms in the text's order, space-separated, with
    :data:`BREAK` where a gap parts two runs and one of them is Chinese, then a ``BREAK`` and every
    character of the longer Chinese runs, so that a one-character query (教) finds the articles where
    it stands inside a longer run (教育). Its terms, as a set, are :func:`terms`."""
    sequence: list[str] = []
    characters: set[str] = set()
    end, chinese_before = 0, False
    for match in TERM_RUN.finditer(text):
        run, chinese = match.group(), match.lastgroup == "chinese"
        if sequence and match.start() > end and (chinese or chinese_before):
            sequence.append(BREAK)
        sequence.extend(_run_terms(match))
        if chinese and len(run) > 1:
            characters.update(run)
        end, chinese_before = match.end(), chinese
    if characters:
        sequence += [BREAK, *sorted(characters)]
    return " ".join(sequence)


def terms(text: str) -> set[str]:
    """Index terms of a text: every character and every two-character window of each Chinese run, and
    every word of two or more letters or digits, lower-cased."""
    return set(index_text(text).split()) - {BREAK}


def piece_terms(piece: str) -> set[str]:
    """The terms an article must hold to contain ``piece`` (a run of letters, digits and Chinese
    characters): a lone Chinese character itself, a longer run's bigrams, its words. Empty when the
    piece is too short to be looked up (one Latin letter or digit)."""
    return {term for match in TERM_RUN.finditer(piece) for term in _run_terms(match)}


def _sequence(piece: str) -> tuple[str, ...] | None:
    """The terms that stand in a row in an index text exactly where ``piece`` occurs in the text:
    none when a lone letter or digit, which gives no term, or a word longer than ``MAX_TERM`` is part
    of it, or when the piece begins or ends with one Chinese character beside a word (2024年, 行2025):
    in the text that character may open or close a longer run (2024年江西, 举行2025), where the index
    has it only inside a bigram. The index cannot tell then; the text is read instead."""
    runs = list(TERM_RUN.finditer(piece))
    if len(runs) > 1 and any(run.lastgroup == "chinese" and len(run.group()) == 1 for run in (runs[0], runs[-1])):
        return None
    found: list[str] = []
    end = 0
    for match in runs:
        if match.start() != end or len(match.group()) > MAX_TERM:
            return None
        found += _run_terms(match)
        end = match.end()
    return tuple(found) if end == len(piece) else None


@dataclass(frozen=True)
class Phrase:
    """A piece of a query that its terms alone do not prove present as written (课后服务: its bigrams
    may occur apart; 5g网络)."""

    text: str
    """The piece, lower-cased: the article's headline or text must contain it."""
    sequence: tuple[str, ...] | None
    """Its terms in a row, which an index that keeps positions finds instead of reading the text."""


@dataclass(frozen=True)
class SearchQuery:
    """What a query asks of an article."""

    terms: frozenset[str]
    """Every index term the article must hold."""
    phrases: tuple[Phrase, ...]
    """Pieces the article must contain as written."""


def parse_query(query: str) -> SearchQuery:
    """The terms and phrases of ``query``, in the form stored texts take (full-width ＬＩＴＥＲＡＣＹ and
    ２０２４ are the text's literacy and 2024). Spaces and punctuation only separate pieces, and a piece
    that has no term (one Latin letter or digit) asks nothing."""
    wanted: set[str] = set()
    phrases: dict[str, Phrase] = {}
    for piece in QUERY_PIECE.findall(normalize_text(query).lower()):
        found = piece_terms(piece)
        wanted |= found
        if found and found != {piece}:
            phrases.setdefault(piece, Phrase(piece, _sequence(piece)))
    return SearchQuery(frozenset(wanted), tuple(phrases.values()))


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


def indexed_articles(connection: Connection, chunk: int = 1000) -> Iterator[list[tuple[int, datetime | None, str]]]:
    """The (id, publication time, headline and text) of every stored article, ``chunk`` at a time in
    id order: what a migration that rebuilds the index files, and under which rank."""
    from pipelines.models import UTCDateTime

    articles = table("articles", column("id"), column("title"), column("text"), column("published_at", UTCDateTime))
    last = 0
    while True:
        query = select(articles.c.id, articles.c.published_at, articles.c.title, articles.c.text)
        rows = connection.execute(query.where(articles.c.id > last).order_by(articles.c.id).limit(chunk)).all()
        if not rows:
            return
        yield [(article_id, published, title + "\n" + text) for article_id, published, title, text in rows]
        last = rows[-1][0]


def is_search_index(table: str) -> bool:
    """Whether ``table`` belongs to the search index, which migrations make per database rather than
    the models declare (schema comparisons leave it out)."""
    return table == SEARCH_INDEX or table.startswith(SEARCH_INDEX + "_")


@dataclass(frozen=True)
class SearchIndex:
    """One database's search index: its statements (parameters ``article_id``, ``rank``, ``terms``),
    how an article's index text is passed to them, and how it finds the entries a query asks for."""

    add: TextClause
    """Index an article's index text under its rank."""
    remove: TextClause
    """Forget an article's entry (filed under ``rank``)."""
    stored: TextClause
    """An article's entry as space-separated terms (a scan on SQLite: for checks)."""
    as_parameter: Callable[[str], Any]
    """An index text as the statements take it."""
    holding: Callable[[SearchQuery], Select[Any]]
    """The (``article_id``, ``rank``) of the entries holding every term of a query, and each phrase
    the index finds itself (``finds_sequences``), ready to be ordered by ``rank`` (a column of it, so
    the database walks its rank order)."""
    finds_sequences: bool
    """Whether the index knows where terms stand, and so finds a phrase's sequence of terms itself."""


def _fts5_query(wanted: SearchQuery) -> str:
    """An FTS5 query for rows holding every term and every phrase sequence: quoted strings (terms hold
    no quotes), ANDed; a quoted string of several terms is a phrase, its terms in a row. A term of a
    sequence is not asked for alone as well."""
    sequences = [phrase.sequence for phrase in wanted.phrases if phrase.sequence]
    alone = wanted.terms.difference(*sequences)
    return " ".join([*(f'"{term}"' for term in sorted(alone)), *('"' + " ".join(found) + '"' for found in sequences)])


_FTS5_TABLE = table(SEARCH_INDEX, column("rowid", BigInteger))
_PG_TABLE = table(SEARCH_INDEX, column("article_id", Integer), column("rank", BigInteger), column("terms", ARRAY(Text)))


def _fts5_holding(wanted: SearchQuery) -> Select[Any]:
    rowid = _FTS5_TABLE.c.rowid
    return select((rowid.op("&")(ID_MASK)).label("article_id"), rowid.label("rank")).where(
        literal_column(SEARCH_INDEX).op("MATCH")(_fts5_query(wanted))
    )


def _array_holding(wanted: SearchQuery) -> Select[Any]:
    index = _PG_TABLE
    return select(index.c.article_id, index.c.rank).where(index.c.terms.contains(sorted(wanted.terms)))


def _term_array(indexed: str) -> list[str]:
    """The terms of an index text, without its order: what PostgreSQL's array holds."""
    return sorted(set(indexed.split()) - {BREAK})


SEARCH_INDEXES = {
    "sqlite": SearchIndex(
        add=text(f"INSERT INTO {SEARCH_INDEX} (rowid, terms) VALUES (:rank, :terms)"),
        remove=text(f"DELETE FROM {SEARCH_INDEX} WHERE rowid = :rank"),
        stored=text(f"SELECT terms FROM {SEARCH_INDEX} WHERE rowid & {ID_MASK} = :article_id"),
        as_parameter=str,
        holding=_fts5_holding,
        finds_sequences=True,
    ),
    "postgresql": SearchIndex(
        add=text(
            f"INSERT INTO {SEARCH_INDEX} (article_id, rank, terms) VALUES (:article_id, :rank, CAST(:terms AS text[]))"
        ),
        remove=text(f"DELETE FROM {SEARCH_INDEX} WHERE article_id = :article_id"),
        stored=text(f"SELECT array_to_string(terms, ' ') FROM {SEARCH_INDEX} WHERE article_id = :article_id"),
        as_parameter=_term_array,
        holding=_array_holding,
        finds_sequences=False,
    ),
}


def search_index(session: Session) -> SearchIndex:
    """The search index of the session's database."""
    return SEARCH_INDEXES[session.get_bind().dialect.name]


def indexed_terms(session: Session, article_id: int) -> set[str]:
    """The terms the index holds for an article (none when it is not indexed)."""
    index = search_index(session)
    stored = session.execute(index.stored, {"article_id": article_id}).scalar_one_or_none()
    return set(stored.split()) - {BREAK} if stored else set()


def search_articles(session: Session, query: str, *, limit: int = 50, offset: int = 0) -> list[Article]:
    """Articles containing every piece of ``query``, newest first, ``limit`` of them after skipping
    ``offset``. The database does all of it: the index yields the entries holding every term (and,
    where it keeps positions, every phrase) in rank order, a phrase the index cannot find is checked
    against the headline and text of those entries only, and the page is cut as they come, so a
    common word reads one page of entries."""
    wanted = parse_query(query)
    if not wanted.terms:
        return []
    index = search_index(session)
    found = index.holding(wanted)
    unchecked = [phrase.text for phrase in wanted.phrases if not (index.finds_sequences and phrase.sequence)]
    if unchecked:
        entry = found.selected_columns
        found = found.join(Article.__table__, Article.id == entry.article_id).where(
            *(or_(_holds(Article.title, phrase), _holds(Article.text, phrase)) for phrase in unchecked)
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
