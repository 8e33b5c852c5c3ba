"""Multi-page articles: the pages of one article (下一页, ``_2.html``, ``?page=2``) become one item."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from crawler.extraction.items import Article
from crawler.extraction.urls import canonicalize_url


def _merged(first: list, more: list) -> list:
    return first + [value for value in more if value not in first]


def stitch(start: Article, page: Article) -> Article:
    """``start`` (the pages so far) with ``page`` appended: its paragraphs follow in reading order, its
    removed blocks and images are added, names merged. Headline, date and source stay the first page's;
    a paragraph the next page repeats (a lead some CMSes print on every page) is not repeated."""
    paragraphs = start.paragraphs + [text for text in page.paragraphs if text not in start.paragraphs]
    return replace(
        start,
        paragraphs=paragraphs,
        text="\n".join(paragraphs),
        removed=start.removed + page.removed,
        images=_merged(start.images, page.images),
        authors=_merged(start.authors, page.authors),
        editors=_merged(start.editors, page.editors),
        next_page_url=page.next_page_url,
    )


class Stitcher:
    """Joins the pages of multi-page articles, live or replayed: an article waits under the address
    of its next page until that page comes (its pages are then one item), or until the next page is
    known not to come (the item keeps the pages it has)."""

    def __init__(self, host_aliases: Mapping[str, str] | None = None) -> None:
        self.host_aliases = dict(host_aliases or {})
        self.waiting: dict[str, Article] = {}

    def key(self, url: str) -> str:
        return canonicalize_url(url, self.host_aliases)

    def add(self, article: Article) -> list[Article]:
        """The articles now complete: ``article`` joined to the pages that awaited it, unless it
        awaits a next page of its own (then none)."""
        earlier = self.waiting.pop(self.key(article.url), None)
        if earlier is not None:
            article = stitch(earlier, article)
        if article.next_page_url:
            self.waiting[self.key(article.next_page_url)] = article
            return []
        return [article]

    def give_up(self, next_page_url: str) -> Article | None:
        """The article that awaited ``next_page_url``, which will not come (failed, not an article,
        or past the page limit): complete with the pages it has."""
        return self.waiting.pop(self.key(next_page_url), None)

    def leftovers(self) -> list[Article]:
        """Articles whose next page never came: kept with the pages they have."""
        left, self.waiting = list(self.waiting.values()), {}
        return left
