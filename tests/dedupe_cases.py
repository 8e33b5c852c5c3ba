"""A deduplication evaluation on real texts, end to end: pairs of pages made at run time from the
article texts of ``../shared/devset`` (copies a content farm or portal would make, and different
articles that look alike), each page on a site template of its own, replayed with the real
``edunews replay`` into a fresh database per kind, then judged from the database's sightings.

Shared by ``benchmarks/dedupe.py`` (the figures, beside a MinHash-LSH and a Simhash judge) and
``tests/test_dedupe_ratchet.py`` (a floor the figures may not drop below). Not a test module.

The devset's texts stay in the devset: pages are written to a temporary folder only, and every word
the generators add comes from ``dedupe_vocabulary``.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import dedupe_vocabulary as vocab
from dedupe_sites import CHINA_TIME, Copy, Site, save_page

from crawler.extraction.urls import canonicalize_url
from edunews.evaluate import HALVES, half_of
from pipelines.neardup import Signature, compare, signature

ROOT = Path(__file__).resolve().parent.parent
#: Devset sets whose ``truth.json`` carries a full ``text`` (trafilatura-eval has only snippets).
DEVSET_SETS = ("zh-real", "readability", "dragnet", "cleanportal")
#: Texts shorter than this are briefs: too short for copies to be told from coincidences.
MIN_BASE_CHARS = 300
#: A text is Chinese when this share of its letters are Han characters and it has no kana.
CHINESE_HAN_SHARE = 0.3
#: The real repost pair of the fixtures: a content farm's copy and a portal's copy of one story.
REAL_PAIR = ("seed-contentfarm-gbk", "seed-repost-portal")

#: Copies of one text: a merge is right. The synthetic ones are "degrading": their copy is worse than
#: the original, so the original should be the article's copy whatever the crawl order.
DEGRADING_KINDS = (
    "farm",
    "truncated",
    "lead-added",
    "paragraph-dropped",
    "headline-prefixed",
    "reflowed",
    "spun",
    "traditional",
)
POSITIVE_KINDS = (*DEGRADING_KINDS, "real-repost")
#: Different articles that look alike: a merge hides an article. No real same-event reports by
#: different outlets were found in the devset (its README names none), so there is no such kind.
NEGATIVE_KINDS = ("next-edition", "shared-frame", "unrelated-same-site")
KINDS = (*POSITIVE_KINDS, *NEGATIVE_KINDS)

#: Share of paragraphs a truncated copy keeps.
TRUNCATE_KEEP = (0.55, 0.75)
#: Below this many paragraphs, truncating or dropping works on sentences instead.
MIN_PARAGRAPHS = 4
#: Spam lines a farm copy gets.
FARM_SPAM_LINES = (1, 3)
#: Share of a text's words a spinner replaces (as far as the synonym table reaches).
SPIN_RATE = (0.05, 0.10)
#: Characters per word, to count the words of a Chinese text (which has no spaces).
ZH_CHARS_PER_WORD = 1.7
#: Chance that a paragraph boundary is removed, and that a paragraph is split, in a reflowed copy.
REFLOW_MERGE, REFLOW_SPLIT = 0.3, 0.3
#: OpenCC conversions a traditional-character copy is made with (Taiwan, Hong Kong, generic).
OPENCC_CONFIGS = ("s2t", "s2tw", "s2hk")
#: A next edition needs this many numbers in the text to change (years, counts, dates).
MIN_EDITION_NUMBERS = 3
#: A paragraph this long (by Chinese text or not) is prose the extractor keeps.
MIN_PROSE_CHARS = {True: 30, False: 80}
#: Share of a shared-frame notice that is the frame (opening and closing paragraphs).
FRAME_SHARE = (0.5, 0.65)
#: Days between an original and a repost, between two notices of a series, between two articles.
REPOST_DELAY_DAYS = (1, 5)
SERIES_DELAY_DAYS = (20, 90)
UNRELATED_DELAY_DAYS = (1, 20)
#: Publication dates of originals are drawn from this span (all before the pages' fetch time).
FIRST_DATE, DATE_SPAN_DAYS = datetime(2020, 1, 1, 8, 0, tzinfo=CHINA_TIME), 5 * 365
#: Seconds a replay of one kind may take before the evaluation gives up on it.
REPLAY_TIMEOUT = 600

HAN = re.compile(r"[\u4e00-\u9fff]")
KANA = re.compile(r"[\u3040-\u30ff]")
LETTER = re.compile(r"\w")
#: Sentence ends: CJK marks, or Western ones followed by a space.
ZH_SENTENCE = re.compile(r"(?<=[。！？])")
OTHER_SENTENCE = re.compile(r"(?<=[.!?])\s+")
#: A year a content farm strips: at the start of a paragraph or sentence, before 年 (Chinese).
ZH_LEADING_YEAR = re.compile(r"(?:^|(?<=[。！？；，]))(?:19|20)\d{2}(?=年)")
#: Anniversaries lose their digits too (建党100周年 → 建党周年).
ZH_ANNIVERSARY = re.compile(r"\d+(?=周年)")
OTHER_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
NUMBER = re.compile(r"\d+")
#: Where a labelled title's site suffix starts: an underscore, or a bar or dash between spaces.
TITLE_SUFFIX = re.compile(r"\s*_|\s+[|｜–—-]\s+")
#: A title cut shorter than this at a separator was not a headline with a suffix.
MIN_HEADLINE_CHARS = 6
YEAR = re.compile(r"(?:19|20)\d{2}")
ENGLISH_WORD = re.compile(r"[A-Za-z]+")
#: Full-width punctuation and its half-width counterpart, for reflowed copies.
FULL_TO_HALF = str.maketrans("，。：；！？（）", ",.:;!?()")
HALF_TO_FULL = str.maketrans(",:;!?", "，：；！？")


@dataclass(frozen=True)
class Base:
    """One devset article text the copies are made from."""

    page_id: str
    """``<set>/<folder>``: the devset page the text comes from."""
    title: str
    paragraphs: tuple[str, ...]
    chinese: bool
    half: str


@dataclass(frozen=True)
class Story:
    """A headline and paragraphs: what a generator takes and makes."""

    title: str
    paragraphs: tuple[str, ...]
    chinese: bool


@dataclass(frozen=True)
class Sites:
    """The sites a copy generator may name: where the original sits and where the copy goes."""

    original: str
    copy: str


Generator = Callable[[Story, random.Random, Sites], Story]


# --- bases ---------------------------------------------------------------------------------------


def is_chinese(text: str) -> bool:
    """True for a Chinese text (Han characters, no Japanese kana): only those get Chinese sites and
    traditional-character copies."""
    letters = len(LETTER.findall(text)) or 1
    return len(HAN.findall(text)) / letters >= CHINESE_HAN_SHARE and not KANA.search(text)


def headline_of(title: str) -> str:
    """The title without the site or channel suffix some labels keep (``…_科技_某网``, ``… | Site``):
    a page shows the bare headline in its h1."""
    first = TITLE_SUFFIX.split(title.strip())[0]
    return first if len(first) >= MIN_HEADLINE_CHARS else title.strip()


def read_base(folder: Path, set_name: str) -> Base | None:
    """The base of one devset page, or None when it has no full text or a short one."""
    try:
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    text = truth.get("text") or ""
    if not truth.get("article") or len(text) < MIN_BASE_CHARS:
        return None
    paragraphs = tuple(line.strip() for line in text.splitlines() if line.strip())
    title = headline_of(truth.get("title") or paragraphs[0])
    # A text that repeats its headline as its first line: the page shows it once, as the headline.
    paragraphs = paragraphs[1:] if len(paragraphs) > 1 and paragraphs[0] == title else paragraphs
    page_id = f"{set_name}/{folder.name}"
    return Base(page_id, title, paragraphs, is_chinese(text), half_of(page_id))


@lru_cache(maxsize=4)
def load_bases(devset: Path) -> tuple[Base, ...]:
    """Every usable base of the devset, in page-id order, with copies of one text kept once (one
    page is in two sets on purpose; two copies of one text would make every kind's pairs collide)."""
    bases: list[Base] = []
    signatures: list[Signature] = []
    kept: dict[tuple[int, int], list[int]] = defaultdict(list)
    for set_name in DEVSET_SETS:
        folder = devset / set_name
        for page in sorted(folder.iterdir()) if folder.is_dir() else ():
            base = read_base(page, set_name)
            if base is None:
                continue
            signed = signature("\n".join(base.paragraphs))
            candidates = {index for bucket in signed.buckets for index in kept[bucket]}
            if any(compare(signed, signatures[index]).duplicate for index in candidates):
                continue
            for bucket in signed.buckets:
                kept[bucket].append(len(bases))
            bases.append(base)
            signatures.append(signed)
    return tuple(bases)


def _order_key(seed: int, page_id: str) -> bytes:
    return hashlib.sha256(f"{seed}:{page_id}".encode()).digest()


def select_bases(bases: Sequence[Base], count: int, seed: int) -> list[Base]:
    """``count`` bases in a seeded order: up to half of them Chinese (the devset has far fewer
    Chinese texts than English ones, and Chinese copies are what edunews meets most), the rest in
    other languages."""
    ordered = sorted(bases, key=lambda base: _order_key(seed, base.page_id))
    chinese = [base for base in ordered if base.chinese][: count // 2]
    others = [base for base in ordered if not base.chinese][: count - len(chinese)]
    return sorted(chinese + others, key=lambda base: _order_key(seed, base.page_id))


# --- text helpers --------------------------------------------------------------------------------


def sentences(paragraph: str, chinese: bool) -> list[str]:
    """The paragraph's sentences, each keeping its end mark (Chinese ones without spaces between)."""
    pieces = (ZH_SENTENCE if chinese else OTHER_SENTENCE).split(paragraph)
    return [piece for piece in pieces if piece.strip()]


def _joiner(chinese: bool) -> str:
    return "" if chinese else " "


def _as_units(story: Story) -> list[str]:
    """Paragraphs, or sentences when the text has too few paragraphs to cut or drop one."""
    if len(story.paragraphs) >= MIN_PARAGRAPHS:
        return list(story.paragraphs)
    return [sentence for paragraph in story.paragraphs for sentence in sentences(paragraph, story.chinese)]


def _pick(rng: random.Random, choices: Sequence[str], **slots: str) -> str:
    return rng.choice(choices).format(**slots)


# --- positive generators: copies of one text -----------------------------------------------------


def farm(story: Story, rng: random.Random, sites: Sites) -> Story:
    """A content farm's copy: the year stripped where a paragraph or sentence starts with it (its
    scraper drops the digits of a leading "2021年", leaving "年…"; anniversaries lose theirs too;
    other numbers stay), 1-3 hospital or tutoring spam lines with an off-site link put between
    paragraphs, and a reprint notice naming the original site at the end."""
    if story.chinese:
        stripped = [ZH_ANNIVERSARY.sub("", ZH_LEADING_YEAR.sub("", p)) for p in story.paragraphs]
    else:
        stripped = []
        for paragraph in story.paragraphs:
            first, *rest = sentences(paragraph, False) or [paragraph]
            stripped.append(" ".join([" ".join(OTHER_YEAR.sub("", first).split()), *rest]))
    spam = vocab.ZH_SPAM_LINES if story.chinese else vocab.OTHER_SPAM_LINES
    for line in rng.sample(spam, rng.randint(*FARM_SPAM_LINES)):
        stripped.insert(rng.randint(0, len(stripped)), line)
    notices = vocab.ZH_REPRINT_NOTICES if story.chinese else vocab.OTHER_REPRINT_NOTICES
    stripped.append(_pick(rng, notices, source=sites.original))
    return replace(story, paragraphs=tuple(stripped))


def truncated(story: Story, rng: random.Random, sites: Sites) -> Story:
    """A copy cut after its first 55-75 % of paragraphs (of sentences, for a text of fewer than
    four paragraphs), as portals do that show a teaser or lose the rest of a page."""
    units = _as_units(story)
    keep = max(1, round(len(units) * rng.uniform(*TRUNCATE_KEEP)))
    if len(story.paragraphs) >= MIN_PARAGRAPHS:
        return replace(story, paragraphs=tuple(units[:keep]))
    return replace(story, paragraphs=(_joiner(story.chinese).join(units[:keep]),))


def lead_added(story: Story, rng: random.Random, sites: Sites) -> Story:
    """A copy with an editor's lead of the copying site's own above the story."""
    leads = vocab.ZH_LEADS if story.chinese else vocab.OTHER_LEADS
    return replace(story, paragraphs=(_pick(rng, leads, site=sites.copy), *story.paragraphs))


def paragraph_dropped(story: Story, rng: random.Random, sites: Sites) -> Story:
    """A copy missing one paragraph other than the first (one sentence, for a text of fewer than
    four paragraphs): an editor's cut, or a paragraph a scraper lost."""
    units = _as_units(story)
    if len(units) < 2:
        return story
    del units[rng.randint(1, len(units) - 1)]
    if len(story.paragraphs) >= MIN_PARAGRAPHS:
        return replace(story, paragraphs=tuple(units))
    return replace(story, paragraphs=(_joiner(story.chinese).join(units),))


def headline_prefixed(story: Story, rng: random.Random, sites: Sites) -> Story:
    """A copy whose headline carries a place or channel prefix (重庆：…, 【教育】…); text unchanged."""
    prefixes = vocab.ZH_HEADLINE_PREFIXES if story.chinese else vocab.OTHER_HEADLINE_PREFIXES
    return replace(story, title=rng.choice(prefixes) + story.title)


def reflowed(story: Story, rng: random.Random, sites: Sites) -> Story:
    """A copy whose paragraphs were merged and split at sentence ends, with full-width punctuation
    made half-width (Chinese) or half-width made full-width (other languages): the same words, laid
    out anew by another CMS."""
    joiner = _joiner(story.chinese)
    laid_out: list[str] = []
    for paragraph in story.paragraphs:
        parts = sentences(paragraph, story.chinese)
        if len(parts) > 2 and rng.random() < REFLOW_SPLIT:
            cut = rng.randint(1, len(parts) - 1)
            pieces = [joiner.join(parts[:cut]), joiner.join(parts[cut:])]
        else:
            pieces = [paragraph]
        if laid_out and rng.random() < REFLOW_MERGE:
            laid_out[-1] = laid_out[-1] + joiner + pieces.pop(0)
        laid_out.extend(pieces)
    table = FULL_TO_HALF if story.chinese else HALF_TO_FULL
    return replace(story, paragraphs=tuple(paragraph.translate(table) for paragraph in laid_out))


def _word_count(story: Story) -> int:
    text = "".join(story.paragraphs)
    if story.chinese:
        return round(len(HAN.findall(text)) / ZH_CHARS_PER_WORD)
    return len(ENGLISH_WORD.findall(text))


def spun(story: Story, rng: random.Random, sites: Sites) -> Story:
    """A lightly spun copy: 5-10 % of the text's words swapped for a synonym from a small invented
    table (fewer where the table finds fewer), as article spinners reword a copy to pass for new."""
    table = vocab.ZH_SYNONYMS if story.chinese else vocab.OTHER_SYNONYMS
    if story.chinese:
        pattern = re.compile("|".join(sorted(map(re.escape, table), key=len, reverse=True)))
    else:
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, table)) + r")\b")
    found = [(index, match) for index, p in enumerate(story.paragraphs) for match in pattern.finditer(p)]
    wanted = min(len(found), max(1, round(_word_count(story) * rng.uniform(*SPIN_RATE))))
    chosen = sorted(rng.sample(found, wanted), key=lambda item: (item[0], -item[1].start()))
    paragraphs = list(story.paragraphs)
    for index, match in chosen:  # right to left within a paragraph, so earlier offsets stay valid
        paragraph = paragraphs[index]
        paragraphs[index] = paragraph[: match.start()] + table[match.group(0)] + paragraph[match.end() :]
    return replace(story, paragraphs=tuple(paragraphs))


