"""The crawl's worker processes: CPU work runs beside the reactor, a dead worker loses no call, and no
worker outlives a crawl killed with SIGKILL."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import lxml.html
from test_crawl import count_articles

from crawler.workers import TRIM_INTERVAL, WORKER_LOST, Workers
from edunews.demo.profile import DEMO_CRAWL_SETTINGS, demo_profile_toml
from edunews.demo.site import DemoSite


def _pid_unless_in_a_worker(parent: int) -> int:
    """Kills the worker it runs in; run in ``parent`` itself, returns its pid."""
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return os.getpid()


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid``, from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_work_runs_in_another_process() -> None:
    workers = Workers(1)
    try:
        assert asyncio.run(workers.run(os.getpid)) != os.getpid()
    finally:
        workers.close()


def test_closing_the_workers_leaves_no_thread_of_theirs_to_race_the_exit() -> None:
    # A manager thread still ending at exit races the executor's exit hook, which then prints a
    # traceback after the run's summary.
    workers = Workers(2)
    asyncio.run(workers.run(os.getpid))
    manager = workers._executor._executor_manager_thread  # type: ignore[union-attr]
    workers.close()
    assert not manager.is_alive()


def _imported_and_frozen(name: str) -> tuple[bool, bool]:
    """Whether ``name`` is imported in this process, and whether its garbage collector has objects frozen."""
    return name in sys.modules, gc.get_freeze_count() > 0


def test_a_worker_starts_with_the_modules_of_its_work_imported_and_frozen() -> None:
    # Imported before the fork, a module's memory is shared with the crawl's process; frozen, the
    # worker's garbage collector never writes to (and so copies) the pages holding it.
    workers = Workers(1, preload=["wave"])
    try:
        assert asyncio.run(workers.run(_imported_and_frozen, "wave")) == (True, True)
    finally:
        workers.close()


def _resident_mb() -> float:
    """This process's resident memory, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def _resident_mb_holding_a_monstrous_page(elements: int) -> float:
    """Parses an invented page of ``elements`` blocks and returns the resident memory while its tree lives."""
    blocks = (
        f"<div class='c{n % 50}'><p>第{n}段 新闻正文</p><a href='/a/{n}.html'>链接{n}</a></div>"
        for n in range(elements)
    )
    tree = lxml.html.fromstring("<html><body>" + "".join(blocks) + "</body></html>")
    assert len(tree) == 1
    return _resident_mb()


def test_a_worker_gives_back_the_memory_of_a_monstrous_page_once_done_with_it() -> None:
    # A parse tree lives in the C heap in small pieces; freed, they kept the worker at its high-water
    # mark for the rest of the crawl.
    workers = Workers(1)
    try:
        before = asyncio.run(workers.run(_resident_mb))
        holding = asyncio.run(workers.run(_resident_mb_holding_a_monstrous_page, 200_000))
        asyncio.run(workers.run(time.sleep, TRIM_INTERVAL))  # the heap is trimmed at most this often
        after = asyncio.run(workers.run(_resident_mb))
    finally:
        workers.close()
    assert holding - before > 100, "the page's tree takes memory while it lives"
    assert after - before < (holding - before) / 4


def test_without_processes_work_runs_here() -> None:
    assert asyncio.run(Workers(0).run(os.getpid)) == os.getpid()


def test_a_call_whose_worker_dies_runs_here_and_so_do_the_next() -> None:
    workers = Workers(1)
    try:
        assert asyncio.run(workers.run(_pid_unless_in_a_worker, os.getpid())) == os.getpid()
        assert workers.lost
        assert asyncio.run(workers.run(os.getpid)) == os.getpid()
    finally:
        workers.close()


