"""Ingestion speed and near-duplicate lookup time against a large store.

Run: python benchmarks/ingest.py [--articles N] [--sizes 10000,1000000] [--probes N]

1. Stores N synthetic articles through the full pipeline chain (validate, normalise, dedupe, store)
   into a fresh SQLite file, fed as a replay feeds them (normalising and keys in worker processes,
   ``EDUNEWS_WORKER_PROCESSES``): articles/second, against the goal of ``GOAL_RATE``.
2. Fills a store to each size, then times the near-duplicate lookup (band index query + signature
   comparison) for probes that are reposts of stored articles and for probes that are new, and shows
   the query plan of the band lookup. Goal: a lookup in the largest store takes at most
   ``GOAL_SLOWDOWN`` times as long as in the smallest.

The fill is set-up, not measured, and writes raw rows with ``executemany`` in a child process
(progress on stderr). The articles the repost probes copy are real synthetic articles with their real
signatures and band rows. Every other article is filler: a text cut from a random one, and a random
signature with random band buckets. For the band index that is what unrelated texts give (their
MinHash values, hence their buckets, are uniform and never shared), and it spares signing a million
texts, which would take this 2-core machine about ten minutes. The band rows of a fill are written in
bucket order, the order of the index, and its by-article index is rebuilt after them.

Each size is probed twice. The ``first`` pass finds the band index as the fill left it: at a million
articles it is 1.4 GB, and this VM's kernel soon reclaims file pages nobody reads, so most of the 64
leaf pages a lookup reads come from disk. The ``repeat`` pass asks the same lookups again, their pages
now in memory: a long-running crawler whose page cache holds the band index. A lookup is 64 searches
of the index's primary key (the query plan is printed): its cost grows with the depth of the tree (the
logarithm of the number of rows) and with whether its pages are in memory, never in step with the
number of articles.

Prints peak memory (max RSS) at the end: of this process, and of the fill apart. Everything stays in a
temporary folder on this machine.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy.dialects import sqlite  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from synthetic import CHARACTER_POOL, synthetic_article  # noqa: E402

from crawler.config import project_settings  # noqa: E402
from crawler.workers import default_processes  # noqa: E402
from pipelines.db import open_database  # noqa: E402
from pipelines.dedupe import text_fingerprint  # noqa: E402
from pipelines.ingest import Ingestor  # noqa: E402
from pipelines.models import Article  # noqa: E402
from pipelines.neardup import BANDS, NUM_PERM, band_buckets, signature  # noqa: E402
from pipelines.storage import BAND_CANDIDATES, near_duplicate_candidates  # noqa: E402

GOAL_RATE = 500
GOAL_SLOWDOWN = 2.0
#: Each store size is probed twice with the same texts (see the module's docstring).
PASSES = {
    "first": "index pages as the fill left them",
    "repeat": "index pages in memory",
}
NOW = datetime(2026, 11, 29, tzinfo=UTC)
#: Articles written per fill transaction; band rows per ``executemany`` once sorted.
FILL_CHUNK = 50_000
BAND_CHUNK = 1_000_000
#: Filler texts are windows of one random text, about as long as a synthetic article's.
FILLER_TEXT_CHARS = 273
FILLER_SOURCE_CHARS = 1_000_000
#: Shingle counts of filler signatures, around a synthetic article's.
FILLER_SHINGLES = (250, 300)
#: The fill's SQLite page cache: the article indexes it updates stay in memory.
FILL_CACHE_KIB = 512 * 1024
#: Probes that are new texts come from synthetic articles far past any store size.
FRESH_PROBE_START = 10_000_000
WARM_UP_TEXT = "教育部召开新闻发布会，介绍职业教育活动周有关情况。"
ARTICLE_COLUMNS = [column.name for column in Article.__table__.columns]
INSERT_ARTICLE = f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})"
INSERT_BAND = "INSERT INTO minhash_bands (bucket, band, article_id) VALUES (?, ?, ?)"


def store_through_pipelines(db: Path, count: int, processes: int) -> float:
    """Articles per second through the whole chain with ``processes`` workers, batch size as configured."""
    items = [synthetic_article(index, seed=3) for index in range(count)]
    ingestor = Ingestor(project_settings({"EDUNEWS_DB": str(db), "EDUNEWS_WORKER_PROCESSES": processes}))
    started = time.perf_counter()
    with ingestor:
        ingestor.feed(items)
    elapsed = time.perf_counter() - started
    assert ingestor.stats.get_value("edunews/articles/new") == count
    return count / elapsed


def repost_targets(size: int, reposts: int) -> list[int]:
    """The stored articles the repost probes copy, spread over the store."""
    return list(range(0, size, max(1, size // reposts)))[:reposts]


def repost_of(index: int) -> str:
    """A stored article as another site reposts it: a new headline prefix, one paragraph dropped."""
    article = synthetic_article(index, seed=5)
    return "转载：" + article.title + "\n" + "\n".join(article.paragraphs[:-1]) + "\n更多内容请关注本站。"


def as_stored(column: str, value: Any) -> Any:
    """``value`` as SQLAlchemy stores it in ``articles.<column>`` on SQLite: the fill bypasses it."""
    dialect = sqlite.dialect()
    process = Article.__table__.c[column].type.dialect_impl(dialect).bind_processor(dialect)
    return process(value) if process else value


def article_row(index: int, title: str, text: str, stamp: Any, empty: Any, **values: Any) -> tuple[Any, ...]:
    """An ``articles`` row written raw (id ``index + 1``), in ``ARTICLE_COLUMNS`` order: ``stamp`` in
    every time column and ``empty`` in every list column as stored (see :func:`as_stored`), ``values``
    for other columns or instead of the defaults."""
    url = f"http://fill.example-edu.cn/{index}.html"
    row = {
        "id": index + 1,
        "url": url,
        "canonical_url": url,
        "title": title,
        "text": text,
        "site": "fill.example-edu.cn",
        "extractor_version": "bench",
        "fingerprint": text_fingerprint(text),
        "minhash": b"",
        "shingle_count": 0,
        **dict.fromkeys(("paragraphs", "authors", "editors", "keywords", "images", "removed"), empty),
        **dict.fromkeys(("first_seen", "last_seen", "updated_at"), stamp),
        **values,
    }
    return tuple(row.get(column) for column in ARTICLE_COLUMNS)


class Filler:
    """Writes articles ``start`` to ``stop`` (ids ``index + 1``) and their band rows, raw."""

    def __init__(self, db: Path, start: int, stop: int, real: set[int]) -> None:
        self.start, self.stop = start, stop
        self.real = {index for index in real if start <= index < stop}
        self.rng = np.random.default_rng(start)
        pool = np.array(list(CHARACTER_POOL))
        self.source = "".join(self.rng.choice(pool, FILLER_SOURCE_CHARS))
        self.buckets = np.empty((stop - start, BANDS), dtype=np.int64)
        self.connection = sqlite3.connect(db)
        self.connection.execute("PRAGMA synchronous=OFF")  # set-up: a crash would only mean a rerun
        self.connection.execute(f"PRAGMA cache_size=-{FILL_CACHE_KIB}")
        self.stamp, self.empty = as_stored("first_seen", NOW), as_stored("paragraphs", [])

    def run(self) -> None:
        """Articles chunk by chunk, then every band row in bucket order, then the by-article index
        (dropped meanwhile: filled in bucket order it would take one random write per row)."""
        [(article_index,)] = self.connection.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'ix_minhash_bands_article'"
        ).fetchall()
        self.connection.execute("DROP INDEX ix_minhash_bands_article")
        for chunk_start in range(self.start, self.stop, FILL_CHUNK):
            self._write_articles(chunk_start, min(self.stop, chunk_start + FILL_CHUNK))
        self._write_bands()
        _progress("indexing band rows by article")
        self.connection.execute(article_index)
        self.connection.commit()
        self.connection.close()
        _progress("")

    def _write_articles(self, chunk_start: int, chunk_stop: int) -> None:
        count = chunk_stop - chunk_start
        hashvalues = self.rng.integers(0, 2**32, (count, NUM_PERM), dtype=np.uint32).astype("<u4")
        sizes = self.rng.integers(*FILLER_SHINGLES, count).tolist()
        self.buckets[chunk_start - self.start : chunk_stop - self.start] = self.rng.integers(
            0, 2**63, (count, BANDS), dtype=np.int64
        )
        rows = []
        for offset, index in enumerate(range(chunk_start, chunk_stop)):
            if index in self.real:
                rows.append(self._real_row(index))
                continue
            window = (index * 7919) % (FILLER_SOURCE_CHARS - FILLER_TEXT_CHARS)
            text = self.source[window : window + FILLER_TEXT_CHARS]
            rows.append(self._row(index, f"填充文章第{index}号", text, hashvalues[offset].tobytes(), sizes[offset]))
        self.connection.executemany(INSERT_ARTICLE, rows)
        self.connection.commit()
        _progress(f"filling the store: {chunk_stop:,} articles")

    def _real_row(self, index: int) -> tuple[Any, ...]:
        """A synthetic article with its own signature and band buckets: what a repost probe finds."""
        article = synthetic_article(index, seed=5)
        sig = signature(article.title + "\n" + article.text)
        self.buckets[index - self.start] = [bucket for _, bucket in band_buckets(sig)]
        return self._row(index, article.title, article.text, sig.to_bytes(), sig.size)

    def _row(self, index: int, title: str, text: str, minhash: bytes, size: int) -> tuple[Any, ...]:
        """An ``articles`` row, values in ``ARTICLE_COLUMNS`` order."""
        return article_row(index, title, text, self.stamp, self.empty, minhash=minhash, shingle_count=size)

    def _write_bands(self) -> None:
        """Every band row of the fill in the band index's own order (bucket first), so the index
        grows at its end instead of taking a random write per row."""
        flat = self.buckets.ravel()
        order = np.argsort(flat, kind="stable")
        for piece in range(0, len(order), BAND_CHUNK):
            positions = order[piece : piece + BAND_CHUNK]
            rows = zip(
                flat[positions].tolist(),
                (positions % BANDS).tolist(),
                (positions // BANDS + self.start + 1).tolist(),
                strict=True,
            )
            self.connection.executemany(INSERT_BAND, rows)
            self.connection.commit()
            _progress(f"band rows: {min(len(order), piece + BAND_CHUNK):,} of {len(order):,}")


def _fill(db: Path, start: int, stop: int, real: set[int]) -> None:
    Filler(db, start, stop, real).run()


def _progress(message: str) -> None:
    print(f"\r  {message:<60}", end="" if message else "\r", file=sys.stderr, flush=True)


def fill_store(db: Path, start: int, stop: int, real: set[int]) -> float:
    """Add articles ``start``..``stop`` in a child process (its memory is the set-up's, not the
    benchmark's); the seconds it took."""
    open_database(str(db)).kw["bind"].dispose()  # the schema, migrated
    started = time.perf_counter()
    child = multiprocessing.get_context("spawn").Process(target=_fill, args=(db, start, stop, real))
    child.start()
    child.join()
    if child.exitcode:
        raise SystemExit(f"the fill failed (exit {child.exitcode})")
    return time.perf_counter() - started


def time_lookups(db: Path, texts: list[str]) -> tuple[list[float], list[int], int, str]:
    """Milliseconds per lookup, candidates per lookup, how many lookups found a duplicate, and the
    band lookup's query plan."""
    engine = open_database(str(db)).kw["bind"]
    timings, candidate_counts, found = [], [], 0
    with Session(engine) as session:
        # Untimed: the first lookup of a process connects and compiles its statements.
        near_duplicate_candidates(session, signature(WARM_UP_TEXT))
        for text in texts:
            probe = signature(text)
            started = time.perf_counter()
            candidates = near_duplicate_candidates(session, probe)
            matched = bool(candidates.duplicates(probe))
            timings.append((time.perf_counter() - started) * 1000)
            candidate_counts.append(len(candidates))
            found += matched
        plan = band_lookup_plan(session, texts[0])
    engine.dispose()
    return timings, candidate_counts, found, plan


def band_lookup_plan(session: Session, text: str) -> str:
    """SQLite's EXPLAIN QUERY PLAN of the band lookup, as near_duplicate_candidates runs it."""
    buckets = {f"bucket{band}": bucket for band, bucket in band_buckets(signature(text))}
    compiled = BAND_CANDIDATES.compile(dialect=session.get_bind().dialect)
    values = tuple(buckets[name] for name in compiled.positiontup or ())  # each band table binds them
    rows = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + compiled.string, values)
    return "; ".join(detail for *_, detail in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000, help="articles stored through the pipelines")
    parser.add_argument("--sizes", default="10000,1000000", help="store sizes for the lookup timing")
    parser.add_argument(
        "--workers", type=int, default=default_processes(), help="worker processes of the pipeline store"
    )
    parser.add_argument("--probes", type=int, default=200, help="lookups per store size (half reposts)")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    half = args.probes // 2
    targets = {index for size in sizes for index in repost_targets(size, half)}

    with tempfile.TemporaryDirectory(prefix="edunews-bench-") as folder:
        rate = store_through_pipelines(Path(folder) / "pipeline.sqlite", args.articles, args.workers)
        alone = store_through_pipelines(Path(folder) / "alone.sqlite", args.articles, 0)
        print(f"pipeline store: {args.articles:,} articles at {rate:,.0f} articles/s into SQLite", end="")
        print(f" with {args.workers} worker process(es) (goal: {GOAL_RATE}); {alone:,.0f}/s without workers\n")

        db = Path(folder) / "lookup.sqlite"
        print(f"{'stored':>10}  {'pass':<7}{'mean ms':>9}{'p95 ms':>9}{'max ms':>9}", end="")
        print(f"{'candidates':>12}{'reposts found':>15}")
        filled, plans = 0, set()
        means: dict[str, list[float]] = {name: [] for name in PASSES}
        for size in sizes:
            seconds = fill_store(db, filled, size, targets)
            print(f"  filled {size - filled:,} articles in {seconds:.0f} s", file=sys.stderr)
            filled = size
            reposts = [repost_of(index) for index in repost_targets(size, half)]
            fresh = [synthetic_article(FRESH_PROBE_START + index, seed=9).text for index in range(half)]
            for name in PASSES:
                timings, candidates, found, plan = time_lookups(db, reposts + fresh)
                means[name].append(statistics.mean(timings))
                plans.add(plan)
                p95 = statistics.quantiles(timings, n=20)[-1]
                print(
                    f"{size:>10,}  {name:<7}{means[name][-1]:>9.2f}{p95:>9.2f}{max(timings):>9.2f}"
                    f"{statistics.mean(candidates):>12.2f}{found:>9}/{len(reposts)}"
                )
    print()
    for name, explained in PASSES.items():
        slowdown = means[name][-1] / means[name][0]
        print(f"mean lookup at {sizes[-1]:,} / at {sizes[0]:,}, {explained}: {slowdown:.2f}x", end="")
        print(f" (goal: <= {GOAL_SLOWDOWN}x)")
    print(f"band lookup plan: {' | '.join(sorted(plans))}")
    print(f"\npeak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"peak memory of the fill (set-up): {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
