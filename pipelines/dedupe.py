"""The dedupe pipeline: fingerprints that make copies comparable, and the three-level decision of
which stored article a record belongs to (same URL, same text, or a near-duplicate repost)."""

from __future__ import annotations

import hashlib
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy.orm import Session

from crawler.workers import Workers
from pipelines import storage
from pipelines.base import ItemPipeline
from pipelines.models import Article as StoredArticle
from pipelines.neardup import compare, shingle_text, signature
from pipelines.records import ArticleRecord, Outcome


def text_fingerprint(text: str) -> str:
    """The exact-duplicate key: a hash of the text as shingling sees it (case, spacing and
    punctuation style ignored), so two sites' identical copies get one key."""
    return hashlib.sha256(shingle_text(text).encode("utf-8")).hexdigest()


def sign(record: ArticleRecord) -> ArticleRecord:
    """Fill the record's fingerprint and MinHash signature (of headline and text)."""
    record.fingerprint = text_fingerprint(record.text)
    record.signature = signature(record.title + "\n" + record.text)
    return record


def resolve(session: Session, record: ArticleRecord, *, reextract: bool = False) -> Outcome:
    """Store ``record`` as a new article, a refresh of one, or a sighting of one, and say which.

    1. Its URL was seen before: refresh the article if that copy's text changed (or, with
       ``reextract``, if it was extracted by older rules), else just record the fetch.
    2. Its text is stored under another URL: a sighting of that article.
    3. Its MinHash matches a stored article's through the band index: a sighting (a repost).
    Otherwise a new article. A duplicate never disappears: it is kept as a sighting.
    """
    assert record.signature is not None
    known = storage.find_sighting(session, record.url)
    if known is not None:
        article = known.article
        is_stored_copy = known.match == "original"
        changed = known.fingerprint != record.fingerprint
        stale = reextract and is_stored_copy and article.extractor_version < record.extractor_version
        storage.touch_sighting(known, record)
        if changed and is_stored_copy or stale:
            storage.refresh_article(session, article, record)
            known.fingerprint, known.title = record.fingerprint, record.title
            return Outcome("updated", article.id, "url")
        if changed:
            storage.update_sighting_copy(known, record)
            return Outcome("updated", article.id, "url")
        return Outcome("unchanged", article.id, "url")

    same_text = storage.find_by_fingerprint(session, record.fingerprint)
    if same_text is not None:
        storage.add_sighting(session, same_text, record, "exact", 1.0)
        storage.merge_copy_metadata(same_text, record)
        return Outcome("duplicate", same_text.id, "exact")

    best = None
    for candidate_id, candidate in storage.near_duplicate_candidates(session, record.signature):
        match = compare(record.signature, candidate)
        if match.duplicate and (best is None or match.jaccard > best[1].jaccard):
            best = (candidate_id, match)
    if best is not None:
        article_id, match = best
        article = session.get_one(StoredArticle, article_id)
        storage.add_sighting(session, article, record, "near", match.jaccard)
        storage.merge_copy_metadata(article, record)
        return Outcome("duplicate", article.id, "near", match.jaccard)

    return Outcome("new", storage.add_article(session, record))


class DedupePipeline(ItemPipeline):
    """Fingerprints each record (in the crawl's worker processes, when it has them); the store pipeline
    resolves it against the database inside its write transaction, so a batch sees its own earlier
    records."""

    workers: Workers | None = None

    def connected(self, crawler: Crawler) -> None:
        self.workers = Workers.of(crawler)

    def process_item(self, item: Any) -> Any:
        if self.workers is None:
            return sign(item)
        return deferred_from_coro(self.workers.run(sign, item))
