"""The generic body detector for sites without a profile: known CMS containers, then trafilatura."""

from __future__ import annotations

from urllib.parse import urljoin

import trafilatura
from lxml import etree
from parsel import Selector

from crawler.blocks import Block, Link, normalize_space, split_blocks
from crawler.patterns import CMS_BODY_SELECTORS, MIN_CONTAINER_CHARS

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


def trafilatura_blocks(html: str, base_url: str) -> list[Block] | None:
    """Blocks of the main content trafilatura finds. It keeps links and images so our rules can judge
    them; its own cleaning misses the spam injected inside the body, which our rules then remove."""
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
    if not xml:
        return None
    main = etree.fromstring(xml.encode("utf-8")).find("main")
    if main is None:
        return None
    return [block for element in main.iter() if (block := _trafilatura_block(element, base_url))]


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
