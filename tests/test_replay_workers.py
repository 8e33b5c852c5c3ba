"""A replay extracts its pages in worker processes and stores them in the order they came: the same
pages replayed with workers and without (``EDUNEWS_WORKER_PROCESSES=0``) end in the same database,
row for row and id for id, and the same summary, a page past its time budget and broken pages
included; Ctrl-C still stops it in one line, workers and all. Run as a user runs it:
``python -m edunews replay FOLDER -s EDUNEWS_WORKER_PROCESSES=N``."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from probes import edunews
from test_crawl import count_articles

from edunews.demo.generate import generated_article

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from large_pages import article_page  # noqa: E402

ARTICLES = 120
HOST = "http://news.example.edu.cn"
FARM = "http://www.jiaoyu-zixun.cn"
#: An advert a content farm puts inside the text: removed, and recorded as removed, by the cleaner.
AD = "<p>扫码添加老师微信，免费领取小升初真题资料包，名额有限，先到先得！</p>"
#: The page past its budget: 10 MB, the crawl's download cap, takes seconds to extract where the budget is half of one.
BUDGET_SECONDS = "0.5"
SLOW_PAGE_MB = 10
#: Columns that say when a run wrote a row, not what it wrote.
RUN_TIMES = {"first_seen", "last_seen", "updated_at", "discovered_at", "due_at", "checked_at", "started_at"}


def write(folder: Path, body: bytes, response: bytes) -> None:
    folder.mkdir(parents=True)
    (folder / "body.html").write_bytes(body)
    (folder / "response.json").write_bytes(response)


def info(url: str) -> bytes:
    return json.dumps({"url": url, "headers": {"Content-Type": "text/html; charset=utf-8"}}).encode()


def farm_copy(body: bytes) -> bytes:
    """A content farm's repost: its own title prefix, an advert inside the text, the last paragraph cut."""
    text = body.decode()
    closing = text.rindex('<p style="text-indent:2em;">')
    text = text[:closing] + AD + text[text.index("</p>", closing) + 4 :]
    return text.replace("<h1>", "<h1>转载：").encode()


