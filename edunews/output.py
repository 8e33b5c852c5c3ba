"""How results are shown: readable tables on a terminal, JSON for scripts, and the closing line and exit
code that say how a run went."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from crawler.outcome import (
    ARCHIVE_FAILED,
    DISK_FULL,
    JOURNALLED,
    LEDGER_PENDING,
    NOT_KEPT,
    SPOOL_UNREADABLE,
    SPOOLED,
    STORE_PROBLEM,
    STORED,
    WAITING_IN,
    Ledger,
    NotStored,
    failure_count,
    failures_by_reason,
)
from edunews.common import EXIT_FAILURES, EXIT_OK, EXIT_UNUSABLE, stdout_console
from pipelines.timezones import in_offset

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from edunews.crawl import CrawlResult
    from edunews.replay import ReplaySummary
    from pipelines.rejudge import RejudgeSummary

#: Stored articles listed after a crawl.
ARTICLE_ROWS = 30
#: Inputs of one kind listed on a terminal before "and N more" (failures are always listed whole;
#: ``--json`` lists everything).
LISTED_PER_KIND = 20
#: Characters of a failure's detail shown in the terminal table.
DETAIL_CHARS = 100
#: The order kinds of unstored input are listed in: what needs attention first.
KIND_ORDER = ("failed", "rejected", "not-article", "skipped")
#: The stat of the crawl-run row, which is an id, not a counter.
RUN_ID = "edunews/run_id"

#: Summary sections: counter prefix and the heading shown for it.
SUMMARY_SECTIONS = (
    ("edunews/pages", "pages"),
    ("edunews/articles", "articles"),
    ("edunews/duplicates", "duplicates by level"),
    ("edunews/rejected", "rejects by reason"),
    ("edunews/errors", "errors"),
    ("edunews/store", "storage"),
)


def note_quarantined(stats: dict[str, Any], ledger: Ledger) -> None:
    """Count and name, as a failure of the run, the spool lines it could not read and moved to
    quarantine (``pipelines.spool``): a record is never dropped without a word."""
    from pipelines.spool import quarantined

    for path, lines in quarantined():
        stats[SPOOL_UNREADABLE] = stats.get(SPOOL_UNREADABLE, 0) + lines
        ledger.note(str(path), SPOOL_UNREADABLE, f"{lines} unreadable spool line{'s' * (lines != 1)} moved here")


def exit_code(stats: dict[str, Any]) -> int:
    """0 when everything was done; 1 when some input failed, records were spooled or journalled instead
    of stored, responses could not be archived, or a crawl stopped before it finished; 2 when a full
    disk (or database) stopped it."""
    if stats.get(DISK_FULL):
        return EXIT_UNUSABLE
    stopped = stats.get("finish_reason") not in (None, "finished")
    incomplete = stats.get(SPOOLED) or stats.get(JOURNALLED) or stats.get(ARCHIVE_FAILED)
    return EXIT_FAILURES if failure_count(stats) or incomplete or stopped else EXIT_OK


def finish(stats: dict[str, Any], *, hint: str = "") -> int:
    """The run's exit code, after the closing lines on stderr saying why it is not 0 (and a hint);
    called once the summary is printed."""
    code = exit_code(stats)
    for line in closing_lines(stats):
        click.echo(f"edunews: {line}", err=True)
    if hint:
        click.echo(f"edunews: {hint}", err=True)
    return code


def closing_lines(stats: dict[str, Any]) -> list[str]:
    """What kept a run from a clean 0, in a line each: failed inputs by reason, spooled records,
    responses missing from the archive, an unfinished crawl. A full disk is one line alone: nothing
    else matters until there is room."""
    if stats.get(DISK_FULL):
        return [disk_full_line(stats)]
    lines = []
    failed = failure_count(stats)
    if failed:
        # By the counters, as the total is: one entry of the ledger can name several inputs (a
        # quarantine file of 2 unreadable lines), so its entries undercounted ("2 failed (… 1)").
        listed = ", ".join(f"{reason} {count}" for reason, count in sorted(failures_by_reason(stats).items()))
        lines.append(
            f"finished with failures: {failed} input{'s' * (failed != 1)} failed ({listed}), each named in the summary"
        )
    if stats.get(SPOOLED) or stats.get(JOURNALLED):
        lines.append(waiting_line(stats))
    if stats.get(ARCHIVE_FAILED):
        lines.append(
            f"{stats[ARCHIVE_FAILED]} responses could not be written to the archive (the first error is shown above); "
            "their pages were read and stored without an archive copy"
        )
    if stats.get("finish_reason") not in (None, "finished"):
        lines.append(f"the crawl stopped before it finished ({stats['finish_reason']}); run it again to go on")
    return lines


def waiting_line(stats: dict[str, Any]) -> str:
    """How many records a run could not store, why, and where they wait for the next run; with the
    article URLs the ledger still waits for, when the ledger could be read at the end."""
    why = f" ({stats[STORE_PROBLEM]})" if stats.get(STORE_PROBLEM) else ""
    where = stats.get(WAITING_IN) or "the spool or journal"
    pending = f", {stats[LEDGER_PENDING]} article URLs in the ledger" if LEDGER_PENDING in stats else ""
    return (
        f"{stats.get(SPOOLED, 0) + stats.get(JOURNALLED, 0)} records could not be stored{why} and wait in "
        f"{where}{pending}; the next run stores and fetches them first"
    )


def stored_count(stats: dict[str, Any]) -> int:
    """Records a run stored (see ``crawler.outcome.STORED``)."""
    return sum(stats.get(key, 0) for key in STORED)


def disk_full_line(stats: dict[str, Any]) -> str:
    """The one line of a crawl a full disk stopped: where every record it took is, stored, spooled,
    journalled or nowhere (the ledger still has their URLs), and what the ledger waits for."""
    return (
        f"the disk is full: the crawl stopped with {stored_count(stats)} records stored, "
        f"{stats.get(SPOOLED, 0)} spooled, {stats.get(JOURNALLED, 0)} journalled and {stats.get(NOT_KEPT, 0)} "
        f"kept nowhere (their pages are fetched again); {stats.get(LEDGER_PENDING, 0)} article URLs are pending "
        "in the ledger; free some space and run the same crawl again"
    )


def interrupted_line(summary: ReplaySummary) -> str:
    """The closing line of a replay stopped with Ctrl-C: how far it read, and whether every input read
    is in the summary (the first Ctrl-C) or the articles the pipelines held are not (a second one)."""
    accounted = (
        "the articles read but not yet stored are in no figure"
        if summary.at_once
        else "each is stored or named in the summary"
    )
    return f"interrupted after {summary.pages} inputs ({accounted}): run the same replay again to store the rest"


def summary_rows(summary: ReplaySummary) -> list[tuple[str, str, int]]:
    """(section, counter, value) rows of a replay summary, pages read first."""
    rows = [("pages", "read", summary.pages)]
    for prefix, heading in SUMMARY_SECTIONS:
        rows += [(heading, name, value) for name, value in summary.group(prefix).items()]
    if summary.rejudged is not None:
        rows += [("rejudged", name, value) for name, value in rejudge_rows(summary.rejudged)]
    return rows


def rejudge_rows(summary: RejudgeSummary) -> list[tuple[str, int]]:
    """(label, count) rows of a rejudge: articles checked, split off, joined and re-elected."""
    return [
        ("articles checked", summary.checked),
        ("split off", summary.split),
        ("joined", summary.joined),
        ("re-elected", summary.reelected),
    ]


def print_rejudge(summary: RejudgeSummary, *, as_json: bool) -> None:
    """What ``edunews dedupe --rejudge`` did, as a table or JSON."""
    if as_json:
        click.echo(json.dumps(asdict(summary), indent=2))
        return
    from rich.table import Table

    table = Table(title="rejudge summary")
    table.add_column("")
    table.add_column("count", justify="right")
    for label, count in rejudge_rows(summary):
        table.add_row(label, str(count))
    stdout_console().print(table)


def print_summary(summary: ReplaySummary, *, as_json: bool, exit_code: int = EXIT_OK) -> None:
    if as_json:
        report = {
            "pages": summary.pages,
            "stats": summary.stats,
            "failed": summary.failed,
            "not_stored": summary.ledger.as_dicts(),
            "exit_code": exit_code,
        }
        if summary.rejudged is not None:
            report["rejudged"] = asdict(summary.rejudged)
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(title="replay summary")
    for column in ("", "", "count"):
        table.add_column(column, justify="right" if column else "left")
    previous = None
    for section, name, value in summary_rows(summary):
        table.add_row(section if section != previous else "", name, str(value))
        previous = section
    console = stdout_console()
    console.print(table)
    print_ledger(summary.ledger)


def print_ledger(ledger: Ledger) -> None:
    """The inputs that did not become articles, by name: every failure, then the others by kind (up to
    ``LISTED_PER_KIND`` of each on a terminal)."""
    if not ledger.entries:
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="not stored", title_justify="left")
    table.add_column("where", overflow="fold", ratio=3)
    table.add_column("outcome", no_wrap=True)
    table.add_column("why", overflow="fold", ratio=4)
    for kind in KIND_ORDER:
        entries = [entry for entry in ledger.entries if entry.kind == kind]
        shown = entries if kind == "failed" else entries[:LISTED_PER_KIND]
        for entry in shown:
            table.add_row(escape(entry.where), f"{kind}: {entry.reason}", escape(_detail(entry)))
        if len(entries) > len(shown):
            table.add_row("", f"{kind}: …", f"and {len(entries) - len(shown)} more (--json lists every one)")
    stdout_console().print(table)


def _detail(entry: NotStored) -> str:
    text = f"{entry.url}: {entry.detail}" if entry.url else entry.detail
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"


def print_crawl(result: CrawlResult, db: str | None, *, as_json: bool, exit_code: int = EXIT_OK) -> None:
    """A crawl's outcome: its counters, what was not stored and why, then the stored articles."""
    console = stdout_console()
    stored, unread = newest_articles(db)
    rows = [dict(zip(ARTICLE_COLUMNS, article_values(a, ARTICLE_COLUMNS), strict=True)) for a in stored]
    stats = result.stats
    shown = ("edunews/", "downloader/response_")
    counters = {key: value for key, value in stats.items() if key.startswith(shown) and key != RUN_ID}
    if as_json:
        report = {
            "run_id": stats.get(RUN_ID),
            "stats": {**counters, RUN_ID: stats.get(RUN_ID)},
            "failed": failure_count(stats),
            "not_stored": result.ledger.as_dicts(),
            "exit_code": exit_code,
            "articles": rows,
        }
        if unread:
            report["articles_unread"] = unread
        click.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return
    from rich.table import Table

    run = f" (crawl run {stats[RUN_ID]})" if stats.get(RUN_ID) else ""
    summary = Table(title=f"crawl summary{run}")
    summary.add_column("counter")
    summary.add_column("count", justify="right")
    for key, value in sorted(counters.items()):
        if isinstance(value, int | float):  # (the store's reasons in words are in the closing line)
            summary.add_row(key.removeprefix("edunews/"), str(value))
    console.print(summary)
    print_ledger(result.ledger)
    if stored:
        print_articles(console, f"stored articles (newest {ARTICLE_ROWS})", stored)
    else:
        console.print(f"the stored articles could not be read: {unread}" if unread else "no articles stored yet")


