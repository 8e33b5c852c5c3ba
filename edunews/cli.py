"""The ``edunews`` command: a thin layer that parses arguments and formats what the library returns."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from crawler.encoding import UndecodableBody
from crawler.extract import NotAnArticle, extract_article
from crawler.items import Article
from crawler.pages import UnreadablePage, read_page

#: Exit codes: 2 for input that cannot be read, 3 for a page that is not an article.
EXIT_UNREADABLE = 2
EXIT_NOT_ARTICLE = 3


def fail(message: str, code: int) -> None:
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
