"""Item loaders: compose the cleaning processors into an ``Article``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from itemloaders import ItemLoader
from itemloaders.processors import Compose, Identity, MapCompose, TakeFirst

from crawler.extraction.blocks import Block, fold_variants, normalize_space
from crawler.extraction.items import Article
from crawler.extraction.patterns import (
    BRACKETED,
    GLUED_LEAD_BYLINE,
    GLUED_ROLE_NAME,
    LEAD_CREDIT,
    LEAD_WIRE_BYLINE,
    NOT_NAME_WORDS,
    REPORTED_BYLINE,
    SURNAMES,
)
from crawler.extraction.processors import (
    BLOCK_RULES,
    LIST_RULES,
    bare_names,
    clean_name,
    closing_names,
    credited_names,
    editor_names,
    first_drop,
    is_ad_phrase,
    names_in_byline,
    paragraph_lines,
    reporter_names,
    split_names,
    strip_title_ad_prefix,
)

#: How much of the first and last paragraph is searched for an inline byline (本报讯（记者 张三）…).
INLINE_BYLINE_CHARS = 40
#: The length of most Chinese full names: a one-character surname and a two-character given name.
FULL_NAME_CHARS = 3


def unique(values: Iterable[Any]) -> list[Any]:
    """Output processor for list fields: values in first-seen order, without repeats or blanks."""
    seen: dict[Any, None] = {}
    for value in values:
        if value not in (None, "") and value not in seen:
            seen[value] = None
    return list(seen)


def byline_names(block: Block) -> list[str]:
    """Authors named by a block the cleaner dropped as a byline. With no byline pattern to read it by,
    its names are read as a run whose roles may change (学生记者 … 指导老师 …: the adviser did not
    write it)."""
    reporter = reporter_names(block.text)
    if reporter is not None:
        return reporter
    return names_in_byline(block.text) or credited_names("", block.text)


def body_byline_names(blocks: Sequence[Block]) -> list[str]:
    """Authors named in the body, in reading order: a byline opening the first kept paragraph
    (本报讯（记者 张三）…), paragraphs dropped as bylines, and a byline or bare credit closing the last
    kept paragraph (…（记者 张三）, …（王小明））."""
    kept = [index for index, block in enumerate(blocks) if block.kept and block.text]
    first, last = (kept[0], kept[-1]) if kept else (-1, -1)
    names: list[str] = []
    for index, block in enumerate(blocks):
        if index == first:
            names += _opening_byline_names(block.text[:INLINE_BYLINE_CHARS])
        if block.reason == "byline":
            names += byline_names(block)
        if block.reason == "editor-line":  # 策划：赵刚 记者：王小明: the writers credited beside the editors
            names += names_in_byline(block.text)
        if index == last:
            tail = block.text[-INLINE_BYLINE_CHARS:]
            names += _bracketed_byline_names(tail) or closing_names(tail)
    return names


def _bracketed_byline_names(text: str) -> list[str]:
    return [name for aside in BRACKETED.findall(text) for name in names_in_byline(aside)]


def _opening_byline_names(text: str) -> list[str]:
    """Names of a byline opening the lead: in brackets (本报讯（记者 张三）…, 〔記者王小明／台北報導〕…) or
    not, where the place it was reported from closes it (記者王小明／台北報導　…, 中央社記者王小明台北17日電）…)
    or a space closes each name after its role (本报讯 记者王小明 通讯员李华 …), and bare names in the
    brackets after 讯 (本报讯（王小明 李华）…)."""
    start = len(text) - len(text.lstrip())
    folded = fold_variants(text)
    reported = REPORTED_BYLINE.match(folded, start) or LEAD_WIRE_BYLINE.match(folded)
    if reported:
        return split_names(text[reported.start("names") : reported.end("names")])
    glued = GLUED_LEAD_BYLINE.match(folded)
    if glued:
        credits = GLUED_ROLE_NAME.findall(text[glued.start("run") : glued.end("run")])
        names = [name for credit in credits for name in split_names(credit)]
        if all(_starts_as_name(name, len(names)) for name in names):
            return names
    credit = LEAD_CREDIT.match(text)
    return _bracketed_byline_names(text) or (bare_names(credit["names"]) if credit else [])


def _starts_as_name(word: str, credits: int) -> bool:
    """Whether a word glued to its role in a lead's byline of ``credits`` roles (记者王小明 …) is a name,
    not the words of a sentence that goes on after a space (记者近日 …): it starts with a surname, or,
    where the surname is too rare to be listed (记者荀晓峰 …), it holds none of the characters a phrase
    is made of (日, 了, 在…) and has a full name's three characters or stands in a run of credits (记者荀晓峰
    通讯员檀丽 …: a sentence does not go on role after role). Two characters after a lone role could as
    well be a verb (记者获悉 …)."""
    if word[0] in SURNAMES:
        return True
    return (len(word) == FULL_NAME_CHARS or credits > 1) and not NOT_NAME_WORDS.search(word)


class ArticleLoader(ItemLoader):
    """Loads an :class:`Article`. Add candidate values best first; scalar fields keep the first.

    The ``body`` field takes the container's blocks and runs the cleaning rules over them; it is not an
    article field itself: :meth:`load_item` turns it into ``paragraphs``, ``text``, ``removed``,
    ``images`` and the names found in bylines and editor lines.
    """

    default_item_class = dict
    default_input_processor = MapCompose(str.strip)
    default_output_processor = TakeFirst()

    title_in = MapCompose(normalize_space, strip_title_ad_prefix)
    body_in = Compose(MapCompose(first_drop(*BLOCK_RULES)), *LIST_RULES)
    body_out = Identity()
    authors_in = MapCompose(clean_name)
    authors_out = unique
    editors_in = MapCompose(clean_name)
    editors_out = unique
    keywords_in = MapCompose(normalize_space)
    keywords_out = unique
    images_in = Identity()
    images_out = unique

    def load_item(self) -> Article:
        blocks: list[Block] = self.get_collected_values("body")
        kept = [block for block in blocks if block.kept]
        paragraphs = paragraph_lines([block for block in kept if block.text])
        self.add_value("authors", body_byline_names(blocks))
        for block in blocks:
            if block.reason == "editor-line":
                self.add_value("editors", editor_names(block.text))
        self.add_value("images", [image for block in kept for image in block.images])
        fields = super().load_item()
        fields.pop("body", None)
        text = "\n".join(paragraphs)
        fields["keywords"] = [word for word in fields.get("keywords", []) if not is_ad_phrase(word, text)]
        return Article(
            **fields,
            paragraphs=paragraphs,
            text=text,
            removed=[
                {"reason": block.reason or "", "text": block.text or " ".join(block.images)}
                for block in blocks
                if not block.kept
            ],
        )
