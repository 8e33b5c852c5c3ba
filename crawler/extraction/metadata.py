"""Page-level metadata: headline, canonical URL, dates, source, authors, site name, language."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector

from crawler.extraction.blocks import Block, Link, fold_variants, normalize_space, squash, text_of
from crawler.extraction.dates import (
    CHINA_TZ,
    CN_DATE_RE,
    FUTURE_SLACK,
    DateReader,
    date_from_timestamp,
    date_from_url,
    parse_date,
)
from crawler.extraction.markup import markup
from crawler.extraction.patterns import (
    AFFILIATION,
    AUTHOR_LABEL,
    BAR,
    BYLINE_MARKS,
    CJK_CHAR,
    CJK_PERSON_NAME,
    CLOSING_NAMES,
    DATE_THEN_REST,
    DATED_OUTLET,
    FIELD_OPENING,
    INSTITUTION_WORD,
    LABEL_CELL,
    LABEL_MARK,
    LATIN_NAME,
    META_LINE_LABELS,
    NAME_BEFORE_COLON,
    NAMES_THEN_DATE,
    NON_SOURCE,
    NOT_NAME_WORDS,
    OPENS_WITH_DATE,
    OUTLET_NAME,
    QUOTED_SOURCE,
    ROLE_ONLY_LINE,
    RUNNING_TEXT_PUNCT,
    SENTENCE_END,
    SENTENCE_END_MARKS,
    SOURCE_LABEL,
    STAMP_LABEL,
    SURNAMES,
    TITLE_SEPARATORS,
)
from crawler.extraction.processors import (
    bare_names,
    clean_name,
    closing_names,
    credited_names,
    editor_names,
    is_bare_name_line,
    is_related_heading,
    named_outlet,
    names_in_byline,
    reporter_names,
    split_names,
)
from crawler.extraction.urls import host_of, joined_url, registrable_domain
from crawler.extraction.vocabulary import alternation

#: Meta tags that carry the publication time, most trusted first (Open Graph, schema.org, Dublin Core,
#: Parse.ly/Sailthru, Highwire citations, Chinese CMS names); a bare ``date`` is the least specific.
DATE_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "pubdate",
    "publishdate",
    "publish_date",
    "publishtime",
    "published_time",
    "datepublished",
    "og:release_date",
    "parsely-pub-date",
    "sailthru.date",
    "citation_publication_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "firstpublishedtime",
    "date",
)
#: Blocks above the headline that may carry its date (some templates print the date over the title).
HEADER_ABOVE = 2
#: Blocks between the headline and the running text read as its meta lines; past this many the gap is
#: navigation or a sidebar, and only its last HEADER_GAP_TAIL blocks (just over the text) still count.
HEADER_GAP_MAX = 12
HEADER_GAP_TAIL = 4
#: Blocks from the start of the running text that may still be the meta line (a locator may start the
#: body at the date line itself); there a date line is short.
HEADER_BELOW = 3
BODY_DATE_LINE_MAX = 80
#: A block in the header longer than this is a paragraph that mentions a date, not a date line.
DATE_LINE_MAX = 120
#: Only a line this short may give a year-less or relative date (06-28 10:30, 3小时前): in anything
#: longer such a date is more likely an event in the text than the publication time.
PARTIAL_DATE_LINE_MAX = 40
#: schema.org types whose ``datePublished`` is the page's own, not a review's or a comment's.
ARTICLE_TYPE = re.compile(r"article|posting|report|blog", re.I)
#: ``datePublished`` in JSON-LD that does not parse as JSON (trailing commas, raw newlines in strings).
JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"(?P<value>[^"]+)"')
#: WeChat posts render their date from a script variable (``var ct = "1523110915"``; newer pages
#: ``create_time``); the static HTML often shows no date at all.
SCRIPT_TIMESTAMP = re.compile(r"""(?:\bvar\s+ct|\bcreate_time)\s*[=:]\s*["'](?P<ts>\d{10})["']""")
#: The last lines of the article's text, and as many after it, that may carry its byline or source.
CLOSING_LINES = 4
#: A short labelled line among the closing lines (摄影：王某) is a credit, not counted among them, up to
#: this many: a story's credit run (撰稿, 摄影, 初审, 复审, 终审, 编辑, 责任编辑) is as long as its reviews.
CREDIT_LINE_MAX = 30
CREDIT_LINES_MAX = 8
#: Lines above the headline that may carry the source (templates that print 来源 over the title).
BYLINE_ABOVE = 4
#: A line no longer than this may be a byline (本报记者 周明远 何 静); longer ones are sentences.
BYLINE_LINE_MAX = 60
#: A line that is one bracketed aside (``（王小明）``): below an article, a signature that names no role.
BRACKETED_LINE = re.compile(r"^[（(][^（()）]{2,20}[)）]$")
#: The address of a writer's own page on a site, as CMSs build it (WordPress ``/author/jane-smith/``,
#: ``/authors/…``, ``/staff/2345/…``, ``/profile/…``, ``/people/…``, ``/reporters/…``): a link to it in a
#: story's header names the writer.
AUTHOR_PAGE = re.compile(
    r"/(?:authors?|staff|profiles?|people|journalists?|reporters?|contributors?|columnists?)/[^/?#]"
)
#: A Chinese sentence's end: a header line with one is the story's first sentence, not a byline (its
#: lead's byline, 本报讯（记者 王某）…, is read with the body).
CJK_SENTENCE_END = re.compile(f"[{SENTENCE_END_MARKS}]")
#: Hosts under China's country domains (Hong Kong and Macao keep UTC+8 too): their pages' times are
#: Beijing time whatever language they are written in.
CHINESE_HOST = re.compile(r"\.(cn|hk|mo)$")
#: Kana and Hangul: a page showing them is Japanese or Korean, whose Han dates are not China time.
KANA_OR_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
#: Share of Han characters among letters above which text is read as Chinese (``writes_chinese``).
HAN_SHARE = 0.3
#: ``<html lang>`` tags whose pages write 03/05/2022 month first: US English (and bare ``en``). Other
#: languages, and English as written outside the US, put the day first.
MONTH_FIRST_LANGUAGES = frozenset({"en", "en-us"})
#: Languages that write dates year first; a slashed d/d/yyyy on their pages is an ASP.NET server's US
#: default, so it is read month first too.
YEAR_FIRST_LANGUAGES = frozenset({"zh", "ja", "ko"})
#: A label that makes the date after it a revision time, not the publication time.
#: (Chinese needs its 时间/日期/于 or a colon: 更新 alone is also a verb in headlines and ledes.)
UPDATED_LABEL = re.compile(alternation("updated-label"), re.I)
TITLE_META = ("articletitle", "og:title", "twitter:title")
SOURCE_META = ("contentsource", "source", "article:source")
AUTHOR_META = ("author", "article:author", "dc.creator")
SOURCE_FIELD_MAX = 20
#: What an outlet's name is written with: Chinese first, then letters, digits, · and dashes (人民网－人民日报).
OUTLET_TEXT = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff\w·－-]*")
#: An account name is a name, not a profile card's paragraph.
ACCOUNT_NAME_MAX = 30
SITE_META = ("og:site_name", "sitename", "site_name", "application-name")
#: The longest title part after a bare hyphen that is still taken for a site or channel name.
SITE_PART_MAX = 12
#: The shortest domain label looked for in a title's parts: shorter ones (``qq``, ``a``) turn up inside
#: ordinary words.
SITE_LABEL_MIN = 3
NOT_ALNUM = re.compile(r"[\W_]+")
#: htmldate copies and cleans the whole tree: on pages larger than this (elements) it would cost more
#: than the rest of extraction together, so such pages go without the library's guess.
LIBRARY_DATE_MAX_ELEMENTS = 20_000
#: An editor line is no longer than this (characters).
EDITOR_LINE_MAX = 80
#: Meta lines are short; a longer block with a date in it is a paragraph.
META_LINE_MAX = 200


