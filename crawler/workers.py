"""CPU work in worker processes, so that reading pages never stalls the downloader.

Extracting an article (about 10 ms a page) and signing its text for near-duplicate lookup (about 3 ms)
are pure CPU work, and in a crawl they ran on the reactor thread: while one page was parsed no
response was read and no request was sent, and the crawl went at the speed of extraction on one core.
A crawl's workers run such pure functions in other processes (Python threads would share one core
through the GIL); the spider and the pipelines await the result and the reactor goes on with other
responses meanwhile. A replay extracts its pages and signs their texts in workers the same way
(``edunews.replay``, ``pipelines.ingest``). Arguments and results cross the process boundary pickled
(a few kilobytes), and the calls made in one turn of the event loop travel together, so a replay's
group of articles to sign costs one message, not one per article, and so do a few pages to extract
(see :meth:`Workers._send`).

The workers are forked after the modules of their work are imported (``EDUNEWS_WORKER_MODULES``) and
with the garbage collector's objects frozen: the pages holding those modules are then shared with the
crawl's process instead of each worker importing copies of its own (measured: a worker's private
memory 88 → 58 MB), and no collection pass writes to them, which would copy them page by page.

A worker that dies (killed, out of memory on a monstrous page) breaks the pool: the call it was making
and every later one then run in the crawl's own process, each counted under :data:`WORKER_LOST`, so no
page is lost. A worker stuck past a call's deadline (:func:`set_deadline`; extraction's is twice its
time budget and some) is killed on purpose and the workers are replaced, not lost: the stuck call gives
its deadline's outcome (``extract-timeout``) and the crawl goes on with fresh workers.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import gc
import importlib
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

T = TypeVar("T")


class Counts(Protocol):
    """Where a lost worker is counted: a crawl's stats collector, or a replay's counters."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...


#: The stat counting calls made in the crawl's own process because the worker pool broke.
WORKER_LOST = "edunews/workers/in-process-after-worker-loss"
#: The stat counting workers replaced because a call overran its deadline (see :func:`set_deadline`).
WORKER_REPLACED = "edunews/workers/replaced-after-overrun"


@dataclass(frozen=True)
class Deadline:
    """How long a worker may take over one call of a function (``seconds(*args)``, read when the call
    is sent), and what the call gives when its worker overruns it (``outcome(*args)``)."""

    seconds: Callable[..., float]
    outcome: Callable[..., object]


#: Functions whose calls have a deadline in a worker. A call that overruns it is stuck where no alarm
#: reaches (inside a C library): its worker is killed and replaced, the call gives the deadline's
#: outcome, and the calls it travelled with are sent again one by one.
DEADLINES: dict[Callable[..., object], Deadline] = {}


def set_deadline(
    function: Callable[..., object], seconds: Callable[..., float], outcome: Callable[..., object]
) -> None:
    """Give calls of ``function`` in a worker a deadline of ``seconds(*args)`` and an ``outcome`` past it."""
    DEADLINES[function] = Deadline(seconds, outcome)


def default_processes(keep_a_core: bool = True) -> int:
    """One worker per core but one, the crawl's own process keeping a core for the downloader and the
    storage: 1 on a 2-core machine, 0 (work in-process) on one core. A replay's own process keeps no
    core (``keep_a_core=False``): it only stores, about 2 ms a page against 35 ms to extract one in a
    worker, so it gets one worker per core, and none on one core, where a worker would only add the
    cost of sending it the pages."""
    cores = os.cpu_count() or 1
    return 0 if cores == 1 else cores - 1 if keep_a_core else cores


