"""Several ``edunews crawl`` processes sharing one crawl through a real Redis frontier, into one shared
database; the commands that inspect and empty the frontier."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres import free_port
from probes import closed_port, edunews
from services import redis_server, start_redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from test_crawl import stored

from crawler.frontier import SharedFrontier, connect
from edunews.demo.profile import DEMO_CRAWL_SETTINGS, demo_profile_toml
from edunews.demo.site import DemoSite
from pipelines.db import open_database
from pipelines.models import Article

#: A crawl of the loopback demo site as fast as it goes, and a frontier that notices a dead worker soon. Four
#: crawls share the machine's cores here: a page waits longer than the demo's two seconds, and a robots.txt
#: that timed out in one crawl and not in the other would make them differ.
FAST = DEMO_CRAWL_SETTINGS | {
    "DOWNLOAD_TIMEOUT": 20,
    # The uninterrupted crawl's SQLite file is written beside four busy crawls: give it patience.
    "EDUNEWS_DB_RETRIES": 12,
    "EDUNEWS_DB_RETRY_DELAY": 0.05,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "EDUNEWS_FRONTIER_LEASE_TIMEOUT": 3,
    "EDUNEWS_FRONTIER_IDLE": 2,
    "EDUNEWS_FRONTIER_HEARTBEAT": 0.5,
}
ARTICLES = 2000
CRAWL_TIMEOUT = 300
#: The site of the Redis outage test, and a pace that keeps its two workers busy for a few seconds.
OUTAGE_ARTICLES = 300
STEADY = ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "-s", "DOWNLOAD_DELAY=0.01")
#: The demo site serves broken pages on purpose: its crawls finish with failures (exit 1), or a worker
#: that happened to fetch none of them with 0.
EXIT_FAILURES = 1


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    with redis_server(tmp_path / "redis") as url:
        yield url


@pytest.fixture
def shared_db(postgres_url: str) -> str:
    """The database every worker writes: a PostgreSQL database of its own on the session's server."""
    return postgres_url


def crawl_command(profile: Path, db: str, *extra: str) -> list[str]:
    settings = [arg for name, value in FAST.items() for arg in ("-s", f"{name}={value}")]
    command = [sys.executable, "-m", "edunews", "crawl", "--profile", str(profile), "--db", db]
    return [*command, "--json", "--archive", "", *settings, *extra]


def start_worker(profile: Path, db: str, frontier: str, folder: Path, *extra: str) -> subprocess.Popen:
    """One crawl worker; its journal is its own, and the next process to start stores it if it is killed."""
    command = crawl_command(profile, db, "--frontier", frontier, *extra)
    return subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished_stats(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=CRAWL_TIMEOUT)
    assert process.returncode in (0, EXIT_FAILURES), err[-3000:]
    return json.loads(out)["stats"]


def test_three_workers_one_killed_midway_store_what_one_uninterrupted_crawl_stores(
    tmp_path: Path, redis_url: str, shared_db: str
) -> None:
    with DemoSite(extra_articles=ARTICLES, slow_seconds=1.0) as site:
        profile = tmp_path / "demo.toml"
        profile.write_text(demo_profile_toml(site.url), encoding="utf-8")
        single = tmp_path / "single.sqlite"
        # The uninterrupted crawl runs beside the shared one: the machine's cores are busy either way.
        alone = subprocess.Popen(crawl_command(profile, str(single)), cwd=tmp_path, stdout=subprocess.DEVNULL)
        shared = open_database(shared_db)
        workers = [start_worker(profile, shared_db, redis_url, tmp_path) for _ in range(3)]
        deadline = time.monotonic() + CRAWL_TIMEOUT
        while count_articles(shared) < ARTICLES // 4:
            assert time.monotonic() < deadline and workers[0].poll() is None, "the crawl is under way"
            time.sleep(0.5)  # this process serves the demo site too: keep its polling light
        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].wait()
        assert count_articles(shared) < ARTICLES, "killed midway"
        restarted = start_worker(profile, shared_db, redis_url, tmp_path)
        stats = [finished_stats(worker) for worker in [*workers[1:], restarted]]
        assert alone.wait(timeout=CRAWL_TIMEOUT) == EXIT_FAILURES

    assert stored(shared_db) == stored(single), "same articles, same reposts merged with their sightings"
    assert two_page_article(shared_db) == two_page_article(str(single)), "stitched whole by the worker holding page 1"
    assert sum(s.get("edunews/frontier/requeued", 0) for s in stats) >= 1, "the killed worker's requests came back"
    # The restarted worker first stores what its predecessor had journalled; by then the queue may be empty.
    assert all(s.get("edunews/frontier/taken", 0) > 0 for s in stats[:2]), "the workers shared the crawl"
    left = SharedFrontier(connect(redis_url), "demo").status()
    assert (left.queued, left.seen, left.leases) == (0, 0, {}), "a finished crawl leaves an empty frontier"