def meta_content(selector: Selector, names: Iterable[str]) -> str | None:
    """The first non-empty ``<meta>`` content among ``names`` (name, property or itemprop; any case)."""
    metas = markup(selector).metas
    return next((metas[name.lower()] for name in names if name.lower() in metas), None)


def canonical_url(selector: Selector, base_url: str) -> str | None:
    """``<link rel=canonical>`` or ``og:url``, made absolute; ``None`` when it does not parse."""
    href = markup(selector).canonical_href or meta_content(selector, ("og:url",))
    return joined_url(base_url, href.strip()) if href and href.strip() else None


def title_tag(selector: Selector) -> str:
    return normalize_space(markup(selector).title or "")


def title_parts(title: str) -> list[str]:
    """``<title>`` split at site-suffix separators (``…_职业教育_XX网``, ``…--教育--人民网``, ``… | Site``)."""
    parts = [part for part in TITLE_SEPARATORS.split(title) if part]
    if len(parts) == 1 and "-" in title:
        # A bare hyphen separates only when what follows it is short enough to be a site or channel.
        hyphen_parts = [part.strip() for part in title.split("-") if part.strip()]
        if len(hyphen_parts) > 1 and all(len(part) <= SITE_PART_MAX for part in hyphen_parts[1:]):
            return hyphen_parts
    return parts


def site_label(url: str) -> str:
    """The name a site's address gives it: the first label of its registrable domain (``designpublic``
    of ``blog.designpublic.com``, ``wsj`` of ``online.wsj.com``); empty when that is too short, or has
    no letter, to be told apart in a title."""
    label = registrable_domain(host_of(url)).split(".")[0]
    return label if len(label) >= SITE_LABEL_MIN and any(ch.isalpha() for ch in label) else ""


def names_site(part: str, label: str) -> bool:
    """Whether a part of a title names the site whose address has ``label`` (:func:`site_label`): its
    letters and digits, run together, hold the label ("Hatch: The Design Public® Blog", "WSJ.com")."""
    return bool(label) and label in NOT_ALNUM.sub("", part.lower())


def title_candidates(selector: Selector, page_title: str, url: str) -> list[str]:
    """What the page says its title is, most specific first: title meta tags and their parts, then the
    parts of ``<title>``; a headline shown on the page is chosen by agreeing with one of them. A part
    that names the site (:func:`names_site`) is left out while another part does not: the site's name
    agrees with its header as well as the headline with its own block, and is often the longer."""
    label = site_label(url)
    candidates: list[str] = []
    for title in [meta_content(selector, (name,)) for name in TITLE_META] + [page_title]:
        if title:
            parts = title_parts(title)
            candidates += [*([part for part in parts if not names_site(part, label)] or parts), title]
    candidates = list(dict.fromkeys(candidate for candidate in candidates if candidate))
    # A part before a colon is the site's name where a link home shows it ("Blog Name: Post title"):
    # what follows the colon is a candidate too. "重庆：…" and "Brexit: …" are linked home nowhere.
    colons = [found for candidate in candidates if (found := NAME_BEFORE_COLON.match(candidate))]
    home = _linked_home(selector, url, {squash(found["name"]) for found in colons}) if colons else set()
    return list(dict.fromkeys([*(found["rest"] for found in colons if squash(found["name"]) in home), *candidates]))


def _linked_home(selector: Selector, url: str, names: set[str]) -> set[str]:
    """Those of ``names`` (squashed) that the page shows as the text of a link to its site's home page,
    as a blog's header links the blog's name home: read in one pass over the page's links."""
    host, found = host_of(url), set()
    for anchor in selector.root.iter("a"):
        href = anchor.get("href")
        if not href or (name := squash(text_of(anchor))) not in names or name in found:
            continue
        home = joined_url(url, href.strip())
        if home is not None and host_of(home) == host and urlsplit(home).path in ("", "/"):
            found.add(name)
    return found


def fallback_title(selector: Selector, page_title: str) -> str | None:
    """The title when no headline is shown: a title meta tag's first part, else ``<title>``'s."""
    meta_title = meta_content(selector, TITLE_META)
    if meta_title:
        return title_parts(meta_title)[0] if title_parts(meta_title) else meta_title
    parts = title_parts(page_title)
    return parts[0] if parts else None


def site_name(selector: Selector, page_title: str, url: str) -> str:
    """``og:site_name`` and kin, else the shorter end of ``<title>`` (sites put their name first or
    last, the headline takes the other end), else the host name."""
    named = meta_content(selector, SITE_META)
    if named:
        return named
    parts = title_parts(page_title)
    if len(parts) > 1:
        ends = (parts[0], parts[-1])
        label = site_label(url)
        return next((end for end in ends if names_site(end, label)), min(ends, key=len))
    return urlsplit(url).hostname or url


