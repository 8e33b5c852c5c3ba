"""``edunews articles ...`` and ``edunews stats``: looking into the database from a terminal."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import click

from edunews.common import (
    EXIT_UNUSABLE,
    db_option,
    fail,
    json_option,
    limit_option,
    open_for_reading,
    stdout_console,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pipelines.models import Article

#: Written first in a CSV export: the byte-order mark that tells Excel the file is UTF-8.
BOM = "\ufeff"
#: What a spreadsheet reads as the start of a formula in a CSV cell.
FORMULA_OPENERS = frozenset("=+-@\t\r")

EXPORT_FIELDS = (
    "id",
    "url",
    "canonical_url",
    "title",
    "published_at",
    "published_offset",
    "source",
    "site",
    "site_name",
    "language",
    "authors",
    "keywords",
    "text",
)


def parse_day(value: str | None) -> date | datetime | None:
    """``--since 2024-03-01`` as a day, which each article's page dates in its own time zone; a full
    ISO time (``2024-03-01T08:00+08:00``; UTC without an offset) as that moment."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)  # a day alone; anything more (a time) is not a date
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"not a date: {value!r} (use YYYY-MM-DD)", EXIT_UNUSABLE)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def print_article_table(articles: list[Article], title: str, as_json: bool) -> None:
    from pipelines.queries import article_record

    if as_json:
        click.echo(json.dumps([article_record(a) for a in articles], ensure_ascii=False, indent=2))
        return
    from edunews.output import print_articles

    print_articles(stdout_console(), title, articles)


@click.group()
def articles() -> None:
    """List, show, search and export stored articles."""


@articles.command("list")
@click.option("--site", help="Only this site (host name or site name).")
@click.option("--since", help="Only articles published on or after this date (YYYY-MM-DD).")
@limit_option
@db_option
@json_option
def list_command(site: str | None, since: str | None, limit: int, db: str | None, as_json: bool) -> None:
    """Stored articles, newest first.

    \b
    Example:
      edunews articles list --site www.moe.gov.cn --since 2024-01-01 --limit 20
    """
    from pipelines.queries import list_articles

    since_day = parse_day(since)
    with open_for_reading(db)() as session:
        found = list_articles(session, site=site, since=since_day, limit=limit)
        print_article_table(found, "articles", as_json)


@articles.command()
@click.argument("query")
@limit_option
@db_option
@json_option
def search(query: str, limit: int, db: str | None, as_json: bool) -> None:
    """Articles containing every word of QUERY, newest first (Chinese words and single characters
    too; punctuation is ignored).

    \b
    Examples:
      edunews articles search 教
      edunews articles search 职教
      edunews articles search "课后服务 双减"
    """
    from pipelines.queries import search_problem
    from pipelines.search import search_articles

    problem = search_problem(query)
    if problem:
        fail(problem, EXIT_UNUSABLE)
    with open_for_reading(db)() as session:
        print_article_table(search_articles(session, query, limit=limit), f"search: {query}", as_json)


@articles.command()
@click.argument("id_or_url")
@db_option
@json_option
def show(id_or_url: str, db: str | None, as_json: bool) -> None:
    """One article: clean text, metadata, every copy seen, and what the cleaner removed and why.

    \b
    Examples:
      edunews articles show 12
      edunews articles show http://www.1xbbk.net/jwbzn/4984.html
    """
    from pipelines.queries import article_record, find_article

    with open_for_reading(db)() as session:
        article = find_article(session, id_or_url)
        if article is None:
            fail(f"no article {id_or_url}", EXIT_UNUSABLE)
        record = article_record(article, with_sightings=True)
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False, indent=2))
            return
        print_article(session, article, record)


