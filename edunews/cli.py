"""The ``edunews`` command: a thin layer that parses arguments and formats what the library returns.

Start-up is kept short (``edunews --help`` in well under a second): this module imports click and the
small shared helpers only, and each command imports what it needs (Scrapy, SQLAlchemy, lxml, rich)
when it runs."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from edunews.cli_articles import articles, stats
from edunews.cli_frontier import connected, frontier
from edunews.cli_schedule import schedule, scheduler
from edunews.cli_serve import serve
from edunews.common import (
    EXIT_FAILURES,
    EXIT_NOT_ARTICLE,
    EXIT_OK,
    EXIT_UNUSABLE,
    db_option,
    fail,
    json_option,
    open_for_writing,
    problem_line,
    progress_bar,
    set_option,
    setting_pairs,
    stderr_console,
)
from edunews.crawl import QUIET_LOG_LEVEL, check_start_url, following_rule

if TYPE_CHECKING:
    from crawler.extraction.items import Article

#: The demo site's preferred port (edunews.demo.profile.DEMO_PORT, checked equal by the tests): named
#: here so that ``--help`` does not import the demo site.
DEMO_PORT = 8642
#: Exit code of a command stopped with Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


class Commands(click.Group):
    """The command group; a user-facing fault that reaches it (a database refusing a write mid-command,
    Ctrl-C) ends the command with one line and its exit code, not a traceback; a reader that stopped
    reading its output ends it quietly."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # here, not at exit: output still in the buffer meets a closed pipe too
        except BrokenPipeError:
            reader_gone()
        except KeyboardInterrupt:
            fail("interrupted", EXIT_INTERRUPTED)
        except Exception as error:
            line = problem_line(error)
            if line is None:
                raise
            fail(line, EXIT_UNUSABLE)


def reader_gone() -> NoReturn:
    """End quietly, exit 0, when the reader of stdout has stopped reading (``edunews articles list |
    head``), as Unix tools do: output nobody wants any more is no failure, yet click made it exit 1.
    Stdout goes to /dev/null, so that the interpreter's last flush meets no closed pipe either."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(EXIT_OK)


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


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="edunews")
def main() -> None:
    """Crawl, clean, deduplicate and store education news."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--url", help="The page's URL when PATH is a bare HTML file: resolves links, picks the site profile.")
@click.option("--format", "output_format", type=click.Choice(["json", "text"]), default="json", show_default=True)
def extract(path: Path, url: str | None, output_format: str) -> None:
    """Extract the article from one saved page and print it.

    PATH is an HTML file or a fixture folder (body.html + response.json). A page that is not an
    article prints its reason and evidence (as JSON with --format json) and exits 3; one whose
    extraction runs past EDUNEWS_EXTRACT_TIMEOUT seconds (default 5) exits 1 (extract-timeout).

    \b
    Examples:
      edunews extract fixtures/seed-contentfarm-gbk
      edunews extract page.html --url https://www.example.edu.cn/info/1044/8653.htm --format text
    """
    from dataclasses import asdict

    from crawler.budget import OverBudget, extract_budget, time_budget
    from crawler.extraction.encoding import UndecodableBody
    from crawler.extraction.extract import NotAnArticle, extract_article
    from crawler.extraction.pages import UnreadablePage, read_page

    budget = extract_budget()
    try:
        page = read_page(path, url)
        with time_budget(budget):
            article = extract_article(page)
    except OverBudget:
        fail(f"extract-timeout: {path}: extraction ran past its budget of {budget:g} s", EXIT_FAILURES)
    except UnreadablePage as error:
        fail(f"cannot read {error}")
    except UndecodableBody as error:
        fail(f"cannot read {path}: {error}")
    except NotAnArticle as error:
        if output_format == "json":
            verdict = {"article": False, "reason": error.reason, "evidence": error.detail}
            click.echo(json.dumps(verdict, ensure_ascii=False, indent=2))
        else:
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
@set_option
@json_option
def replay(paths: tuple[Path, ...], db: str | None, reextract: bool, settings: tuple[str, ...], as_json: bool) -> None:
    """Run saved pages through extraction and the pipelines into the database, with no network.

    PATHS are fixture folders (body.html + response.json), WARC files (the crawl's archive, or any
    other crawler's .warc/.warc.gz), or folders holding either. A page that cannot be read, decoded
    or extracted is named in the summary and the replay goes on; the exit code says whether any did
    (0 all stored, 1 finished with failures, 2 nothing could be done).

    \b
    Examples:
      edunews replay fixtures/
      edunews replay fixtures/ --db sqlite:///articles.db --reextract
      edunews replay edunews-archive/ --json
      edunews replay fixtures/ -s EDUNEWS_WORKER_PROCESSES=0   # extract in this process only
    """
    from crawler.extraction.pages import UnreadablePage
    from edunews.output import exit_code, finish, interrupted_line, print_summary
    from edunews.replay import input_pages, replay_pages

    try:
        total, pages = input_pages(list(paths))
    except UnreadablePage as error:
        fail(str(error))
    if total == 0:  # a folder with nothing to replay is most often the wrong folder
        where = ", ".join(str(path) for path in paths)
        fail(f"nothing to replay in {where}: no saved pages (body.html with response.json) and no WARC files")
    overrides = setting_pairs(settings)
    open_for_writing(db)
    with progress_bar("replaying", disable=as_json) as progress:
        task = progress.add_task("replay", total=total)
        summary = replay_pages(
            pages, db=db, reextract=reextract, settings=overrides, on_page=lambda: progress.advance(task)
        )
    if summary.interrupted:
        print_summary(summary, as_json=as_json, exit_code=EXIT_INTERRUPTED)
        fail(interrupted_line(summary), EXIT_INTERRUPTED)
    print_summary(summary, as_json=as_json, exit_code=exit_code(summary.stats))
    sys.exit(finish(summary.stats))


