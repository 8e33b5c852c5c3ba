"""Inspecting the database from the command line: list, show, search, export, stats."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from postgres import DATABASES, new_database

from edunews.cli import main
from edunews.cli_articles import parse_day, spreadsheet_cell
from edunews.replay import input_pages, replay_pages
from pipelines.search import terms
from pipelines.timezones import in_offset

FIXTURES = Path(__file__).parent.parent / "fixtures"
#: Articles the fixtures store: 22 article pages, two of them pages of one article.
ARTICLES = 21


@pytest.fixture(scope="module", params=DATABASES)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The fixtures replayed into SQLite, and into PostgreSQL: the commands answer the same on both."""
    database = new_database(request, tmp_path_factory.mktemp("articles"))
    _, pages = input_pages([FIXTURES])
    replay_pages(pages, db=database)
    return database


def run(*args: str):  # noqa: ANN201 - click's Result
    return CliRunner().invoke(main, list(args))


def test_search_terms_are_chinese_characters_bigrams_and_words() -> None:
    assert terms("职教联盟 Literacy plan") == {"职", "教", "联", "盟", "职教", "教联", "联盟", "literacy", "plan"}


@pytest.mark.parametrize(
    ("query", "title_part"),
    [("职教", "川渝职业教育"), ("literacy", "Maple Valley"), ("课后服务", "课后服务"), ("癫痫", "癫痫")],
)
def test_search_finds_chinese_two_character_words_and_english_words(db: str, query: str, title_part: str) -> None:
    result = run("articles", "search", query, "--db", db, "--json")
    assert result.exit_code == 0
    titles = [article["title"] for article in json.loads(result.output)]
    assert titles and any(title_part in title for title in titles)
    assert all(query.lower() in (a["title"] + a["text"]).lower() for a in json.loads(result.output))


def test_search_for_absent_words_finds_nothing(db: str) -> None:
    assert json.loads(run("articles", "search", "量子计算机", "--db", db, "--json").output) == []


def test_list_filters_by_site_and_date(db: str) -> None:
    everything = json.loads(run("articles", "list", "--db", db, "--json").output)
    recent = json.loads(run("articles", "list", "--since", "2025-01-01", "--db", db, "--json").output)
    one_site = json.loads(run("articles", "list", "--site", "www.eduzx.com.cn", "--db", db, "--json").output)
    assert len(everything) == ARTICLES
    assert recent and all(a["published_at"] >= "2024-12-31" for a in recent) and len(recent) < len(everything)
    assert [a["site"] for a in one_site] == ["www.eduzx.com.cn"], "the site of the elected copy"


def test_since_means_the_day_each_page_shows_not_the_utc_day(db: str) -> None:
    everything = json.loads(run("articles", "list", "--db", db, "--json").output)
    shown = {
        a["id"]: in_offset(datetime.fromisoformat(a["published_at"]), a["published_offset"]).date()
        for a in everything
        if a["published_at"]
    }
    moved = [
        a
        for a in everything
        if a["published_at"] and shown[a["id"]] != datetime.fromisoformat(a["published_at"]).date()
    ]
    assert moved, "some fixture's page date is another UTC day (a date-only page in China)"
    for day in sorted(set(shown.values())):
        found = json.loads(run("articles", "list", "--since", day.isoformat(), "--db", db, "--json").output)
        assert {a["id"] for a in found} == {number for number, when in shown.items() if when >= day}


def test_show_gives_text_sightings_and_removed_blocks_with_reasons(db: str) -> None:
    result = run("articles", "show", "http://www.1xbbk.net/jwbzn/4984.html", "--db", db, "--json")
    article = json.loads(result.output)
    assert {s["match"] for s in article["sightings"]} == {"original", "near"}
    assert [block["reason"] for block in article["removed"]][:2] == ["ad", "spam-link"], "the elected copy's"
    table = run("articles", "show", str(article["id"]), "--db", db)
    assert "removed by the cleaner" in table.output and "spam-link" in table.output


