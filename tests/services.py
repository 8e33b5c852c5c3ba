"""Real servers for the distributed tests: a Redis and a Scrapyd, each started on a free 127.0.0.1 port
in a temporary folder and stopped afterwards. A missing server binary fails the test with a message
saying what to install (CI installs them through scripts/test.sh); it never skips."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from postgres import free_port

#: How long a server may take to answer after it is started.
START_TIMEOUT = 20.0


class ServerMissing(RuntimeError):
    """A server binary a test (or benchmarks/distributed.py, which runs without pytest) needs is not installed."""


def needed(binary: str, package: str) -> str:
    """The path of ``binary``; else :class:`ServerMissing` naming the package that provides it."""
    path = shutil.which(binary) or shutil.which(binary, path=str(Path(sys.executable).parent))
    if path is None:
        raise ServerMissing(f"{binary} is not installed: install {package} (scripts/test.sh does on CI)")
    return path


def wait_until(ready: Callable[[], bool], what: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not ready():
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before answering")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer within {START_TIMEOUT:.0f} s")
        time.sleep(0.1)


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A Redis on a free loopback port, persisting nothing; yields its ``redis://`` URL."""
    port = free_port()
    process = start_redis(folder, port)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


def start_redis(folder: Path, port: int) -> subprocess.Popen:
    """A Redis on ``port`` that persists nothing (a restart comes back empty), answering when returned."""
    binary = needed("redis-server", "Debian's redis-server package")
    folder.mkdir(parents=True, exist_ok=True)
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*command, "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    wait_until(lambda: answers(port), "redis-server", process)
    return process


SCRAPYD_CONF = """[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = {folder}/eggs
logs_dir = {folder}/logs
items_dir =
jobs_to_keep = 5
dbs_dir = {folder}/dbs
max_proc = 2
poll_interval = 0.5
"""


@contextmanager
def scrapyd_server(folder: Path) -> Iterator[str]:
    """A Scrapyd on a free loopback port with its eggs, logs and job database in ``folder``; yields its
    URL. Scrapyd reads ``scrapyd.conf`` from the folder it starts in."""
    binary = needed("scrapyd", "the distributed extra: pip install 'edunews[distributed]'")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scrapyd.conf").write_text(SCRAPYD_CONF.format(port=port, folder=folder), encoding="utf-8")
    log = (folder / "scrapyd.out").open("wb")
    process = subprocess.Popen([binary], cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: scrapyd_answers(url), "scrapyd", process)
        yield url
    finally:
        stop(process)
        log.close()


def scrapyd_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/daemonstatus.json", timeout=1) as reply:
            return reply.status == 200
    except OSError:
        return False