@main.command()
@click.option("--rejudge", is_flag=True, help="Judge every stored article's copies again with the current rules.")
@db_option
@json_option
def dedupe(rejudge: bool, db: str | None, as_json: bool) -> None:
    """Deduplicate what is stored again: --rejudge re-decides every article from its copies' texts.

    Copies that are other articles (another edition of a notice merged by older rules) are split
    off into articles of their own, articles that are one are joined, and each article shows its
    best copy again. No copy's text is lost, and a second run changes nothing.

    \b
    Examples:
      edunews dedupe --rejudge
      edunews dedupe --rejudge --db sqlite:///news.db --json
    """
    from edunews.output import print_rejudge
    from pipelines.rejudge import rejudge as rejudge_stored

    if not rejudge:
        fail("say what to do: --rejudge (judge every stored article's copies again)")
    sessions = open_for_writing(db, spool=False, existing=True)
    with progress_bar("rejudging", disable=as_json) as progress:
        task = progress.add_task("rejudge", total=None)
        summary = rejudge_stored(sessions, on_article=lambda: progress.advance(task))
    print_rejudge(summary, as_json=as_json)


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
        type=click.Path(),
        help='WARC archive folder; --archive "" keeps no archive. [default: ./edunews-archive]',
    ),
    click.option(
        "--state-dir",
        type=click.Path(),
        help="Folder for this crawl's journal and spool (one folder per running crawl). "
        "[default: $EDUNEWS_STATE_DIR, else beside a SQLite file, else ~/.local/state/edunews]",
    ),
    click.option("--verbose", is_flag=True, help="Show Scrapy's log."),
    set_option,
    json_option,
]


def with_options(options: list) -> Any:
    def decorate(function: Any) -> Any:
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


def crawl_overrides(
    jobdir: Path | None,
    archive_dir: str | None,
    state_dir: str | None,
    verbose: bool,
    as_json: bool,
    settings: tuple[str, ...],
) -> dict[str, Any]:
    """Settings for one crawl from the command's options; ``-s NAME=VALUE`` pairs win."""
    overrides: dict[str, Any] = {"LOG_LEVEL": "INFO" if verbose else QUIET_LOG_LEVEL}
    overrides["EDUNEWS_PROGRESS_INTERVAL"] = 0 if as_json else 2.0
    if jobdir:
        overrides["JOBDIR"] = str(jobdir)
    if state_dir:
        overrides["EDUNEWS_STATE_DIR"] = state_dir
    if archive_dir is not None:  # "" turns the archive off (a Path would have made it ".")
        overrides["EDUNEWS_ARCHIVE_DIR"] = archive_dir
    return {**overrides, **setting_pairs(settings)}


@main.command()
@click.option("--profile", help="A bundled site profile's name or a profile .toml file.")
@click.option("--url", help="Crawl from one http(s) start URL with the generic article detector instead of a profile.")
@click.option(
    "--article-pattern",
    metavar="REGEX",
    help="With --url: the links that are articles, as a regular expression searched in each link's URL.",
)
@click.option(
    "--frontier",
    envvar="EDUNEWS_FRONTIER",
    metavar="REDIS_URL",
    help='Share the crawl with every process given the same Redis (README, "Running on several machines").',
)
@with_options(crawl_options)
def crawl(
    profile: str | None,
    url: str | None,
    article_pattern: str | None,
    frontier: str | None,
    db: str | None,
    jobdir: Path | None,
    archive_dir: str | None,
    state_dir: str | None,
    verbose: bool,
    settings: tuple[str, ...],
    as_json: bool,
) -> None:
    """Crawl one site into the database, politely and incrementally.

    Article pages already stored are not fetched again; listing pages, feeds and sitemaps are asked
    for with the validators of the last finished crawl. Run it again to resume a crawl that stopped.
    With --url, the start page's links on the same host are followed when they look like articles (see
    README, "crawl --url"), or when they match --article-pattern.

    \b
    Examples:
      edunews crawl --profile moe
      edunews crawl --profile my-site.toml --db sqlite:///news.db
      edunews crawl --url https://www.example.edu.cn/xwzx/
      edunews crawl --url https://www.example.edu.cn/xwzx/ --article-pattern '/xwzx/[a-z-]+\\.html$'
      edunews crawl --profile moe --frontier redis://queue.example.lan:6379/0   (on each machine)
    """
    if bool(profile) == bool(url):
        fail("give exactly one of --profile or --url")
    if article_pattern and not url:
        fail("--article-pattern goes with --url (a profile says which links are articles with article_url)")
    from crawler.extraction.profiles import profile_problem

    problem = check_start_url(url, article_pattern) if url else profile_problem(profile or "")
    if problem:
        fail(problem)
    if frontier:
        check_frontier(frontier)
    overrides = crawl_overrides(jobdir, archive_dir, state_dir, verbose, as_json, settings)
    open_crawl_outputs(db, overrides)
    if frontier:
        overrides["EDUNEWS_FRONTIER"] = frontier
    if url and not as_json:
        stderr_console().print(following_rule(url, article_pattern), highlight=False, soft_wrap=True)
    run_and_report(profile or None, db, overrides, as_json=as_json, url=url, article_pattern=article_pattern)


