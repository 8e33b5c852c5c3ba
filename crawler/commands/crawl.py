"""``scrapy crawl news -a profile=...``: Scrapy's own command, which first checks the profile it is given."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler.extraction.profiles import profile_problem

if TYPE_CHECKING:
    import argparse

logger = logging.getLogger(__name__)

#: Exit code of a crawl that could not start for its arguments, as ``edunews crawl`` and Scrapy's own
#: usage errors end.
EXIT_UNUSABLE = 2


class Command(ScrapyCrawl):
    """Scrapy's ``crawl`` command. A profile that cannot be read (a typo, a broken file) ends it in one
    line of the crawl's log (a Scrapyd job's log too) and exit 2, as ``edunews crawl`` does: raised
    inside the spider, it was a traceback that asyncio printed as "Task exception was never retrieved"."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        profile = opts.spargs.get("profile")
        problem = profile_problem(profile) if profile else None
        if problem:
            logger.error("edunews: %s", problem)
            self.exitcode = EXIT_UNUSABLE
            return
        super().run(args, opts)
