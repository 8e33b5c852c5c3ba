"""Ingestion into a real SQLite file and a real PostgreSQL database: idempotent replays, three dedupe
levels, locks, crashes, junk."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from postgres import DATABASES, new_database
from probes import SEED_FIXTURES, edunews, seeded_db
from revisions import move_to
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from synthetic import synthetic_article

from crawler.config import project_settings
from crawler.extraction.extract import extract_article
from crawler.extraction.items import Article
from crawler.extraction.pages import iter_saved_pages, read_saved_page, saved_page_folders
from edunews.replay import replay_pages
from pipelines import spool, storage
from pipelines.crawling import CrawlDatabase
from pipelines.db import (
    SQLITE_CACHE_MIB,
    DatabaseProblem,
    SchemaUpgrade,
    database_url,
    declared_by_models,
    known_revisions,
    make_engine,
    open_database,
    require_supported,
    sqlite_path,
)
from pipelines.dedupe import sign
from pipelines.ingest import Ingestor
from pipelines.models import Article as StoredArticle
from pipelines.models import Base, Reject, Sighting
from pipelines.neardup import BANDS, band_buckets, signature
from pipelines.normalize import to_record
from pipelines.search import SEARCH_INDEX, indexed_terms, search_articles, terms
from pipelines.state import STATE_ENV
from pipelines.storage import BAND_TABLES

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures"
#: An older schema a stored database is moved back to, to be upgraded.
OLD_REVISION = "0008"


def replay_fixtures(db: str | Path, **options: object):  # noqa: ANN201 - ReplaySummary
    return replay_pages(iter_saved_pages(saved_page_folders([FIXTURES])), db=str(db), **options)  # type: ignore[arg-type]


def ingest(db: str | Path, items: list, **settings: object) -> dict:
    ingestor = Ingestor(project_settings({"EDUNEWS_DB": str(db), **settings}))
    with ingestor:
        ingestor.feed(items)
    return ingestor.stats.get_stats()


def ingest_one_by_one(db: str | Path, items: list, **settings: object) -> dict:
    ingestor = Ingestor(project_settings({"EDUNEWS_DB": str(db), **settings}))
    with ingestor:
        for item in items:
            ingestor(item)
    return ingestor.stats.get_stats()


def counts(db: str | Path) -> dict[str, int]:
    with Session(make_engine(str(db))) as session:
        found = {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (StoredArticle, Sighting, *BAND_TABLES, Reject)
        }
    # An article's band rows are in one band table or the other (recent ones wait in a small one).
    found["minhash_bands"] += found.pop("minhash_bands_recent")
    return found


def snapshot(db: str | Path) -> set[tuple]:
    """What the database holds, independent of row ids and insertion order."""
    with Session(make_engine(str(db))) as session:
        articles = {(a.url, a.fingerprint, a.title) for a in session.scalars(select(StoredArticle))}
        sightings = {(s.url, s.article.url, s.match) for s in session.scalars(select(Sighting))}
    return articles | sightings


def test_replaying_fixtures_twice_changes_nothing(any_db: str) -> None:
    db = any_db
    first = replay_fixtures(db)
    before = counts(db), snapshot(db)
    second = replay_fixtures(db)
    assert (counts(db), snapshot(db)) == before
    assert first.group("edunews/articles")["new"] == before[0]["articles"]
    assert second.group("edunews/articles") == {"unchanged": before[0]["sightings"]}


def test_the_two_reposts_of_the_seed_article_are_one_article_with_two_sightings(any_db: str) -> None:
    db = any_db
    replay_fixtures(db)
    with Session(make_engine(str(db))) as session:
        sighting = session.scalars(select(Sighting).where(Sighting.url.contains("eduzx.com.cn"))).one()
        article = sighting.article
        assert {s.site for s in article.sightings} == {"www.1xbbk.net", "www.eduzx.com.cn"}
        assert sorted(s.match for s in article.sightings) == ["near", "original"]
        # The portal's copy is elected (digits intact): the article shows its URL, date and source.
        assert article.url == sighting.url
        assert article.published_at.isoformat() == "2021-04-27T02:35:21+00:00"
        assert article.published_offset == "+08:00"
        assert article.source == "重庆日报"


def with_more_text(item: Article, fetched_at: str) -> Article:
    """The same page fetched again after the site added a paragraph."""
    added = "记者补充：活动将持续一周。"
    return dataclasses.replace(
        item, text=item.text + "\n" + added, paragraphs=[*item.paragraphs, added], fetched_at=fetched_at
    )


def test_same_url_with_changed_text_updates_the_article(any_db: str) -> None:
    db = any_db
    original = synthetic_article(1)
    ingest(db, [original])
    stats = ingest(db, [with_more_text(original, "2026-11-03T08:00:00+00:00")])
    assert stats["edunews/articles/updated"] == 1
    with Session(make_engine(str(db))) as session:
        article = session.scalars(select(StoredArticle)).one()
        assert article.text.endswith("记者补充：活动将持续一周。")
        assert article.sightings[0].fetch_count == 2


def test_refreshed_article_is_indexed_by_its_new_text(any_db: str) -> None:
    db = any_db
    original = synthetic_article(1)
    ingest(db, [original])
    ingest(db, [with_more_text(original, "2026-11-03T08:00:00+00:00")])
    with Session(make_engine(str(db))) as session:
        article = session.scalars(select(StoredArticle)).one()
        stored_terms = indexed_terms(session, article.id)
        stored_bands = {row for table in BAND_TABLES for row in session.execute(select(table.band, table.bucket))}
        assert stored_terms == terms(article.title + "\n" + article.text)
        assert stored_bands == set(band_buckets(signature(article.title + "\n" + article.text)))
        assert [found.id for found in search_articles(session, "持续一周")] == [article.id]


def test_a_page_seen_twice_in_one_batch_is_stored_then_refreshed(any_db: str) -> None:
    db = any_db
    original = synthetic_article(1)
    stats = ingest(db, [original, with_more_text(original, "2026-11-03T08:00:00+00:00")])
    assert stats["edunews/articles/new"] == 1 and stats["edunews/articles/updated"] == 1
    with Session(make_engine(str(db))) as session:
        article = session.scalars(select(StoredArticle)).one()
        assert article.text.endswith("记者补充：活动将持续一周。")
        assert article.sightings[0].fetch_count == 2
    assert counts(db)["minhash_bands"] == BANDS


def cut_short(item: Article, url: str) -> Article:
    """``item`` reposted at ``url`` with the end of its last paragraph cut off: a near duplicate."""
    paragraphs = [*item.paragraphs[:-1], item.paragraphs[-1][:-12]]
    return dataclasses.replace(item, url=url, paragraphs=paragraphs, text="\n".join(paragraphs))


def band_rows(db: str | Path) -> dict[str, int]:
    with Session(make_engine(str(db))) as session:
        return {
            table.__tablename__: session.scalar(select(func.count()).select_from(table)) or 0 for table in BAND_TABLES
        }


def test_band_rows_gather_apart_then_move_in_bulk_and_a_repost_still_finds_its_original(
    any_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipelines.storage.RECENT_BAND_ROWS", 3 * BANDS)
    originals = [synthetic_article(index) for index in range(6)]
    for start in range(0, 6, 2):  # one transaction each: the second leaves four articles' rows, moved
        ingest(any_db, originals[start : start + 2])
    assert band_rows(any_db) == {"minhash_bands": 4 * BANDS, "minhash_bands_recent": 2 * BANDS}

    reposts = [cut_short(originals[index], f"http://www.repost-farm.cn/a/{index}.html") for index in (0, 5)]
    ingest(any_db, reposts)  # of an article whose rows moved, and of one whose rows wait
    with Session(make_engine(str(any_db))) as session:
        joined = [session.scalars(select(Sighting).where(Sighting.url == repost.url)).one() for repost in reposts]
        assert [(sighting.match, {seen.url for seen in sighting.article.sightings}) for sighting in joined] == [
            ("near", {originals[0].url, reposts[0].url}),
            ("near", {originals[5].url, reposts[1].url}),
        ]
    assert counts(any_db)["articles"] == 6


def test_a_batch_rolled_back_and_retried_indexes_each_article_once(
    any_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The batch's last record hits a locked database after the others' band rows and search entries
    # were written; the retried transaction writes them again, moves the recent rows, and commits.
    monkeypatch.setattr("pipelines.storage.RECENT_BAND_ROWS", 3 * BANDS)
    mark_stored, calls = storage.mark_stored, []

    def locked_once(session: Session, url: str) -> None:
        calls.append(url)
        if len(calls) == 4:
            raise OperationalError("UPDATE ledger", {}, sqlite3.OperationalError("database is locked"))
        mark_stored(session, url)

    monkeypatch.setattr(storage, "mark_stored", locked_once)
    stats = ingest(any_db, [synthetic_article(index) for index in range(4)])

    assert stats["edunews/store/retries"] == 1 and stats["edunews/articles/new"] == 4
    assert band_rows(any_db) == {"minhash_bands": 4 * BANDS, "minhash_bands_recent": 0}
    with Session(make_engine(str(any_db))) as session:
        ids = set(session.scalars(select(StoredArticle.id)))
        assert session.execute(text(f"SELECT count(*) FROM {SEARCH_INDEX}")).scalar_one() == len(ids) == 4
        assert all(indexed_terms(session, article_id) for article_id in ids)


def test_same_text_under_another_url_is_an_exact_duplicate(any_db: str) -> None:
    db = any_db
    original = synthetic_article(1)
    copy = dataclasses.replace(original, url="http://mirror.example-edu.cn/a/1.html", title="转载：" + original.title)
    stats = ingest(db, [original, copy])
    assert stats["edunews/duplicates/exact"] == 1
    assert counts(db)["articles"] == 1 and counts(db)["sightings"] == 2


def test_reextract_refreshes_articles_from_older_rules(any_db: str) -> None:
    db = any_db
    old = dataclasses.replace(synthetic_article(1), extractor_version="2020.01.01", keywords=[])
    ingest(db, [old])
    new = dataclasses.replace(synthetic_article(1), keywords=["职业教育"])
    assert "edunews/articles/updated" not in ingest(db, [new])
    assert ingest(db, [new], EDUNEWS_REEXTRACT=True)["edunews/articles/updated"] == 1
    with Session(make_engine(str(db))) as session:
        article = session.scalars(select(StoredArticle)).one()
        assert article.extractor_version == new.extractor_version and article.keywords == ["职业教育"]


def test_reextract_counts_the_tenth_version_of_a_day_as_newer_than_the_ninth(tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    ingest(db, [dataclasses.replace(synthetic_article(1), extractor_version="2026.03.02.9", keywords=[])])
    new = dataclasses.replace(synthetic_article(1), extractor_version="2026.03.02.10", keywords=["职业教育"])
    assert ingest(db, [new], EDUNEWS_REEXTRACT=True)["edunews/articles/updated"] == 1


def test_malformed_items_are_kept_as_rejects_and_the_rest_is_stored(any_db: str) -> None:
    db = any_db
    items = [
        synthetic_article(1),
        dataclasses.replace(synthetic_article(2), title=""),
        {"url": "http://x.example.cn/3.html", "title": 3, "text": None},
        "not even an item",
        synthetic_article(4),
    ]
    stats = ingest(db, items)
    assert stats["edunews/articles/new"] == 2
    assert stats["edunews/rejected/empty-title"] == 1
    assert stats["edunews/rejected/malformed"] == 2
    with Session(make_engine(str(db))) as session:
        rejects = {r.url: r.reason for r in session.scalars(select(Reject))}
    assert rejects["http://www.synthetic-edu.cn/news/0/2.html"] == "empty-title"
    assert rejects["http://x.example.cn/3.html"] == "malformed"


def test_a_replay_runs_where_an_event_loop_is_running_already(tmp_path: Path) -> None:
    # A notebook, or a test driving a browser, calls the replay from a thread whose event loop runs.
    async def replay_from_a_running_loop() -> int:
        return replay_fixtures(tmp_path / "news.sqlite").group("edunews/articles")["new"]

    assert asyncio.run(replay_from_a_running_loop()) == counts(tmp_path / "news.sqlite")["articles"] > 10


def rejects(db: str | Path) -> dict[str, tuple[str, int]]:
    with Session(make_engine(str(db))) as session:
        return {r.url: (r.reason, r.count) for r in session.scalars(select(Reject))}


def test_feeding_many_items_to_workers_stores_what_taking_them_one_by_one_here_stores(tmp_path: Path) -> None:
    # Order matters to the store: the first copy of a text is the original, a later fetch of a URL
    # refreshes it, a URL stored as an article is no longer a reject. A feed signs groups of items in
    # worker processes while it stores earlier ones, and must end in the very same database.
    items: list = []
    for index in range(150):
        article = synthetic_article(index)
        items.append(article)
        if index % 7 == 0:  # the same text on another site: an exact duplicate
            items.append(synthetic_article(index, host="www.repost-edu.cn"))
        if index % 11 == 0:  # fetched again later with more text: a refresh
            items.append(with_more_text(article, f"2026-11-03T08:{index % 60:02d}:00+00:00"))
        if index % 13 == 0:  # a broken fetch of a URL that a later item stores
            items.append(dataclasses.replace(synthetic_article(index + 1000), title=""))
            items.append(synthetic_article(index + 1000))
        if index % 17 == 0:
            items.append("not even an item")
    fed, one_by_one = tmp_path / "fed.sqlite", tmp_path / "one-by-one.sqlite"
    fed_stats = ingest(fed, items, EDUNEWS_WORKER_PROCESSES=2)
    one_by_one_stats = ingest_one_by_one(one_by_one, items, EDUNEWS_WORKER_PROCESSES=0)
    assert fed_stats == one_by_one_stats
    assert fed_stats["edunews/articles/updated"] > 0 and fed_stats["edunews/duplicates/exact"] > 0
    assert (counts(fed), snapshot(fed), rejects(fed)) == (counts(one_by_one), snapshot(one_by_one), rejects(one_by_one))
    assert found_by_search(fed, "合成测试") == found_by_search(one_by_one, "合成测试")
    assert len(found_by_search(fed, "合成测试")) > 150


def found_by_search(db: Path, query: str) -> list[str]:
    with Session(make_engine(str(db))) as session:
        return sorted(article.url for article in search_articles(session, query, limit=1000))


def test_overlong_fields_store_alike_on_every_database(any_db: str) -> None:
    """SQLite keeps a value longer than its column; PostgreSQL refuses it: fields are cut to fit, and
    a URL too long to keep is a reject (itself kept under its URL cut to fit)."""
    wordy = dataclasses.replace(synthetic_article(1), source="来源" * 150, site_name="网" * 300, language="zh-" * 10)
    too_long = dataclasses.replace(synthetic_article(2), url="http://www.synthetic-edu.cn/" + "a" * 2100)
    stats = ingest(any_db, [wordy, too_long])
    assert stats["edunews/articles/new"] == 1 and stats["edunews/rejected/bad-url"] == 1
    with Session(make_engine(any_db)) as session:
        article = session.scalars(select(StoredArticle)).one()
        reject = session.scalars(select(Reject)).one()
    assert (len(article.source), len(article.site_name), len(article.language)) == (200, 200, 16)
    assert reject.url == too_long.url[:2048]


def hold_write_lock(db: Path, seconds: float) -> threading.Thread:
    """Another process's write transaction, holding the SQLite write lock for ``seconds``.

    It waits its turn for the lock: a writer busy at that moment (a crawl storing a batch) would
    otherwise make ``BEGIN IMMEDIATE`` fail in the thread and leave the caller waiting for ever."""
    ready = threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(db, timeout=30)
        connection.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        connection.rollback()
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert ready.wait(timeout=60), "the write lock was never taken"
    return thread


def ingest_while_locked(db: Path, seconds: float, items: list, **settings: object) -> dict:
    """Ingest ``items`` while another connection holds the write lock for ``seconds`` from when the
    ingestion is ready to write (its workers started, its database open)."""
    ingestor = Ingestor(project_settings({"EDUNEWS_DB": str(db), **settings}))
    with ingestor:
        holder = hold_write_lock(db, seconds)
        ingestor.feed(items)
    holder.join()
    return ingestor.stats.get_stats()


def test_locked_database_is_retried_until_it_frees(tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    open_database(str(db))
    stats = ingest_while_locked(db, 3.0, [synthetic_article(i) for i in range(5)], EDUNEWS_DB_RETRY_DELAY=0.5)
    assert stats["edunews/store/retries"] >= 1
    assert counts(db)["articles"] == 5


def test_database_locked_for_good_spools_items_and_the_next_run_stores_them(tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    open_database(str(db))
    items = [synthetic_article(i) for i in range(5)]
    stats = ingest_while_locked(db, 6.0, items, EDUNEWS_DB_RETRIES=2, EDUNEWS_DB_RETRY_DELAY=0.1)
    assert stats["edunews/store/spooled"] == 5
    assert counts(db)["articles"] == 0
    assert len(spools(db)) == 1
    stats = ingest(db, [])
    assert stats["edunews/store/unspooled"] == 5
    assert counts(db)["articles"] == 5
    assert not spools(db) and not list(state_folder(db).iterdir()), "stored, nothing left behind"


def state_folder(db: Path) -> Path:
    """Where runs storing into the SQLite file ``db`` keep their journals and spools by default."""
    return Path(str(db) + ".state")


def spools(db: Path) -> list[Path]:
    """The spool files runs into ``db`` left, one per run that ended with records unstored."""
    return list(state_folder(db).glob("*/spool.jsonl"))


def test_records_an_earlier_version_left_beside_the_database_are_stored_after_an_upgrade(tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    open_database(str(db))
    records = [sign(to_record(synthetic_article(index), {})) for index in range(3)]
    spool.append(Path(f"{db}.spool.jsonl"), records[:1])
    spool.append(Path(f"{db}.spool.journal.jsonl"), records[1:2])
    spool.append(Path(f"{db}.spool.journal.jsonl.7"), records[1:])
    assert ingest(db, [])["edunews/store/unspooled"] == 3, "each record once"
    assert counts(db)["articles"] == 3
    assert not list(tmp_path.glob("*.jsonl*")) and not list(state_folder(db).iterdir())


def test_a_read_only_command_that_upgrades_a_stored_database_says_so_on_stderr_and_keeps_stdout_for_its_json(
    tmp_path: Path,
) -> None:
    """The upgrade of 5,000 articles took 43 s inside 'articles list' with no word: one line says what is
    upgraded, from which version and how many articles, before it starts; stdout is the command's."""
    db = seeded_db(tmp_path)
    move_to(make_engine(str(db)), OLD_REVISION, down=True)
    run = edunews("stats", "--db", str(db), "--json", cwd=tmp_path)
    assert run.code == 0, run.err
    assert run.lines == [
        f"edunews: upgrading {db} from schema version {OLD_REVISION} to {known_revisions()[-1]} "
        f"({len(SEED_FIXTURES)} articles); a large database takes minutes"
    ]
    assert json.loads(run.out)["articles"] == len(SEED_FIXTURES)
    assert edunews("stats", "--db", str(db), "--json", cwd=tmp_path).err == "", "upgraded once: nothing more to say"


