"""Stopping a crawl (issue 17): a second Ctrl-C ends the process at once, as Scrapy's convention says,
and what it had journalled is stored by the next run. Real crawls (``python -m edunews crawl``, a bare
``scrapy crawl`` in the project; a Scrapyd job in ``test_scrapyd.py``) of a site on 127.0.0.1 whose last
pages never come, so the graceful stop the first signal asks for waits."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_site_settings import FAST, ROOT, Site, article_page, crawl, listing

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


def stalling_site() -> tuple[StallingSite, list[str]]:
    """A site whose first ``ANSWERED`` articles are answered and whose four others hang; and the paths
    of the answered ones."""
    answered = [f"/news/2026/1120/{n}.html" for n in range(ANSWERED)]
    stalled = [f"/news/2026/1121/{n}.html" for n in range(4)]
    return StallingSite(answered, stalled), answered


def profile_of(url: str) -> str:
    return f'[site]\nname = "mine"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{url}/"]\n'


def wait_until_journalled(state: Path) -> None:
    deadline = time.monotonic() + 120
    while len(journalled(state)) < ANSWERED and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(journalled(state)) == ANSWERED, "the answered articles were not journalled"


def signal_twice(process: subprocess.Popen, signum: int) -> tuple[float, str]:
    """Send ``signum`` to a crawl, wait for it to say it is stopping gracefully (edunews's line, or
    Scrapy's log), send it again; the seconds the process then took to end, and what it said."""
    assert process.stderr is not None
    process.send_signal(signum)
    said = []
    for line in process.stderr:  # the first signal has been taken
        said.append(line)
        if "shutting down gracefully" in line or line.startswith("edunews: stopping:"):
            break
    process.send_signal(signum)
    sent = time.monotonic()
    _, rest = process.communicate(timeout=60)
    return time.monotonic() - sent, "".join(said) + rest


def assert_the_next_run_stores_the_journal(tmp_path: Path, db: Path, stored: set[str]) -> None:
    """Nothing was committed; the next run, of a site with nothing on it, stores ``stored``, what the
    stopped one had journalled."""
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM sightings").fetchone()[0] == 0, "nothing was committed"
    empty = Site({"/": listing([])})
    try:
        result = crawl(tmp_path, profile_of(empty.url()), db)
    finally:
        empty.close()
    assert isinstance(result, dict) and result["stats"]["edunews/store/unspooled"] == ANSWERED
    with sqlite3.connect(db) as connection:
        assert {url for (url,) in connection.execute("SELECT url FROM sightings")} == stored


def test_a_second_ctrl_c_ends_the_crawl_at_once_and_the_next_run_stores_its_journal(tmp_path: Path) -> None:
    site, answered = stalling_site()
    db = tmp_path / "news.sqlite"
    process = crawl(tmp_path, profile_of(site.url()), db, *NO_BATCH, wait=False)
    assert isinstance(process, subprocess.Popen)
    try:
        wait_until_journalled(tmp_path / "news.sqlite.state")
        took, said = signal_twice(process, signal.SIGINT)
        assert took < ENDS_WITHIN, f"the process took {took:.1f} s to end"
        assert process.returncode == 130  # 128 + SIGINT, as a shell reports it
        assert "edunews: stopping: requests in flight finish" in said and "edunews: stopped at once" in said
        assert_the_next_run_stores_the_journal(tmp_path, db, {site.url() + path for path in answered})
    finally:
        if process.poll() is None:  # hung: a failed test must not leave it behind
            process.kill()
        site.close()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_second_signal_ends_a_bare_scrapy_crawl_at_once_and_the_next_run_stores_its_journal(
    tmp_path: Path, signum: int
) -> None:
    site, answered = stalling_site()
    db = tmp_path / "news.sqlite"
    profile = tmp_path / "site.toml"
    profile.write_text(profile_of(site.url()), encoding="utf-8")
    settings = {**FAST, "EDUNEWS_DB": db, "EDUNEWS_BATCH_SIZE": 1000, "EDUNEWS_ARCHIVE_DIR": ""}
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"profile={profile}"]
    process = subprocess.Popen(
        [*command, *(arg for name, value in settings.items() for arg in ("-s", f"{name}={value}"))],
        cwd=ROOT,  # the project: scrapy.cfg names its settings
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_journalled(tmp_path / "news.sqlite.state")
        took, _ = signal_twice(process, signum)
        assert took < ENDS_WITHIN, f"the process took {took:.1f} s to end"
        assert_the_next_run_stores_the_journal(tmp_path, db, {site.url() + path for path in answered})
    finally:
        if process.poll() is None:
            process.kill()
        site.close()
