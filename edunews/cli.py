"""The ``edunews`` command: a thin layer that parses arguments and formats what the library returns."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from crawler.encoding import UndecodableBody
from crawler.extract import NotAnArticle, extract_article
from crawler.items import Article
from crawler.pages import UnreadablePage, iter_saved_pages, read_page, saved_page_folders
from edunews.output import print_summary
from pipelines.replay import replay_pages

#: Exit codes: 2 for input that cannot be read, 3 for a page that is not an article.
EXIT_UNREADABLE = 2
EXIT_NOT_ARTICLE = 3


def stderr_console() -> Console:
    return Console(stderr=True)


def fail(message: str, code: int) -> NoReturn:
    """One clear line on stderr and the exit code; never a traceback for a user's mistake."""
    click.echo(f"edunews: {message}", err=True)
    sys.exit(code)


def article_as_text(article: Article) -> str:
    """A reader's view of an article: headline, metadata lines, then the clean text."""
    lines = [article.title or "(no title)", ""]
    for label, value in (
        ("url", article.url),
        ("published", article.published_at),
        ("authors", ", ".join(article.authors)),
        ("source", article.source),
        ("site", article.site_name),
    ):
        if value:
            lines.append(f"{label}: {value}")
    lines += ["", article.text or "", ""]
    if article.removed:
        lines.append(f"removed {len(article.removed)} blocks:")
        lines += [f"  [{item['reason']}] {item['text'][:80]}" for item in article.removed]
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="edunews")
def main() -> None:
    """Crawl, clean, deduplicate and store education news."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--url", help="The page's URL when PATH is a bare HTML file: resolves links, picks the site profile.")
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="json", show_default=True)
def extract(path: Path, url: str | None, output_format: str) -> None:
    """Extract the article from one saved page and print it.

    PATH is an HTML file or a fixture folder (body.html + response.json).

    \b
    Examples:
      edunews extract fixtures/seed-contentfarm-gbk
      edunews extract page.html --url https://www.example.edu.cn/info/1044/8653.htm --format text
    """
    try:
        article = extract_article(read_page(path, url))
    except (UnreadablePage, UndecodableBody) as error:
        fail(f"cannot read {path}: {error}", EXIT_UNREADABLE)
    except NotAnArticle as error:
        click.echo(f"not an article: {error.reason}")
        sys.exit(EXIT_NOT_ARTICLE)
    if output_format == "json":
        click.echo(json.dumps(asdict(article), ensure_ascii=False, indent=2))
    else:
        click.echo(article_as_text(article))


db_option = click.option(
    "--db",
    envvar="EDUNEWS_DB",
    help="Database: a SQLAlchemy URL or a SQLite file path. [default: $EDUNEWS_DB, else ./edunews.sqlite]",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON instead of a table.")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--reextract", is_flag=True, help="Refresh stored articles extracted by older rules, even if unchanged.")
@json_option
def replay(paths: tuple[Path, ...], db: str | None, reextract: bool, as_json: bool) -> None:
    """Run saved pages through extraction and the pipelines into the database, with no network.

    PATHS are fixture folders (body.html + response.json) or folders holding them.

    \b
    Examples:
      edunews replay fixtures/
      edunews replay fixtures/ --db sqlite:///articles.db --reextract
    """
    try:
        folders = saved_page_folders(list(paths))
    except UnreadablePage as error:
        fail(str(error), EXIT_UNREADABLE)
    columns = (TextColumn("replaying"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr_console(), transient=True, disable=as_json) as progress:
        task = progress.add_task("replay", total=len(folders))
        summary = replay_pages(
            iter_saved_pages(folders), db=db, reextract=reextract, on_page=lambda: progress.advance(task)
        )
    print_summary(summary, as_json=as_json)