#: The most calls with a deadline one message carries (see :meth:`Workers._send`).
MOST_CALLS_WITH_DEADLINE = 8


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
    had threads by then) imports those its fork server did not preload. Ctrl-C is the run's to handle
    (a crawl's first one stops it gracefully, its pages in flight finished): a terminal sends it to
    every process of the run, and a worker taking it for its own would die mid-page with a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    for name in preload:
        importlib.import_module(name)
    gc.freeze()


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Inside, this process ignores Ctrl-C, and so does a process it starts, from its start: a fork
    server imports the modules of the workers' work before it ignores Ctrl-C itself, and one Ctrl-C
    then left its traceback on the terminal. Only the main thread may change signal handlers:
    elsewhere nothing changes (and no Ctrl-C reaches this thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)


@contextmanager
def _ctrl_c_noted() -> Iterator[list[int]]:
    """Inside, a Ctrl-C does not interrupt this process but is noted in the list yielded. Workers
    starting take about a second (the fork server's imports); interrupted then, this process left
    them half-started, each printing its traceback as it found its parent gone."""
    noted: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield noted
        return
    handler = signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum))
    try:
        yield noted
    finally:
        signal.signal(signal.SIGINT, handler)


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _ready() -> None:
    """Nothing: submitted once per worker so that all of them start at once."""


def _call_each(calls: list[tuple[Callable[..., object], tuple[object, ...]]]) -> list[tuple[bool, object]]:
    """Make ``calls`` in a worker: (True, result) or (False, the exception) for each, so that one
    call's error is that call's alone."""
    outcomes: list[tuple[bool, object]] = []
    for function, args in calls:
        try:
            outcomes.append((True, function(*args)))
        except Exception as error:
            outcomes.append((False, error))
    _give_back_freed_memory()
    return outcomes


def _give_back_freed_memory() -> None:
    """Hand the free pages of the C heap back to the system (glibc's ``malloc_trim``), at most once every
    ``TRIM_INTERVAL`` seconds. A parse tree lives in the C heap, in small pieces; freed, their pages
    stayed the worker's, so its memory kept the high-water mark of the largest page it had met: 18 →
    291 MB after one 200,000-element page, for the rest of the crawl, and 83 → 94 MB over a
    30,000-article demo crawl. Trimmed, they go back (18 MB; 86). Trimmed after every message, the
    pages the next one needed had to be faulted in again: +0.07 ms a page. Elsewhere than glibc it does
    nothing."""
    global _last_trim  # noqa: PLW0603 - one clock per worker process
    now = time.monotonic()
    if _MALLOC_TRIM is not None and now - _last_trim >= TRIM_INTERVAL:
        _MALLOC_TRIM(0)
        _last_trim = now


#: glibc's ``malloc_trim``, or None where the C library has none (musl, macOS).
_MALLOC_TRIM = getattr(ctypes.CDLL(None), "malloc_trim", None)
#: Seconds between two trims of a worker's heap (see :func:`_give_back_freed_memory`).
TRIM_INTERVAL = 1.0
#: When this worker last trimmed its heap (``time.monotonic``).
_last_trim = 0.0


def _settle(part: list[tuple[Callable[..., object], tuple[object, ...], asyncio.Future]], sent: asyncio.Future) -> None:
    """Give each call of ``part`` its outcome from the message ``sent``, or the message's own failure
    (a worker lost) when it has no outcomes."""
    calls = [call for _, _, call in part]
    failure = BrokenProcessPool("the message was cancelled") if sent.cancelled() else sent.exception()
    outcomes = [(False, failure)] * len(calls) if failure is not None else sent.result()
    for call, (ok, value) in zip(calls, outcomes, strict=True):
        if call.done():
            continue
        if ok:
            call.set_result(value)
        else:
            call.set_exception(value)


#: How long closing the workers waits for the executor's manager thread to see them gone and end.
MANAGER_EXIT_SECONDS = 5.0


def _abandon(executor: ProcessPoolExecutor) -> None:
    """Kill ``executor``'s workers and let its manager thread end, whatever state they were left in.

    A worker killed while it sends an answer (out of memory, or killed by hand) leaves part of a
    message in the result pipe; the executor's manager thread then waits in ``recv`` for the rest,
    for ever, and the interpreter joins that thread at exit: the crawl printed its summary and never
    ended. With the workers dead, closing this process's own end of that pipe is the last writer
    gone, so the wait ends in an EOF and the manager thread takes the pool for broken and ends. The
    executor offers no public way to reach its processes or its pipe.

    The manager thread is then given a moment to end: one still ending when the interpreter exits
    races the executor's exit hook, which wakes it through a pipe the thread is closing, and Python
    3.11 prints that hook's "Bad file descriptor" traceback after the run's summary."""
    results = getattr(executor, "_result_queue", None)
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.kill()
    if results is not None:
        results._writer.close()
    manager = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    if manager is not None:
        manager.join(MANAGER_EXIT_SECONDS)