@lru_cache(maxsize=len(OPENCC_CONFIGS))
def _opencc(config: str) -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC(config).convert


def traditional_config(rng: random.Random) -> str:
    """The OpenCC conversion a Taiwan or Hong Kong portal's copy is made with."""
    return rng.choice(OPENCC_CONFIGS)


def traditional(story: Story, rng: random.Random, sites: Sites) -> Story:
    """A traditional-character copy (OpenCC s2t, s2tw or s2hk), as Taiwan and Hong Kong portals
    repost mainland stories; its page is converted whole (labels too) when it is saved, with the
    conversion drawn here first from ``rng``."""
    convert = _opencc(traditional_config(rng))
    return Story(convert(story.title), tuple(convert(p) for p in story.paragraphs), story.chinese)


# --- negative generators: different articles that look alike -------------------------------------


def number_count(story: Story) -> int:
    """Numbers in the story's sentences: those of paragraphs at least ``MIN_PROSE_CHARS`` long. A
    number alone on a short line (a date line, a byline, a photo count) is one the extractor drops as
    furniture, so two editions differing only there leave the same article text: no judge that reads
    the text can tell them apart, and such a pair measures nothing."""
    return sum(len(NUMBER.findall(p)) for p in story.paragraphs if len(p) >= MIN_PROSE_CHARS[story.chinese])


