"""A replay over 1,000 saved pages with ten kinds of broken page mixed in: every good page is stored,
every bad one is named with its reason, none stops the run, and the exit code says "finished with
failures". Run as a user runs it: ``python -m edunews replay FOLDER --json``."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from probes import edunews

from crawler.extraction.pages import UnreadablePage, iter_saved_pages, saved_page_folders
from edunews.demo.generate import generated_article

GOOD_PAGES = 900
BROKEN_OF_EACH_KIND = 10
HOST = "http://news.example.edu.cn"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


def write(folder: Path, body: bytes | None, response: bytes | None) -> None:
    folder.mkdir(parents=True)
    if body is not None:
        (folder / "body.html").write_bytes(body)
    if response is not None:
        (folder / "response.json").write_bytes(response)


def info(url: str, **fields: object) -> bytes:
    return json.dumps({"url": url, "headers": {"Content-Type": "text/html; charset=utf-8"}, **fields}).encode()


#: Each kind of broken page: how to write one (folder, page body, its URL), and the reason it must get.
BROKEN: dict[str, tuple[Callable[[Path, bytes, str], None], str]] = {
    "response-not-json": (lambda f, b, u: write(f, b, b'{"url": "' + u.encode()), "unreadable"),
    "response-not-utf8": (
        lambda f, b, u: write(f, b, json.dumps({"url": u, "note": "教育"}, ensure_ascii=False).encode("gbk")),
        "unreadable",
    ),
    "no-url": (lambda f, b, u: write(f, b, b'{"status": 200}'), "unreadable"),
    "status-not-a-number": (lambda f, b, u: write(f, b, info(u, status="OK")), "unreadable"),
    "fetched-at-not-a-time": (lambda f, b, u: write(f, b, info(u, fetched_at="yesterday")), "unreadable"),
    "headers-not-an-object": (
        lambda f, b, u: write(f, b, json.dumps({"url": u, "headers": [[1]]}).encode()),
        "unreadable",
    ),
    "body-missing": (lambda f, b, u: write(f, None, info(u)), "unreadable"),
    "body-empty": (lambda f, b, u: write(f, b"", info(u)), "undecodable"),
    "body-pdf": (lambda f, b, u: write(f, PDF, info(u)), "undecodable"),
    "body-gzip-without-encoding": (lambda f, b, u: write(f, gzip.compress(b), info(u)), "undecodable"),
}


def test_a_thousand_pages_with_ten_kinds_of_broken_page(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    good_urls, expected = [], {}
    number = 0
    for kind, (make, reason) in BROKEN.items():
        for copy in range(BROKEN_OF_EACH_KIND):
            number += 1
            article = generated_article(GOOD_PAGES + number)
            folder = pages / f"{number:04d}-{kind}-{copy}"
            make(folder, article.body, HOST + article.path)
            expected[str(folder)] = reason
    for good in range(1, GOOD_PAGES + 1):
        article = generated_article(good)
        # Broken pages sort between good ones: the run meets them all along, not at the end.
        write(pages / f"{good:04d}-good", article.body, info(HOST + article.path))
        good_urls.append(HOST + article.path)
    db = tmp_path / "news.sqlite"

    run = edunews("replay", str(pages), "--db", str(db), "--json", cwd=tmp_path, timeout=600)

    assert run.code == 1, run.err[-3000:]
    report = json.loads(run.out)
    named = {entry["where"]: entry["reason"] for entry in report["not_stored"]}
    assert named == expected, "every broken page, and only those, named with its reason"
    assert all(entry["kind"] == "failed" and entry["detail"] for entry in report["not_stored"])
    assert report["pages"] == GOOD_PAGES + len(expected) and report["failed"] == len(expected)
    assert report["stats"]["edunews/pages/articles"] == GOOD_PAGES
    with sqlite3.connect(db) as connection:
        stored = {url for (url,) in connection.execute("SELECT url FROM sightings")}
    assert set(good_urls) <= stored, "every good page is stored"
    assert run.err.strip().splitlines()[-1] == (
        "edunews: finished with failures: 100 inputs failed (undecodable 30, unreadable 70), each named in the summary"
    )
    assert "Traceback" not in run.err


def test_a_linked_folder_is_replayed_and_one_that_cannot_be_listed_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere, pages = tmp_path / "elsewhere", tmp_path / "pages"
    for number, folder in enumerate([elsewhere / "linked", pages / "plain", pages / "locked" / "inside"], start=1):
        article = generated_article(number)
        write(folder, article.body, info(HOST + article.path))
    (pages / "link").symlink_to(elsewhere)
    (elsewhere / "loop").symlink_to(pages)  # a link back up: each real folder is read once
    listing = os.scandir

    def refusing(path: object = ".") -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refusing)  # root may list every folder; a user may not

    folders = saved_page_folders([pages])

    assert [folder.relative_to(pages).as_posix() for folder in folders] == ["link/linked", "locked", "plain"]
    [unreadable] = [found for found in iter_saved_pages(folders) if isinstance(found, UnreadablePage)]
    assert unreadable.where == str(pages / "locked")


def test_a_rejected_article_is_named_by_its_folder_like_every_other_input(tmp_path: Path) -> None:
    paragraph = "市教育局今天召开会议，部署今年暑期中小学安全工作，要求各校在放假前完成一次安全隐患排查。"
    page = (
        "<html><head><meta charset='utf-8'><title>市教育局部署暑期安全工作</title></head><body>"
        "<h1>市教育局部署暑期安全工作</h1><div class='info'>发布时间：2026-07-01 09:00</div>"
        f"<div class='content'>{f'<p>{paragraph}</p>' * 5}</div></body></html>"
    )
    folder = tmp_path / "pages" / "address-too-long"
    url = HOST + "/news/2026/0701/" + "a" * 3000 + ".html"
    write(folder, page.encode(), info(url))

    run = edunews("replay", str(tmp_path / "pages"), "--db", str(tmp_path / "news.sqlite"), "--json", cwd=tmp_path)

    [entry] = json.loads(run.out)["not_stored"]
    assert entry["reason"] == "bad-url" and entry["where"] == str(folder) and entry["url"] == url


def test_a_reextract_replay_reports_its_rejudge_under_the_name_the_table_uses(tmp_path: Path) -> None:
    fixture = Path(__file__).parent.parent / "fixtures" / "moe-style"
    run = edunews("replay", str(fixture), "--db", str(tmp_path / "news.sqlite"), "--reextract", "--json", cwd=tmp_path)
    assert run.code == 0 and json.loads(run.out)["rejudged"]["checked"] == 1


def test_a_folder_with_nothing_to_replay_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = edunews("replay", str(tmp_path / "empty"), "--db", str(tmp_path / "news.sqlite"), cwd=tmp_path)
    assert run.code == 2 and run.lines == [
        f"edunews: nothing to replay in {tmp_path / 'empty'}: no saved pages "
        "(body.html with response.json) and no WARC files"
    ]
    assert not (tmp_path / "news.sqlite").exists()
