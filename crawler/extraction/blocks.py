"""Split an article container into blocks of text: the units that cleaning rules keep or drop."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Any, NamedTuple

from crawler.extraction.patterns import (
    ATTACHMENT_FILE,
    BLOCK_TAGS,
    CJK_CHAR,
    FIELD_OPENING,
    FURNITURE_NAMES,
    FURNITURE_ROLES,
    FURNITURE_TAGS,
    FURNITURE_WORD_PART,
    FURNITURE_WORD_STARTS,
    FURNITURE_WORDS,
    HEADING_TAGS,
    HIDDEN_CLASSES,
    HIDDEN_COPY_PROBE,
    HIDDEN_STYLE,
    LABEL_CHARS,
    LINK_BLOCK_DENSITY,
    PAGE_TAGS,
    POST_CLASS,
    SENTENCE_PUNCT,
    SHOWN_FROM_BREAKPOINT,
    SKIP_ROLES,
    SKIP_TAGS,
    SMALL_FURNITURE,
    SMALL_FURNITURE_CHARS,
    SMALL_FURNITURE_TAGS,
    STATE_CLASS,
    TRADITIONAL_CHAR,
    TRADITIONAL_FOLD,
    WHITESPACE,
)
from crawler.extraction.urls import host_of, joined_url, url_parses

#: Where a class name is cut into words: lower-to-upper case changes, and anything not a letter or digit.
CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")
CLASS_WORD = re.compile(r"[A-Za-z0-9]+")
#: The white space of :data:`WHITESPACE` that ``str.split`` does not split at.
ZERO_WIDTH_SPACE, BYTE_ORDER_MARK = "\u200b", "\ufeff"


@dataclass(frozen=True)
class Link:
    """A hyperlink inside a block."""

    href: str
    text: str
    bookmark: bool = False
    """Marked as the permalink of the post it stands in (``rel=bookmark``): it leads to the page that
    shows the post, whatever address that page was reached by."""

    @property
    def host(self) -> str:
        return host_of(self.href)

    @property
    def is_attachment(self) -> bool:
        """Whether the link is an attachment shown by its file's name (附件：1.方案.docx): it fetches a
        document, not a page, and says so. A "Download the report" link beside a story is no part of
        it; a notice lists its attachments by name."""
        return ATTACHMENT_FILE.search(self.href) is not None and ATTACHMENT_FILE.search(self.text) is not None


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
    node: Any = field(default=None, compare=False, repr=False)
    """The block element the text came from (the one a locator scores), when split from a page."""
    wrapper_node: Any = field(default=None, compare=False, repr=False)
    """The element whose class or tag gave ``wrapper``."""

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

    @property
    def all_attachments(self) -> bool:
        """Whether the block has links and every one is an attachment (:attr:`Link.is_attachment`): a
        notice's attachments line, part of the story."""
        return bool(self.links) and all(link.is_attachment for link in self.links)

    def mostly_links(self, share: float = LINK_BLOCK_DENSITY) -> bool:
        """Whether at least ``share`` of the text sits in links: the one link-density measure, which
        locating, cleaning, headlines and the verdict all read (thresholds in ``patterns``)."""
        return bool(self.links) and self.link_text_length >= share * len(self.text)

    @cached_property
    def weight(self) -> float:
        """How much the block says "article text here": its length for running text (less what sits
        in links), minus its length for link lists and blocks inside furniture wrappers, nothing for
        short labels. Locating the body, trimming it and judging the page all read this one measure.
        A small form counts as its text does: the cleaner drops it inside the body, but a form can be
        a framework's wrapper around a short page's whole story, which must still be found."""
        length = len(self.text)
        if not length:
            return 0.0
        if self.wrapper is not None and self.wrapper not in SMALL_FURNITURE_TAGS.values():
            return -float(length)
        if self.mostly_links():
            # A notice's attachments (附件：1.方案.docx) are no page's links: they neither end the story
            # nor count as its text.
            return 0.0 if self.all_attachments else -float(length)
        if length < LABEL_CHARS and not SENTENCE_PUNCT.search(self.text):
            return 0.0
        return length * (1.0 - self.link_text_length / length)


def fold_variants(text: str) -> str:
    """Fold the traditional characters furniture patterns use to simplified, one for one. Most text
    has none of them, and finding that out is much cheaper than translating it."""
    return text.translate(TRADITIONAL_FOLD) if TRADITIONAL_CHAR.search(text) else text


