"""A request frontier in Redis shared by many crawl processes: one queue, one set of seen request
fingerprints, and a lease on every request a process has taken, so a process killed mid-crawl loses
nothing (the leases of a process that stopped sending heartbeats go back to the queue).

scrapy-redis 0.9.1 pops requests destructively and fingerprints them with its own function, so
edunews has this small adapter over the ``redis`` client instead: the shared duplicate filter uses the
crawl's own request fingerprinter (canonical URL with the profile's host aliases), and a popped
request stays in Redis, leased to its worker, until the worker has handled it.

Keys, for a crawl named after its profile (``edunews:<name>:…``): ``queue`` (list of pickled
requests), ``seen`` (set of fingerprints), ``workers`` (sorted set: worker → last heartbeat, Redis
server time), ``leases:<worker>`` (hash: lease → pickled request) and ``running`` (set while the crawl
runs: a Redis that comes back from an outage without it has lost the crawl's keys).

While Redis is unreachable a worker waits: it keeps the requests it makes, fetches what it holds, and
tries Redis again with a growing pause, saying so in one line; when Redis answers again it sends what it
kept. If Redis came back empty, the spider queues its start pages again and the ledger of discovered
articles every article not stored yet (``FRONTIER_EMPTIED``)."""

from __future__ import annotations

import functools
import itertools
import logging
import os
import pickle
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.utils.request import request_from_dict

from crawler.queues import spider_methods

if TYPE_CHECKING:
    from redis import Redis

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: Sent (with no arguments) when Redis came back from an outage without the crawl's keys: what was
#: queued there is gone, and the spider queues it again.
FRONTIER_EMPTIED = object()
#: The longest pause between two tries of an unreachable Redis, in seconds.
OUTAGE_BACKOFF_MAX = 30.0

#: Where every key of every edunews frontier starts.
KEY_ROOT = "edunews"
#: Meta key holding the lease a request was taken under (set when it is popped, never stored).
LEASE = "frontier_lease"
#: Meta key of a request that only the process that made it can handle (the next page of an article
#: being stitched: the earlier pages wait in that process's memory). Its value is the lease of the
#: request it follows, held until the follow-up is handled too; None outside a shared frontier.
IN_PROCESS = "in_process_lease"

#: Take the head of the queue and lease it to a worker, in one step.
POP_AND_LEASE = """
local data = redis.call('LPOP', KEYS[1])
if not data then return false end
redis.call('HSET', KEYS[2], ARGV[1], data)
return data
"""
#: Queue a request unless its fingerprint was seen, in one step: a worker killed between the two could
#: otherwise leave a request marked seen that nobody will ever fetch.
QUEUE_UNSEEN = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
"""
#: A heartbeat: the worker's last-seen time is the Redis server's clock, so machines may disagree.
HEARTBEAT = """
local now = redis.call('TIME')
redis.call('ZADD', KEYS[1], now[1] + now[2] / 1000000, ARGV[1])
return 1
"""
#: Put back at the head of the queue every lease of every worker silent for ARGV[1] seconds, and forget
#: those workers; one step, so two workers reclaiming at once cannot queue a request twice.
RECLAIM = """
local now = redis.call('TIME')
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now[1] + now[2] / 1000000 - tonumber(ARGV[1]))
local moved = 0
for _, worker in ipairs(dead) do
  local leases = ARGV[2] .. worker
  for _, data in ipairs(redis.call('HVALS', leases)) do
    redis.call('LPUSH', KEYS[2], data)
    moved = moved + 1
  end
  redis.call('DEL', leases)
  redis.call('ZREM', KEYS[1], worker)
end
return moved
"""
#: Forget the seen set of a crawl whose queue is empty and whose leases are all handled: the crawl is
#: over, and the next one starts from its start pages again.
FINISH = """
if redis.call('LLEN', KEYS[1]) > 0 then return 0 end
for _, worker in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if redis.call('HLEN', ARGV[1] .. worker) > 0 then return 0 end
end
redis.call('DEL', KEYS[3], KEYS[4])
return 1
"""


class FrontierUnavailable(RuntimeError):
    """Redis cannot be reached (or the ``redis`` package is missing): one line saying which."""


def connect(url: str) -> Redis:
    """A client for the Redis at ``url``, checked with a PING so a wrong address fails here, in one line."""
    try:
        import redis
    except ImportError as error:
        raise FrontierUnavailable(
            "the shared frontier needs the redis package: pip install 'edunews[distributed]'"
        ) from error
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=10)
        client.ping()
    except (redis.RedisError, ValueError) as error:
        raise FrontierUnavailable(f"cannot reach the frontier at {url}: {error}") from error
    return client


def unreachable_errors() -> tuple[type[Exception], ...]:
    """The errors of a Redis that cannot be reached (down, restarting, loading, too slow to answer)."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return RedisConnectionError, RedisTimeoutError


