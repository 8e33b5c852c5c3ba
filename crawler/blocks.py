"""Split an article container into blocks of text: the units that cleaning rules keep or drop."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from crawler.patterns import (
    BLOCK_TAGS,
    FURNITURE_CLASS_REASONS,
    HEADING_TAGS,
    SKIP_TAGS,
    TRADITIONAL_FOLD,
    WHITESPACE,
)


@dataclass(frozen=True)
class Link:
    """A hyperlink inside a block."""

    href: str
    text: str

    @property
    def host(self) -> str:
        return urlsplit(self.href).hostname or ""


@dataclass(frozen=True)
class Block:
    """One paragraph-like piece of the article container, with what the rules need to judge it."""

    text: str
    tag: str = "p"
    """The block element's tag; ``h`` for headings (h1-h6 or a paragraph that is all bold)."""
    links: tuple[Link, ...] = ()
    images: tuple[str, ...] = ()
    wrapper: str | None = None
    """The furniture reason implied by an enclosing element's class or id (``share``, ``ad``, ...)."""
    reason: str | None = None
    """Why the cleaner dropped this block; ``None`` while it is kept."""

    @property
    def kept(self) -> bool:
        return self.reason is None

    def drop(self, reason: str) -> Block:
        return replace(self, reason=reason)

    @cached_property
    def folded(self) -> str:
        """The text with traditional characters folded to simplified, for matching patterns."""
        return fold_variants(self.text)

    @property
    def link_text_length(self) -> int:
        return sum(len(link.text) for link in self.links)


@dataclass
class _Buffer:
    texts: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    bold_chars: int = 0


def fold_variants(text: str) -> str:
    """Fold the traditional characters furniture patterns use to simplified, one for one."""
    return text.translate(TRADITIONAL_FOLD)


def normalize_space(text: str) -> str:
    """Collapse every kind of white space (nbsp, full-width indent, zero-width) to one space."""
    return WHITESPACE.sub(" ", text).strip()


def furniture_reason(element: lxml_html.HtmlElement) -> str | None:
    """The drop reason an element's class or id announces (``bdsharebuttonbox`` → ``share``)."""
    names = " ".join(filter(None, (element.get("class"), element.get("id"))))
    if not names:
        return None
    for pattern, reason in FURNITURE_CLASS_REASONS:
        if pattern.search(names):
            return reason
    return None


def image_source(element: lxml_html.HtmlElement) -> str | None:
    """The real image URL of an ``<img>``: lazy-loading pages keep it in ``data-src`` or similar."""
    for attribute in ("data-original", "data-src", "data-lazy-src", "src"):
        value = (element.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return None


class _Splitter:
    """Walks a container once, cutting text at block elements and ``<br>``."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.buffer = _Buffer()

    def flush(self, tag: str, wrapper: str | None) -> None:
        text = normalize_space("".join(self.buffer.texts))
        if text or self.buffer.images:
            is_bold_line = bool(text) and self.buffer.bold_chars >= len(text) * 0.9 and len(text) <= 40
            kind = "h" if tag in HEADING_TAGS or is_bold_line else tag
            self.blocks.append(Block(text, kind, tuple(self.buffer.links), tuple(self.buffer.images), wrapper))
        self.buffer = _Buffer()

    def walk(self, element: lxml_html.HtmlElement, tag: str, wrapper: str | None, bold: bool) -> None:
        for child in element:
            child_tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if not child_tag or child_tag in SKIP_TAGS:
                self.add_text(child.tail, bold)
                continue
            if child_tag == "br":
                self.flush(tag, wrapper)
            elif child_tag in BLOCK_TAGS:
                self.flush(tag, wrapper)
                child_wrapper = furniture_reason(child) or wrapper
                self.add_text(child.text, False)
                self.walk(child, child_tag, child_wrapper, False)
                self.flush(child_tag, child_wrapper)
            else:
                self.add_inline(child, tag, wrapper, bold or child_tag in ("b", "strong"))
            self.add_text(child.tail, bold)

    def add_inline(self, element: lxml_html.HtmlElement, tag: str, wrapper: str | None, bold: bool) -> None:
        element_tag = element.tag.lower()
        if element_tag == "img":
            source = image_source(element)
            if source:
                self.buffer.images.append(urljoin(self.base_url, source))
            return
        if element_tag == "a" and element.get("href"):
            text = normalize_space(element.text_content())
            href = urljoin(self.base_url, element.get("href").strip())
            self.buffer.links.append(Link(href, text))
        self.add_text(element.text, bold)
        self.walk(element, tag, wrapper, bold)

    def add_text(self, text: str | None, bold: bool) -> None:
        if text:
            self.buffer.texts.append(text)
            if bold:
                self.buffer.bold_chars += len(normalize_space(text))


def split_blocks(container: lxml_html.HtmlElement, base_url: str) -> list[Block]:
    """Blocks of ``container`` in reading order; links and images are made absolute against ``base_url``."""
    splitter = _Splitter(base_url)
    wrapper = furniture_reason(container)
    tag = container.tag.lower() if isinstance(container.tag, str) else "div"
    splitter.add_text(container.text, False)
    splitter.walk(container, tag, wrapper, False)
    splitter.flush(tag, wrapper)
    return splitter.blocks
