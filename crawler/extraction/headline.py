"""The headline as a reader sees it: the block of the page that agrees with what the page says its title
is (``<title>`` minus the site name, ``og:title``), or else the heading standing above the body.

Agreement is measured, not matched exactly: a headline followed by a "listen to this" button
(``…谋杀行为播报文章``) still agrees with ``<title>``; a ``<title>`` that names only the site
(``-铜雀历史网``) or the channel (``科普中国-辟谣文章``) agrees with nothing, and the heading above the
body is taken instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from crawler.extraction.blocks import Block, holds, squash
from crawler.extraction.patterns import CREDIT_ONLY_LINE, LINK_BLOCK_DENSITY
from crawler.extraction.urls import canonicalize_url

#: How much of a block's words the title must account for (or the other way round) to agree.
MIN_AGREEMENT = 0.6
#: Agreement this high is as good as exact (a headline with a button's label glued on).
STRONG_AGREEMENT = 0.75
#: Fewer characters than this cannot be told from a section name.
MIN_CHARS = 4
#: Headings of the page, strongest first: where two blocks agree equally, the ``<h1>`` wins.
HEADING_RANK = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 3, "h6": 3}
#: Headings that may title a post with a link to it; lower ones title sections and side boxes.
PERMALINK_HEADINGS = frozenset({"h1", "h2", "h3"})
#: Elements whose text is a list entry or link, not a page's headline.
NOT_HEADLINE_TAGS = frozenset({"li", "dt", "dd", "a", "option"})
#: Furniture whose headings are not the page's headline: comment threads title themselves after the post.
NOT_HEADLINE_WRAPPERS = frozenset({"comments"})
#: How far above the body a heading may stand (in blocks: the meta line, share bar, kicker between).
HEADING_REACH = 12
#: A heading longer than this is a paragraph in bold ...
MAX_HEADING_CHARS = 120
#: ... but a heading element (``<h1>``–``<h6>``) may carry a long headline (a press release's).
MAX_HEADLINE_ELEMENT_CHARS = 240
#: Running text (characters) of a post between its ``<h1>`` and a card's heading that repeats the title.
MIN_POST_TEXT_ABOVE_CARD = 50
#: A post's ``<h1>`` stands at most this many elements above the element holding the post's text.
POST_LEVELS = 2
TITLE_CLASS = re.compile(r"title|headline|biaoti|bt\b", re.I)


def agreement(block_text: str, candidate: str) -> float:
    """How well a block and a title candidate agree: 1 for the same words, the share of the longer one
    the shorter covers when one holds the other, 0 otherwise."""
    return _agreement(squash(block_text), squash(candidate))


def _agreement(block: str, wanted: str) -> float:
    if len(block) < MIN_CHARS or len(wanted) < MIN_CHARS:
        return 0.0
    if block == wanted:
        return 1.0
    if wanted in block or block in wanted:
        return min(len(block), len(wanted)) / max(len(block), len(wanted))
    return 0.0


@dataclass(frozen=True)
class Headline:
    """The headline's text and the page block that shows it (``None`` when no block does)."""

    text: str | None
    index: int | None = None
    tag: str | None = None


def _tag(block: Block) -> str:
    tag = getattr(block.node, "tag", None)
    return tag if isinstance(tag, str) else ""


def could_be_headline(block: Block, page_url: str | None = None) -> bool:
    """A block that may show a headline: some words, not a link to another page (a blog's title links
    to its own ``page_url``), not a list entry or a paragraph, and not inside comments, whose headings
    repeat the title ("15 comments to …")."""
    longest = MAX_HEADLINE_ELEMENT_CHARS if _tag(block) in HEADING_RANK else MAX_HEADING_CHARS
    return (
        MIN_CHARS <= len(block.text) <= longest
        and _tag(block) not in NOT_HEADLINE_TAGS
        and block.wrapper not in NOT_HEADLINE_WRAPPERS
        and not _mostly_links_away(block, page_url)
    )


