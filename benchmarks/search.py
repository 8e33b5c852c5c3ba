"""Search latency at 10k, 100k and 1M stored articles, on SQLite and PostgreSQL.

Run: python benchmarks/search.py [--sizes 10000,100000,1000000] [--postgres [--postgres-sizes 10000,100000]]
                                 [--queries 50] [--repeat 3] [--before-up-to 100000] [--folder DIR]

Each size is a fresh database, migrated by edunews and then filled raw (set-up, not measured) with
articles made at run time from the devset's article texts (``../shared/devset`` or
``$EDUNEWS_DEVSET``): four in five of them Chinese, each 3 to 9 paragraphs drawn from the Chinese or
the other texts with a headline from one of them, published at a random second of 2015 to 2026 (half
of them on a date alone, at midnight Beijing time; one in twenty undated). Search index entries are
the ones edunews writes (index text, ``rank``), worked out in two processes and written in rank order.

Queries are drawn from the same texts: a Chinese character, two and four characters, an English
word, an eight-character Chinese phrase, and three characters whose two bigrams come from different
texts: both common, the three in a row rare or absent (the slowest kind: on PostgreSQL every
candidate's text is read until a page is found; SQLite's index finds the phrase itself). Every
query runs ``--repeat`` times through ``search_articles`` with a page of 50 (the web page's), after a
warm-up pass; p50/p99/max are over all runs of the kind. Up to ``--before-up-to`` articles the
first way is timed beside it, kind by kind, each query once: every article holding the terms
loaded, ordered, then phrase-checked and cut in Python; it must return the same page. Goal: p99 at
most ``GOAL_P99_MS`` on SQLite at every size.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dedupe_cases import Base, load_bases  # noqa: E402
from ingest import ARTICLE_COLUMNS, INSERT_ARTICLE, article_row, as_stored  # noqa: E402
from serve import percentile  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from pipelines.db import make_engine, open_database  # noqa: E402
from pipelines.models import Article  # noqa: E402
from pipelines.search import (  # noqa: E402
    CJK_RUN,
    SEARCH_INDEXES,
    WORD,
    SearchQuery,
    index_text,
    parse_query,
    rank,
    search_articles,
    search_index,
)

DEFAULT_DEVSET = Path(os.environ.get("EDUNEWS_DEVSET", ROOT.parent / "shared" / "devset"))
GOAL_P99_MS = 50.0
PAGE = 50
CHINESE_SHARE = 0.8
UNDATED_SHARE = 0.05
DATE_ONLY_SHARE = 0.5
PARAGRAPHS = (3, 9)
FIRST_DAY = datetime(2015, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 12 * 365 * 86400
BEIJING = timedelta(hours=8)
#: Articles generated, indexed and written per chunk, and chunks worked out ahead of the writer.
CHUNK = 20_000
IN_FLIGHT = 3
KINDS: dict[str, Callable[[random.Random, list[Base], list[Base]], str]] = {}


@dataclass(frozen=True)
class Corpus:
    chinese: list[Base]
    other: list[Base]


_CORPUS: Corpus | None = None


def corpus(devset: Path) -> Corpus:
    """The devset's article texts, Chinese and other (cached: worker processes load it once)."""
    global _CORPUS
    if _CORPUS is None:
        bases = load_bases(devset)
        _CORPUS = Corpus([b for b in bases if b.chinese], [b for b in bases if not b.chinese])
    return _CORPUS


def article(devset: Path, index: int) -> tuple[str, str, datetime | None]:
    """Headline, text and publication time of generated article ``index`` (the same on every call)."""
    texts = corpus(devset)
    rng = random.Random(index)
    pool = texts.chinese if rng.random() < CHINESE_SHARE else texts.other
    paragraphs = [rng.choice(rng.choice(pool).paragraphs) for _ in range(rng.randint(*PARAGRAPHS))]
    title = rng.choice(pool).title
    if rng.random() < UNDATED_SHARE:
        return title, "\n".join(paragraphs), None
    moment = FIRST_DAY + timedelta(seconds=rng.randrange(SPAN_SECONDS))
    if rng.random() < DATE_ONLY_SHARE:  # a date alone: midnight in Beijing
        moment = (moment + BEIJING).replace(hour=0, minute=0, second=0) - BEIJING
    return title, "\n".join(paragraphs), moment


