"""Bad input never stops a run and never hides (issue 10): one test per probe a new user ran, each as the
user ran it (``python -m edunews ...`` on real files), asserting the exit code, the one line that
explains, and that nothing stored before was lost or changed.

Exit codes: 0 all stored; 1 finished, but some input failed (each named) or records were spooled;
2 nothing could be done (arguments, database); 3 ``extract`` of a page that is not an article.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from io import BytesIO
from pathlib import Path

import pytest
from probes import (
    FIXTURES,
    Run,
    assert_one_line,
    closed_port,
    copy_fixture,
    edunews,
    owned_by_someone_else,
    read_only_database,
    read_only_folder,
    seeded_db,
    snapshot,
)
from test_site_settings import Site, article_page, listing
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

EXIT_OK, EXIT_FAILURES, EXIT_UNUSABLE, EXIT_NOT_ARTICLE = 0, 1, 2, 3


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database with four stored articles; each probe then proves them untouched."""
    return seeded_db(tmp_path)


def saved_page(folder: Path, body: bytes, url: str, headers: dict | None = None, **info: object) -> Path:
    folder.mkdir(parents=True)
    (folder / "body.html").write_bytes(body)
    response = {"url": url, "headers": headers if headers is not None else {"Content-Type": "text/html"}, **info}
    (folder / "response.json").write_text(json.dumps(response), encoding="utf-8")
    return folder