def newest_articles(db: str | None) -> tuple[list[Any], str]:
    """The newest stored articles, or none and why: a database gone by the end of a crawl must not
    take the crawl's summary with it (the summary says what waits in the spool for it)."""
    from sqlalchemy.exc import DBAPIError

    from pipelines import storage
    from pipelines.db import DatabaseProblem, StorageUnavailable, database_url, explain, open_database

    try:
        with open_database(db, attempts=2)() as session:
            return storage.recent_articles(session, limit=ARTICLE_ROWS), ""
    except (DatabaseProblem, StorageUnavailable) as error:
        return [], str(error)
    except DBAPIError as error:
        return [], explain(error, database_url(db))


#: The columns of an article table, in order, and those kept on a terminal narrower than
#: ``WIDE_TERMINAL`` columns, where the headline needs the room (a Chinese headline folded into a
#: five-character column is unreadable): no source, the date without the time.
ARTICLE_COLUMNS = ("id", "published", "title", "site", "source", "copies")
NARROW_ARTICLE_COLUMNS = ("id", "published", "title", "site", "copies")
WIDE_TERMINAL = 110
#: Columns cut short with "…" rather than wrapped, and their widest.
CUT_COLUMNS = {"site": 16, "source": 12}


def article_table(title: str, width: int) -> tuple[Table, tuple[str, ...]]:
    """A table of articles for a terminal ``width`` columns wide, and the columns it shows: the headline
    takes the spare width and folds (Chinese has no spaces to wrap at); ids, dates and counts never
    wrap; site and source names are cut short."""
    from rich import box
    from rich.table import Table

    columns = ARTICLE_COLUMNS if width >= WIDE_TERMINAL else NARROW_ARTICLE_COLUMNS
    table = Table(title=title, box=box.SIMPLE_HEAD)
    for column in columns:
        if column == "title":
            table.add_column(column, overflow="fold", ratio=1, min_width=16)
        elif column in CUT_COLUMNS:
            table.add_column(column, no_wrap=True, overflow="ellipsis", max_width=CUT_COLUMNS[column])
        else:
            table.add_column(column, no_wrap=True)
    return table, columns