def _mostly_links_away(block: Block, page_url: str | None) -> bool:
    """Mostly links to other pages: a heading whose link leads to the page itself is not, nor one whose
    link is marked as its post's permalink (``rel=bookmark``), which is this page under the address the
    post was published at."""
    if _tag(block) not in HEADING_RANK or not block.mostly_links():
        return block.mostly_links()
    away = sum(
        len(link.text)
        for link in block.links
        if not (link.bookmark or (page_url is not None and leads_here(link.href, page_url)))
    )
    return away >= LINK_BLOCK_DENSITY * len(block.text)


def leads_here(href: str, page_url: str) -> bool:
    """A link to the page itself, as links to it vary: scheme, fragment, tracking parameters, a trailing
    slash, and parameters the page's own address adds (a campaign tag the link does not carry)."""
    try:
        link, here = urlsplit(canonicalize_url(href)), urlsplit(canonicalize_url(page_url))
    except ValueError:
        return False
    return (
        link.netloc == here.netloc
        and link.path.rstrip("/") == here.path.rstrip("/")
        and set(parse_qsl(link.query)) <= set(parse_qsl(here.query))
    )


def permalink_heading(blocks: Sequence[Block], page_url: str) -> Headline | None:
    """The first ``<h1>``–``<h3>`` whose links all lead to the page itself, none to a place on it (``#``):
    a blog's post title links to the post (its permalink), and where ``<title>`` names only the blog,
    that link is what says the heading is this page's headline."""
    for index, block in enumerate(blocks):
        if (
            _tag(block) in PERMALINK_HEADINGS
            and block.links
            and could_be_headline(block, page_url)
            and all(leads_here(link.href, page_url) for link in block.links)
            and all(_is_address(anchor.get("href")) for anchor in block.node.iter("a"))
        ):
            return Headline(block.text, index, _tag(block))
    return None


def _is_address(href: str | None) -> bool:
    """An ``href`` that names a page, not a place on this one (``#``, ``#top``) or nothing."""
    return bool(href and href.strip() and not href.strip().startswith("#"))


def _shown_text(block: Block, candidate: str) -> str:
    """The headline from the block that agrees with ``candidate``: the block's own words, unless the
    block adds a trailing or leading widget label to the title's words."""
    block_squashed, wanted = squash(block.text), squash(candidate)
    if wanted != block_squashed and wanted in block_squashed:
        return candidate
    return block.text


def agreeing_headline(
    blocks: Sequence[Block], candidates: Iterable[str], page_url: str | None = None
) -> Headline | None:
    """The block that best agrees with a title candidate: one that agrees strongly, then a heading
    (``<h1>``–``<h6>`` or a bold line) over other blocks (a ``原标题：`` line repeats the title too),
    then one that is not a link over a heading linking to ``page_url`` (a blog titles its post with
    a link to the post, and a "most read" box may list the page itself), then the longest (a site's
    name agrees with its part of ``<title>`` as well as the headline does with its own, and a headline
    may carry a widget's label), then the strongest heading element, then the first."""
    wanted = [(candidate, squash(candidate)) for candidate in dict.fromkeys(candidates)]
    wanted = [(candidate, squashed) for candidate, squashed in wanted if len(squashed) >= MIN_CHARS]
    if not wanted:
        return None
    # Agreement needs comparable lengths: most blocks of a page can be passed over by length alone.
    shortest = MIN_AGREEMENT * min(len(squashed) for _, squashed in wanted)
    longest = 3 * max(len(candidate) for candidate, _ in wanted) / MIN_AGREEMENT
    best: tuple[bool, bool, bool, int, int, float, int] | None = None
    found: Headline | None = None
    for index, block in enumerate(blocks):
        if not shortest <= len(block.text) <= longest or not could_be_headline(block, page_url):
            continue
        squashed = squash(block.text)
        score, candidate = max(((_agreement(squashed, s), c) for c, s in wanted), default=(0.0, ""))
        if score < MIN_AGREEMENT:
            continue
        heading = -HEADING_RANK.get(_tag(block), 4 if block.tag != "h" else 3)
        rank = (
            score >= STRONG_AGREEMENT,
            heading > -4,
            not block.mostly_links(),
            len(squashed),
            heading,
            score,
            -index,
        )
        if best is None or rank > best:
            best, found = rank, Headline(_shown_text(block, candidate), index, _tag(block))
    return found


