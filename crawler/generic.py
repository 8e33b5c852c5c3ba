"""The generic body detector for sites without a profile: known CMS containers, then trafilatura."""

from __future__ import annotations

from urllib.parse import urljoin

import trafilatura
from lxml import etree
from parsel import Selector

from crawler.blocks import Block, Link, normalize_space, split_blocks
from crawler.patterns import CMS_BODY_SELECTORS, MIN_CONTAINER_CHARS

#: Paragraphs shorter than this are not used to place the article in the page.
ANCHOR_MIN_PARAGRAPH = 20
#: trafilatura's XML elements that hold one block of text, mapped to our block tags.
_TRAFILATURA_BLOCKS = {"p": "p", "head": "h", "item": "li", "quote": "blockquote", "row": "tr", "code": "pre"}


def select_nodes(selector: Selector, query: str) -> list[Selector]:
    """Run a profile selector: XPath when it starts with ``/`` or ``(``, CSS otherwise."""
    return selector.xpath(query) if query.lstrip().startswith(("/", "(")) else selector.css(query)


def container_blocks(selector: Selector, query: str, base_url: str) -> list[Block] | None:
    """Blocks of the first node ``query`` selects, or ``None`` when it selects nothing."""
    nodes = select_nodes(selector, query)
    if not nodes:
        return None
    return split_blocks(nodes[0].root, base_url)


def cms_container_blocks(selector: Selector, base_url: str) -> list[Block] | None:
    """Blocks of the first known CMS body container that holds real text."""
    for query in CMS_BODY_SELECTORS:
        for node in selector.css(query):
            text = normalize_space(node.root.text_content())
            if len(text) >= MIN_CONTAINER_CHARS:
                return split_blocks(node.root, base_url)
    return None


def trafilatura_blocks(selector: Selector, html: str, base_url: str) -> list[Block] | None:
    """Blocks of the main content trafilatura finds. Its paragraphs only show where the article is:
    the blocks come from the page element that holds them all, so our rules see (and record) the
    furniture inside it. Where no single element holds them, trafilatura's own paragraphs are used."""
    main = _trafilatura_main(html, base_url)
    if main is None:
        return None
    container = _common_container(selector, main)
    if container is not None:
        return split_blocks(container, base_url)
    return [block for element in main.iter() if (block := _trafilatura_block(element, base_url))]


def _trafilatura_main(html: str, base_url: str) -> etree._Element | None:
    xml = trafilatura.extract(
        html,
        url=base_url,
        output_format="xml",
        include_links=True,
        include_images=True,
        include_tables=True,
        include_comments=False,
        favor_recall=True,
        deduplicate=False,
        with_metadata=False,
    )
    return etree.fromstring(xml.encode("utf-8")).find("main") if xml else None


def _common_container(selector: Selector, main: etree._Element) -> etree._Element | None:
    """The deepest page element holding every long paragraph trafilatura kept, or ``None`` when that
    is the whole page (the paragraphs are scattered)."""
    holders = []
    for paragraph in main.iter("p", "head"):
        anchor = _anchor_text(normalize_space("".join(paragraph.itertext())))
        if anchor:
            found = selector.root.xpath("//body//text()[contains(., $anchor)]/..", anchor=anchor)
            if found:
                holders.append(found[0])
    if not holders:
        return None
    common = holders[0]
    for holder in holders[1:]:
        while common is not None and not _contains(common, holder):
            common = common.getparent()
    if common is None or common.tag in ("html", "body"):
        return None
    return common


def _anchor_text(paragraph: str) -> str | None:
    """A piece of a paragraph that a single text node will hold: its longest run without spaces, cut
    to 12 characters; ``None`` for paragraphs too short to place reliably."""
    if len(paragraph) < ANCHOR_MIN_PARAGRAPH:
        return None
    return max(paragraph.split(), key=len)[:12]


def _contains(ancestor: etree._Element, element: etree._Element) -> bool:
    return any(node is ancestor for node in element.iterancestors()) or element is ancestor


def _trafilatura_block(element: etree._Element, base_url: str) -> Block | None:
    if element.tag == "graphic" and element.get("src") and element.getparent().tag == "main":
        return Block("", "figure", images=(urljoin(base_url, element.get("src")),))
    tag = _TRAFILATURA_BLOCKS.get(element.tag)
    if tag is None or (element.tag == "p" and element.getparent().tag in ("item", "cell", "quote")):
        return None
    links = tuple(
        Link(urljoin(base_url, ref.get("target")), normalize_space("".join(ref.itertext())))
        for ref in element.iter("ref")
        if ref.get("target")
    )
    images = tuple(urljoin(base_url, g.get("src")) for g in element.iter("graphic") if g.get("src"))
    separator = " " if element.tag == "row" else ""
    text = normalize_space(separator.join(element.itertext()))
    return Block(text, tag, links, images) if text or images else None