def test_redis_killed_and_restarted_empty_under_two_workers_ends_as_an_uninterrupted_crawl(
    tmp_path: Path, shared_db: str
) -> None:
    port = free_port()
    frontier = f"redis://127.0.0.1:{port}/0"
    redis = start_redis(tmp_path / "redis", port)
    try:
        with DemoSite(extra_articles=OUTAGE_ARTICLES, slow_seconds=1.0) as site:
            profile = tmp_path / "demo.toml"
            profile.write_text(demo_profile_toml(site.url), encoding="utf-8")
            single = tmp_path / "single.sqlite"
            assert (
                subprocess.run(crawl_command(profile, str(single)), cwd=tmp_path, capture_output=True).returncode == 1
            )
            shared = open_database(shared_db)
            workers = [start_worker(profile, shared_db, frontier, tmp_path, *STEADY) for _ in range(2)]
            deadline = time.monotonic() + CRAWL_TIMEOUT
            while count_articles(shared) < OUTAGE_ARTICLES // 5:
                assert time.monotonic() < deadline and workers[0].poll() is None, "the crawl is under way"
                time.sleep(0.2)
            redis.kill()  # mid-crawl, with requests queued and leased
            redis.wait()
            time.sleep(3)
            assert all(worker.poll() is None for worker in workers), "the workers wait for Redis"
            redis = start_redis(tmp_path / "redis", port)  # back, and empty
            ends = [worker.communicate(timeout=CRAWL_TIMEOUT) for worker in workers]
    finally:
        redis.kill()
        redis.wait()
    assert all(worker.returncode in (0, EXIT_FAILURES) for worker in workers), [err[-2000:] for _, err in ends]
    for _, err in ends:
        assert "Traceback" not in err and "CRITICAL" not in err, err[-3000:]
        assert err.count("the frontier at") == 1 and "is unreachable" in err, err[-3000:]
        assert "the frontier is back after" in err, err[-3000:]
    assert sum("lost the crawl's queue" in err for _, err in ends) == 1, "one worker queues again what was lost"
    assert stored(shared_db) == stored(single), "same articles, same reposts merged with their sightings"


def count_articles(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Article)) or 0


def two_page_article(db: str) -> str:
    """The demo site's article in two pages, as stored."""
    with open_database(db)() as session:
        return session.scalars(select(Article.text).where(Article.title.contains("新高考"))).one()


def test_frontier_status_shows_queue_seen_set_and_leases_and_clear_needs_yes(redis_url: str, tmp_path: Path) -> None:
    shared = SharedFrontier(connect(redis_url), "moe")
    for n in range(3):
        assert shared.push_unseen(f"fingerprint-{n}", f"request-{n}".encode())
    assert not shared.push_unseen("fingerprint-1", b"request-1 again"), "a fingerprint any worker saw is not queued"
    shared.heartbeat("host:1:abc")
    shared.pop("host:1:abc", "1")

    shown = edunews("frontier", "status", "--frontier", redis_url, "--json", cwd=tmp_path)
    assert shown.code == 0, shown.err
    (moe,) = json.loads(shown.out)
    assert (moe["name"], moe["queued"], moe["seen"], moe["leases"]) == ("moe", 2, 3, {"host:1:abc": 1})

    refused = edunews("frontier", "clear", "--frontier", redis_url, cwd=tmp_path)
    assert refused.code == 2 and "--yes" in refused.err
    assert shared.queued() == 2
    cleared = edunews("frontier", "clear", "--frontier", redis_url, "--yes", cwd=tmp_path)
    assert cleared.code == 0 and "moe" in cleared.out
    assert shared.status() == SharedFrontier(connect(redis_url), "moe").status()
    assert (shared.queued(), shared.status().seen) == (0, 0)


def test_the_leases_of_a_silent_worker_go_back_to_the_head_of_the_queue(redis_url: str) -> None:
    shared = SharedFrontier(connect(redis_url), "moe")
    for n in range(3):
        shared.push(f"request-{n}".encode())
    shared.heartbeat("gone")
    assert shared.pop("gone", "1") == b"request-0"
    assert shared.reclaim(silent_for=60) == 0, "a worker heard from just now keeps its leases"
    time.sleep(1.1)
    assert shared.reclaim(silent_for=1) == 1
    assert shared.pop("alive", "1") == b"request-0"
    assert "gone" not in shared.status().heartbeats


def test_an_unreachable_frontier_is_one_line_and_exit_2(tmp_path: Path) -> None:
    nowhere = f"redis://127.0.0.1:{closed_port()}/0"
    for command in (
        ["frontier", "status", "--frontier", nowhere],
        ["crawl", "--profile", "moe", "--frontier", nowhere],
    ):
        done = edunews(*command, cwd=tmp_path)
        assert done.code == 2
        assert done.err.startswith("edunews: cannot reach the frontier") and len(done.err.splitlines()) == 1
    assert not list(tmp_path.iterdir()), "nothing created: no database, no spool"