def published(devset: Path, start: int, stop: int) -> list[datetime | None]:
    return [article(devset, index)[2] for index in range(start, stop)]


def entries(devset: Path, indexes: list[int]) -> list[tuple[int, int, str]]:
    """(article id, rank, index text) of generated articles: ids are ``index + 1``. One string per
    article: a million lists of 700 strings would not fit in memory."""
    found = []
    for index in indexes:
        title, text, moment = article(devset, index)
        found.append((index + 1, rank(moment, index + 1), index_text(title + "\n" + text)))
    return found


def article_rows(devset: Path, start: int, stop: int, stored: Callable[[str, Any], Any]) -> Iterator[tuple[Any, ...]]:
    """``articles`` rows of generated articles ``start`` to ``stop``, values as ``stored`` gives them."""
    stamp, empty = stored("first_seen", datetime(2026, 12, 1, tzinfo=UTC)), stored("paragraphs", [])
    for index in range(start, stop):
        title, text, moment = article(devset, index)
        yield article_row(index, title, text, stamp, empty, published_at=stored("published_at", moment))


def rank_order(devset: Path, size: int, pool: ProcessPoolExecutor) -> list[int]:
    """Article indexes in rank order: the index is written in its own order, as a crawl of new
    articles mostly writes it."""
    starts = range(0, size, CHUNK)
    moments: list[datetime | None] = []
    for chunk in pool.map(published, [devset] * len(starts), starts, [min(size, start + CHUNK) for start in starts]):
        moments.extend(chunk)
    return sorted(range(size), key=lambda index: rank(moments[index], index + 1))


def indexed_chunks(devset: Path, order: list[int], pool: ProcessPoolExecutor) -> Iterator[list[tuple[int, int, str]]]:
    """:func:`entries` of ``order``'s articles chunk by chunk, worked out in ``pool`` a few chunks
    ahead of the writer (not all at once: the results would wait in memory)."""
    ahead: deque[Future[list[tuple[int, int, str]]]] = deque()
    for start in range(0, len(order), CHUNK):
        ahead.append(pool.submit(entries, devset, order[start : start + CHUNK]))
        if len(ahead) > IN_FLIGHT:
            yield ahead.popleft().result()
    while ahead:
        yield ahead.popleft().result()


def progress(message: str) -> None:
    print(f"\r\033[K{message}", end="" if message else "", file=sys.stderr, flush=True)


def fill_sqlite(db: Path, devset: Path, size: int, pool: ProcessPoolExecutor) -> None:
    """A migrated SQLite file holding ``size`` generated articles and their index entries."""
    open_database(str(db))
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA synchronous=OFF")  # set-up: a crash would only mean a rerun
    connection.execute("PRAGMA cache_size=-524288")
    for start in range(0, size, CHUNK):
        connection.executemany(INSERT_ARTICLE, article_rows(devset, start, min(size, start + CHUNK), as_stored))
        connection.commit()
        progress(f"articles {min(size, start + CHUNK):,}/{size:,}")
    done = 0
    for chunk in indexed_chunks(devset, rank_order(devset, size, pool), pool):
        rows = ((ranked, found) for _, ranked, found in chunk)
        connection.executemany("INSERT INTO search_index (rowid, terms) VALUES (?, ?)", rows)
        connection.commit()
        done += len(chunk)
        progress(f"index entries {done:,}/{size:,}")
    connection.close()
    progress("")


