"""The scheduler's queue that keeps a fixed number of requests in memory and the rest on disk."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import scrapy
from queuelib.queue import LifoMemoryQueue
from scrapy import Request

from crawler.queues import ChunkStack, SpillingLifoQueue


class Spider(scrapy.Spider):
    name = "queued"

    def parse_article(self, response: object) -> None:
        pass

    def count_failure(self, failure: object) -> None:
        pass


def article(number: int, spider: Spider) -> Request:
    url = f"http://127.0.0.1/news/{number}.html"
    meta = {"article_key": url, "lastmod": datetime(2026, 5, 1, tzinfo=UTC)}
    return Request(url, callback=spider.parse_article, errback=spider.count_failure, meta=meta, priority=number % 3)


def test_requests_leave_in_the_order_scrapys_memory_queue_gives_them() -> None:
    spider = Spider()
    rng = random.Random(7)
    spilling, plain = SpillingLifoQueue(spider, in_memory=5), LifoMemoryQueue()
    numbers = iter(range(10_000))
    for _ in range(3_000):
        if rng.random() < 0.6:
            number = next(numbers)
            spilling.push(article(number, spider))
            plain.push(number)
        else:
            popped, expected = spilling.pop(), plain.pop()
            wanted = None if expected is None else f"http://127.0.0.1/news/{expected}.html"
            assert (popped.url if popped else None) == wanted
        assert len(spilling) == len(plain)
    assert spilling.on_disk > 0  # the test did make it spill


def test_a_spilled_request_comes_back_whole() -> None:
    spider = Spider()
    queue = SpillingLifoQueue(spider, in_memory=2)
    first = article(1, spider)
    for request in [first, *(article(number, spider) for number in range(2, 6))]:
        queue.push(request)
    assert len(queue.memory) < 5 and queue.on_disk
    back = [queue.pop() for _ in range(5)][-1]
    assert back is not None and back is not first
    assert (back.url, back.meta, back.priority) == (first.url, first.meta, first.priority)
    assert back.callback == spider.parse_article and back.errback == spider.count_failure
    assert queue.pop() is None and queue.peek() is None


class WatchedSpider(Spider):
    """Counts reads of a property, as the spider's logger property is read."""

    reads = 0

    @property
    def watched(self) -> int:
        WatchedSpider.reads += 1
        return 0

    @classmethod
    def parse_listing(cls, response: object) -> None:
        pass


def test_spilling_reads_no_property_of_the_spider_and_keeps_every_callback() -> None:
    # Scrapy names a callback by listing the members of the object it is given, reading each property.
    spider = WatchedSpider()
    queue = SpillingLifoQueue(spider, in_memory=50)
    listing = Request("http://127.0.0.1/list/1.html", callback=spider.parse_listing)
    queue.push(listing)
    for number in range(1, 200):
        queue.push(article(number, spider))
    assert queue.on_disk == 150 and WatchedSpider.reads == 0
    back = list(iter(queue.pop, None))
    assert len(back) == 200 and WatchedSpider.reads == 0
    assert [request.callback for request in back if request.url == listing.url] == [spider.parse_listing]
    assert all(request.callback == spider.parse_article for request in back if request.url != listing.url)


def test_a_request_that_cannot_be_serialised_stays_in_memory() -> None:
    spider = Spider()
    queue = SpillingLifoQueue(spider, in_memory=2)
    odd = Request("http://127.0.0.1/odd.html", callback=lambda response: None)  # not a spider method
    queue.push(odd)
    for number in range(1, 6):
        queue.push(article(number, spider))
    assert odd in queue.memory
    assert {request.url for request in iter(queue.pop, None)} == {odd.url} | {
        f"http://127.0.0.1/news/{number}.html" for number in range(1, 6)
    }


def test_the_chunk_file_shrinks_as_chunks_are_taken() -> None:
    stack = ChunkStack()
    for chunk in (b"a" * 100, b"", b"c" * 10):
        stack.push(chunk)
    assert stack.file is not None
    size = stack.file.seek(0, 2)
    assert [stack.pop(), stack.pop()] == [b"c" * 10, b""]
    assert stack.file.seek(0, 2) < size
    assert stack.pop() == b"a" * 100 and len(stack) == 0 and stack.file.seek(0, 2) == 0
    stack.close()