def _next_number(match: re.Match[str], rng: random.Random) -> str:
    """A year one later; a day of the month moved by a few days; any other count changed."""
    digits = match.group(0)
    value = int(digits)
    text, end = match.string, match.end()
    if YEAR.fullmatch(digits):
        return str(value + 1)
    if text[end : end + 1] in ("日", "号") and 1 <= value <= 31:
        return str((value + rng.randint(1, 6) - 1) % 28 + 1)
    if text[end : end + 1] == "月" and 1 <= value <= 12:
        return digits
    change = max(1, round(value * rng.uniform(0.05, 0.3)))
    return str(max(0, value + rng.choice((-change, change))))


def next_edition(story: Story, rng: random.Random, sites: Sites) -> Story:
    """Next year's edition of a templated text: every year one later (the headline's too), counts
    changed, days of the month moved. Two editions share almost every sentence and are different
    articles: the newer one is the news."""

    def renumber(text: str) -> str:
        return NUMBER.sub(lambda match: _next_number(match, rng), text)

    title = YEAR.sub(lambda match: str(int(match.group(0)) + 1), story.title)
    return Story(title, tuple(renumber(p) for p in story.paragraphs), story.chinese)


@dataclass(frozen=True)
class Frame:
    """The opening and closing paragraphs of one notice series."""

    issuer: str
    topic: str
    opening: tuple[str, ...]
    closing: tuple[str, ...]