def declared_language(selector: Selector) -> str:
    """The language the page declares (``<html lang>``, else ``xml:lang``), lower-case with ``_`` read as
    ``-`` (``zh-cn``); empty when it declares none. Templates ship wrong ones (``lang="en"`` on Chinese
    pages), so each reader weighs it against what it reads it for."""
    declared = selector.xpath("/html/@lang").get() or selector.xpath("/html/@xml:lang").get() or ""
    return declared.strip().lower().replace("_", "-")


def writes_chinese(text: str) -> bool:
    """Whether Han characters make at least ``HAN_SHARE`` of the letters of the text's first 2,000
    characters: the one guess at a page's language from what it shows."""
    sample = text[:2000]
    letters = sum(ch.isalpha() for ch in sample) or 1
    return len(CJK_CHAR.findall(sample)) / letters >= HAN_SHARE


def language(selector: Selector, text: str) -> str:
    """The declared language's primary tag, else ``zh`` when Chinese characters dominate the text."""
    declared = declared_language(selector)
    if declared:
        return declared.split("-")[0]
    return "zh" if writes_chinese(text) else "en"


def keywords(selector: Selector) -> list[str]:
    """``<meta name=keywords>`` split at commas (and at spaces in Chinese lists)."""
    content = meta_content(selector, ("keywords", "news_keywords")) or ""
    separators = r"[,，、;；|]+" if re.search(r"[,，、;；|]", content) or not CJK_CHAR.search(content) else r"\s+"
    return [word.strip() for word in re.split(separators, content) if word.strip()]


def meta_lines(page_blocks: Sequence[Block]) -> list[str]:
    """Short lines that label a date, source or author (``发布时间：… 来源：…``), in page order."""
    return [text for text in (block.text for block in page_blocks) if is_meta_line(text)]


def is_meta_line(text: str) -> bool:
    """A short line that labels a date, source or author."""
    return len(text) <= META_LINE_MAX and bool(META_LINE_LABELS.search(fold_variants(text)))


def default_timezone(lang: str, url: str = "") -> tzinfo:
    """Chinese pages, and pages of sites under a Chinese country domain (an English edition on ``.cn``),
    that give no offset mean Beijing time; others are read as UTC. The zone also says what CST means
    on the page (``crawler.extraction.dates.zone_names``)."""
    return CHINA_TZ if lang == "zh" or CHINESE_HOST.search(host_of(url)) else UTC


def header_blocks(page_blocks: Sequence[Block], headline_index: int | None, body_start: int | None) -> list[Block]:
    """The blocks where a reader looks for the article's date, nearest first: the meta lines between the
    headline and the running text, the first lines of the text, then just above the headline.

    The article's own meta line sits there; dates elsewhere on the page belong to sidebars, related
    lists and footers. Either index may be missing (no headline shown, no body located); a body said
    to start at or above the headline is read as unknown, and the meta zone then ends at the first
    block too long for a meta line. Empty blocks (icons, spacers) are not counted."""
    if headline_index is None and body_start is None:
        return []
    top = headline_index if headline_index is not None else body_start - 1  # type: ignore[operator]
    if body_start is not None and body_start > top:
        text_start = body_start
    else:
        text_start = next((i for i in range(top + 1, len(page_blocks)) if _is_running_text(page_blocks[i])), None)
        text_start = len(page_blocks) if text_start is None else text_start
    gap = _shown(page_blocks, range(top + 1, text_start))
    if len(gap) > HEADER_GAP_MAX:
        gap = gap[:HEADER_GAP_MAX] + gap[-HEADER_GAP_TAIL:]
    below = [
        index
        for index in _shown(page_blocks, range(text_start, len(page_blocks)), HEADER_BELOW)
        if len(page_blocks[index].text) <= BODY_DATE_LINE_MAX
    ]
    above = _shown(page_blocks, range(top - 1 if headline_index is not None else top, -1, -1), HEADER_ABOVE)
    order = dict.fromkeys((*gap, *below, *above))
    return [_with_value(page_blocks, index) for index in order if len(page_blocks[index].text) <= DATE_LINE_MAX]


def _with_value(page_blocks: Sequence[Block], index: int) -> Block:
    """The block at ``index``, holding the value of its label when it is a label alone whose value
    the next element shows (a table's cells: 发布日期： | 2024年05月20日 | 信息来源： | 区教育局), with the
    colon a bare label's cell leaves out (来源 | 某报)."""
    block = page_blocks[index]
    label = LABEL_CELL.match(block.text)
    if not label:
        return block
    value = next((page_blocks[after] for after in _shown(page_blocks, range(index + 1, len(page_blocks)), 1)), None)
    colon = "：" if label["bare"] else ""
    return replace(block, text=f"{block.text}{colon}{value.text}") if value is not None else block


def _shown(page_blocks: Sequence[Block], indices: Iterable[int], limit: int | None = None) -> list[int]:
    """The first ``limit`` indices (all when None) of blocks that show any text."""
    found: list[int] = []
    for index in indices:
        if limit is not None and len(found) >= limit:
            break
        if 0 <= index < len(page_blocks) and page_blocks[index].text:
            found.append(index)
    return found


def _is_running_text(block: Block) -> bool:
    """A paragraph of the article rather than a meta line: too long for one, or a sentence."""
    return len(block.text) > DATE_LINE_MAX or bool(RUNNING_TEXT_PUNCT.search(block.text))


