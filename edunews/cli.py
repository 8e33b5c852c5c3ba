"""The ``edunews`` command: a thin layer that parses arguments and formats what the library returns."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from crawler.encoding import UndecodableBody
from crawler.extract import NotAnArticle, extract_article
from crawler.items import Article
from crawler.pages import UnreadablePage, read_page
from crawler.profiles import load_profile
from edunews.cli_articles import articles, stats
from edunews.cli_schedule import schedule, scheduler
from edunews.cli_serve import serve
from edunews.common import (
    EXIT_NOT_ARTICLE,
    EXIT_UNREADABLE,
    check_database,
    db_option,
    fail,
    json_option,
    stderr_console,
)
from edunews.crawl import CrawlNotStarted, run_crawl
from edunews.demo.profile import DEMO_CRAWL_SETTINGS, DEMO_PORT, demo_profile
from edunews.demo.site import DemoSite
from edunews.output import print_crawl, print_summary
from edunews.replay import input_pages, replay_pages


def start_demo_site(port: int) -> DemoSite:
    """The demo site on ``port``, or on a free port when that one is taken."""
    try:
        return DemoSite(port=port).start()
    except OSError:
        return DemoSite().start()


def article_as_text(article: Article) -> str:
    """A reader's view of an article: headline, metadata lines, then the clean text."""
    lines = [article.title or "(no title)", ""]
    for label, value in (
        ("url", article.url),
        ("published", article.published_at),
        ("authors", ", ".join(article.authors)),
        ("source", article.source),
        ("site", article.site_name),
        ("evidence", article.evidence),
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
        click.echo(f"not an article: {error.reason} ({error.detail})")
        sys.exit(EXIT_NOT_ARTICLE)
    if output_format == "json":
        click.echo(json.dumps(asdict(article), ensure_ascii=False, indent=2))
    else:
        click.echo(article_as_text(article))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--reextract", is_flag=True, help="Refresh stored articles extracted by older rules, even if unchanged.")
@json_option
def replay(paths: tuple[Path, ...], db: str | None, reextract: bool, as_json: bool) -> None:
    """Run saved pages through extraction and the pipelines into the database, with no network.

    PATHS are fixture folders (body.html + response.json), WARC files (the crawl's archive, or any
    other crawler's .warc/.warc.gz), or folders holding either.

    \b
    Examples:
      edunews replay fixtures/
      edunews replay fixtures/ --db sqlite:///articles.db --reextract
      edunews replay edunews-archive/
    """
    try:
        total, pages = input_pages(list(paths))
    except UnreadablePage as error:
        fail(str(error), EXIT_UNREADABLE)
    columns = (TextColumn("replaying"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr_console(), transient=True, disable=as_json) as progress:
        task = progress.add_task("replay", total=total)
        summary = replay_pages(pages, db=db, reextract=reextract, on_page=lambda: progress.advance(task))
    print_summary(summary, as_json=as_json)


crawl_options = [
    db_option,
    click.option(
        "--jobdir",
        type=click.Path(path_type=Path),
        help="Scrapy job folder: a crawl stopped with Ctrl-C resumes from it.",
    ),
    click.option(
        "--archive",
        "archive_dir",
        type=click.Path(path_type=Path),
        help="WARC archive folder. [default: ./edunews-archive]",
    ),
    click.option("--verbose", is_flag=True, help="Show Scrapy's log."),
    click.option(
        "-s",
        "--set",
        "settings",
        multiple=True,
        metavar="NAME=VALUE",
        help="Override a setting of crawler/settings.py, e.g. -s DOWNLOAD_DELAY=2 (repeatable).",
    ),
    json_option,
]


def with_options(options: list) -> Any:
    def decorate(function: Any) -> Any:
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


def crawl_overrides(
    jobdir: Path | None, archive_dir: Path | None, verbose: bool, as_json: bool, settings: tuple[str, ...]
) -> dict[str, Any]:
    """Settings for one crawl from the command's options; ``-s NAME=VALUE`` pairs win."""
    overrides: dict[str, Any] = {"LOG_LEVEL": "INFO" if verbose else "WARNING"}
    overrides["EDUNEWS_PROGRESS_INTERVAL"] = 0 if as_json else 2.0
    if jobdir:
        overrides["JOBDIR"] = str(jobdir)
    if archive_dir:
        overrides["EDUNEWS_ARCHIVE_DIR"] = str(archive_dir)
    for pair in settings:
        name, separator, value = pair.partition("=")
        if not separator or not name:
            fail(f"-s takes NAME=VALUE, got {pair!r}", EXIT_UNREADABLE)
        overrides[name.strip()] = value
    return overrides


@main.command()
@click.option("--profile", help="A bundled site profile's name or a profile .toml file.")
@click.option("--url", help="Crawl from one start URL with the generic detector instead of a profile.")
@with_options(crawl_options)
def crawl(
    profile: str | None,
    url: str | None,
    db: str | None,
    jobdir: Path | None,
    archive_dir: Path | None,
    verbose: bool,
    settings: tuple[str, ...],
    as_json: bool,
) -> None:
    """Crawl one site into the database, politely and incrementally.

    Article pages already stored are not fetched again; listing pages, feeds and sitemaps are asked
    for with the validators of the last finished crawl. Run it again to resume a crawl that stopped.

    \b
    Examples:
      edunews crawl --profile moe
      edunews crawl --profile my-site.toml --db sqlite:///news.db
      edunews crawl --url https://www.example.edu.cn/xwzx/
    """
    if bool(profile) == bool(url):
        fail("give exactly one of --profile or --url", EXIT_UNREADABLE)
    try:
        load_profile(profile) if profile else None
    except ValueError as error:
        fail(str(error), EXIT_UNREADABLE)
    check_database(db)
    overrides = crawl_overrides(jobdir, archive_dir, verbose, as_json, settings)
    try:
        stats = run_crawl(profile, url, db=db, overrides=overrides)
    except CrawlNotStarted as error:
        fail(str(error), EXIT_UNREADABLE)
    print_crawl(stats, db, as_json=as_json)


@main.command()
@click.option(
    "--port", type=int, default=DEMO_PORT, show_default=True, help="Port for the demo site (a free one if taken)."
)
@with_options(crawl_options)
def demo(
    port: int,
    db: str | None,
    jobdir: Path | None,
    archive_dir: Path | None,
    verbose: bool,
    settings: tuple[str, ...],
    as_json: bool,
) -> None:
    """Serve the bundled demo site on 127.0.0.1 and crawl it into the database.

    The demo site has education-news listing pages with pagination, articles (GBK, Big5, UTF-8 pages,
    reposts, a two-page article), a sitemap, a feed, a robots.txt, and pages that fail: a broken page,
    a slow page, a redirect, a redirect loop, a missing page, an empty and a binary page.

    \b
    Examples:
      edunews demo
      edunews demo --db sqlite:///demo.db --json
    """
    check_database(db)
    site = start_demo_site(port)
    try:
        if not as_json:
            stderr_console().print(f"demo site at {site.url}  (robots.txt, sitemap.xml, feed.xml, /news/)")
        overrides = DEMO_CRAWL_SETTINGS | crawl_overrides(jobdir, archive_dir, verbose, as_json, settings)
        stats = run_crawl(demo_profile(site.url), db=db, overrides=overrides)
    finally:
        site.stop()
    print_crawl(stats, db, as_json=as_json)


for command in (articles, stats, serve, schedule, scheduler):
    main.add_command(command)