def test_an_upgrade_is_told_before_it_starts_and_each_of_its_migrations_as_it_is_done(tmp_path: Path) -> None:
    db = seeded_db(tmp_path)
    move_to(make_engine(str(db)), OLD_REVISION, down=True)
    told: list[SchemaUpgrade] = []
    steps: list[str] = []

    @contextmanager
    def watch(upgrade: SchemaUpgrade) -> Iterator[Callable[[], None]]:
        told.append(upgrade)
        yield lambda: steps.append("migrated")
        steps.append("done")

    open_database(str(db), on_upgrade=watch)
    later = [revision for revision in known_revisions() if revision > OLD_REVISION]
    assert told == [SchemaUpgrade(str(db), OLD_REVISION, later[-1], len(later), len(SEED_FIXTURES))]
    assert len(steps) == len(later) + 1 and steps[-1] == "done"
    open_database(str(db), on_upgrade=watch)
    assert len(told) == 1, "a current schema is no upgrade"


def test_unreachable_database_spools_instead_of_losing_items(tmp_path: Path) -> None:
    state = tmp_path / "state"
    unopenable = f"sqlite:///{tmp_path}"  # a folder: SQLite cannot open it as a database
    stats = ingest(
        tmp_path,
        [synthetic_article(1)],
        EDUNEWS_DB=unopenable,
        EDUNEWS_STATE_DIR=str(state),
        EDUNEWS_DB_RETRIES=2,
        EDUNEWS_DB_RETRY_DELAY=0.05,
    )
    assert stats["edunews/store/spooled"] == 1
    [spool] = state.glob("*/spool.jsonl")
    assert spool.read_text(encoding="utf-8").count("\n") == 1