def fill_postgresql(url: str, devset: Path, size: int, pool: ProcessPoolExecutor) -> None:
    """A migrated PostgreSQL database holding ``size`` generated articles and their index entries."""
    import json

    import psycopg

    def stored(column: str, value: Any) -> Any:
        return json.dumps(value) if isinstance(value, list) else value

    open_database(url)
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as connection:
        for start in range(0, size, CHUNK):
            with connection.cursor().copy(f"COPY articles ({', '.join(ARTICLE_COLUMNS)}) FROM STDIN") as copy:
                for row in article_rows(devset, start, min(size, start + CHUNK), stored):
                    copy.write_row(row)
            progress(f"articles {min(size, start + CHUNK):,}/{size:,}")
        done = 0
        for chunk in indexed_chunks(devset, rank_order(devset, size, pool), pool):
            with connection.cursor().copy("COPY search_index (article_id, rank, terms) FROM STDIN") as copy:
                for article_id, ranked, found in chunk:  # terms as an array literal (no term holds a quote)
                    held = SEARCH_INDEXES["postgresql"].as_parameter(found)
                    copy.write_row((article_id, ranked, "{" + ",".join(f'"{term}"' for term in held) + "}"))
            done += len(chunk)
            progress(f"index entries {done:,}/{size:,}")
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")
    progress("")


def _window(rng: random.Random, texts: list[Base], length: int) -> str:
    """A run of ``length`` Chinese characters from a random paragraph (drawn again until one has it)."""
    while True:
        runs = [run for run in CJK_RUN.findall(rng.choice(rng.choice(texts).paragraphs)) if len(run) >= length]
        if runs:
            run = rng.choice(runs)
            start = rng.randrange(len(run) - length + 1)
            return run[start : start + length]


def _bigrams_apart(rng: random.Random, chinese: list[Base], other: list[Base]) -> str:
    """Three characters whose two bigrams come from different texts (one ending with the character
    the other starts with): both are held by many articles, the three in a row by few or none, so
    the phrase check reads every candidate's text until it has a page."""
    first = _window(rng, chinese, 2)
    while True:
        second = _window(rng, chinese, 2)
        if second[0] == first[1] and second != first:
            return first + second[1]


def _english_word(rng: random.Random, chinese: list[Base], other: list[Base]) -> str:
    while True:
        words = [word for word in WORD.findall(rng.choice(rng.choice(other).paragraphs)) if len(word) >= 4]
        if words:
            return rng.choice(words)


KINDS.update(
    {
        "1 character": lambda rng, chinese, other: _window(rng, chinese, 1),
        "2 characters": lambda rng, chinese, other: _window(rng, chinese, 2),
        "4 characters": lambda rng, chinese, other: _window(rng, chinese, 4),
        "English word": _english_word,
        "phrase (8 characters)": lambda rng, chinese, other: _window(rng, chinese, 8),
        "3 chars, bigrams apart": _bigrams_apart,
    }
)


def queries(devset: Path, count: int) -> dict[str, list[str]]:
    texts = corpus(devset)
    rng = random.Random(20)
    return {kind: [draw(rng, texts.chinese, texts.other) for _ in range(count)] for kind, draw in KINDS.items()}


def every_candidate(session: Session, query: str, *, limit: int = PAGE, offset: int = 0) -> list[Article]:
    """The first search, for comparison: every article holding the query's terms loaded and
    ordered, then phrase-checked and cut in Python."""
    wanted = parse_query(query)
    if not wanted.terms:
        return []
    holding = search_index(session).holding(SearchQuery(wanted.terms, ())).subquery()
    statement = (
        select(Article)
        .where(Article.id.in_(select(holding.c.article_id)))
        .order_by(Article.published_at.is_(None), Article.published_at.desc(), Article.id.desc())
    )
    matches = [
        found
        for found in session.scalars(statement)
        if all(phrase.text in (found.title + "\n" + found.text).lower() for phrase in wanted.phrases)
    ]
    return matches[offset : offset + limit]