def published_at(
    selector: Selector,
    lines: Sequence[str],
    url: str,
    *,
    now: datetime | None,
    tz: tzinfo,
    profile_text: str | None = None,
    header: Sequence[Block] = (),
    closing: Sequence[str] = (),
) -> datetime | None:
    """The publication time a reader would give, from the most to the least direct evidence:

    1. the profile's date selector;
    2. the date shown on the article's own meta line (``header``, see ``header_blocks``), where a
       structured time on the same day adds the time a date-only line leaves out;
    3. structured data (date ``<meta>``, JSON-LD, ``itemprop``, ``<time>``, WeChat's script time),
       which a labelled meta line elsewhere on the page may refine;
    4. a date the header labels as an update (BBC Chinese shows only 更新时间);
    5. a labelled meta line anywhere (``lines``), then the URL;
    6. the date a Chinese notice is signed with, a line of its own among its ``closing`` lines
       (某市教育局 / 二〇二四年三月五日), where the page shows no other;
    7. htmldate's search of the whole page, as the last resort.

    Dates past the crawl time (or now) are refused at every step."""
    reader = DateReader(
        now=now, tz=page_zone(selector, tz, [*(block.text for block in header), *lines]), dayfirst=day_first(selector)
    )
    latest = (now or datetime.now(UTC)) + FUTURE_SLACK

    def usable(found: datetime | None) -> datetime | None:
        return found if found is not None and found <= latest else None

    if profile_text and (found := usable(reader.find(profile_text))):
        return found
    shown, updated = shown_dates(header, reader)
    if shown is not None and usable(shown) and _has_time(shown):
        return shown
    structured = usable(_refined_structured(selector, lines, reader))
    if shown is not None and usable(shown):
        return (structured and _on_shown_day(structured, shown, reader.tz)) or shown
    later_sources: tuple[Callable[[], datetime | None], ...] = (
        lambda: structured,
        lambda: updated,
        lambda: reader.first_in(lines),
        lambda: date_from_url(url, tz=reader.tz, now=now),
        lambda: reader.first_in(line for line in closing if CN_DATE_RE.fullmatch(line.strip())),
        lambda: library_date(selector, url, reader),
    )
    return next((found for source in later_sources if (found := usable(source()))), None)


def day_first(selector: Selector) -> bool:
    """Whether the page's language writes 03/05/2022 as 3 May (the declared language; none declared: no)."""
    lang = declared_language(selector)
    if not lang or lang.split("-")[0] in YEAR_FIRST_LANGUAGES:
        return False
    return lang not in MONTH_FIRST_LANGUAGES


#: An explicit UTC offset closing a machine-readable time: ``+08:00``, ``-0500``.
EXPLICIT_OFFSET = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})$"
)


def declared_offset(selector: Selector) -> tzinfo | None:
    """The zone the page's own structured time is written in, when it gives one other than UTC. A
    ``-05:00`` or ``+08:00`` there is the site's local time; ``Z`` and ``+00:00`` are as often a CMS
    storing UTC as a site in London, so they say nothing about the page."""
    for value in structured_dates(selector):
        found = EXPLICIT_OFFSET.search(value.strip())
        if found is None:
            continue
        offset = timedelta(hours=int(found["hours"]), minutes=int(found["minutes"]))
        if not offset or offset > timedelta(hours=14):
            return None
        return timezone(-offset if found["sign"] == "-" else offset)
    return None


def page_zone(selector: Selector, tz: tzinfo, texts: Iterable[str]) -> tzinfo:
    """The zone the page writes its times in: the offset its own structured time declares (see
    :func:`declared_offset`; then CST on it is US Central unless that offset is China's), else China
    time for a page whose ``<html lang>`` claims a Western language while its header is Chinese
    (templates ship ``lang="en"``; every Chinese-writing region keeps UTC+8), else ``tz``. Japanese
    and Korean pages keep ``tz``."""
    declared = declared_offset(selector)
    if declared is not None:
        return declared
    if tz.utcoffset(None) != timedelta(0):
        return tz
    if declared_language(selector).startswith(("ja", "ko")):
        return tz
    sample = " ".join(texts)[:2000]
    if KANA_OR_HANGUL.search(sample):
        return tz
    return CHINA_TZ if writes_chinese(sample) else tz


def shown_dates(header: Sequence[Block], reader: DateReader) -> tuple[datetime | None, datetime | None]:
    """The first publication date and the first update date shown in the header blocks, in order.

    A date after an update label (Updated, 更新时间) is kept apart: the page's publication date may be
    elsewhere (structured data), and it is only used when nothing else is found."""
    updated: datetime | None = None
    for block in header:
        published_part, label, rest = _split_at_update(block.text)
        found = _block_date(block, published_part, reader)
        if not found and (later := _stamp_after_update(rest)):
            found = _block_date(block, later, reader)
        if found:
            return found, updated
        if label and updated is None:
            updated = _block_date(block, block.text, reader)
    return None, updated


def _split_at_update(text: str) -> tuple[str, str, str]:
    """``text`` cut at its first update label: (before, label, after); label empty when there is none."""
    match = UPDATED_LABEL.search(text)
    return (text[: match.start()], match.group(0), text[match.end() :]) if match else (text, "", "")


def _stamp_after_update(rest: str) -> str:
    """What follows an update field on its line from the next stamp's label on (更新时间：… 发布时间：…):
    an update label covers its own date, not the fields after it."""
    for match in STAMP_LABEL.finditer(rest):
        if not UPDATED_LABEL.search(match.group(0)):
            return rest[match.start() :]
    return ""


def _block_date(block: Block, text: str, reader: DateReader) -> datetime | None:
    """The date ``text`` (part of a header block) shows, made exact by a ``<time datetime>`` in it.

    The visible text wins a disagreement (a ``<time>`` may carry the revision time while the reader
    sees the first publication); on the same day the attribute adds the time, told in the page's zone
    (a ``datetime`` in UTC is the same instant), and it stands in when the text says "3 hours ago" on
    a page with no crawl time."""
    partial = len(text) <= PARTIAL_DATE_LINE_MAX and not RUNNING_TEXT_PUNCT.search(text)
    visible = reader.find(text, partial=partial)
    exact = _time_element_date(block, text, reader)
    if visible is None:
        return exact
    if exact is not None and _same_local_day(exact, visible):
        return exact.astimezone(visible.tzinfo)  # the instant, told in the zone of the day the reader sees
    return visible


def _time_element_date(block: Block, text: str, reader: DateReader) -> datetime | None:
    """The ``datetime`` of a ``<time>`` whose text is part of ``text`` (not of a nested block)."""
    node = block.node
    if node is None or not hasattr(node, "iter"):
        return None
    for element in node.iter("time"):
        value = element.get("datetime")
        if value and normalize_space(text_of(element)) in text:
            found = reader.parse(value)
            if found:
                return found
    return None


def _same_local_day(exact: datetime, shown: datetime) -> bool:
    """True when ``exact`` falls on the calendar day ``shown`` names, in ``shown``'s zone."""
    return exact.astimezone(shown.tzinfo).date() == shown.date()


def _has_time(found: datetime) -> bool:
    """False for a date read without a time (stored as midnight)."""
    return (found.hour, found.minute, found.second) != (0, 0, 0)


