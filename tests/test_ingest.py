"""The ingestor's feed: several groups of items in the chain at once, yet every pipeline takes them in
the order they came, and every drop is announced, sync or awaited."""

from __future__ import annotations

import asyncio
import gc
import warnings
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.settings import Settings

from pipelines.base import ItemPipeline
from pipelines.ingest import GROUP_SIZE, GROUPS_AHEAD, Ingestor

#: What the pipelines below saw, in the order they saw it.
EVENTS: list[tuple[str, int]] = []


class DropsMultiplesOfThree(ItemPipeline):
    """Drops at once, in the middle of the chain."""

    def process_item(self, item: Any) -> Any:
        if item % 3 == 0:
            raise DropItem("a multiple of three")
        return item


class AwaitsUnevenly(ItemPipeline):
    """Answers after a wait that differs from item to item and from group to group (every other group
    waits long), so its answers come back out of order."""

    def process_item(self, item: Any) -> Any:
        return self._later(item)

    async def _later(self, item: int) -> int:
        slow_group = (item // GROUP_SIZE) % 2 == 0
        await asyncio.sleep(0.001 * (7 - item % 7) + (0.02 if slow_group else 0))
        return item


class RecordsThenDropsMultiplesOfFive(ItemPipeline):
    """The last pipeline: notes each item entering it, and drops some of them after a wait."""

    def process_item(self, item: Any) -> Any:
        EVENTS.append(("entered", item))
        return self._later(item)

    async def _later(self, item: int) -> int:
        await asyncio.sleep(0.001 * (item % 2))
        if item % 5 == 0:
            raise DropItem("a multiple of five")
        return item


def ingestor() -> Ingestor:
    pipelines = {
        f"{__name__}.DropsMultiplesOfThree": 100,
        f"{__name__}.AwaitsUnevenly": 200,
        f"{__name__}.RecordsThenDropsMultiplesOfFive": 300,
    }
    return Ingestor(
        Settings({"ITEM_PIPELINES": pipelines}), on_dropped=lambda item, reason: EVENTS.append(("dropped", item))
    )


def test_a_feed_enters_the_last_pipeline_in_order_and_announces_drops_in_their_place() -> None:
    EVENTS.clear()
    items = list(range(1, GROUP_SIZE * (GROUPS_AHEAD + 2) + 10))
    with ingestor() as ingest:
        ingest.feed(items)
    early_drops_and_entries = [event for event in EVENTS if event[0] == "entered" or event[1] % 3 == 0]
    assert early_drops_and_entries == [("dropped" if item % 3 == 0 else "entered", item) for item in items]
    late_drops = {item for kind, item in EVENTS if kind == "dropped" and item % 3}
    assert late_drops == {item for item in items if item % 5 == 0 and item % 3}


def test_one_item_comes_back_through_the_awaited_pipelines_or_as_none_when_dropped() -> None:
    EVENTS.clear()
    with ingestor() as ingest:
        assert [ingest(item) for item in (1, 3, 5, 7)] == [1, None, None, 7]
    assert EVENTS == [("entered", 1), ("dropped", 3), ("entered", 5), ("dropped", 5), ("entered", 7)]


def test_a_feed_stopped_by_ctrl_c_leaves_no_work_reported_as_never_awaited() -> None:
    # Ctrl-C while a group's answers are asked for: their tasks are cancelled before they begin, and
    # the coroutines they were given were each reported as "never awaited" as the process ended.
    async def items() -> Any:
        for item in range(1, 3 * GROUP_SIZE):
            yield item
        raise KeyboardInterrupt

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(KeyboardInterrupt), ingestor() as ingest:
            ingest.feed(items())
        gc.collect()
    assert not [warning for warning in caught if "never awaited" in str(warning.message)]
