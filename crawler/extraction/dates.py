"""Parse publication dates as Chinese and English education-news pages actually write them."""

from __future__ import annotations

import html
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from urllib.parse import urlsplit

from dateutil import parser as dateutil_parser
from dateutil.parser import UnknownTimezoneWarning

from crawler.extraction.vocabulary import alternation, entries, vocabulary

__all__ = [
    "CHINA_TZ",
    "FUTURE_SLACK",
    "DateReader",
    "date_from_timestamp",
    "date_from_url",
    "find_date",
    "parse_date",
    "to_iso",
]

#: Mainland China has one fixed offset and no DST; pages that state no zone mean this one.
CHINA_TZ: tzinfo = timezone(timedelta(hours=8))

#: Oldest year we believe: nothing on the education web we crawl predates it, older "dates" are noise.
MIN_YEAR = 1990

#: How far past the crawl time a year-less date may land before we decide it belongs to last year.
#: A little slack absorbs pages published "tomorrow" in another zone or with a wrong server clock.
FUTURE_SLACK = timedelta(days=2)

# --------------------------------------------------------------------------- regex building blocks

_CN_DIGIT_CHARS = "〇零○一二两三四五六七八九"
_CN_NUMBER = rf"[\d{_CN_DIGIT_CHARS}十]"

# A clock reading: 14:30, 14:30:00.123, 14时30分, 下午2:30, 9:23:57 PM, with an optional explicit zone.
# Two-digit seconds may run into the next word ("04:29:4439健康网" is 04:29:44 glued to a site name).
_CLOCK = (
    r"(?:(?P<cnampm>上午|下午|晚上|中午|凌晨|早上|早晨|傍晚|夜间|夜里)\s*)?"
    r"(?P<hour>\d{1,2})\s*[:时点]\s*(?P<minute>\d{1,2})(?!\d)"
    r"(?:\s*[:分](?:(?P<second>\d{2}|\d(?!\d))(?:\.\d+)?\s*秒?)?)?"
    r"(?:\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)(?![A-Za-z]))?"
    r"(?:\s*(?P<zone>Z|GMT|UTC|[+-](?:0\d|1[0-4]):?[0-5]\d)(?![\dA-Za-z]))?"
)

#: January, Jan, Jan.: every spelling of the months dateutil reads (the vocabulary's), whole words.
_MONTH_NAME = (
    r"\b(?:" + "|".join(spelling for month in entries("dateutil-month-name") for spelling in month.split()) + r")\b\.?"
)
_WEEKDAY = r"\b" + alternation("dateutil-weekday") + r"[a-z]*\.?,?\s+"
_ORDINAL = r"(?:st|nd|rd|th)?"
_WESTERN_CLOCK = (
    r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?!\d)(?:\s*[ap]\.?\s?m\.?(?![a-z]))?"
    r"(?:\s*(?:GMT|UTC|UT|Z|CST|EST|EDT|CDT|PST|PDT|BST|HKT|[+-]\d{2}:?\d{2})(?![\da-z]))?)?"
)

# --------------------------------------------------------------------------- absolute dates

#: 2022-02-13 04:22:18, 2021-1-29 13:18, 2025/11/25, 2025.11.25, 2024-03-05T14:30:00+08:00, and
#: 2005.08.2605:39 where a template glued the time to the day.
#: The separator must repeat, so "2024-03/05" or a decimal like "2024.5" is not a date.
YMD_DATE_RE = re.compile(
    r"(?<!\d)(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?:(?!\d)|(?=\d{1,2}:\d{2}))"
    rf"(?:(?:T|\s*){_CLOCK})?"
)

#: 15:31 2018/09/16 and the glued 15:312018/09/16: some templates print the clock before the day.
TIME_FIRST_DATE_RE = re.compile(
    r"(?<![\d:])(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*"
    r"(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?!\d)"
)