def _on_shown_day(structured: datetime, shown: datetime, zone: tzinfo) -> datetime | None:
    """The structured time, when the page shows a date only and that time can be on the shown day: it
    adds the time the line leaves out, while the reader's calendar day stays. Structured data is often
    in UTC while the page shows its own day (a story at 21:00 in New York is 02:00 UTC the next day),
    so the instant is kept and expressed in its own offset, the page's zone, or else the nearest real
    offset (-12..+14 hours) that puts it on the shown day; None when it is another day everywhere."""
    if _has_time(shown) or not _has_time(structured):
        return None
    own = structured.utcoffset() or timedelta(0)
    offsets = sorted((timedelta(hours=hours) for hours in range(-12, 15)), key=lambda offset: abs(offset - own))
    for candidate in (structured, structured.astimezone(zone), *(structured.astimezone(timezone(o)) for o in offsets)):
        if candidate.date() == shown.date():
            return candidate
    return None


def structured_dates(selector: Selector) -> Iterator[str]:
    """Machine-readable publication times, most trusted first: date ``<meta>`` tags, JSON-LD
    ``datePublished``, ``itemprop=datePublished`` elements, ``<time datetime>`` (a ``pubdate`` one
    first). Generated lazily: most pages stop at the first."""
    meta = meta_content(selector, DATE_META)
    if meta:
        yield meta
    tags = markup(selector)
    jsonld = jsonld_published(tags.ld_json) if tags.ld_json else None
    if jsonld:
        yield jsonld
    for node in tags.published:
        value = node.get("content") or node.get("datetime") or text_of(node)
        if value and value.strip():
            yield value.strip()
    yield from tags.pubdate_times
    if tags.first_time is not None:
        yield tags.first_time


def jsonld_published(scripts: Iterable[str]) -> str | None:
    """``datePublished`` of the page's own item in JSON-LD: an article-like ``@type`` first, then the
    least nested one (reviews and comments nest their own dates deeper)."""
    found: list[tuple[int, int, str]] = []
    for script in scripts:
        try:
            data = json.loads(script)
        except ValueError:
            match = JSONLD_DATE.search(script)
            if match:
                found.append((1, 0, match["value"]))
            continue
        for depth, is_article, item in _jsonld_objects(data, 0):
            value = item.get("datePublished")
            if isinstance(value, str) and value.strip():
                found.append((0 if is_article else 1, depth, value.strip()))
    return min(found, key=lambda item: (item[0], item[1]))[2] if found else None


def jsonld_authors(scripts: Iterable[str]) -> list[str]:
    """The people schema.org's ``author`` names on the page's own article (the least nested item of an
    article-like ``@type``): plain names, or ``Person`` objects' ``name``. An organisation given as the
    author is the publisher, and reviews and comments nest their own authors deeper."""
    articles: list[tuple[int, Any]] = []
    for script in scripts:
        try:
            data = json.loads(script)
        except ValueError:
            continue
        articles += [(depth, item) for depth, is_article, item in _jsonld_objects(data, 0) if is_article]
    if not articles:
        return []
    author = min(articles, key=lambda pair: pair[0])[1].get("author")
    people = author if isinstance(author, list) else [author]
    names = [person if isinstance(person, str) else _person_name(person) for person in people]
    return [normalize_space(name) for name in names if name and name.strip()]


def _person_name(person: Any) -> str | None:
    if not isinstance(person, dict) or "organization" in str(person.get("@type", "")).lower():
        return None
    name = person.get("name")
    return name if isinstance(name, str) else None


def _jsonld_objects(data: Any, depth: int) -> Iterator[tuple[int, bool, dict[str, Any]]]:
    """(depth, article-typed?, object) for every JSON-LD object; ``@graph`` members are at its own depth."""
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_objects(item, depth)
    elif isinstance(data, dict):
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        yield depth, any(isinstance(k, str) and ARTICLE_TYPE.search(k) for k in kinds), data
        for key, item in data.items():
            if isinstance(item, (dict, list)):
                yield from _jsonld_objects(item, depth if key == "@graph" else depth + 1)


def script_date(selector: Selector, reader: DateReader) -> datetime | None:
    """The publication time a page script renders (WeChat's ``ct``), as the page would show it."""
    for script in markup(selector).inline_scripts:
        match = SCRIPT_TIMESTAMP.search(script)
        if match:
            return date_from_timestamp(match["ts"], tz=reader.tz, now=reader.now)
    return None


def _refined_structured(selector: Selector, lines: Sequence[str], reader: DateReader) -> datetime | None:
    """The first structured date that parses, else the script time; a labelled meta line that agrees
    with it and adds precision wins (government ``PubDate`` drops seconds the page shows)."""
    for candidate in structured_dates(selector):
        parsed = reader.parse(candidate)
        if parsed:
            from_lines = reader.first_in(lines)
            return from_lines if from_lines and _refines(from_lines, parsed) else parsed
    return script_date(selector, reader)


def _refines(visible: datetime, structured: datetime) -> bool:
    """True when the visible date is the structured one with more precision: same minute plus
    seconds, or the same day where the structured date has no time."""
    if visible.replace(second=0) == structured.replace(second=0):
        return True
    no_time = structured.hour == structured.minute == structured.second == 0
    return no_time and visible.date() == structured.date()


def _element_count(root: Any) -> int:
    return sum(1 for _ in root.iter())


def library_date(selector: Selector, url: str, reader: DateReader) -> datetime | None:
    """htmldate's search of the page (header markup, JSON, abbr/time elements, URL), a well-kept
    library used as the last resort rather than rewriting its heuristics. Only its quick pass: the
    extensive one (free-text dates through dateparser) costs ten times as much, on exactly the pages
    that show no date, and would make extraction slower than the extractors it must beat; the
    free-text forms it reads are largely ``crawler.extraction.dates``' own, tried before. htmldate gives a day,
    read as midnight."""
    if selector.root is None or _element_count(selector.root) > LIBRARY_DATE_MAX_ELEMENTS:
        return None
    from htmldate import find_date as htmldate_find_date

    # htmldate takes markup or lxml.html's elements; the page is parsed as a plain lxml tree.
    markup = etree.tostring(selector.root, encoding=str)
    latest = ((reader.now or datetime.now(UTC)).astimezone(reader.tz).date() + timedelta(days=1)).isoformat()
    try:
        day = htmldate_find_date(markup, extensive_search=False, original_date=True, url=url, max_date=latest)
    except (ValueError, TypeError):
        day = None
    return parse_date(day, tz=reader.tz) if day else None


