"""How stored values are shown in the web page: safe links, local and UTC times, short lists."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from edunews.output import local_time
from edunews.scheduler import format_every

#: Schemes a stored URL may be linked with. Everything stored came from the open web, so a
#: ``javascript:`` or ``data:`` URL in a canonical link or a sighting is shown as text, never as a link.
LINK_SCHEMES = frozenset({"http", "https"})
#: Whitespace and control characters: browsers drop some of them inside a scheme ("java\tscript:").
UNSAFE_URL_CHARACTERS = re.compile(r"[\x00-\x20\x7f-\x9f]")
#: A language tag we are willing to put in a ``lang`` attribute.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def safe_href(url: Any) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host and no whitespace or control
    characters, else ``None`` (the caller then shows it as plain text)."""
    if not isinstance(url, str) or not url or UNSAFE_URL_CHARACTERS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc:
        return None
    return url


def published(moment: datetime | None, offset: str | None) -> str:
    """A publication time in the page's own offset, with the offset shown: readers of a Chinese
    bureau's notice expect Beijing time, not UTC."""
    if moment is None:
        return ""
    shown = local_time(moment, offset)
    return f"{shown} {offset}" if offset else f"{shown} UTC"


def utc_time(moment: datetime | None) -> str:
    """A time recorded by edunews itself (seen, crawled, scheduled), which has no page offset: UTC."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def language(value: Any) -> str | None:
    """A stored language as a ``lang`` attribute (it picks the right CJK glyphs), or ``None``."""
    if isinstance(value, str) and LANGUAGE_TAG.fullmatch(value):
        return value
    return None


def joined(values: Any) -> str:
    """A stored list (authors, keywords) as one line; other JSON values as their text."""
    if isinstance(values, list | tuple):
        return ", ".join(str(value) for value in values if value not in (None, ""))
    if isinstance(values, dict):
        return ", ".join(f"{key}: {value}" for key, value in values.items())
    return "" if values is None else str(values)


def every(seconds: int | None) -> str:
    """A schedule's fixed interval the way it was typed (``6h``), as the schedule commands show it."""
    return format_every(seconds) if seconds else ""


FILTERS = {
    "safe_href": safe_href,
    "published": published,
    "utc_time": utc_time,
    "language": language,
    "joined": joined,
    "every": every,
}