def page(title: str, body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>".encode()


def list_page() -> bytes:
    links = "".join(
        f"<li><a href='/news/2026/1101/{n}.html'>{generated_article(n).title}</a><span>2026-11-01</span></li>"
        for n in range(1, 41)
    )
    return page("教育新闻", f"<ul>{links}</ul>")


def replay_input(pages: Path) -> None:
    """Articles, reposts after their originals (near and exact), a refetch with a changed text, a list
    page, a stub, a page past its budget and broken pages, in one order (folders sort by number)."""
    entries: list[tuple[bytes, bytes]] = []
    for number in range(1, ARTICLES + 1):
        article = generated_article(number)
        entries.append((article.body, info(HOST + article.path)))
        if number % 6 == 0:
            earlier = generated_article(number - 3)
            entries.append((farm_copy(earlier.body), info(FARM + earlier.path)))
        if number % 10 == 0:
            entries.append((article.body, info(FARM + "/copy" + article.path)))
        if number % 25 == 0:
            changed = article.body.replace(b"</h1>", "（更新）</h1>".encode())
            entries.append((changed, info(HOST + article.path)))
        if number == 40:
            entries.append((list_page(), info(HOST + "/news/")))
            entries.append((article_page(SLOW_PAGE_MB), info(HOST + "/news/2026/1101/slow.html")))
        if number == 60:
            stub = page("通知", "<h1>关于放假的通知</h1><p>详见附件。</p>")
            entries.append((stub, info(HOST + "/news/2026/1101/stub.html")))
            entries.append((b"", info(HOST + "/news/2026/1101/empty.html")))
            entries.append((article.body, b'{"url": "' + HOST.encode()))
    for index, (body, response) in enumerate(entries):
        write(pages / f"{index:04d}", body, response)


def rows(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows (ids included; the search index's own tables too), sorted, without the
    columns that say when a run wrote them."""
    with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as connection:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        dumped = {}
        for table in tables:
            columns = [column[1] for column in connection.execute(f"PRAGMA table_info('{table}')")]
            kept = [f'"{column}"' for column in columns if column not in RUN_TIMES]
            found = connection.execute(f"SELECT {', '.join(kept)} FROM '{table}'")  # noqa: S608
            dumped[table] = sorted(found, key=repr)
    return dumped


def test_a_replay_on_workers_stores_what_a_replay_in_one_process_stores(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    replay_input(pages)
    runs, databases = {}, {}
    for processes in (0, 2):
        databases[processes] = tmp_path / f"workers-{processes}.sqlite"
        runs[processes] = edunews(
            "replay",
            str(pages),
            "--db",
            str(databases[processes]),
            "--json",
            "-s",
            f"EDUNEWS_WORKER_PROCESSES={processes}",
            cwd=tmp_path,
            env={"EDUNEWS_EXTRACT_TIMEOUT": BUDGET_SECONDS},
            timeout=600,
        )
    alone, on_workers = (json.loads(runs[processes].out) for processes in (0, 2))

    assert runs[0].code == runs[2].code == 1, runs[2].err[-3000:]
    assert {entry["reason"] for entry in on_workers["not_stored"]} >= {
        "extract-timeout",
        "undecodable",
        "unreadable",
        "list-page",
    }
    assert on_workers["stats"]["edunews/duplicates/near"] > 0 and on_workers["stats"]["edunews/articles/updated"] > 0
    assert on_workers == alone
    with sqlite3.connect(databases[2]) as connection:
        [(with_removed,)] = connection.execute("SELECT count(*) FROM articles WHERE removed != '[]'").fetchall()
    assert with_removed > 0, "the removed-block records are compared too"
    assert rows(databases[2]) == rows(databases[0])


def group_members(group: int) -> set[int]:
    """The live processes of process group ``group``, from /proc: a run's workers and fork server."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            state, _, pgrp = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if int(pgrp) == group and state != "Z":
            found.add(int(entry.name))
    return found


def test_ctrl_c_stops_a_replay_on_workers_in_one_line_storing_every_input_read_and_the_next_run_the_rest(
    tmp_path: Path,
) -> None:
    pages, db = tmp_path / "pages", tmp_path / "news.sqlite"
    for number in range(1, 401):
        article = generated_article(number)
        write(pages / f"{number:04d}", article.body, info(HOST + article.path))
    command = [sys.executable, "-m", "edunews", "replay", str(pages), "--db", str(db), "--json"]
    # A session of its own: Ctrl-C at a terminal reaches every process of the run, workers included.
    process = subprocess.Popen(
        [*command, "-s", "EDUNEWS_WORKER_PROCESSES=2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while count_articles(db) == 0:  # a batch stored: the workers are at work
        assert time.monotonic() < deadline and process.poll() is None, "no batch stored"
        time.sleep(0.05)
    assert len(group_members(process.pid)) >= 3, "the run and its two workers"
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    [line] = err.strip().splitlines()
    assert line.startswith("edunews: interrupted after ") and line.endswith(
        "run the same replay again to store the rest"
    )
    report = json.loads(out)  # what was read so far, for a script
    assert 0 < report["pages"] < 400 and report["exit_code"] == 130
    # Every input read is accounted for: each page is a new article, stored (786 read, 703 stored).
    assert report["stats"]["edunews/articles/new"] == report["pages"] == count_articles(db), report["stats"]
    assert "each is stored or named in the summary" in line
    deadline = time.monotonic() + 10
    while group_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_members(process.pid), "no worker outlives the run"
    assert 0 < count_articles(db) < 400, "stopped midway"
    assert edunews("replay", str(pages), "--db", str(db), cwd=tmp_path, timeout=300).code == 0
    assert count_articles(db) == 400


def test_a_page_whose_extraction_was_asked_for_when_ctrl_c_came_is_closed_not_left_unawaited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C can land between asking for a page's extraction and handing it to the loop: the
    coroutine asked for is closed, not dropped (Python would warn at exit that it was never awaited,
    and the interrupted replay's one line of output would not be one line)."""
    import asyncio
    import inspect

    from crawler.extraction.pages import RawPage
    from edunews import replay

    asked: list[object] = []

    class TwoWorkers:
        processes = 2

        def run(self, *args: object) -> object:
            async def extract() -> None:
                return None

            asked.append(extract())
            return asked[-1]

    def interrupted(_: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(replay.asyncio, "ensure_future", interrupted)
    page = RawPage("http://127.0.0.1/a.html", b"<html></html>", {})

    async def replay_one() -> None:
        async for _ in replay._outcomes([page], TwoWorkers(), None):  # noqa: SLF001 - the window itself
            pass

    with pytest.raises(KeyboardInterrupt):
        asyncio.run(replay_one())
    assert [inspect.getcoroutinestate(coroutine) for coroutine in asked] == [inspect.CORO_CLOSED]
