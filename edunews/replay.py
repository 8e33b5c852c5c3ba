"""Replay: run saved pages through the same extraction and pipelines as a live crawl, offline.

Extraction (about 35 ms a page) is most of a replay's work and storing (about 2 ms) the rest, so the
pages are extracted in the run's worker processes (``crawler.workers``, one per core by default for a
replay) while this process stores the pages before them. The pages are sent a few ahead of the one
being stored and their outcomes taken back in the order of the input: the store meets the articles in
the order a one-process replay does, and ends in the same database (which copy is an article's first,
and the ids, depend on that order).
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from contextlib import aclosing, contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from crawler.extraction.pages import RawPage, UnreadablePage, files_under, iter_saved_pages, saved_page_folders
from crawler.outcome import UNREADABLE, Ledger, PageOutcome, failure_count, page_outcome
from edunews.output import note_quarantined

if TYPE_CHECKING:
    from crawler.extraction.profiles import SiteProfile
    from crawler.workers import Workers
    from pipelines.rejudge import RejudgeSummary

#: Pages sent to the workers ahead of the one whose outcome is awaited, per worker: enough that the
#: workers stay busy while this process stores a group of articles (64, about 0.2 s) or waits for a
#: slow page (a 1 MB page takes about a second) that the pages after it are done before.
PAGES_AHEAD_PER_WORKER = 16
#: How many of the latest articles' inputs are remembered for naming a reject: far more than the
#: pipelines hold at once, a few hundred kB at most.
ORIGINS_KEPT = 10_000


@dataclass
class ReplaySummary:
    """What a replay did, from the counters the pipelines keep, and every input that did not become
    an article, by name."""

    pages: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    ledger: Ledger = field(default_factory=Ledger)
    rejudged: RejudgeSummary | None = None
    """What the rejudge after a ``reextract`` replay did."""
    interrupted: bool = False
    """Stopped by Ctrl-C: the figures are those of the inputs read until then, each stored or named."""
    at_once: bool = False
    """Stopped by a second Ctrl-C: the articles read but not yet taken by the store are in no figure."""

    def group(self, prefix: str) -> dict[str, int]:
        """Counters under ``prefix/`` by their last part: ``group("edunews/articles")`` → new/updated/…"""
        return {
            key[len(prefix) + 1 :]: value
            for key, value in sorted(self.stats.items())
            if key.startswith(prefix + "/") and isinstance(value, int)  # (words go in the closing line)
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
    settings: Mapping[str, Any] | None = None,
) -> ReplaySummary:
    """Take each page through the one page path a crawl takes (``crawler.outcome``, the same stat
    names, the same stitcher) and push the articles through the pipelines into ``db``. A page that
    cannot be read, decoded or extracted is counted, noted by name, and the replay goes on. ``profile``
    is a site profile to replay with (by default each page gets the bundled profile that claims it).
    ``settings`` override those of crawler/settings.py. The pages are extracted in
    ``EDUNEWS_WORKER_PROCESSES`` worker processes (by default one per core for a replay; 0: in this
    process) and stored in their order. With ``reextract``, the stored articles are rejudged at the
    end (``pipelines.rejudge``). Ctrl-C ends it early with the summary of what was read
    (``interrupted``): every input read is stored or named (a second Ctrl-C stops at once, storing
    what the store had taken), and the same replay run again stores the rest."""
    from crawler.config import project_settings
    from crawler.extraction.profiles import host_aliases
    from crawler.extraction.stitch import Stitcher
    from crawler.workers import Workers
    from pipelines.base import CountingStats
    from pipelines.ingest import Ingestor

    run_settings = project_settings({**(settings or {}), "EDUNEWS_DB": db, "EDUNEWS_REEXTRACT": reextract})
    stats = CountingStats()
    summary = ReplaySummary()
    stitcher = Stitcher(host_aliases(profile))
    #: Where the latest articles came from, by URL: a reject is named by its input, as any page is.
    origins: OrderedDict[str, str] = OrderedDict()

    async def articles(workers: Workers, stop: threading.Event) -> AsyncIterator[Any]:
        """The complete articles of ``pages``, each page counted and noted as its outcome is taken,
        until ``stop`` is set: the pages read until then end as a whole run's do."""
        async with aclosing(_outcomes(pages, workers, profile)) as outcomes:
            async for page, outcome in outcomes:
                if stop.is_set():  # this page is not read: the next run reads it
                    summary.interrupted = True
                    break
                for article in take(page, outcome):
                    yield article
        for partial in stitcher.leftovers():
            stats.inc_value("edunews/articles/stitch-incomplete")
            yield partial

    def take(page: RawPage | UnreadablePage, outcome: PageOutcome | None) -> Iterator[Any]:
        """Count and note one page's outcome; yield the articles it completes."""
        summary.pages += 1
        if isinstance(page, UnreadablePage):
            stats.inc_value(UNREADABLE)
            summary.ledger.note(page.where or "?", UNREADABLE, _without_place(str(page), page.where))
        elif outcome is not None:
            stats.inc_value(outcome.stat)
            summary.ledger.note_outcome(page, outcome)
            if outcome.article is not None:
                for article in stitcher.add(outcome.article):
                    origins[article.url] = page.origin or page.url
                    if len(origins) > ORIGINS_KEPT:
                        origins.popitem(last=False)
                    yield article
        if on_page:
            on_page()

    # Started before the pipelines open the database (workers are forked from this process), with the
    # modules of extraction and signing imported: the pipelines sign their texts in the same workers.
    workers = Workers.from_settings(run_settings, stats, keep_a_core=False)
    try:
        with (
            Ingestor(
                run_settings, stats, profile, on_dropped=_noting_rejects(summary.ledger, origins), workers=workers
            ) as ingest,
            _first_ctrl_c_stops() as stop,
        ):
            ingest.feed(articles(workers, stop))
    except KeyboardInterrupt:  # a second Ctrl-C: the ingestor stored what it had taken before it let go
        summary.interrupted = summary.at_once = True
    finally:
        workers.close()
    summary.stats = stats.get_stats()
    note_quarantined(summary.stats, summary.ledger)
    if reextract and not summary.interrupted:  # copies extracted by newer rules may belong elsewhere now
        from pipelines.db import open_database
        from pipelines.rejudge import rejudge

        summary.rejudged = rejudge(open_database(db))
    return summary


