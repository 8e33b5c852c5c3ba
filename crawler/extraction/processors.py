"""Item-loader processors: small pure functions that clean titles, names and article blocks.

Block rules mark a block as dropped, with a reason, instead of deleting it, so the article keeps a record
of everything the cleaner removed. Each rule judges structure as well as words: a line is spam because
it is short, links off-site and has no running-text punctuation, not because it says 医院.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from crawler.extraction.blocks import Block, fold_variants, normalize_space
from crawler.extraction.dates import find_date
from crawler.extraction.headline import squash
from crawler.extraction.patterns import (
    ABOUT_LINE,
    AD_DISCLOSURE,
    AD_LABEL,
    AD_PREFIX,
    AD_WORDS,
    ANY_CREDIT_LABEL,
    BAR,
    BARE_NAME_LINE,
    BARE_URL,
    BRACKETED_BYLINE,
    BYLINE_MARKS,
    BYLINE_NAMES,
    BYLINE_WORD,
    CAPTION,
    CJK_CHAR,
    CJK_PERSON_NAME,
    CLOSED_LINE,
    CLOSING_CREDIT,
    CLOSING_DATE,
    CLOSING_NAMES,
    COMMENTS_HEADING,
    COUNTER,
    CREDIT_LABEL,
    CREDITED_CAPTION,
    CREDITED_RUN,
    DATE_STAMP,
    DATE_THEN_REST,
    DATE_WORDS,
    EDITOR_LABEL,
    EDITOR_LINE,
    EDITOR_ROLE,
    EDITOR_ROLE_END,
    ENGLISH_BYLINE,
    ET_AL,
    FIELD_CELL,
    FOOTER,
    GLUED_PHOTO_CREDIT,
    GLUED_WRITER,
    HAN_RUN,
    IMAGE_CREDIT,
    KICKER,
    LABEL_CHARS,
    LABEL_ONLY_LINE,
    LATIN_WORD,
    LEAD_OUTLET,
    LEAD_WIRE_BYLINE,
    LIST_ENTRY_DENSITY,
    META_LINE_LABELS,
    NAME_CONJUNCTIONS,
    NAVIGATION,
    NOT_A_PERSON,
    NOT_NAME_TEXT,
    NOT_NAME_WORDS,
    OUTLET_NAME,
    OUTLET_ROLE_CHARS,
    OWN_TIME_FIELD,
    PAGINATION,
    PHOTO_CREDIT_END,
    PREV_NEXT,
    PROMO,
    PUBLIC_NOTICE,
    REL_PREV_NEXT,
    REL_TAG,
    RELATED_HEADING,
    REPORT_WORD_END,
    REPORTED_BYLINE,
    REPORTER_LINE,
    REPRINT_NOTICE,
    ROLE_WORDS,
    SENTENCE_END,
    SENTENCE_END_MARKS,
    SENTENCE_PUNCT,
    SENTENCE_STOP,
    SHARE,
    SIGNED_LINE,
    SLIDE_COUNTER,
    SPACED_NAME,
    STAMP_LABEL,
    SURNAMES,
    TAG_LINE,
    TITLE_AD_PREFIX,
    WIRE_BYLINE,
    WRITER_LINE,
)
from crawler.extraction.urls import is_off_site

Context = Mapping[str, Any]
Predicate = Callable[[Block, Context], bool]

#: Running text (characters) an article has told before a comments heading can open its comments.
ARTICLE_BEFORE_COMMENTS = 200
#: Reasons of the lines that close a story: nothing after them is the story's text.
END_MARKERS = frozenset({"editor-line"})
#: A signature's date line is no longer than this (characters).
SIGNATURE_DATE_LINE = 20
#: A dropped block weighs at least this much against the article's run, however short its text.
FURNITURE_RUN_WEIGHT = 20
#: A line that is only a date (and a label or two) is no longer than this ...
DATE_LINE = 60
#: ... and keeps at most this many characters once its date words are taken out.
DATE_LINE_REST = 8
#: Furniture lines are short; a longer block that happens to match a pattern is article text.
SHORT_LINE = 120
FOOTER_LINE = 200
CAPTION_LINE = 120
DISCLOSURE_LINE = 300
PROMO_LINE = 80
#: A caption with no mark, right under its picture, is at most this long (characters) ...
UNMARKED_CAPTION = 40
#: ... and has no inner punctuation: one short clause, closed by a full stop.
INNER_PUNCT = re.compile(r"[，,；;：:、]")
FULL_STOP_END = re.compile(r"(。|(?<!\.)\.)\s*$")
#: A Chinese sentence's end with more after it: the line holds a finished sentence.
FINISHED_SENTENCE = re.compile(rf"[{SENTENCE_END_MARKS}](?=.)")
#: A slideshow shows at least this many slides, numbered from 1 (see :func:`drop_slideshow`) ...
MIN_SLIDES = 3
#: ... and its blocks are dropped for this reason.
SLIDESHOW = "slideshow"
#: At most this many short unpunctuated lines after the story's last sentence are notes about it ...
END_NOTES = 3
#: ... each no longer than this (characters).
END_NOTE_CHARS = 60
TABLE_CELLS = frozenset({"td", "th"})
#: A data table has at least this many rows of two cells or more (a layout table holds one column).
DATA_TABLE_ROWS = 2
#: A box inside the story (related stories, a sign-up) is at most this many blocks (a heading and a
#: few links) and characters ...
BOX_BLOCKS = 6
BOX_CHARS = 400
#: ... and the story goes on below it when a paragraph at least this long follows.
PARAGRAPH_AFTER_BOX = 120
#: Block kinds that are parts of the story however short they are: headings, list items, table cells.
STRUCTURAL_KINDS = frozenset({"h", "li", "dd", "dt", "td", "th"})
#: How many of the body's first lines may be the story's date line (``Publikacja: 04.05.2021``,
#: ``Pubblicato il 19 Febbraio 2020 Ultima modifica …``): a lead paragraph may stand above it.
LEADING_LINES = 3
#: A date line is short, and says little besides the date: a label or two, a weekday, a section name.
LEADING_DATE_CHARS = 80
LEADING_DATE_WORDS = 4
#: Words of a line once its dates and numbers are taken out.
LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
#: How long a prompt closing the story may run, in a language written with spaces.
CLOSING_PROMO_LINE = 240
#: A line of names above the story: at most this long, naming at most this many people.
NAME_LINE_CHARS = 80
NAME_LINE_NAMES = 4
#: Lower-case words of a name at most this long are particles (van, de, la, von, bin), not words.
NAME_PARTICLE_CHARS = 3
#: A sentence going on after a run of byline names: a comma and a clause. (Its space starts where a run of
#: white space starts, so a long run is scanned once.)
RUNS_ON = re.compile(r"(?<!\s)\s*+[，,][^，,。：:；;]{6}")
#: What joins the names of a byline, and what a name's word looks like (``Jean-Luc``, ``O'Neil``, ``D.``).
#: A joiner starts where a run of white space starts, so a long run is scanned once, not from each space.
NAME_JOINER = re.compile(r"(?<!\s)\s*(?:[,&]|\s(?:and|und|i|et|y|e)\s)\s*")
NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?")

# --- Text processors -----------------------------------------------------------------------------


def strip_title_ad_prefix(title: str) -> str:
    """Drop a cosmetics/clinic tag such as ``[雅诗丽化妆品]`` that content farms put before headlines."""
    return TITLE_AD_PREFIX.sub("", title)


def is_ad_phrase(phrase: str, article_text: str) -> bool:
    """A keyword or line that names an ad product (治疗白癜风…) the article itself never mentions:
    content farms stuff their ad phrases into ``<meta name=keywords>`` too."""
    return bool(AD_WORDS.search(phrase)) and phrase not in article_text


def clean_name(name: str) -> str | None:
    """A person's name as a byline gives it, or ``None`` for what is not a person: numeric CMS ids and
    account names (``sina_mobile``, ``mcupdate``), departments (宣传部), outlets (新京报, 央视), 佚名, and whatever a
    label happened to precede (a title, an action, a file: 政策解读, 下载附件)."""
    name = normalize_space(name).strip("（）()【】[]/:：,，、 '\"‘’“”")
    unprefixed = BYLINE_WORD.sub("", name)
    if len(unprefixed.split()) >= 2:  # "By Jane Smith", "Por Ana Ruiz"; but "Di Stefano" is a name
        name = unprefixed
    folded = fold_variants(name)
    if not name or len(name) > 40 or NOT_A_PERSON.search(name) or NOT_NAME_TEXT.search(folded) or folded in ROLE_WORDS:
        return None  # (a role word alone is a label whose name did not read as one: 作者 admin)
    if not CJK_CHAR.search(name) and _reads_as_words(name):
        return None
    if name.isascii() and name.islower():
        return None  # an account's handle (mcupdate), not a name: Latin names are capitalised
    if CJK_CHAR.search(name) and (not CJK_PERSON_NAME.match(name) or OUTLET_NAME.search(fold_variants(name))):
        return None
    return name


def _reads_as_words(name: str) -> bool:
    """Latin letters that read as a phrase, not a name: a link's label (View my complete profile, View
    all posts by …) has several long lower-case words or an arrow; a name has particles at most (van,
    de la)."""
    long_lower = [word for word in name.split() if len(word) > NAME_PARTICLE_CHARS and word[0].islower()]
    return len(long_lower) >= 2 or any(mark in name for mark in "→»«›‹|")


def split_names(names: str) -> list[str]:
    """Names from a byline run: ``王建宏 张文攀``, ``牛镛、岳弘彬``, ``王建宏/张文攀``, ``王建宏 和 张文攀``,
    ``Jane Smith and Li Wei``, and ``王小寒刘进`` (no separator: split where a common surname starts a 2-3
    character name). "Et al." after the last name (王建宏等) is not part of it."""
    names = normalize_space(names)
    if not CJK_CHAR.search(names):
        return [part for part in re.split(r"\s*(?:,|，|、|\band\b|&)\s*", names) if part]
    names = ET_AL.sub("", names)
    parts = re.split(r"[\s、,，/／;；" + BAR + r"]+", names)
    parts = [part for part in parts if part and part not in NAME_CONJUNCTIONS]
    result: list[str] = []
    for part in _joined_latin_words(_joined_single_characters(parts)):
        result.extend(_split_run_of_names(part))
    return result


def _joined_latin_words(parts: list[str]) -> list[str]:
    """A foreign writer's name in Latin letters among Chinese ones (记者 John Smith 李华) is one name of
    several capitalised words, not one name a word."""
    joined: list[str] = []
    for part in parts:
        if joined and LATIN_WORD.fullmatch(part) and LATIN_WORD.match(joined[-1].rsplit(" ", 1)[-1]):
            joined[-1] += " " + part
        else:
            joined.append(part)
    return joined


def _joined_single_characters(parts: list[str]) -> list[str]:
    """Two-character names set with a space to line up with three-character ones (``周明远 何 静``):
    no Chinese name is one character, so two lone characters in a row are one name."""
    joined: list[str] = []
    for part in parts:
        if len(part) == 1 and joined and len(joined[-1]) == 1 and CJK_CHAR.match(part):
            joined[-1] += part
        else:
            joined.append(part)
    return joined


def _split_run_of_names(run: str) -> list[str]:
    # Only Chinese characters and nothing else are names glued together: a transliterated name's parts
    # are joined by a dot (约翰·史密斯), and an outlet's name in 《》 is no run of names. "And" glued
    # between two names (王明和李华, 王晓峰与李明) joins them where a surname follows it: read so before
    # a three-character head, as "and" joins names far more often than a name ends in 和 (李永和).
    if len(run) <= 4 or not HAN_RUN.fullmatch(run):
        return [run]
    for first in (2, 3):
        rest = run[first:]
        if rest[0] in NAME_CONJUNCTIONS and rest[1] in SURNAMES and 2 <= len(rest) - 1 <= 3:
            return [run[:first], rest[1:]]
    for first in (3, 2):
        head, rest = run[:first], run[first:]
        if rest and rest[0] in SURNAMES and 2 <= len(rest) <= 4:
            return [head, rest]
        if rest and rest[0] in SURNAMES and len(rest) > 4:
            tail = _split_run_of_names(rest)
            if len(tail) > 1:
                return [head, *tail]
    return [run]


def credited_names(role: str, run: str, after: str = "") -> list[str]:
    """The authors in a run of names after a byline's ``role`` (记者, 作者, 文…). The role changes
    mid-run ("记者 张三 摄影 陈晨", "文丨张三 编辑丨李四"): photo credits (图/摄影) name photographers and
    editor credits (编辑, 审核) editors, who are not authors; where the story was filed from (北京报道,
    发自北京) closes the run, and a picture's credit (记者 王小明 摄) names no author at all. ``after`` is
    the text after the run: where a sentence goes on there, the byline is glued to the lead ("文/王小明
    近日，…"), and a last word that starts with no surname is the sentence's first."""
    if PHOTO_CREDIT_END.match(after) or GLUED_PHOTO_CREDIT.search(fold_variants(run.strip())):
        return []
    names: list[str] = []
    for name in split_names(REPORT_WORD_END.sub("", run)):
        word = fold_variants(name)
        if word in ROLE_WORDS or EDITOR_ROLE.fullmatch(word):
            role = word
        elif len(word) <= OUTLET_ROLE_CHARS and (editor := EDITOR_ROLE_END.search(word)):
            role = editor[0]
        elif not IMAGE_CREDIT.match(role) and not EDITOR_ROLE.fullmatch(role):
            names.append(name)
    if len(names) > 1 and RUNS_ON.match(after) and names[-1][0] not in SURNAMES:
        names.pop()
    return names


def names_in_byline(text: str) -> list[str]:
    """Authors named by a byline anywhere in a short text: ``本报讯（记者 张三）``,
    ``新华社北京4月24日电（记者 胡晓蓉）``, ``作者:王小寒 刘进``, ``By Jane Smith, Education Reporter``
    (see :func:`credited_names`)."""
    english = ENGLISH_BYLINE.match(text)
    if english:
        return split_names(english.group("names"))
    text = SPACED_NAME.sub(r"\1\2", text)
    folded = fold_variants(text)
    names: list[str] = []
    for match in BYLINE_NAMES.finditer(folded):
        run = text[match.start("names") : match.end("names")]
        names += credited_names(match.group("role"), run, after=folded[match.end("names") :])
    # "（记者叶婉）", "（中央社記者邱俊欽桃園19日電）", "記者王小明／台北報導": no space after the role, the
    # brackets or the slash bound the names.
    bounded = (WIRE_BYLINE.search(folded) or REPORTED_BYLINE.search(folded)) if not names else None
    if bounded:
        names = credited_names("记者", text[bounded.start("names") : bounded.end("names")])
    glued = GLUED_WRITER.search(folded) if not names else None
    if glued and glued["names"][0] in SURNAMES and clean_name(glued["names"]):
        names = [text[glued.start("names") : glued.end("names")]]
    return names or signed_names(text)


def signed_names(text: str) -> list[str]:
    """The names of a line that says only who filed the story and from where (王小明 发自 某地) or
    signs the writing (王小明/文). With no role word, each name must start with a surname ("我们发自内心…"
    is a sentence)."""
    signed = SIGNED_LINE.match(fold_variants(text))
    names = split_names(text[signed.start("names") : signed.end("names")]) if signed else []
    return names if names and all(name[0] in SURNAMES and clean_name(name) for name in names) else []


def reporter_names(text: str) -> list[str] | None:
    """The reporters a line that is only a byline names (光明日报记者 王建宏 张文攀, 记者王小明报道, a
    printed paper's ■某报记者 王建宏), or ``None`` when the line says more than that."""
    text = SPACED_NAME.sub(r"\1\2", text).strip().lstrip(BYLINE_MARKS)
    reporter = REPORTER_LINE.match(fold_variants(text))
    if not reporter:
        return None
    return names_in_byline("记者 " + text[reporter.start("names") : reporter.end("names")])


def closing_names(text: str) -> list[str]:
    """Authors a bracketed credit with no role word names: one closing a paragraph (``…。（王小明）``),
    or one saying where the story was reported from (``（王小明／某地報導）``), wherever it stands.
    Without a role word a bracket could hold anything (（上）, （有删节）), so a bare credit's names
    must each start with a surname."""
    folded = fold_variants(text)
    for match in CLOSING_NAMES.finditer(folded):
        if match["report"] is None and folded[match.end() :].strip():
            continue
        names = [name for name in split_names(text[match.start("names") : match.end("names")]) if clean_name(name)]
        if names and (match["report"] is not None or all(name[0] in SURNAMES for name in names)):
            return names
    return []


def named_outlet(text: str) -> str | None:
    """The outlet a story's lead or byline names (北京商报讯（记者…）, 某某网消息：, 【某報專訊】, 新华社北京5月9日电,
    （中央社台北6日電）, （央视记者 X）, 中央社記者X台北6日電 with no opening bracket, 某某日报记者 X),
    its source when no label gives one; ``本报`` (this paper) names none."""
    folded = fold_variants(text)
    match = LEAD_OUTLET.match(folded)
    outlet = (match["outlet"] or match["site"] or match["special"] or match["wire"]) if match else None
    if outlet is None and (wire := WIRE_BYLINE.search(folded) or LEAD_WIRE_BYLINE.match(folded)):
        outlet = wire["outlet"]
    if outlet is None and (reporter := REPORTER_LINE.match(_without_date(folded))) and reporter["outlet"]:
        outlet = reporter["outlet"] if OUTLET_NAME.search(reporter["outlet"]) else None
    if outlet is None or outlet.startswith(("本报", "本刊", "本网")):
        return None
    start = folded.index(outlet)
    return text[start : start + len(outlet)]


def _is_credit_line(text: str) -> bool:
    """A line of labelled credits and nothing else, a reporter's, writer's or photographer's among them
    (文：王某　摄影：李某, 撰文：王某　统筹：赵某): the byline of school and WeChat stories set with colons
    rather than slashes. Each label's names are a few short names: a sentence after a label is text."""
    labels = list(ANY_CREDIT_LABEL.finditer(text))
    if not labels or text[: labels[0].start()].strip() or not any(CREDIT_LABEL.match(label[0]) for label in labels):
        return False
    ends = [label.start() for label in labels[1:]] + [len(text)]
    return all(CREDITED_RUN.fullmatch(text[label.end() : end].strip()) for label, end in zip(labels, ends, strict=True))


def _without_date(text: str) -> str:
    """``text`` without the date a meta line opens or closes with (2024-03-05 10:21 某報／記者王某／台北報導,
    記者王某、李某／台北報導 2024-03-05 10:21), or all of it."""
    dated = DATE_THEN_REST.match(text)
    if dated:
        return dated["rest"]
    closing = CLOSING_DATE.search(text)
    return text[: closing.start()].rstrip(" ·" + BAR) if closing else text


def editor_names(text: str) -> list[str]:
    """Editors named by an editor line (``（责编：牛镛、岳弘彬）``, ``【编辑:刘欢】``)."""
    match = EDITOR_LINE.match(fold_variants(text))
    if not match:
        return []
    # "初审：何静 复审：王建国": further labels inside the run separate names, they are not names; a
    # writer's or photographer's credit (策划：赵刚 记者：王小明) holds no editors up to the next editor label.
    start, end = match.span("names")
    run = list(text[start:end])
    folded = fold_variants(text)[start:end]
    labels = sorted(
        [(label.span(), True) for label in re.finditer(EDITOR_LABEL, folded)]
        + [(label.span(), False) for label in CREDIT_LABEL.finditer(folded)]
    )
    for index, ((first, last), editor) in enumerate(labels):
        if not editor:
            last = next((later for (later, _), is_editor in labels[index + 1 :] if is_editor), len(run))
        run[first:last] = " " * (last - first)
    return split_names("".join(run))


# --- Block rules ---------------------------------------------------------------------------------


class DropRule:
    """A loader processor that drops a still-kept block, with ``reason``, when ``predicate`` holds."""

    def __init__(self, reason: str, predicate: Predicate) -> None:
        self.reason = reason
        self.predicate = predicate
        self.__name__ = predicate.__name__
        self.__doc__ = predicate.__doc__

    def __call__(self, block: Block, loader_context: Context | None = None) -> Block:
        if block.kept and self.predicate(block, {} if loader_context is None else loader_context):
            return block.drop(self.reason)
        return block

    def __repr__(self) -> str:
        return f"<rule {self.__name__} → {self.reason}>"


def drops(reason: str) -> Callable[[Predicate], DropRule]:
    """Decorator turning a predicate into a block rule that drops with ``reason``."""

    def decorate(predicate: Predicate) -> DropRule:
        return DropRule(reason, predicate)

    return decorate


def _has_running_text(text: str) -> bool:
    return bool(SENTENCE_PUNCT.search(BARE_URL.sub("", text)))


def drop_by_wrapper(block: Block, loader_context: Context | None = None) -> Block:
    """Blocks inside an element whose class or id says what it is (``bdsharebuttonbox``, ``ad``,
    ``related``), dropped with the reason the wrapper announces."""
    if block.kept and block.wrapper is not None:
        return block.drop(block.wrapper)
    return block


@drops("title-repeat")
def drop_title_repeat(block: Block, context: Context) -> bool:
    """The headline printed again inside the body container."""
    title = context.get("title")
    if not isinstance(title, str) or len(block.text) > 2 * len(title) + 10:
        return False
    return squash(block.text) == squash(title)


@drops("spam-link")
def drop_spam_link(block: Block, context: Context) -> bool:
    """An injected ad line: short, linking to another site, with an ad phrase or a bare URL as text and
    no running-text punctuation (``北京治疗白癜风要多少费用 https://m-mip.39.net/...``). A sentence that
    mentions a hospital or quotes a URL of the same site is left alone."""
    if len(block.text) > 80 or _has_running_text(block.text):
        return False
    page_host = context.get("page_host", "")
    link_hosts = [link.host for link in block.links]
    url_hosts = [re.sub(r"^(https?://)?", "", url).split("/")[0] for url in BARE_URL.findall(block.text)]
    off_site = [host for host in link_hosts + url_hosts if is_off_site(host, page_host)]
    if not off_site:
        return False
    looks_commercial = bool(AD_WORDS.search(block.text)) or bool(url_hosts)
    return looks_commercial


@drops("ad")
def drop_keyword_stuffing(block: Block, context: Context) -> bool:
    """An SEO line of ad phrases without a link (``郑州牛皮癣医院 郑州治疗牛皮癣 牛皮癣怎么治疗最好``):
    three or more space-separated phrases, no punctuation, ad words in at least two of them."""
    if len(block.text) > 80 or _has_running_text(block.text):
        return False
    phrases = block.text.split()
    return len(phrases) >= 3 and sum(bool(AD_WORDS.search(phrase)) for phrase in phrases) >= 2


@drops("ad")
def drop_ad_disclosure(block: Block, context: Context) -> bool:
    """The site's note on its advertising or affiliate income, set above or below the story."""
    return len(block.text) <= DISCLOSURE_LINE and bool(AD_DISCLOSURE.search(block.text))


@drops("ad")
def drop_ad_label(block: Block, context: Context) -> bool:
    """A lone ``广告`` / ``Advertisement`` label, a short line that starts by calling itself an advert
    (``广告通知：…``), or an image-only link to another site (a banner)."""
    if AD_LABEL.match(block.text) or (len(block.text) <= PROMO_LINE and AD_PREFIX.match(block.text)):
        return True
    banner = not block.text and block.images and block.links
    return bool(banner) and all(is_off_site(link.host, context.get("page_host", "")) for link in block.links)


def _short_match(name: str, pattern: re.Pattern[str], limit: int = SHORT_LINE) -> Predicate:
    """A predicate for furniture recognised by its words alone: a short line matching ``pattern``."""

    def predicate(block: Block, context: Context) -> bool:
        return len(block.text) <= limit and bool(pattern.search(block.folded))

    predicate.__name__ = name
    return predicate


def _rel_links(name: str, kinds: frozenset[str]) -> Predicate:
    """A predicate for a block that is mostly links whose every one says by its ``rel`` that it is of
    ``kinds`` (``<a rel="tag">``, ``<a rel="prev">``): furniture by markup, in any language."""

    def predicate(block: Block, context: Context) -> bool:
        if block.node is None or not block.mostly_links():
            return False
        anchors = [anchor for anchor in block.node.iter("a") if anchor.get("href")]
        return bool(anchors) and all(kinds & set((anchor.get("rel") or "").lower().split()) for anchor in anchors)

    predicate.__name__ = name
    return predicate


drop_tag_links = DropRule("tags", _rel_links("drop_tag_links", REL_TAG))
drop_tag_links.__doc__ = 'A story\'s tags, marked so by their links: <a rel="tag">Education</a>.'
drop_prev_next_links = DropRule("prev-next", _rel_links("drop_prev_next_links", REL_PREV_NEXT))
drop_prev_next_links.__doc__ = 'Links to the previous and next post, marked so: <a rel="prev">« Previous</a>.'
drop_reprint_notice = DropRule("reprint-notice", _short_match("drop_reprint_notice", REPRINT_NOTICE, FOOTER_LINE))
drop_reprint_notice.__doc__ = "Reprint and disclaimer boilerplate: 转载请注明…, 未经授权不得转载, 免责声明."
drop_prev_next = DropRule("prev-next", _short_match("drop_prev_next", PREV_NEXT))
drop_prev_next.__doc__ = "Links to the previous and next article: 上一篇：… / 下一篇：没有了."
drop_share = DropRule("share", _short_match("drop_share", SHARE))
drop_share.__doc__ = "Share bars: 分享到：微信 微博 QQ空间."
drop_counter = DropRule("counter", _short_match("drop_counter", COUNTER))
drop_counter.__doc__ = "Click counters, often left empty by the script that fills them: 点击：, 浏览次数：313."
drop_navigation = DropRule("navigation", _short_match("drop_navigation", NAVIGATION, FOOTER_LINE))
drop_navigation.__doc__ = "Breadcrumbs and page controls: 您现在的位置：首页 > …, 【打印本页】【关闭窗口】."
#: The arrows that part a breadcrumb's links (首页 >> 教育动态, Home › News).
CRUMB_ARROWS = ">＞»›→"
#: A breadcrumb's label before its first link (您当前的位置：, 当前页面:).
CRUMB_LABEL = re.compile(r"[^。！？!?]{0,12}[:：]")
#: The longest last part a breadcrumb gives without a link: the page itself (> 正文, > the headline).
CRUMB_PAGE_CHARS = 40


@drops("navigation")
def drop_breadcrumb(block: Block, context: Context) -> bool:
    """A breadcrumb by its shape, in any wording: two or more links parted only by arrows, after a
    short label at most (``您当前的位置：首页 >> 教育动态 >> 正文``). Its label keeps its links from
    reading as a list of links."""
    if len(block.links) < 2 or len(block.text) > LABEL_CHARS:
        return False
    gaps, position = [], 0
    for link in block.links:
        found = block.text.find(link.text, position) if link.text else -1
        if found < 0:
            return False
        gaps.append(block.text[position:found].strip())
        position = found + len(link.text)
    label, between, end = gaps[0], gaps[1:], block.text[position:].strip()
    page = end.lstrip(CRUMB_ARROWS).strip()
    return (
        (not label or CRUMB_LABEL.fullmatch(label) is not None)
        and all(gap and not gap.strip(CRUMB_ARROWS + " ") for gap in between)
        and (not end or (end[0] in CRUMB_ARROWS and len(page) <= CRUMB_PAGE_CHARS and not _has_sentence_end(page)))
    )


drop_footer = DropRule("footer", _short_match("drop_footer", FOOTER, FOOTER_LINE))
drop_footer.__doc__ = "Licence and copyright lines: ICP备/公网安备/标识码/主办单位/版权所有/© …."


@drops("pagination")
def drop_pagination(block: Block, context: Context) -> bool:
    """Page lists of multi-page articles: ``共2页: 上一页 1 2 下一页``. A lone number is not enough."""
    text = block.folded
    return len(text) <= SHORT_LINE and bool(PAGINATION.match(text)) and not text.strip().isdigit()


@drops("editor-line")
def drop_editor_line(block: Block, context: Context) -> bool:
    """Editor and production lines (``（责编：牛镛、岳弘彬）``, ``【纠错】 【责任编辑:王頔】``,
    ``编辑 周褶褶 ｜ 排版 魏蔚``); the names are kept as the article's editors."""
    return len(block.text) <= 80 and not _has_sentence_end(block.text) and bool(EDITOR_LINE.match(block.folded))


@drops("caption")
def drop_caption(block: Block, context: Context) -> bool:
    """Picture captions: a ``<figcaption>``, a short line with a caption mark (``图为…``, ``▲…``) or a
    photo credit (``…摄``, ``（消防局提供）``, ``山东女子学院供图``), or a line of any length closed by a
    picture's credit in brackets (``… (AP Photo/Jane Doe)``: wire captions run to several sentences).
    Readers see them under pictures, not as text of the story."""
    if block.tag == "figcaption" or CREDITED_CAPTION.search(block.text):
        return True
    return len(block.text) <= CAPTION_LINE and bool(CAPTION.search(block.folded))


@drops("promo")
def drop_promo(block: Block, context: Context) -> bool:
    """The site promoting itself: its app, its accounts, its other pages (``下载…APP``, ``关注公众号``,
    ``返回搜狐，查看更多``, ``阅读剩余全文``)."""
    return len(block.text) <= PROMO_LINE and bool(PROMO.search(block.folded))


@drops("public-notice")
def drop_public_notice(block: Block, context: Context) -> bool:
    """Public-service notices appended to a story (suicide-prevention hotlines)."""
    return len(block.text) <= PROMO_LINE and bool(PUBLIC_NOTICE.search(block.folded))


@drops("tags")
def drop_tag_line(block: Block, context: Context) -> bool:
    """Keyword and tag lines: ``关键字：CPI``, ``#上吊 #自殺``, ``馬公﹒洗腎﹒澎湖``."""
    return len(block.text) <= SHORT_LINE and not SENTENCE_END.search(block.text) and bool(TAG_LINE.search(block.folded))


@drops("meta-line")
def drop_about_line(block: Block, context: Context) -> bool:
    """Lines about the text: ``原标题：…``, a summary box (``摘要：``), a print-edition note
    (``《人民日报》（2024年05月10日 04 版）``)."""
    return len(block.text) <= FOOTER_LINE and bool(ABOUT_LINE.search(block.folded))


@drops("byline")
def drop_byline(block: Block, context: Context) -> bool:
    """A paragraph that is only a byline: ``光明日报记者 王建宏 张文攀``, ``（文/王小明 图/李华）``,
    ``By Jane Smith, Education Reporter``, ``王小明 发自 某地``, ``王小明/文``. The names become the
    article's authors. Of Latin-letter bylines only the plain ``By Jane Smith`` is dropped: people who
    label real pages keep the others in the text (``by Jane Smith on June 27``, ``Written by Jane
    Smith``; measured on the dev set), and their names are read all the same."""
    text = block.folded
    if len(text) > 60:
        return False
    if BRACKETED_BYLINE.match(text) or REPORTER_LINE.match(_without_date(text)) or WRITER_LINE.match(text):
        return True
    if signed_names(block.text) or _is_credit_line(_without_date(text)):
        return True
    english = ENGLISH_BYLINE.match(text) if text.lstrip().startswith("By ") else None
    if english is None:
        return False
    return len(text) - english.end() <= 40 and not text.rstrip().endswith(".")


@drops("meta-line")
def drop_meta_line(block: Block, context: Context) -> bool:
    """The date/source/author line of the page repeated inside the container
    (``发布时间：2022-02-13 04:22:18 来源：云南日报``), or a line that is little more than a date
    (``March 5, 2024 Updated March 6, 2024``, ``2024-05-23 09:41``)."""
    text = block.folded
    if len(text) > 150 or _has_sentence_end(text):
        return False
    if LABEL_ONLY_LINE.match(text):
        return True
    labels = len(META_LINE_LABELS.findall(text))
    if labels >= 2:
        return True
    if OWN_TIME_FIELD.match(text) and not STAMP_LABEL.match(text.lstrip()):
        return False
    if labels == 1 and find_date(text) is not None:
        return True
    return len(text) <= DATE_LINE and _is_mostly_date(text) and not _in_data_table(block)


def _in_data_table(block: Block) -> bool:
    """A cell of a table of data (a timetable's dates, a list of deadlines), where a date alone is a
    value of the table, not the page's stamp."""
    table = _table_of(block) if block.tag in TABLE_CELLS else None
    return table is not None and _is_data_table(table)


def _is_data_table(table: Any) -> bool:
    """Whether ``table`` holds data: ``DATA_TABLE_ROWS`` rows or more of two cells or more."""
    return len(table.xpath("(./tr|./*/tr)[count(td|th) >= 2]")) >= DATA_TABLE_ROWS


def _is_mostly_date(text: str) -> bool:
    """A stamp: a time of day or a month's name, and few letters besides the date's own words. A bare
    Chinese date (``2024年5月20日``) is left alone: it signs formal notices."""
    if not DATE_STAMP.search(text):
        return False
    rest = DATE_WORDS.sub("", text)
    return len(rest) <= DATE_LINE_REST and len(rest) < len(text) / 2 and find_date(text) is not None


def _has_sentence_end(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


@drops("related-list")
def drop_related_heading(block: Block, context: Context) -> bool:
    """The heading of a 相关文章 / 推荐阅读 / Related list (and a one-line ``Related: …`` link)."""
    return is_related_heading(block.folded)


def is_related_heading(folded: str) -> bool:
    """Whether a line (traditional characters folded) heads a list of other stories."""
    return len(folded) <= SHORT_LINE and bool(RELATED_HEADING.match(folded))


@drops("comments")
def drop_comments_heading(block: Block, context: Context) -> bool:
    """The heading of a reader-comments section (网友评论, 发表评论). A table's cell saying
    "Comment" heads a column of the table, not the page's comments."""
    return len(block.text) <= 40 and bool(COMMENTS_HEADING.match(block.folded)) and not _in_table_cell(block)


def _in_table_cell(block: Block) -> bool:
    node = block.node
    return node is not None and any(
        element.tag in TABLE_CELLS for element in (node, *node.iterancestors()) if isinstance(element.tag, str)
    )


#: Per-block rules in the order they are tried; the first that matches gives the reason.
BLOCK_RULES: tuple[Callable[..., Block], ...] = (
    drop_by_wrapper,
    drop_title_repeat,
    drop_spam_link,
    drop_keyword_stuffing,
    drop_ad_label,
    drop_ad_disclosure,
    drop_reprint_notice,
    drop_public_notice,
    drop_about_line,
    drop_caption,
    drop_promo,
    drop_tag_line,
    drop_tag_links,
    drop_prev_next,
    drop_prev_next_links,
    drop_pagination,
    drop_share,
    drop_counter,
    drop_editor_line,
    drop_navigation,
    drop_breadcrumb,
    drop_footer,
    drop_byline,
    drop_meta_line,
    drop_related_heading,
    drop_comments_heading,
)


def first_drop(*rules: Callable[..., Block]) -> Callable[..., Block]:
    """One processor that tries ``rules`` in order and stops at the first that drops the block: the
    same verdicts as running each rule over every block, without a call per rule and block once a
    block is dropped (a large page has tens of thousands of blocks)."""

    # The loader context read last, held so that it stays alive: keyed by id() alone, a later page's
    # context allocated at the same address was read with the earlier page's title. MapCompose wraps
    # the loader's own context in a new ChainMap per call; the loader's own (``maps[0]``) is the key.
    last: list[Any] = [None, {}]
    # Predicates called directly: a page of 30,000 paragraphs meets every rule 30,000 times.
    steps = [(rule.predicate, rule.reason) if isinstance(rule, DropRule) else (rule, None) for rule in rules]

    def apply(block: Block, loader_context: Context | None = None) -> Block:
        # A loader's context is a chain of mappings, slow to read; read it as one dict per loader.
        owner = loader_context.maps[0] if isinstance(loader_context, ChainMap) else loader_context
        if last[0] is not owner or owner is None:
            last[0], last[1] = owner, dict(loader_context or {})
        context = last[1]
        if not block.kept:
            return block
        for step, reason in steps:
            if reason is None:
                block = step(block, context)
                if not block.kept:
                    return block
            elif step(block, context):
                return block.drop(reason)
        return block

    apply.__doc__ = "Block rules, first drop wins: " + ", ".join(rule.__name__ for rule in rules)
    return apply


# --- Rules that need the neighbouring blocks -----------------------------------------------------


def drop_lists_after_headings(blocks: Sequence[Block]) -> list[Block]:
    """The link items under a related-list heading, and everything under a comments heading once the
    article has been told, share the heading's reason: they are one piece of furniture. Only a heading
    read as one starts such a run; a block dropped for its wrapper (a comment counter, a related box)
    does not, and a "Comments" button beside the byline, above the article's text, does not either."""
    result: list[Block] = []
    current: str | None = None
    told = 0.0
    for block in blocks:
        if block.reason in ("related-list", "comments") and block.wrapper != block.reason:
            comments_begin = block.reason == "comments" and told >= ARTICLE_BEFORE_COMMENTS
            current = block.reason if block.reason == "related-list" or comments_begin else None
        elif block.kept and current == "comments" and not _is_section_heading(block):
            block = block.drop(current)
        elif block.kept and current == "related-list" and block.mostly_links(LIST_ENTRY_DENSITY):
            block = block.drop(current)
        elif block.kept:
            current = None
            told += max(block.weight, 0.0)
        result.append(block)
    return result


def drop_after_end_marker(blocks: Sequence[Block]) -> list[Block]:
    """What follows the lines that close a story on Chinese news pages (its editor line, the page
    list of a multi-page story, previous/next links, the reprint notice) once the story has been told:
    teasers of other stories, however much text they hold."""
    result: list[Block] = []
    told, ended = 0.0, False
    for block in blocks:
        if ended and block.kept and block.text:
            block = block.drop(_outside_reason(block, before=False))
        elif block.reason in END_MARKERS and told >= ARTICLE_BEFORE_COMMENTS:
            ended = True
        elif block.kept:
            told += max(block.weight, 0.0)
        result.append(block)
    return result


def _is_section_heading(block: Block) -> bool:
    """A heading element: it opens a new part of the page (the next story of a digest), not a comment."""
    return getattr(block.node, "tag", None) in ("h1", "h2", "h3", "h4")


def split_closing_credit(blocks: Sequence[Block]) -> list[Block]:
    """A credit in brackets closing the article's last paragraph (``……尺度。（作者某某系某智库研究员）``,
    ``……（完）``) is a byline or an end mark, not text: it is cut off into a block of its own."""
    result = list(blocks)
    last = next((index for index in range(len(result) - 1, -1, -1) if result[index].kept and result[index].text), None)
    if last is None:
        return result
    block = result[last]
    match = CLOSING_CREDIT.search(block.folded)
    if match is None or match.start() == 0:
        return result
    kept = replace(block, text=block.text[: match.start()].rstrip())
    credit = Block(block.text[match.start() :].strip(), block.tag, node=block.node, reason="byline")
    result[last : last + 1] = [kept, credit]
    return result


def drop_trailing_byline(blocks: Sequence[Block]) -> list[Block]:
    """A bare name line closing the article (the seed's ``王小寒刘进``): the last kept block, only
    Chinese characters, short, and not a phrase."""
    result = list(blocks)
    for index in range(len(result) - 1, -1, -1):
        block = result[index]
        if not block.kept:
            continue
        if is_bare_name_line(block.text) and not _beside_other_cells(block):
            result[index] = block.drop("byline")
        break
    return result


def _beside_other_cells(block: Block) -> bool:
    """A table cell with other cells in its row: a datum of the table (a name in a list of prize
    winners), not a line of its own that could sign the article."""
    row = block.node.getparent() if block.tag in TABLE_CELLS and block.node is not None else None
    return row is not None and sum(1 for cell in row if cell.tag in TABLE_CELLS) > 1


def is_bare_name_line(text: str) -> bool:
    """Whether a short line is nothing but names (王小寒 刘进): each led by a surname, two to four
    characters, no word that marks a heading or phrase."""
    if not BARE_NAME_LINE.match(text) or NOT_NAME_WORDS.search(text):
        return False
    return all(name[0] in SURNAMES and 2 <= len(name) <= 4 for name in split_names(text))


def bare_names(text: str) -> list[str]:
    """The names of a text that is nothing but names (see :func:`is_bare_name_line`), else none: how
    an unlabelled byline is read wherever it stands (after a mark, beside a date)."""
    return split_names(text) if text and is_bare_name_line(text) else []


def merge_furniture_runs(blocks: Sequence[Block]) -> list[Block]:
    """Neighbouring blocks dropped from one wrapper (the ``<li>`` items of a page list or share bar)
    become one removed block, so the record reads ``共2页: 上一页 1 2 下一页``, not five lines."""
    result: list[Block] = []
    for block in blocks:
        previous = result[-1] if result else None
        if (
            previous is not None
            and not block.kept
            and block.wrapper is not None
            and (previous.reason, previous.wrapper) == (block.reason, block.wrapper)
        ):
            result[-1] = replace(
                previous,
                text=" ".join(filter(None, (previous.text, block.text))),
                links=previous.links + block.links,
                images=previous.images + block.images,
            )
        else:
            result.append(block)
    return result


def drop_kicker(blocks: Sequence[Block]) -> list[Block]:
    """A column or series tag in brackets (``【短视频文化现象观察】``) standing before the article's
    first paragraph: it labels the story, it is not part of it."""
    result = list(blocks)
    for index, block in enumerate(result):
        if block.kept and _has_running_text(block.text):
            break
        if block.kept and KICKER.match(block.text):
            result[index] = block.drop("kicker")
    return result


def drop_above_headline(blocks: Sequence[Block]) -> list[Block]:
    """When the container repeats the headline before the article's text begins, what stands above
    it (a channel label, a kicker, breadcrumbs) is page header, not article. A headline repeated
    after running text (a caption, a "share this" box) says nothing about what is above it."""
    headline = next((index for index, block in enumerate(blocks) if block.reason == "title-repeat"), None)
    if headline is None or any(block.kept and _has_running_text(block.text) for block in blocks[:headline]):
        return list(blocks)
    return [
        block.drop("navigation") if index < headline and block.kept else block for index, block in enumerate(blocks)
    ]


def drop_record_table(blocks: Sequence[Block]) -> list[Block]:
    """A document's record set in a grid of labelled fields above or under its headline (索引号：… |
    主题分类：…, 发文机关：… | 成文日期：…), as government sites show a notice's: its cells before the text
    begins are meta lines. A table of one field a row (时间：… / 地点：…) is a notice's own facts."""
    result = list(blocks)
    grids: dict[Any, bool] = {}
    for index, block in enumerate(result):
        if not block.kept:
            continue
        table = _table_of(block) if block.tag in TABLE_CELLS and FIELD_CELL.match(block.text) else None
        if table is not None and table not in grids:
            grids[table] = _is_field_grid(table)
        if table is not None and grids[table]:
            result[index] = block.drop("meta-line")
        elif _has_running_text(block.text):
            break
    return result


def drop_slideshow(blocks: Sequence[Block]) -> list[Block]:
    """A slideshow set into the story (``Business news in pictures``: fifty slides, each a counter,
    a title and a caption): slides counted 1/N, 2/N, 3/N … in order, in the element that holds them
    all, with the story's running text before it and after it. Its captions tell other stories than
    the article's, however many they are, and are dropped (``slideshow``); set into the story, they
    do not part its text before from its text after (see :func:`_run_weight`). A story told in
    pictures has no story going on after its slides, and keeps them."""
    result = list(blocks)
    slides: dict[int, list[int]] = {}
    for index, block in enumerate(result):
        match = SLIDE_COUNTER.match(block.text) if block.kept and block.node is not None else None
        if match is None:
            continue
        number, total = int(match[1]), int(match[2])
        shown = slides.setdefault(total, [])
        if number == len(shown) + 1:
            shown.append(index)
    for total, shown in slides.items():
        if len(shown) < MIN_SLIDES or total < len(shown):
            continue
        show = _common_ancestor([result[index].node for index in shown])
        if show is None:
            continue
        inside = _with_its_labels(show, result)
        members = [index for index, block in enumerate(result) if block.node in inside]
        story = [index for index, block in enumerate(result) if block.kept and _running(block)]
        if not any(index < members[0] for index in story) or not any(index > members[-1] for index in story):
            continue
        result = [block.drop(SLIDESHOW) if block.node in inside else block for block in result]
    return result


def _with_its_labels(show: Any, blocks: Sequence[Block]) -> set[Any]:
    """The elements of the slideshow ``show`` and of the elements around it that hold nothing else but
    labels and links (its title, its thumbnails, "show all"): up to the one that holds running text
    of its own."""
    inside = set(show.iter())
    for parent in show.iterancestors():
        elements = set(parent.iter())
        if any(_running(block) and block.node in elements and block.node not in inside for block in blocks):
            break
        inside = elements
    return inside


def _running(block: Block) -> bool:
    """Whether ``block`` is running text, not a heading or a label."""
    return block.weight > 0 and block.tag != "h"


def _common_ancestor(nodes: Sequence[Any]) -> Any:
    """The smallest element holding every one of ``nodes``, or None when they share none."""
    line = [nodes[0], *nodes[0].iterancestors()]
    for node in nodes[1:]:
        held = {node, *node.iterancestors()}
        line = [element for element in line if element in held]
    return line[0] if line else None


def _is_field_grid(table: Any) -> bool:
    """Whether a row of ``table`` sets two labelled fields side by side."""
    return any(
        sum(FIELD_CELL.match("".join(cell.itertext())) is not None for cell in row.iterchildren("td", "th")) >= 2
        for row in table.iter("tr")
    )


#: The marks a paragraph ends with when it announces what follows (……以下几个方面：).
ANNOUNCING_MARKS = ("：", ":")
#: The dash that opens a line of dialogue in Chinese prose (——老师，明天还讲吗？).
DIALOGUE_DASH = "——"

#: The reason of a spam line a content farm injects into a story (a link to an off-site clinic).
INJECTED = "spam-link"


def _run_weight(block: Block) -> float:
    """A block's weight for finding the article's run: dropped furniture counts against, like links;
    a slideshow set into the story counts for nothing (the story goes on past it)."""
    if block.reason == SLIDESHOW:
        return 0.0
    if not block.kept:
        return -float(max(len(block.text), FURNITURE_RUN_WEIGHT))
    return block.weight


def drop_outside_article_run(blocks: Sequence[Block]) -> list[Block]:
    """What lies outside the article's run of text: the related lists, teasers, tag lines, names and
    dates a container also holds after the story, and the link lists before it. The run is the stretch
    of blocks whose weights (running text for, links and furniture against) add up to the most. Short
    lines right after it stay only when they close the article as a signature does (an issuer and a
    date, as formal notices end); otherwise they are labels about the story, not part of it."""
    weights = [_run_weight(block) for block in blocks]
    for index in _injected_inside(blocks):
        weights[index] = 0.0
    best_end, best, total, start_of_best = -1, 0.0, 0.0, 0
    start = 0
    for index, weight in enumerate(weights):
        if total <= 0:
            total, start = 0.0, index
        total += weight
        if total > best:
            best, best_end, start_of_best = total, index, start
    if best_end < 0:
        return list(blocks)
    end = _past_boxes(blocks, weights, best_end)
    while end + 1 < len(blocks) and _same_paragraph(blocks[end], blocks[end + 1]):
        end += 1
    tail = end
    while tail + 1 < len(blocks) and (weights[tail + 1] >= 0 or blocks[tail + 1].reason == "promo"):
        tail += 1  # (a notice's call to scan a code, dropped as promo, stands before its issuer and date)
    if any(_is_signature_date(block) for block in blocks[end + 1 : tail + 1]):
        end = tail
    end = _past_closing_table(blocks, end, tail)
    end = _past_closing_list(blocks, start_of_best, end)
    end = _past_announced_lines(blocks, end, tail)
    while end + 1 < len(blocks) and blocks[end + 1].kept and blocks[end + 1].all_attachments:
        end += 1  # the notice's attachments (附件：1.方案.docx) close it
    begin = start_of_best
    first_text = next((index for index, block in enumerate(blocks) if block.kept and block.weight > 0), begin)
    return [
        block.drop(_outside_reason(block, index < begin))
        if block.kept
        and block.text
        and (index > end or (index < begin and block.weight < 0 and not (first_text < index and _is_prose(block))))
        else block
        for index, block in enumerate(blocks)
    ]


def _injected_inside(blocks: Sequence[Block]) -> list[int]:
    """The spam lines a content farm injected between two of the story's paragraphs: running text
    stands right before and right after each (past other such lines). They are the farm's, not the
    story's, but the story goes on below them: they must not end its run before a short last
    paragraph, as a related list after the story does."""
    shown = [index for index, block in enumerate(blocks) if block.text]
    injected: list[int] = []
    for position, index in enumerate(shown):
        # A bare address is no advert's wording: a blog's reference link between its paragraphs.
        if blocks[index].reason != INJECTED or not BARE_URL.sub("", blocks[index].text).strip(" :：/"):
            continue
        before = next((i for i in reversed(shown[:position]) if blocks[i].reason != INJECTED), None)
        after = next((i for i in shown[position + 1 :] if blocks[i].reason != INJECTED), None)
        if before is not None and after is not None and all(_is_running(blocks[i]) for i in (before, after)):
            injected.append(index)
    return injected


def _is_running(block: Block) -> bool:
    """A kept paragraph of running text that closes a sentence."""
    return block.kept and block.weight > 0 and _has_sentence_end(block.text)


def _same_paragraph(block: Block, following: Block) -> bool:
    """Whether ``following`` is the next line of the same ``<p>`` as ``block``, parted from it by a
    ``<br>``: the rest of the run's last paragraph (a changelog's lines, a list typed into one
    paragraph) is not cut off as if it stood outside the article. A ``<div>`` parted by ``<br>`` may
    hold a whole page's text and its trailing furniture; a ``<p>`` is one paragraph."""
    return following.node is block.node and getattr(block.node, "tag", None) == "p"


def _past_closing_table(blocks: Sequence[Block], end: int, tail: int) -> int:
    """The run's end carried over a data table that follows the story's last sentence right away, up
    to ``tail``: a notice that ends with its list (the schools named, the quotas, the scores) ends
    with that table, whose short cells read like no sentence."""
    table = _table_of(blocks[end + 1]) if end < tail and blocks[end + 1].tag in TABLE_CELLS else None
    if table is None or table.xpath(".//table") or not _is_data_table(table):
        return end
    while end < tail and _table_of(blocks[end + 1]) is table:
        end += 1
    return end


def _past_closing_list(blocks: Sequence[Block], begin: int, end: int) -> int:
    """The run's end carried over a list right after the story's last paragraph, when the story has
    lists of its own: an article that sets its points or steps as lists may end on one."""
    if not any(_list_item(block) for block in blocks[begin:end]):
        return end
    while end + 1 < len(blocks) and _list_item(blocks[end + 1]):
        end += 1
    return end


def _past_announced_lines(blocks: Sequence[Block], end: int, tail: int) -> int:
    """The run's end carried, up to ``tail``, over the short unlinked lines its last paragraph announces
    with a colon (……主要体现在以下方面： then ——办学条件持续改善 …) or that go on its dialogue (——讲，
    明天讲新故事。 then ——老师再见): an article may end on its points or on a line of dialogue, and
    neither reads like running text."""
    last = blocks[end]
    announced = last.kept and last.weight > 0 and last.text.rstrip().endswith(ANNOUNCING_MARKS)
    while end < tail:
        following = blocks[end + 1]
        if not (following.kept and following.text and not following.links):
            break
        talking = blocks[end].text.startswith(DIALOGUE_DASH) and following.text.startswith(DIALOGUE_DASH)
        if not (announced or talking):
            break
        end += 1
    return end


def _list_item(block: Block) -> bool:
    """A step or point of a list: an unlinked item, too short for running text (a link list is not one)."""
    return block.kept and block.tag == "li" and block.weight == 0 and not block.links


def paragraph_lines(blocks: Sequence[Block]) -> list[str]:
    """The article's lines: a block a line, but the cells of one table row make one line, separated by
    tabs as a spreadsheet pastes them, so a row of a list (序号, 学校, 区县) reads as a row. Only whole
    cells are joined, each to the cell before it: the lines of one cell (a forum post's lines parted
    by ``<br>``) and the paragraphs inside a cell (a page laid out in a table) stay lines of their own."""
    lines: list[str] = []
    cell, row = None, None
    for block in blocks:
        in_row = block.node.getparent() if block.tag in TABLE_CELLS and block.node is not None else None
        if in_row is not None and in_row is row and block.node is not cell:
            lines[-1] += "\t" + block.text
        else:
            lines.append(block.text)
        cell, row = block.node, in_row
    return lines


def _table_of(block: Block) -> Any:
    """The table a block stands in (its nearest), or None."""
    return None if block.node is None else next(block.node.iterancestors("table"), None)


def _is_prose(block: Block) -> bool:
    """A full paragraph closed by a sentence, however many of its words are links: between the story's
    paragraphs it is the story's (news sites link names and firms inline), not a link list."""
    return len(block.text) >= PARAGRAPH_AFTER_BOX and _has_sentence_end(block.text)


def _past_boxes(blocks: Sequence[Block], weights: Sequence[float], end: int) -> int:
    """The run's end carried past a box set inside the story (``RELATED STORIES``, a newsletter
    sign-up) when a full paragraph follows right after it: the story goes on below the box. A long
    link list, or a box followed by short teasers, still ends the story."""
    while True:
        cursor, gap = end + 1, 0.0
        while cursor < len(blocks) and weights[cursor] < 0 and gap <= BOX_CHARS:
            gap -= weights[cursor]
            cursor += 1
        box_blocks = cursor - end - 1
        if not 0 < box_blocks <= BOX_BLOCKS or gap > BOX_CHARS or cursor >= len(blocks):
            return end
        block = blocks[cursor]
        if not (block.kept and len(block.text) >= PARAGRAPH_AFTER_BOX and _has_sentence_end(block.text)):
            return end
        end = cursor
        while end + 1 < len(blocks) and weights[end + 1] > 0:
            end += 1


def _is_signature_date(block: Block) -> bool:
    """A line that is only a date, as the last line of a formal notice is (``2024年5月20日``)."""
    return len(block.text) <= SIGNATURE_DATE_LINE and find_date(block.text) is not None


def _outside_reason(block: Block, before: bool) -> str:
    if block.weight < 0:
        return "navigation" if before else "related-list"
    if not before and is_bare_name_line(block.text) and not _beside_other_cells(block):
        return "byline"
    return "outside-article"


def drop_unmarked_captions(blocks: Sequence[Block]) -> list[Block]:
    """A caption with no caption mark (``新校区图书馆全景。`` under a table's picture): one short clause
    closed by a full stop, standing right under a picture, before a longer paragraph. A story's
    sentences carry commas or run longer; a line that starts in lower case goes on with a sentence an
    inline picture (a formula) broke off, and a heading or a linked line is not a caption."""
    result = list(blocks)
    for index in range(1, len(result)):
        block = result[index]
        if not (block.kept and _is_picture(result[index - 1]) and _reads_as_caption(block.text)):
            continue
        if block.links or block.tag in STRUCTURAL_KINDS:
            continue
        following = next((later for later in result[index + 1 :] if later.kept and later.text), None)
        if following is not None and following.weight > len(block.text):
            result[index] = block.drop("caption")
    return result


def _is_picture(block: Block) -> bool:
    return bool(block.images) and not block.text


def _reads_as_caption(text: str) -> bool:
    return (
        0 < len(text) <= UNMARKED_CAPTION
        and not text[0].islower()
        and not INNER_PUNCT.search(text)
        and bool(FULL_STOP_END.search(text))
    )


def drop_end_notes(blocks: Sequence[Block]) -> list[Block]:
    """Short lines with no sentence punctuation left after the story's last sentence (``文中某某为化名``,
    a thank-you line, ``Posted by …``, ``Auteur : …``): notes about the story set below it, not its
    text. A few at most, and none that is a heading, a list item or a signature's date (formal notices
    end on their issuer and date, which are kept); nor a letter's close ("Sincerely," "Cheers,": the
    first line ends on a comma) and the signature under it, which end the letter as its last words; nor
    the last lines of a dialogue the story ends on, each opened by a dash as its last sentence is."""
    result = list(blocks)
    kept = [index for index, block in enumerate(result) if block.kept and block.text]
    last_sentence = next((index for index in reversed(kept) if CLOSED_LINE.search(result[index].text)), None)
    if last_sentence is None:
        return result
    notes = [index for index in kept if index > last_sentence]
    if not notes or len(notes) > END_NOTES or not all(_is_end_note(result[index]) for index in notes):
        return result
    if result[notes[0]].text.rstrip().endswith((",", "，")):  # a letter's close: its signature follows
        return result
    if all(result[index].text.startswith(DIALOGUE_DASH) for index in (last_sentence, *notes)):
        return result  # the story's dialogue goes on to its last line (——老师再见)
    for index in notes:
        result[index] = result[index].drop("end-note")
    return result


def _is_end_note(block: Block) -> bool:
    text = block.text.rstrip()
    return (
        len(text) <= END_NOTE_CHARS
        and not FINISHED_SENTENCE.search(text)  # …排查。【记者 王小明】: a sentence with a credit after it
        and block.tag not in STRUCTURAL_KINDS
        and not text.endswith(ANNOUNCING_MARKS)
        and not _is_signature_date(block)
    )


def drop_leading_date_lines(blocks: Sequence[Block]) -> list[Block]:
    """A date line among the body's first lines, in any language (``Publikacja: 04.05.2021``,
    ``Pressemitteilung Aktuell 02. November 2021``, ``7. oktober 2020``): the story's meta line set
    inside its container, with a label or two but no sentence. A line with Chinese characters is left
    to ``drop_meta_line``, which knows their labels: a bare Chinese date or a source and a date
    (``TNW中文站2016年10月14日07:17``) is kept, as formal notices and wire copy sign with them."""
    result = list(blocks)
    leading = [index for index, block in enumerate(result) if block.kept and block.text][:LEADING_LINES]
    for index in leading:
        if _is_date_line(result[index]):
            result[index] = result[index].drop("meta-line")
    return result


def _is_date_line(block: Block) -> bool:
    text = block.text
    if len(text) > LEADING_DATE_CHARS or block.links or block.tag in STRUCTURAL_KINDS:
        return False
    if CJK_CHAR.search(text) or SENTENCE_STOP.search(text):
        return False
    return len(LETTER_WORD.findall(text)) <= LEADING_DATE_WORDS and find_date(text, partial=False) is not None


def drop_leading_name_lines(blocks: Sequence[Block]) -> list[Block]:
    """Lines shaped like a list of names above the story's first sentence: a byline set apart from its
    ``By`` (``Halina Brzoza``, ``Tomasz Wierzba, Agata Żurawska``), or a label in title case (``Social
    Share``, ``Tag Cloud``). Only among the body's first lines and before any running text: further
    down, a capitalised line is a subheading. Dropped as a meta line, not a byline: the shape alone
    does not vouch for a person's name, so it names no author."""
    result = list(blocks)
    for index in [index for index, block in enumerate(result) if block.kept and block.text][:LEADING_LINES]:
        block = result[index]
        if _is_name_list(block.text):
            result[index] = block.drop("meta-line")
        elif _has_running_text(block.text):
            break
    return result


def _is_name_list(text: str) -> bool:
    """One to four names of two or three capitalised words each, joined by commas, ``&`` or a short
    conjunction (``and``, ``und``, ``i``, ``et``, ``y``)."""
    if len(text) > NAME_LINE_CHARS:
        return False
    names = NAME_JOINER.split(text.strip())
    return len(names) <= NAME_LINE_NAMES and all(_is_name(name) for name in names)


def _is_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 3 and all(_is_name_word(word) for word in words)


def _is_name_word(word: str) -> bool:
    """Capitalised, not all capitals (``KLIMANEUTRALITÄT`` heads a section), but an initial may be."""
    return word[0].isupper() and bool(NAME_WORD.fullmatch(word)) and (len(word.rstrip(".")) == 1 or not word.isupper())


def drop_closing_promos(blocks: Sequence[Block]) -> list[Block]:
    """A prompt among the story's last lines (``Follow The Gleaner on Twitter and Instagram …``,
    ``Siguenos en Telegram, Instagram, Facebook y Twitter para recibir …``): below the story a follow,
    subscribe or download prompt runs to a full sentence or two, longer than ``drop_promo`` takes one
    to be anywhere in the text. Lines with Chinese characters keep ``drop_promo``'s length: the same
    prompt takes far fewer of them."""
    result = list(blocks)
    kept = [index for index, block in enumerate(result) if block.kept and block.text]
    for index in kept[-END_NOTES:]:
        block = result[index]
        if len(block.text) <= CLOSING_PROMO_LINE and not CJK_CHAR.search(block.text) and PROMO.search(block.text):
            result[index] = block.drop("promo")
    return result


def drop_empty(blocks: Iterable[Block]) -> list[Block]:
    """Blocks with neither text nor image carry nothing worth recording."""
    return [block for block in blocks if block.text or block.images]


def drop_beside_article(blocks: Sequence[Block], loader_context: Context) -> list[Block]:
    """Blocks the locator found beside the article (``beside`` in the context: the elements of the
    rail next to its column, see :attr:`crawler.extraction.locate.Location.beside`), dropped as what
    lies outside the article's run is (see :func:`drop_outside_article_run`) unless a rule already
    named what they are (a footer, a share bar)."""
    beside = loader_context.get("beside") or frozenset()
    result, before = [], True
    for block in blocks:
        if block.node not in beside:
            before = before and not block.kept
            result.append(block)
        else:
            result.append(block.drop(_outside_reason(block, before)) if block.kept else block)
    return result


#: Rules over the whole list of blocks, run after the per-block rules.
LIST_RULES: tuple[Callable[..., list[Block]], ...] = (
    drop_empty,
    drop_beside_article,
    drop_unmarked_captions,
    drop_record_table,
    drop_slideshow,
    drop_above_headline,
    drop_kicker,
    drop_lists_after_headings,
    drop_after_end_marker,
    drop_outside_article_run,
    split_closing_credit,
    drop_trailing_byline,
    drop_leading_date_lines,
    drop_leading_name_lines,
    drop_closing_promos,
    drop_end_notes,
    merge_furniture_runs,
)
