"""Turn one raw page into one clean ``Article``, or say why the page is not an article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector
from parsel.selector import create_root_node

from crawler.extraction import metadata
from crawler.extraction.blocks import Block, absolute_url, blocks_within, normalize_space, split_blocks, text_of
from crawler.extraction.dates import to_iso
from crawler.extraction.encoding import decode_body
from crawler.extraction.headline import (
    Headline,
    agreeing_headline,
    heading_above,
    headline_in_body,
    permalink_heading,
    post_headline,
    squash,
)
from crawler.extraction.items import Article
from crawler.extraction.loaders import ArticleLoader
from crawler.extraction.locate import Location, locate
from crawler.extraction.pages import RawPage
from crawler.extraction.patterns import BLOCK_TAGS, PAGE_TAGS
from crawler.extraction.posts import NO_POSTS, separate_posts
from crawler.extraction.profiles import SiteProfile, profile_for_url, select_nodes
from crawler.extraction.verdict import judge
from crawler.extraction.vocabulary import alternation

#: Link texts that point to the next page of a multi-page article.
NEXT_PAGE_TEXTS = re.compile(r"^\s*" + alternation("next-page-link") + r"\s*$", re.I)
#: TRS CMS pagination script: createPageHTML(pages, current, "t20220213_552130", "html").
TRS_PAGER = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']")
#: A headline shorter than this (characters) may be a section name: it does not vouch for an article.
MIN_SHOWN_HEADLINE = 6
#: Content types of pages (a server that says nothing, or text/plain, gets the benefit of the doubt).
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "application/octet-stream"})
#: An HTML page shows one of these tags near its start; scripts, style sheets and JSON do not.
HTML_TAG = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|meta|title|div|p|table|h[1-6]|br|a\s|span|ul|font)\b", re.I
)
HTML_SNIFF_CHARS = 65_536
#: A JSON document: what an API answers, never a page to read.
JSON_START = re.compile(r"^\s*(?:\{\s*(?:\"|\})|\[\s*(?:[\"\[{\]\d-]|true|false|null))")
#: Root elements of XML documents that are not pages: feeds and sitemaps, whatever content type they are
#: served with (their items often hold escaped or CDATA HTML, which would pass for a page's tags).
XML_DOCUMENT_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "urlset", "sitemapindex", "opml"})
ELEMENT_NAME = re.compile(r"<\s*([\w:-]+)")
#: libxml2 stops parsing at this nesting depth (2048 for the huge-tree parser parsel uses), less a margin.
PARSER_DEPTH_LIMIT = 2000
#: Layout elements that carry no paragraph structure of their own.
LAYOUT_TAG = re.compile(r"</?(?:div|span|section|article|font|center|main)\b[^>]*>", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
#: Control characters, written as they are or as character references (``&#x1b;``, ``&#27``): no
#: reader sees them, and printed to a terminal an escape sequence in a headline can clear the screen
#: or retitle the window. Tab, line feed, form feed and carriage return are white space and stay.
#: Two patterns, not one alternation: a pattern that opens with ``&#`` is searched for by that prefix,
#: and a page without ``&#`` is not searched at all; one alternation tried both at every character,
#: 5 % of all extraction time.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
CONTROL_REFERENCES = re.compile(
    r"&#(?:[xX]0*(?:[0-8bBeEfF]|1[0-9a-fA-F]|7[fF])(?![0-9a-fA-F])|0*(?:[0-8]|11|1[4-9]|2[0-9]|3[01]|127)(?![0-9]));?"
)


#: The verdicts of a page with no running text found under its headline.
TEXTLESS = ("list-page", "no-article-body")
#: The wrapper reason of elements whose class names a picture's caption.
CAPTION = "caption"


class NotAnArticle(Exception):
    """The page is readable but is not one article (a list, login or error page)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def parse_html(page: RawPage) -> tuple[Selector, str]:
    """Decode the body (see crawler.extraction.encoding) and parse it; returns the selector and the codec used.
    Raises ``NotAnArticle("not-html")`` for a script, style sheet or data file served as a page."""
    decoded = decode_body(page.body, page.header("Content-Type"))
    text = CONTROL_CHARS.sub("", XML_DECLARATION.sub("", decoded.text))
    if "&#" in text:
        text = CONTROL_REFERENCES.sub("", text)
    not_html = not_html_reason(page.header("Content-Type"), text)
    if not_html:
        raise NotAnArticle("not-html", not_html)
    root = _parse(text, page.url)
    if _cut_off_by_depth(root):
        # The parser stops at its nesting limit and drops the rest of the page; without the layout
        # wrappers that pile up into such depths, the paragraphs they hold parse whole.
        root = _parse(LAYOUT_TAG.sub(" ", text), page.url)
    return Selector(root=root, type="html", base_url=page.url), decoded.encoding