def test_show_gives_the_publication_time_in_the_offset_the_page_showed(db: str) -> None:
    article = json.loads(run("articles", "show", "http://www.1xbbk.net/jwbzn/4984.html", "--db", db, "--json").output)
    stored = datetime.fromisoformat(article["published_at"])
    shown = stored.astimezone(timezone(timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    assert article["published_offset"] == "+08:00" and stored.utcoffset() == timedelta(0)
    assert f"published: {shown} +08:00" in run("articles", "show", str(article["id"]), "--db", db).output


def test_show_of_unknown_article_is_one_line_and_exit_2(db: str) -> None:
    result = run("articles", "show", "99999", "--db", db)
    assert result.exit_code == 2 and result.stderr.strip() == "edunews: no article 99999"


def test_export_streams_jsonl_and_csv(db: str, tmp_path: Path) -> None:
    lines = run("articles", "export", "--db", db).output.splitlines()
    assert len(lines) == ARTICLES and all(json.loads(line)["title"] for line in lines)
    out = tmp_path / "a.csv"
    assert run("articles", "export", "--format", "csv", "-o", str(out), "--db", db).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == ARTICLES and rows[0]["title"]


def test_stats_counts_sites_copies_and_days(db: str) -> None:
    figures = json.loads(run("stats", "--db", db, "--json").output)
    assert figures["articles"] == ARTICLES
    assert figures["sightings_by_match"] == {"original": ARTICLES, "near": 1}
    assert sum(figures["per_site"].values()) == ARTICLES


def test_stats_tables_keep_their_titles_on_one_line_and_say_none_for_an_empty_one(db: str) -> None:
    output = run("stats", "--db", db).output
    assert "articles per day" in output and "copies by match" in output
    assert "rejects by reason: none" in output, "the fixtures store every page they hold"
    assert "last crawl per profile: none" in output, "a replay is no crawl"


def test_unopenable_database_is_one_line(tmp_path: Path) -> None:
    result = run("stats", "--db", f"sqlite:///{tmp_path}")
    assert result.exit_code == 2 and "is a folder, not a database file" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("limit", ["-5", "0"])
def test_a_limit_below_one_is_refused_in_one_line_not_read_as_no_limit(db: str, limit: str) -> None:
    for command in (["articles", "list"], ["articles", "search", "职教"]):
        result = run(*command, "--db", db, "--limit", limit)
        assert result.exit_code == 2
        assert result.output == f"edunews: --limit must be 1 or more, not {limit}\n"


def test_a_limit_beyond_what_sql_can_count_lists_everything(db: str) -> None:
    for command in (["articles", "list"], ["articles", "search", "职教"]):
        everything = run(*command, "--db", db, "--json")
        huge = run(*command, "--db", db, "--json", "--limit", "99999999999999999999")
        assert huge.exit_code == 0 and json.loads(huge.output) == json.loads(everything.output)


@pytest.mark.parametrize("name", ["99999999999999999999", "\u00b2", "http://[::1", "http://127.0.0.1:99999/x"])
def test_show_of_what_names_no_article_is_one_line_whatever_it_looks_like(db: str, name: str) -> None:
    result = run("articles", "show", name, "--db", db)
    assert result.exit_code == 2 and result.stderr == f"edunews: no article {name}\n"


def test_show_takes_an_id_with_spaces_around_it(db: str) -> None:
    assert run("articles", "show", " 1 ", "--db", db, "--json").exit_code == 0


def test_a_query_that_looks_like_terminal_markup_is_shown_as_written(db: str) -> None:
    result = run("articles", "search", "[/]职教", "--db", db)
    assert result.exit_code == 0 and "[/]职教" in result.output


def test_export_to_a_file_that_cannot_be_written_is_one_line_and_exit_2(db: str, tmp_path: Path) -> None:
    result = run("articles", "export", "-o", str(tmp_path / "missing" / "a.jsonl"), "--db", db)
    assert (
        result.exit_code == 2 and result.stderr.startswith("edunews: cannot write ") and result.stderr.count("\n") == 1
    )


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("@SUM(1)", "'@SUM(1)"),
        ("-5 %", "'-5 %"),
        (["王小明", "李华"], "王小明; 李华"),
    ],
)
def test_a_csv_cell_that_opens_like_a_formula_is_led_by_an_apostrophe(value: object, cell: str) -> None:
    assert spreadsheet_cell(value) == cell
    assert spreadsheet_cell("学校 = 家庭") == "学校 = 家庭"


def test_since_reads_a_day_as_a_day_and_a_time_as_that_moment() -> None:
    assert parse_day("2025-06-28") == parse_day("20250628") == date(2025, 6, 28)
    assert parse_day("2025-06-28T08:00+08:00") == datetime(2025, 6, 28, tzinfo=UTC)
    assert (
        run("articles", "list", "--since", "yesterday").output == "edunews: not a date: 'yesterday' (use YYYY-MM-DD)\n"
    )
