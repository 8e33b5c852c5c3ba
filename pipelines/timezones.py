"""Times shown the way the page gave them: a stored UTC time moved back to the page's own offset."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def in_offset(moment: datetime, offset: str | None) -> datetime:
    """``moment`` (UTC) at the page's offset (``+08:00``), so its date is the date the page shows: a
    date-only 2025-06-28 in China is stored as 2025-06-27 16:00 UTC, and belongs to the 28th."""
    if not offset:
        return moment
    return moment.astimezone(timezone(offset_delta(offset)))


def offset_delta(offset: str) -> timedelta:
    """A stored offset (``+08:00``, ``-05:00``) as the time it stands from UTC."""
    sign = 1 if offset[0] == "+" else -1
    return sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
