"""The ledger of discovered articles (issue 17): a page that failed, or was fetched and never stored, is
fetched again by the next crawl whatever its listings answer. Real crawls through ``python -m edunews``
against servers on 127.0.0.1, into real databases."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from test_crawl import crawl, requested

from crawler.incremental import FAILED, GONE, STORED, retry_after
from edunews.demo.site import SLOW_PATH, DemoSite
from pipelines.db import make_engine
from pipelines.models import LedgerEntry, Sighting


def ledger_states(db: Path) -> dict[str, tuple[str, int]]:
    with Session(make_engine(str(db))) as session:
        return {row.url: (row.state, row.failures) for row in session.scalars(select(LedgerEntry))}


def test_retry_waits_nothing_after_one_failure_then_doubles_up_to_the_cap() -> None:
    from datetime import timedelta

    hour, week = timedelta(hours=1), timedelta(days=7)
    assert [retry_after(n, hour, week) for n in (1, 2, 3, 4)] == [timedelta(0), hour, 3 * hour, 7 * hour]
    assert retry_after(40, hour, week) == week


def test_the_demos_timed_out_article_is_fetched_again_by_the_next_incremental_crawl(tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    with DemoSite(slow_seconds=4.0) as site:
        first = crawl(site, tmp_path, db)
        slow = site.url + SLOW_PATH
        assert any("timeout" in key for key in first["stats"])
        assert ledger_states(db)[slow] == (FAILED, 1)
        assert ledger_states(db)[site.url + "/news/gone.html"][0] == GONE
        site.slow_seconds = 0  # the site answers now; its listings, feed and sitemap are unchanged
        mark = len(site.request_log)
        second = crawl(site, tmp_path, db)
        assert second["stats"]["listing/not-modified"] >= 1
        assert SLOW_PATH in requested(site, mark)
        assert "/news/gone.html" not in requested(site, mark), "a page gone for good is not asked for again"
        with Session(make_engine(str(db))) as session:
            assert session.scalars(select(Sighting).where(Sighting.url == slow)).one()
        assert ledger_states(db)[slow] == (STORED, 0)
