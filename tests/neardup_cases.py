"""A labelled near-duplicate evaluation set built from the article fixtures: reposts made the way
content farms and portals make them (positives), and different articles, including ones wearing the
same boilerplate (negatives). Used by tests/test_neardup.py as a gate and by benchmarks/neardup.py.

Not a test module: import ``labelled_pairs``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from crawler.extraction.extract import NotAnArticle, extract_article
from crawler.extraction.pages import read_saved_page
from pipelines.neardup import Match, Signature, band_buckets, compare, same_article, signature
from pipelines.neardup import Verdict as SameArticle

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
#: The same story reposted by two sites: a real positive, and never a negative.
REAL_REPOST = ("seed-contentfarm-gbk", "seed-repost-portal")
#: Two pages of one multi-page article: same headline, different text. Not duplicates.
SAME_TITLE_PAGES = ("portal-multipage-p1", "portal-multipage-p2")
#: Each article is paired with this many others for the shared-boilerplate negatives.
BOILERPLATE_PARTNERS = 3
#: Share of the text a truncated repost keeps (the first paragraphs, cut where the page was cut).
TRUNCATE_KEEP = (0.6, 0.7)

#: Spam lines the cleaner may miss: hospital and tutoring ads with their URLs.
SPAM_LINES = (
    "北京治疗白癜风要多少费用 http://www.bjbdf120.com/",
    "郑州哪家医院看癫痫好 http://www.zzdx0371.com/zx/",
    "成都牛皮癣医院哪家好 https://m.cdnpx120.cn/",
    "上海男科医院排名 哪家好 http://www.shnk39.com/?from=edu",
    "昆明白癜风医院地址在哪里 http://www.kmbdf.net/lx.html",
    "长沙中考冲刺班一对一辅导 名师在线答疑 https://www.csjy168.cn/zk/",
    "广州少儿英语培训机构排名前十 http://www.gzyy100.com/",
    "武汉治疗近视眼哪家医院好 https://www.whyk120.com/jsy/",
)
#: Headlines for the "related articles" line a template appends.
RELATED_HEADLINES = (
    "教育部发布2021年全国教育事业发展统计公报",
    "多地出台中小学课后服务收费标准",
    "高校毕业生就业创业工作推进会召开",
    "中考体育考试项目调整 家长需知",
    "2022年普通高校招生工作规定公布",
    "乡村小规模学校如何办出特色",
    "寒假将至 这份安全提醒请收好",
    "职业院校技能大赛落下帷幕",
)
#: Sites a repost names in its reprint notice and headline suffix.
REPOST_SITES = ("中国教育在线", "教育资讯网", "新浪教育", "搜狐教育", "育儿知识网", "考试吧")
HEADLINE_PREFIXES = ("重庆：", "北京：", "教育部：", "关注｜", "【教育】")
HEADLINE_SUFFIXES = ("——记者观察", "_{site}", "-{site}", "（图）", "（组图）")
#: Replacement characters for edited Chinese sentences; letters for English ones.
CJK_EDIT_CHARS = "的一是在不了有和人这中大为上个我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
LATIN_EDIT_CHARS = "abcdefghijklmnopqrstuvwxyz"
#: Full-width punctuation and its half-width twin, flipped both ways by a restyling repost.
PUNCTUATION_PAIRS = {
    "，": ",",
    "。": ".",
    "：": ":",
    "；": ";",
    "？": "?",
    "！": "!",
    "（": "(",
    "）": ")",
    "“": '"',
    "”": '"',
    "、": ",",
}
FULL_TO_HALF = str.maketrans({full: half for full, half in PUNCTUATION_PAIRS.items()})
HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"})
ASCII_DIGITS_TO_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
FULL_DIGITS_TO_ASCII = str.maketrans("０１２３４５６７８９", "0123456789")
DIGITS = re.compile(r"[0-9０-９]+")
SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=\.)(?=\s)")
LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Pair:
    """Two article texts (title + newline + body) and whether the second is a repost of the first."""

    original: str
    candidate: str
    duplicate: bool
    kind: str
    """How the candidate was made: a transformation (``truncation``, ``ads+edits``...), ``real-repost``,
    ``different-article``, ``same-title-other-page``, ``next-edition`` or ``shared-boilerplate``."""


@dataclass(frozen=True)
class Doc:
    """An article as a repost sees it: a headline and paragraphs."""

    slug: str
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.title + "\n" + "\n".join(self.paragraphs)


@lru_cache(maxsize=1)
def fixture_articles() -> tuple[Doc, ...]:
    """Every fixture that extracts as an article, in folder order."""
    docs = []
    for folder in sorted(path.parent for path in FIXTURES.glob("*/response.json")):
        try:
            article = extract_article(read_saved_page(folder))
        except NotAnArticle:
            continue
        docs.append(Doc(folder.name, article.title or "", tuple(article.paragraphs)))
    return tuple(docs)


# Repost transformations: each takes a document and the generator, and returns the repost.


def _insert_lines(doc: Doc, rng: random.Random, lines: list[str]) -> Doc:
    paragraphs = list(doc.paragraphs)
    for line in lines:
        paragraphs.insert(rng.randint(1, len(paragraphs)), line)
    return replace(doc, paragraphs=tuple(paragraphs))


def furniture_lines(rng: random.Random) -> tuple[list[str], list[str]]:
    """A repost site's leftovers: 1-3 spam lines to scatter in the body, and the related-articles line
    and reprint notice that follow it."""
    spam = rng.sample(SPAM_LINES, rng.randint(1, 3))
    related = "相关文章：" + "　".join(rng.sample(RELATED_HEADLINES, rng.randint(2, 3)))
    site = rng.choice(REPOST_SITES)
    host = rng.choice(["jyzx", "eduinfo", "kaoshi"])
    notice = f"转载请注明出处：{site} http://www.{host}.com/news/{rng.randint(1000, 99999)}.html"
    return spam, [related, notice]


def add_ads(doc: Doc, rng: random.Random) -> Doc:
    spam, footer = furniture_lines(rng)
    doc = _insert_lines(doc, rng, spam)
    return replace(doc, paragraphs=doc.paragraphs + tuple(footer))


def change_headline(doc: Doc, rng: random.Random) -> Doc:
    if rng.random() < 0.4:
        return replace(doc, title=rng.choice(HEADLINE_PREFIXES) + doc.title)
    suffix = rng.choice(HEADLINE_SUFFIXES).format(site=rng.choice(REPOST_SITES))
    return replace(doc, title=doc.title + suffix)


def _edit_sentence(sentence: str, rng: random.Random) -> str:
    """Replace 2-4 letters (never a digit: a copy stating other numbers is another article, see
    ``next_edition``)."""
    pool = LATIN_EDIT_CHARS if len(LATIN.findall(sentence)) > len(sentence) // 2 else CJK_EDIT_CHARS
    chars = list(sentence)
    editable = [index for index, char in enumerate(chars) if char.isalnum() and not char.isdigit()]
    for index in rng.sample(editable, min(len(editable), rng.randint(2, 4))):
        chars[index] = rng.choice(pool)
    return "".join(chars)


def edit_sentences(doc: Doc, rng: random.Random) -> Doc:
    sentences = [[part for part in SENTENCE_END.split(paragraph) if part] for paragraph in doc.paragraphs]
    places = [(p, s) for p, parts in enumerate(sentences) for s, part in enumerate(parts) if len(part) >= 8]
    for p, s in rng.sample(places, min(3, len(places))):
        sentences[p][s] = _edit_sentence(sentences[p][s], rng)
    return replace(doc, paragraphs=tuple("".join(parts) for parts in sentences))


def swap_paragraphs(doc: Doc, rng: random.Random) -> Doc:
    paragraphs = list(doc.paragraphs)
    first, second = rng.sample(range(len(paragraphs)), 2)
    paragraphs[first], paragraphs[second] = paragraphs[second], paragraphs[first]
    return replace(doc, paragraphs=tuple(paragraphs))


def truncate(doc: Doc, rng: random.Random) -> Doc:
    """The first paragraphs only: the smallest prefix holding a 60-70% share of the characters."""
    wanted = rng.uniform(*TRUNCATE_KEEP) * sum(len(paragraph) for paragraph in doc.paragraphs)
    kept, length = [], 0
    for paragraph in doc.paragraphs:
        if length >= wanted:
            break
        kept.append(paragraph)
        length += len(paragraph)
    return replace(doc, paragraphs=tuple(kept))


def flip_punctuation(doc: Doc, rng: random.Random) -> Doc:
    """Full-width punctuation made half-width (or the reverse for text that is already half-width),
    digits made full-width, and stray spaces: what a restyling template does."""
    text = "\n".join(doc.paragraphs)
    full = sum(text.count(mark) for mark in PUNCTUATION_PAIRS)
    table = FULL_TO_HALF if full > text.count(",") else HALF_TO_FULL
    paragraphs = ["　　" + paragraph.translate(table).translate(ASCII_DIGITS_TO_FULL) for paragraph in doc.paragraphs]
    return Doc(doc.slug, doc.title.translate(table), tuple(paragraphs))


def strip_digits(doc: Doc, rng: random.Random) -> Doc:
    """Digits dropped, as a broken content-farm template does: "2021年" becomes "年"."""
    return Doc(doc.slug, DIGITS.sub("", doc.title), tuple(DIGITS.sub("", paragraph) for paragraph in doc.paragraphs))


def next_edition(doc: Doc, rng: random.Random) -> Doc:
    """The same template a year on, as a series of notices runs: every number moved (a year by one,
    a count or a day by a few), the words unchanged. A different article, however alike."""

    def moved(match: re.Match[str]) -> str:
        value = int(match.group().translate(FULL_DIGITS_TO_ASCII))
        return str(value + (1 if 1990 <= value <= 2100 else rng.randint(1, 9)))

    return Doc(
        doc.slug, DIGITS.sub(moved, doc.title), tuple(DIGITS.sub(moved, paragraph) for paragraph in doc.paragraphs)
    )


#: Transformations in the order a combination applies them: the text is altered, then cut, then the
#: repost's headline and furniture are added (so truncation never cuts the ads away).
TRANSFORMS: dict[str, Callable[[Doc, random.Random], Doc]] = {
    "edits": edit_sentences,
    "digits": strip_digits,
    "punctuation": flip_punctuation,
    "reorder": swap_paragraphs,
    "truncation": truncate,
    "headline": change_headline,
    "ads": add_ads,
}


def reposts(doc: Doc, rng: random.Random) -> list[Pair]:
    """Every single transformation of ``doc`` and every combination of two."""
    pairs = []
    kinds = [(kind,) for kind in TRANSFORMS] + list(combinations(TRANSFORMS, 2))
    for kind in kinds:
        copy = doc
        for name in kind:
            copy = TRANSFORMS[name](copy, rng)
        pairs.append(Pair(doc.text, copy.text, True, "+".join(kind)))
    return pairs


def boilerplate(rng: random.Random) -> list[str]:
    """Footer lines a site appends to every article: furniture plus a long copyright notice."""
    spam, footer = furniture_lines(rng)
    site = rng.choice(REPOST_SITES)
    copyright_line = (
        f"版权声明：凡本网注明“来源：{site}”的所有作品，版权均属于{site}，未经本网授权不得转载、摘编或利用"
        "其它方式使用上述作品。已经本网授权使用作品的，应在授权范围内使用，并注明“来源：" + site + "”。"
        "本网转载其他媒体之稿件，意在为公众提供免费服务，如稿件版权单位或个人不想在本网发布，可与本网联系。"
    )
    return spam + footer + [copyright_line]


def negatives(docs: tuple[Doc, ...], rng: random.Random) -> list[Pair]:
    """Every pair of different articles, and articles paired with others under identical boilerplate."""
    pairs = []
    for first, second in combinations(docs, 2):
        slugs = {first.slug, second.slug}
        if slugs == set(REAL_REPOST):
            continue
        kind = "same-title-other-page" if slugs == set(SAME_TITLE_PAGES) else "different-article"
        pairs.append(Pair(first.text, second.text, False, kind))
    for doc in docs:
        if DIGITS.search(doc.text):
            pairs.append(Pair(doc.text, next_edition(doc, rng).text, False, "next-edition"))
    for doc in docs:
        others = [other for other in docs if other.slug != doc.slug and {doc.slug, other.slug} != set(REAL_REPOST)]
        for other in rng.sample(others, BOILERPLATE_PARTNERS):
            footer = tuple(boilerplate(rng))
            pairs.append(
                Pair(
                    replace(doc, paragraphs=doc.paragraphs + footer).text,
                    replace(other, paragraphs=other.paragraphs + footer).text,
                    False,
                    "shared-boilerplate",
                )
            )
    return pairs


def labelled_pairs(seed: int = 7) -> list[Pair]:
    """The evaluation set: the real repost pair, synthetic reposts of every fixture article, and the
    negatives. The same ``seed`` gives the same pairs."""
    rng = random.Random(seed)
    docs = fixture_articles()
    by_slug = {doc.slug: doc for doc in docs}
    pairs = [Pair(by_slug[REAL_REPOST[0]].text, by_slug[REAL_REPOST[1]].text, True, "real-repost")]
    for doc in docs:
        pairs.extend(reposts(doc, rng))
    pairs.extend(negatives(docs, rng))
    return pairs


@dataclass(frozen=True)
class Verdict:
    """What the store would decide for one pair."""

    pair: Pair
    candidate: bool
    """The two signatures share at least one (band, bucket): the index would compare them at all."""
    match: Match
    judged: SameArticle
    """The whole-text decision the store makes on a candidate that passes ``compare``."""

    @property
    def predicted(self) -> bool:
        """Judged a repost: found through the band index, let through by ``compare`` and accepted by
        ``same_article``."""
        return self.candidate and self.match.duplicate and self.judged.duplicate


def judge(pairs: list[Pair]) -> list[Verdict]:
    """Sign both texts of every pair (each distinct text once) and decide as the pipeline does."""
    signatures: dict[str, Signature] = {}

    def sign(text: str) -> Signature:
        if text not in signatures:
            signatures[text] = signature(text)
        return signatures[text]

    verdicts = []
    for pair in pairs:
        first, second = sign(pair.original), sign(pair.candidate)
        shared = set(band_buckets(first)) & set(band_buckets(second))
        judged = same_article(*pair.original.split("\n", 1), *pair.candidate.split("\n", 1))
        verdicts.append(Verdict(pair, bool(shared), compare(first, second), judged))
    return verdicts


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


def scores(verdicts: list[Verdict]) -> Scores:
    """Precision, recall and F1 of the predicted labels against the pairs' labels."""
    true_positives = sum(v.predicted and v.pair.duplicate for v in verdicts)
    predicted = sum(v.predicted for v in verdicts)
    actual = sum(v.pair.duplicate for v in verdicts)
    precision = true_positives / predicted if predicted else 1.0
    recall = true_positives / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)
