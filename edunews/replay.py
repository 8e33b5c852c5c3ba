"""Replay: run saved pages through the same extraction and pipelines as a live crawl, offline."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.extraction.pages import RawPage, UnreadablePage, iter_saved_pages, saved_page_folders
from crawler.outcome import UNREADABLE, Ledger, failure_count, page_outcome
from edunews.output import note_quarantined

if TYPE_CHECKING:
    from crawler.extraction.profiles import SiteProfile
    from pipelines.rejudge import RejudgeSummary


@dataclass
class ReplaySummary:
    """What a replay did, from the counters the pipelines keep, and every input that did not become
    an article, by name."""

    pages: int = 0
    stats: dict[str, int] = field(default_factory=dict)
    ledger: Ledger = field(default_factory=Ledger)
    rejudged: RejudgeSummary | None = None
    """What the rejudge after a ``reextract`` replay did."""

    def group(self, prefix: str) -> dict[str, int]:
        """Counters under ``prefix/`` by their last part: ``group("edunews/articles")`` → new/updated/…"""
        return {
            key[len(prefix) + 1 :]: value for key, value in sorted(self.stats.items()) if key.startswith(prefix + "/")
        }

    @property
    def failed(self) -> int:
        """Inputs that could not be read, decoded or extracted (every ``edunews/errors/*`` counter)."""
        return failure_count(self.stats)


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
    cannot be read, decoded or extracted is counted, noted by name, and the replay goes on. ``profile``
    is a site profile to replay with (by default each page gets the bundled profile that claims it).
    With ``reextract``, the stored articles are rejudged at the end (``pipelines.rejudge``)."""
    from crawler.config import project_settings
    from crawler.extraction.profiles import host_aliases
    from crawler.extraction.stitch import Stitcher
    from pipelines.base import CountingStats
    from pipelines.ingest import Ingestor

    settings = project_settings({"EDUNEWS_DB": db, "EDUNEWS_REEXTRACT": reextract})
    stats = CountingStats()
    summary = ReplaySummary()
    stitcher = Stitcher(host_aliases(profile))

    def articles() -> Iterator[Any]:
        """The complete articles of ``pages``, each page counted and noted as it is read."""
        for page in pages:
            summary.pages += 1
            if isinstance(page, UnreadablePage):
                stats.inc_value(UNREADABLE)
                summary.ledger.note(page.where or "?", UNREADABLE, _without_place(str(page), page.where))
            else:
                outcome = page_outcome(page, profile)
                stats.inc_value(outcome.stat)
                summary.ledger.note_outcome(page, outcome)
                if outcome.article is not None:
                    yield from stitcher.add(outcome.article)
            if on_page:
                on_page()
        for partial in stitcher.leftovers():
            stats.inc_value("edunews/articles/stitch-incomplete")
            yield partial

    with Ingestor(settings, stats, profile, on_dropped=_noting_rejects(summary.ledger)) as ingest:
        ingest.feed(articles())
    summary.stats = stats.get_stats()
    note_quarantined(summary.stats, summary.ledger)
    if reextract:  # copies extracted by newer rules may belong elsewhere now
        from pipelines.db import open_database
        from pipelines.rejudge import rejudge

        summary.rejudged = rejudge(open_database(db))
    return summary


def _noting_rejects(ledger: Ledger) -> Callable[[Any, BaseException], None]:
    """Note each item the validate pipeline refused, by URL and reason, as a crawl does."""

    def note(item: Any, exception: BaseException) -> None:
        rejected = getattr(exception, "rejected", None)
        if rejected is not None:
            ledger.note(rejected.url, f"edunews/rejected/{rejected.reason}", rejected.detail)

    return note


def _without_place(message: str, where: str) -> str:
    """An error message without the place it starts with (the ledger names the place already)."""
    return message[len(where) :].lstrip(":/ ") if where and message.startswith(where) else message


def input_pages(paths: list[Path]) -> tuple[int | None, Iterator[RawPage | UnreadablePage]]:
    """The pages under ``paths``: saved-page folders (fixtures) and WARC files, ours or any other
    crawler's, through one code path. Returns the page count when it is known without reading the
    archives, and the pages."""
    from crawler.archive import is_warc

    warcs = [path for path in paths if path.is_file() and is_warc(path)]
    warcs += [path for folder in paths if folder.is_dir() for path in sorted(folder.rglob("*")) if is_warc(path)]
    folders = saved_page_folders([path for path in paths if not (path.is_file() and is_warc(path))])
    total = None if warcs else len(folders)
    return total, chain(iter_saved_pages(folders), _warc_pages(warcs))


def _warc_pages(warcs: list[Path]) -> Iterator[RawPage | UnreadablePage]:
    from crawler.archive import iter_warc_inputs

    for warc in warcs:
        try:
            yield from iter_warc_inputs(warc)
        except UnreadablePage as error:
            yield error