def _parse(text: str, url: str) -> Any:
    """The page as a plain lxml tree: lxml.html's element classes cost a Python call per element
    touched, and nothing here needs their extra methods."""
    return create_root_node(text, etree.HTMLParser, base_url=url)


def _cut_off_by_depth(root: Any) -> bool:
    """True when the parse reached libxml2's nesting limit: it ends on the deepest chain it built."""
    depth, node = 0, root
    while len(node):
        node, depth = node[-1], depth + 1
    return depth >= PARSER_DEPTH_LIMIT


def not_html_reason(content_type: str | None, text: str) -> str | None:
    """Why a body is not an HTML page, or ``None`` when it is one: its declared type says so
    (``application/javascript``, ``text/css``, ``application/json``), its first bytes show JSON, a
    feed or a sitemap, or no HTML tag opens it. Live and in replay alike, these are skipped as not
    pages rather than judged as articles."""
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared and declared not in HTML_TYPES:
        return f"served as {declared}"
    if JSON_START.match(text):
        return "a JSON document"
    root = first_element(text)
    if root in XML_DOCUMENT_ROOTS:
        return f"an XML <{root}> document"
    if not HTML_TAG.search(text[:HTML_SNIFF_CHARS]):
        return f"no HTML tag in the first {HTML_SNIFF_CHARS} characters"
    return None


def first_element(text: str) -> str | None:
    """The lower-case name of the first element, past leading white space and comments (found with
    ``str.find``: a regular expression over comments backtracks without end on a page full of them)."""
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if not text.startswith("<!--", position):
            break
        end = text.find("-->", position + 4)
        if end < 0:
            return None
        position = end + 3
    name = ELEMENT_NAME.match(text, position)
    return name[1].lower() if name else None


def body_container(
    selector: Selector, page_blocks: list[Block], headline: Headline | None, profile: SiteProfile | None
) -> tuple[Any, Location | None]:
    """The element holding the article: the profile's body selector when it matches, else the one the
    locator finds by its text and link density below the headline; ``None`` when there is none."""
    if profile and profile.selectors.body:
        nodes = select_nodes(selector, profile.selectors.body)
        if nodes:
            return nodes[0].root, None
    location = locate(selector.root, page_blocks, headline.index if headline else None)
    return (location.container if location else None), location


def _container_blocks(container: Any, page_blocks: list[Block], url: str) -> list[Block]:
    """The container's blocks, taken from the page's own split when the container is a block element
    (one walk of the page), else split afresh."""
    if container is None:
        return []
    if isinstance(container.tag, str) and container.tag in BLOCK_TAGS | PAGE_TAGS:
        return blocks_within(page_blocks, container)
    return split_blocks(container, url)


def find_headline(
    selector: Selector, page_blocks: list[Block], page_title: str, profile_title: str | None, url: str
) -> Headline | None:
    """The headline block that agrees with the profile's title, or else with the page's own title
    candidates (``<title>`` parts, ``og:title``), or else the heading that links to the page itself."""
    if profile_title:
        return agreeing_headline(page_blocks, [profile_title], url)
    candidates = metadata.title_candidates(selector, page_title, url)
    return agreeing_headline(page_blocks, candidates, url) or permalink_heading(page_blocks, url)


