"""Replay: run saved pages through the same extraction and pipelines as a live crawl, offline."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from crawler.encoding import UndecodableBody
from crawler.extract import NotAnArticle, extract_article
from crawler.pages import RawPage, UnreadablePage
from pipelines.base import CountingStats
from pipelines.ingest import Ingestor, project_settings


@dataclass
class ReplaySummary:
    """What a replay did, from the counters the pipelines keep."""

    pages: int = 0
    stats: dict[str, int] = field(default_factory=dict)

    def group(self, prefix: str) -> dict[str, int]:
        """Counters under ``prefix/`` by their last part: ``group("edunews/articles")`` → new/updated/…"""
        return {
            key[len(prefix) + 1 :]: value for key, value in sorted(self.stats.items()) if key.startswith(prefix + "/")
        }


def replay_pages(
    pages: Iterable[RawPage | UnreadablePage],
    *,
    db: str | None = None,
    reextract: bool = False,
    on_page: Callable[[], None] | None = None,
) -> ReplaySummary:
    """Extract each page and push the article through the pipelines into ``db``. A page that cannot be
    read, decoded or extracted is counted under ``edunews/pages/...`` and the replay goes on."""
    settings = project_settings({"EDUNEWS_DB": db, "EDUNEWS_REEXTRACT": reextract})
    stats = CountingStats()
    summary = ReplaySummary()
    with Ingestor(settings, stats) as ingest:
        for page in pages:
            summary.pages += 1
            if isinstance(page, UnreadablePage):
                stats.inc_value("edunews/pages/unreadable")
            else:
                _replay_one(page, ingest, stats)
            if on_page:
                on_page()
    summary.stats = stats.get_stats()
    return summary


def _replay_one(page: RawPage, ingest: Ingestor, stats: CountingStats) -> None:
    try:
        article = extract_article(page)
    except NotAnArticle as not_article:
        stats.inc_value(f"edunews/pages/not-article/{not_article.reason}")
        return
    except UndecodableBody:
        stats.inc_value("edunews/pages/undecodable")
        return
    stats.inc_value("edunews/pages/articles")
    ingest(article)
