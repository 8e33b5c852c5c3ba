"""Replay: run saved pages through the same extraction and pipelines as a live crawl, offline."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from crawler.archive import is_warc, iter_warc_pages
from crawler.encoding import UndecodableBody
from crawler.extract import NotAnArticle, extract_article
from crawler.pages import RawPage, UnreadablePage, iter_saved_pages, saved_page_folders
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


def input_pages(paths: list[Path]) -> tuple[int | None, Iterator[RawPage | UnreadablePage]]:
    """The pages under ``paths``: saved-page folders (fixtures) and WARC files, ours or any other
    crawler's, through one code path. Returns the page count when it is known without reading the
    archives, and the pages."""
    warcs = [path for path in paths if path.is_file() and is_warc(path)]
    warcs += [path for folder in paths if folder.is_dir() for path in sorted(folder.rglob("*")) if is_warc(path)]
    folders = saved_page_folders([path for path in paths if not (path.is_file() and is_warc(path))])
    total = None if warcs else len(folders)
    return total, chain(iter_saved_pages(folders), _warc_pages(warcs))


def _warc_pages(warcs: list[Path]) -> Iterator[RawPage | UnreadablePage]:
    for warc in warcs:
        try:
            yield from iter_warc_pages(warc)
        except UnreadablePage as error:
            yield error


def _replay_one(page: RawPage, ingest: Ingestor, stats: CountingStats) -> None:
    if 300 <= page.status < 400:
        stats.inc_value("edunews/pages/redirect")
        return
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
