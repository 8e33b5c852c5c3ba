"""Posts of one kind repeated in a page: a forum thread's posts, a blog's comments, the stories an
infinite-scroll template stacks above and below the one asked for. One of them is the article.

Readers tell these apart by shape, not by words: alike elements (same tag, same class and id up to
their numbers) that each carry a dated line and text of their own are posts. The post where the
article's text begins is the article: the first post of a thread, the story under the page's
headline. Its alike neighbours are not its text: later posts without a headline of their own are
comments (counted, not read), posts with one are other stories. Alike posts that only begin after
the article's text has begun, with none of it inside them, are a comment list below the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from crawler.extraction.blocks import Block, holds
from crawler.extraction.dates import find_date
from crawler.extraction.patterns import HEADING_TAGS
from crawler.extraction.verdict import MIN_RUNNING_CHARS, SHORT_PAGE_CHARS

#: At least this many alike posts make a thread, a comment list or a stack of stories.
MIN_POSTS = 2
#: A dated line is at most this long: a post's "posted by … at …" line, not a paragraph naming a day.
DATED_LINE_CHARS = 150
#: A post holds at least this much running text (characters) of its own.
MIN_POST_TEXT = 20
#: Elements that may be a post; paragraphs and inline elements are pieces of one.
POST_TAGS = frozenset({"div", "article", "section", "li", "table", "tr", "td", "dd", "dl"})
#: Numbers in class and id names tell posts apart (``post_9012``, ``comment-31``): they are not its kind.
NUMBERS = re.compile(r"\d+")
#: A line with fewer digits shows no full date (``1/5/24`` has four, ``发表于 2025-11-21`` eight).
DIGIT = re.compile(r"\d")
MIN_DATE_DIGITS = 4


@dataclass(frozen=True)
class Posts:
    """What the article's container holds besides the article's own post."""

    nodes: frozenset[Any]
    """Elements whose text is not the article's: comments, neighbouring stories, and whatever follows
    the article once the next story has begun."""
    comments: int
    """How many comments follow the article (a thread's replies, a blog's responses)."""

    def own(self, blocks: Sequence[Block]) -> list[Block]:
        """The blocks that are the article's."""
        return [block for block in blocks if block.node not in self.nodes] if self.nodes else list(blocks)

    def last_own(self, blocks: Sequence[Block], first: int, last: int) -> int:
        """The last block of running text from ``first`` to ``last`` that is the article's."""
        for index in range(last, first, -1):
            if blocks[index].weight > 0 and blocks[index].node not in self.nodes:
                return index
        return first


NO_POSTS = Posts(frozenset(), 0)


def kind(element: Any) -> tuple[str, str, str]:
    """What makes elements alike: their tag, their first class name and their id, numbers aside."""
    return _kind(element.tag, element.get("class"), element.get("id"))


@lru_cache(maxsize=8192)
def _kind(tag: str, classes: str | None, name: str | None) -> tuple[str, str, str]:
    """``kind`` from the attributes (cached: a page repeats its class names)."""
    first = (classes or "").split()
    return tag, NUMBERS.sub("", first[0] if first else ""), NUMBERS.sub("", name or "")


def separate_posts(container: Any, blocks: Sequence[Block], start: int, headline: int | None) -> Posts:
    """The comments and neighbouring stories of an article located in ``container`` whose running text
    begins at page block ``start`` under the headline block ``headline``. A thread's posts are looked
    for around the start of the article's text, also outside the container: the locator may have
    chosen the first post alone."""
    owner = _Spans(blocks)
    inside = set(container.iter())
    above = set(container.iterancestors())
    left_out: set[Any] = set()
    comments: list[Any] = []
    end = len(blocks)
    # The article's text begins at the first running text that is not the headline itself.
    start = next((at for at in range(start, len(blocks)) if at != headline and blocks[at].weight > 0), start)
    for group in _candidate_groups(container, blocks[start].node, owner):
        spans = [owner[member] for member in group]
        holds_start = any(start in span for span in spans)
        below = all(span.start > start for span in spans) and all(member in inside for member in group)
        if not holds_start and not below:
            continue  # neither the article's own posts nor a list in its container below its start
        posts = _posts(group, owner, blocks)
        if len(posts) < MIN_POSTS or 2 * len(posts) < len(group):
            continue
        holding = [post for post in posts if start in owner[post]]
        if holding:
            article = holding[0]
            if article is not posts[0] and (headline is None or headline not in owner[article]):
                continue  # the text begins in a later post that the headline does not head: no thread
            others = [post for post in posts if post is not article]
            if any(post in above for post in others):
                continue  # the located text lies in another of them: they are sections of one page
            stories = [post for post in others if owner[post].start > start and _headed(owner[post], blocks)]
            if stories:  # the next story begins: the article ends with its own post
                end = min(end, owner[article].stop)
        elif all(owner[post].start > start and post in inside for post in posts):
            others = posts  # a comment list below the article
        else:
            continue
        left_out.update(others)
        comments += [post for post in others if owner[post].start > start and not _headed(owner[post], blocks)]
    if not left_out and end == len(blocks):
        return NO_POSTS
    outermost = {post for post in comments if not any(parent in left_out for parent in post.iterancestors())}
    nodes = {node for post in left_out for node in post.iter()}
    nodes.update(blocks[index].node for index in range(end, len(blocks)) if blocks[index].node in inside)
    own = sum(
        len(block.text)
        for index, block in enumerate(blocks)
        if index != headline and block.weight > 0 and block.node in inside and block.node not in nodes
    )
    if own < (MIN_RUNNING_CHARS if headline is not None else SHORT_PAGE_CHARS):
        return NO_POSTS  # what would be left is too little for an article: the posts were its sections
    return Posts(frozenset(nodes), len(outermost))