#: 2024年03月05日 14:30, 2024年04月24日23:52, 二〇二四年十二月二十五日, 2024年3月5号 下午2:30.
CN_DATE_RE = re.compile(
    rf"(?<![\d{_CN_DIGIT_CHARS}十])(?P<year>[\d{_CN_DIGIT_CHARS}]{{4}})\s*年\s*"
    rf"(?P<month>{_CN_NUMBER}{{1,2}})\s*月\s*(?P<day>{_CN_NUMBER}{{1,3}})\s*[日号]"
    rf"(?:\s*{_CLOCK})?"
)

#: A time of day written before the date, as US papers print it (``3:45 p.m. ET Dec. 1, 2024``).
_LEADING_CLOCK = (
    r"(?:(?<![\d:])\d{1,2}:\d{2}\s*[ap]\.?\s?m\.?(?![a-z])"
    r"(?:\s*(?:ET|CT|MT|PT|EST|EDT|CST|CDT|PST|PDT|GMT|UTC)(?![\da-z]))?,?\s+(?:on\s+)?)?"
)

#: March 5, 2024 / 5 March 2024 / Mar 5, 2024 10:00 AM / Tue, 05 Mar 2024 06:30:00 GMT / 3:45 p.m. Dec. 1, 2024.
#: Only located here; dateutil does the reading (see _parse_western).
WESTERN_DATE_RE = re.compile(
    rf"{_LEADING_CLOCK}(?:{_WEEKDAY})?"
    rf"(?:\d{{1,2}}{_ORDINAL}\s+{_MONTH_NAME},?\s+\d{{4}}"
    rf"|{_MONTH_NAME}\s*\d{{1,2}}{_ORDINAL},?\s+\d{{4}})(?!\d)"
    rf"{_WESTERN_CLOCK}",
    re.IGNORECASE,
)

#: 7/5/2005 9:23:57 PM: the US month/day order used by ASP.NET-era sites; pages in languages that
#: write the day first (03/05/2022 in Spanish or Portuguese) are read with ``dayfirst``.
US_NUMERIC_DATE_RE = re.compile(
    r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?![\d/])"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?!\d)(?:\s*[AaPp]\.?\s?[Mm]\.?(?![A-Za-z]))?)?"
)

#: 24.01.2022, 3. 5. 2022, 24.01.2022, 17:06 Uhr: day-first with dots (German, Russian, Czech ...).
#: No language writes month-first with dots, so this order is safe everywhere.
DOTTED_DMY_DATE_RE = re.compile(
    r"(?<![\d.])(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{4})(?!\d)(?!\.\d)"
    rf"(?:,?\s*(?:um\s+|à\s+|в\s+)?{_CLOCK})?"
)

#: Month names of the European languages news pages are most often written in (German, French,
#: Spanish, Portuguese, Italian, Dutch, and Polish in the genitive its dates use), for the
#: day-month-year order they all share: each language's ``month-name`` entries, January first, each
#: with the spellings pages use.
_EUROPEAN_MONTHS: dict[str, int] = {
    spelling: number
    for by_kind in vocabulary().values()
    for number, spellings in enumerate(by_kind.get("month-name", ()), start=1)
    for spelling in spellings.split()
}

#: 1. Februar 2022, 22. Oktober 2019 um 10:00, 5 mai 2019, 3 de mayo de 2022, 10 dicembre 2019.
_EUROPEAN_MONTH_NAMES = "|".join(sorted(_EUROPEAN_MONTHS, key=len, reverse=True))
EUROPEAN_DATE_RE = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\.?\s*(?:de\s+)?(?P<month_name>{_EUROPEAN_MONTH_NAMES})"
    rf"(?![^\W\d_])\.?,?\s*(?:de\s+)?(?P<year>\d{{4}})(?!\d)"
    rf"(?:,?\s*(?:um\s+|à\s+|às\s+|a\s+las\s+|alle\s+|-\s+)?{_CLOCK})?",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- year-less and relative

#: 6月28日, 6月28日 10:30 (list pages drop the current year).
CN_MONTH_DAY_RE = re.compile(
    rf"(?<![\d{_CN_DIGIT_CHARS}十年])(?P<month>{_CN_NUMBER}{{1,2}})\s*月\s*(?P<day>{_CN_NUMBER}{{1,3}})\s*[日号]"
    rf"(?:\s*{_CLOCK})?"
)

