"""The saved pages shipped inside the package, and where on the demo site each of them lives."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from html import unescape
from importlib.resources import files
from importlib.resources.abc import Traversable

#: Chinese sites publish in Beijing time; paths and listing dates follow it.
CHINA = timezone(timedelta(hours=8), "CST")

#: Saved pages that are not articles: they get special places on the site instead of a listing entry.
LOGIN_SLUG = "login-page"
ERROR_SLUG = "error-404"
LIST_SLUG = "list-page"
NOT_ARTICLES = frozenset({LOGIN_SLUG, ERROR_SLUG, LIST_SLUG})

#: The two-page article: page 1 links to page 2 with the relative href ``12345_2.html``, so both must sit
#: in one folder under those exact file names.
MULTIPAGE_FIRST = "portal-multipage-p1"
MULTIPAGE_SECOND = "portal-multipage-p2"
MULTIPAGE_PATHS = {
    MULTIPAGE_FIRST: "/news/2024/0305/12345.html",
    MULTIPAGE_SECOND: "/news/2024/0305/12345_2.html",
}
#: Continuation pages are served but never listed: a site lists an article once, by its first page.
CONTINUATIONS = frozenset({MULTIPAGE_SECOND})


@dataclass(frozen=True)
class KnownArticle:
    """What a reader of a bundled page knows that its bytes do not say plainly."""

    published: datetime
    title: str


#: Publication time and headline of each bundled article, as a reader of the page would give them. Kept
#: as data because headlines hide in ``<font>``/``<h1><small>`` markup and behind site suffixes, and the
#: demo site must not depend on the extractor it exists to test.
KNOWN_ARTICLES: dict[str, KnownArticle] = {
    "big5-taiwan": KnownArticle(
        datetime(2024, 3, 5, 10, 15, tzinfo=CHINA), "數位學習精進方案邁入第三年，偏鄉學童自主學習比例提升"
    ),
    "charset-header-meta-conflict": KnownArticle(
        datetime(2019, 11, 8, 9, 0, tzinfo=CHINA), "我市启动义务教育教师“县管校聘”管理改革试点"
    ),
    "contentfarm-midbody-ads": KnownArticle(
        datetime(2025, 4, 12, 9, 35, 12, tzinfo=CHINA), "青岩县“点单式”培训让乡村教师成长跑出“加速度”"
    ),
    "english-edunews": KnownArticle(
        datetime(2024, 3, 5, 14, 30, tzinfo=UTC),
        "Maple Valley schools overhaul early reading instruction with phonics-first literacy program",
    ),
    "gov-trs-province": KnownArticle(
        datetime(2022, 2, 13, 4, 22, 18, tzinfo=CHINA), "云南出台春季学期义务教育课后服务工作方案"
    ),
    "moe-style": KnownArticle(
        datetime(2020, 2, 21, 10, 37, tzinfo=CHINA), "多地多措并举保障“停课不停学” 中小学线上教学平稳起步"
    ),
    "newspaper-rmw": KnownArticle(datetime(2024, 4, 24, 23, 52, tzinfo=CHINA), "“技能点亮人生”职业教育活动周全国启动"),
    "portal-comments": KnownArticle(
        datetime(2025, 3, 12, 8, 30, tzinfo=CHINA), "课后服务从“有没有”走向“好不好”——探访一所城区小学的“双减”实践"
    ),
    MULTIPAGE_FIRST: KnownArticle(
        datetime(2024, 3, 5, 14, 30, tzinfo=CHINA), "2024年江西新高考落地：选科、赋分、录取怎么变？"
    ),
    MULTIPAGE_SECOND: KnownArticle(
        datetime(2024, 3, 5, 14, 30, tzinfo=CHINA), "2024年江西新高考落地：选科、赋分、录取怎么变？(2)"
    ),
    "school-health-epilepsy": KnownArticle(
        datetime(2025, 6, 28, 16, 0, tzinfo=CHINA), "我校开展“国际癫痫关爱日”健康教育进校园活动"
    ),
    "school-news-wp": KnownArticle(
        datetime(2025, 6, 12, 11, 0, tzinfo=CHINA), "兴湘大学举行2025届本科生毕业典礼暨学位授予仪式"
    ),
    "seed-contentfarm-gbk": KnownArticle(
        datetime(2021, 4, 26, 9, 12, tzinfo=CHINA), "吹响川渝职业教育协同发展的嘹亮号角"
    ),
    "seed-repost-portal": KnownArticle(
        datetime(2021, 4, 27, 10, 35, 21, tzinfo=CHINA), "重庆：吹响川渝职业教育协同发展的嘹亮号角"
    ),
    "undeclared-gbk": KnownArticle(
        datetime(2023, 9, 28, 18, 45, 2, tzinfo=CHINA), "县教育局开展中秋国庆节前校园安全大检查"
    ),
    "utf8-bom-malformed-meta": KnownArticle(
        datetime(2021, 1, 29, 16, 20, tzinfo=CHINA), "梅岭县部署2021年中小学寒假安全及疫情防控工作"
    ),
    "utf8-stale-gb2312-meta": KnownArticle(datetime(2023, 4, 21, 14, 30, tzinfo=CHINA), "我校第十届校园读书节开幕"),
}

#: Codecs that pages name but that are subsets of what the bytes really hold.
WIDER_CODECS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}
CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class BundledPage:
    """One saved response as the package ships it."""

    slug: str
    body: bytes
    content_type: str
    """The Content-Type header exactly as the original server sent it (perhaps without a charset)."""
    last_modified: datetime
    title: str


def pages_root() -> Traversable:
    """The folder of saved pages inside the installed package (never the repository's fixtures/)."""
    return files("edunews.demo") / "pages"


def header(headers: dict[str, str], name: str) -> str | None:
    """A header's value whatever the case of its saved name."""
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def charset_of(content_type: str) -> str | None:
    """The charset parameter of a Content-Type value, lower-case, or None."""
    match = CHARSET_PARAM.search(content_type)
    return match.group(1).lower() if match else None


def rough_text(body: bytes, content_type: str) -> str:
    """Good-enough text of a page for reading its headline: BOM, then valid UTF-8, then the declared
    charset, then gb18030 (the usual undeclared charset of Chinese pages). Never raises."""
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = charset_of(content_type)
    codec = WIDER_CODECS.get(declared or "", declared) or "gb18030"
    try:
        return body.decode(codec, "replace")
    except LookupError:
        return body.decode("gb18030", "replace")


def headline(body: bytes, content_type: str) -> str | None:
    """The page's ``<h1>``, else its ``<title>``, as plain text; None when it has neither."""
    text = rough_text(body, content_type)
    for pattern in (H1, TITLE):
        match = pattern.search(text)
        if match:
            plain = SPACE.sub(" ", unescape(TAG.sub("", match.group(1)))).strip()
            if plain:
                return plain
    return None


def saved_last_modified(response: dict[str, object]) -> datetime | None:
    """The Last-Modified header the original server sent, if it sent one."""
    headers = response.get("headers") or {}
    assert isinstance(headers, dict)
    value = header(headers, "Last-Modified")
    return parsedate_to_datetime(value) if value else None


def read_bundled_page(folder: Traversable) -> BundledPage:
    """One page folder (``body.html`` + ``response.json``) as shipped. Its modification time is the one
    its server sent, else its publication time, else when it was fetched."""
    body = (folder / "body.html").read_bytes()
    response = json.loads((folder / "response.json").read_text(encoding="utf-8"))
    content_type = header(response.get("headers") or {}, "Content-Type") or "text/html"
    known = KNOWN_ARTICLES.get(folder.name)
    title = known.title if known else headline(body, content_type) or folder.name
    modified = (
        saved_last_modified(response)
        or (known.published if known else None)
        or datetime.fromisoformat(str(response["fetched_at"]))
    )
    return BundledPage(folder.name, body, content_type, modified, title)


def iter_bundled_pages(root: Traversable | None = None) -> Iterator[BundledPage]:
    """Every page folder under ``root`` (the package's own by default), in name order."""
    base = root if root is not None else pages_root()
    for folder in sorted(base.iterdir(), key=lambda entry: entry.name):
        if folder.is_dir() and (folder / "body.html").is_file():
            yield read_bundled_page(folder)


def article_path(slug: str, published: datetime) -> str:
    """Where a bundled article lives: ``/news/<year>/<mmdd>/<slug>.html`` by its Beijing publication
    date, except the multi-page article, whose relative page links fix its file names."""
    if slug in MULTIPAGE_PATHS:
        return MULTIPAGE_PATHS[slug]
    local = published.astimezone(CHINA)
    return f"/news/{local:%Y}/{local:%m%d}/{slug}.html"
