"""Replay: run saved pages through the same extraction and pipelines as a live crawl, offline."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from crawler.archive import is_warc, iter_warc_pages
from crawler.config import project_settings
from crawler.outcome import page_outcome
from crawler.pages import RawPage, UnreadablePage, iter_saved_pages, saved_page_folders
from crawler.profiles import SiteProfile, host_aliases
from crawler.stitch import Stitcher
from pipelines.base import CountingStats
from pipelines.ingest import Ingestor


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
    profile: SiteProfile | None = None,
    on_page: Callable[[], None] | None = None,
) -> ReplaySummary:
    """Take each page through the one page path a crawl takes (``crawler.outcome``, the same stat
    names, the same stitcher) and push the articles through the pipelines into ``db``. A page that
    cannot be read, decoded or extracted is counted and the replay goes on. ``profile`` is a site
    profile to replay with (by default each page gets the bundled profile that claims it)."""
    settings = project_settings({"EDUNEWS_DB": db, "EDUNEWS_REEXTRACT": reextract})
    stats = CountingStats()
    summary = ReplaySummary()
    stitcher = Stitcher(host_aliases(profile))
    with Ingestor(settings, stats, profile) as ingest:
        for page in pages:
            summary.pages += 1
            if isinstance(page, UnreadablePage):
                stats.inc_value("edunews/pages/unreadable")
            else:
                outcome = page_outcome(page, profile)
                stats.inc_value(outcome.stat)
                for complete in stitcher.add(outcome.article) if outcome.article is not None else ():
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
