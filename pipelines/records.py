"""What flows between the pipelines once an article has been validated and normalised."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scrapy.exceptions import DropItem

from pipelines.neardup import Signature


@dataclass
class ArticleRecord:
    """An article in the canonical form the store compares and saves: URLs canonicalised, text
    normalised, times in UTC. ``fingerprint``, ``signature`` and ``index_text`` are filled by the dedupe
    pipeline."""

    url: str
    """The fetched URL, canonicalised: the record's identity."""
    canonical_url: str
    """The canonical URL the page declared, canonicalised; ``url`` when it declared none."""
    site: str
    title: str
    text: str
    paragraphs: list[str]
    published_at: datetime | None
    published_offset: str | None
    authors: list[str]
    editors: list[str]
    source: str | None
    site_name: str | None
    language: str | None
    keywords: list[str]
    images: list[str]
    removed: list[dict[str, str]]
    extractor_version: str
    seen_at: datetime
    archive: dict[str, Any] | None = None
    fingerprint: str = ""
    signature: Signature | None = None
    index_text: str = ""
    """The search index text of headline and text (:func:`pipelines.search.index_text`)."""


@dataclass
class Rejected:
    """An item validation refused: stored in the rejects table, never as an article."""

    url: str
    reason: str
    detail: str
    item: dict[str, Any]
    seen_at: datetime


class Rejection(DropItem):
    """Scrapy's way to refuse an item, carrying what the rejects table keeps of it. The store pipeline
    hears of it through the ``item_dropped`` signal (``Ingestor`` sends the same outside Scrapy)."""

    def __init__(self, rejected: Rejected) -> None:
        super().__init__(f"rejected ({rejected.reason}): {rejected.detail}")
        self.rejected = rejected


@dataclass
class Outcome:
    """What storing one record did."""

    status: str
    """``new``, ``updated``, ``unchanged``, ``duplicate`` or ``rejected``."""
    article_id: int | None = None
    level: str | None = None
    """For duplicates: ``url`` (seen before), ``exact`` (same text elsewhere) or ``near`` (a repost)."""
    similarity: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)
