"""Page-level metadata: headline, canonical URL, dates, source, authors, site name, language."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.blocks import Block, normalize_space
from crawler.dates import CHINA_TZ, date_from_url, find_date, parse_date
from crawler.patterns import (
    AUTHOR_LABEL,
    CJK_CHAR,
    META_LINE_LABELS,
    NON_SOURCES,
    SOURCE_LABEL,
    TITLE_SEPARATORS,
)
from crawler.processors import editor_names, split_names

#: Meta tags that carry the publication time, most trusted first.
DATE_META = (
    "article:published_time",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish_date",
    "publishtime",
    "datepublished",
    "dc.date",
    "dc.date.issued",
    "firstpublishedtime",
)
TITLE_META = ("articletitle", "og:title", "twitter:title")
SOURCE_META = ("contentsource", "source", "article:source")
AUTHOR_META = ("author", "article:author", "dc.creator")
SITE_META = ("og:site_name", "sitename", "site_name", "application-name")
#: The longest title part after a bare hyphen that is still taken for a site or channel name.
SITE_PART_MAX = 12
#: Meta lines are short; a longer block with a date in it is a paragraph.
META_LINE_MAX = 200


def meta_content(selector: Selector, names: Iterable[str]) -> str | None:
    """The first non-empty ``<meta>`` content among ``names`` (name, property or itemprop; any case)."""
    wanted = {name.lower(): index for index, name in enumerate(names)}
    found: dict[int, str] = {}
    for meta in selector.xpath("//meta"):
        key = meta.attrib.get("name") or meta.attrib.get("property") or meta.attrib.get("itemprop") or ""
        index = wanted.get(key.strip().lower())
        content = normalize_space(meta.attrib.get("content") or "")
        if index is not None and content and index not in found:
            found[index] = content
    return found[min(found)] if found else None


def canonical_url(selector: Selector, base_url: str) -> str | None:
    """``<link rel=canonical>`` or ``og:url``, made absolute."""
    href = selector.xpath("//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href").get() or meta_content(
        selector, ("og:url",)
    )
    return urljoin(base_url, href.strip()) if href and href.strip() else None


def title_tag(selector: Selector) -> str:
    return normalize_space(selector.xpath("string(//title)").get() or "")


def title_parts(title: str) -> list[str]:
    """``<title>`` split at site-suffix separators (``…_职业教育_XX网``, ``…--教育--人民网``, ``… | Site``)."""
    parts = [part for part in TITLE_SEPARATORS.split(title) if part]
    if len(parts) == 1 and "-" in title:
        # A bare hyphen separates only when what follows it is short enough to be a site or channel.
        hyphen_parts = [part.strip() for part in title.split("-") if part.strip()]
        if len(hyphen_parts) > 1 and all(len(part) <= SITE_PART_MAX for part in hyphen_parts[1:]):
            return hyphen_parts
    return parts


def title_candidates(selector: Selector, page_title: str) -> list[str]:
    """What the page says its title is, most specific first: title meta tags and their parts, then the
    parts of ``<title>``; a headline shown on the page is chosen by agreeing with one of them."""
    candidates: list[str] = []
    for name in TITLE_META:
        value = meta_content(selector, (name,))
        if value:
            candidates += [*title_parts(value), value]
    if page_title:
        candidates += [*title_parts(page_title), page_title]
    return list(dict.fromkeys(candidate for candidate in candidates if candidate))


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
        return min((parts[0], parts[-1]), key=len)
    return urlsplit(url).hostname or url


def language(selector: Selector, text: str) -> str:
    """``<html lang>``'s primary tag, else ``zh`` when Chinese characters dominate the text."""
    lang = (selector.xpath("/html/@lang").get() or selector.xpath("/html/@xml:lang").get() or "").strip()
    if lang:
        return lang.split("-")[0].split("_")[0].lower()
    sample = text[:2000]
    letters = sum(ch.isalpha() for ch in sample) or 1
    return "zh" if len(CJK_CHAR.findall(sample)) / letters >= 0.3 else "en"


