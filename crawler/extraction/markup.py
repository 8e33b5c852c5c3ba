"""What metadata reads from a page's tags rather than its text, gathered in one walk of the page.

Each reader used to ask the page with its own XPath or CSS query: the canonical link, a dozen
``<meta>`` lookups, JSON-LD scripts, ``<time>`` and ``itemprop`` elements, elements named for the
story's source, a posting account or an author. Every such query walks the whole tree in libxml2
(``//*[…]`` costs more than a Python loop over ``iter()`` that reads two attributes), so together they
cost more than splitting the page into blocks. One walk collects what they all read; the readers in
:mod:`crawler.extraction.metadata` keep their meaning and take their elements from here."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

from parsel import Selector

from crawler.extraction.blocks import normalize_space, text_of

#: Where a self-media platform shows the account that posted, most exact first: WeChat's account link
#: under the headline (``id=js_name``), its profile card (class ``profile_nickname``), the older account
#: line (``rich_media_meta_nickname``, which newer pages wrap around the whole card). The account is the
#: outlet a post comes from, as a paper's name is on its own pages.
ACCOUNT_NAME_ID = "js_name"
ACCOUNT_NAME_CLASSES = ("profile_nickname", "rich_media_meta_nickname")
#: The class word of an element that holds an author's name (beside ``rel=author`` and schema.org's
#: ``itemprop=author`` → ``itemprop=name``).
AUTHOR_NAME_CLASS = "author-name"
#: What templates put in the class or id of the element that shows a story's byline (``author``,
#: ``article-author``, ``byline``): it may hold the names alone, with no label.
BYLINE_NAMES = ("author", "byline")
#: WeChat's author slot, where a post's writer (often a pen name) stands beside the account: the one
#: field of the meta line under the headline (class ``rich_media_meta_text``) that is neither the account
#: (``rich_media_meta_nickname``) nor given an id (the date, ``post-date`` or ``publish_time``, and the
#: poster's region, ``js_ip_wording_wrp``, are); templates since 2019 name it ``js_author_name``. The
#: platform lets a post put any short text there ("关注我们☞"), so its names are checked as names.
WECHAT_META_FIELD = "rich_media_meta_text"
WECHAT_AUTHOR_ID = "js_author_name"
#: What a template puts in the class or id of an element for the story's source (``source``, ``article-source``,
#: ``ly_source``), which may show the outlet without a label.
SOURCE_NAME = "source"
#: Elements whose class says nothing about text they show.
NOT_SHOWN_TAGS = frozenset({"script", "style", "link", "img"})


@dataclass
class Markup:
    """A page's tags as metadata reads them, in document order."""

    title: str | None = None
    """The text of the first ``<title>``."""
    metas: dict[str, str] = field(default_factory=dict)
    """The first non-empty ``content`` of each ``<meta>`` name (``name``, ``property`` or ``itemprop``; lower-case)."""
    canonical_href: str | None = None
    """The ``href`` of the first ``<link rel=canonical>`` that has one."""
    ld_json: list[str] = field(default_factory=list)
    """The text of each JSON-LD script."""
    inline_scripts: list[str] = field(default_factory=list)
    """The text of each script written in the page (no ``src``)."""
    published: list[Any] = field(default_factory=list)
    """Elements marked ``itemprop=datePublished``."""
    pubdate_times: list[str] = field(default_factory=list)
    """``datetime`` of each ``<time pubdate>``."""
    first_time: str | None = None
    """``datetime`` of the first ``<time>`` that has one."""
    source_named: list[Any] = field(default_factory=list)
    """Elements inside ``<body>`` whose class or id has "source" in it (shown elements only)."""
    account_named: list[Any] = field(default_factory=list)
    """Elements marked as the posting account's name, most trusted marking first."""
    author_named: list[Any] = field(default_factory=list)
    """Elements marked as holding an author's name."""
    byline_named: list[Any] = field(default_factory=list)
    """Other elements inside ``<body>`` whose class or id names them a byline or an author's."""


