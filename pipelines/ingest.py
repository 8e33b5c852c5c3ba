"""Running the item pipelines outside Scrapy: replay and tests push items through the very same
pipeline classes, in the order ``ITEM_PIPELINES`` gives.

A pipeline may hand its CPU work to the run's worker processes and return a coroutine, as in a crawl
(the dedupe pipeline signs texts that way). :meth:`Ingestor.feed` then takes the items in groups and
keeps a few groups in the chain at once, so the workers sign the next group while this process
stores the one before. Each pipeline still takes the items in the order they came, drops included,
so a replay stores exactly what taking them one by one would.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterable, AsyncIterator, Callable, Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import Any, TypeVar

from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.misc import load_object

from crawler.extraction.profiles import SiteProfile
from crawler.workers import Workers
from pipelines.base import CountingStats, ItemPipeline, Stats

T = TypeVar("T")

#: Items that go through the chain together in :meth:`Ingestor.feed`: a pipeline's work for all of
#: them is asked for at once, so a group's signing goes to the workers as one message.
GROUP_SIZE = 64
#: Groups in the chain at once: the workers sign the next groups while this process stores one.
GROUPS_AHEAD = 4


class Dropped:
    """An item a pipeline dropped, in its place in a group until its turn to be announced."""

    def __init__(self, item: Any, reason: DropItem) -> None:
        self.item, self.reason = item, reason


class Ingestor:
    """The pipeline chain as a context manager: ``with Ingestor(settings) as ingest: ingest(item)``,
    or ``ingest.feed(items)`` for many. A dropped item is announced to every pipeline as Scrapy's
    ``item_dropped`` signal would be, and to ``on_dropped`` (a replay notes the rejects by URL there,
    as a crawl does on the signal). Worker processes (``EDUNEWS_WORKER_PROCESSES``) start when a
    pipeline uses them, unless the run brings ``workers`` of its own (a replay's, which extract its
    pages too): the pipelines then share those, and closing them is the run's business."""

    def __init__(
        self,
        settings: Settings,
        stats: Stats | None = None,
        profile: SiteProfile | None = None,
        on_dropped: Callable[[Any, BaseException], None] | None = None,
        workers: Workers | None = None,
    ) -> None:
        self.stats = stats or CountingStats()
        self.on_dropped = on_dropped
        order = sorted(settings.getdict("ITEM_PIPELINES").items(), key=lambda entry: entry[1])
        classes: list[type[ItemPipeline]] = [load_object(path) for path, _ in order]
        # Started before any pipeline opens its database (a worker is forked from this process), with
        # the modules of the pipelines that use them: their work needs no more.
        working = sorted({cls.__module__ for cls in classes if cls.uses_workers})
        self._own_workers = workers is None and bool(working)
        if self._own_workers:
            workers = Workers.from_settings(settings, self.stats, working)
        self.workers = workers
        self.pipelines = [
            cls(settings, self.stats, profile, self.workers if cls.uses_workers else None) for cls in classes
        ]
        self.loop = asyncio.new_event_loop()

    def __enter__(self) -> Ingestor:
        for pipeline in self.pipelines:
            pipeline.open_spider()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._complete(self._stop_work())
            for pipeline in reversed(self.pipelines):
                pipeline.close_spider()
        finally:
            if self._own_workers and self.workers is not None:
                self.workers.close()
            self.loop.close()

    async def _stop_work(self) -> None:
        """Stop the work a Ctrl-C (or an error) left on this ingestor's loop, groups in the chain and
        pages sent ahead: nothing awaits it any more, and left pending it would be reported on the
        terminal as the process ends."""
        current = asyncio.current_task()
        left = [task for task in asyncio.all_tasks() if task is not current]
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
        await self.loop.shutdown_asyncgens()

    def __call__(self, item: Any) -> Any | None:
        """Push one item through; ``None`` when a pipeline dropped it."""
        [result] = self._complete(self._through([item], [], self._turns()))
        return None if isinstance(result, Dropped) else result

    def feed(self, items: Iterable[Any] | AsyncIterable[Any]) -> None:
        """Push every item of ``items`` through, ``GROUP_SIZE`` at a time and up to ``GROUPS_AHEAD``
        groups at once. An error other than a drop stops the feed and is raised. ``items`` may be
        asynchronous (a replay awaiting its pages' extraction in the workers): it runs on this
        ingestor's event loop, so the earlier groups are stored while it waits."""
        self._complete(self._feed(_groups(items)))

    def _complete(self, work: Coroutine[Any, Any, T]) -> T:
        """Run ``work`` on this ingestor's event loop. Called where another loop is running already (a
        notebook, a test driving a browser), it runs on a thread of its own, as one thread cannot run
        two loops; the database connections of the pipelines may be used from any thread."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self.loop.run_until_complete(work)
        with ThreadPoolExecutor(1, thread_name_prefix="edunews-ingest") as thread:
            return thread.submit(self.loop.run_until_complete, work).result()

    def _turns(self) -> list[asyncio.Future[None]]:
        """One future per pipeline, done once a group has entered that pipeline (or left the chain):
        the next group waits for it before entering, which keeps every pipeline in the feed's order."""
        return [self.loop.create_future() for _ in self.pipelines]

    async def _feed(self, groups: AsyncIterator[list[Any]]) -> None:
        room = asyncio.Semaphore(GROUPS_AHEAD)
        running: list[asyncio.Task[list[Any]]] = []
        previous: list[asyncio.Future[None]] = []
        try:
            async for group in groups:
                await room.acquire()
                for task in [task for task in running if task.done()]:
                    running.remove(task)
                    task.result()  # raises the error that ended it, if one did
                turns = self._turns()
                task = self.loop.create_task(self._through(group, previous, turns))
                task.add_done_callback(lambda _: room.release())
                running.append(task)
                previous = turns
                await asyncio.sleep(0)  # the group starts now: its work reaches the workers early
            await asyncio.gather(*running)
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def _through(
        self, group: list[Any], previous: list[asyncio.Future[None]], turns: list[asyncio.Future[None]]
    ) -> list[Any]:
        """Take ``group`` through the chain, entering each pipeline after the group before it did.
        A drop is announced when the items around it reach the last pipeline, in its place."""
        last = len(self.pipelines) - 1
        try:
            for stage, pipeline in enumerate(self.pipelines):
                if previous:
                    await previous[stage]
                results = [self._enter(pipeline, item, announce=stage == last) for item in group]
                turns[stage].set_result(None)
                try:
                    group = await _all_settled(results, group)
                except BaseException:
                    _close_unstarted(results)
                    raise
            for result, item in zip(results, group, strict=True):
                if isinstance(item, Dropped) and not isinstance(result, Dropped):  # while the last one worked
                    self._announce_drop(item.item, item.reason)
            return group
        finally:
            for turn in turns:
                if not turn.done():
                    turn.set_result(None)

    def _enter(self, pipeline: ItemPipeline, item: Any, *, announce: bool) -> Any:
        """``pipeline``'s result for ``item`` (maybe awaitable); an item dropped earlier stays
        :class:`Dropped`, and is announced when ``announce``."""
        if isinstance(item, Dropped):
            if announce:
                self._announce_drop(item.item, item.reason)
            return item
        try:
            result = pipeline.process_item(item)
        except DropItem as reason:
            result = Dropped(item, reason)
            if announce:
                self._announce_drop(item, reason)
        return result

    def _announce_drop(self, item: Any, dropped: DropItem) -> None:
        for listener in self.pipelines:
            listener.item_dropped(item, dropped)
        if self.on_dropped is not None:
            self.on_dropped(item, dropped)


