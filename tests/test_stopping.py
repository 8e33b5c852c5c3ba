"""Stopping a crawl (issue 17): a second Ctrl-C ends the process at once, as Scrapy's convention says,
and what it had journalled is stored by the next run. A real crawl (``python -m edunews crawl``) of a
site on 127.0.0.1 whose last pages never come, so the graceful stop the first Ctrl-C asks for waits."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from test_site_settings import Site, article_page, crawl, listing

from pipelines import spool
from pipelines.state import JOURNAL

#: Seconds the process may take to end after the second Ctrl-C (the issue's figure): it hung for good.
ENDS_WITHIN = 5
#: Articles answered at once; the others are answered only after the test is over.
ANSWERED = 3
#: Records wait in the journal, not yet in a batch, until the crawl closes.
NO_BATCH = ("-s", "EDUNEWS_BATCH_SIZE=1000", "--verbose")


class StallingSite(Site):
    """Answers the listing and the first ``ANSWERED`` articles; every other request hangs for a minute."""

    def __init__(self, answered: list[str], stalled: list[str]) -> None:
        pages = {"/": listing([*answered, *stalled])}
        pages |= {path: article_page(f"第{n}篇寒假安全工作新闻标题") for n, path in enumerate([*answered, *stalled])}
        super().__init__(pages)
        self.stalled = set(stalled)

    def hold(self, path: str) -> None:
        if path in self.stalled:
            time.sleep(60)


def journalled(state: Path) -> list[str]:
    """The URLs in every journal under a state folder."""
    return [record.url for path in state.glob(f"*/{JOURNAL}*") for record in spool.take(path)]


def test_a_second_ctrl_c_ends_the_crawl_at_once_and_the_next_run_stores_its_journal(tmp_path: Path) -> None:
    answered = [f"/news/2026/1120/{n}.html" for n in range(ANSWERED)]
    stalled = [f"/news/2026/1121/{n}.html" for n in range(4)]
    site = StallingSite(answered, stalled)
    db = tmp_path / "news.sqlite"
    state = tmp_path / "news.sqlite.state"
    profile = f'[site]\nname = "mine"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{site.url()}/"]\n'
    process = crawl(tmp_path, profile, db, *NO_BATCH, wait=False)
    assert isinstance(process, subprocess.Popen) and process.stderr is not None
    try:
        deadline = time.monotonic() + 120
        while len(journalled(state)) < ANSWERED and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(journalled(state)) == ANSWERED, "the answered articles were not journalled"
        process.send_signal(signal.SIGINT)
        for line in process.stderr:  # Scrapy's log: the first Ctrl-C has been taken
            if "shutting down gracefully" in line:
                break
        process.send_signal(signal.SIGINT)
        sent = time.monotonic()
        process.communicate(timeout=60)
        took = time.monotonic() - sent
        assert took < ENDS_WITHIN, f"the process took {took:.1f} s to end"
        assert process.returncode == 130  # 128 + SIGINT, as a shell reports it
        with sqlite3.connect(db) as connection:
            assert connection.execute("SELECT count(*) FROM sightings").fetchone()[0] == 0, "nothing was committed"

        # The next run, of a site with nothing on it, stores what the stopped one had journalled.
        empty = Site({"/": listing([])})
        try:
            again = f'[site]\nname = "mine"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{empty.url()}/"]\n'
            result = crawl(tmp_path, again, db)
        finally:
            empty.close()
        assert isinstance(result, dict) and result["stats"]["edunews/store/unspooled"] == ANSWERED
        with sqlite3.connect(db) as connection:
            stored = {url for (url,) in connection.execute("SELECT url FROM sightings")}
        assert stored == {site.url() + path for path in answered}
    finally:
        if process.poll() is None:  # hung: a failed test must not leave it behind
            process.kill()
        site.close()