def keywords(selector: Selector) -> list[str]:
    """``<meta name=keywords>`` split at commas (and at spaces in Chinese lists)."""
    content = meta_content(selector, ("keywords", "news_keywords")) or ""
    separators = r"[,，、;；|]+" if re.search(r"[,，、;；|]", content) or not CJK_CHAR.search(content) else r"\s+"
    return [word.strip() for word in re.split(separators, content) if word.strip()]


def meta_lines(page_blocks: Sequence[Block]) -> list[str]:
    """Short lines that label a date, source or author (``发布时间：… 来源：…``), in page order."""
    return [
        block.text
        for block in page_blocks
        if len(block.text) <= META_LINE_MAX and META_LINE_LABELS.search(block.folded)
    ]


def default_timezone(lang: str) -> tzinfo:
    """Chinese pages that give no offset mean Beijing time; others are read as UTC."""
    return CHINA_TZ if lang == "zh" else UTC


def published_at(
    selector: Selector,
    lines: Sequence[str],
    url: str,
    *,
    now: datetime | None,
    tz: tzinfo,
    profile_text: str | None = None,
) -> datetime | None:
    """Publication time: profile selector, then date meta tags and ``<time>``, then the meta line under
    the headline, then the URL. A visible line that agrees to the minute but adds seconds refines a
    meta tag (government ``PubDate`` drops seconds the page shows)."""
    if profile_text:
        found = find_date(profile_text, now=now, tz=tz)
        if found:
            return found
    from_lines = next((d for line in lines if (d := find_date(line, now=now, tz=tz))), None)
    structured = [meta_content(selector, DATE_META), selector.xpath("//time/@datetime").get()]
    for candidate in filter(None, structured):
        parsed = parse_date(candidate, now=now, tz=tz) or find_date(candidate, now=now, tz=tz)
        if parsed:
            return from_lines if from_lines and _refines(from_lines, parsed) else parsed
    return from_lines or date_from_url(url, tz=tz)


def _refines(visible: datetime, structured: datetime) -> bool:
    """True when the visible date is the structured one with more precision: same minute plus
    seconds, or the same day where the structured date has no time."""
    if visible.replace(second=0) == structured.replace(second=0):
        return True
    no_time = structured.hour == structured.minute == structured.second == 0
    return no_time and visible.date() == structured.date()


def source(selector: Selector, lines: Sequence[str], profile_text: str | None = None) -> str | None:
    """The original publisher (来源): a profile selector, ``ContentSource``, or the meta line. Reposting
    placeholders (网络, 本站, 网友投稿) are not sources; a site naming itself is."""
    candidates = [profile_text, meta_content(selector, SOURCE_META)]
    candidates += [match.group("source") for line in lines if (match := SOURCE_LABEL.search(line))]
    for candidate in candidates:
        if candidate:
            value = SOURCE_LABEL.sub(r"\g<source>", candidate) if SOURCE_LABEL.search(candidate) else candidate
            value = normalize_space(value).strip("　 :：")
            if value and value not in NON_SOURCES:
                return value
    return None


def authors(selector: Selector, lines: Sequence[str], profile_text: str | None = None) -> list[str]:
    """Authors from a profile selector, ``<meta name=author>`` (numeric CMS ids are dropped later), the
    ``作者：`` label of the meta line, and ``rel=author`` / byline elements."""
    found: list[str] = []
    if profile_text:
        found += split_names(profile_text)
    meta = meta_content(selector, AUTHOR_META)
    if meta:
        found += split_names(meta)
    for line in lines:
        match = AUTHOR_LABEL.search(line)
        if match:
            found += split_names(match.group("names"))
    for node in selector.css("[rel=author], [itemprop=author] [itemprop=name], .author-name"):
        name = normalize_space(node.xpath("string(.)").get() or "")
        if name:
            found.append(name)
    return found


def page_editors(lines: Iterable[str]) -> list[str]:
    """Editor names from editor lines outside the body container."""
    return [name for line in lines for name in editor_names(line)]