@contextmanager
def _first_ctrl_c_stops() -> Iterator[threading.Event]:
    """Inside, the first Ctrl-C sets the event yielded, and the replay reads no further input: the
    inputs read are stored (or named) as at a normal end, so its summary accounts for each. Without
    it the articles already read but still in the pipelines were dropped, neither stored nor named
    (786 read, 703 stored). A second Ctrl-C interrupts at once. Only the main thread may handle it."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.getsignal(signal.SIGINT)

    def first(signum: int, frame: FrameType | None) -> None:
        stop.set()
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, first)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


async def _outcomes(
    pages: Iterable[RawPage | UnreadablePage], workers: Workers, profile: SiteProfile | None
) -> AsyncIterator[tuple[RawPage | UnreadablePage, PageOutcome | None]]:
    """Each page of ``pages`` with its outcome (``None`` for an unreadable page: nothing to extract),
    in the order of ``pages``. The pages are extracted in ``workers``, up to
    :data:`PAGES_AHEAD_PER_WORKER` a worker ahead of the page whose outcome is awaited; without
    workers, one by one in this process as they come."""
    room = workers.processes * PAGES_AHEAD_PER_WORKER
    ahead: deque[tuple[RawPage | UnreadablePage, Awaitable[PageOutcome] | None]] = deque()
    extracting: Awaitable[PageOutcome] | None = None
    try:
        for page in pages:
            extracting = None
            if not isinstance(page, UnreadablePage):
                extracting = workers.run(page_outcome, page, profile)
                if room:  # a task: sent to the workers now
                    extracting = asyncio.ensure_future(extracting)
            ahead.append((page, extracting))
            if len(ahead) > room:
                yield await _oldest(ahead)
        while ahead:
            yield await _oldest(ahead)
    finally:  # stopped early (an error, Ctrl-C): nobody awaits the pages sent ahead any more
        # Nor the page being sent when it stopped: Ctrl-C can land between asking for its extraction
        # and handing that to the loop, and a coroutine dropped unawaited prints a warning at exit.
        left = [waiting for _, waiting in ahead]
        if extracting is not None and all(extracting is not waiting for waiting in left):
            left.append(extracting)
        for waiting in left:
            if isinstance(waiting, asyncio.Future):
                waiting.cancel()
            elif asyncio.iscoroutine(waiting):
                waiting.close()


async def _oldest(
    ahead: deque[tuple[RawPage | UnreadablePage, Awaitable[PageOutcome] | None]],
) -> tuple[RawPage | UnreadablePage, PageOutcome | None]:
    page, extracting = ahead.popleft()
    return page, None if extracting is None else await extracting


def _noting_rejects(ledger: Ledger, origins: Mapping[str, str]) -> Callable[[Any, BaseException], None]:
    """Note each item the validate pipeline refused, with its reason, by its input (its folder, or
    ``file.warc.gz@offset``) as every other page is, and its URL."""

    def note(item: Any, exception: BaseException) -> None:
        rejected = getattr(exception, "rejected", None)
        if rejected is not None:
            where = origins.get(rejected.url, rejected.url)
            ledger.note(where, f"edunews/rejected/{rejected.reason}", rejected.detail, rejected.url)

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
    warcs += [path for folder in paths if folder.is_dir() for path in files_under(folder)[0] if is_warc(path)]
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
