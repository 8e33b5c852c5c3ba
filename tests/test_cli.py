"""The ``edunews extract`` command as a user runs it: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from crawler.outcome import ARCHIVE_FAILED
from edunews.cli import main
from edunews.common import EXIT_FAILURES, EXIT_NOT_ARTICLE, EXIT_OK, EXIT_UNUSABLE
from edunews.output import closing_lines, exit_code

FIXTURES = Path(__file__).parent.parent / "fixtures"


def run(*args: str):  # noqa: ANN201 - click's Result
    return CliRunner().invoke(main, list(args))


def test_extract_prints_the_article_as_json() -> None:
    result = run("extract", str(FIXTURES / "seed-contentfarm-gbk"))
    assert result.exit_code == 0
    article = json.loads(result.output)
    assert article["title"] == "吹响川渝职业教育协同发展的嘹亮号角"
    assert "白癜风" not in article["text"]
    assert {"reason": "spam-link", "text": article["removed"][0]["text"]} == article["removed"][0]


def test_extract_text_format_shows_headline_text_and_removed_blocks() -> None:
    result = run("extract", str(FIXTURES / "seed-contentfarm-gbk"), "--format", "text")
    assert result.exit_code == 0
    assert result.output.startswith("吹响川渝职业教育协同发展的嘹亮号角\n")
    assert "[reprint-notice] 转载请注明地址" in result.output


def test_bare_html_file_takes_its_url_from_the_option(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes((FIXTURES / "seed-contentfarm-gbk" / "body.html").read_bytes())
    result = run("extract", str(page), "--url", "http://www.1xbbk.net/jwbzn/4984.html")
    assert result.exit_code == 0
    assert json.loads(result.output)["url"] == "http://www.1xbbk.net/jwbzn/4984.html"


def test_list_page_prints_the_reason_with_its_evidence_and_exits_3() -> None:
    result = run("extract", str(FIXTURES / "list-page"), "--format", "text")
    assert result.exit_code == EXIT_NOT_ARTICLE
    reason, evidence = result.output.strip().split(" (", 1)
    assert reason == "not an article: list-page"
    assert "no headline shown" in evidence and "headline links on the page" in evidence


def test_missing_file_is_one_line_on_stderr_and_exit_2(tmp_path: Path) -> None:
    result = run("extract", str(tmp_path / "nope.html"))
    assert result.exit_code == EXIT_UNUSABLE
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "nope.html" in result.stderr


def test_binary_body_is_one_line_on_stderr_and_exit_2(tmp_path: Path) -> None:
    pdf = tmp_path / "report.html"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    result = run("extract", str(pdf))
    assert result.exit_code == EXIT_UNUSABLE
    assert "PDF" in result.stderr and "Traceback" not in result.stderr


def test_empty_file_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = run("extract", str(empty))
    assert result.exit_code == EXIT_UNUSABLE
    assert "empty" in result.stderr


def test_every_command_is_documented_with_an_example() -> None:
    def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
        found = []
        for name, command in group.commands.items():
            found.append((prefix + name, command))
            if isinstance(command, click.Group):
                found += commands(command, prefix + name + " ")
        return found

    for name, command in commands(main):
        if isinstance(command, click.Group):
            continue
        assert command.help and "Example" in command.help, f"`edunews {name}` has no example in its help"


def imported(*args: str, cwd: Path) -> set[str]:
    """The top-level packages ``python -m edunews ARGS`` imported (``-X importtime``)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "edunews", *args], capture_output=True, text=True, cwd=cwd
    )
    return {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}


def test_help_and_version_import_none_of_the_heavy_packages(tmp_path: Path) -> None:
    """Start-up stays short (benchmarks/startup.py measures it): the heavy packages load with the
    commands that use them."""
    for args in (["--help"], ["--version"], ["crawl", "--help"], ["articles", "--help"]):
        assert not imported(*args, cwd=tmp_path) & {"scrapy", "twisted", "sqlalchemy", "lxml", "numpy", "rich"}


def test_reading_the_database_imports_neither_the_crawler_nor_the_migrations(tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    assert CliRunner().invoke(main, ["replay", str(FIXTURES / "moe-style"), "--db", str(db)]).exit_code == 0
    heavy = imported("articles", "list", "--db", str(db), cwd=tmp_path)
    assert "sqlalchemy" in heavy and not heavy & {"scrapy", "twisted", "alembic", "numpy", "lxml"}


def test_the_demo_port_named_for_help_is_the_demo_sites() -> None:
    from edunews.cli import DEMO_PORT as shown
    from edunews.demo.profile import DEMO_PORT

    assert shown == DEMO_PORT


def test_a_run_that_could_not_archive_every_response_is_not_a_clean_run_and_says_so() -> None:
    stats = {"finish_reason": "finished", ARCHIVE_FAILED: 3, "edunews/pages/articles": 3}

    assert exit_code(stats) == EXIT_FAILURES
    [line] = closing_lines(stats)
    assert line.startswith("3 responses could not be written to the archive")
    assert exit_code({"finish_reason": "finished", "edunews/pages/articles": 3}) == EXIT_OK
