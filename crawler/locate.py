"""Find the article in a page by measured signals: where running text is dense, links are sparse,
and the headline stands above it.

Every block of the page gets a weight: running text (sentence punctuation, few links) counts for its
length, link lists and blocks inside furniture wrappers count against, short labels count for
nothing. The article container is the element whose blocks weigh the most, reading only what lies
between the headline and the next article's headline. One walk of the page, one pass up the tree:
time grows with the page, not with its square.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crawler.blocks import Block
from crawler.headline import squash
from crawler.patterns import SENTENCE_PUNCT

#: A block whose text is at least this share links is a link list, not running text.
LINK_BLOCK_DENSITY = 0.5
#: Shorter blocks without sentence punctuation are labels: they weigh nothing either way.
LABEL_CHARS = 30
#: Running text (characters) an article shows before another ``<h1>`` can start the next article.
MIN_ARTICLE_BEFORE_NEXT = 50
#: Less running text than this below the headline, and ...
MIN_TEXT_BELOW_HEADLINE = 50
#: ... at least this much elsewhere: the block taken for the headline was not the article's.
MIN_TEXT_ANYWHERE = 200
#: Elements that may hold an article; the others are inline or tabular pieces of one.
CONTAINER_TAGS = frozenset(
    {"div", "article", "section", "main", "td", "table", "tbody", "body", "center", "font", "span", "form", "ul", "dl"}
)


def block_weight(block: Block) -> float:
    """How much a block says "article text here": its length for running text, minus its length for
    link lists and furniture, nothing for short labels."""
    length = len(block.text)
    if not length:
        return 0.0
    if block.wrapper is not None:
        return -float(length)
    link_share = block.link_text_length / length
    if link_share >= LINK_BLOCK_DENSITY:
        return -float(length)
    if length < LABEL_CHARS and not SENTENCE_PUNCT.search(block.text):
        return 0.0
    return length * (1.0 - link_share)


@dataclass(frozen=True)
class Location:
    """Where the article is: its container element, and the evidence for choosing it."""

    container: Any
    score: float
    text_chars: int
    link_chars: int
    paragraphs: int
    first_index: int
    """The page block where the article's running text begins."""

    def describe(self) -> str:
        node = self.container
        name = node.tag
        if node.get("id"):
            name += f"#{node.get('id')}"
        elif node.get("class"):
            name += "." + ".".join(node.get("class").split()[:2])
        return (
            f"{name}: {self.paragraphs} paragraphs, {self.text_chars} characters of running text, "
            f"{self.link_chars} in links"
        )


def article_range(blocks: Sequence[Block], headline: int | None) -> tuple[int, int]:
    """The blocks that may belong to the article: from the headline to the next ``<h1>`` with other
    words once the article's running text has begun (an auto-loaded second article), or the whole
    page without a headline. Pages that show their headline twice (a sticky header) repeat the same
    words, and pages that use ``<h1>`` for widget titles put them before any text of the article."""
    if headline is None:
        return 0, len(blocks)
    if getattr(blocks[headline].node, "tag", None) != "h1":
        return headline, len(blocks)
    words = squash(blocks[headline].text)
    running = 0.0
    for index in range(headline + 1, len(blocks)):
        block = blocks[index]
        if (
            running >= MIN_ARTICLE_BEFORE_NEXT
            and getattr(block.node, "tag", None) == "h1"
            and block.text
            and squash(block.text) != words
        ):
            return headline, index
        running += max(block_weight(block), 0.0)
    return headline, len(blocks)


def locate(root: Any, blocks: Sequence[Block], headline: int | None) -> Location | None:
    """The element that holds the article, or ``None`` when no element holds running text.
    ``headline`` is the index of the block showing the headline, when the page shows one.

    Below a headline the article must begin: where almost nothing readable follows the block taken
    for the headline (a teaser of the same story, a title repeated in the footer), the whole page
    is read instead."""
    below = _locate(root, blocks, article_range(blocks, headline))
    if headline is None or (below is not None and below.text_chars >= MIN_TEXT_BELOW_HEADLINE):
        return below
    anywhere = _locate(root, blocks, (0, len(blocks)))
    if anywhere is not None and anywhere.text_chars >= MIN_TEXT_ANYWHERE:
        return anywhere
    return below


def _locate(root: Any, blocks: Sequence[Block], span: tuple[int, int]) -> Location | None:
    start, end = span
    scores: dict[Any, float] = {}
    for index in range(start, end):
        block = blocks[index]
        if block.node is not None:
            scores[block.node] = scores.get(block.node, 0.0) + block_weight(block)
    elements = list(root.iter())
    for element in reversed(elements):
        score = scores.get(element)
        if score is None:
            continue
        parent = element.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + score
    best, best_score, best_depth = None, 0.0, -1
    depth: dict[Any, int] = {}
    for element in elements:
        parent = element.getparent()
        depth[element] = depth.get(parent, -1) + 1 if parent is not None else 0
        score = scores.get(element)
        if score is None or not isinstance(element.tag, str) or element.tag not in CONTAINER_TAGS:
            continue
        if score > best_score or (score == best_score and depth[element] > best_depth):
            best, best_score, best_depth = element, score, depth[element]
    if best is None:
        return None
    inside = set(best.iter())
    members = [index for index in range(start, end) if blocks[index].node in inside]
    running = [index for index in members if block_weight(blocks[index]) > 0]
    return Location(
        container=best,
        score=best_score,
        text_chars=sum(len(blocks[index].text) for index in running),
        link_chars=sum(blocks[index].link_text_length for index in members),
        paragraphs=len(running),
        first_index=running[0] if running else (members[0] if members else start),
    )
