"""Ingestion speed and near-duplicate lookup time against a large store.

Run: python benchmarks/ingest.py [--articles N] [--sizes 10000,200000] [--probes N]

1. Stores N synthetic articles through the full pipeline chain (validate, normalise, dedupe, store)
   into a fresh SQLite file: articles/second.
2. Fills a store to each size with synthetic articles (signed in parallel, written in bulk: this is
   set-up, not measured), then times the near-duplicate lookup (band index query + signature
   comparison) for probes that are reposts of stored articles and for probes that are new.
Prints peak memory (max RSS) at the end. Everything stays in a temporary folder on this machine.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import insert  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from synthetic import synthetic_article  # noqa: E402

from crawler.config import project_settings  # noqa: E402
from pipelines.db import open_database  # noqa: E402
from pipelines.dedupe import text_fingerprint  # noqa: E402
from pipelines.ingest import Ingestor  # noqa: E402
from pipelines.models import Article, MinHashBand  # noqa: E402
from pipelines.neardup import Signature, band_buckets, compare, signature  # noqa: E402
from pipelines.storage import near_duplicate_candidates  # noqa: E402

FILL_CHUNK = 5_000
NOW = datetime(2026, 11, 29, tzinfo=UTC)


def store_through_pipelines(db: Path, count: int) -> float:
    """Articles per second through the whole chain, batch size as configured."""
    items = [synthetic_article(index, seed=3) for index in range(count)]
    ingestor = Ingestor(project_settings({"EDUNEWS_DB": str(db)}))
    started = time.perf_counter()
    with ingestor:
        for item in items:
            ingestor(item)
    elapsed = time.perf_counter() - started
    assert ingestor.stats.get_value("edunews/articles/new") == count
    return count / elapsed


def _signed(index: int) -> tuple[int, str, str, bytes, int]:
    article = synthetic_article(index, seed=5)
    sig = signature(article.title + "\n" + article.text)
    return index, article.title, article.text, sig.to_bytes(), sig.size


def fill_store(db: Path, start: int, stop: int, pool: multiprocessing.pool.Pool) -> None:
    """Add articles ``start``..``stop`` with their band rows, in bulk."""
    sessions = open_database(str(db))
    for chunk_start in range(start, stop, FILL_CHUNK):
        signed = pool.map(_signed, range(chunk_start, min(stop, chunk_start + FILL_CHUNK)), chunksize=250)
        with sessions.begin() as session:
            rows = [
                {
                    "id": index + 1,
                    "url": f"http://fill.example-edu.cn/{index}.html",
                    "canonical_url": f"http://fill.example-edu.cn/{index}.html",
                    "title": title,
                    "text": text,
                    "paragraphs": [],
                    "authors": [],
                    "editors": [],
                    "keywords": [],
                    "images": [],
                    "removed": [],
                    "site": "fill.example-edu.cn",
                    "extractor_version": "bench",
                    "fingerprint": text_fingerprint(text),
                    "minhash": minhash,
                    "shingle_count": size,
                    "first_seen": NOW,
                    "last_seen": NOW,
                    "updated_at": NOW,
                }
                for index, title, text, minhash, size in signed
            ]
            session.execute(insert(Article), rows)
            bands = [
                {"article_id": index + 1, "band": band, "bucket": bucket}
                for index, _, _, minhash, size in signed
                for band, bucket in band_buckets(Signature.from_bytes(minhash, size))
            ]
            session.execute(insert(MinHashBand), bands)
        print(f"  filling the store: {min(stop, chunk_start + FILL_CHUNK):,} articles", end="\r", file=sys.stderr)
    print(" " * 50, end="\r", file=sys.stderr)


def repost_of(index: int) -> str:
    """A stored article as another site reposts it: a new headline prefix, one paragraph dropped."""
    article = synthetic_article(index, seed=5)
    return "转载：" + article.title + "\n" + "\n".join(article.paragraphs[:-1]) + "\n更多内容请关注本站。"


def time_lookups(db: Path, texts: list[str]) -> tuple[list[float], list[int], int]:
    """Milliseconds per lookup, candidates per lookup, and how many lookups found a duplicate."""
    sessions = open_database(str(db))
    timings, candidate_counts, found = [], [], 0
    with Session(sessions.kw["bind"]) as session:
        for text in texts:
            probe = signature(text)
            started = time.perf_counter()
            candidates = near_duplicate_candidates(session, probe)
            matched = any(compare(probe, stored).duplicate for _, stored in candidates)
            timings.append((time.perf_counter() - started) * 1000)
            candidate_counts.append(len(candidates))
            found += matched
    return timings, candidate_counts, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000, help="articles stored through the pipelines")
    parser.add_argument("--sizes", default="10000,200000", help="store sizes for the lookup timing")
    parser.add_argument("--probes", type=int, default=200, help="lookups per store size (half reposts)")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    with tempfile.TemporaryDirectory(prefix="edunews-bench-") as folder:
        rate = store_through_pipelines(Path(folder) / "pipeline.sqlite", args.articles)
        print(f"pipeline store: {args.articles:,} articles at {rate:,.0f} articles/s into SQLite\n")

        db = Path(folder) / "lookup.sqlite"
        print(f"{'stored':>10}{'mean ms':>10}{'p95 ms':>10}{'max ms':>10}{'candidates':>12}{'reposts found':>15}")
        filled = 0
        with multiprocessing.Pool(2) as pool:
            for size in sizes:
                fill_store(db, filled, size, pool)
                filled = size
                half = args.probes // 2
                step = max(1, size // half)
                reposts = [repost_of(index) for index in range(0, size, step)][:half]
                fresh = [synthetic_article(10_000_000 + index, seed=9).text for index in range(half)]
                timings, candidates, found = time_lookups(db, reposts + fresh)
                p95 = statistics.quantiles(timings, n=20)[-1]
                print(
                    f"{size:>10,}{statistics.mean(timings):>10.2f}{p95:>10.2f}{max(timings):>10.2f}"
                    f"{statistics.mean(candidates):>12.2f}{found:>9}/{len(reposts)}"
                )
    print(f"\npeak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
