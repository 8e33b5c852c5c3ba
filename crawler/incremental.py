"""Incremental crawling: what a crawl need not fetch again, judged from what is stored, and what it must
fetch again whatever its listings say, from the ledger of discovered articles (the store layer fills
both when a crawl opens: pipelines.crawling.KnownArticlesLoader)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any


@dataclass
class KnownArticles:
    """Article URLs already stored (canonicalised), with when each was last fetched."""

    last_fetched: dict[str, datetime]
    recrawl_after: timedelta | None = None
    """Fetch a stored article again once its last fetch is older than this; None: never."""
    held_back: dict[str, str] = field(default_factory=dict)
    """URLs a listing's link must not fetch, with their ledger state: gone (a 404 or 410: never asked
    for again), or failed and backing off (the ledger asks for them again when they are due)."""

    def should_fetch(self, key: str, now: datetime, lastmod: datetime | None = None) -> bool:
        """New URLs, URLs whose sitemap ``lastmod`` is newer than our last fetch, and URLs past the
        recrawl window are fetched; the rest were stored already."""
        last = self.last_fetched.get(key)
        if last is None:
            return True
        if lastmod is not None and lastmod > last:
            return True
        return self.recrawl_after is not None and now - last > self.recrawl_after


#: The states of a discovered article URL in the ledger (``pipelines.models.LedgerEntry``).
TO_FETCH = "to-fetch"
STORED = "stored"
NOT_ARTICLE = "not-article"
FAILED = "failed"
GONE = "gone"
#: Failures that mean the page is gone for good: never asked for again.
GONE_REASONS = frozenset({"edunews/errors/http-404", "edunews/errors/http-410"})


def state_after(stat: str) -> str:
    """The ledger state of a fetched URL that did not become a stored article, from the stat it was
    counted under (``crawler.outcome``): a 404 or 410 is gone, another error failed (to be tried again),
    anything else (a list page, a reject, a redirect elsewhere) is not an article."""
    if stat in GONE_REASONS:
        return GONE
    return FAILED if stat.startswith("edunews/errors/") else NOT_ARTICLE


def retry_after(failures: int, first: timedelta, longest: timedelta) -> timedelta:
    """How long after its ``failures``-th failure a URL is due again: at once after the first (the next
    crawl tries it: most failures are a slow moment), then ``first``, 3×, 7×… doubling, never more than
    ``longest``: a page that keeps failing costs one request a while, not one a crawl."""
    if failures <= 1:
        return timedelta(0)
    return min(first * (2 ** min(failures - 1, 30) - 1), longest)


@dataclass(frozen=True)
class LedgerNote:
    """What became of one discovered URL (by its canonical key), to be written to the ledger."""

    key: str
    state: str
    reason: str = ""
    fetch_url: str = ""
    """The URL to request, for a URL the ledger may not know yet (a redirect's target)."""


@dataclass
class ArticleLedger:
    """The crawl's side of the ledger of discovered articles: the URLs due when the crawl opened
    (filled by the store layer, like ``KnownArticles``), and what the crawl learnt since, until the
    store writes it. New discoveries are written before they are fetched, one bulk write per listing
    page, sitemap or feed (``record``, installed by the store layer; nothing to do without a database);
    outcomes ride along with the store's next transaction (``take_notes``). A note lost in a crash
    leaves its URL due, so it is fetched again: the ledger errs on the side of fetching."""

    due: list[str] = field(default_factory=list)
    notes: dict[str, LedgerNote] = field(default_factory=dict)
    record: Callable[[list[tuple[str, str]]], Awaitable[None]] | None = None
    #: Reads the URLs due now again (installed by the store layer): for a shared frontier that lost its queue.
    reload: Callable[[], list[str]] | None = None

    _ATTRIBUTE = "_edunews_ledger"

    @classmethod
    def of(cls, crawler: Any) -> ArticleLedger:
        """The ledger of ``crawler``'s crawl, shared by the spider and the store layer."""
        ledger = getattr(crawler, cls._ATTRIBUTE, None)
        if ledger is None:
            ledger = cls()
            setattr(crawler, cls._ATTRIBUTE, ledger)
        return ledger

    async def discovered(self, found: list[tuple[str, str]]) -> None:
        """Write newly found ``(key, url)`` pairs to the ledger before they are requested."""
        if found and self.record is not None:
            await self.record(found)

    def note(self, key: str | None, stat: str, detail: str = "") -> None:
        """A requested URL ended without an article: as ``stat`` says (``crawler.outcome``)."""
        if key:
            self.notes[key] = LedgerNote(key, state_after(stat), stat)

    def moved(self, key: str | None, target_key: str, target_url: str) -> None:
        """A URL redirected to another, which is stored (or due) in its place."""
        if key and key != target_key:
            self.notes[key] = LedgerNote(key, NOT_ARTICLE, "edunews/pages/skipped/redirect")
            self.notes.setdefault(target_key, LedgerNote(target_key, TO_FETCH, fetch_url=target_url))

    def take_notes(self) -> list[LedgerNote]:
        """The notes not written yet, handed to the store's transaction (and forgotten here)."""
        notes, self.notes = list(self.notes.values()), {}
        return notes
