"""How ``edunews serve`` takes a burst: CLIENTS clients each open a connection at the same moment and
GET a page (the article list, a search, an article, the crawl runs, in turn), ROUNDS times; printed are
the errors (refused, reset, timed out after 30 s, or any status but 200) and the latency percentiles.
Target: 0 errors, p99 under 1 s on the demo database.

    python benchmarks/serve.py [--clients 200] [--rounds 3] [--db DB]

Without --db the demo site is crawled into a temporary database first (``edunews demo``). The server
runs as ``edunews serve`` in a process of its own, as a user starts it."""

from __future__ import annotations

import argparse
import http.client
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The pages the clients ask for, in turn: the ones a reader opens.
PATHS = ("/", "/search?q=%E6%95%99%E8%82%B2", "/articles/1", "/runs")
#: A request not answered by then counts as an error (a browser gives up at about this point).
TIMEOUT = 30.0


def demo_database(folder: Path) -> str:
    """The demo site crawled into a database in ``folder`` (its broken pages make the demo exit 1)."""
    db = str(folder / "demo.sqlite")
    done = subprocess.run(
        [sys.executable, "-m", "edunews", "demo", "--port", "0", "--db", db, "--archive", "", "--json"],
        capture_output=True,
        cwd=folder,
    )
    if done.returncode not in (0, 1):
        sys.exit(f"the demo crawl failed: {done.stderr.decode()[-2000:]}")
    return db


def start_server(db: str) -> tuple[subprocess.Popen[str], int]:
    """``edunews serve`` on a free port, and the port it says it listens on."""
    server = subprocess.Popen(
        [sys.executable, "-m", "edunews", "serve", "--db", db, "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    found = re.search(r":(\d+)/", line)
    if not found:
        server.kill()
        sys.exit(f"edunews serve did not start: {line!r}")
    return server, int(found.group(1))


def get(port: int, path: str) -> float | None:
    """Seconds ``GET path`` took on a new connection, or None when it failed."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return time.perf_counter() - started if response.status == 200 else None
    except OSError:
        return None
    finally:
        connection.close()


def burst(port: int, clients: int) -> list[float | None]:
    """``clients`` GETs started together (a barrier releases them), one per thread."""
    results: list[float | None] = [None] * clients
    barrier = threading.Barrier(clients)

    def client(number: int) -> None:
        barrier.wait()
        results[number] = get(port, PATHS[number % len(PATHS)])

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", help="a database to serve (default: the demo site crawled afresh)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = options.db or demo_database(Path(folder))
        server, port = start_server(db)
        try:
            get(port, "/")  # the first request opens the database: not part of the burst
            print(f"{'round':<7}{'clients':>8}{'errors':>8}{'p50 s':>8}{'p99 s':>8}{'max s':>8}")
            failures = 0
            for number in range(1, options.rounds + 1):
                results = burst(port, options.clients)
                times = [result for result in results if result is not None]
                errors = len(results) - len(times)
                failures += errors
                p50, p99 = (percentile(times, 0.5), percentile(times, 0.99)) if times else (0.0, 0.0)
                print(f"{number:<7}{options.clients:>8}{errors:>8}{p50:>8.2f}{p99:>8.2f}{max(times, default=0):>8.2f}")
            print(f"target: 0 errors, p99 <= 1 s; {failures} errors in all")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