def notice_frame(rng: random.Random, chinese: bool) -> Frame:
    """A series frame: two or three opening and closing paragraphs from the invented pool, filled
    with an issuer and a topic."""
    issuers, topics = (vocab.ZH_ISSUERS, vocab.ZH_TOPICS) if chinese else (vocab.OTHER_ISSUERS, vocab.OTHER_TOPICS)
    openings = vocab.ZH_FRAME_OPENINGS if chinese else vocab.OTHER_FRAME_OPENINGS
    closings = vocab.ZH_FRAME_CLOSINGS if chinese else vocab.OTHER_FRAME_CLOSINGS
    issuer, topic = rng.choice(issuers), rng.choice(topics)

    def filled(pool: Sequence[str]) -> tuple[str, ...]:
        return tuple(p.format(issuer=issuer, topic=topic) for p in rng.sample(pool, rng.randint(2, min(3, len(pool)))))

    return Frame(issuer, topic, filled(openings), filled(closings))


def framed(story: Story, frame: Frame, rng: random.Random) -> Story:
    """A notice of the series: the story's first paragraphs as its core, cut so the frame is 50-65 %
    of the text, between the frame's opening and closing paragraphs."""
    frame_chars = sum(map(len, frame.opening + frame.closing))
    share = rng.uniform(*FRAME_SHARE)
    core_chars = round(frame_chars * (1 - share) / share)
    core: list[str] = []
    for paragraph in story.paragraphs:
        room = core_chars - sum(map(len, core))
        if room <= 0:
            break
        core.append(paragraph if len(paragraph) <= room else _cut_at_sentence(paragraph, room, story.chinese))
    title = (
        f"{frame.issuer}关于{frame.topic}工作的通知（{story.title}）"
        if story.chinese
        else (f"{frame.issuer} notice on {frame.topic}: {story.title}")
    )
    return Story(title, (*frame.opening, *core, *frame.closing), story.chinese)


def _cut_at_sentence(paragraph: str, chars: int, chinese: bool) -> str:
    """The paragraph's first sentences up to about ``chars`` characters (at least one sentence)."""
    kept: list[str] = []
    for sentence in sentences(paragraph, chinese) or [paragraph]:
        if kept and sum(map(len, kept)) + len(sentence) > chars:
            break
        kept.append(sentence)
    return _joiner(chinese).join(kept)


#: The copy generators by kind (negatives that take two bases are built in ``plan_pairs``).
GENERATORS: dict[str, Generator] = {
    "farm": farm,
    "truncated": truncated,
    "lead-added": lead_added,
    "paragraph-dropped": paragraph_dropped,
    "headline-prefixed": headline_prefixed,
    "reflowed": reflowed,
    "spun": spun,
    "traditional": traditional,
    "next-edition": next_edition,
}


# --- sites and pairs -----------------------------------------------------------------------------


def all_sites(chinese: bool) -> list[Site]:
    table = vocab.ZH_SITES if chinese else vocab.OTHER_SITES
    return [Site(template, name, host) for template, sites in table.items() for name, host in sites]


#: Templates a kind's copy goes to: farms copy onto farm sites, traditional copies onto portals.
COPY_TEMPLATES = {"farm": ("zh-farm", "en-aggregator"), "traditional": ("zh-portal",)}


def copy_site(kind: str, original: Site, rng: random.Random, chinese: bool) -> Site:
    """Another site than the original's, of another template where the kind allows it."""
    sites = [site for site in all_sites(chinese) if site.host != original.host]
    wanted = [site for site in sites if site.template in COPY_TEMPLATES.get(kind, ())]
    other_template = [site for site in sites if site.template != original.template]
    return rng.choice(wanted or other_template or sites)