def heading_above(blocks: Sequence[Block], first_body_block: int) -> Headline | None:
    """The heading that stands just above the body: an ``<h1>``–``<h3>``, a bold line or an element
    whose class says title, at most a few blocks up. Furniture (an advert's "Advertisement" label in
    an element whose class says ``ad-title``) and a writer's credit set as a heading ("Von Leonora
    Holling") stand there too and are passed over."""
    for index in range(first_body_block - 1, max(-1, first_body_block - 1 - HEADING_REACH), -1):
        block = blocks[index]
        if block.wrapper is not None or CREDIT_ONLY_LINE.match(block.text) or not could_be_headline(block):
            continue
        node = block.node
        classes = " ".join(filter(None, (node.get("class"), node.get("id")))) if node is not None else ""
        if _tag(block) in ("h1", "h2", "h3") or block.tag == "h" or TITLE_CLASS.search(classes):
            return Headline(block.text, index, _tag(block))
    return None


def post_headline(blocks: Sequence[Block], headline: Headline) -> Headline:
    """The post's own ``<h1>`` where the block agreeing with the title heads a card nested in the post
    below it: a recipe or how-to card repeats the dish's name in its heading, and a card is part of a
    post, not the post. The card is an element of its own (its heading and text inside it) set in the
    element that holds all of the post's running text between the ``<h1>`` and the card."""
    if headline.index is None or headline.tag == "h1":
        return headline
    above = next((index for index in range(headline.index - 1, -1, -1) if _tag(blocks[index]) == "h1"), None)
    if above is None or not could_be_headline(blocks[above]):
        return headline
    # Lines beside the <h1> in an element of their own (a byline, a date) are its header, not the post's text.
    parent = blocks[above].node.getparent()
    header = set() if holds(parent, blocks[headline.index].node) else set(parent.iter())
    post = [block for block in blocks[above + 1 : headline.index] if block.weight > 0 and block.node not in header]
    if sum(len(block.text) for block in post) < MIN_POST_TEXT_ABOVE_CARD:
        return headline
    card = _card(blocks[headline.index].node, [block.node for block in post])
    if card is None or not _heads(blocks[above].node, card.getparent()):
        return headline
    inside = set(card.iter())
    own = sum(len(block.text) for block in blocks[headline.index + 1 :] if block.node in inside and block.weight > 0)
    return Headline(blocks[above].text, above, "h1") if own >= MIN_POST_TEXT_ABOVE_CARD else headline


def _heads(headline: Any, body: Any) -> bool:
    """The ``<h1>`` heads the element holding the post's text: both sit in one post element, at most
    ``POST_LEVELS`` above that element (``article > header > h1`` beside ``article > div.entry-content``)."""
    ancestors = set(headline.iterancestors())
    node = body
    for _ in range(POST_LEVELS + 1):
        if node is None or node.tag in ("body", "html"):
            return False
        if node in ancestors:
            return True
        node = node.getparent()
    return False


def _card(heading: Any, post: Sequence[Any]) -> Any:
    """The element around ``heading`` that holds none of the ``post`` elements' text, set in one that
    holds all of them below the page's ``<body>``; ``None`` when there is no such element."""
    holders = [set(node.iterancestors()) for node in post]
    child = heading
    for node in heading.iterancestors():
        if any(node in ancestors for ancestors in holders):
            whole = all(node in ancestors for ancestors in holders) and node.tag not in ("body", "html")
            return child if whole and child is not heading else None
        child = node
    return None


def headline_in_body(blocks: Sequence[Block], headline: Headline, container: Any) -> Headline:
    """The ``<h1>`` above the body where the block agreeing with the title stands inside the located
    body's ``container`` below running text of it: that block is a heading within the post (a card's,
    a section's), and the post is headed above its first running text. Without such an ``<h1>`` the
    agreeing block stays."""
    if headline.index is None or headline.tag == "h1":
        return headline
    inside = set(container.iter())
    if blocks[headline.index].node not in inside:
        return headline
    first = next((at for at in range(headline.index) if blocks[at].weight > 0 and blocks[at].node in inside), None)
    if first is None:
        return headline
    above = heading_above(blocks, first)
    return above if above is not None and above.tag == "h1" else headline