def _profile_text(selector: Selector, query: str | None) -> str | None:
    if not query:
        return None
    nodes = select_nodes(selector, query)
    return normalize_space(nodes[0].xpath("string(.)").get() or "") if nodes else None


def next_page_url(blocks: list[Block], scripts: str, url: str) -> str | None:
    """The next page of a multi-page article, from its page list or the TRS pager script
    (``scripts``: the text of the page's inline scripts)."""
    for block in blocks:
        if block.reason != "pagination":
            continue
        for href, text in _pager_links(block, url):
            if NEXT_PAGE_TEXTS.match(text) and href.split("#")[0] not in ("", url):
                return href
    pager = TRS_PAGER.search(scripts)
    if pager:
        pages, current, stem, extension = int(pager[1]), int(pager[2]), pager[3], pager[4]
        if current + 1 < pages:
            return urljoin(url, f"{stem}_{current + 1}.{extension}")
    return None


def _pager_links(block: Block, url: str) -> Iterator[tuple[str, str]]:
    """A page list's links with their texts: the block's, then each ``<a>`` of its element alone. A
    block keeps one text per address, and a pager that links page 2 twice in one line
    (``1 <a>2</a> <a>下一页</a>``) gives that address both links' texts together."""
    yield from ((link.href, link.text) for link in block.links)
    for anchor in block.node.iter("a") if block.node is not None else ():
        href = absolute_url(url, (anchor.get("href") or "").strip())
        if href:
            yield href, text_of(anchor)


def extract_article(page: RawPage, profile: SiteProfile | None = None) -> Article:
    """Extract the article on ``page``. Raises ``NotAnArticle`` with a reason for other pages and
    ``crawler.extraction.encoding.UndecodableBody`` for empty or binary bodies.

    ``profile`` is the site profile the crawl runs with; where it does not claim the page (another
    host, a URL its ``article_url`` does not match) the bundled profile that claims the URL applies."""
    profile = profile if profile is not None and profile.matches(page.url) else profile_for_url(page.url)
    selector, encoding = parse_html(page)
    page_blocks = split_blocks(selector.root, page.url) if selector.root is not None else []
    try:
        return _article_from_blocks(page, profile, selector, encoding, page_blocks)
    except NotAnArticle as refused:
        captions = [block.wrapper == CAPTION for block in page_blocks]
        if refused.reason not in TEXTLESS or not any(captions):
            raise
        refusal = refused
    # A picture post whose every paragraph its template set in an element named a caption (one per
    # picture): with no other running text under the headline, those captions are the post.
    uncaptioned = [
        replace(block, wrapper=None) if caption else block for block, caption in zip(page_blocks, captions, strict=True)
    ]
    try:
        return _article_from_blocks(page, profile, selector, encoding, uncaptioned)
    except NotAnArticle:
        raise refusal from None


