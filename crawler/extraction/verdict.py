"""Is this page one article? A verdict from measured evidence, biased towards extracting.

An article lost here is lost for good (a crawl moves on), while a list page taken for an article is
caught downstream (it has no date, its text is teasers, validation refuses stubs). So a page is an
article unless the evidence against it is plain: nothing readable at all, a few lines under no
headline, or, with no headline of its own, a body made of alike linked entries (a list, search
results) or of stories' openings (cut short, or news flashes under bracketed headlines). A login box
or a dense link sidebar next to a real body does not make a page a non-article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from crawler.extraction.blocks import Block, normalize_space, text_of
from crawler.extraction.patterns import ERROR_PAGE, SENTENCE_PUNCT
from crawler.extraction.vocabulary import alternation

#: Less running text than this (characters) is not an article, whatever else the page shows.
MIN_RUNNING_CHARS = 40
#: A link this long reads as a headline (of a teaser or a list entry).
HEADLINE_LINK_CHARS = 8
#: Paragraph elements: siblings of these are running text with inline links, not records.
RUNNING_TEXT_TAGS = frozenset({"p", "blockquote", "pre"})
#: Alike linked siblings: at least this many ...
MIN_RECORDS = 5
#: ... holding at least this share of the body's text make a list of records.
RECORD_SHARE = 0.5
#: A page without a headline and with less running text than this that says it is an error page is one.
SHORT_PAGE_CHARS = 300
#: A page that shows no headline needs this much running text to be an article: on the tune pages, the
#: lists, feeds and expired posts no record rule catches show at most 150 characters, the articles whose
#: headline is not found 360 and more; a short post whose headline the page does not mark is an article.
UNHEADED_PAGE_CHARS = 200
#: A page with this many headline links and no article text of its own is a list.
MIN_LIST_LINKS = 10
#: Under a headline, at least this many short unlinked lines holding at least ``SHORT_PAGE_CHARS``
#: characters are verse (a poem, lyrics): text without sentence punctuation, still an article.
MIN_VERSE_LINES = 8
#: A paragraph cut short by a template, as a feed or list shows each story's opening: it ends on three
#: dots or one ellipsis character after its last word, where a writer's own trailing-off (Chinese
#: "……") is two.
CUT_SHORT = re.compile(r"(?<![.…])(?:\.\.\.|…)\s*+$")
#: A news flash: a paragraph that opens with a headline of its own in black brackets (【某校获评…】据…),
#: as a portal's feed of briefs (快讯) shows each one; an article's sections head lines of their own.
BRIEF = re.compile(r"^\s*+【[^【】]{4,60}】\s*+\S")
#: At least this many paragraphs that are stories' openings (cut short, or briefs under their own
#: headlines), holding at least this share of the running text, under no headline: a feed, not an
#: article.
MIN_CUT_SHORT = 3
CUT_SHORT_SHARE = 0.5
#: Query parameters that carry a search term.
SEARCH_PARAMS = frozenset({"q", "query", "keyword", "keywords", "kw", "wd", "word", "search", "searchword", "s"})
#: Words of pages for signing in, in their title or address.
LOGIN_WORDS = re.compile(alternation("login-word"), re.I)
#: Paths of search pages.
SEARCH_PATH = re.compile(r"/(search|so|sou|query)(/|\.\w+$|$)", re.I)


@dataclass(frozen=True)
class Evidence:
    """What the verdict was based on; printed by ``edunews extract`` and kept in the logs."""

    running_chars: int
    paragraphs: int
    headline: str | None
    """The element showing the headline (``h1``), or ``None`` when the page does not show it."""
    records: int
    """Repeated sibling elements with a link each (search results, a list's entries) in the body."""
    record_share: float
    """The share of the body's text those records hold."""
    page_headline_links: int
    search_url: bool
    verse_lines: int = 0
    """Short unlinked lines without sentence punctuation in the body (verse, lyrics)."""
    verse_chars: int = 0
    cut_short: int = 0
    """Running paragraphs cut short by the template (``CUT_SHORT``): the openings of a feed's stories."""
    cut_short_chars: int = 0
    """The running text those paragraphs hold."""
    briefs: int = 0
    """Running paragraphs opening with a headline of their own (``BRIEF``): a feed's news flashes."""
    briefs_chars: int = 0
    """The running text the briefs hold."""

    def __str__(self) -> str:
        shown = f"headline in <{self.headline}>" if self.headline else "no headline shown"
        url = ", a search URL" if self.search_url else ""
        records = f", {self.records} linked records holding {self.record_share:.0%} of it" if self.records else ""
        # Short lines weigh in only where running text is short; elsewhere they are headings and labels.
        verse = self.verse_lines and self.running_chars < SHORT_PAGE_CHARS
        lines = f" and {self.verse_chars} in {self.verse_lines} short lines" if verse else ""
        cut = f", {self.cut_short} of them cut short" if self.cut_short else ""
        cut += f", {self.briefs} of them news flashes under headlines of their own" if self.briefs else ""
        return (
            f"{self.running_chars} characters of running text in {self.paragraphs} paragraphs{cut}{lines}{records}, "
            f"{shown}, "
            f"{self.page_headline_links} headline links on the page{url}"
        )


@dataclass(frozen=True)
class Verdict:
    """``reason`` is ``None`` for an article, else why the page is not one."""

    reason: str | None
    evidence: Evidence

    @property
    def is_article(self) -> bool:
        return self.reason is None

    def __str__(self) -> str:
        return f"{self.reason or 'article'}: {self.evidence}"


def is_headline_link(block: Block) -> bool:
    """A block that is one link of headline length and little else (a list entry with its date)."""
    return len(block.links) == 1 and len(block.links[0].text) >= HEADLINE_LINK_CHARS and block.mostly_links()


def linked_records(container: Any) -> tuple[int, float]:
    """The largest run of alike siblings (same tag and class) that each hold a link, and the share of
    the container's text they hold: the entries of a list or a page of search results."""
    total = len(normalize_space(text_of(container))) or 1
    best, best_share = 0, 0.0
    for element in container.iter():
        children = [child for child in element if isinstance(child.tag, str)]
        if len(children) < MIN_RECORDS:
            continue
        shapes = Counter((child.tag, child.get("class")) for child in children)
        shape, count = shapes.most_common(1)[0]
        if count < MIN_RECORDS:
            continue
        if shape[0] in RUNNING_TEXT_TAGS:
            continue
        records = [child for child in children if (child.tag, child.get("class")) == shape and _starts_with_link(child)]
        if len(records) < MIN_RECORDS:
            continue
        share = sum(len(normalize_space(text_of(record))) for record in records) / total
        if share > best_share:
            best, best_share = len(records), share
    return best, min(best_share, 1.0)


def _starts_with_link(element: Any) -> bool:
    """True when the first words of ``element`` are a link's: a record led by its headline link."""
    return bool(element.xpath("boolean((.//text()[normalize-space()])[1][ancestor::a[@href]])"))


def is_search_url(url: str) -> bool:
    """A URL that asks a site's search: a ``/search`` path with a query, or a search-term parameter."""
    parts = urlsplit(url)
    terms = [key.lower() for key, value in parse_qsl(parts.query) if value]
    return any(key in SEARCH_PARAMS for key in terms) or bool(SEARCH_PATH.search(parts.path) and terms)


def judge(
    *,
    urls: Sequence[str],
    status: int,
    cleaned: Sequence[Block],
    page_blocks: Sequence[Block],
    headline_tag: str | None,
    page_title: str,
    container: Any,
) -> Verdict:
    """The verdict on one page from its cleaned body blocks and the blocks of the whole page."""
    kept = [block for block in cleaned if block.kept and block.text]
    running = [block for block in kept if block.weight > 0 and SENTENCE_PUNCT.search(block.text)]
    verse = [block for block in kept if block.weight == 0 and not block.links]
    # Stories' openings: cut short, or else under a bracketed headline of their own.
    cut: list[Block] = []
    briefs: list[Block] = []
    for block in running:
        if CUT_SHORT.search(block.text):
            cut.append(block)
        elif BRIEF.search(block.text):
            briefs.append(block)
    # Records only matter for pages that show no headline of their own.
    records, record_share = linked_records(container) if container is not None and headline_tag is None else (0, 0.0)
    evidence = Evidence(
        running_chars=sum(len(block.text) for block in running),
        paragraphs=len(running),
        headline=headline_tag,
        records=records,
        record_share=record_share,
        page_headline_links=sum(is_headline_link(block) for block in page_blocks),
        search_url=any(is_search_url(address) for address in urls),
        verse_lines=len(verse),
        verse_chars=sum(len(block.text) for block in verse),
        cut_short=len(cut),
        cut_short_chars=sum(len(block.text) for block in cut),
        briefs=len(briefs),
        briefs_chars=sum(len(block.text) for block in briefs),
    )
    opening = " ".join([page_title, *(block.text for block in kept[:2])])
    login_form = (
        container is not None
        and bool(container.xpath(".//input[@type='password']"))
        and any(LOGIN_WORDS.search(text) for text in (page_title, *urls))
    )
    return Verdict(_reason(evidence, status, opening, login_form), evidence)


def is_verse(evidence: Evidence) -> bool:
    """A body of many short unlinked lines: a poem or a song's lyrics, which have no sentence
    punctuation to be found by, but are read like any article."""
    return evidence.verse_lines >= MIN_VERSE_LINES and evidence.verse_chars >= SHORT_PAGE_CHARS


def _reason(evidence: Evidence, status: int, opening: str, login_form: bool) -> str | None:
    """``opening`` is what a reader sees first: the page title and the first lines of the body;
    ``login_form`` is true when the body itself asks for a password and the page says it is for
    signing in (not an article with a login box beside it)."""
    if status >= 400:
        return "error-page"
    thin = evidence.running_chars < MIN_RUNNING_CHARS
    short = evidence.running_chars < SHORT_PAGE_CHARS
    if login_form and short:
        return "login-page"
    if evidence.headline is not None and is_verse(evidence):
        return None
    if thin or (evidence.running_chars < UNHEADED_PAGE_CHARS and evidence.headline is None):
        if ERROR_PAGE.search(opening):
            return "error-page"
        return "list-page" if evidence.page_headline_links >= MIN_LIST_LINKS else "no-article-body"
    if evidence.headline is not None:
        return None
    if evidence.search_url:
        return "search-page"
    if evidence.records >= MIN_RECORDS and evidence.record_share >= RECORD_SHARE:
        return "list-page"
    openings = evidence.cut_short + evidence.briefs
    openings_chars = evidence.cut_short_chars + evidence.briefs_chars
    if openings >= MIN_CUT_SHORT and openings_chars >= CUT_SHORT_SHARE * evidence.running_chars:
        return "list-page"
    return None