class _Spans:
    """The page blocks under an element, as a range of block indices (the blocks of an element's
    subtree follow one another in reading order); worked out for the elements asked about only."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.indices_of: dict[Any, list[int]] = {}
        for index, block in enumerate(blocks):
            if block.node is not None:
                self.indices_of.setdefault(block.node, []).append(index)
        self.known: dict[Any, range] = {}

    def holders(self) -> set[Any]:
        """Every element that holds a block: each block's ancestors, walked up until one already met."""
        found: set[Any] = set()
        for node in self.indices_of:
            while node is not None and node not in found:
                found.add(node)
                node = node.getparent()
        return found

    def __getitem__(self, element: Any) -> range:
        span = self.known.get(element)
        if span is None:
            indices = [index for node in element.iter() for index in self.indices_of.get(node, ())]
            span = range(min(indices), max(indices) + 1) if indices else range(0)
            self.known[element] = span
        return span


def _candidate_groups(container: Any, start: Any, spans: _Spans) -> list[list[Any]]:
    """Alike elements holding text that may be posts: children of one kind of the elements of
    ``container``, and the siblings of the elements around it that lead to the article's first
    running text (``start``): a thread's first post may be all the locator chose."""
    holders = spans.holders()
    groups = []
    for element in container.iter():
        if len(element) < MIN_POSTS:
            continue
        children: dict[tuple[str, str, str], list[Any]] = {}
        for child in element:
            if child in holders and _may_be_post(child):
                children.setdefault(kind(child), []).append(child)
        groups += [members for members in children.values() if len(members) >= MIN_POSTS]
    for node in (container, *container.iterancestors()):
        parent = node.getparent()
        if parent is None:
            break
        if _may_be_post(node) and holds(node, start):
            shape = kind(node)
            members = [child for child in parent if child in holders and _may_be_post(child) and kind(child) == shape]
            if len(members) >= MIN_POSTS:
                groups.append(members)
    return groups


def _may_be_post(element: Any) -> bool:
    return isinstance(element.tag, str) and element.tag in POST_TAGS


def _posts(group: Sequence[Any], owner: _Spans, blocks: Sequence[Block]) -> list[Any]:
    """The members of ``group`` that are posts: each carries a dated line in the same place (elements
    of one kind: every reply's ``发表于 …`` line, every comment's "Posted by … at …") and running text
    of its own besides it. A date somewhere in a section of an article is not a post's header."""
    dated: dict[Any, set[tuple[str, str, str]]] = {}
    for member in group:
        kinds = _dated_kinds(owner[member], blocks)
        if kinds:
            dated[member] = kinds
    counts: dict[tuple[str, str, str], int] = {}
    for kinds in dated.values():
        for shape in kinds:
            counts[shape] = counts.get(shape, 0) + 1
    if not counts:
        return []
    shared = max(counts, key=lambda shape: counts[shape])
    return [member for member in group if shared in dated.get(member, ())]


def _dated_kinds(indices: Sequence[int], blocks: Sequence[Block]) -> set[tuple[str, str, str]]:
    """The kinds of the elements showing a date in a post, when the post has running text besides."""
    own = [blocks[index] for index in indices]
    if sum(len(block.text) for block in own if block.weight > 0) < MIN_POST_TEXT:
        return set()
    lines = [block for block in own if block.node is not None and _shows_date(block.text)]
    dated = {id(block) for block in lines}
    if sum(len(block.text) for block in own if block.weight > 0 and id(block) not in dated) < MIN_POST_TEXT:
        return set()
    return {kind(block.node) for block in lines}


@lru_cache(maxsize=4096)
def _shows_date(text: str) -> bool:
    """A short line with a full date: a post's header. Cached, since the posts of nested groups of
    one page are the same blocks asked about again."""
    return (
        len(text) <= DATED_LINE_CHARS
        and len(DIGIT.findall(text)) >= MIN_DATE_DIGITS
        and find_date(text, partial=False) is not None
    )


def _headed(indices: Sequence[int], blocks: Sequence[Block]) -> bool:
    """A post that opens with a heading element: a story of its own, not a reply."""
    for index in indices:
        block = blocks[index]
        if getattr(block.node, "tag", None) in HEADING_TAGS:
            return True
        if block.weight > 0:
            return False
    return False
