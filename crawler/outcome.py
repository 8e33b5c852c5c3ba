"""One page path: what a fetched page becomes, the same for a live crawl and a replay of saved pages
or WARC archives, counted under one set of stat names."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.encoding import UndecodableBody
from crawler.extract import NotAnArticle, extract_article
from crawler.items import Article
from crawler.pages import RawPage
from crawler.profiles import SiteProfile

#: The stat counted for each kind of page (``not-article`` gets the verdict's reason appended).
ARTICLE = "edunews/pages/articles"
NOT_ARTICLE = "edunews/pages/not-article"
REDIRECT = "edunews/pages/redirect"
UNDECODABLE = "edunews/errors/undecodable"


@dataclass(frozen=True)
class PageOutcome:
    """What one page became: an article, or the stat that names why not (and the detail)."""

    stat: str
    article: Article | None = None
    detail: str = ""


def page_outcome(page: RawPage, profile: SiteProfile | None = None) -> PageOutcome:
    """Extract ``page`` with the site profile the crawl (or replay) runs with; a redirect, a page that
    is not an article and a body that cannot be decoded are outcomes too, never exceptions."""
    if 300 <= page.status < 400:
        return PageOutcome(REDIRECT, detail=page.url)
    try:
        article = extract_article(page, profile)
    except NotAnArticle as verdict:
        return PageOutcome(f"{NOT_ARTICLE}/{verdict.reason}", detail=f"{page.url}: {verdict.detail}")
    except UndecodableBody as error:
        return PageOutcome(UNDECODABLE, detail=f"{page.url}: {error}")
    return PageOutcome(ARTICLE, article)