def normalize_space(text: str) -> str:
    """Collapse every kind of white space (nbsp, full-width indent, zero-width) to one space. Python's
    own split is that collapse for every character but the zero-width ones, and several times faster
    than the pattern; it runs on every piece of text of every page."""
    if ZERO_WIDTH_SPACE in text or BYTE_ORDER_MARK in text:
        return WHITESPACE.sub(" ", text).strip()
    return " ".join(text.split())


def furniture_reason(element: Any) -> str | None:
    """The drop reason an element's class or id announces (``bdsharebuttonbox`` → ``share``,
    ``related-news`` → ``related-list``, a small ``<form>`` → ``form``). An element that holds the page's
    ``<h1>`` is never furniture, whatever its class says: layout wrappers borrow such words
    (``Page-ad-margins``)."""
    tag = element.tag
    if not isinstance(tag, str) or tag in PAGE_TAGS:
        return None
    if tag in FURNITURE_TAGS and element.find(".//h1") is None:
        return FURNITURE_TAGS[tag]
    role = element.get("role")
    if role in FURNITURE_ROLES and element.find(".//h1") is None:
        return FURNITURE_ROLES[role]
    if tag in SMALL_FURNITURE_TAGS:
        small = element.find(".//h1") is None and not text_longer_than(element, SMALL_FURNITURE_CHARS)
        return SMALL_FURNITURE_TAGS[tag] if small else None
    class_name, element_id = element.get("class"), element.get("id")
    if not class_name and not element_id:
        return None
    reason = _named_reason(f"{class_name} {element_id}" if class_name and element_id else class_name or element_id)
    if reason is None or element.find(".//h1") is not None:
        return None
    if reason in SMALL_FURNITURE and text_longer_than(element, SMALL_FURNITURE_CHARS):
        return None
    return reason


@lru_cache(maxsize=8192)
def _named_reason(names: str) -> str | None:
    """The furniture reason class and id names announce (cached: pages repeat their class names)."""
    if any(POST_CLASS.search(name) for name in names.split()):
        return None
    for name in names.split():
        for pattern, reason in FURNITURE_NAMES:
            if pattern.fullmatch(name):
                return reason
        if STATE_CLASS.search(name):
            continue
        for word in CLASS_WORD.findall(CAMEL_CASE.sub(" ", name)):
            reason = _word_reason(word.lower())
            if reason:
                return reason
    return None


def _word_reason(word: str) -> str | None:
    reason = FURNITURE_WORDS.get(word)
    if reason:
        return reason
    match = FURNITURE_WORD_PART.search(word)
    if match is None:
        return None
    return FURNITURE_WORD_STARTS.get(match.group("start"), "share") if match.group("start") else "share"


def holds(ancestor: Any, node: Any) -> bool:
    """True when ``node`` is ``ancestor`` or lies inside it."""
    return ancestor is node or any(parent is ancestor for parent in node.iterancestors())


def text_of(element: Any) -> str:
    """All the text inside ``element`` (any lxml element, not only lxml.html's)."""
    return "".join(element.itertext())


def text_longer_than(element: Any, limit: int) -> bool:
    """Whether the text inside ``element`` runs past ``limit`` characters, read only that far: a
    wrapper that says it is a share bar may hold the whole page."""
    length = 0
    for text in element.itertext():
        length += len(text)
        if length > limit:
            return True
    return False