@dataclass(frozen=True)
class PlannedPage:
    """One page of a pair, before it is written."""

    copy: Copy
    intact: bool
    """True for the original as its site published it."""
    convert: str | None = None
    """OpenCC conversion applied to the whole saved page (traditional copies)."""


@dataclass(frozen=True)
class Pair:
    """Two pages whose merge the evaluation judges, in replay order."""

    kind: str
    index: int
    half: str
    duplicate: bool
    chinese: bool
    bases: tuple[str, ...]
    pages: tuple[PlannedPage, PlannedPage] | None = None
    fixture_folders: tuple[Path, Path] | None = None
    """For the real pair: the fixture folders, copied as they are."""

    @property
    def degraded_first(self) -> bool:
        """True when the first page replayed is a degraded copy and the second the intact original."""
        return self.pages is not None and not self.pages[0].intact and self.pages[1].intact


def _rng(seed: int, *parts: object) -> random.Random:
    """A generator seeded by the run's seed and ``parts``: each pair's choices stay the same when
    other pairs or kinds are added or left out."""
    key = ":".join(map(str, (seed, *parts)))
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


def _author(rng: random.Random, chinese: bool) -> str:
    return rng.choice(vocab.ZH_AUTHORS if chinese else vocab.OTHER_AUTHORS)


def original_page(base: Base, number: int, seed: int) -> PlannedPage:
    """The base as first published: on a site of its language, at a date from the seeded span."""
    rng = _rng(seed, "original", base.page_id)
    site = rng.choice(all_sites(base.chinese))
    published = FIRST_DATE + timedelta(days=rng.randrange(DATE_SPAN_DAYS), minutes=rng.randrange(600))
    copy = Copy(site, base.title, base.paragraphs, published, site.name, _author(rng, base.chinese), number)
    return PlannedPage(copy, intact=True)


def _later(copy: Copy, rng: random.Random, days: tuple[int, int]) -> datetime:
    return copy.published + timedelta(days=rng.randint(*days), minutes=rng.randrange(600))


def _copy_number(kind: str, index: int, role: int) -> int:
    """A URL number no other page of the run has: originals use the base's position below 100000."""
    return 100_000 + KINDS.index(kind) * 20_000 + 2 * index + role


def positive_pair(kind: str, index: int, base: Base, number: int, seed: int) -> Pair:
    """The original and a ``kind`` copy on another site, dated later and naming the original as its
    source; every other pair has the degraded copy replayed first."""
    original = original_page(base, number, seed)
    rng = _rng(seed, kind, base.page_id)
    site = copy_site(kind, original.copy.site, rng, base.chinese)
    sites = Sites(original.copy.site.name, site.name)
    story = GENERATORS[kind](
        Story(base.title, base.paragraphs, base.chinese), _rng(seed, kind, "text", base.page_id), sites
    )
    # The saved page is converted whole with the conversion the generator drew first from its stream.
    convert = traditional_config(_rng(seed, kind, "text", base.page_id)) if kind == "traditional" else None
    copy = Copy(
        site,
        story.title,
        story.paragraphs,
        _later(original.copy, rng, REPOST_DELAY_DAYS),
        original.copy.site.name,
        original.copy.author,
        _copy_number(kind, index, 0),
    )
    repost = PlannedPage(copy, intact=False, convert=convert)
    pages = (repost, original) if index % 2 else (original, repost)
    return Pair(kind, index, base.half, True, base.chinese, (base.page_id,), pages)


def edition_pair(index: int, base: Base, number: int, seed: int) -> Pair:
    """This year's text and next year's edition, both on the original's site a year apart."""
    original = original_page(base, number, seed)
    rng = _rng(seed, "next-edition", base.page_id)
    story = next_edition(Story(base.title, base.paragraphs, base.chinese), rng, Sites(original.copy.site.name, ""))
    later = replace(
        original.copy,
        title=story.title,
        paragraphs=story.paragraphs,
        published=original.copy.published + timedelta(days=365),
        number=_copy_number("next-edition", index, 0),
    )
    return Pair(
        "next-edition", index, base.half, False, base.chinese, (base.page_id,), (original, PlannedPage(later, True))
    )


def two_base_pair(kind: str, index: int, first: Base, second: Base, numbers: tuple[int, int], seed: int) -> Pair:
    """Two different texts on one site: wrapped in one notice series' frame (``shared-frame``), or
    as they are (``unrelated-same-site``)."""
    rng = _rng(seed, kind, first.page_id, second.page_id)
    site = rng.choice(all_sites(first.chinese))
    frame = notice_frame(rng, first.chinese) if kind == "shared-frame" else None
    delay = SERIES_DELAY_DAYS if frame else UNRELATED_DELAY_DAYS
    published = FIRST_DATE + timedelta(days=rng.randrange(DATE_SPAN_DAYS), minutes=rng.randrange(600))
    pages: list[PlannedPage] = []
    for role, base in enumerate((first, second)):
        story = Story(base.title, base.paragraphs, base.chinese)
        if frame is not None:
            story = framed(story, frame, rng)
        when = published if role == 0 else _later(pages[0].copy, rng, delay)
        copy = Copy(site, story.title, story.paragraphs, when, site.name, _author(rng, base.chinese), numbers[role])
        pages.append(PlannedPage(copy, intact=True))
    return Pair(kind, index, first.half, False, first.chinese, (first.page_id, second.page_id), (pages[0], pages[1]))


