"""Distributed crawling: pages/second for 1, 2 and 4 crawl workers sharing one Redis frontier and one
database, and what a worker killed with SIGKILL costs.

Run: python benchmarks/distributed.py [--articles 2000] [--workers 1,2,4]

Serves the demo site with N generated articles on 127.0.0.1 and starts a Redis on a free loopback port
(Debian's redis-server) and a PostgreSQL (initdb/pg_ctl, as the tests do), then crawls the site once per
worker count, each time into a fresh PostgreSQL database, with no politeness delay. Wall time runs from
the start of the first worker to the exit of the last, so it includes start-up and the quiet period
(EDUNEWS_FRONTIER_IDLE) a crawl waits before it ends. Then it crawls again with 2 workers, SIGKILLs one
a third of the way through and restarts it: the extra wall time over the uninterrupted 2-worker run, and
the seconds until the killed worker's leased requests are back in the queue (the lease timeout, noticed
at the next heartbeat).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from extras import missing_extras  # noqa: E402
from postgres import PostgresMissing, PostgresServer  # noqa: E402
from services import ServerMissing, redis_server  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from crawler.frontier import SharedFrontier, connect  # noqa: E402
from edunews.demo.profile import DEMO_CRAWL_SETTINGS, demo_profile_toml  # noqa: E402
from edunews.demo.site import DemoSite  # noqa: E402
from pipelines.db import open_database  # noqa: E402
from pipelines.models import Article  # noqa: E402

LEASE_TIMEOUT = 5.0
#: The Python packages the benchmark's servers are driven with, and the extras of edunews that bring them.
CLIENTS = {"psycopg": "postgres", "redis": "distributed"}
SETTINGS = DEMO_CRAWL_SETTINGS | {
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "EDUNEWS_FRONTIER_LEASE_TIMEOUT": LEASE_TIMEOUT,
    "EDUNEWS_FRONTIER_IDLE": 1,
    "EDUNEWS_FRONTIER_HEARTBEAT": 0.5,
}


def start_worker(work: Path, db: str, frontier: str) -> subprocess.Popen:
    settings = [arg for key, value in SETTINGS.items() for arg in ("-s", f"{key}={value}")]
    command = [sys.executable, "-m", "edunews", "crawl", "--profile", "demo.toml", "--db", db, "--json"]
    command += ["--archive", "", "--frontier", frontier, *settings]
    return subprocess.Popen(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def pages_of(process: subprocess.Popen) -> int:
    out, _ = process.communicate()
    if process.returncode not in (0, 1):  # the demo site's broken pages make 1 normal
        raise SystemExit(f"a worker failed with exit code {process.returncode}")
    return json.loads(out)["stats"].get("downloader/response_count", 0)


def fresh_db(server: PostgresServer) -> str:
    """A new, empty PostgreSQL database for one run."""
    return server.create_database()


def crawl(work: Path, db: str, frontier: str, workers: int) -> tuple[float, int]:
    """Wall seconds and pages fetched by ``workers`` workers crawling the site together."""
    started = time.perf_counter()
    processes = [start_worker(work, db, frontier) for _ in range(workers)]
    pages = sum(pages_of(process) for process in processes)
    return time.perf_counter() - started, pages


def stored(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(Article)) or 0


def crawl_with_a_kill(work: Path, db: str, frontier: str, articles: int) -> tuple[float, float, int]:
    """Two workers, one SIGKILLed a third of the way and restarted at once: wall seconds, seconds until
    its leases were back in the queue, and how many requests it held."""
    shared = SharedFrontier(connect(frontier), "demo")
    started = time.perf_counter()
    sessions = open_database(db)
    victim, other = (start_worker(work, db, frontier) for _ in range(2))
    while stored(sessions) < articles // 3:
        time.sleep(0.2)
    status = shared.status()
    name = next(worker for worker in status.heartbeats if f":{victim.pid}:" in worker)
    held = status.leases.get(name, 0)
    os.kill(victim.pid, signal.SIGKILL)
    killed_at = time.perf_counter()
    victim.wait()
    restarted = start_worker(work, db, frontier)
    while name in shared.status().heartbeats:
        time.sleep(0.05)
    back = time.perf_counter() - killed_at
    pages_of(other), pages_of(restarted)
    return time.perf_counter() - started, back, held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="generated article pages (default 2000)")
    parser.add_argument("--workers", default="1,2,4", help="worker counts to measure (default 1,2,4)")
    args = parser.parse_args()
    counts = [int(count) for count in args.workers.split(",")]
    if missing := missing_extras(CLIENTS):
        raise SystemExit(f"distributed.py {missing}")
    try:
        measure(args.articles, counts)
    except (PostgresMissing, ServerMissing) as error:
        raise SystemExit(f"distributed.py: {error}") from None


def measure(articles: int, counts: list[int]) -> None:
    """Crawl a site of ``articles`` generated pages with each of ``counts`` workers, then with a kill."""
    with (
        tempfile.TemporaryDirectory(prefix="edunews-distributed-bench-") as folder,
        DemoSite(extra_articles=articles, slow_seconds=1.0) as site,
        redis_server(Path(folder) / "redis") as frontier,
        PostgresServer() as server,
    ):
        work = Path(folder)
        (work / "demo.toml").write_text(demo_profile_toml(site.url), encoding="utf-8")
        print(f"site: {len(site.article_paths()):,} article pages at {site.url}; {os.cpu_count()} CPU cores\n")
        print(f"{'workers':>8}{'pages':>8}{'seconds':>10}{'pages/s':>10}")
        walls = {}
        for count in counts:
            seconds, pages = crawl(work, fresh_db(server), frontier, count)
            walls[count] = seconds
            print(f"{count:>8}{pages:>8,}{seconds:>10.1f}{pages / seconds:>10.1f}", flush=True)
        killed, back, held = crawl_with_a_kill(work, fresh_db(server), frontier, articles)
    if 2 in walls:
        print(f"\n2 workers, one SIGKILLed a third of the way and restarted: {killed:.1f} s, ", end="")
        print(f"{killed - walls[2]:+.1f} s over the uninterrupted run")
    print(f"its {held} leased requests were back in the queue {back:.1f} s after the kill", end="")
    print(f" (lease timeout {LEASE_TIMEOUT:.0f} s)")


if __name__ == "__main__":
    main()
