"""A listing paged by an offset parameter (``list.php?cat=3&from=20``) is crawled through every page:
``from`` with a number is the page, not a referrer (crawler.extraction.urls.is_tracking)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from test_site_settings import Site, article_page, crawl

from pipelines.db import make_engine
from pipelines.models import Sighting

PAGES, PER_PAGE = 3, 20


def paged_listing(offset: int) -> str:
    story = f"/news/2026/1120/{offset}.html"
    more = (
        f"<a href='/list.php?cat=3&amp;from={offset + PER_PAGE}'>下一页</a>"
        if offset + PER_PAGE < PAGES * PER_PAGE
        else ""
    )
    return (
        f"<html><body><ul><li><a href='{story}'>寒假安全工作部署第{offset}条新闻标题</a></li></ul>{more}</body></html>"
    )


def test_a_listing_paged_by_from_is_crawled_through_every_page(tmp_path: Path) -> None:
    pages: dict[str, str] = {"/list.php?cat=3": paged_listing(0)}
    for offset in range(0, PAGES * PER_PAGE, PER_PAGE):
        if offset:
            pages[f"/list.php?cat=3&from={offset}"] = paged_listing(offset)
        pages[f"/news/2026/1120/{offset}.html"] = article_page(f"市教育局部署寒假安全工作之{offset}")
    site = Site(pages)
    profile = (
        f'[site]\nname = "mine"\ndomains = ["127.0.0.1"]\narticle_url = "/news/"\n'
        f'[crawl]\nstart_urls = ["{site.url()}/list.php?cat=3"]\nlisting_url = "list\\\\.php"\n'
    )
    db = tmp_path / "news.sqlite"
    try:
        crawl(tmp_path, profile, db)
    finally:
        site.close()
    assert [path for path in site.log if path.startswith("/list.php")] == [
        "/list.php?cat=3",
        "/list.php?cat=3&from=20",
        "/list.php?cat=3&from=40",
    ]
    with Session(make_engine(str(db))) as session:
        paths = sorted(sighting.url.split("/")[-1] for sighting in session.scalars(select(Sighting)))
    assert paths == ["0.html", "20.html", "40.html"]