def image_source(element: Any) -> str | None:
    """The real image URL of an ``<img>``: lazy-loading pages keep it in ``data-src`` or similar."""
    for attribute in ("data-original", "data-src", "data-lazy-src", "src"):
        value = (element.get(attribute) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return None


class _Context(NamedTuple):
    """Where the walk is: the enclosing block element, its furniture reason, bold inline text, and the
    link the text sits in. A tuple, not a dataclass: the walk makes one for most elements of a page."""

    tag: str
    wrapper: str | None
    bold: bool
    node: Any
    href: str | None = None
    wrapper_node: Any = None


def is_hidden(element: Any) -> bool:
    """An element a reader never sees (``hidden``, ``display: none``); ``visibility: hidden`` is not
    taken as hidden because article bodies (WeChat's) use it until a script reveals them."""
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    return bool(style) and HIDDEN_STYLE.search(style) is not None


def hidden_by_class(element: Any) -> bool:
    """An element a class word hides by the stylesheets' convention (``class="hidden"``), and none shows
    again on wider screens."""
    classes = element.get("class")
    if not classes:
        return False
    words = classes.split()
    return not HIDDEN_CLASSES.isdisjoint(words) and not any(SHOWN_FROM_BREAKPOINT.search(word) for word in words)


NOT_WORD = re.compile(r"[\s\W_]+")


def squash(text: str) -> str:
    """Text reduced to letters and digits, for comparing texts whatever their spacing and punctuation
    (a headline and a title, a hidden copy and the text it copies)."""
    return NOT_WORD.sub("", text).lower()


def _shown_text(root: Any) -> str:
    """The text of a whole page outside scripts and styles, squashed (:func:`squash`)."""
    parts: list[str] = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag not in SKIP_TAGS and element.text:
            parts.append(element.text)
        if element.tail:
            parts.append(element.tail)
    return squash("".join(parts))


class _Splitter:
    """Walks a container once, cutting text at block elements and ``<br>``. The walk keeps its own
    stack rather than recursing, so a page nested thousands of elements deep is read like any other;
    an element without children is read where it is met, without a place on the stack. The text
    gathered since the last cut (with its links, images and bold share) is kept on the splitter."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.texts: list[str] = []
        self.links: dict[str, list[str]] = {}
        """Text inside links, by address: an ``<a>`` may wrap whole blocks (a teaser's heading and date)."""
        self.bookmarks: set[str] = set()
        """The addresses among ``links`` that a link marks as a post's permalink (``rel=bookmark``)."""
        self.images: list[str] = []
        self.bold_chars = 0
        self.page_text: str | None = None
        """The page's text, squashed, read once a hidden copy is to be checked."""

    def is_hidden_aside(self, element: Any) -> bool:
        """Whether ``element`` is hidden by its class and holds a copy of text the page shows elsewhere
        (a page's second, print copy of its story): read once, not twice; or a list of links (a tab's
        panel of teasers, a menu that opens on a click), which no reader sees as the story. Other text
        a class hides is what a script reveals (the rest of a story behind a click, a byline for
        print), so it is read as before."""
        if not hidden_by_class(element):
            return False
        text = squash("".join(element.itertext()))
        if not text:
            return False
        if sum(len(squash("".join(link.itertext()))) for link in element.iter("a")) >= LINK_BLOCK_DENSITY * len(text):
            return True
        if self.page_text is None:
            self.page_text = _shown_text(element.getroottree().getroot())
        probe = text[:HIDDEN_COPY_PROBE]
        return self.page_text.count(probe) > text.count(probe)

    def flush(self, context: _Context) -> None:
        if not self.texts and not self.images:
            self.links.clear()
            self.bookmarks.clear()
            return
        text = normalize_space("".join(self.texts))
        if text or self.images:
            is_bold_line = bool(text) and self.bold_chars >= len(text) * 0.9 and len(text) <= 40
            kind = "h" if context.tag in HEADING_TAGS or is_bold_line else context.tag
            self.blocks.append(
                Block(
                    text,
                    kind,
                    tuple(
                        Link(href, normalize_space("".join(parts)), href in self.bookmarks)
                        for href, parts in self.links.items()
                    ),
                    tuple(self.images),
                    context.wrapper,
                    node=context.node,
                    wrapper_node=context.wrapper_node,
                )
            )
        self.texts, self.links, self.images, self.bold_chars = [], {}, [], 0
        self.bookmarks = set()

    def run(self, container: Any) -> None:
        tag = container.tag.lower() if isinstance(container.tag, str) else "div"
        reason = furniture_reason(container)
        root = _Context(tag, reason, False, container, None, container if reason else None)
        self.add_text(container.text, root)
        # A frame: the element's children still to read, its context, the element, whether it is a block.
        stack: list[tuple[Iterator[Any], _Context, Any, bool]] = [(iter(container), root, None, False)]
        while stack:
            children, context, _, _ = stack[-1]
            child = next(children, None)
            if child is None:
                _, context, element, is_block = stack.pop()
                if is_block:
                    self.flush(context)
                if stack:
                    self.add_text(element.tail, stack[-1][1])
                continue
            child_tag = child.tag if isinstance(child.tag, str) else ""
            skipped = child_tag in SKIP_TAGS or child.get("role") in SKIP_ROLES
            if not child_tag or skipped or is_hidden(child) or self.is_hidden_aside(child):
                self.add_text(child.tail, context)
            elif child_tag == "br":
                self.flush(context)
                self.add_text(child.tail, context)
            elif child_tag in BLOCK_TAGS:
                self.flush(context)
                reason = furniture_reason(child)
                if context.wrapper is not None and reason in SMALL_FURNITURE_TAGS.values():
                    reason = None  # a form inside an advert or a comment box stays what holds it
                wrapper, wrapper_node = (reason, child) if reason else (context.wrapper, context.wrapper_node)
                inner = _Context(child_tag, wrapper, False, child, context.href, wrapper_node)
                self.add_text(child.text, inner)
                if len(child):
                    stack.append((iter(child), inner, child, True))
                else:
                    self.flush(inner)
                    self.add_text(child.tail, context)
            elif child_tag == "img":
                source = image_source(child)
                image = absolute_url(self.base_url, source) if source else None
                if image:
                    self.images.append(image)
                    if context.href:
                        self.links.setdefault(context.href, [])
                self.add_text(child.tail, context)
            else:
                inner = self._inline_context(child, child_tag, context)
                if self._starts_field(child, child_tag):
                    self.texts.append(" ")
                self.add_text(child.text, inner)
                if len(child):
                    stack.append((iter(child), inner, child, False))
                else:
                    self.add_text(child.tail, context)
        self.flush(root)

    def _inline_context(self, child: Any, child_tag: str, context: _Context) -> _Context:
        """The context inside an inline element: the same one unless it starts bold text or a link."""
        href = context.href
        target = absolute_url(self.base_url, (child.get("href") or "").strip()) if child_tag == "a" else None
        if target:  # a link whose address does not parse is read as text
            href = target
            self.links.setdefault(href, [])
            if "bookmark" in (child.get("rel") or "").lower().split():
                self.bookmarks.add(href)
        bold = context.bold or child_tag in ("b", "strong")
        if href == context.href and bold == context.bold:
            return context
        return _Context(context.tag, context.wrapper, bold, context.node, href, context.wrapper_node)

    def _starts_field(self, child: Any, child_tag: str) -> bool:
        """Whether an inline element starts a field of its own right after Chinese text, with no space
        between: a time or what follows one (``<time>…</time><span>某報／記者王某</span>``), a labelled
        field or what follows one (``<span>来源：某报</span><span>作者：王某</span>``, ``<span>来源：某报
        </span><span><i class="icon-user"></i>王某</span>``), or a link beside a link
        (``<a>某报</a><a>举报</a>``). Templates part a meta line's fields by their elements; a
        reader sees them apart, and the labels' readers need the space to tell where a value ends."""
        last = self.texts[-1][-1:] if self.texts else ""
        if not (CJK_CHAR.match(last) or last.isdigit()):  # (most elements stop here: a cheap test first)
            return False
        text = (child.text or "").lstrip()
        if not CJK_CHAR.match(last) and not CJK_CHAR.match(text[:1]):
            return False  # after digits, only a Chinese field starts one (10:21某報／記者…)
        before = child.getprevious()
        beside = before.tag if before is not None and not before.tail else None
        if child_tag == "time" or beside == "time":
            return True
        if FIELD_OPENING.match(text) or (child_tag == "a" and beside == "a"):
            return True
        return beside is not None and FIELD_OPENING.match("".join(before.itertext()).lstrip()) is not None

    def add_text(self, text: str | None, context: _Context) -> None:
        if text:
            self.texts.append(text)
            if context.bold:
                self.bold_chars += len(normalize_space(text))
            if context.href:
                self.links.setdefault(context.href, []).append(text)


@lru_cache(maxsize=16384)
def absolute_url(base_url: str, href: str) -> str | None:
    """``href`` made absolute against ``base_url``, ``None`` when it does not parse (cached: menus
    repeat the same links on every page)."""
    if not href:
        return None
    if href.startswith(("http://", "https://")) and "/." not in href:
        return href if url_parses(href) else None
    return joined_url(base_url, href)


def blocks_within(blocks: Sequence[Block], container: Any) -> list[Block]:
    """The blocks of a page split that lie inside ``container``, as splitting the container alone
    would give them: a furniture class on or above the container says nothing about what it holds (the
    locator chose it for its text). The container must be a block element, so that no block straddles
    its edge."""
    inside = set(container.iter())
    return [
        block
        if block.wrapper_node is None or (block.wrapper_node in inside and block.wrapper_node is not container)
        else replace(block, wrapper=None, wrapper_node=None)
        for block in blocks
        if block.node in inside
    ]


def split_blocks(container: Any, base_url: str) -> list[Block]:
    """Blocks of ``container`` in reading order; links and images are made absolute against ``base_url``."""
    splitter = _Splitter(base_url)
    splitter.run(container)
    return splitter.blocks