CRASHABLE_RUN = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from crawler.config import project_settings
    from pipelines.ingest import Ingestor
    from synthetic import synthetic_article
    ingestor = Ingestor(project_settings({{"EDUNEWS_DB": sys.argv[1], "EDUNEWS_BATCH_SIZE": 10}}))
    with ingestor:
        for index in range(600):
            ingestor(synthetic_article(index))
    """
)


def run_ingest_script(db: str, state: Path) -> subprocess.Popen:
    script = CRASHABLE_RUN.format(tests=str(Path(__file__).parent))
    return subprocess.Popen([sys.executable, "-c", script, db], cwd=ROOT, env={**os.environ, STATE_ENV: str(state)})


@pytest.fixture(params=DATABASES)
def two_databases(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """Two empty databases of one kind (SQLite files or PostgreSQL databases)."""
    return new_database(request, tmp_path / "whole"), new_database(request, tmp_path / "crashed")


def test_killed_mid_batch_then_rerun_ends_with_the_same_database(
    two_databases: tuple[str, str], tmp_path: Path
) -> None:
    uninterrupted, crashed = two_databases
    assert run_ingest_script(uninterrupted, tmp_path / "state-whole").wait(timeout=300) == 0

    process = run_ingest_script(crashed, tmp_path / "state")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if _articles_committed(crashed) >= 30:
            break
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    interrupted_count = _articles_committed(crashed)
    assert 0 < interrupted_count < 600, "the kill must land mid-run"
    assert interrupted_count % 10 == 0, "only whole batches are ever committed"

    assert run_ingest_script(crashed, tmp_path / "state").wait(timeout=300) == 0
    assert snapshot(crashed) == snapshot(uninterrupted)
    assert counts(crashed) == counts(uninterrupted)


def _articles_committed(db: str) -> int:
    """Articles committed so far; 0 while the database or its schema does not exist yet."""
    if sqlite_path(database_url(db)) is not None and not Path(db).exists():
        return 0  # not created here: the run under test creates it
    try:
        return counts(db)["articles"]
    except DBAPIError:
        return 0


def test_migrations_create_exactly_the_models_schema(any_db: str) -> None:
    engine = make_engine(any_db)
    open_database(any_db)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": declared_by_models})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_extracted_fixture_goes_through_the_whole_chain(any_db: str) -> None:
    db = any_db
    article = extract_article(read_saved_page(FIXTURES / "gov-trs-province"))
    assert isinstance(article, Article)
    stats = ingest(db, [article])
    assert stats["edunews/articles/new"] == 1
    with Session(make_engine(str(db))) as session:
        stored = session.scalars(select(StoredArticle)).one()
        assert stored.title == article.title
        assert stored.removed == article.removed
        assert stored.site == "jyt.yn-demo.gov.cn"


def test_replay_stitches_the_pages_of_a_multi_page_article(any_db: str) -> None:
    db = any_db
    pages = [read_saved_page(FIXTURES / "portal-multipage-p1"), read_saved_page(FIXTURES / "portal-multipage-p2")]
    replay_pages(pages, db=str(db))
    with Session(make_engine(str(db))) as session:
        article = session.scalars(select(StoredArticle)).one()
    assert "3月5日，记者从省教育考试院获悉" in article.text and "志愿填报：以“院校专业组”为基本单位" in article.text


def test_a_database_that_refuses_every_write_keeps_each_record_once_in_the_spool(tmp_path: Path) -> None:
    """Run after run against a database that takes no writes, the spool keeps one copy of each record:
    it used to gain another copy of the same records on every run."""
    db = tmp_path / "news.sqlite"
    ingest(db, [synthetic_article(1)])  # the schema, and one stored article
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"  # refuses writes, whoever runs the test
    items = [synthetic_article(index) for index in range(2, 5)]

    for _ in range(3):
        stats = ingest(db, items, EDUNEWS_DB=read_only, EDUNEWS_DB_RETRIES=1, EDUNEWS_DB_RETRY_DELAY=0)
        assert stats["edunews/store/spooled"] >= len(items)
        [spool] = spools(db)
        lines = spool.read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(items), "each record once"

    assert ingest(db, [])["edunews/store/unspooled"] == len(items)  # writable again: stored, spool gone
    assert not spools(db) and counts(db)["articles"] == 1 + len(items)


def test_a_journal_kept_open_hands_each_record_to_the_os_before_the_next_is_taken(tmp_path: Path) -> None:
    records = [sign(to_record(synthetic_article(index), {})) for index in range(3)]
    journal = spool.OpenSpool(tmp_path / "state" / "journal.jsonl")
    journal.append(records[:1])
    # Read while the file is still open, as the next run does after a kill -9.
    assert [record.url for record in spool.take(journal.path)] == [records[0].url]
    journal.append(records[1:2])
    journal.close()
    journal.append(records[2:])  # opens the file again after a close (a batch took the journal)
    journal.close()
    assert [record.url for record in spool.take(journal.path)] == [record.url for record in records]


def test_a_crawls_database_connections_have_the_page_cache_its_settings_give(tmp_path: Path) -> None:
    # A filled page cache is resident memory: a crawl keeps it small, a batch ingest keeps SQLite's 64 MiB.
    crawl = CrawlDatabase(str(tmp_path / "crawl.sqlite"), attempts=1, first_delay=0.1, cache_mib=3)
    crawl.open()
    with crawl.sessions()() as session:
        assert session.execute(text("PRAGMA cache_size")).scalar() == -3 * 1024
    with open_database(str(tmp_path / "ingest.sqlite"))() as session:
        assert session.execute(text("PRAGMA cache_size")).scalar() == -SQLITE_CACHE_MIB * 1024


def test_a_kind_of_database_without_a_search_index_is_refused_in_one_line() -> None:
    with pytest.raises(
        DatabaseProblem,
        match=r"^mysql://edunews@db\.example/news: edunews stores into postgresql or sqlite, not mysql$",
    ):
        require_supported("mysql", "mysql://edunews@db.example/news")
    require_supported("sqlite", "news.sqlite")
    require_supported("postgresql", "postgresql+psycopg://edunews@127.0.0.1/news")
