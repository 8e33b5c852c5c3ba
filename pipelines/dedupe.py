"""The dedupe pipeline: fingerprints that make copies comparable, and the three-level decision of
which stored article a record belongs to (same URL, same text, or a near-duplicate repost)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from crawler.extraction.items import version_order
from pipelines import storage
from pipelines.base import ItemPipeline
from pipelines.copies import Fit, elect, fit, record_copy
from pipelines.models import Article as StoredArticle
from pipelines.models import Sighting
from pipelines.neardup import Signature, shingle_text, signature
from pipelines.records import ArticleRecord, Outcome
from pipelines.search import index_text


def text_fingerprint(text: str) -> str:
    """The exact-duplicate key: a hash of the text as shingling sees it (case, spacing and
    punctuation style ignored), so two sites' identical copies get one key."""
    return hashlib.sha256(shingle_text(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TextKeys:
    """What the store files an article's text under, all pure CPU work over the text."""

    fingerprint: str
    """The exact-duplicate key (of the text)."""
    signature: Signature
    """The MinHash signature (of headline and text), its band buckets worked out."""
    index_text: str
    """The search index text (of headline and text, :func:`pipelines.search.index_text`): one string
    crosses back from a worker in microseconds, a set of 300 terms took 0.17 ms to unpickle."""


def text_keys(title: str, text: str) -> TextKeys:
    """The keys of an article with this headline and text."""
    whole = title + "\n" + text
    signed = signature(whole)
    signed.buckets  # noqa: B018 - worked out here, in the worker, and pickled with the signature
    return TextKeys(text_fingerprint(text), signed, index_text(whole))


def _with_keys(record: ArticleRecord, keys: TextKeys) -> ArticleRecord:
    record.fingerprint, record.signature, record.index_text = keys.fingerprint, keys.signature, keys.index_text
    return record


def sign(record: ArticleRecord) -> ArticleRecord:
    """Fill the record's fingerprint, MinHash signature and search index text."""
    return _with_keys(record, text_keys(record.title, record.text))


def resolve(session: Session, record: ArticleRecord, *, reextract: bool = False) -> Outcome:
    """Store ``record`` as a new article, a refresh of one, or a sighting of one, and say which.

    1. Its URL was seen before: keep the copy's new text if it changed (or, with ``reextract``, if
       it was extracted by older rules), else just record the fetch.
    2. Its text is stored under another URL: a sighting of that article.
    3. A stored article is the same article (:func:`join_near`): a sighting (a repost).
    Otherwise a new article. A duplicate never disappears: it is kept as a sighting, with its copy,
    and the article takes its text from the best copy it has (:func:`elect_copy`).
    """
    assert record.signature is not None
    known = storage.find_sighting(session, record.url)
    if known is not None:
        return _fetched_again(session, known, record, reextract=reextract)

    same_text = storage.find_by_fingerprint(session, record.fingerprint)
    if same_text is not None:
        storage.add_sighting(session, same_text, record, "exact", 1.0)
        elect_copy(session, same_text, record)
        return Outcome("duplicate", same_text.id, "exact")

    found = join_near(session, record)
    if found is not None:
        article, similarity = found
        storage.add_sighting(session, article, record, "near", similarity)
        elect_copy(session, article, record)
        return Outcome("duplicate", article.id, "near", similarity)

    return Outcome("new", storage.add_article(session, record))


def _fetched_again(session: Session, known: Sighting, record: ArticleRecord, *, reextract: bool) -> Outcome:
    """A known URL fetched again: its copy is replaced when its text changed, when it was extracted
    by older rules (``reextract``), or when it kept none (stored before copies were kept); the
    article's election is then held again."""
    article = known.article
    changed = known.fingerprint != record.fingerprint
    stale = reextract and (
        known.extracted is None
        or version_order(storage.sighting_copy(known).fields["extractor_version"])
        < version_order(record.extractor_version)
    )
    storage.touch_sighting(known, record)
    if not (changed or stale or known.extracted is None):
        return Outcome("unchanged", article.id, "url")
    storage.update_sighting_copy(known, record)
    elect_copy(session, article, record)
    return Outcome("updated" if changed or stale else "unchanged", article.id, "url")


def join_near(session: Session, record: ArticleRecord) -> tuple[StoredArticle, float] | None:
    """The stored article ``record`` is a copy of, with the signatures' Jaccard estimate, or None.

    The band index proposes candidates and their signatures (``compare``, all at once) weed out most
    of them cheaply; only then are a candidate's copies loaded, and the record must be the same article as
    its elected text (``same_article``) and state no number that differs from any of its copies
    (:func:`pipelines.copies.fit`). Of the articles that pass, the one with most numbers agreeing,
    then the one covering most of the record, wins."""
    assert record.signature is not None
    mine = record_copy(record)
    best: tuple[Fit, StoredArticle, float] | None = None
    candidates = storage.near_duplicate_candidates(session, record.signature)
    for candidate_id, match in candidates.duplicates(record.signature):
        article = session.get_one(StoredArticle, candidate_id)
        group = storage.copies_of(article)
        elected = next((copy for copy in group if copy.url == article.url), None)
        if elected is None:
            continue
        found = fit(mine, group, elected)
        if found is not None and (best is None or found > best[0]):
            best = (found, article, match.jaccard)
    return None if best is None else (best[1], best[2])


def elect_copy(session: Session, article: StoredArticle, fresh: ArticleRecord | None = None) -> bool:
    """Hold the article's election again (a copy arrived or changed: ``fresh``, signed) and refresh
    the article from the elected copy when that is another copy, or the copy that changed. Returns
    whether another copy was elected."""
    group = storage.copies_of(article)
    if not group:
        return False
    elected = elect(group)
    if elected.url == article.url and (fresh is None or fresh.url != elected.url):
        return False
    other = elected.url != article.url
    record = fresh if fresh is not None and fresh.url == elected.url else sign(elected.record())
    storage.refresh_article(session, article, record)
    return other


class DedupePipeline(ItemPipeline):
    """Works out each record's keys (:class:`TextKeys`: fingerprint, signature, search index text), in the
    run's worker processes when it has them; the store pipeline resolves the record against the
    database inside its write transaction, so a batch sees its own earlier records."""

    uses_workers = True

    def process_item(self, item: Any) -> Any:
        if self.workers is None:
            return sign(item)
        return self._keyed_by_workers(item)

    async def _keyed_by_workers(self, record: ArticleRecord) -> ArticleRecord:
        """Only headline and text go to the worker and only their keys come back, not the whole
        record both ways."""
        assert self.workers is not None
        return _with_keys(record, await self.workers.run(text_keys, record.title, record.text))