def byline_lines(
    page_blocks: Sequence[Block], header: Sequence[Block], headline_index: int | None, last_index: int | None
) -> list[str]:
    """The lines where a reader looks for an article's authors and source: its header (the lines around
    the headline, see :func:`header_blocks`, and a few more above it, where some templates put the
    source line over the title) and its closing lines (the last lines of its text and the few after
    it). Labelled lines elsewhere on the page belong to other stories, sidebars and footers ("原文：…"
    in a related list). Only when neither is known is the whole page read."""
    if not header and last_index is None:
        return [block.text for block in page_blocks]
    above = _shown(page_blocks, range(headline_index - 1, -1, -1), BYLINE_ABOVE) if headline_index is not None else []
    closing: list[int] = []
    if last_index is not None:
        start = max(headline_index or 0, last_index - TEASER_REACH)
        teasers = _teaser_lines(page_blocks, start, min(len(page_blocks), last_index + TEASER_REACH))
        before = (index for index in range(last_index, -1, -1) if index not in teasers)
        after = (index for index in range(last_index + 1, len(page_blocks)) if index not in teasers)
        closing = _closing(page_blocks, before)[::-1] + _closing(page_blocks, after)
    indices = (*above, *closing)
    return list(dict.fromkeys([*(block.text for block in header), *(page_blocks[index].text for index in indices)]))


#: How far from the article's last block (in blocks) a related list's heading is looked for: the
#: closing lines are read within a few blocks of it, and a page of thousands of blocks is not walked whole.
TEASER_REACH = 40


def _teaser_lines(page_blocks: Sequence[Block], start: int, end: int) -> set[int]:
    """The blocks between ``start`` and ``end`` that stand under a related list's heading (推荐阅读,
    相关新闻), up to the next sentence: teasers of other stories, which credit their own writers (作者：…)."""
    teasers: set[int] = set()
    under = False
    for index in range(start, end):
        block = page_blocks[index]
        if is_related_heading(block.folded):
            under = True
        elif under and SENTENCE_END.search(block.text):
            under = False
        if under:
            teasers.add(index)
    return teasers


def _closing(page_blocks: Sequence[Block], indices: Iterable[int]) -> list[int]:
    """The first :data:`CLOSING_LINES` shown blocks of ``indices``, not counting short labelled credit
    lines (摄影：…, 初审：…, 审核：…): school and government stories close with a run of them, one per
    line, the writer's (撰稿：…) at its top."""
    found: list[int] = []
    counted = credits = 0
    for index in indices:
        text = page_blocks[index].text
        if not text:
            continue
        if len(text) <= CREDIT_LINE_MAX and FIELD_OPENING.match(text.lstrip()) and credits < CREDIT_LINES_MAX:
            credits += 1
        elif counted == CLOSING_LINES:
            break
        else:
            counted += 1
        found.append(index)
    return found


def named_source(lines: Sequence[str], publisher: str | None = None) -> str | None:
    """The outlet a meta line names after its date (``2024-05-20 14:33·新华社``), else the one a story's
    lead or wire byline names (北京商报讯（记者…）, （中央社記者…電）), read when no label gives the
    source. The meta line is the page's own word on where the story comes from; a wire credit in the
    text may name the agency that filed for that outlet. What follows the date is an outlet when it
    has an outlet's name, or when it is the ``publisher`` the page's tags name."""
    for line in lines:
        folded = fold_variants(line)
        dated = DATED_OUTLET.match(folded)
        if dated and (OUTLET_NAME.search(dated["outlet"]) or dated["outlet"] == fold_variants(publisher or "")):
            return line[dated.start("outlet") : dated.end("outlet")]
    return next((outlet for line in lines if (outlet := named_outlet(line))), None)


def outlet_beside_date(page_blocks: Sequence[Block], header: Sequence[Block]) -> str | None:
    """The outlet a meta line shows in an element of its own beside the date (``<span>2024-05-20
    10:00</span><span>某报</span>``): the meta line :data:`DATED_OUTLET` reads, split in two blocks. Only
    a header block with an outlet's name next to a date counts; a lone outlet-like line elsewhere in the
    header is a channel or a site's name."""
    shown = [block for block in page_blocks if block.text]
    in_header = {id(block) for block in header}
    for position, block in enumerate(shown):
        if id(block) not in in_header or len(block.text) > SOURCE_FIELD_MAX or not is_outlet(block.text):
            continue
        beside = [*shown[max(position - 1, 0) : position], *shown[position + 1 : position + 2]]
        if any(OPENS_WITH_DATE.match(other.text) for other in beside):
            return block.text
    return None


def source_field(selector: Selector) -> str | None:
    """The outlet an element named for the source shows without a label (``<span class="source">某报</span>``).
    Templates name many things "source" (a self-media account, a collection, a link), so only text with
    an outlet's name counts (某报, 某网, 某社…)."""
    for node in markup(selector).source_named:
        text = normalize_space(text_of(node))
        if len(text) <= SOURCE_FIELD_MAX and is_outlet(text) and not NON_SOURCE.fullmatch(text):
            return text
    return None


def is_outlet(text: str) -> bool:
    """A bare outlet's name: Chinese, no spaces or marks, ending like an outlet's (某报, 某网, 某社…)."""
    return bool(OUTLET_TEXT.fullmatch(text) and OUTLET_NAME.search(fold_variants(text)))


def account_name(selector: Selector) -> str | None:
    """The name of the account that posted a self-media page (see ``crawler.extraction.markup.ACCOUNT_NAME_ID``)."""
    for node in markup(selector).account_named:
        name = normalize_space(text_of(node))
        if name and len(name) <= ACCOUNT_NAME_MAX:
            return name
    return None


def outlet_as_author(selector: Selector, site: str | None = None) -> str | None:
    """An outlet a page gives as its author (新京报): the publisher, not a person; the ``site`` itself
    given as its pages' author marks them as its own, which name no source, and a byline put in the
    tag (本报记者 王小明) names a writer, not an outlet."""
    author = meta_content(selector, AUTHOR_META)
    if not author or (site and _same_outlet(author, site)) or names_in_byline(author):
        return None
    return author if OUTLET_NAME.search(fold_variants(author)) and CJK_CHAR.search(author) else None