@dataclass
class Outage:
    """Redis unreachable since ``since`` (monotonic seconds): tried again at ``next_try``, the pause
    doubling from one heartbeat up to ``OUTAGE_BACKOFF_MAX``."""

    since: float
    pause: float
    next_try: float

    def failed_again(self, now: float) -> None:
        self.pause = min(self.pause * 2, OUTAGE_BACKOFF_MAX)
        self.next_try = now + self.pause


def worker_name() -> str:
    """This process's name in the frontier: host, process id and a random tail (a restarted process
    with a recycled pid is still a new worker)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class FrontierStatus:
    """What ``edunews frontier status`` shows for one crawl."""

    name: str
    queued: int
    seen: int
    leases: dict[str, int] = field(default_factory=dict)
    #: Seconds since each worker's last heartbeat.
    heartbeats: dict[str, float] = field(default_factory=dict)


class SharedFrontier:
    """The Redis keys of one crawl (named after its profile) and every operation on them."""

    def __init__(self, client: Redis, name: str) -> None:
        self.client = client
        self.name = name
        prefix = f"{KEY_ROOT}:{name}:"
        self.queue, self.seen, self.workers, self.leases_prefix, self.running = (
            prefix + "queue",
            prefix + "seen",
            prefix + "workers",
            prefix + "leases:",
            prefix + "running",
        )
        self._pop = client.register_script(POP_AND_LEASE)
        self._queue_unseen = client.register_script(QUEUE_UNSEEN)
        self._heartbeat = client.register_script(HEARTBEAT)
        self._reclaim = client.register_script(RECLAIM)
        self._finish = client.register_script(FINISH)

    def push(self, data: bytes) -> None:
        self.client.rpush(self.queue, data)

    def push_unseen(self, fingerprint: str, data: bytes) -> bool:
        """Queue a request whose fingerprint no worker has recorded yet; False (and nothing queued) if one had."""
        return bool(self._queue_unseen(keys=[self.seen, self.queue], args=[fingerprint, data]))

    def pop(self, worker: str, lease: str) -> bytes | None:
        """The next queued request, now leased to ``worker`` under ``lease``; None when the queue is empty."""
        return self._pop(keys=[self.queue, self.leases_prefix + worker], args=[lease])

    def release(self, worker: str, leases: list[str]) -> None:
        """Leases whose requests are handled: their requests are gone for good."""
        if leases:
            self.client.hdel(self.leases_prefix + worker, *leases)

    def give_back(self, worker: str, leases: list[str]) -> None:
        """Put leased requests back at the head of the queue (a worker stopping before handling them)."""
        key = self.leases_prefix + worker
        for lease in leases:
            data = self.client.hget(key, lease)
            if data is not None:
                self.client.lpush(self.queue, data)
                self.client.hdel(key, lease)

    def heartbeat(self, worker: str) -> None:
        self._heartbeat(keys=[self.workers], args=[worker])

    def mark_running(self) -> bool:
        """Note that the crawl runs; True when the mark was missing (a new crawl, or a Redis that
        lost the crawl's keys)."""
        return bool(self.client.set(self.running, 1, nx=True))

    def leave(self, worker: str) -> None:
        """A worker stopping cleanly: no longer counted as alive."""
        self.client.zrem(self.workers, worker)
        self.client.delete(self.leases_prefix + worker)

    def reclaim(self, silent_for: float) -> int:
        """Re-queue the leases of workers silent for ``silent_for`` seconds; how many came back."""
        return int(self._reclaim(keys=[self.workers, self.queue], args=[silent_for, self.leases_prefix]))

    def queued(self) -> int:
        return int(self.client.llen(self.queue))

    def leased(self) -> int:
        """Requests leased to any worker and not handled yet."""
        return sum(self.status().leases.values())

    def finish(self) -> bool:
        """End the crawl if nothing is queued or leased: the seen set goes. True when it ended."""
        return bool(self._finish(keys=[self.queue, self.workers, self.seen, self.running], args=[self.leases_prefix]))

    def status(self) -> FrontierStatus:
        now = time_of(self.client)
        beats = {name.decode(): now - score for name, score in self.client.zrange(self.workers, 0, -1, withscores=True)}
        leases = {worker: int(self.client.hlen(self.leases_prefix + worker)) for worker in beats}
        return FrontierStatus(self.name, self.queued(), int(self.client.scard(self.seen)), leases, beats)

    def clear(self) -> int:
        """Delete every key of this crawl; how many there were."""
        keys = [
            self.queue,
            self.seen,
            self.workers,
            self.running,
            *self.client.scan_iter(match=self.leases_prefix + "*"),
        ]
        return int(self.client.delete(*keys))


def time_of(client: Redis) -> float:
    """The Redis server's clock, the one heartbeats are written in."""
    seconds, micros = client.time()
    return seconds + micros / 1_000_000


def crawl_names(client: Redis) -> list[str]:
    """The crawls that have keys in this Redis database."""
    names = {key.decode().split(":")[1] for key in client.scan_iter(match=f"{KEY_ROOT}:*")}
    return sorted(names)


def frontier_url(configured: str | None) -> str | None:
    """The frontier's Redis URL: the setting, else $EDUNEWS_FRONTIER; None means the in-process queue."""
    return configured or os.environ.get("EDUNEWS_FRONTIER") or None


def encode_request(request: Request, methods: Any) -> bytes:
    """A request as it travels through Redis, its callback named from the spider's ``methods``
    (:func:`crawler.queues.spider_methods`); the lease it was taken under stays behind."""
    data = request.to_dict(spider=methods)
    data["meta"] = {key: value for key, value in data["meta"].items() if key not in (LEASE, IN_PROCESS)}
    return pickle.dumps(data, protocol=4)


def decode_request(data: bytes, spider: Spider) -> Request:
    return request_from_dict(pickle.loads(data), spider=spider)


def follows(response: Response) -> dict[str, Any]:
    """Meta for a request only this process can handle, continuing the one ``response`` answers: it
    stays here and keeps that request's lease until it is handled in turn."""
    return {IN_PROCESS: response.meta.get(IN_PROCESS) or response.meta.get(LEASE)}


class FrontierScheduler:
    """Scrapy's scheduler when ``EDUNEWS_FRONTIER`` names a Redis; otherwise ``from_crawler`` hands back
    Scrapy's own scheduler, so a crawl without a frontier is the plain one-process crawl.

    A request taken from Redis is leased until it has left the engine (downloaded, parsed, its items
    through the pipelines and journalled): only then is the lease released. A worker sends a heartbeat
    every ``EDUNEWS_FRONTIER_HEARTBEAT`` seconds; it holds at most ``EDUNEWS_FRONTIER_MAX_HELD`` leases
    (Scrapy's engine would otherwise take hundreds of small pages into memory, leaving other workers,
    one restarted among them, an empty queue); the leases of a worker silent for
    ``EDUNEWS_FRONTIER_LEASE_TIMEOUT`` seconds are put back by whichever worker notices first. The crawl
    ends for a worker when the queue is empty and nobody holds a lease for ``EDUNEWS_FRONTIER_IDLE``
    seconds."""

    def __init__(self, crawler: Crawler, url: str) -> None:
        self.crawler = crawler
        self.url = url
        #: Connected when the crawl opens, named after the spider's profile.
        self.frontier: SharedFrontier | None = None
        settings = crawler.settings
        self.heartbeat_every = settings.getfloat("EDUNEWS_FRONTIER_HEARTBEAT")
        self.lease_timeout = settings.getfloat("EDUNEWS_FRONTIER_LEASE_TIMEOUT")
        self.idle_for = settings.getfloat("EDUNEWS_FRONTIER_IDLE")
        self.max_held = settings.getint("EDUNEWS_FRONTIER_MAX_HELD") or 2 * settings.getint("CONCURRENT_REQUESTS")
        self.worker = worker_name()
        self.lease_ids = (f"{n}" for n in itertools.count(1))
        #: Requests that only this process can handle (see ``IN_PROCESS``).
        self.local: deque[Request] = deque()
        #: Lease → the requests still holding it (the leased one, then any follow-ups).
        self.holders: dict[str, list[Request]] = {}
        self.quiet_since: float | None = None
        self.loop: Any = None
        self.spider: Spider | None = None
        #: The spider's methods, by which a request's callback is named (see :func:`encode_request`).
        self.methods: Any = None
        #: Set while Redis cannot be reached; requests made meanwhile wait in ``unsent`` (fingerprint,
        #: or None for a request never filtered, and the encoded request).
        self.outage: Outage | None = None
        self.unsent: deque[tuple[str | None, bytes]] = deque()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        url = frontier_url(crawler.settings.get("EDUNEWS_FRONTIER"))
        if not url:
            from scrapy.core.scheduler import Scheduler

            return Scheduler.from_crawler(crawler)
        return cls(crawler, url)

    # --- the scheduler interface ---------------------------------------------------------------

    def open(self, spider: Spider) -> None:
        from twisted.internet import task

        self.spider = spider
        self.methods = spider_methods(spider)
        name = getattr(getattr(spider, "profile", None), "name", None) or spider.name
        self.frontier = SharedFrontier(connect(self.url), name)
        self.frontier.heartbeat(self.worker)
        self.frontier.mark_running()
        self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(self.heartbeat_every, now=False)
        logger.info("edunews: worker %s joins frontier %s (%d queued)", self.worker, name, self.frontier.queued())

    def close(self, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        frontier = self.frontier
        assert frontier is not None
        self._redis(lambda: frontier.give_back(self.worker, list(self.holders)), None)
        self._redis(lambda: frontier.leave(self.worker), None)
        if reason == "finished":
            self._redis(frontier.finish, False)

    def has_pending_requests(self) -> bool:
        frontier = self.frontier
        if self.local or self.outage is not None:
            return True
        return frontier is not None and self._redis(lambda: frontier.queued() > 0, True)

    def enqueue_request(self, request: Request) -> bool:
        assert self.frontier is not None and self.spider is not None
        stats = self.crawler.stats
        assert stats is not None
        if IN_PROCESS in request.meta:
            self.local.append(request)
            lease = request.meta[IN_PROCESS]
            if lease in self.holders:
                self.holders[lease].append(request)
            return True
        data = encode_request(request, self.methods)
        fingerprint = None
        if not request.dont_filter:
            assert self.crawler.request_fingerprinter is not None
            fingerprint = self.crawler.request_fingerprinter.fingerprint(request).hex()
        if self.outage is None and self._redis(lambda: self._send(fingerprint, data), None) is not None:
            return True
        if self.outage is None:  # Redis answered: the request was one some worker had seen
            stats.inc_value("dupefilter/filtered")
            return False
        self.unsent.append((fingerprint, data))  # sent when Redis answers again
        return True

    def _send(self, fingerprint: str | None, data: bytes) -> bool | None:
        """Queue one request in Redis: True when queued, None when its fingerprint was seen already."""
        assert self.frontier is not None and self.crawler.stats is not None
        if fingerprint is None:
            self.frontier.push(data)
        elif not self.frontier.push_unseen(fingerprint, data):
            return None
        self.crawler.stats.inc_value("edunews/frontier/queued")
        return True

    def _redis(self, action: Callable[[], T], otherwise: T) -> T:
        """``action`` on Redis, or ``otherwise`` while Redis is unreachable (noticed here, said once).
        Only the heartbeat tries an unreachable Redis again, so no other call waits on it meanwhile."""
        if self.outage is not None:
            return otherwise
        try:
            return action()
        except unreachable_errors() as error:
            now = time.monotonic()
            self.outage = Outage(now, self.heartbeat_every, now + self.heartbeat_every)
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("edunews/frontier/outages")
            logger.warning(
                "edunews: the frontier at %s is unreachable (%s); waiting for it, trying again at most %.0f s apart",
                self.url,
                " ".join(str(error).split()) or type(error).__name__,
                OUTAGE_BACKOFF_MAX,
            )
            return otherwise

    def _reconnected(self) -> bool:
        """Try an unreachable Redis again once its pause is over; when it answers, send the requests
        kept meanwhile, and if it lost the crawl's keys have the spider queue what was lost."""
        outage, frontier = self.outage, self.frontier
        assert outage is not None and frontier is not None
        now = time.monotonic()
        if now < outage.next_try:
            return False
        try:
            frontier.heartbeat(self.worker)
            emptied = frontier.mark_running()
        except unreachable_errors():
            outage.failed_again(now)
            return False
        self.outage = None
        lost = "; it had lost the crawl's queue: the start pages and the ledger's pending articles go in again"
        logger.warning("edunews: the frontier is back after %.0f s%s", now - outage.since, lost if emptied else "")
        while self.unsent and self.outage is None:
            fingerprint, data = self.unsent[0]
            self._redis(functools.partial(self._send, fingerprint, data), None)
            if self.outage is None:
                self.unsent.popleft()
        if emptied:
            self.crawler.signals.send_catch_log(FRONTIER_EMPTIED)
        return self.outage is None

    def next_request(self) -> Request | None:
        frontier = self.frontier
        assert frontier is not None and self.spider is not None
        self.release_handled()
        if self.local:
            return self.local.popleft()
        if len(self.holders) >= self.max_held:
            return None  # enough in hand: the rest stay in the queue for workers with room
        lease = next(self.lease_ids)
        data = self._redis(lambda: frontier.pop(self.worker, lease), None)
        if data is None:
            return None
        request = decode_request(data, self.spider)
        request.meta[LEASE] = lease
        self.holders[lease] = [request]
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("edunews/frontier/taken")
        return request

    # --- leases ----------------------------------------------------------------------------------

    def release_handled(self) -> None:
        """Release the leases whose requests (and follow-ups) have all left the engine."""
        busy = in_progress(self.crawler)
        waiting = set(map(id, self.local))
        done = []
        for lease, requests in self.holders.items():
            requests[:] = [r for r in requests if r in busy or id(r) in waiting]
            if not requests:
                done.append(lease)
        if self.outage is not None:
            return  # released once Redis answers again
        for lease in done:
            del self.holders[lease]
        frontier = self.frontier
        assert frontier is not None
        self._redis(lambda: frontier.release(self.worker, done), None)

    def beat(self) -> None:
        """Every few seconds: say this worker is alive, put back the leases of silent ones, release
        what is handled, and wake the engine if the shared queue has work while this process idles.
        While Redis is unreachable, try it again once the outage's pause is over."""
        if self.outage is not None and not self._reconnected():
            return
        self._redis(self._beat, None)
        wake(self.crawler)

    def _beat(self) -> None:
        assert self.frontier is not None and self.crawler.stats is not None
        self.frontier.heartbeat(self.worker)
        back = self.frontier.reclaim(self.lease_timeout)
        if back:
            logger.warning("edunews: %d requests of a silent worker are back in the queue", back)
            self.crawler.stats.inc_value("edunews/frontier/requeued", back)
        self.release_handled()

    def spider_idle(self) -> None:
        """Keep the crawl open while any worker may still add requests: it ends after the queue has been
        empty, with no lease held anywhere, for ``EDUNEWS_FRONTIER_IDLE`` seconds."""
        frontier = self.frontier
        assert frontier is not None
        if self.outage is not None or self._redis(lambda: bool(frontier.queued() or frontier.leased()), True):
            self.quiet_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.quiet_since is None:
            self.quiet_since = now
        if now - self.quiet_since < self.idle_for:
            raise DontCloseSpider


def in_progress(crawler: Crawler) -> set[Request]:
    """The requests the engine is working on: from being handed out by the scheduler until their
    response (or failure) has gone through the spider and the item pipelines. Scrapy keeps this set
    on the engine's slot and offers no signal for its end, hence the private attribute."""
    slot = getattr(crawler.engine, "_slot", None)
    return set(slot.inprogress) if slot is not None else set()


def wake(crawler: Crawler) -> None:
    """Ask the engine for its next request now, not at its own five-second heartbeat: another worker
    may have queued requests while this one was idle."""
    slot = getattr(crawler.engine, "_slot", None)
    if slot is not None:
        slot.nextcall.schedule()