def article_values(article: Any, columns: tuple[str, ...]) -> list[str]:
    """One stored article as the text of each of ``columns``."""
    published = local_time(article.published_at, article.published_offset)
    values = {
        "id": str(article.id),
        "published": published if "source" in columns else published[:10],
        "title": article.title,
        "site": article.site_name or article.site,
        "source": article.source or "",
        "copies": str(len(article.sightings)),
    }
    return [values[column] for column in columns]


def print_articles(console: Console, title: str, articles: list[Any]) -> None:
    """Stored articles as a table fitted to the terminal."""
    from rich.markup import escape

    table, columns = article_table(escape(title), console.width)  # a query in the title is text, not markup
    for article in articles:
        table.add_row(*(escape(value) for value in article_values(article, columns)))
    console.print(table)


def local_time(moment: datetime | None, offset: str | None) -> str:
    """A stored UTC time shown in the offset the page gave it."""
    return in_offset(moment, offset).strftime("%Y-%m-%d %H:%M") if moment else ""


def published_as_shown(moment: datetime | None, offset: str | None) -> str:
    """:func:`local_time` with the offset it is in (``2021-04-27 10:35 +08:00``); UTC where the page
    gave none."""
    return f"{local_time(moment, offset)} {offset or 'UTC'}" if moment else ""
