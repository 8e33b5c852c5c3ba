"""Multi-page articles: the pages of one article (下一页, ``_2.html``, ``?page=2``) become one item."""

from __future__ import annotations

from dataclasses import replace

from crawler.items import Article


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
