"""Storage functions of the ledger of discovered articles (``pipelines.models.LedgerEntry``): what a
crawl found, what it is due to fetch again, and what is pending and why (``edunews stats``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crawler.incremental import FAILED, GONE, TO_FETCH, LedgerNote, retry_after
from pipelines.models import LedgerEntry, fit

#: Rows read or written per statement (SQLite allows 32,766 variables; a row has nine).
CHUNK = 500
#: The states a crawl fetches again once they are due.
PENDING = (TO_FETCH, FAILED)


@dataclass(frozen=True)
class Backoff:
    """How long a failed URL waits: see ``crawler.incremental.retry_after``."""

    first: timedelta
    longest: timedelta


def _insert_missing(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows``, leaving any URL the ledger already has as it is."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(LedgerEntry).on_conflict_do_nothing(), list(rows[start : start + CHUNK]))


def _new_row(key: str, url: str, profile: str, now: datetime) -> dict[str, Any]:
    return {
        "url": key,
        "fetch_url": url,
        "profile": fit(profile, LedgerEntry.profile),
        "state": TO_FETCH,
        "reason": "",
        "failures": 0,
        "discovered_at": now,
        "updated_at": now,
        "due_at": now,
    }


def record_discovered(session: Session, profile: str, found: Iterable[tuple[str, str]], now: datetime) -> None:
    """Note newly found ``(key, url)`` article URLs as to be fetched; URLs already in the ledger keep
    their state (a page stored, failed or gone stays so when a listing links it again)."""
    _insert_missing(session, [_new_row(key, url, profile, now) for key, url in found])


def apply_notes(session: Session, profile: str, notes: Sequence[LedgerNote], now: datetime, backoff: Backoff) -> None:
    """Write what became of fetched URLs: a failure counts and waits its backoff; a URL not in the
    ledger yet (a redirect's target, a page found before the ledger existed) is added."""
    if not notes:
        return
    keys = [note.key for note in notes]
    failures: dict[str, int] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        query = select(LedgerEntry.url, LedgerEntry.failures).where(LedgerEntry.url.in_(chunk))
        failures.update((url, count) for url, count in session.execute(query))
    _insert_missing(
        session,
        [_new_row(note.key, note.fetch_url or note.key, profile, now) for note in notes if note.key not in failures],
    )
    changes = [_change(note, failures.get(note.key, 0), now, backoff) for note in notes if note.state != TO_FETCH]
    if changes:
        table = cast(Table, LedgerEntry.__table__)
        session.execute(table.update().where(table.c.url == bindparam("key")), changes)


def _change(note: LedgerNote, failures: int, now: datetime, backoff: Backoff) -> dict[str, Any]:
    """The new values of one ledger row for ``note``."""
    failed = note.state == FAILED
    count = failures + 1 if failed else 0
    due = now + retry_after(count, backoff.first, backoff.longest) if failed else None
    return {
        "key": note.key,
        "state": note.state,
        "reason": fit(note.reason, LedgerEntry.reason) or "",
        "failures": count,
        "updated_at": now,
        "due_at": due,
    }


def due_urls(session: Session, profile: str, now: datetime) -> list[str]:
    """The URLs of ``profile`` a crawl starting ``now`` fetches whatever its listings say: those never
    stored (found, or fetched and lost) and failed ones whose backoff is over."""
    query = (
        select(LedgerEntry.fetch_url)
        .where(LedgerEntry.profile == profile, LedgerEntry.state.in_(PENDING), LedgerEntry.due_at <= now)
        .order_by(LedgerEntry.due_at)
    )
    return list(session.scalars(query))


def held_back(session: Session, profile: str, now: datetime) -> dict[str, str]:
    """The URLs of ``profile`` that a crawl starting ``now`` must not fetch though a listing links to
    them, with their state: gone (never asked for again) and failed ones still backing off (asked for
    again when due, by :func:`due_urls`). A listing that answers 200 links to them every time."""
    query = select(LedgerEntry.url, LedgerEntry.state).where(
        LedgerEntry.profile == profile,
        or_(LedgerEntry.state == GONE, and_(LedgerEntry.state == FAILED, LedgerEntry.due_at > now)),
    )
    return {url: state for url, state in session.execute(query)}


def pending(session: Session, profile: str | None = None) -> dict[str, int]:
    """URLs the ledger still waits for (of one ``profile``, or all), by state and reason
    (``to-fetch``, ``failed timeout-error``)."""
    query = (
        select(LedgerEntry.state, LedgerEntry.reason, func.count())
        .where(LedgerEntry.state.in_(PENDING))
        .group_by(LedgerEntry.state, LedgerEntry.reason)
    )
    if profile is not None:
        query = query.where(LedgerEntry.profile == profile)
    return {
        " ".join(part for part in (state, reason.rsplit("/", 1)[-1] if reason else "") if part): count
        for state, reason, count in session.execute(query)
    }