def timed(search: Callable[..., list[Article]], session: Session, query: str) -> tuple[float, float, list[int]]:
    """Milliseconds of wall time and of this thread's CPU time (SQLite works in it; other programs on
    a busy machine only lengthen the wall time) a search took, and the ids it found."""
    started, cpu = time.perf_counter(), time.thread_time()
    found = search(session, query, limit=PAGE)
    elapsed, cpu = (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000
    ids = [article.id for article in found]
    session.expunge_all()
    return elapsed, cpu, ids


def measure(url: str, asked: dict[str, list[str]], repeat: int, before: bool) -> dict[str, dict[str, Any]]:
    """Per kind: timings of ``search_articles`` (and of the first way with ``before``), hits."""
    figures: dict[str, dict[str, Any]] = {}
    engine = make_engine(url, read_only=url.startswith("sqlite"), kept=1)
    with Session(engine) as session:
        for kind, kind_queries in asked.items():
            for query in kind_queries:  # warm-up
                timed(search_articles, session, query)
            now: list[float] = []
            cpu: list[float] = []
            pages: dict[str, list[int]] = {}
            for _ in range(repeat):
                for query in kind_queries:
                    elapsed, used, pages[query] = timed(search_articles, session, query)
                    now.append(elapsed)
                    cpu.append(used)
            then: list[float] = []
            for query in kind_queries if before else ():  # once each: it is slow, and must find the same
                elapsed, _, previous = timed(every_candidate, session, query)
                then.append(elapsed)
                assert previous == pages[query], f"{query!r}: {previous[:5]} != {pages[query][:5]}"
            hits = [len(pages[query]) for query in kind_queries]
            figures[kind] = {"now": now, "cpu": cpu, "then": then, "hits": hits}
    engine.dispose()
    return figures


def report(database: str, size: int, fill_seconds: float, disk: str, figures: dict[str, dict[str, Any]]) -> None:
    load = " / ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"\n{database}, {size:,} articles (filled in {fill_seconds:.0f} s{disk}; load average {load})")
    print(f"  {'query kind':<24}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'CPU p99':>9}{'hits':>7}", end="")
    print(f"{'before p50':>12}{'before p99':>12}")
    for kind, found in figures.items():
        now, then = found["now"], found["then"]
        line = f"  {kind:<24}{percentile(now, 0.5):>9.2f}{percentile(now, 0.99):>9.2f}{max(now):>9.2f}"
        line += f"{percentile(found['cpu'], 0.99):>9.2f}{sum(found['hits']) / len(found['hits']):>7.1f}"
        if then:
            line += f"{percentile(then, 0.5):>12.2f}{percentile(then, 0.99):>12.2f}"
        print(line, flush=True)


def sizes_of(value: str) -> list[int]:
    return sorted(int(size) for size in value.split(",") if size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes_of, default=[10_000, 100_000, 1_000_000], help="SQLite store sizes")
    parser.add_argument("--postgres", action="store_true", help="also on a throw-away PostgreSQL server")
    parser.add_argument("--postgres-sizes", type=sizes_of, default=[10_000, 100_000], help="PostgreSQL store sizes")
    parser.add_argument("--queries", type=int, default=50, help="queries per kind")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query (after one warm-up run)")
    parser.add_argument("--before-up-to", type=int, default=100_000, help="largest size the first way is timed at")
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET, help="the devset folder")
    parser.add_argument("--folder", type=Path, default=None, help="where the databases go (a temporary folder)")
    args = parser.parse_args()
    if not args.devset.is_dir():
        parser.error(f"{args.devset}: no such folder (set EDUNEWS_DEVSET or --devset)")
    asked = queries(args.devset, args.queries)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="edunews-search-", dir=args.folder)))
        pool = stack.enter_context(ProcessPoolExecutor(2))
        for size in args.sizes:
            db = folder / f"search-{size}.sqlite"
            started = time.perf_counter()
            fill_sqlite(db, args.devset, size, pool)
            seconds = time.perf_counter() - started
            disk = f", {db.stat().st_size / 1e9:.2f} GB"
            report(
                "SQLite", size, seconds, disk, measure(f"sqlite:///{db}", asked, args.repeat, size <= args.before_up_to)
            )
            db.unlink()
        if args.postgres:
            from postgres import PostgresServer

            server = stack.enter_context(PostgresServer())
            for size in args.postgres_sizes:
                url = server.create_database(f"search_{size}")
                started = time.perf_counter()
                fill_postgresql(url, args.devset, size, pool)
                seconds = time.perf_counter() - started
                figures = measure(url, asked, args.repeat, size <= args.before_up_to)
                report("PostgreSQL", size, seconds, "", figures)
    print(f"\ngoal: p99 <= {GOAL_P99_MS:.0f} ms on SQLite for every kind at every size")


if __name__ == "__main__":
    main()