_walked: weakref.WeakKeyDictionary[Any, Markup] = weakref.WeakKeyDictionary()


def markup(selector: Selector) -> Markup:
    """The page's :class:`Markup`, walked once per parsed page (kept as long as its selector lives)."""
    found = _walked.get(selector)
    if found is None:
        root = selector.root
        found = _walked[selector] = _walk(root) if root is not None and hasattr(root, "iter") else Markup()
    return found


def _walk(root: Any) -> Markup:
    found = Markup()
    accounts: list[tuple[int, Any]] = []
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag in _TAG_READERS:
            _TAG_READERS[tag](element, found)
        keys = element.keys()
        if keys:
            _read_names(element, tag, keys, found, accounts)
    found.account_named = [element for _, element in sorted(accounts, key=lambda pair: pair[0])]
    return found


def _read_names(element: Any, tag: str, keys: list[str], found: Markup, accounts: list[tuple[int, Any]]) -> None:
    """Read what an element's class, id, ``rel`` and ``itemprop`` mark it as."""
    words: list[str] = []
    marks = ""
    if "class" in keys or "id" in keys:
        class_name, element_id = element.get("class") or "", element.get("id") or ""
        words = class_name.split()
        marks = f"{class_name} {element_id}".lower()
        rank = 0 if element_id == ACCOUNT_NAME_ID else _account_rank(words)
        if rank is not None:
            accounts.append((rank, element))
        if (SOURCE_NAME in class_name or SOURCE_NAME in element_id) and _shown_in_body(element, tag):
            found.source_named.append(element)
    itemprop = element.get("itemprop") if "itemprop" in keys else None
    if itemprop == "datePublished":
        found.published.append(element)
    if (
        AUTHOR_NAME_CLASS in words
        or _wechat_author_slot(element, words)
        or ("rel" in keys and element.get("rel") == "author")
        or (itemprop == "name" and any(above.get("itemprop") == "author" for above in element.iterancestors()))
    ):
        found.author_named.append(element)
    elif any(name in marks for name in BYLINE_NAMES) and _shown_in_body(element, tag):
        found.byline_named.append(element)


def _wechat_author_slot(element: Any, words: list[str]) -> bool:
    element_id = element.get("id")
    if element_id is not None:
        return element_id == WECHAT_AUTHOR_ID
    return WECHAT_META_FIELD in words and ACCOUNT_NAME_CLASSES[1] not in words


def _account_rank(words: list[str]) -> int | None:
    return next((rank for rank, name in enumerate(ACCOUNT_NAME_CLASSES, 1) if name in words), None)


def _shown_in_body(element: Any, tag: str) -> bool:
    return tag not in NOT_SHOWN_TAGS and any(above.tag == "body" for above in element.iterancestors())


def _read_meta(element: Any, found: Markup) -> None:
    key = (element.get("name") or element.get("property") or element.get("itemprop") or "").strip().lower()
    if key not in found.metas:
        content = normalize_space(element.get("content") or "")
        if content:
            found.metas[key] = content


def _read_link(element: Any, found: Markup) -> None:
    if found.canonical_href is None and (element.get("rel") or "").lower() == "canonical":
        found.canonical_href = element.get("href")


def _read_script(element: Any, found: Markup) -> None:
    if element.text is None:
        return
    if "ld+json" in (element.get("type") or ""):
        found.ld_json.append(element.text)
    if element.get("src") is None:
        found.inline_scripts.append(element.text)


def _read_title(element: Any, found: Markup) -> None:
    if found.title is None:
        found.title = text_of(element)


def _read_time(element: Any, found: Markup) -> None:
    moment = element.get("datetime")
    if moment is None:
        return
    if element.get("pubdate") is not None:
        found.pubdate_times.append(moment)
    if found.first_time is None:
        found.first_time = moment


_TAG_READERS = {
    "title": _read_title,
    "meta": _read_meta,
    "link": _read_link,
    "script": _read_script,
    "time": _read_time,
}
