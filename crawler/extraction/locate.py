"""Find the article in a page by measured signals: where running text is dense, links are sparse,
and the headline stands above it.

Every block of the page gets a weight: running text (sentence punctuation, few links) counts for its
length, link lists and blocks inside furniture wrappers count against, short labels count for
nothing. The article container is the element whose blocks weigh the most, reading only what lies
between the headline and the next article's headline. One walk of the page, one pass up the tree:
time grows with the page, not with its square.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from crawler.extraction.blocks import Block, holds
from crawler.extraction.headline import squash
from crawler.extraction.posts import MIN_POSTS, kind

#: Running text (characters) an article shows before another ``<h1>`` can start the next article.
MIN_ARTICLE_BEFORE_NEXT = 50
#: Less running text than this below the headline, and ...
MIN_TEXT_BELOW_HEADLINE = 50
#: ... at least this much elsewhere: the block taken for the headline was not the article's.
MIN_TEXT_ANYWHERE = 200
#: How much links and furniture count against an element when locating: less than running text counts
#: for it, so an article split by a table of contents or an advert is found whole; the cleaning rules
#: then trim what the container holds around the article.
LOCATE_PENALTY = 0.5
#: What an element's score is worth to its parent: text far down a page's tree (teasers in list items
#: in sidebars) says less about an outer element than the paragraphs it holds directly.
LOCATE_DECAY = 0.8
#: Across an interruption of at most this many blocks ...
BRIDGE_BLOCKS = 15
#: ... and this much link and furniture text (characters) ...
BRIDGE_GAP = 400
#: ... the article goes on where a paragraph at least this long follows. A label (a list's short item,
#: a "Step 2" heading) counts as this share of a block of the interruption.
BRIDGE_PARAGRAPH = 120
LABEL_GAP = 0.5
#: Text this close below the headline (in blocks: a meta line, a share bar, a lead image between) ...
LEAD_BLOCKS = 20
#: ... counts this many times over: a reader expects the article right under its headline, and a short
#: story must not lose to a wordy footer or a teaser far down the page.
LEAD_BONUS = 2.0
#: The share of an element's running text that the child its headline stands in must hold to be the
#: article's column (see ``_headlines_column``).
COLUMN_SHARE = 0.5
#: Text above the headline this many times longer than the text below it: the headline is misplaced.
ABOVE_HEADLINE_FACTOR = 3
#: The furniture reason of reader comments.
COMMENTS = "comments"
#: Furniture past which the article's text does not run on downwards (see :func:`_reach`): what
#: closes an article, its share bar, its comments and the links to other posts or pages.
ENDS_BELOW = frozenset({"navigation", "share", COMMENTS})
#: Elements that may hold an article; the others are inline or tabular pieces of one.
CONTAINER_TAGS = frozenset(
    {
        "div",
        "article",
        "section",
        "main",
        "td",
        "table",
        "tbody",
        "body",
        "html",
        "center",
        "font",
        "span",
        "form",
        "ul",
        "dl",
    }
)


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
    last_index: int
    """The page block where it ends."""
    beside: tuple[Any, ...] = ()
    """Children of ``container`` beside the article, mostly links: the container was grown to take in
    text right above or below the element first found (a deck, a lead picture's caption), and they
    came in with it (the rail beside the story's column)."""

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
        running += max(block.weight, 0.0)
    return headline, len(blocks)


def locate(root: Any, blocks: Sequence[Block], headline: int | None) -> Location | None:
    """The element that holds the article, or ``None`` when no element holds running text.
    ``headline`` is the index of the block showing the headline, when the page shows one.

    Below a headline the article must begin. Where almost nothing readable follows the block taken
    for the headline, or far more text stands above it, that block was not the article's headline (a
    teaser of the same story, a title repeated in a sidebar or footer): the whole page is read instead."""
    found = _locate_running_text(root, blocks, headline)
    if found is None and headline is not None:
        # No running text anywhere on the page: verse, lyrics, a list of short items. The body is then
        # where unlinked lines gather below the headline; the verdict weighs whether they make an article.
        return _locate(root, blocks, article_range(blocks, headline), headline, _line_weight)
    return found


def _locate_running_text(root: Any, blocks: Sequence[Block], headline: int | None) -> Location | None:
    below = _locate(root, blocks, article_range(blocks, headline), headline)
    if headline is None:
        return below
    below_chars = below.text_chars if below is not None else 0
    if below_chars >= MIN_TEXT_ANYWHERE:
        return below
    anywhere = _locate(root, blocks, (0, len(blocks)))
    if anywhere is None or anywhere.text_chars < MIN_TEXT_ANYWHERE:
        return below
    thin = below_chars < MIN_TEXT_BELOW_HEADLINE
    above = _running_chars_before(anywhere, blocks, headline) >= ABOVE_HEADLINE_FACTOR * below_chars
    return anywhere if thin or above else below


def _running_chars_before(location: Location, blocks: Sequence[Block], index: int) -> int:
    """The running text ``location`` holds above block ``index``: a body that reaches down to a
    misplaced headline (a hidden copy of it closing the body) still stands above it."""
    inside = set(location.container.iter())
    return sum(
        len(block.text) for block in blocks[location.first_index : index] if block.node in inside and block.weight > 0
    )


def _line_weight(block: Block) -> float:
    """A block's weight where a page has no running text: a short unlinked line counts for its
    length as a paragraph would (a line of verse), links and furniture against as always."""
    return float(len(block.text)) if block.weight == 0 and not block.links else block.weight


def _running_weight(block: Block) -> float:
    """A block's weight when locating: comments count neither way. They are not the article's text,
    but they sit under an article, often inside its container, and must not outweigh it there."""
    return 0.0 if block.wrapper == COMMENTS else block.weight


def _locate(
    root: Any,
    blocks: Sequence[Block],
    span: tuple[int, int],
    headline: int | None = None,
    weigh: Callable[[Block], float] = _running_weight,
) -> Location | None:
    start, end = span
    scores: dict[Any, float] = {}
    # Running text (its weight, undecayed) each element holds, for the headline's column.
    text_weight: dict[Any, float] = {}
    lead_end = headline + LEAD_BLOCKS if headline is not None else -1
    for index in range(start, end):
        block = blocks[index]
        if block.node is not None:
            weight = weigh(block)
            if weight > 0:
                text_weight[block.node] = text_weight.get(block.node, 0.0) + weight
            if weight > 0 and index <= lead_end:
                weight *= LEAD_BONUS
            scores[block.node] = scores.get(block.node, 0.0) + (weight if weight > 0 else weight * LOCATE_PENALTY)
    elements = list(root.iter())
    for element in reversed(elements):
        score = scores.get(element)
        if score is None:
            continue
        parent = element.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0.0) + score * LOCATE_DECAY
            if element in text_weight:
                text_weight[parent] = text_weight.get(parent, 0.0) + text_weight[element]
    # The best-scoring element; among equals the first met, which is the deepest (scores were
    # filled from the blocks' own elements up).
    best, best_score = None, 0.0
    for element, score in scores.items():
        if score > best_score and isinstance(element.tag, str) and element.tag in CONTAINER_TAGS:
            best, best_score = element, score
    if best is None:
        return None
    # The headline opens the span; the body grows up to the block below it, never over it (a headline
    # that reads like a sentence would otherwise pull in the meta lines between it and the text).
    heading = blocks[headline].node if headline is not None else None
    if heading is not None and not holds(best, heading):
        best = _headlines_post(best, heading, text_weight)
    column = _headlines_column(best, heading, text_weight) if heading is not None else None
    if column is not None:
        best = column
    else:
        column = _column(heading, best)
    found = best
    best, reached = _extend_to_adjacent_text(best, blocks, start + 1 if headline is not None else start, end, column)
    inside = set(best.iter())
    members = [index for index in range(start, end) if blocks[index].node in inside]
    running = [index for index in members if weigh(blocks[index]) > 0]
    return Location(
        container=best,
        score=best_score,
        text_chars=sum(len(blocks[index].text) for index in running),
        link_chars=sum(blocks[index].link_text_length for index in members),
        paragraphs=len(running),
        first_index=running[0] if running else (members[0] if members else start),
        last_index=running[-1] if running else (members[-1] if members else start),
        beside=_beside(best, found, blocks, reached, weigh) if best is not found else (),
    )


def _beside(
    container: Any, found: Any, blocks: Sequence[Block], reached: tuple[int, int], weigh: Callable[[Block], float]
) -> tuple[Any, ...]:
    """The children of ``container`` (grown from ``found``) beside the article, the rail next to its
    column: past the child holding the article's last block (``reached``: its first and last) when
    that child holds ``found`` too (the text grew the container upwards only, to a deck or a lead
    picture above), and before the child holding its first block when that one holds ``found`` (it
    grew downwards only); and of those, the ones where links and furniture weigh more than running
    text. Where the text itself ran on into the next child (a how-to's steps, a section a child), the
    children past it are as likely more of it and stay; so does a child of running text the reading
    did not reach (the rest of a story past a gallery)."""
    children = [child for child in container if isinstance(child.tag, str)]
    own = _child_holding(container, found, children)
    low = _child_holding(container, blocks[reached[0]].node, children)
    high = _child_holding(container, blocks[reached[1]].node, children)
    if own is None or low is None or high is None:
        return ()
    candidates = [
        child
        for position, child in enumerate(children)
        if (position > high and high == own) or (position < low and low == own)
    ]
    if not candidates:
        return ()
    weight = dict.fromkeys(candidates, 0.0)
    owner = {node: child for child in candidates for node in child.iter()}
    for block in blocks:
        child = owner.get(block.node)
        if child is not None:
            weight[child] += weigh(block)
    return tuple(child for child in candidates if weight[child] < 0)


def _child_holding(container: Any, node: Any, children: list[Any]) -> int | None:
    """The position among ``children`` (of ``container``) of the one that holds ``node``."""
    while node is not None and node.getparent() is not container:
        node = node.getparent()
    return children.index(node) if node is not None and node in children else None


def _headlines_post(best: Any, heading: Any, text_weight: dict[Any, float]) -> Any:
    """The element the headline heads with its text when ``best`` stands apart from it: the nearest
    ancestor of the headline that holds running text, unless ``best`` lies inside it or holds
    ``ABOVE_HEADLINE_FACTOR`` times its text. A short post under its headline is the article, not the
    wordier widget in the column beside it; a headline over a deck alone heads the body elsewhere."""
    post = next(
        (
            element
            for element in heading.iterancestors()
            if element.tag in CONTAINER_TAGS and text_weight.get(element, 0.0) > 0
        ),
        None,
    )
    if post is None or holds(post, best):
        return best
    if text_weight.get(best, 0.0) >= ABOVE_HEADLINE_FACTOR * text_weight[post]:
        return best
    return post


def _headlines_column(best: Any, heading: Any, text_weight: dict[Any, float]) -> Any:
    """The element inside ``best`` that the headline heads: going down from ``best`` towards the
    headline, the last element on the way that holds most of the running text of the one above it
    (``text_weight``: the weight each element holds), unless what it stands beside is a run of alike
    posts (a blog's responses, a forum's replies: :mod:`crawler.extraction.posts` counts those);
    ``None`` when no element below ``best`` qualifies. A short story beside a column with a school's
    introduction in it can weigh less than the two columns together, but a reader reads the text
    under the headline: the story's column is the article, the introduction stands beside it."""
    chain = [heading, *heading.iterancestors()]
    if best not in chain:
        return None
    column = best
    for element in reversed(chain[: chain.index(best)]):
        held = text_weight.get(element, 0.0)
        if element.tag not in CONTAINER_TAGS or not held or held < COLUMN_SHARE * text_weight.get(column, 0.0):
            break
        beside = Counter(kind(child) for child in column if child is not element and text_weight.get(child))
        if max(beside.values(), default=0) >= MIN_POSTS:
            break
        column = element
    return None if column is best else column


def _column(heading: Any, container: Any) -> Any:
    """The column of the page the article stands in: the smallest element holding its headline's
    element (``heading``) and its container. ``None`` where there is no headline, or where it stands
    inside the container (a post's ``<article>`` heading its own text): the column is not known then,
    and the text may go on in an element after the container."""
    if heading is None:
        return None
    line = {container, *container.iterancestors()}
    found = next((element for element in (heading, *heading.iterancestors()) if element in line), None)
    return None if found is container else found


def _extend_to_adjacent_text(
    container: Any, blocks: Sequence[Block], start: int, end: int, column: Any = None
) -> tuple[Any, tuple[int, int]]:
    """The container grown to hold the running text that continues right before or after it with no
    link list or furniture in between: an article split into sections, or a lead paragraph set apart
    from the rest, is one article. Teasers further down, past a related list, are not, nor is text
    beside the article's ``column`` (see :func:`_column`): a school's introduction in the column next
    to the story reads like a paragraph of it. Also returns the first and last block the text reaches."""
    inside = set(container.iter())
    members = [index for index in range(start, end) if blocks[index].node in inside]
    if not members:
        return container, (start, start - 1)
    first, last = members[0], members[-1]
    first = _reach(blocks, first, -1, start)
    last = _reach(blocks, last, 1, end - 1, column)
    grown = container
    for index in (first, last):
        node = blocks[index].node
        while node is not None and not holds(grown, node):
            grown = grown.getparent()
    return (grown if grown is not None else container), (first, last)


def _closes(block: Block, column: Any) -> bool:
    """Whether ``block``, below the article, ends its run: furniture that closes an article
    (``ENDS_BELOW``), or any block outside the article's ``column`` (see :func:`_column`)."""
    if block.wrapper in ENDS_BELOW:
        return True
    return column is not None and block.node is not None and not holds(column, block.node)


def _reach(blocks: Sequence[Block], index: int, step: int, limit: int, column: Any = None) -> int:
    """The farthest block from ``index`` (going ``step``) up to which the article's text runs on: over
    labels and running text, and across a short interruption (a pull quote, a newsletter box, a
    caption) when a real paragraph follows it. Teasers are short; they do not pull the article on.
    Going down, a share bar, the comments and navigation end it (``ENDS_BELOW``), and so does the end
    of the ``column`` it stands in: what stands past a comment form or the links to the previous and
    next post is the next column of the page (a blog's "about" box in the rail beside it), never more
    of the story. Going up they do not: share buttons, a comment counter and breadcrumbs often sit
    between the headline and the text."""
    reached = index
    gap_weight, gap_blocks = 0.0, 0.0
    cursor = index + step
    while (cursor - limit) * step <= 0 and gap_blocks <= BRIDGE_BLOCKS:
        block = blocks[cursor]
        if step > 0 and _closes(block, column):
            break
        weight = block.weight
        if weight > 0 and (gap_weight == 0 or len(block.text) >= BRIDGE_PARAGRAPH):
            reached, gap_weight, gap_blocks = cursor, 0.0, 0.0
        else:
            gap_weight -= min(weight, 0.0)
            # Labels (a list's short items, a "Step 2" heading) interrupt the text less than links do.
            gap_blocks += 1 if weight else LABEL_GAP
            if gap_weight > BRIDGE_GAP:
                break
        cursor += step
    return reached
