"""The normalise pipeline: one canonical form for text, URLs and times, so copies compare equal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from crawler.extraction.profiles import host_aliases
from crawler.extraction.urls import canonicalize_url
from pipelines.base import ItemPipeline, item_fields
from pipelines.models import Article as StoredArticle
from pipelines.models import fit
from pipelines.records import ArticleRecord
from pipelines.textform import normalize_text


def split_published(value: str | None) -> tuple[datetime | None, str | None]:
    """An ISO 8601 time as (UTC datetime, the offset the page gave, e.g. ``+08:00``)."""
    if not value:
        return None, None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC), None
    offset = moment.strftime("%z")
    return moment.astimezone(UTC), f"{offset[:3]}:{offset[3:]}"


def to_record(item: Any, aliases: Mapping[str, str]) -> ArticleRecord:
    """The normalised record of a validated article item."""
    fields = item_fields(item)
    url = canonicalize_url(fields["url"], aliases)
    canonical = canonicalize_url(fields["canonical_url"], aliases) if fields.get("canonical_url") else url
    published_at, offset = split_published(fields.get("published_at"))
    paragraphs = [line for paragraph in fields.get("paragraphs") or [] if (line := normalize_text(paragraph))]
    fetched = fields.get("fetched_at")
    return ArticleRecord(
        url=url,
        canonical_url=canonical,
        site=urlsplit(url).hostname or "",
        title=normalize_text(fields["title"]).replace("\n", " "),
        text="\n".join(paragraphs) if paragraphs else normalize_text(fields["text"]),
        paragraphs=paragraphs,
        published_at=published_at,
        published_offset=offset,
        authors=list(fields.get("authors") or []),
        editors=list(fields.get("editors") or []),
        source=fit(fields.get("source"), StoredArticle.source),
        site_name=fit(fields.get("site_name"), StoredArticle.site_name),
        language=fit(fields.get("language"), StoredArticle.language),
        keywords=list(fields.get("keywords") or []),
        images=list(fields.get("images") or []),
        removed=list(fields.get("removed") or []),
        extractor_version=fields.get("extractor_version") or "",
        seen_at=datetime.fromisoformat(fetched).astimezone(UTC) if fetched else datetime.now(UTC),
        archive=fields.get("archive"),
    )


class NormalizePipeline(ItemPipeline):
    """Turns a validated article item into an :class:`ArticleRecord`, its URL canonicalised with the
    host aliases of the profile the crawl runs with: the key the spider skipped stored pages by.
    Done here, not in the workers: at 0.13 ms an article it costs less than a second trip to them,
    whose answer waits for this process's next turn (see ``pipelines.ingest``)."""

    def setup(self) -> None:
        self.host_aliases = host_aliases(self.profile)

    def process_item(self, item: Any) -> Any:
        return to_record(item, self.host_aliases)