def warc_of(path: Path, responses: list[tuple[str, str, bytes]]) -> Path:
    """A WARC file of (url, content type, body) responses, as another crawler writes one."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, content_type, body in responses:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=headers
            )
            writer.write_record(record)
    return path


def not_stored(run: Run) -> dict[str, dict]:
    """The ``not_stored`` entries of a ``--json`` run by where they are."""
    return {entry["where"]: entry for entry in json.loads(run.out)["not_stored"]}


# -- 1. one page never stops a replay; every bad one is named ------------------------------------------


def test_a_saved_page_whose_body_is_json_is_skipped_by_name_and_the_replay_goes_on(tmp_path: Path, db: Path) -> None:
    before = snapshot(db)
    pages = tmp_path / "pages"
    saved_page(pages / "api", b'{"title": "<b>x</b>", "items": [1, 2]}', "http://www.example.edu.cn/api/list")
    copy_fixture("school-news-wp", pages / "good")

    run = edunews("replay", str(pages), "--db", str(db), "--json", cwd=tmp_path)

    assert run.code == EXIT_OK, run.err  # a JSON document is not a page: skipped, not a failure
    entry = not_stored(run)[str(pages / "api")]
    assert (entry["kind"], entry["reason"]) == ("skipped", "not-html") and "JSON" in entry["detail"]
    assert json.loads(run.out)["stats"]["edunews/articles/new"] == 1
    after = snapshot(db)
    assert set(before["articles"]) <= set(after["articles"]) and len(after["articles"]) == len(before["articles"]) + 1


def test_an_application_json_warc_response_is_skipped_and_named_by_its_offset(tmp_path: Path, db: Path) -> None:
    before = snapshot(db)
    good = (FIXTURES / "school-news-wp" / "body.html").read_bytes()
    good_url = json.loads((FIXTURES / "school-news-wp" / "response.json").read_text())["url"]
    warc = warc_of(
        tmp_path / "other.warc.gz",
        [
            ("http://www.example.edu.cn/api.json", "application/json", b'{"html": "<p>x</p>"}'),
            (good_url, "text/html", good),
        ],
    )

    run = edunews("replay", str(warc), "--db", str(db), "--json", cwd=tmp_path)

    assert run.code == EXIT_OK, run.err
    (where,) = not_stored(run)
    assert where.startswith(f"{warc}@") and not_stored(run)[where]["reason"] == "not-html"
    assert json.loads(run.out)["stats"]["edunews/articles/new"] == 1
    assert set(before["articles"]) <= set(snapshot(db)["articles"])


def test_an_unreadable_folder_is_named_with_why_and_the_run_exits_1(tmp_path: Path, db: Path) -> None:
    before = snapshot(db)
    pages = tmp_path / "pages"
    broken = saved_page(pages / "broken", b"<html><p>x</p></html>", "http://www.example.edu.cn/a.html")
    (broken / "response.json").write_text('{"url": ', encoding="utf-8")
    copy_fixture("school-news-wp", pages / "good")

    run = edunews("replay", "pages", "--db", str(db), cwd=tmp_path)

    assert run.code == EXIT_FAILURES
    assert str(broken.relative_to(tmp_path)) in run.out and "not JSON" in run.out, run.out  # named in the table
    assert run.lines == ["edunews: finished with failures: 1 input failed (unreadable 1), each named in the summary"], (
        run.err
    )
    assert set(before["articles"]) <= set(snapshot(db)["articles"])


# -- 3. exit codes a script can trust ---------------------------------------------------------------------


def test_replay_into_a_read_only_database_is_one_line_exit_2_and_spools_nothing(tmp_path: Path, db: Path) -> None:
    before = snapshot(db)
    target = read_only_database(db)

    for _ in range(2):  # a second run neither spools nor changes anything either
        run = edunews("replay", str(FIXTURES / "school-news-wp"), "--db", target, cwd=tmp_path)
        assert_one_line(run, EXIT_UNUSABLE, "cannot write to the database", "read-only")

    assert not list(tmp_path.rglob("*.jsonl*")), "no spool, no journal"
    assert snapshot(db) == before


def shm_left_read_only(db: Path) -> Path:
    """The ``-shm`` file a read-only use of ``db`` leaves behind: ``edunews stats`` on the database
    made read-only, which SQLite gives a shared-memory file as read-only as the database and may not
    remove; the database is then made writable again, as a user fixing it does."""
    db.chmod(0o444)
    run = edunews("stats", "--db", str(db), cwd=db.parent, bound_by_modes=True)
    assert run.code == EXIT_OK, run.err
    db.chmod(0o644)
    shm = db.with_name(db.name + "-shm")
    assert shm.stat().st_mode & 0o222 == 0, "the read-only use left no read-only -shm file"
    return shm


def test_a_database_made_writable_again_takes_writes_though_a_read_only_use_left_its_shm_behind(db: Path) -> None:
    shm_left_read_only(db)
    before = snapshot(db)  # first: a read-only reader of a writable file leaves a writable -shm

    run = edunews("replay", str(FIXTURES / "school-news-wp"), "--db", str(db), cwd=db.parent, bound_by_modes=True)

    assert run.code == EXIT_OK, run.err[-3000:]
    assert set(before["articles"]) < set(snapshot(db)["articles"])


@pytest.mark.parametrize("command", [("crawl", "--url", "http://127.0.0.1:9/"), ("demo", "--port", "0")])
def test_a_crawl_into_a_database_whose_shm_is_another_users_is_one_line_naming_the_shm(
    db: Path, command: tuple[str, ...]
) -> None:
    shm = shm_left_read_only(db)
    before = snapshot(db)  # before the -shm is given away: SQLite run by root gives it back to the database's owner
    owned_by_someone_else(shm)

    run = edunews(*command, "--db", str(db), "--archive", "", cwd=db.parent, bound_by_modes=True)

    assert_one_line(run, EXIT_UNUSABLE, f"cannot write to the database {db}", str(shm), "chmod --reference")
    assert snapshot(db) == before


def test_crawl_of_not_a_url_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    run = edunews("crawl", "--url", "not a url", "--db", str(tmp_path / "news.sqlite"), cwd=tmp_path)

    assert_one_line(run, EXIT_UNUSABLE, "--url needs an http:// or https:// address", "'not a url'")
    assert list(tmp_path.iterdir()) == [], "no database, no archive"


def test_a_crawl_of_a_closed_port_names_the_failure_without_tracebacks_and_exits_1(tmp_path: Path, db: Path) -> None:
    before = snapshot(db)
    port = closed_port()
    url = f"http://127.0.0.1:{port}/news/"

    # Its robots.txt cannot be read either: the site is disallowed (RFC 9309), read once here.
    once = ("-s", "RETRY_TIMES=0", "-s", "EDUNEWS_ROBOTS_TRIES=1")
    run = edunews("crawl", "--url", url, "--db", str(db), *once, "--json", cwd=tmp_path)

    assert run.code == EXIT_FAILURES, run.err
    assert "Traceback" not in run.err and len(run.err.splitlines()) <= 3, run.err
    assert run.lines == [
        "edunews: finished with failures: 1 input failed (robots-unreachable 1), each named in the summary"
    ]
    failed = not_stored(run)[url]
    assert failed["reason"] == "robots-unreachable" and "Connection refused" in failed["detail"], failed
    after = snapshot(db)
    assert after["articles"] == before["articles"] and after["sightings"] == before["sightings"]
    with sqlite3.connect(db) as connection:
        (errors,) = connection.execute("SELECT errors FROM crawl_runs").fetchone()
    assert json.loads(errors) == {"robots-unreachable": 1}, "the crawl run records it too"


# -- 4. one clear line for every database problem ----------------------------------------------------------


def test_a_file_that_is_not_a_database_is_one_line_and_stays_as_it_was(tmp_path: Path) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_bytes(b"my notes, not a database\n" * 100)

    for command in (["articles", "list"], ["replay", str(FIXTURES / "moe-style")], ["stats"]):
        run = edunews(*command, "--db", str(notes), cwd=tmp_path)
        assert_one_line(run, EXIT_UNUSABLE, str(notes), "is not a SQLite database")

    assert notes.read_bytes() == b"my notes, not a database\n" * 100


def test_a_schema_newer_than_this_version_names_both_versions(tmp_path: Path, db: Path) -> None:
    [(known,)] = snapshot(db)["alembic_version"]  # a fresh database is at the newest schema this edunews knows
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    before = snapshot(db)

    for command in (["articles", "list"], ["replay", str(FIXTURES / "school-news-wp")]):
        run = edunews(*command, "--db", str(db), cwd=tmp_path)
        assert_one_line(run, EXIT_UNUSABLE, f"schema version 0099, newer than this edunews knows ({known})", "upgrade")

    assert snapshot(db) == before


@pytest.mark.parametrize("revision", ["ae1027a6acf", "abc"])
def test_a_schema_version_that_is_none_of_ours_is_no_edunews_database_not_a_newer_one(
    tmp_path: Path, db: Path, revision: str
) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    before = snapshot(db)

    for command in (["articles", "list"], ["stats"]):
        run = edunews(*command, "--db", str(db), cwd=tmp_path)
        assert_one_line(run, EXIT_UNUSABLE, "is not an edunews database", repr(revision))

    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("setting", "complaint"),
    [
        ("DOWNLOAD_TIMEOUT=abc", "-s DOWNLOAD_TIMEOUT takes a number, not 'abc'"),
        ("EDUNEWS_WORKER_PROCESSES=two", "-s EDUNEWS_WORKER_PROCESSES takes a number"),
        ("ROBOTSTXT_OBEY=maybe", "-s ROBOTSTXT_OBEY takes 0/1 or true/false"),
        ("EDUNEWS_EXTRACT_TIMEOUT=1", "is set in the environment"),
        # Scrapy takes any name: a typo of one of edunews's own ran with the default, and said nothing.
        ("EDUNEWS_BATCH_SIZ=10", "-s EDUNEWS_BATCH_SIZ: no such setting (did you mean EDUNEWS_BATCH_SIZE?)"),
        ("edunews_batch_size=10", "-s edunews_batch_size: no such setting (did you mean EDUNEWS_BATCH_SIZE?)"),
        ("EDUNEWS_NOPE=1", "-s EDUNEWS_NOPE: no such setting (edunews's own are listed in crawler/settings.py)"),
    ],
)
def test_a_value_a_setting_cannot_take_or_an_edunews_name_that_is_none_is_refused_before_anything_runs(
    tmp_path: Path, setting: str, complaint: str
) -> None:
    for command in (["replay", str(FIXTURES / "moe-style")], ["crawl", "--url", "http://127.0.0.1:9/news/"]):
        run = edunews(*command, "--db", str(tmp_path / "news.sqlite"), "-s", setting, cwd=tmp_path)
        assert_one_line(run, EXIT_UNUSABLE, complaint)
    assert not (tmp_path / "news.sqlite").exists()


def test_a_setting_outside_edunewss_own_names_is_scrapys_to_judge_and_passes(tmp_path: Path) -> None:
    run = edunews(
        "replay", str(FIXTURES / "moe-style"), "--db", str(tmp_path / "news.sqlite"), "-s", "MYEXTENSION_ENABLED=1",
        cwd=tmp_path,
    )  # fmt: skip
    assert run.code == EXIT_OK, run.err


def test_an_archive_path_that_cannot_be_written_is_refused_before_the_crawl_fetches_anything(
    tmp_path: Path, db: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("a file where the archive folder should be", encoding="utf-8")
    (tmp_path / "shut").mkdir()
    before = snapshot(db)
    site = Site({"/news/": listing(["/news/2026/1120/1.html"]), "/news/2026/1120/1.html": article_page("寒假安全")})
    try:
        with read_only_folder(tmp_path / "shut") as shut:
            for archive, why in (
                (notes, "it is a file, not a folder"),  # found at the first response: 29 pages unarchived, exit 1
                (notes / "2026", "Not a directory"),
                (shut / "archive", ""),  # "Permission denied", or "Read-only file system" as root
            ):
                run = edunews("crawl", "--url", site.url() + "/news/", "--db", str(db), "--archive", str(archive),
                              cwd=tmp_path)  # fmt: skip
                assert_one_line(run, EXIT_UNUSABLE, f"edunews: cannot write the archive in {archive}: {why}")
            fresh = tmp_path / "fresh.sqlite"
            run = edunews("crawl", "--url", site.url() + "/news/", "--db", str(fresh), "--archive", str(notes),
                          cwd=tmp_path)  # fmt: skip
            assert run.code == EXIT_UNUSABLE and not fresh.exists(), "a refused crawl leaves no new database"
    finally:
        site.close()
    assert site.log == [], "nothing was fetched"
    assert notes.read_text(encoding="utf-8").startswith("a file") and snapshot(db) == before


@pytest.mark.parametrize(
    "command",
    [
        ["articles", "list"],
        ["articles", "list", "--json"],
        ["articles", "show", "1"],
        ["articles", "search", "教育"],
        ["articles", "export", "--format", "jsonl"],
        ["stats"],
    ],
)
def test_output_into_a_pipe_whose_reader_has_gone_ends_quietly_with_exit_0(
    tmp_path: Path, db: Path, command: list[str]
) -> None:
    run = edunews(*command, "--db", str(db), cwd=tmp_path, reader_gone=True)  # `| head` that has read enough
    assert (run.code, run.err) == (EXIT_OK, "")


def test_extract_into_a_pipe_whose_reader_has_gone_ends_quietly_with_exit_0(tmp_path: Path) -> None:
    run = edunews("extract", str(FIXTURES / "moe-style"), "--format", "text", cwd=tmp_path, reader_gone=True)
    assert (run.code, run.err) == (EXIT_OK, "")


@pytest.mark.parametrize("url", ["mysql://user@127.0.0.1/edunews", "mysql+pymysql://user:secret@127.0.0.1/edunews"])
def test_a_mysql_url_says_edunews_stores_into_sqlite_or_postgresql_not_which_driver_to_install(
    tmp_path: Path, url: str
) -> None:
    for command in (["articles", "list"], ["stats"]):
        run = edunews(*command, "--db", url, cwd=tmp_path)
        assert_one_line(run, EXIT_UNUSABLE, "edunews stores into postgresql or sqlite, not mysql")
        assert "pip install" not in run.err and "secret" not in run.err


@pytest.mark.parametrize(
    ("url", "install"),
    [
        ("postgresql+psycopg://user@127.0.0.1/edunews", 'pip install "psycopg[binary]"'),
        ("postgresql://user:secret@127.0.0.1/edunews", 'pip install "psycopg[binary]"'),
    ],
)
def test_a_missing_driver_names_the_pip_install_that_fixes_it(tmp_path: Path, url: str, install: str) -> None:
    # The test extras install psycopg: a package of that name that fails to import stands for its absence.
    hidden = tmp_path / "without-psycopg" / "psycopg"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'psycopg'\", name='psycopg')\n")
    without_psycopg = {"PYTHONPATH": str(hidden.parent)}
    for command in (["articles", "list"], ["replay", str(FIXTURES / "moe-style")], ["stats"]):
        run = edunews(*command, "--db", url, cwd=tmp_path, env=without_psycopg)
        assert_one_line(run, EXIT_UNUSABLE, "driver", install)
        assert "secret" not in run.err


def test_a_database_on_a_read_only_file_system_is_one_line_for_writers_and_readable_for_readers(
    tmp_path: Path, db: Path
) -> None:
    before = snapshot(db)
    folder = db.parent
    with read_only_folder(folder) as read_only:
        frozen = read_only / db.name
        run = edunews("replay", str(FIXTURES / "school-news-wp"), "--db", str(frozen), cwd=tmp_path)
        assert_one_line(run, EXIT_UNUSABLE, str(frozen), "read-only file system")

        run = edunews(
            "schedule", "add", "moe-news", "--profile", "moe", "--every", "6h", "--db", str(frozen), cwd=tmp_path
        )
        assert_one_line(run, EXIT_UNUSABLE, "read-only file system")

        listed = edunews("articles", "list", "--db", str(frozen), "--json", cwd=tmp_path)
        assert listed.code == EXIT_OK, listed.err
        assert len(json.loads(listed.out)) == len(before["articles"])
    assert snapshot(db) == before


def test_schedule_add_on_a_read_only_database_is_one_line(tmp_path: Path, db: Path) -> None:
    before = snapshot(db)
    run = edunews(
        "schedule", "add", "moe-news", "--profile", "moe", "--every", "6h", "--db", read_only_database(db), cwd=tmp_path
    )
    assert_one_line(run, EXIT_UNUSABLE, "cannot write to the database")
    assert snapshot(db) == before


def test_an_interval_too_long_to_compute_is_refused_in_one_line(tmp_path: Path, db: Path) -> None:
    before = snapshot(db)
    run = edunews("schedule", "add", "x", "--profile", "moe", "--every", "99999999999d", "--db", str(db), cwd=tmp_path)
    assert_one_line(run, EXIT_UNUSABLE, "'99999999999d' is too long", "at most 3650d")
    assert snapshot(db) == before


# -- 5. read-only commands never create anything ------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["articles", "list"],
        ["articles", "show", "1"],
        ["articles", "search", "教育"],
        ["articles", "export"],
        ["stats"],
        ["schedule", "list"],
        ["serve", "--port", "0"],
        ["dedupe", "--rejudge"],  # it changes what is stored, and creates nothing
    ],
)
def test_a_read_only_command_on_a_mistyped_database_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    mistyped = tmp_path / "dta" / "nwes.sqlite"

    run = edunews(*command, "--db", str(mistyped), cwd=tmp_path, timeout=60)

    assert_one_line(run, EXIT_UNUSABLE, f"no database at {mistyped}")
    assert list(tmp_path.iterdir()) == [], "neither the folder nor the file was made"


# -- 6. crawl --url says what it follows ---------------------------------------------------------------------


def test_crawl_url_refuses_a_scheme_it_does_not_fetch(tmp_path: Path) -> None:
    for url in ("ftp://127.0.0.1/news/", "file:///etc/passwd"):
        run = edunews("crawl", "--url", url, "--db", str(tmp_path / "news.sqlite"), cwd=tmp_path)
        assert_one_line(run, EXIT_UNUSABLE, "--url needs an http:// or https:// address", url)
    assert list(tmp_path.iterdir()) == []


def test_crawl_url_refuses_an_address_that_does_not_parse_in_one_line(tmp_path: Path) -> None:
    for url in ("http://[bad/x", "http://127.0.0.1:99999/news/"):
        run = edunews("crawl", "--url", url, "--db", str(tmp_path / "news.sqlite"), cwd=tmp_path)
        assert_one_line(run, EXIT_UNUSABLE, "is not an address that parses", url)
    assert list(tmp_path.iterdir()) == []


def test_crawl_url_refuses_a_broken_article_pattern(tmp_path: Path) -> None:
    run = edunews("crawl", "--url", "http://127.0.0.1:9/", "--article-pattern", "news/(", cwd=tmp_path)
    assert_one_line(run, EXIT_UNUSABLE, "--article-pattern 'news/(': not a regular expression")


def test_crawl_url_refuses_an_article_pattern_that_cannot_be_matched_in_linear_time(tmp_path: Path) -> None:
    # RE2 runs the pattern: it has no lookarounds (or backreferences), which can take exponential time.
    run = edunews("crawl", "--url", "http://127.0.0.1:9/", "--article-pattern", "/news/(?!index_)", cwd=tmp_path)
    assert_one_line(run, EXIT_UNUSABLE, "cannot be matched in linear time", "lookarounds", "without them")


# -- 8. the smaller ones ----------------------------------------------------------------------------------------


def test_extract_json_of_a_page_that_is_not_an_article_is_json(tmp_path: Path) -> None:
    run = edunews("extract", str(FIXTURES / "list-page"), "--format", "json", cwd=tmp_path)
    assert run.code == EXIT_NOT_ARTICLE
    verdict = json.loads(run.out)
    assert verdict["article"] is False and verdict["reason"] == "list-page" and "headline links" in verdict["evidence"]


def test_articles_show_finds_an_article_by_a_url_with_tracking_parameters(tmp_path: Path, db: Path) -> None:
    url = json.loads((FIXTURES / "moe-style" / "response.json").read_text())["url"]
    for given in (f"{url}?utm_source=x", f"{url}#comments"):
        run = edunews("articles", "show", given, "--db", str(db), "--json", cwd=tmp_path)
        assert run.code == EXIT_OK, run.err
        assert json.loads(run.out)["url"] == url


def test_a_one_letter_search_says_it_is_too_short(tmp_path: Path, db: Path) -> None:
    run = edunews("articles", "search", "教育 a", "--db", str(db), cwd=tmp_path)
    assert_one_line(run, EXIT_UNUSABLE, "'a' is too short to search", "two or more letters")
    for query in ("教", "教育,"):
        found = edunews("articles", "search", query, "--db", str(db), "--json", cwd=tmp_path)
        assert found.code == EXIT_OK and json.loads(found.out)


def test_csv_export_starts_with_a_byte_order_mark_for_excel(tmp_path: Path, db: Path) -> None:
    out = tmp_path / "articles.csv"
    run = edunews("articles", "export", "--format", "csv", "-o", str(out), "--db", str(db), cwd=tmp_path)
    assert run.code == EXIT_OK, run.err
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,url,")
    assert "吹响川渝职业教育协同发展的嘹亮号角" in data.decode("utf-8-sig")


def test_per_day_stats_count_an_article_on_the_date_its_page_shows(tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    # A school's story dated 2025-06-28 with no time, in China (+08:00): stored as 06-27 16:00 UTC.
    assert edunews("replay", str(FIXTURES / "school-health-epilepsy"), "--db", str(db), cwd=tmp_path).code == EXIT_OK
    with sqlite3.connect(db) as connection:
        stored, offset = connection.execute("SELECT published_at, published_offset FROM articles").fetchone()
    assert stored.startswith("2025-06-27 16:00") and offset == "+08:00"

    run = edunews("stats", "--db", str(db), "--json", cwd=tmp_path)

    assert json.loads(run.out)["per_day"] == {"2025-06-28": 1}


def test_a_gzip_body_saved_with_its_content_encoding_is_read(tmp_path: Path) -> None:
    info = json.loads((FIXTURES / "english-edunews" / "response.json").read_text())
    info["headers"]["Content-Encoding"] = "gzip"
    page = tmp_path / "gz"
    page.mkdir()
    (page / "body.html").write_bytes(gzip.compress((FIXTURES / "english-edunews" / "body.html").read_bytes()))
    (page / "response.json").write_text(json.dumps(info), encoding="utf-8")

    run = edunews("extract", str(page), cwd=tmp_path)

    assert run.code == EXIT_OK, run.err
    plain = edunews("extract", str(FIXTURES / "english-edunews"), cwd=tmp_path)
    assert json.loads(run.out)["text"] == json.loads(plain.out)["text"]


def test_article_tables_give_a_chinese_headline_the_width_of_an_80_column_terminal(tmp_path: Path, db: Path) -> None:
    run = edunews("articles", "list", "--db", str(db), cwd=tmp_path, env={"COLUMNS": "80"})
    assert run.code == EXIT_OK
    assert max(len(line) for line in run.out.splitlines()) <= 80
    assert "吹响川渝职业教育协同发展的嘹亮" in run.out, run.out  # not folded five characters at a time


@pytest.mark.parametrize(
    ("db", "line"),
    [
        ("postgresql+psycopg//crawl:s3cret@127.0.0.1:5432/news", "a URL needs '://'"),  # no colon: no file
        ("postgresql+psycopg://crawl:s3cret@127.0.0.1:54x2/news", "not a database URL"),  # a port that is no number
    ],
)
def test_a_mistyped_database_url_is_one_line_that_hides_the_password(tmp_path: Path, db: str, line: str) -> None:
    run = edunews("articles", "list", "--db", db, cwd=tmp_path, timeout=60)
    assert_one_line(run, EXIT_UNUSABLE, line)
    assert "s3cret" not in run.err and "crawl:***@" in run.err
    assert list(tmp_path.iterdir()) == []