def _partners(bases: Sequence[Base]) -> list[tuple[Base, Base]]:
    """Bases paired two by two within one half and one language group, each base in one pair only
    (a base in two pairs of one database would join them)."""
    groups: dict[tuple[str, bool], list[Base]] = defaultdict(list)
    for base in bases:
        groups[(base.half, base.chinese)].append(base)
    return [(group[i], group[i + 1]) for group in groups.values() for i in range(0, len(group) - 1, 2)]


def plan_pairs(bases: Sequence[Base], kind: str, seed: int) -> list[Pair]:
    """The pairs of one kind over ``bases`` (which keep their positions as URL numbers)."""
    numbers = {base.page_id: index for index, base in enumerate(bases)}
    if kind == "real-repost":
        folders = (ROOT / "fixtures" / REAL_PAIR[0], ROOT / "fixtures" / REAL_PAIR[1])
        return [Pair(kind, 0, half_of("fixtures/" + REAL_PAIR[1]), True, True, REAL_PAIR, None, folders)]
    if kind in ("shared-frame", "unrelated-same-site"):
        return [
            two_base_pair(kind, index, first, second, (numbers[first.page_id], numbers[second.page_id]), seed)
            for index, (first, second) in enumerate(_partners(bases))
        ]
    if kind == "next-edition":
        usable = [b for b in bases if number_count(Story(b.title, b.paragraphs, b.chinese)) >= MIN_EDITION_NUMBERS]
        return [edition_pair(index, base, numbers[base.page_id], seed) for index, base in enumerate(usable)]
    usable = [base for base in bases if base.chinese] if kind == "traditional" else list(bases)
    return [positive_pair(kind, index, base, numbers[base.page_id], seed) for index, base in enumerate(usable)]


# --- writing, replaying, reading the database ----------------------------------------------------


@dataclass(frozen=True)
class WrittenPair:
    """A pair as written: its pages' URLs in replay order and their folders."""

    pair: Pair
    urls: tuple[str, str]
    folders: tuple[Path, Path]
    intact_url: str | None
    """The intact original's URL, where the pair has one and one copy is degraded."""


def pair_folder(kind_folder: Path, index: int, role: int) -> Path:
    """Folder names fix the replay order: ``saved_page_folders`` sorts them, so pair by pair, the
    first page (role 0) before the second."""
    return kind_folder / f"{index:05d}-{role}"


def write_pair(pair: Pair, kind_folder: Path) -> WrittenPair:
    """Write the pair's two pages as saved-page folders under ``kind_folder``."""
    folders = (pair_folder(kind_folder, pair.index, 0), pair_folder(kind_folder, pair.index, 1))
    if pair.fixture_folders is not None:
        urls = []
        for source, target in zip(pair.fixture_folders, folders, strict=True):
            shutil.copytree(source, target, dirs_exist_ok=True)
            urls.append(json.loads((source / "response.json").read_text(encoding="utf-8"))["url"])
        return WrittenPair(pair, (urls[0], urls[1]), folders, None)
    assert pair.pages is not None
    urls = []
    for page, folder in zip(pair.pages, folders, strict=True):
        convert = _opencc(page.convert) if page.convert else None
        description = f"dedupe evaluation, {pair.kind} pair {pair.index} of {', '.join(pair.bases)}: " + (
            "the original" if page.intact else "the copy"
        )
        urls.append(save_page(folder, page.copy, description, convert))
    intact = [url for page, url in zip(pair.pages, urls, strict=True) if page.intact]
    has_copy = pair.duplicate and len(intact) == 1
    return WrittenPair(pair, (urls[0], urls[1]), folders, intact[0] if has_copy else None)


def edunews_command() -> list[str]:
    """The ``edunews`` CLI of the interpreter running the evaluation (the venv's)."""
    script = Path(sys.executable).with_name("edunews")
    return [str(script)] if script.exists() else [sys.executable, "-m", "edunews.cli"]


def replay(folder: Path, database: Path) -> subprocess.CompletedProcess[str]:
    """``edunews replay FOLDER --db sqlite:///DATABASE``, the real CLI in its own process."""
    command = [*edunews_command(), "replay", str(folder), "--db", f"sqlite:///{database}", "--json"]
    return subprocess.run(command, capture_output=True, text=True, timeout=REPLAY_TIMEOUT, check=False)


@dataclass(frozen=True)
class Stored:
    """What the database says about the replayed pages."""

    article_of: dict[str, int]
    """Canonical URL of each stored sighting → its article."""
    elected: dict[int, str]
    """Article → the URL of the copy it keeps (``articles.url``)."""


def read_database(database: Path) -> Stored:
    """Sightings and articles, read with sqlite3 (read-only)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        article_of = dict(connection.execute("SELECT url, article_id FROM sightings").fetchall())
        elected = {article_id: url for article_id, url in connection.execute("SELECT id, url FROM articles")}
    finally:
        connection.close()
    return Stored(article_of, elected)


@dataclass
class Verdict:
    """One pair, judged."""

    written: WrittenPair
    merged: dict[str, bool] = field(default_factory=dict)
    """Judge name → whether it merged the pair."""
    stored: int = 0
    """How many of the pair's two pages the replay stored (a page that is not stored is not merged)."""
    intact_elected: bool | None = None
    """For a merged pair with its degraded copy replayed first: whether the article kept the original."""
    cross_pair: bool = False
    """True when one of the pair's pages joined an article of another pair."""

    @property
    def pair(self) -> Pair:
        return self.written.pair