def _author_labels(line: str) -> list[re.Match[str]]:
    """Every writer's label of a line ("记者：王某 通讯员：李某"), or else one glued to the source before it,
    as templates set them in two elements with no space between (``来源：某日报作者：王某``): the source's
    end is the label's left boundary. A label right after a work's title credits that work (《某书》，作者：
    某人: a reading list, a quiz), and a line asking a question is an interviewer's (记者：…？): neither
    names the article's writer."""
    if line.rstrip().endswith(("？", "?")):
        return []
    labels = [match for match in AUTHOR_LABEL.finditer(line) if not _credits_a_work(line, match.start())]
    source = SOURCE_LABEL.search(fold_variants(line)) if not labels else None
    glued = AUTHOR_LABEL.match(line[source.end() :]) if source else None
    return labels or ([glued] if glued else [])


def _credits_a_work(line: str, start: int) -> bool:
    """Whether the label at ``start`` follows a title in 《》 (《某书》，作者：…)."""
    return line[:start].rstrip(" ，,：:").endswith("》")


def _name_after_source(line: str) -> list[str]:
    """A reporter named after the source on a meta line: ``2023-06-15 08:10 来源：中国新闻网 王帆``."""
    match = SOURCE_LABEL.search(fold_variants(line))
    rest = line[match.end() :].strip() if match else ""
    return [rest] if CJK_PERSON_NAME.match(rest) and rest[0] in SURNAMES else []


def _names_around_date(line: str) -> list[str]:
    """Writers a meta line names beside its date with no label: after it (``2024-05-20 10:00　王小明``),
    in the field right after it where bars part the fields (``2024-05-20 | 王小明 | 某报``), or before
    it, as blogs and self-media pages set the poster's name (``王小明 2024-05-20 10:00``). Only
    surname-led names, as on any unlabelled byline; an outlet there is the source (see
    :data:`DATED_OUTLET`)."""
    dated = DATE_THEN_REST.match(line)
    after = re.split(f"[{BAR}]", dated["rest"])[0].strip() if dated else ""
    before = named["names"].strip() if (named := NAMES_THEN_DATE.match(line)) else ""
    return bare_names(before) + bare_names(after)


def _marked_names(line: str) -> list[str]:
    """Names a printed paper's byline gives after its mark with no label (``□ 王小明``, ``◎王小明 李华``):
    only surname-led names, as on any unlabelled byline."""
    rest = line[1:].strip() if line[:1] in BYLINE_MARKS else ""
    return bare_names(rest)


def people(
    names: Sequence[str],
    outlets: Sequence[str | None],
    editors: Sequence[str],
    writers: Collection[str] = (),
    account: str | None = None,
) -> list[str]:
    """The authors that are people: not the site's or the source's name put where a byline's name goes
    (网易 on 163.com, 央视 in a CCTV story, a news site's name as its pages' author), and not a name the
    page credits only as its editor (a portal's author tag holds its editor's name); one of the
    ``writers`` a label credits stays. A person's name inside a longer outlet name is its owner's
    (王小明 of the account 王小明说教育, of the blog 王小明的博客), and stays; so does a pen name inside the
    name of the self-media ``account`` that posted the page (青禾 of 青禾老师说)."""
    named = [outlet for outlet in outlets if outlet]
    return [
        name
        for name in names
        if (name not in editors or name in writers)
        and not any(_outlets_name(name, outlet, account) for outlet in named)
    ]


def _outlets_name(name: str, outlet: str, account: str | None = None) -> bool:
    """Whether ``name`` is the outlet's name, or part of it that is no person's name."""
    if not _same_outlet(name, outlet):
        return False
    owner = len(name) < len(outlet) and bool(CJK_PERSON_NAME.match(name))
    return not (owner and (name[0] in SURNAMES or (outlet == account and _pen_name_of(name, outlet))))


def _pen_name_of(name: str, account: str) -> bool:
    """Whether a name with no listed surname inside a self-media account's name is its writer's pen
    name (青禾 of 青禾老师说): neither it nor what the account adds to it reads as an outlet's or an
    institution's words. The account's short name is not (某城 of 某城教育, 某易 of 某易新闻)."""
    rest = account.replace(name, "", 1)
    if _institutions_word(rest):
        return False
    return not any(OUTLET_NAME.search(part) or NOT_NAME_WORDS.search(part) for part in (name, rest))


def _institutions_word(rest: str) -> bool:
    """Whether what an account's name adds to a name is all an outlet's or an institution's word
    (某易新闻, 明德教育, 某某计划): the account is then the institution's, the name its short name."""
    return bool(OUTLET_NAME.search(rest) or INSTITUTION_WORD.fullmatch(rest))


def writers_own_account(account: str | None, authors: Sequence[str]) -> bool:
    """Whether the self-media account that posted a page is named for one of its writers (青禾老师说 of
    青禾, 王小明说教育 of 王小明): the writer's own outlet, as a site given as its pages' author is its own.
    Such a post names no source (来源), as one an account reposts from a paper or a school does. An
    account that adds only an outlet's or an institution's word to the name (明德教育 of 明德, 某某计划)
    is the institution's, whoever its author slot names."""
    return bool(account) and any(
        name in account and not _institutions_word(account.replace(name, "", 1)) for name in authors
    )


def in_reading_order(names: Sequence[str], page_text: str) -> list[str]:
    """``names`` in the order a reader meets them on the page (the header's byline before the closing
    credit, whichever rule found them first); names the page does not show (meta tags) keep their
    place at the end."""
    return sorted(names, key=lambda name: (page_text.find(name) < 0, page_text.find(name)))


def source(
    selector: Selector, lines: Sequence[str], profile_text: str | None = None, site: str | None = None
) -> str | None:
    """The original publisher (来源): a profile selector, the meta line, or ``ContentSource``. Reposting
    placeholders (网络, 本站, 网友投稿) are not sources; a site naming itself on its pages is, but a tag
    naming the ``site`` itself is how its template marks its own stories, which name no source."""
    # What the page shows readers beats what its tags say (a tag may name the parent paper, the line
    # the site's edition of it: 人民日报 / 人民网－人民日报).
    candidates = [profile_text]
    candidates += [_labelled_source(line) for line in lines]
    tagged = meta_content(selector, SOURCE_META)
    candidates += [tagged if not (tagged and site and _same_outlet(tagged, site)) else None]
    for candidate in candidates:
        if candidate:
            value = normalize_space(_labelled_source(candidate) or candidate).strip("　 :：")
            if quoted := QUOTED_SOURCE.fullmatch(value):
                value = quoted["name"]
            if value and not NON_SOURCE.fullmatch(value):
                return value
    return None