def print_article(session: Session, article: Article, record: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    from edunews.output import published_as_shown
    from pipelines.queries import changes_summary

    console = stdout_console()
    console.print(f"[bold]{escape(article.title)}[/bold]")
    # The time as the page showed it, in its own offset (stored in UTC; --json gives both).
    shown = {**record, "published": published_as_shown(article.published_at, article.published_offset)}
    for label in (
        "url",
        "canonical_url",
        "published",
        "source",
        "site_name",
        "authors",
        "editors",
        "keywords",
        "extractor_version",
    ):
        value = shown[label]
        if value:
            console.print(f"[dim]{label}:[/dim] {escape(', '.join(value) if isinstance(value, list) else str(value))}")
    console.print()
    console.print(escape(article.text))
    sightings = Table(title="copies seen (changes: against the elected copy)")
    for column in ("url", "site", "match", "elected", "changes", "similarity", "first seen", "fetches"):
        sightings.add_column(column, overflow="fold")
    for s in record["sightings"]:
        sightings.add_row(
            s["url"],
            s["site"],
            s["match"],
            "elected" if s["elected"] else "",
            changes_summary(s["changes"]),
            str(s["similarity"]),
            s["first_seen"][:16],
            str(s["fetch_count"]),
        )
    console.print(sightings)
    removed = Table(title="removed by the cleaner")
    removed.add_column("reason")
    removed.add_column("text", overflow="fold")
    for block in article.removed:
        removed.add_row(block["reason"], escape(block["text"]))
    console.print(removed)


@articles.command()
@click.option("--format", "output_format", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--since", help="Only articles published on or after this date (YYYY-MM-DD).")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="File to write. [default: stdout]",
)
@db_option
def export(output_format: str, since: str | None, output: str, db: str | None) -> None:
    """Stream every stored article as JSON lines or CSV, in constant memory.

    \b
    Examples:
      edunews articles export > articles.jsonl
      edunews articles export --format csv --since 2024-01-01 -o articles.csv
    """
    import csv

    from pipelines.queries import article_record, iter_articles

    since_day = parse_day(since)
    sessions = open_for_reading(db)  # before the file is opened: a bad --db leaves an old export whole
    try:
        opened = click.open_file(output, "w", encoding="utf-8")
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}", EXIT_UNUSABLE)
    with opened as out, sessions() as session:
        writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS) if output_format == "csv" else None
        if writer:
            out.write(BOM)  # Excel reads a CSV file as UTF-8 only when it starts with a byte-order mark
            writer.writeheader()
        for article in iter_articles(session, since=since_day):
            record = article_record(article)
            if writer:
                writer.writerow({key: spreadsheet_cell(record[key]) for key in EXPORT_FIELDS})
            else:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as the text it is: lists joined with "; ", and text that opens
    like a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return: a page's headline can be
    ``=HYPERLINK(…)``) led by an apostrophe, which Excel and LibreOffice read as "this is text" and
    do not show."""
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, str) and value[:1] in FORMULA_OPENERS:
        return "'" + value
    return value


@click.command()
@db_option
@json_option
def stats(db: str | None, as_json: bool) -> None:
    """Articles per site and per day, copies by how they matched, rejects, article URLs found and not
    stored yet (to fetch, or failed: a crawl fetches each once it is due), and each profile's last crawl.

    \b
    Example:
      edunews stats --json
    """
    from rich.table import Table

    from pipelines.queries import database_stats

    with open_for_reading(db)() as session:
        figures = database_stats(session)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    console = stdout_console()
    console.print(f"[bold]{figures['articles']}[/bold] articles")
    # Short titles and a named first column: a table is as wide as its columns, and rich folds a
    # longer title into a narrow column of words. What a table means beyond its title goes under it.
    for key, title, column, note in (
        ("per_site", "articles per site", "site", ""),
        ("per_day", "articles per day", "day", "latest days, by the date each page shows"),
        ("sightings_by_match", "copies by match", "match", ""),
        ("rejects", "rejects by reason", "reason", ""),
        ("pending", "article URLs pending", "state", "a crawl fetches each once due; failed ones back off"),
    ):
        if not figures[key]:
            console.print(f"{title}: none")
            continue
        table = Table(title=title)
        table.add_column(column)
        table.add_column("count", justify="right")
        for name, count in figures[key].items():
            table.add_row(str(name), str(count))
        console.print(table)
        if note:
            console.print(f"[dim]{note}[/dim]")
    if not figures["last_crawls"]:
        console.print("last crawl per profile: none")
        return
    runs = Table(title="last crawl per profile")
    for column in ("profile", "started (UTC)", "finish", "pages", "new", "errors"):
        runs.add_column(column)
    for run in figures["last_crawls"]:
        errors = "\n".join(f"{k} {v}" for k, v in run["errors"].items())
        runs.add_row(
            run["profile"],
            run["started_at"][:16].replace("T", " "),
            run["finish_reason"] or "(killed?)",
            str(run["pages"]),
            str(run["new"]),
            errors,
        )
    console.print(runs)
