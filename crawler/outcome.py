"""One page path and one taxonomy: what a fetched or saved page becomes, the same for a live crawl and a
replay of saved pages or WARC archives, counted under one set of stat names, and the ledger that names
every input that did not become an article.

Every input ends in one of five kinds, told by its stat name alone:

========== ==================================== ==========================================================
kind       stat                                 what it means
========== ==================================== ==========================================================
article    ``edunews/pages/articles``            extracted; the pipelines then store, merge or reject it
skipped    ``edunews/pages/skipped/<reason>``   not an HTML page (a feed, a script, JSON) or a redirect
not-article ``edunews/pages/not-article/<why>`` an HTML page that is not one article (list, login, ...)
rejected   ``edunews/rejected/<reason>``        an article the validate pipeline refused (kept as a reject)
failed     ``edunews/errors/<reason>``          could not be fetched, read, decoded or extracted
========== ==================================== ==========================================================

Only ``failed`` inputs make a run "finished with failures"; the others are what the pages are.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from crawler.budget import extract_budget
from crawler.extraction.pages import RawPage
from crawler.workers import set_deadline

if TYPE_CHECKING:
    from crawler.extraction.items import Article
    from crawler.extraction.profiles import SiteProfile

#: Stat prefixes, one per kind (see the module docstring).
ARTICLE = "edunews/pages/articles"
SKIPPED = "edunews/pages/skipped"
NOT_ARTICLE = "edunews/pages/not-article"
REJECTED = "edunews/rejected"
ERRORS = "edunews/errors"

#: The named outcomes of the page path and of reading and fetching pages.
REDIRECT = f"{SKIPPED}/redirect"
NOT_HTML = f"{SKIPPED}/not-html"
UNDECODABLE = f"{ERRORS}/undecodable"
UNREADABLE = f"{ERRORS}/unreadable"
EXTRACT_FAILED = f"{ERRORS}/extract-failed"
#: A page whose extraction ran past its time budget (crawler.budget) and was abandoned.
EXTRACT_TIMEOUT = f"{ERRORS}/extract-timeout"
SPIDER_ERROR = f"{ERRORS}/spider-error"
REDIRECT_LOOP = f"{ERRORS}/redirect-loop"
TOO_MANY_REDIRECTS = f"{ERRORS}/too-many-redirects"
#: A request to a site whose robots.txt stayed unreachable (5xx, network errors): RFC 9309 disallows
#: the whole site until it can be read, so the page was never fetched.
ROBOTS_UNREACHABLE = f"{ERRORS}/robots-unreachable"
#: Spool lines that could not be read back, moved to the quarantine file beside the spool (pipelines.spool).
SPOOL_UNREADABLE = f"{ERRORS}/spool-unreadable"
#: Rejects the store kept in the rejects table (each was counted by reason when it was refused).
REJECTS_KEPT = "edunews/store/rejects-kept"
#: The counters of the records a run stored: articles new, changed or fetched again unchanged, copies
#: of stored articles (exact and near duplicates; a copy at a known URL is one of the first three),
#: and rejects kept.
STORED = (
    "edunews/articles/new",
    "edunews/articles/updated",
    "edunews/articles/unchanged",
    "edunews/duplicates/exact",
    "edunews/duplicates/near",
    REJECTS_KEPT,
)
#: Records the store could not write and kept in the spool for the next run: not lost, not stored.
SPOOLED = "edunews/store/spooled"
#: Records the store could not store nor spool (the spool's disk was full too): left in the journal,
#: which the next run stores first.
JOURNALLED = "edunews/store/journalled"
#: Why the store kept records for the next run instead of storing them (the first reason it met), and
#: the folder they wait in: text for the run's closing line, beside the counters.
STORE_PROBLEM = "edunews/store/problem"
WAITING_IN = "edunews/store/waiting-in"
#: Records the store could neither store, spool nor journal (their journal write failed too: the disk
#: was full): gone from this run, their pages are fetched again by the next crawl (pending in the ledger).
NOT_KEPT = "edunews/store/not-kept"
#: Set when the database or its disk was full: the crawl stopped there (exit 2).
DISK_FULL = "edunews/store/disk-full"
#: Discovered article URLs not stored when the crawl ended (to fetch, or failed): the next crawl's.
LEDGER_PENDING = "edunews/ledger/pending"
#: Responses the archive could not write (a full disk, an unwritable folder): their pages are still read
#: and stored, without an archive copy.
ARCHIVE_FAILED = "edunews/archive/failed"

#: The verdict reason extraction gives a body that is not an HTML page (crawler.extraction.extract).
NOT_HTML_VERDICT = "not-html"

KINDS = {ARTICLE: "article", SKIPPED: "skipped", NOT_ARTICLE: "not-article", REJECTED: "rejected", ERRORS: "failed"}


def kind_of(stat: str) -> str:
    """The kind of input a stat counts: ``article``, ``skipped``, ``not-article``, ``rejected`` or
    ``failed`` (``other`` for counters that are not about one input)."""
    for prefix, kind in KINDS.items():
        if stat == prefix or stat.startswith(prefix + "/"):
            return kind
    return "other"


def error_stat(reason: str) -> str:
    """The stat of a failed input: ``error_stat("http-500")`` → ``edunews/errors/http-500``."""
    return f"{ERRORS}/{reason}"


def failures_by_reason(stats: dict[str, Any]) -> dict[str, int]:
    """How many inputs failed in a run with these stats, by reason (``http-500``, ``spool-unreadable``):
    every ``edunews/errors/*`` counter."""
    return {
        key.rsplit("/", 1)[-1]: value
        for key, value in stats.items()
        if kind_of(key) == "failed" and isinstance(value, int) and value
    }


def failure_count(stats: dict[str, Any]) -> int:
    """How many inputs failed in a run with these stats (the sum of :func:`failures_by_reason`)."""
    return sum(failures_by_reason(stats).values())


@dataclass(frozen=True)
class PageOutcome:
    """What one page became: an article, or the stat that names why not (and the detail)."""

    stat: str
    article: Article | None = None
    detail: str = ""

    @property
    def kind(self) -> str:
        return kind_of(self.stat)


def page_outcome(page: RawPage, profile: SiteProfile | None = None, budget: float | None = None) -> PageOutcome:
    """Extract ``page`` with the site profile the crawl (or replay) runs with, within ``budget``
    seconds (default: :func:`crawler.budget.extract_budget`). A redirect, a body that is not HTML, a page
    that is not an article, a body that cannot be decoded, a page that breaks extraction and one that
    runs past its budget are outcomes too, never exceptions: one bad page never stops a run."""
    from crawler.budget import OverBudget, time_budget
    from crawler.extraction.encoding import UndecodableBody
    from crawler.extraction.extract import NotAnArticle, extract_article

    if page.status == 304:  # a listing, feed or sitemap unchanged since the last crawl (in an archive)
        return PageOutcome(REDIRECT, detail="304 not modified: unchanged since the crawl before")
    if 300 <= page.status < 400:
        return PageOutcome(REDIRECT, detail=f"{page.status} to {page.header('Location') or '?'}")
    seconds = extract_budget() if budget is None else budget
    try:
        with time_budget(seconds):
            article = extract_article(page, profile)
    except OverBudget:
        return PageOutcome(EXTRACT_TIMEOUT, detail=f"extraction ran past its budget of {seconds:g} s")
    except NotAnArticle as verdict:
        stat = NOT_HTML if verdict.reason == NOT_HTML_VERDICT else f"{NOT_ARTICLE}/{verdict.reason}"
        return PageOutcome(stat, detail=verdict.detail)
    except UndecodableBody as error:
        return PageOutcome(UNDECODABLE, detail=str(error))
    except Exception as error:  # a page that breaks extraction is named and counted, never fatal
        return PageOutcome(EXTRACT_FAILED, detail=f"{type(error).__name__}: {error}"[:300])
    return PageOutcome(ARTICLE, article)


#: A worker still on one page this long past twice its time budget is stuck where no alarm reaches it.
WORKER_GRACE_SECONDS = 5.0


def _worker_deadline(page: RawPage, profile: SiteProfile | None = None, budget: float | None = None) -> float:
    return 2 * (extract_budget() if budget is None else budget) + WORKER_GRACE_SECONDS


def _worker_overran(page: RawPage, profile: SiteProfile | None = None, budget: float | None = None) -> PageOutcome:
    return PageOutcome(EXTRACT_TIMEOUT, detail="its worker stopped answering past the time budget and was replaced")


set_deadline(page_outcome, _worker_deadline, _worker_overran)


@dataclass(frozen=True)
class NotStored:
    """One input that did not become an article: where it is (a saved-page folder, ``file.warc.gz@offset``
    or a URL), the stat it was counted under, and why."""

    where: str
    stat: str
    detail: str = ""
    url: str = ""

    @property
    def kind(self) -> str:
        return kind_of(self.stat)

    @property
    def reason(self) -> str:
        """The last part of the stat: ``http-500``, ``list-page``, ``not-html``, ``short-text``..."""
        return self.stat.rsplit("/", 1)[-1]

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "reason": self.reason, **asdict(self)}


@dataclass
class Ledger:
    """Every input of a run that did not become an article, by name, in the order met. A crawl and a
    replay keep one each, so the run's summary (and ``--json``) can name each bad input, not only count it."""

    entries: list[NotStored] = field(default_factory=list)

    def note(self, where: str, stat: str, detail: str = "", url: str = "") -> None:
        self.entries.append(NotStored(where, stat, " ".join(detail.split()), url if url != where else ""))

    def note_outcome(self, page: RawPage, outcome: PageOutcome) -> None:
        """Note a page that did not become an article (articles are not noted)."""
        if outcome.article is None:
            self.note(page.origin or page.url, outcome.stat, outcome.detail, page.url)

    def failures(self) -> list[NotStored]:
        return [entry for entry in self.entries if entry.kind == "failed"]

    def as_dicts(self) -> list[dict[str, str]]:
        return [entry.as_dict() for entry in self.entries]