def judge_edunews(written: Sequence[WrittenPair], stored: Stored) -> list[Verdict]:
    """Each pair's verdict from the database: merged when both URLs are sightings of one article."""
    owners: dict[int, set[int]] = defaultdict(set)
    articles = []
    for item in written:
        ids = [stored.article_of.get(canonicalize_url(url)) for url in item.urls]
        articles.append(ids)
        for article_id in ids:
            if article_id is not None:
                owners[article_id].add(item.pair.index)
    verdicts = []
    for item, ids in zip(written, articles, strict=True):
        merged = ids[0] is not None and ids[0] == ids[1]
        verdict = Verdict(item, {"edunews": merged}, sum(i is not None for i in ids))
        verdict.cross_pair = any(i is not None and len(owners[i]) > 1 for i in ids)
        if merged and item.pair.degraded_first and item.intact_url is not None:
            verdict.intact_elected = stored.elected[ids[0]] == canonicalize_url(item.intact_url)
        verdicts.append(verdict)
    return verdicts


# --- the baselines: the same extracted texts, other judges ---------------------------------------

#: datasketch MinHash: permutations and seed (its defaults are 128 and 1).
BASELINE_PERM, BASELINE_SEED = 128, 1
#: The MinHash judge merges a pair whose estimated Jaccard similarity reaches this (the 0.5 an
#: LSH index with ``threshold=0.5`` is built for), computed per pair from the two signatures.
BASELINE_JACCARD = 0.5
#: trafilatura fingerprints a document with ``Simhash(title + " " + text)`` (``core.py``) but compares
#: fingerprints nowhere: ``Simhash.similarity`` has no threshold in the package. This is the usual
#: one for 64-bit Simhash (Manku et al. 2007): at most 3 of 64 bits differ.
SIMHASH_THRESHOLD = (64 - 3) / 64
BASELINES = ("minhash", "simhash")


@dataclass(frozen=True)
class Extracted:
    """A page's headline and text as edunews extracts them in-process, or None when it declines."""

    title: str
    text: str


def extract_page(folder: Path) -> Extracted | None:
    """Extract a saved page the way the replay does (``crawler.extraction.extract.extract_article``)."""
    from crawler.extraction.extract import NotAnArticle, extract_article
    from crawler.extraction.pages import read_saved_page

    try:
        article = extract_article(read_saved_page(folder))
    except (NotAnArticle, ValueError):
        return None
    return Extracted(article.title or "", article.text or "")


def minhash_of(extracted: Extracted):  # noqa: ANN201 - a datasketch MinHash
    """datasketch's MinHash of the shingles edunews signs (``pipelines.neardup.shingles`` of
    headline and text, as ``pipelines.dedupe.text_keys`` joins them)."""
    from datasketch import MinHash

    from pipelines.neardup import shingles

    signature = MinHash(num_perm=BASELINE_PERM, seed=BASELINE_SEED)
    signature.update_batch([gram.encode("utf-8") for gram in shingles(extracted.title + "\n" + extracted.text)])
    return signature


def judge_baselines(verdict: Verdict, extracted: tuple[Extracted | None, Extracted | None]) -> None:
    """Add the MinHash and Simhash verdicts on the pair's extracted texts."""
    from trafilatura.deduplication import Simhash

    first, second = extracted
    if first is None or second is None:
        verdict.merged.update(minhash=False, simhash=False)
        return
    verdict.merged["minhash"] = minhash_of(first).jaccard(minhash_of(second)) >= BASELINE_JACCARD
    similarity = Simhash(first.title + " " + first.text).similarity(Simhash(second.title + " " + second.text))
    verdict.merged["simhash"] = similarity >= SIMHASH_THRESHOLD


# --- a whole run ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunOptions:
    """What one evaluation run covers."""

    devset: Path
    bases: int
    seed: int
    kinds: tuple[str, ...] = KINDS
    baselines: bool = True


def plan(options: RunOptions) -> dict[str, list[Pair]]:
    """Every kind's pairs."""
    bases = select_bases(load_bases(options.devset), options.bases, options.seed)
    return {kind: plan_pairs(bases, kind, options.seed) for kind in options.kinds}


def run(
    options: RunOptions, workdir: Path, on_pair: Callable[[str], None] | None = None
) -> tuple[dict[str, list[Verdict]], dict[str, str]]:
    """Write every kind's pages under ``workdir``, replay each kind into a fresh database (in a
    background thread, one replay at a time, while this thread extracts the same pages for the
    baselines), and judge every pair. Returns the verdicts by kind and each failed replay's error."""
    planned = plan(options)
    written = {kind: [write_pair(pair, workdir / kind) for pair in pairs] for kind, pairs in planned.items()}
    errors: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=1) as pool:
        replays = {
            kind: pool.submit(replay, workdir / kind, workdir / f"{kind}.sqlite") for kind in written if written[kind]
        }
        extracted = _extract_all(written, on_pair) if options.baselines else {}
        verdicts: dict[str, list[Verdict]] = {}
        for kind, items in written.items():
            if not items:
                verdicts[kind] = []
                continue
            finished = replays[kind].result()
            if finished.returncode not in (0, 1) or not (workdir / f"{kind}.sqlite").exists():
                errors[kind] = (finished.stderr or finished.stdout)[-2000:]
                stored = Stored({}, {})
            else:
                stored = read_database(workdir / f"{kind}.sqlite")
            verdicts[kind] = judge_edunews(items, stored)
            for verdict in verdicts[kind]:
                if options.baselines:
                    judge_baselines(verdict, extracted[verdict.written.folders])
                elif on_pair:
                    on_pair(kind)
    return verdicts, errors


