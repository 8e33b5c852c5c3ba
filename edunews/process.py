"""The process a crawl runs in: Scrapy's, with a second Ctrl-C that ends it at once. Kept apart from
``edunews.crawl`` so that commands which never crawl do not import Scrapy."""

from __future__ import annotations

import os
from typing import Any

from scrapy.crawler import CrawlerProcess


class CrawlProcess(CrawlerProcess):
    """Scrapy's crawler process, whose second Ctrl-C (or SIGTERM) ends the process at once, as Scrapy's
    convention promises.

    Scrapy's own second-signal handler ignores every later signal and stops the reactor, but the
    store's writer thread is left running and the interpreter waits for it at exit: the process hung
    for good, holding its state folder, so no other run could recover its journal. Nothing is lost by
    leaving at once: every record was journalled (handed to the OS) before it was buffered, and the
    state folder's lock goes with the process, so the next run stores the journal first."""

    def _signal_shutdown(self, signum: int, frame: Any) -> None:  # Scrapy's handler of the first signal
        # Scrapy says so at INFO, which a crawl without --verbose does not show: a stop that waits for a
        # slow page in flight looked like a hang. Said once the next signal's handler is in place.
        super()._signal_shutdown(signum, frame)
        os.write(2, b"edunews: stopping: requests in flight finish and what was fetched is stored (again: at once)\n")

    def _signal_kill(self, signum: int, _: Any) -> None:  # Scrapy's handler of the second signal
        os.write(2, b"edunews: stopped at once; the next run stores what this one had journalled\n")
        os._exit(128 + signum)  # as shells report a process a signal ended: 130 for Ctrl-C