async def _all_settled(results: list[Any], items: list[Any]) -> list[Any]:
    """The group's results, the awaitable ones awaited together: their work (a worker's, say) is
    asked for all at once, not one item after the other."""
    if not any(inspect.isawaitable(result) for result in results):
        return results
    settling = [_settled(result, item) for result, item in zip(results, items, strict=True)]
    try:
        return list(await asyncio.gather(*settling))
    except BaseException:
        _close_unstarted(settling)  # the wrappers as well as what they wrap
        raise


def _close_unstarted(results: list[Any]) -> None:
    """Close the coroutines among ``results`` that a stop (Ctrl-C, an error) cancelled before they
    began: their tasks were cancelled before their first step, and left unclosed each one is reported
    on the terminal as "never awaited" when the process ends. One that began is its task's to end."""
    for result in results:
        if inspect.iscoroutine(result) and inspect.getcoroutinestate(result) == inspect.CORO_CREATED:
            result.close()


async def _settled(result: Any, item: Any) -> Any:
    """``result`` awaited when it is awaitable; an item dropped meanwhile as :class:`Dropped`."""
    if not inspect.isawaitable(result):
        return result
    try:
        return await result
    except DropItem as reason:
        return Dropped(item, reason)


async def _groups(items: Iterable[Any] | AsyncIterable[Any]) -> AsyncIterator[list[Any]]:
    if not isinstance(items, AsyncIterable):
        iterator = iter(items)
        while group := list(islice(iterator, GROUP_SIZE)):
            yield group
        return
    group = []
    async for item in items:
        group.append(item)
        if len(group) == GROUP_SIZE:
            yield group
            group = []
    if group:
        yield group