#: A process whose worker dies while sending its answer: the answer's length and a part of it reach
#: the pipe, then the worker is killed. The pool never notices; when the call's deadline passes the
#: worker is found dead, the call runs in this process like any call of a lost worker, and the
#: process still ends once its work is done.
DIES_WHILE_ANSWERING = """
import asyncio, os, signal, struct, sys
from crawler.workers import Workers, set_deadline

def dies_while_answering():
    frame = sys._getframe()
    while frame is not None and "result_queue" not in frame.f_locals:
        frame = frame.f_back
    if frame is None:
        return "here"
    frame.f_locals["result_queue"]._writer._send(struct.pack("!i", 1 << 20) + b"part of an answer")
    os.kill(os.getpid(), signal.SIGKILL)

class Stats(dict):
    def inc_value(self, key, count=1, start=0):
        self[key] = self.get(key, start) + count

set_deadline(dies_while_answering, lambda: 1.0, lambda: "stuck")
workers = Workers(1, Stats())
print(asyncio.run(workers.run(dies_while_answering)), workers.lost, sum(workers.stats.values()))
workers.close()
"""


def test_a_worker_that_dies_mid_answer_is_lost_not_stuck_and_the_process_still_ends() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DIES_WHILE_ANSWERING], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout.split()) == (0, ["here", "True", "1"]), done.stderr[-2000:]


def _inverse(number: int) -> float:
    return 1 / number


async def _many_at_once(workers: Workers, numbers: list[int]) -> list[float | str]:
    calls = [workers.run(_inverse, number) for number in numbers]
    return [
        type(result).__name__ if isinstance(result, Exception) else result
        for result in await asyncio.gather(*calls, return_exceptions=True)
    ]


def test_calls_made_together_each_get_their_own_result_or_error() -> None:
    # Calls made in one turn of the event loop travel to the workers together; one failing does not
    # fail the others, and no worker is taken for lost.
    workers = Workers(2)
    try:
        assert asyncio.run(_many_at_once(workers, [1, 2, 0, 4, 5])) == [1.0, 0.5, "ZeroDivisionError", 0.25, 0.2]
        assert not workers.lost
    finally:
        workers.close()


def crawl_command(site: DemoSite, folder: Path, processes: int = 1) -> list[str]:
    folder.mkdir(exist_ok=True)
    (folder / "demo.toml").write_text(demo_profile_toml(site.url), encoding="utf-8")
    settings = [arg for name, value in DEMO_CRAWL_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    return [
        sys.executable,
        "-m",
        "edunews",
        "crawl",
        "--profile",
        str(folder / "demo.toml"),
        "--db",
        str(folder / "news.sqlite"),
        "--json",
        *settings,
        "-s",
        f"EDUNEWS_WORKER_PROCESSES={processes}",
    ]


def stored_urls(db: Path) -> set[str]:
    """The stored copies' URLs by path (the crawls being compared ran on different ports)."""
    with sqlite3.connect(db) as connection:
        return {url.split("/", 3)[-1] for (url,) in connection.execute("SELECT url FROM sightings")}


def wait_for_articles(db: Path, count: int) -> None:
    deadline = time.monotonic() + 120
    while count_articles(db) < count:
        assert time.monotonic() < deadline, f"fewer than {count} articles after two minutes"
        time.sleep(0.05)


def test_a_worker_killed_mid_crawl_loses_no_page(tmp_path: Path) -> None:
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    with DemoSite(extra_articles=400, slow_seconds=1.0) as site:
        subprocess.run(crawl_command(site, whole, processes=0), cwd=tmp_path, capture_output=True, check=False)
        process = subprocess.Popen(
            crawl_command(site, killed), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        wait_for_articles(killed / "news.sqlite", 10)
        [worker] = children(process.pid)
        os.kill(worker, signal.SIGKILL)
        out, err = process.communicate(timeout=300)
    assert process.returncode == 1, err[-3000:]  # the demo site's broken pages fail on purpose
    assert json.loads(out)["stats"][WORKER_LOST] >= 1, "the pages after the loss were read in the crawl's process"
    assert count_articles(killed / "news.sqlite") == count_articles(whole / "news.sqlite") > 400
    assert stored_urls(killed / "news.sqlite") == stored_urls(whole / "news.sqlite")


def test_no_worker_outlives_a_crawl_killed_with_sigkill(tmp_path: Path) -> None:
    with DemoSite(extra_articles=120, slow_seconds=1.0) as site:
        process = subprocess.Popen(
            crawl_command(site, tmp_path / "crawl"), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for_articles(tmp_path / "crawl" / "news.sqlite", 10)
        workers = children(process.pid)
        assert workers, "the crawl has a worker process"
        process.kill()
        process.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert not any(alive(pid) for pid in workers)
