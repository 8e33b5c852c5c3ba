"""How results are shown: readable tables on a terminal, JSON for scripts."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from edunews.replay import ReplaySummary
from pipelines import storage
from pipelines.db import open_database

#: Stored articles listed after a crawl.
ARTICLE_ROWS = 30

#: Summary sections: counter prefix and the heading shown for it.
SUMMARY_SECTIONS = (
    ("edunews/pages", "pages"),
    ("edunews/articles", "articles"),
    ("edunews/duplicates", "duplicates by level"),
    ("edunews/rejected", "rejects by reason"),
    ("edunews/errors", "errors"),
    ("edunews/store", "storage"),
)


def summary_rows(summary: ReplaySummary) -> list[tuple[str, str, int]]:
    """(section, counter, value) rows of a replay summary, pages read first."""
    rows = [("pages", "read", summary.pages)]
    for prefix, heading in SUMMARY_SECTIONS:
        rows += [(heading, name, value) for name, value in summary.group(prefix).items()]
    return rows


def print_summary(summary: ReplaySummary, *, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"pages": summary.pages, "stats": summary.stats}, ensure_ascii=False, indent=2))
        return
    table = Table(title="replay summary")
    for column in ("", "", "count"):
        table.add_column(column, justify="right" if column else "left")
    previous = None
    for section, name, value in summary_rows(summary):
        table.add_row(section if section != previous else "", name, str(value))
        previous = section
    Console().print(table)


def print_crawl(stats: dict[str, Any], db: str | None, *, as_json: bool) -> None:
    """A crawl's outcome: its counters, then the stored articles as a table."""
    sessions = open_database(db)
    with sessions() as session:
        articles = storage.recent_articles(session, limit=ARTICLE_ROWS)
        rows = [
            (
                a.id,
                a.title,
                a.site_name or a.site,
                local_time(a.published_at, a.published_offset),
                len(a.sightings),
                a.source or "",
            )
            for a in articles
        ]
    counters = {key: value for key, value in stats.items() if key.startswith(("edunews/", "downloader/response_"))}
    if as_json:
        keys = ("id", "title", "site", "published", "sightings", "source")
        click.echo(
            json.dumps(
                {"stats": counters, "articles": [dict(zip(keys, row, strict=True)) for row in rows]},
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
        return
    console = Console()
    summary = Table(title="crawl summary")
    summary.add_column("counter")
    summary.add_column("count", justify="right")
    for key, value in sorted(counters.items()):
        summary.add_row(key.removeprefix("edunews/"), str(value))
    console.print(summary)
    table = Table(title=f"stored articles (newest {ARTICLE_ROWS})")
    for column in ("id", "title", "site", "published", "sightings", "source"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(str(value) for value in row))
    console.print(table)


def local_time(moment: datetime | None, offset: str | None) -> str:
    """A stored UTC time shown in the offset the page gave it."""
    if moment is None:
        return ""
    if offset:
        sign = 1 if offset[0] == "+" else -1
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        moment = moment.astimezone(timezone(sign * timedelta(hours=hours, minutes=minutes)))
    return moment.strftime("%Y-%m-%d %H:%M")
