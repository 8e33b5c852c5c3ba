"""SQLite as edunews opens it: WAL with ``synchronous=NORMAL``, and what that promises. A committed
batch must survive its process being killed (SIGKILL, no chance to clean up); this is checked on a real
writer process, killed while it writes, not on a mock."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import text

from pipelines.db import make_engine
from pipelines.neardup import BANDS
from pipelines.search import ID_MASK

ROOT = Path(__file__).resolve().parent.parent
BATCH = 20
#: Committed batches to wait for before the kill; the writer is then inside the next one.
KILL_AFTER = 4
#: The child prints one line per committed batch, after its commit returned.
WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from synthetic import synthetic_article
    from pipelines.db import open_database
    from pipelines.dedupe import resolve, sign
    from pipelines.normalize import to_record

    sessions = open_database(sys.argv[1])
    for batch in range(10_000):
        with sessions.begin() as session:
            for index in range(batch * {batch}, (batch + 1) * {batch}):
                resolve(session, sign(to_record(synthetic_article(index), {{}})))
        print(batch, flush=True)
    """
)


def test_sqlite_is_opened_in_wal_mode_with_normal_sync(tmp_path: Path) -> None:
    with make_engine(str(tmp_path / "news.sqlite")).connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_sigkilled_writer_keeps_every_committed_batch(tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    script = WRITER.format(tests=str(ROOT / "tests"), batch=BATCH)
    writer = subprocess.Popen([sys.executable, "-c", script, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    committed = [writer.stdout.readline() for _ in range(KILL_AFTER)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL
    assert committed == [f"{batch}\n" for batch in range(KILL_AFTER)], "the writer failed before the kill"

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        articles = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        stored_urls = {url for (url,) in connection.execute("SELECT url FROM sightings")}
        bands = sum(
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("minhash_bands", "minhash_bands_recent")
        )
        unindexed = connection.execute(
            f"SELECT count(*) FROM articles WHERE id NOT IN (SELECT rowid & {ID_MASK} FROM search_index)"
        ).fetchone()[0]

    # Every batch reported committed is there whole; the one being written is there whole or not at
    # all (it may have committed between its last line and the kill).
    reported = len(committed) * BATCH
    assert articles in (reported, reported + BATCH)
    assert {f"http://www.synthetic-edu.cn/news/0/{index}.html" for index in range(reported)} <= stored_urls
    assert len(stored_urls) == articles
    assert bands == articles * BANDS
    assert unindexed == 0


def test_a_crawl_that_ends_cleanly_leaves_the_database_whole_in_its_one_file(tmp_path: Path) -> None:
    from test_site_settings import Site, article_page, crawl, listing

    site = Site(
        {"/": listing(["/news/2026/1120/1.html"]), "/news/2026/1120/1.html": article_page("市教育局部署寒假安全工作")}
    )
    try:
        profile = f'[site]\nname = "one"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{site.url()}/"]\n'
        crawl(tmp_path, profile, tmp_path / "news.sqlite")
    finally:
        site.close()
    assert sorted(path.name for path in tmp_path.glob("news.sqlite*")) == ["news.sqlite", "news.sqlite.state"]
    alone = tmp_path / "copied" / "news.sqlite"
    alone.parent.mkdir()
    alone.write_bytes((tmp_path / "news.sqlite").read_bytes())  # the file alone, as a user copies it
    with sqlite3.connect(alone) as copy:
        assert copy.execute("SELECT count(*) FROM articles").fetchone() == (1,)