#: 06-28 10:30 or a bare 06-28 (only trusted inside a line when a time follows).
MONTH_DAY_DASH_RE = re.compile(rf"(?<![\d\-/.:])(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})(?![\d\-/.])(?:\s+{_CLOCK})?")

#: 刚刚 / just now: the page was rendered moments before we fetched it.
JUST_NOW_RE = re.compile(r"刚刚|刚才|(?i:just\s+now)")

#: 5分钟前, 2小时前, 3天前, 三天前, 半小时前, 1周前.
CN_AGO_RE = re.compile(
    rf"(?P<count>\d{{1,5}}|[{_CN_DIGIT_CHARS}十]{{1,3}}|半)\s*个?\s*"
    r"(?P<unit>秒钟?|分钟?|小时|钟头|天|日|周|星期)\s*(?:之|以)?前"
)

#: 3 days ago, an hour ago, 10 mins ago.
EN_AGO_RE = re.compile(
    r"(?i:\b(?P<count>\d{1,5}|an?|one)\s+"
    r"(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\b)"
)

#: 今天 / 昨天 14:20 / 前天 / yesterday at 14:20: calendar days named relative to the crawl.
DAY_WORD_RE = re.compile(rf"(?P<word>今天|今日|昨天|昨日|前天|(?i:today|yesterday))(?:[\s,]*(?i:at\s*)?{_CLOCK})?")

#: 格林尼治标准时间10:41 (BBC Chinese): GMT named in Chinese, before the clock instead of after it.
CN_GMT_RE = re.compile(
    r"[,，]?(?<!\s)\s*格林(?:尼治|威治)(?:标准|標準)?(?:时间|時間)\s*(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)"
)

#: Unix seconds as page scripts carry them (WeChat's ``var ct = "1523110915"``): ten digits from 2001 on.
TIMESTAMP_RE = re.compile(r"1\d{9}")

# --------------------------------------------------------------------------- noise that looks like dates

#: dateutil happily reads "1 2 3" as 2003-01-02; a free-form Western date must spell its year in full.
FULL_YEAR_RE = re.compile(r"\d{4}")

#: 发布时间： / 日期: / Published: ... labels in front of the date in a date-only string.
LABEL_RE = re.compile(r"^" + alternation("date-label") + r"\s*[:：]?\s*", re.I)

#: Characters that wrap a date in list pages: [2024-03-05], （2024-03-05）, "2024-03-05 |".
EDGE_CHARS = " \t\r\n[]()【】<>|,，;；·"

#: Digits only: counters, IDs, phone numbers and compact stamps (20240305) are never a date on their own.
BARE_NUMBER_RE = re.compile(r"[+-]?\d+(?:\.\d+)?")

#: Registration numbers (京ICP备05079963号-1, 京公网安备11010502000333号) and document numbers
#: (教基〔2022〕1号) carry years and digit runs that must not be read as publication dates.
ICP_NUMBER_RE = re.compile(r"(?i:ICP)\s*[备证]?\s*[:：]?\s*[\d\-./]+\s*号?(?:\s*-\s*\d+)?")
PUBLIC_SECURITY_NUMBER_RE = re.compile(r"公网安备\s*[:：]?\s*\d+\s*号?")
DOCUMENT_NUMBER_RE = re.compile(r"[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*第?\s*\d+\s*号")
_NOT_DATE_PATTERNS = (ICP_NUMBER_RE, PUBLIC_SECURITY_NUMBER_RE, DOCUMENT_NUMBER_RE)

# --------------------------------------------------------------------------- URLs

#: /2024-03-05/, /2024/03/05/, /2024_3_5/.
URL_SEPARATED_DATE_RE = re.compile(
    r"(?<!\d)(?P<year>\d{4})(?P<sep>[-/_])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?!\d)"
)