def _labelled_source(line: str) -> str | None:
    """The value of a line's source label, the label read in either script (来源 / 來源: the fold is one
    character for one, so the match's span is the value's span in the line as written)."""
    match = SOURCE_LABEL.search(fold_variants(line))
    return line[match.start("source") : match.end("source")] if match else None


def _same_outlet(one: str, other: str) -> bool:
    """One outlet's name in another's (新华网 / 新华网_新闻): the same outlet."""
    one, other = normalize_space(one), normalize_space(other)
    return one in other or other in one


def authors(
    selector: Selector,
    lines: Sequence[str],
    profile_text: str | None = None,
    header: Sequence[str] = (),
    header_links: Sequence[Link] = (),
) -> list[str]:
    """Authors from a profile selector, ``<meta name=author>`` (numeric CMS ids are dropped later), the
    ``作者：`` label of ``lines``, bylines among the ``header`` lines (本报记者 周明远 何 静; a reporter
    named after the source), ``rel=author`` / byline elements, and schema.org's JSON-LD ``author`` where
    nothing else names a person (it may spell a name the page shows otherwise). Unlabelled bylines are
    read only in the header: after the article, "By …" lines sign comments; there only a line that is
    one bracketed credit (``（记者 王小明）``, or surname-led names alone: ``（王小明）``) or nothing but a
    reporter's byline (``记者 王小明 通讯员 李华``) signs the article."""
    found: list[str] = []
    if profile_text:
        found += split_names(profile_text)
    meta = meta_content(selector, AUTHOR_META)
    if meta:  # a CMS may put the whole byline in the tag (本报记者 王小明, 记者：王小明)
        found += names_in_byline(meta) or split_names(meta)
    for line in _role_lines_joined(lines, header):
        labelled = _labelled_names(line)
        if labelled is not None:
            found += labelled
        elif BRACKETED_LINE.match(line):
            found += names_in_byline(line) or _bracketed_names(line)
        elif line in header and len(line) <= BYLINE_LINE_MAX and not CJK_SENTENCE_END.search(line):
            found += (reporter_names(line) or names_in_byline(line)) + _name_after_source(line)
            found += _names_around_date(line) + _marked_names(line)
        elif (reporters := reporter_names(line)) is not None:
            found += reporters
    # Teasers of other stories and comments mark their own writers so: where some marked names stand in
    # the article's header, those are its writers.
    marked = [name for node in markup(selector).author_named if (name := normalize_space(text_of(node)))]
    marked = [name for name in marked if any(name in line for line in header)] or marked
    # A marked slot may hold a whole byline (青报记者 孙佳), its role and outlet with the names.
    found += [person for name in marked for person in (reporter_names(name) or [name])]
    found += _names_in_byline_elements(selector, header)
    # A link in the article's header to a writer's page on the site (/author/…), where the page marks
    # no writer itself: beside a marked writer, such links credit the art or the photos.
    if not marked:
        found += [link.text for link in header_links if link.text and AUTHOR_PAGE.search(link.href)]
    if not any(clean_name(name) for name in found):
        found += jsonld_authors(markup(selector).ld_json)
    return found


def _labelled_names(line: str) -> list[str] | None:
    """The writers the labels of ``line`` credit (作者：王某, 记者 王某 通讯员 李某), or ``None`` when it
    has no writer's label."""
    labelled = _author_labels(line)
    if not labelled:
        return None
    return [
        name
        for match in labelled
        for name in credited_names(
            match["role"], re.sub(AFFILIATION, " ", match["names"]), after=match.string[match.end("names") :]
        )
    ]


def credited_writers(lines: Iterable[str]) -> set[str]:
    """The names a writer's label credits on ``lines``: writers, whatever else the page credits them
    with (a school's story written and edited by one person: 撰稿：王某 … 编辑：王某)."""
    return {name for line in lines for name in _labelled_names(line) or ()}


def _role_lines_joined(lines: Sequence[str], header: Sequence[str]) -> list[str]:
    """``lines`` with a header line that is only a byline's role (本报记者, 记者：) joined to the header
    line after it, as templates set the role and the names in elements of their own."""
    joined: list[str] = []
    for line in lines:
        if joined and ROLE_ONLY_LINE.match(joined[-1]) and joined[-1] in header and line in header:
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _bracketed_names(line: str) -> list[str]:
    """The names of a line that is one bracketed credit with no role word: names alone (``（王小明）``),
    or after the writer's school or office (``（某某中学 王小明）``)."""
    credit = CLOSING_NAMES.fullmatch(line.strip())
    return closing_names(line) if credit and is_bare_name_line(credit["names"]) else []


def _names_in_byline_elements(selector: Selector, header: Sequence[str]) -> list[str]:
    """Names a Chinese template shows with no label in an element it names a byline's or author's
    (``<span class="author">王小明</span>``, ``<div class="author">某报 王小明</div>``), read only where
    the element stands in the article's header: comment lists and related stories name their own
    authors so. A labelled field (选稿：…) names whom its label says, as on any line; outlets beside the
    names are dropped later, as on every byline."""
    names: list[str] = []
    # A foreign writer's name in Latin letters, on a Chinese page only: English templates' byline
    # elements hold wire names and buttons (Reuters, View Comments) as often as writers.
    chinese = any(CJK_CHAR.search(line) for line in header)
    for node in markup(selector).byline_named:
        text = normalize_space(text_of(node))
        shown = CJK_CHAR.search(text) or (chinese and re.fullmatch(LATIN_NAME, text))
        if shown and len(text) <= BYLINE_LINE_MAX and any(text in line for line in header):
            names += names_in_byline(text) or ([] if re.search(LABEL_MARK, text) else split_names(text))
    return names


def page_editors(lines: Iterable[str]) -> list[str]:
    """Editor names from editor lines outside the body container (editor lines are short)."""
    return [name for line in lines if len(line) <= EDITOR_LINE_MAX for name in editor_names(line)]