def open_crawl_outputs(db: str | None, overrides: dict[str, Any]) -> None:
    """Check, before a crawl starts, everything it writes: its archive folder, then the database, its
    journal and spool (the archive first: a refused crawl leaves no new database behind). An archive
    path that was a file was found at the first response, and every page of the crawl then went
    without an archive copy (exit 1); now it is one line and exit 2."""
    from crawler.config import project_settings
    from crawler.folders import folder_problem

    archive = project_settings(overrides).get("EDUNEWS_ARCHIVE_DIR")
    folder = Path(archive).absolute() if archive else None
    problem = folder_problem(folder) if folder else None
    if problem:
        fail(f"cannot write the archive in {folder}: {problem}")
    open_for_writing(db, state_dir=overrides.get("EDUNEWS_STATE_DIR"))


def check_frontier(url: str) -> None:
    """Refuse a frontier that cannot be reached before the crawl starts: one line, exit 2."""
    connected(url).close()


def run_and_report(profile: Any, db: str | None, overrides: dict[str, Any], *, as_json: bool, **spider: Any) -> None:
    """Run one crawl, print its summary and exit with the code that says how it went."""
    from edunews.crawl import CrawlNotStarted, run_crawl
    from edunews.output import exit_code, finish, print_crawl

    try:
        result = run_crawl(profile, db=db, overrides=overrides, **spider)
    except CrawlNotStarted as error:
        fail(str(error))
    print_crawl(result, db, as_json=as_json, exit_code=exit_code(result.stats))
    sys.exit(finish(result.stats, hint=result.hint))


@main.command()
@click.option(
    "--port", type=int, default=DEMO_PORT, show_default=True, help="Port for the demo site (a free one if taken)."
)
@with_options(crawl_options)
def demo(
    port: int,
    db: str | None,
    jobdir: Path | None,
    archive_dir: str | None,
    state_dir: str | None,
    verbose: bool,
    settings: tuple[str, ...],
    as_json: bool,
) -> None:
    """Serve the bundled demo site on 127.0.0.1 and crawl it into the database.

    The demo site has education-news listing pages with pagination, articles (GBK, Big5, UTF-8 pages,
    reposts, a two-page article), a sitemap, a feed, a robots.txt, and pages that fail: a broken page,
    a slow page, a redirect, a redirect loop, a missing page, an empty and a binary page. Those are
    listed by URL at the end, and make the exit code 1 (finished with failures), as in any crawl.

    \b
    Examples:
      edunews demo
      edunews demo --db sqlite:///demo.db --json
    """
    from edunews.demo.profile import DEMO_CRAWL_SETTINGS, demo_profile

    overrides = DEMO_CRAWL_SETTINGS | crawl_overrides(jobdir, archive_dir, state_dir, verbose, as_json, settings)
    open_crawl_outputs(db, overrides)
    site = start_demo_site(port)
    try:
        if not as_json:
            stderr_console().print(f"demo site at {site.url}  (robots.txt, sitemap.xml, feed.xml, /news/)")
        run_and_report(demo_profile(site.url), db, overrides, as_json=as_json)
    finally:
        site.stop()


def start_demo_site(port: int) -> Any:
    """The demo site on ``port``, or on a free port when that one is taken, said in one line: the
    site's URLs then differ from a run on ``port``, so a database that crawled it there gets every
    page again as a new copy, and the run is not incremental."""
    from edunews.demo.site import DemoSite

    try:
        return DemoSite(port=port).start()
    except OSError as error:
        site = DemoSite().start()
        click.echo(
            f"edunews: port {port} is taken ({error.strerror or error}): the demo site is on {site.url} "
            f"instead, so a database that crawled it on {port} fetches and copies every page again",
            err=True,
        )
        return site


for command in (articles, stats, serve, schedule, scheduler, frontier):
    main.add_command(command)
