"""Item definitions: what one extracted education-news article looks like."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Bumped whenever extraction or cleaning output changes, so stored articles can be re-extracted: the
#: day of the change and its number that day (compare with :func:`version_order`).
EXTRACTOR_VERSION = "2026.12.07.21"


def version_order(version: str) -> tuple[int, ...]:
    """An extractor version's place in time: its numbers in order, so the tenth version of a day
    comes after the ninth (as text, "…06.10" sorts before "…06.9"). Anything but a number sorts
    first: a copy stored without a readable version was extracted by older rules."""
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


@dataclass
class Article:
    """One clean article extracted from one page (or one multi-page article)."""

    url: str
    """The URL the page was fetched from."""
    canonical_url: str | None = None
    """The page's own idea of its address (``<link rel=canonical>`` or ``og:url``), absolute."""
    title: str | None = None
    """The headline, without the site suffix that ``<title>`` carries."""
    text: str | None = None
    """Kept paragraphs joined by newlines, in reading order; subheadings are lines of their own."""
    paragraphs: list[str] = field(default_factory=list)
    """Kept body paragraphs, in reading order."""
    published_at: str | None = None
    """Publication time in ISO 8601 with offset; +08:00 for Chinese sites that give none."""
    authors: list[str] = field(default_factory=list)
    """Reporters and writers from meta tags and bylines (作者/记者/通讯员/文, trailing name lines); photo
    credits (图/摄影) name photographers, who are not listed."""
    editors: list[str] = field(default_factory=list)
    """Responsible editors (责任编辑, 责编, 编辑), moved here from the lines the cleaner removed."""
    source: str | None = None
    """The original publisher named by 来源 (the outlet a repost copied from)."""
    site_name: str | None = None
    """The site that served this page."""
    language: str | None = None
    """``zh`` or ``en`` (BCP 47 primary tag)."""
    keywords: list[str] = field(default_factory=list)
    """Keywords from ``<meta name=keywords>``."""
    images: list[str] = field(default_factory=list)
    """Absolute URLs of the images inside the kept article body."""
    removed: list[dict[str, str]] = field(default_factory=list)
    """Every body block the cleaner dropped: ``{"reason": ..., "text": ...}`` in page order."""
    next_page_url: str | None = None
    """The next page of a multi-page article, when this page is not the last."""
    fetched_at: str | None = None
    """When the page was fetched (ISO 8601): when this copy was seen."""
    archive: dict[str, Any] | None = None
    """Where the exact response bytes are archived: ``{"path", "offset", "length"}`` of a WARC record."""
    comments: int = 0
    """Comments under the article (a thread's replies, a blog's responses): counted, not part of ``text``."""
    evidence: str | None = None
    """Why the page was taken for an article: how much running text, under which headline."""
    encoding: str | None = None
    """The character encoding the body was decoded with."""
    extractor_version: str = EXTRACTOR_VERSION
    """Version of the extraction rules that produced this item."""
