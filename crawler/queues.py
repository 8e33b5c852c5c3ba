"""The scheduler's request queue, kept to a fixed size in memory: the requests past it wait on disk.

Scrapy's memory queue holds every request scheduled and not yet sent. A listing page adds a few dozen,
but a sitemap adds one per article on the site at once, 50,000 in a large one, and a request in memory
is about a kilobyte: the crawl's memory grew with the site. This queue keeps the newest
``EDUNEWS_QUEUE_IN_MEMORY`` requests in memory, as Scrapy's does, and moves older ones to an unnamed
temporary file in chunks, serialised the way Scrapy's own disk queues (``--jobdir``) serialise them; a
chunk comes back when the requests in memory are used up. Requests leave in the order Scrapy's
``LifoMemoryQueue`` gives (last in, first out), so a crawl fetches what it fetched before.

The file has no name (it is deleted as it is opened), so a crawl that is killed leaves nothing behind.
A request that cannot be serialised (a callback that is not a spider method) stays in memory.
"""

from __future__ import annotations

import inspect
import pickle
import struct
import tempfile
from collections import deque
from types import SimpleNamespace
from typing import IO, Any, Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.utils.request import request_from_dict

#: How a chunk's length is written after it in the file (so the last chunk can be found from the end).
LENGTH = struct.Struct("<Q")


def spider_methods(spider: Spider | None) -> Any:
    """The spider's methods alone, bound to it, for ``Request.to_dict``: it names a request's callback
    by listing every member of the object it is given (``inspect.getmembers``), and on the spider that
    read each of its properties too, its logger among them: spilling cost 1.9 % of a crawl's main
    thread. The names are the spider's own, so ``request_from_dict`` finds them on the spider."""
    if spider is None:
        return None
    names = [name for name, member in inspect.getmembers(type(spider)) if inspect.isroutine(member)]
    return SimpleNamespace(**{name: getattr(spider, name) for name in names})


class ChunkStack:
    """Byte chunks in an unnamed temporary file, last in, first out; the file shrinks as they are taken."""

    def __init__(self) -> None:
        self.file: IO[bytes] | None = None
        self.ends: list[int] = []

    def push(self, chunk: bytes) -> None:
        if self.file is None:
            self.file = tempfile.TemporaryFile(prefix="edunews-queue-")
        start = self.ends[-1] if self.ends else 0
        self.file.seek(start)
        self.file.write(chunk)
        self.file.write(LENGTH.pack(len(chunk)))
        self.ends.append(start + len(chunk) + LENGTH.size)

    def pop(self) -> bytes:
        assert self.file is not None and self.ends, "pop from an empty stack"
        end = self.ends.pop()
        self.file.seek(end - LENGTH.size)
        (size,) = LENGTH.unpack(self.file.read(LENGTH.size))
        self.file.seek(end - LENGTH.size - size)
        chunk = self.file.read(size)
        self.file.truncate(end - LENGTH.size - size)
        return chunk

    def __len__(self) -> int:
        return len(self.ends)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
        self.ends.clear()


class SpillingLifoQueue:
    """Scrapy's ``LifoMemoryQueue`` with at most about twice ``in_memory`` requests in memory: when there
    are more, the oldest ``in_memory`` go to disk as one chunk."""

    def __init__(self, spider: Spider | None, in_memory: int) -> None:
        self.spider = spider
        self.methods = spider_methods(spider)
        self.in_memory = max(in_memory, 1)
        #: The newest requests, oldest first (the stack's top is the right end).
        self.memory: deque[Request] = deque()
        #: Older requests, serialised; every one is older than every request in memory.
        self.disk = ChunkStack()
        self.on_disk = 0
        self.chunk_sizes: list[int] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        return cls(crawler.spider, crawler.settings.getint("EDUNEWS_QUEUE_IN_MEMORY"))

    def push(self, request: Request) -> None:
        self.memory.append(request)
        if len(self.memory) >= 2 * self.in_memory:
            self._spill()

    def pop(self) -> Request | None:
        if not self.memory and self.on_disk:
            self._unspill()
        return self.memory.pop() if self.memory else None

    def peek(self) -> Request | None:
        if not self.memory and self.on_disk:
            self._unspill()
        return self.memory[-1] if self.memory else None

    def __len__(self) -> int:
        return len(self.memory) + self.on_disk

    def close(self) -> None:
        self.disk.close()
        self.on_disk = 0
        self.chunk_sizes.clear()

    def _spill(self) -> None:
        """Move the oldest ``in_memory`` requests to disk, in order; one that cannot be serialised stays
        (it is then sent before the older requests on disk, as Scrapy's queues do with theirs)."""
        kept: list[Request] = []
        chunk: list[bytes] = []
        for _ in range(self.in_memory):
            request = self.memory.popleft()
            try:
                chunk.append(pickle.dumps(request.to_dict(spider=self.methods), protocol=pickle.HIGHEST_PROTOCOL))
            except (ValueError, pickle.PicklingError, AttributeError, TypeError):
                kept.append(request)
        self.memory.extendleft(reversed(kept))
        if chunk:
            self.disk.push(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL))
            self.chunk_sizes.append(len(chunk))
            self.on_disk += len(chunk)

    def _unspill(self) -> None:
        chunk = pickle.loads(self.disk.pop())
        self.on_disk -= self.chunk_sizes.pop()
        self.memory.extend(request_from_dict(pickle.loads(data), spider=self.spider) for data in chunk)