def _extract_all(
    written: dict[str, list[WrittenPair]], on_pair: Callable[[str], None] | None
) -> dict[tuple[Path, Path], tuple[Extracted | None, Extracted | None]]:
    """Each pair's two extractions; a page written byte for byte the same in several kinds (the
    originals) is extracted once."""
    cache: dict[bytes, Extracted | None] = {}
    result = {}
    for kind, items in written.items():
        for item in items:
            pages = []
            for folder in item.folders:
                key = hashlib.sha256(
                    (folder / "body.html").read_bytes() + (folder / "response.json").read_bytes()
                ).digest()
                if key not in cache:
                    cache[key] = extract_page(folder)
                pages.append(cache[key])
            result[item.folders] = (pages[0], pages[1])
            if on_pair:
                on_pair(kind)
    return result


# --- figures -------------------------------------------------------------------------------------


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def kind_figures(kind: str, verdicts: Sequence[Verdict], judges: Iterable[str]) -> dict[str, object]:
    """One kind's pairs, each judge's merge rate, pages not stored, cross-pair merges and the
    best-copy share."""
    judges = list(judges)
    degraded_first = [v for v in verdicts if v.intact_elected is not None]
    return {
        "pairs": len(verdicts),
        "duplicate": kind in POSITIVE_KINDS,
        "merged": {j: _share(sum(v.merged.get(j, False) for v in verdicts), len(verdicts)) for j in judges},
        "merged_count": {j: sum(v.merged.get(j, False) for v in verdicts) for j in judges},
        "pages_not_stored": sum(2 - v.stored for v in verdicts),
        "cross_pair_merges": sum(v.cross_pair for v in verdicts),
        "best_copy": _share(sum(bool(v.intact_elected) for v in degraded_first), len(degraded_first)),
        "best_copy_groups": len(degraded_first),
    }


def judge_scores(verdicts: Sequence[Verdict], judge: str) -> dict[str, object]:
    """Precision, recall and F1 of one judge over all pairs; recall on traditional copies; merged
    negatives by kind; for edunews, the best-copy share over the degrading kinds."""
    positives = [v for v in verdicts if v.pair.duplicate]
    negatives = [v for v in verdicts if not v.pair.duplicate]
    true_pos = sum(v.merged.get(judge, False) for v in positives)
    false_pos = sum(v.merged.get(judge, False) for v in negatives)
    precision = _share(true_pos, true_pos + false_pos)
    recall = _share(true_pos, len(positives))
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    traditional_pairs = [v for v in positives if v.pair.kind == "traditional"]
    negative_kinds = sorted({v.pair.kind for v in negatives})
    scores: dict[str, object] = {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "traditional_recall": _share(
            sum(v.merged.get(judge, False) for v in traditional_pairs), len(traditional_pairs)
        ),
        "negatives_merged": {
            kind: sum(v.merged.get(judge, False) for v in negatives if v.pair.kind == kind) for kind in negative_kinds
        },
    }
    if judge == "edunews":
        # Pages of different negative pairs joined in one article (notices of one series frame):
        # wrong merges too, outside the pairs the baselines judge.
        scores["negatives_cross_pair"] = {
            kind: sum(v.cross_pair for v in negatives if v.pair.kind == kind) for kind in negative_kinds
        }
        groups = [v for v in verdicts if v.intact_elected is not None]
        scores["best_copy"] = _share(sum(bool(v.intact_elected) for v in groups), len(groups))
        scores["best_copy_groups"] = len(groups)
    return scores


def figures(verdicts: dict[str, list[Verdict]], judges: Sequence[str]) -> dict[str, dict[str, object]]:
    """Per half (``tune``, ``blind``) and for ``all``: figures by kind and scores by judge."""
    result: dict[str, dict[str, object]] = {}
    for half in (*HALVES, "all"):
        chosen = {k: [v for v in vs if half == "all" or v.pair.half == half] for k, vs in verdicts.items()}
        every = [v for vs in chosen.values() for v in vs]
        result[half] = {
            "kinds": {kind: kind_figures(kind, vs, judges) for kind, vs in chosen.items()},
            "judges": {judge: judge_scores(every, judge) for judge in judges},
        }
    return result


# --- the floor -----------------------------------------------------------------------------------

#: The floor's scores that may only go up, and the count ceilings that may only go down.
FLOOR_RISING = ("recall", "precision", "traditional_recall", "best_copy")
FLOOR_CEILINGS = ("negatives_merged", "negatives_cross_pair")


def floor_of(scores: dict[str, object], options: RunOptions) -> dict[str, object]:
    """edunews' scores over all pairs as a floor, with the run it was measured on."""
    floor: dict[str, object] = {"run": {"bases": options.bases, "seed": options.seed, "kinds": list(options.kinds)}}
    for key in FLOOR_RISING:
        value = scores.get(key)
        floor[key] = None if value is None else round(float(value), 3)  # type: ignore[arg-type]
    for key in FLOOR_CEILINGS:
        floor[key] = dict(scores[key])  # type: ignore[call-overload]
    return floor


def below_floor(scores: dict[str, object], floor: dict[str, object]) -> list[str]:
    """Every figure worse than the floor, named; empty when the run holds the floor."""
    problems = []
    for key in FLOOR_RISING:
        value, least = scores.get(key), floor.get(key)
        if least is not None and (value is None or round(float(value), 3) < least):  # type: ignore[arg-type]
            problems.append(f"{key} {value} < floor {least}")
    for key in FLOOR_CEILINGS:
        counts: dict[str, int] = scores[key]  # type: ignore[assignment]
        for kind, most in floor.get(key, {}).items():  # type: ignore[attr-defined]
            if counts.get(kind, 0) > most:
                problems.append(f"{kind}: {key} {counts.get(kind, 0)} > ceiling {most}")
    return problems