class Workers:
    """``processes`` worker processes for a run's pure CPU work (0: run it in this process), which
    start with the modules named in ``preload`` imported; calls made in-process after a worker died
    are counted in ``stats``."""

    _ATTRIBUTE = "_edunews_workers"

    def __init__(self, processes: int, stats: Counts | None = None, preload: Sequence[str] = ()) -> None:
        self.stats = stats
        self.processes = processes
        self.lost = False
        #: Calls made since the last :meth:`_send`: function, arguments and the future awaiting them.
        self._waiting: list[tuple[Callable[..., object], tuple[object, ...], asyncio.Future]] = []
        #: Messages sent and not yet answered, with their calls.
        self._in_flight: dict[asyncio.Future, list] = {}
        self._executor: ProcessPoolExecutor | None = None
        self._preload = tuple(preload)
        if processes > 0:
            self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # Forking is fast and the workers inherit the modules already imported, but it is only
        # safe while this process has no other thread; otherwise a fork server starts them.
        method = "fork" if threading.active_count() == 1 else "forkserver"
        context = multiprocessing.get_context(method)
        for name in self._preload:
            importlib.import_module(name)
        gc.freeze()
        with _ctrl_c_noted() as interrupted:
            if method == "forkserver":
                # The fork server is the workers' parent; it ends when this process does. The workers
                # it forks inherit its ignoring Ctrl-C (see _start_worker).
                context.set_forkserver_preload(list(self._preload))  # type: ignore[attr-defined]
                with _ctrl_c_ignored():
                    multiprocessing.forkserver.ensure_running()
            executor = ProcessPoolExecutor(
                self.processes, mp_context=context, initializer=_start_worker, initargs=(self._preload,)
            )
            for _ in range(self.processes):
                executor.submit(_ready)
            if interrupted:  # once they have started, as in the pool's own start-up
                executor.submit(_ready).result()
        if interrupted:  # the workers are idle and ignore Ctrl-C: they end at once, cleanly
            executor.shutdown()
            raise KeyboardInterrupt
        return executor

    @classmethod
    def from_settings(
        cls,
        settings: BaseSettings,
        stats: Counts | None = None,
        preload: Sequence[str] | None = None,
        keep_a_core: bool = True,
    ) -> Workers:
        """``EDUNEWS_WORKER_PROCESSES`` workers (a negative count: :func:`default_processes`, given
        ``keep_a_core``), with the modules in ``preload`` imported (by default ``EDUNEWS_WORKER_MODULES``,
        a crawl's)."""
        processes = settings.getint("EDUNEWS_WORKER_PROCESSES", -1)
        return cls(
            processes if processes >= 0 else default_processes(keep_a_core),
            stats,
            settings.getlist("EDUNEWS_WORKER_MODULES") if preload is None else preload,
        )

    @classmethod
    def of(cls, crawler: Crawler) -> Workers:
        """The workers of ``crawler``'s crawl (see :meth:`from_settings`), started the first time a
        component asks for them (while the crawl's components are built, before its threads) and
        stopped when the crawl's engine stops."""
        from scrapy import signals

        workers = getattr(crawler, cls._ATTRIBUTE, None)
        if workers is None:
            workers = cls.from_settings(crawler.settings)
            crawler.signals.connect(workers._count_in_crawl_stats, signal=signals.spider_opened)
            crawler.signals.connect(workers.close, signal=signals.engine_stopped)
            setattr(crawler, cls._ATTRIBUTE, workers)
        return workers

    def _count_in_crawl_stats(self, spider: Spider) -> None:
        """A crawl's stats exist once it starts, after its components (and these workers) are built."""
        self.stats = spider.crawler.stats

    async def run(self, function: Callable[..., T], *args: object) -> T:
        """``function(*args)``, called in a worker; ``function`` must be a module-level function and
        its arguments and result picklable. Calls made in one turn of the event loop go to the
        workers together (see :meth:`_send`)."""
        if self._executor is not None and not self.lost:
            loop = asyncio.get_running_loop()
            call: asyncio.Future[T] = loop.create_future()
            self._waiting.append((function, args, call))
            if len(self._waiting) == 1:
                loop.call_soon(self._send)
            try:
                return await call
            except BrokenProcessPool:
                self.lost = True
        if self.lost and self.stats is not None:
            self.stats.inc_value(WORKER_LOST)
        return function(*args)

    def _send(self) -> None:
        """Send the calls waiting, shared among the workers, one message per worker: a message costs
        this process about 0.2 ms of pickling, queue work and thread wake-ups whatever it carries, as
        much as signing half a text. Sent one per message, a crawl's pages cost its own process 1.2 ms
        more each and the crawl went 20 % slower (measured on 5,000 pages, about four pages a turn).
        Calls with a deadline (extracting a page) travel apart from those without, so that every
        message of theirs is watched, and at most :data:`MOST_CALLS_WITH_DEADLINE` together: a
        message's deadline is the sum of its calls', and a stuck page is found that much later."""
        waiting, self._waiting = self._waiting, []
        if self._executor is None:  # closed meanwhile: nobody awaits these any more
            for _, _, call in waiting:
                call.cancel()
            return
        watched = [entry for entry in waiting if entry[0] in DEADLINES]
        unwatched = [entry for entry in waiting if entry[0] not in DEADLINES]
        for calls, most in ((watched, MOST_CALLS_WITH_DEADLINE), (unwatched, len(unwatched))):
            if calls:
                share = min(-(-len(calls) // self.processes), most)
                for start in range(0, len(calls), share):
                    self._submit(calls[start : start + share])

    def _submit(self, part: list[tuple[Callable[..., object], tuple[object, ...], asyncio.Future]]) -> None:
        """Send ``part`` to the workers as one message, watched by its deadline when all its calls have one."""
        assert self._executor is not None
        executor = self._executor
        try:
            sent = asyncio.wrap_future(executor.submit(_call_each, [(f, args) for f, args, _ in part]))
        except BrokenProcessPool as lost:  # a worker died since the last message
            for _, _, call in part:
                call.set_exception(lost)
            return
        self._in_flight[sent] = part
        sent.add_done_callback(functools.partial(self._done, executor, part))
        if all(function in DEADLINES for function, _, _ in part):
            limit = sum(DEADLINES[function].seconds(*args) for function, args, _ in part)
            # Cancelled once answered: a pending timer holds the message and its results (whole
            # extracted articles) until the deadline, 15 s a page, thousands of pages in a fast crawl.
            timer = asyncio.get_running_loop().call_later(limit, self._overrun, executor, sent)
            sent.add_done_callback(lambda _: timer.cancel())

    def _done(self, executor: ProcessPoolExecutor, part: list, sent: asyncio.Future) -> None:
        """Settle a message's calls, unless its workers were replaced meanwhile (its calls went again)."""
        self._in_flight.pop(sent, None)
        if executor is self._executor:
            _settle(part, sent)

    def _overrun(self, executor: ProcessPoolExecutor, late: asyncio.Future) -> None:
        """A message outlived its deadline: kill the workers and start new ones; the late message's
        only call gives its deadline's outcome (several calls go again one by one, to find the stuck
        one), and the other messages in flight go again as they were."""
        if late.done() or executor is not self._executor:
            return
        in_flight, self._in_flight = self._in_flight, {}
        died = any(not process.is_alive() for process in (getattr(executor, "_processes", None) or {}).values())
        _abandon(executor)
        if died:  # not stuck but lost, unnoticed by the pool (see _abandon): as any lost worker
            self._executor = None
            for part in in_flight.values():
                for _, _, call in part:
                    if not call.done():
                        call.set_exception(BrokenProcessPool("a worker died while it answered"))
            return
        self._executor = self._start()
        if self.stats is not None:
            self.stats.inc_value(WORKER_REPLACED)
        for sent, part in in_flight.items():
            if sent is not late:
                self._submit(part)
            elif len(part) == 1:
                function, args, call = part[0]
                if not call.done():
                    call.set_result(DEADLINES[function].outcome(*args))
            else:
                for call in part:
                    self._submit([call])

    def close(self) -> None:
        """Stop the workers without waiting for calls nobody awaits any more."""
        if self._executor is not None:
            _abandon(self._executor)
            self._executor = None
