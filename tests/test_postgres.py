"""PostgreSQL as a store shared by many processes: migrations that run once however many workers
start together, reposts stored by two workers at the same moment that end as one article, and a
crawl whose database goes away."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from postgres import PostgresServer
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session
from synthetic import synthetic_article
from test_crawl import crawl, finished, wait_for

from crawler.config import project_settings
from crawler.extraction.items import Article as ArticleItem
from edunews.demo.site import DemoSite
from pipelines import spool
from pipelines.db import known_revisions, make_engine, open_database
from pipelines.ingest import Ingestor
from pipelines.models import Article, CrawlRun, Sighting

WORKERS = 4


def start_together(setup: str, action: str, url: str, count: int) -> list[subprocess.Popen[str]]:
    """``count`` Python processes that each run ``setup`` (imports), wait for a shared moment a few
    seconds away, then run ``action``: they hit the database together, not one after another as
    their start-up times would spread them. Both see ``url``."""
    start = time.time() + 4
    wait = f"time.sleep(max(0.0, {start!r} - time.time()))"
    code = f"import time\nurl = {url!r}\n{textwrap.dedent(setup)}\n{wait}\n{textwrap.dedent(action)}"
    return [subprocess.Popen([sys.executable, "-c", code], text=True, stderr=subprocess.PIPE) for _ in range(count)]


def test_four_workers_starting_at_once_migrate_an_empty_database_once(postgres_url: str) -> None:
    setup = "import alembic.command, sqlalchemy.orm, psycopg\nfrom pipelines.db import open_database"
    workers = start_together(setup, "open_database(url, attempts=1)", postgres_url, WORKERS)
    errors = [worker.communicate(timeout=120)[1] for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * WORKERS, "\n".join(errors)
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
            known_revisions()[-1]
        ]
        tables = inspect(connection).get_table_names()
    assert len(tables) == len(set(tables)) and {"articles", "sightings", "minhash_bands", "search_index"} <= set(tables)


def reposted(original: ArticleItem, index: int) -> ArticleItem:
    """Another site's copy of ``original``: the same text (even ``index``) or the text with a line of
    its own added (odd), so both exact and near-duplicate matching are raced."""
    url = original.url.replace("www.synthetic-edu.cn", "www.repost-edu.cn")
    if index % 2 == 0:
        return dataclasses.replace(original, url=url)
    added = "本文转载自区教育信息网，如有侵权请联系删除。"
    text = original.text + "\n" + added
    return dataclasses.replace(original, url=url, text=text, paragraphs=[*original.paragraphs, added])


def store_at_once(url: str, items: list[ArticleItem], folder: Path) -> None:
    """Store each item from a worker of its own (own engine, own journal), all released together."""
    ready = threading.Barrier(len(items))
    failures: list[BaseException] = []

    def worker(index: int, item: ArticleItem) -> None:
        settings = {"EDUNEWS_DB": url, "EDUNEWS_BATCH_SIZE": 1, "EDUNEWS_STATE_DIR": str(folder / str(index))}
        try:
            with Ingestor(project_settings(settings)) as ingest:
                ready.wait(timeout=30)
                ingest(item)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)

    threads = [threading.Thread(target=worker, args=pair) for pair in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures


def test_two_workers_storing_reposts_of_one_article_at_once_end_with_one_article_and_two_sightings(
    postgres_url: str, tmp_path: Path
) -> None:
    open_database(postgres_url)
    rounds = 24
    for index in range(rounds):
        original = synthetic_article(index)
        store_at_once(postgres_url, [original, reposted(original, index)], tmp_path / str(index))
    with Session(make_engine(postgres_url)) as session:
        sightings = [len(article.sightings) for article in session.scalars(select(Article))]
        spooled = list(tmp_path.rglob("*.jsonl"))
    assert not spooled, "every record stored, none left for a later run"
    assert sightings == [2] * rounds, "each article once, its repost a sighting of it"


def test_a_database_gone_until_the_crawl_ends_gets_the_summary_of_what_waits_and_the_next_crawl_stores_it(
    tmp_path: Path,
) -> None:
    """PostgreSQL stops once the crawl has started and stays down: the crawl spools its records, then
    ends with its summary (its JSON too) saying how many records wait, where and why, and exit 1 (it
    exited 2 with no JSON, reading the stored articles for the summary); the same crawl with the
    database back stores them."""
    patience = ("-s", "EDUNEWS_DB_RETRIES=2", "-s", "EDUNEWS_DB_RETRY_DELAY=0.1")
    with PostgresServer() as server, DemoSite(slow_seconds=1.0) as site:
        db = server.create_database()
        open_database(db)
        engine = make_engine(db)
        crawling = crawl(site, tmp_path, db, *patience, wait=False)
        with Session(engine) as session:  # the crawl is under way with its database: the run is recorded
            wait_for(lambda: session.scalars(select(CrawlRun.id)).first(), what="the crawl run")
        engine.dispose()
        server.stop()
        report = finished(crawling)  # exit 1: the demo's broken pages, and records spooled
        stats = report["stats"]
        where = Path(stats["edunews/store/waiting-in"])
        waiting = {record.url for record in spool.take(where)}
        assert stats["edunews/store/spooled"] == len(waiting) > 0
        assert stats["edunews/store/problem"].startswith("database unavailable after 2 tries")
        assert report["articles"] == [] and "database unavailable" in report["articles_unread"]
        server.start()
        again = crawl(site, tmp_path, db, *patience)
        with Session(make_engine(db)) as session:
            stored = set(session.scalars(select(Sighting.url)))
    assert again["stats"]["store/unspooled"] == len(waiting) and waiting <= stored
