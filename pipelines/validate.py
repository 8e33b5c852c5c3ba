"""The validate pipeline: refuse items that cannot be a stored article, and keep them as rejects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from itemadapter import is_item

from pipelines.base import ItemPipeline, item_fields
from pipelines.records import Rejected, Rejection

#: Shorter text than this is a stub or a failed extraction, not an article.
MIN_TEXT_CHARS = 50
#: Clocks and time zones disagree a little; a date further ahead than this is wrong.
FUTURE_TOLERANCE = timedelta(days=1)
TEXT_FIELDS = ("url", "title", "text")
#: The longest URL the database keeps (the width of the URL columns).
MAX_URL = 2048
LIST_FIELDS = ("paragraphs", "authors", "editors", "keywords", "images", "removed")


class Invalid(ValueError):
    """Why an item was refused: ``reason`` is a short stable key for stats, ``detail`` says more."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def seen_time(fields: dict[str, Any]) -> datetime:
    """When the item was fetched (read as UTC when it gives no offset), or now."""
    fetched = fields.get("fetched_at")
    try:
        moment = datetime.fromisoformat(fetched) if isinstance(fetched, str) else datetime.now(UTC)
    except ValueError:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_article(fields: dict[str, Any]) -> None:
    """Raise :class:`Invalid` unless the fields make a storable article: absolute http(s) URL,
    non-empty title, text of real length, lists where lists belong, a readable date not in the future."""
    for name in TEXT_FIELDS:
        if not isinstance(fields.get(name), str):
            raise Invalid("malformed", f"{name} is {type(fields.get(name)).__name__}, not text")
    for name in LIST_FIELDS:
        if not isinstance(fields.get(name, []), list):
            raise Invalid("malformed", f"{name} is {type(fields.get(name)).__name__}, not a list")
    parts = urlsplit(fields["url"])
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid("bad-url", f"not an absolute http(s) URL: {fields['url'][:200]!r}")
    if len(fields["url"]) > MAX_URL:
        raise Invalid("bad-url", f"a URL of {len(fields['url'])} characters, longer than the {MAX_URL} stored")
    if not fields["title"].strip():
        raise Invalid("empty-title", "the article has no headline")
    if len(fields["text"].strip()) < MIN_TEXT_CHARS:
        raise Invalid("short-text", f"{len(fields['text'].strip())} characters of text")
    published = fields.get("published_at")
    if published is not None:
        try:
            moment = datetime.fromisoformat(published)
        except (TypeError, ValueError):
            raise Invalid("bad-date", f"unreadable publication time {published!r}") from None
        if moment.tzinfo is not None and moment > seen_time(fields) + FUTURE_TOLERANCE:
            raise Invalid("future-date", f"published {published}, fetched {fields.get('fetched_at')}")


class ValidatePipeline(ItemPipeline):
    """Passes valid articles on unchanged; drops the rest with a :class:`Rejection` (Scrapy's
    ``DropItem``), counted in ``edunews/rejected/<reason>``; the store pipeline keeps them in the
    rejects table."""

    def process_item(self, item: Any) -> Any:
        fields = item_fields(item) if is_item(item) else {"item": repr(item)[:1000]}
        try:
            if not is_item(item):
                raise Invalid("malformed", f"not an item: {type(item).__name__}")
            check_article(fields)
        except Invalid as invalid:
            self.stats.inc_value(f"edunews/rejected/{invalid.reason}")
            url = fields.get("url") if isinstance(fields.get("url"), str) else ""
            rejected = Rejected(url or "(no url)", invalid.reason, invalid.detail, _jsonable(fields), seen_time(fields))
            raise Rejection(rejected) from invalid
        return item


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    """The item as the rejects table can hold it: anything JSON cannot carry becomes its repr."""
    safe: dict[str, Any] = {}
    for key, value in fields.items():
        safe[str(key)] = (
            value if isinstance(value, str | int | float | bool | list | dict | type(None)) else repr(value)
        )
    return safe