#: /20240305/, /2024/0305/, gov.cn's /202002/t20200222_423052.html.
URL_COMPACT_DATE_RE = re.compile(r"(?<!\d)(?P<year>\d{4})/?(?P<month>\d{2})(?P<day>\d{2})(?!\d)")

#: /2024-05/20/ and /202405/20/: a month folder, then a day folder (china.com.cn, many portals).
URL_MONTH_FOLDER_DATE_RE = re.compile(r"(?<!\d)(?P<year>\d{4})-?(?P<month>\d{2})/(?P<day>\d{2})(?!\d)")

_URL_DATE_PATTERNS = (URL_SEPARATED_DATE_RE, URL_COMPACT_DATE_RE, URL_MONTH_FOLDER_DATE_RE)

# --------------------------------------------------------------------------- lookup tables

_CN_DIGITS = {ch: i for i, ch in enumerate("0123456789")} | {
    "〇": 0,
    "零": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

_UNIT_SECONDS = {
    "秒": 1,
    "秒钟": 1,
    "分": 60,
    "分钟": 60,
    "小时": 3600,
    "钟头": 3600,
    "天": 86400,
    "日": 86400,
    "周": 604800,
    "星期": 604800,
    "sec": 1,
    "second": 1,
    "min": 60,
    "minute": 60,
    "hr": 3600,
    "hour": 3600,
    "day": 86400,
    "week": 604800,
}

_DAYS_BACK = {"今天": 0, "今日": 0, "today": 0, "昨天": 1, "昨日": 1, "yesterday": 1, "前天": 2}
_TODAY_WORDS = frozenset({"今天", "今日", "today"})

_PM_WORDS = frozenset({"下午", "晚上", "傍晚", "夜间", "夜里"})

#: Zone abbreviations dateutil does not know. CST is read in the page's context (:func:`zone_names`).
_TZINFOS = {
    "HKT": 8 * 3600,
    "BJT": 8 * 3600,
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "CDT": -5 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
    "BST": 1 * 3600,
}

#: CST names two zones: China Standard Time on Chinese pages and sites, US Central Standard Time elsewhere.
CST_CHINA, CST_US_CENTRAL = 8 * 3600, -6 * 3600


def zone_names(tz: tzinfo) -> dict[str, int]:
    """Zone abbreviations as the page means them: ``tz`` is the page's own zone (Beijing time for a
    Chinese page or site, see ``crawler.extraction.metadata.default_timezone``), and CST is China's only there —
    a US page's "10:00 PM CST" is Central time, 14 hours away."""
    china = datetime(2001, 1, 1, tzinfo=tz).utcoffset() == CHINA_TZ.utcoffset(None)
    return {**_TZINFOS, "CST": CST_CHINA if china else CST_US_CENTRAL}


# Two unrelated defaults: a field dateutil had to fill in comes out different under each.
_DEFAULT_A = datetime(2001, 1, 1)
_DEFAULT_B = datetime(2002, 2, 2)

# --------------------------------------------------------------------------- public API


def parse_date(
    text: str,
    *,
    now: datetime | None = None,
    tz: tzinfo = CHINA_TZ,
    dayfirst: bool = False,
    partial: bool = True,
) -> datetime | None:
    """Read a string that is a date and nothing else (after labels like 发布时间： are trimmed).

    Use this for values that are known to hold a date (a meta tag, a <time> element, a date
    span); it is strict so that a stray number never turns into a publication time. ``now`` is
    the crawl time that relative (3天前) and year-less (6月28日) dates are resolved against;
    ``tz`` is attached when the text states no zone of its own; ``dayfirst`` reads 03/05/2022 as
    3 May, as pages in most languages other than English mean it; ``partial=False`` refuses
    year-less and relative dates (there is no crawl time to place them against).
    """
    if not text:
        return None
    now = _reference_now(now, tz)
    cleaned = _strip_label(_normalize(text))
    if not cleaned or BARE_NUMBER_RE.fullmatch(cleaned):
        return None
    rules = _FULL_DATE_RULES_DAY_FIRST if dayfirst else _FULL_DATE_RULES
    for rule in (*rules, *_STANDALONE_PARTIAL_RULES) if partial else rules:
        match = rule.pattern.fullmatch(cleaned)
        if match:
            return rule.build(match, now, tz)
    if cleaned.isascii() and FULL_YEAR_RE.search(cleaned):
        return _parse_western(cleaned, now, tz)
    return None


def find_date(
    text: str,
    *,
    now: datetime | None = None,
    tz: tzinfo = CHINA_TZ,
    partial: bool = True,
    dayfirst: bool = False,
) -> datetime | None:
    """Find the publication date inside a longer line such as '发布时间：… 来源：… 点击：…'.

    Article headers mix the date with sources, hit counters, document numbers and ICP numbers,
    so the first full date (year, month and day) wins; year-less and relative dates are only a
    fallback because they are also what list widgets and "related news" blocks show. Pass
    ``partial=False`` where only a full date is trustworthy (a line that may be running text);
    ``dayfirst`` as for ``parse_date``.
    """
    if not text:
        return None
    now = _reference_now(now, tz)
    line = _normalize(text)
    blocked = _blocked_spans(line)
    found = _first_candidate(line, _FULL_DATE_RULES_DAY_FIRST if dayfirst else _FULL_DATE_RULES, blocked, now, tz)
    if found is None and partial:
        found = _first_candidate(line, _INLINE_PARTIAL_RULES, blocked, now, tz)
    return found


def date_from_url(url: str, *, tz: tzinfo = CHINA_TZ, now: datetime | None = None) -> datetime | None:
    """Read the date many CMSs put into article paths, as a last resort when the page shows none.

    Only the path is searched (hosts and queries carry unrelated numbers), only full dates count
    (``/202002/`` alone names a month, not a day) and the result is midnight in ``tz``. A day
    after the crawl (``now``) is an ID that happens to look like a date.
    """
    now = _reference_now(now, tz)
    path = urlsplit(url).path or url
    matches = [m for pattern in _URL_DATE_PATTERNS for m in pattern.finditer(path)]
    for match in sorted(matches, key=lambda m: m.start()):
        found = _make(int(match["year"]), int(match["month"]), int(match["day"]), (0, 0, 0), tz, now)
        if found is not None and found <= now + FUTURE_SLACK:
            return found
    return None


def date_from_timestamp(value: str, *, tz: tzinfo = CHINA_TZ, now: datetime | None = None) -> datetime | None:
    """Read Unix seconds (WeChat's ``ct``) as a time in ``tz``, the zone the page shows it in.

    Anything but ten digits is refused: millisecond stamps and IDs would land centuries away.
    """
    now = _reference_now(now, tz)
    cleaned = value.strip()
    if not TIMESTAMP_RE.fullmatch(cleaned):
        return None
    dt = datetime.fromtimestamp(int(cleaned), tz)
    return dt if _plausible(dt, now) else None


@dataclass(frozen=True)
class DateReader:
    """How one page writes its dates: crawl time, zone and day/month order, so that every date
    on the page (meta line, meta tag, script) is read the same way.

    Without a crawl time (``now`` None) year-less and relative dates are refused: 6月28日 or
    "3 days ago" on an archived page cannot be placed, and today's year would be a guess.
    """

    now: datetime | None = None
    tz: tzinfo = CHINA_TZ
    dayfirst: bool = False

    def find(self, text: str, *, partial: bool = True) -> datetime | None:
        """``find_date`` in this page's way of writing dates."""
        return find_date(
            text, now=self.now, tz=self.tz, partial=partial and self.now is not None, dayfirst=self.dayfirst
        )

    def first_in(self, lines: Iterable[str]) -> datetime | None:
        """The date of the first line that shows one: the page's labelled meta lines (发布时间：…) are
        read in page order, so the article's own line comes before a sidebar's."""
        return next((found for line in lines if (found := self.find(line))), None)

    def parse(self, text: str) -> datetime | None:
        """A value meant to be a date (meta content, ``datetime`` attribute), exactly or inside noise."""
        exact = parse_date(text, now=self.now, tz=self.tz, dayfirst=self.dayfirst, partial=self.now is not None)
        return exact or self.find(text, partial=False)


def to_iso(dt: datetime) -> str:
    """Format as ISO 8601 with offset and whole seconds, the form stored in ``Article.published_at``.

    A naive datetime is refused rather than guessed: an offset-less string would be read
    differently by every consumer.
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"to_iso needs an aware datetime, got naive {dt!r}")
    return dt.isoformat(timespec="seconds")


# --------------------------------------------------------------------------- text preparation


def _normalize(text: str) -> str:
    """Fold HTML entities and full-width forms (２０２４，：，&nbsp;) into plain ASCII the regexes expect."""
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).strip()
    return CN_GMT_RE.sub(r" \g<clock> GMT", text) if "格林" in text else text


def _strip_label(text: str) -> str:
    """Drop a leading 发布时间： / Published: label and wrapping brackets around a lone date."""
    text = text.strip(EDGE_CHARS)
    text = LABEL_RE.sub("", text, count=1)
    return text.strip(EDGE_CHARS)


def _reference_now(now: datetime | None, tz: tzinfo) -> datetime:
    """Express the crawl time in ``tz`` so "yesterday" means yesterday on the page's calendar."""
    if now is None:
        return datetime.now(tz)
    if now.tzinfo is None or now.utcoffset() is None:
        return now.replace(tzinfo=tz)
    return now.astimezone(tz)


# --------------------------------------------------------------------------- shared validation


def _plausible(dt: datetime, now: datetime) -> bool:
    """Years outside MIN_YEAR..next year are OCR noise, IDs or typos, never a news date."""
    return MIN_YEAR <= dt.year <= now.year + 1


def _make(year: int, month: int, day: int, clock: tuple[int, int, int], zone: tzinfo, now: datetime) -> datetime | None:
    """Build a datetime, turning impossible values (2024-13-45, 25:00) into None instead of errors."""
    try:
        dt = datetime(year, month, day, *clock, tzinfo=zone)
    except (ValueError, OverflowError):
        return None
    return dt if _plausible(dt, now) else None


def _cn_int(token: str) -> int | None:
    """Read 2024, 二〇二四, 十二, 二十五, 三十一: dates in official documents spell numbers out."""
    if token.isascii() and token.isdigit():
        return int(token)
    if "十" in token:
        tens, _, ones = token.partition("十")
        if not all(part == "" or (len(part) == 1 and part in _CN_DIGITS) for part in (tens, ones)):
            return None
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    digits = [_CN_DIGITS.get(ch) for ch in token]
    if not digits or None in digits:
        return None
    return int("".join(str(d) for d in digits))


def _clock(match: re.Match[str]) -> tuple[int, int, int]:
    """Hour, minute, second of a match, 00:00:00 when the text gives only a date."""
    groups = match.groupdict()
    if groups.get("hour") is None:
        return (0, 0, 0)
    hour = _apply_meridiem(int(groups["hour"]), groups.get("ampm"), groups.get("cnampm"))
    return (hour, int(groups["minute"]), int(groups.get("second") or 0))


def _apply_meridiem(hour: int, ampm: str | None, cnampm: str | None) -> int:
    """Convert 下午2:30 / 9:23 PM to a 24-hour clock; pages that write 下午14:30 are left alone."""
    marker = (ampm or "").lower().replace(".", "").replace(" ", "")
    if marker == "am":
        return 0 if hour == 12 else hour
    if marker == "pm" or cnampm in _PM_WORDS:
        return hour + 12 if hour < 12 else hour
    if cnampm == "中午":
        return hour + 12 if hour < 11 else hour
    if cnampm == "凌晨" and hour == 12:
        return 0
    return hour


def _zone(match: re.Match[str], default: tzinfo) -> tzinfo:
    """An explicit Z / GMT / +08:00 / +0800 in the text beats the site's assumed zone."""
    raw = match.groupdict().get("zone")
    if not raw:
        return default
    if raw in ("Z", "GMT", "UTC"):
        return UTC
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _aware(dt: datetime, tz: tzinfo) -> datetime:
    """Keep a parsed zone as a plain fixed offset, or attach the site's zone when none was given."""
    offset = dt.utcoffset()
    if offset is None:
        return dt.replace(tzinfo=tz)
    return dt.replace(tzinfo=timezone(offset))


# --------------------------------------------------------------------------- builders (match -> datetime)


def _from_full_date(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    """Year, month and day all spelled out (Arabic or Chinese numerals), optionally with a time."""
    year, month, day = (_cn_int(match[name]) for name in ("year", "month", "day"))
    if year is None or month is None or day is None:
        return None
    return _make(year, month, day, _clock(match), _zone(match, tz), now)


def _from_european_date(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    """Day, month name and year in one of the European languages in _EUROPEAN_MONTHS."""
    month = _EUROPEAN_MONTHS[match["month_name"].lower()]
    return _make(int(match["year"]), month, int(match["day"]), _clock(match), _zone(match, tz), now)


def _from_western_match(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    """Hand a located English/US date to dateutil, which knows month names and AM/PM orders."""
    return _parse_western(match.group(0), now, tz)


def _from_numeric_day_first(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    """03/05/2022 on a page whose language writes the day first: 3 May."""
    return _parse_western(match.group(0), now, tz, dayfirst=True)


def _parse_western(text: str, now: datetime, tz: tzinfo, *, dayfirst: bool = False) -> datetime | None:
    """dateutil, guarded: parse twice with different defaults and reject anything it had to invent.

    dateutil silently fills missing fields from its default (a bare "2024" becomes today's month
    and day in 2024), which would give articles publication dates nobody wrote.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnknownTimezoneWarning)
            zones = zone_names(tz)
            first = dateutil_parser.parse(text, default=_DEFAULT_A, tzinfos=zones, dayfirst=dayfirst)
            second = dateutil_parser.parse(text, default=_DEFAULT_B, tzinfos=zones, dayfirst=dayfirst)
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():
        return None
    dt = _aware(first.replace(microsecond=0), tz)
    return dt if _plausible(dt, now) else None


def _from_month_day(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    """6月28日 / 06-28 10:30: the year is the crawl year unless that puts the date in the future."""
    month, day = _cn_int(match["month"]), _cn_int(match["day"])
    if month is None or day is None:
        return None
    clock = _clock(match)
    for year in (now.year, now.year - 1):
        dt = _make(year, month, day, clock, tz, now)
        if dt is not None and dt <= now + FUTURE_SLACK:
            return dt
    return None


def _from_month_day_with_time(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    """Inside a line a bare "1-2" is more often a range (1-2年级) than a date; demand a time."""
    if match["hour"] is None:
        return None
    return _from_month_day(match, now, tz)


def _from_just_now(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    """刚刚 means the moment the page was rendered, which is as close to the crawl as we can know."""
    return now.replace(microsecond=0)


def _from_ago(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    """N分钟前 / 3 days ago are durations, so they are subtracted from the crawl time exactly."""
    count = _ago_count(match["count"])
    unit = _UNIT_SECONDS.get(_ago_unit(match["unit"]))
    if count is None or unit is None:
        return None
    try:
        dt = (now - timedelta(seconds=count * unit)).replace(microsecond=0)
    except OverflowError:
        return None
    return dt if _plausible(dt, now) else None


def _ago_count(token: str) -> float | None:
    """'3', '三', '两', '半', 'an' -> how many units."""
    lowered = token.lower()
    if lowered in ("a", "an", "one"):
        return 1
    if token == "半":
        return 0.5
    value = _cn_int(token)
    return None if value is None else float(value)


def _ago_unit(token: str) -> str:
    """'hours' -> 'hour', 'mins' -> 'min'; Chinese units pass through."""
    lowered = token.lower()
    return lowered[:-1] if lowered.isascii() and lowered.endswith("s") else lowered


def _from_day_word(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    """昨天 14:20 is a calendar day plus an optional clock; without a clock it is that day's 00:00."""
    day = (now - timedelta(days=_DAYS_BACK[match["word"].lower()])).date()
    return _make(day.year, day.month, day.day, _clock(match), tz, now)


def _from_day_word_in_line(match: re.Match[str], now: datetime, tz: tzinfo) -> datetime | None:
    """Inside a line 今日/今天 without a time is a nav label (今日关注, 今日头条), not a date."""
    if match["word"].lower() in _TODAY_WORDS and match["hour"] is None:
        return None
    return _from_day_word(match, now, tz)


# --------------------------------------------------------------------------- rule tables


@dataclass(frozen=True)
class _Rule:
    """A date shape: where to look (pattern) and how to turn a hit into a datetime (build)."""

    pattern: re.Pattern[str]
    build: Callable[[re.Match[str], datetime, tzinfo], datetime | None]


_FULL_DATE_RULES: tuple[_Rule, ...] = (
    _Rule(YMD_DATE_RE, _from_full_date),
    _Rule(TIME_FIRST_DATE_RE, _from_full_date),
    _Rule(CN_DATE_RE, _from_full_date),
    _Rule(WESTERN_DATE_RE, _from_western_match),
    _Rule(US_NUMERIC_DATE_RE, _from_western_match),
    _Rule(DOTTED_DMY_DATE_RE, _from_full_date),
    _Rule(EUROPEAN_DATE_RE, _from_european_date),
)

#: The same, for pages in languages that write 03/05/2022 day first.
_FULL_DATE_RULES_DAY_FIRST: tuple[_Rule, ...] = tuple(
    _Rule(rule.pattern, _from_numeric_day_first) if rule.pattern is US_NUMERIC_DATE_RE else rule
    for rule in _FULL_DATE_RULES
)

_STANDALONE_PARTIAL_RULES: tuple[_Rule, ...] = (
    _Rule(CN_MONTH_DAY_RE, _from_month_day),
    _Rule(MONTH_DAY_DASH_RE, _from_month_day),
    _Rule(JUST_NOW_RE, _from_just_now),
    _Rule(CN_AGO_RE, _from_ago),
    _Rule(EN_AGO_RE, _from_ago),
    _Rule(DAY_WORD_RE, _from_day_word),
)

_INLINE_PARTIAL_RULES: tuple[_Rule, ...] = (
    _Rule(CN_MONTH_DAY_RE, _from_month_day),
    _Rule(MONTH_DAY_DASH_RE, _from_month_day_with_time),
    _Rule(JUST_NOW_RE, _from_just_now),
    _Rule(CN_AGO_RE, _from_ago),
    _Rule(EN_AGO_RE, _from_ago),
    _Rule(DAY_WORD_RE, _from_day_word_in_line),
)


# --------------------------------------------------------------------------- searching a line


def _blocked_spans(line: str) -> list[tuple[int, int]]:
    """Spans of ICP / 公网安备 / 〔2022〕1号 numbers, whose digits must not become dates."""
    return [m.span() for pattern in _NOT_DATE_PATTERNS for m in pattern.finditer(line)]


def _overlaps(span: tuple[int, int], blocked: Iterable[tuple[int, int]]) -> bool:
    """True when a candidate shares any character with a blocked span, even partly."""
    start, end = span
    return any(start < b_end and b_start < end for b_start, b_end in blocked)


def _first_candidate(
    line: str, rules: Iterable[_Rule], blocked: list[tuple[int, int]], now: datetime, tz: tzinfo
) -> datetime | None:
    """The valid hit that starts earliest (longest on ties): headers put the publication date first."""
    found: list[tuple[int, int, datetime]] = []
    for rule in rules:
        for match in rule.pattern.finditer(line):
            if _overlaps(match.span(), blocked):
                continue
            dt = rule.build(match, now, tz)
            if dt is not None:
                found.append((match.start(), match.start() - match.end(), dt))
    if not found:
        return None
    return min(found, key=lambda item: (item[0], item[1]))[2]