def _article_from_blocks(
    page: RawPage, profile: SiteProfile | None, selector: Selector, encoding: str, page_blocks: list[Block]
) -> Article:
    page_title = metadata.title_tag(selector)
    lines = metadata.meta_lines(page_blocks)
    text_sample = " ".join(block.text for block in page_blocks[:200])
    lang = metadata.language(selector, text_sample)
    tz = metadata.default_timezone(lang, page.url)
    selectors = profile.selectors if profile else None
    profile_title = _profile_text(selector, selectors.title) if selectors else None
    headline = find_headline(selector, page_blocks, page_title, profile_title, page.url)
    if headline is not None and not profile_title:
        headline = post_headline(page_blocks, headline)
    container, location = body_container(selector, page_blocks, headline, profile)
    if headline is not None and location is not None and not profile_title:
        headline = headline_in_body(page_blocks, headline, location.container)
    headline_index = headline.index if headline else None
    posts = (
        separate_posts(container, page_blocks, location.first_index, headline_index)
        if location is not None
        else NO_POSTS
    )
    if location is not None and posts.nodes:
        location = replace(location, last_index=posts.last_own(page_blocks, location.first_index, location.last_index))
    shown = headline
    if headline is None and location is not None:
        headline = heading_above(page_blocks, location.first_index)
        shown = headline if headline and headline.tag == "h1" else None
    title = profile_title or (headline.text if headline else metadata.fallback_title(selector, page_title))
    site = (profile and profile.site_name) or metadata.site_name(selector, page_title, page.url)

    beside = location.beside if location is not None else ()
    loader = ArticleLoader(
        title=title,
        page_host=urlsplit(page.url).hostname or "",
        beside=frozenset(node for element in beside for node in element.iter()),
    )
    loader.add_value("url", page.url)
    loader.add_value("canonical_url", metadata.canonical_url(selector, page.url))
    loader.add_value("title", title)
    loader.add_value("site_name", site)
    loader.add_value("language", lang)
    loader.add_value("encoding", encoding)
    loader.add_value("fetched_at", to_iso(page.fetched_at) if page.fetched_at else None)
    loader.add_value("keywords", metadata.keywords(selector))
    header = metadata.header_blocks(
        page_blocks, headline.index if headline else None, location.first_index if location else None
    )
    bylines = metadata.byline_lines(
        page_blocks, header, headline.index if headline else None, location.last_index if location else None
    )
    published = metadata.published_at(
        selector,
        lines,
        page.url,
        now=page.fetched_at,
        tz=tz,
        profile_text=_profile_text(selector, selectors.date) if selectors else None,
        header=header,
        closing=bylines,
    )
    loader.add_value("published_at", to_iso(published) if published else None)
    loader.add_value(
        "source",
        metadata.source(selector, bylines, _profile_text(selector, selectors.source) if selectors else None, site),
    )
    profile_author = _profile_text(selector, selectors.author) if selectors else None
    loader.add_value(
        "authors",
        metadata.authors(
            selector,
            bylines,
            profile_author,
            [block.text for block in header],
            [link for block in header for link in block.links],
        ),
    )
    loader.add_value("editors", metadata.page_editors(block.text for block in page_blocks))
    loader.add_value("body", posts.own(_container_blocks(container, page_blocks, page.url)))
    article = loader.load_item()
    account = metadata.account_name(selector)
    if not article.source:  # no label: the meta line's, lead's or byline's outlet, a source element, the account…
        ends = [*article.paragraphs[:1], *article.paragraphs[-1:], *bylines]
        publisher = metadata.meta_content(selector, metadata.AUTHOR_META)
        article.source = (
            metadata.outlet_beside_date(page_blocks, header)
            or metadata.named_source(ends, publisher)
            or metadata.source_field(selector)
            or account
            or metadata.outlet_as_author(selector, site)
        )
    # Writers the page also credits as editors are read again from their labels only when there are any.
    both = set(article.authors) & set(article.editors)
    writers = metadata.credited_writers(bylines) if both else set()
    article.authors = metadata.in_reading_order(
        metadata.people(article.authors, [site, article.source], article.editors, writers, account),
        "\n".join(block.text for block in page_blocks),
    )

    if article.source == account and metadata.writers_own_account(account, article.authors):
        article.source = None
    cleaned = loader.get_collected_values("body")
    scripts = "\n".join(metadata.markup(selector).inline_scripts)
    article.next_page_url = next_page_url(cleaned, scripts, page.url)
    verdict = judge(
        urls=[page.url, article.canonical_url or page.url],
        status=page.status,
        cleaned=cleaned,
        page_blocks=page_blocks,
        headline_tag=shown.tag if shown and len(squash(shown.text or "")) >= MIN_SHOWN_HEADLINE else None,
        page_title=page_title,
        container=container,
    )
    if verdict.reason:
        raise NotAnArticle(verdict.reason, str(verdict.evidence))
    article.evidence = str(verdict.evidence)
    article.comments = posts.comments
    return article
