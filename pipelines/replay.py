"""Replay: run saved pages through the same extraction and pipelines as a live crawl, offline."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from crawler.archive import is_warc, iter_warc_pages
from crawler.encoding import UndecodableBody
from crawler.extract import NotAnArticle, extract_article
from crawler.items import Article
from crawler.pages import RawPage, UnreadablePage, iter_saved_pages, saved_page_folders
from crawler.stitch import stitch
from pipelines.base import CountingStats
from pipelines.ingest import Ingestor, project_settings
from pipelines.normalize import canonicalize_url


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
    stitcher = Stitcher()
    with Ingestor(settings, stats) as ingest:
        for page in pages:
            summary.pages += 1
            if isinstance(page, UnreadablePage):
                stats.inc_value("edunews/pages/unreadable")
            else:
                article = _extract(page, stats)
                if article is not None:
                    for complete in stitcher.add(article):
                        ingest(complete)
            if on_page:
                on_page()
        for partial in stitcher.leftovers():
            stats.inc_value("edunews/articles/stitch-incomplete")
            ingest(partial)
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


class Stitcher:
    """Joins the pages of multi-page articles met in archive order (page 1 before page 2, as a crawl
    fetches them), as the spider does live. An article waits while its next page may still come."""

    def __init__(self) -> None:
        self.waiting: dict[str, Article] = {}

    def add(self, article: Article) -> list[Article]:
        """The articles now complete (none while ``article`` awaits its next page)."""
        earlier = self.waiting.pop(canonicalize_url(article.url), None)
        if earlier is not None:
            article = stitch(earlier, article)
        if article.next_page_url:
            self.waiting[canonicalize_url(article.next_page_url)] = article
            return []
        return [article]

    def leftovers(self) -> list[Article]:
        """Articles whose next page never came: stored with the pages they have."""
        left, self.waiting = list(self.waiting.values()), {}
        return left


def _extract(page: RawPage, stats: CountingStats) -> Article | None:
    if 300 <= page.status < 400:
        stats.inc_value("edunews/pages/redirect")
        return None
    try:
        article = extract_article(page)
    except NotAnArticle as not_article:
        stats.inc_value(f"edunews/pages/not-article/{not_article.reason}")
        return None
    except UndecodableBody:
        stats.inc_value("edunews/pages/undecodable")
        return None
    stats.inc_value("edunews/pages/articles")
    return article
