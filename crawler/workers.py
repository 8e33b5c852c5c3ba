"""CPU work in worker processes, so that reading pages never stalls the downloader.

Extracting an article (about 10 ms a page) and signing its text for near-duplicate lookup (about 3 ms)
are pure CPU work, and in a crawl they ran on the reactor thread: while one page was parsed no
response was read and no request was sent, and the crawl went at the speed of extraction on one core.
A crawl's workers run such pure functions in other processes (Python threads would share one core
through the GIL); the spider and the pipelines await the result and the reactor goes on with other
responses meanwhile. Arguments and results cross the process boundary pickled (a few kilobytes).

The workers are forked after the modules of their work are imported (``EDUNEWS_WORKER_MODULES``) and
with the garbage collector's objects frozen: the pages holding those modules are then shared with the
crawl's process instead of each worker importing copies of its own (measured: a worker's private
memory 88 → 58 MB), and no collection pass writes to them, which would copy them page by page.

A worker that dies (killed, out of memory on a monstrous page) breaks the pool: the call it was making
and every later one then run in the crawl's own process, each counted under :data:`WORKER_LOST`, so no
page is lost.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import importlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

T = TypeVar("T")

#: The stat counting calls made in the crawl's own process because the worker pool broke.
WORKER_LOST = "edunews/workers/in-process-after-worker-loss"


def default_processes() -> int:
    """One worker per core but one, the crawl's own process keeping a core for the downloader and the
    storage: 1 on a 2-core machine, 0 (work in-process) on one core."""
    return max((os.cpu_count() or 1) - 1, 0)


#: Linux's prctl option that has the kernel signal a process when its parent dies.
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Have the kernel kill this worker when its parent dies: a crawl killed with SIGKILL runs no
    clean-up, and its workers, blocked waiting for work, would otherwise live on for ever. Elsewhere
    than on Linux, a thread watches for the parent instead."""
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (AttributeError, OSError):
        threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()


def _start_worker(preload: Sequence[str]) -> None:
    """A worker's start: it dies with its parent and has the modules of its work imported and frozen.
    A forked worker has them from the crawl's process already; one a fork server started (the crawl
    had threads by then) imports those its fork server did not preload."""
    _die_with_parent()
    for name in preload:
        importlib.import_module(name)
    gc.freeze()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _ready() -> None:
    """Nothing: submitted once per worker so that all of them start at once."""


class Workers:
    """``processes`` worker processes for a crawl's pure CPU work (0: run it in this process), which
    start with the modules named in ``preload`` imported."""

    _ATTRIBUTE = "_edunews_workers"

    def __init__(self, processes: int, crawler: Crawler | None = None, preload: Sequence[str] = ()) -> None:
        self.crawler = crawler
        self.lost = False
        self._executor: ProcessPoolExecutor | None = None
        if processes > 0:
            # Forking is fast and the workers inherit the modules already imported, but it is only
            # safe while this process has no other thread; otherwise a fork server starts them.
            method = "fork" if threading.active_count() == 1 else "forkserver"
            context = multiprocessing.get_context(method)
            for name in preload:
                importlib.import_module(name)
            if method == "forkserver":
                context.set_forkserver_preload(list(preload))  # type: ignore[attr-defined]
            gc.freeze()
            # A fork server is the workers' parent when there is one; it ends when this process does.
            self._executor = ProcessPoolExecutor(
                processes, mp_context=context, initializer=_start_worker, initargs=(tuple(preload),)
            )
            for _ in range(processes):
                self._executor.submit(_ready)

    @classmethod
    def of(cls, crawler: Crawler) -> Workers:
        """The workers of ``crawler``'s crawl (``EDUNEWS_WORKER_PROCESSES``, with
        ``EDUNEWS_WORKER_MODULES`` imported), started the first time a component asks for them (while
        the crawl's components are built, before its threads) and stopped when the crawl's engine stops."""
        from scrapy import signals

        workers = getattr(crawler, cls._ATTRIBUTE, None)
        if workers is None:
            processes = crawler.settings.getint("EDUNEWS_WORKER_PROCESSES", -1)
            workers = cls(
                processes if processes >= 0 else default_processes(),
                crawler,
                crawler.settings.getlist("EDUNEWS_WORKER_MODULES"),
            )
            crawler.signals.connect(workers.close, signal=signals.engine_stopped)
            setattr(crawler, cls._ATTRIBUTE, workers)
        return workers

    async def run(self, function: Callable[..., T], *args: object) -> T:
        """``function(*args)``, called in a worker; ``function`` must be a module-level function and
        its arguments and result picklable."""
        if self._executor is not None and not self.lost:
            try:
                return await asyncio.wrap_future(self._executor.submit(function, *args))
            except BrokenProcessPool:
                self.lost = True
        if self.lost and self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(WORKER_LOST)
        return function(*args)

    def close(self) -> None:
        """Stop the workers without waiting for calls nobody awaits any more."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
