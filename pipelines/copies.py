"""The copies of an article: what each sighting's page said, kept whole, so that the article's text
can be taken from the best copy and a decision to merge copies can be made again later.

A copy is stored as one blob per sighting: the extracted fields as JSON, compressed with zlib. zlib
because it is in the standard library on every platform (no dependency, readable by any later tool,
PostgreSQL and SQLite alike keep it as bytes) and fast enough to go unnoticed on the write path
(16 µs for a short article, 0.4 ms for a 7,000-character feature, whose JSON it shrinks to a
fifth); a dictionary-trained codec would compress short texts better but ties every blob to its
dictionary. JSON because the fields are JSON-shaped already and a blob must stay readable when the
record's class changes.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from difflib import SequenceMatcher
from functools import cached_property
from typing import Any

from crawler.extraction.patterns import SENTENCE_END
from pipelines.neardup import Facts, check_facts, facts, has_traditional, same_article
from pipelines.records import ArticleRecord

#: The fields of an :class:`ArticleRecord` a copy keeps: everything extraction gave the page, nothing
#: the store derives from it (keys) or knows of the fetch (URL, site, times, archive).
COPY_FIELDS = (
    "title",
    "text",
    "paragraphs",
    "authors",
    "editors",
    "source",
    "site_name",
    "language",
    "keywords",
    "images",
    "removed",
    "published_at",
    "published_offset",
    "canonical_url",
    "extractor_version",
)
#: zlib's default level: level 9 saved 2% more on article texts at twice the time.
COMPRESSION_LEVEL = 6


def record_fields(record: ArticleRecord) -> dict[str, Any]:
    """The fields of ``record`` that its copy keeps."""
    return {name: getattr(record, name) for name in COPY_FIELDS}


def pack(fields: Mapping[str, Any]) -> bytes:
    """A copy's fields (:data:`COPY_FIELDS`) as the blob a sighting stores."""
    data = {name: fields[name] for name in COPY_FIELDS}
    if isinstance(data["published_at"], datetime):
        data["published_at"] = data["published_at"].isoformat()
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), COMPRESSION_LEVEL)


def unpack(blob: bytes) -> dict[str, Any]:
    """The fields :func:`pack` stored, ``published_at`` an aware datetime again."""
    fields: dict[str, Any] = json.loads(zlib.decompress(blob).decode("utf-8"))
    if fields["published_at"] is not None:
        fields["published_at"] = datetime.fromisoformat(fields["published_at"])
    return fields


@dataclass(frozen=True)
class Copy:
    """One sighting's copy of an article, as election and comparison see it."""

    url: str
    site: str
    """The host the copy was fetched from."""
    first_seen: datetime
    last_seen: datetime
    fields: Mapping[str, Any]
    """The extracted fields (:data:`COPY_FIELDS`)."""

    @property
    def title(self) -> str:
        return str(self.fields["title"])

    @property
    def text(self) -> str:
        return str(self.fields["text"])

    @cached_property
    def facts(self) -> Facts:
        """The numbers of headline and text with their places, worked out once per copy."""
        return facts(self.title + "\n" + self.text)

    def record(self) -> ArticleRecord:
        """The copy as a record the store can file the article under (unsigned)."""
        return ArticleRecord(url=self.url, site=self.site, seen_at=self.last_seen, **self.fields)


def record_copy(record: ArticleRecord) -> Copy:
    """The copy a record brings."""
    return Copy(record.url, record.site, record.seen_at, record.seen_at, record_fields(record))


# Election: which copy the article shows. Each rule is a key, smaller is better, and a rule decides
# only between copies every earlier rule found equal (see ``ELECTION_RULES``).

#: Kinds of removed block that a reposting site adds to what it copies: the fewer a copy carried,
#: the nearer it is to the publisher's page.
ADDED_BY_REPOSTERS = frozenset({"spam-link", "ad", "promo", "reprint-notice"})
#: Letters at the end of a copy looked for in another copy, to see whether that one goes on.
END_LETTERS = 20
#: A copy is cut short when another goes on past its end for more than this many letters, or this
#: share of the other's letters if that is more: a repost's closing line or two is not a cut.
CUT_LETTERS = 120
CUT_SHARE = 0.1
#: A copy with less than this share of the longest copy's letters is a fragment of the article.
FRAGMENT_SHARE = 0.5
#: A source name inside a site name (or the other way round) names that site only when it is at
#: least this long: 教育部 names 中华人民共和国教育部, a two-character fragment names nothing.
MIN_NAME_CHARS = 3


def digits_stripped(copy: Copy, others: Sequence[Copy]) -> int:
    """Places where another copy states a number and this one has the same words around nothing:
    content farms strip years and dates, which makes their copy a worse record of the facts."""
    return sum(check_facts(copy.facts, other.facts).missing_in_first for other in others)


def cut_short(copy: Copy, other: Copy) -> bool:
    """Whether ``other`` goes on well past where ``copy`` ends (``CUT_LETTERS``, ``CUT_SHARE``)."""
    end = copy.facts.letters[-END_LETTERS:]
    if len(end) < END_LETTERS:
        return False
    at = other.facts.letters.rfind(end)
    if at == -1:
        return False
    rest = len(other.facts.letters) - at - len(end)
    return rest > max(CUT_LETTERS, CUT_SHARE * len(other.facts.letters))


def names_site(source: str | None, copy: Copy) -> bool:
    """Whether a copy's ``source`` (来源) names the site ``copy`` was fetched from, by its name or host."""
    if not source:
        return False
    name = (copy.fields.get("site_name") or "").strip()
    source = source.strip()
    if source in (name, copy.site):
        return True
    longer_than_a_fragment = min(len(source), len(name)) >= MIN_NAME_CHARS
    return longer_than_a_fragment and (source in name or name in source)


def reposter_blocks(copy: Copy) -> int:
    """Removed blocks of the kinds reposting sites add (``ADDED_BY_REPOSTERS``)."""
    return sum(1 for block in copy.fields.get("removed") or [] if block.get("reason") in ADDED_BY_REPOSTERS)


def is_fragment(copy: Copy, others: Sequence[Copy]) -> bool:
    """Whether another copy has more than twice ``copy``'s letters (``FRAGMENT_SHARE``): a teaser or
    a copy that lost most of its text, never the article whatever its date says."""
    longest = max((len(other.facts.letters) for other in others), default=0)
    return len(copy.facts.letters) < FRAGMENT_SHARE * longest


def publication_day(copy: Copy) -> date:
    """The UTC day a copy says it was published (``date.max`` when it says nothing). A day, not a
    time: a copy that gives only the day, or a time in another zone, must not look earlier than the
    original it copied the same day; copies of one day are left to the later rules."""
    published = copy.fields.get("published_at")
    return published.astimezone(UTC).date() if published is not None else date.max


def ranking(copy: Copy, copies: Sequence[Copy]) -> tuple[Any, ...]:
    """``copy``'s key among ``copies`` under ``ELECTION_RULES``, in order; the smallest wins."""
    others = [other for other in copies if other.url != copy.url]
    return (
        digits_stripped(copy, others),
        is_fragment(copy, others),
        not any(names_site(other.fields.get("source"), copy) for other in copies),
        publication_day(copy),
        any(cut_short(copy, other) for other in others),
        reposter_blocks(copy),
        -len(copy.facts.letters),
        copy.first_seen,
        copy.url,
    )


#: The rules of :func:`elect`, in the order they apply (each one a part of :func:`ranking`).
ELECTION_RULES = (
    "digits intact: fewest numbers missing where another copy states them (stripped years, dates)",
    "not a fragment: at least half the letters of the longest copy",
    "on the source's site: another copy's 来源 names its site (name or host)",
    "published first, by the day: a repost is never published before its original",
    "not cut short: no other copy goes on well past its end",
    "fewest removed blocks of the kinds reposters add (spam links, adverts, promotions, reprint notices)",
    "the most complete: most letters",
    "seen first",
    "the smallest URL, so that every crawl order elects the same copy",
)


def elect(copies: Sequence[Copy]) -> Copy:
    """The copy an article shows: the best under ``ELECTION_RULES``, whatever order the copies came in.
    The first copy crawled is often a content farm's, digits stripped and spam added; the rules
    prefer the one nearest the publisher's own page."""
    if not copies:
        raise ValueError("an article with no copy has nothing to elect")
    return min(copies, key=lambda copy: ranking(copy, copies))


# What a copy changed against the elected text, in plain words.


def _letters(line: str) -> str:
    """A line as copies are compared: folded script, letters only, digits left out (stripped digits
    are told apart on their own)."""
    return facts(line).letters


def _sentences(lines: Sequence[str]) -> list[str]:
    """The sentences of ``lines`` (split after each sentence end), as :func:`_letters`."""
    found = []
    for line in lines:
        start = 0
        for end in SENTENCE_END.finditer(line):
            found.append(line[start : end.end()])
            start = end.end()
        found.append(line[start:])
    return [key for key in map(_letters, found) if key]


def _line_changes(copy: Copy, elected: Copy, *, cut: bool) -> tuple[int, int, int]:
    """Lines added, lines dropped and sentences changed in ``copy`` against ``elected``, line by line
    in reading order. The lines after a cut are the cut, not dropped lines."""
    theirs = [line for line in elected.text.split("\n") if _letters(line)]
    mine = [line for line in copy.text.split("\n") if _letters(line)]
    added = dropped = changed = 0
    matcher = SequenceMatcher(
        None, [_letters(line) for line in theirs], [_letters(line) for line in mine], autojunk=False
    )
    for operation, start, stop, my_start, my_stop in matcher.get_opcodes():
        if operation == "insert":
            added += my_stop - my_start
        elif operation == "delete" and not (cut and stop == len(theirs)):
            dropped += stop - start
        elif operation == "replace":
            sentences = SequenceMatcher(
                None, _sentences(theirs[start:stop]), _sentences(mine[my_start:my_stop]), autojunk=False
            )
            changed += sum(
                max(stop - start, my_stop - my_start)
                for kind, start, stop, my_start, my_stop in sentences.get_opcodes()
                if kind != "equal"
            )
    return added, dropped, changed


def changes(copy: Copy, elected: Copy) -> list[str]:
    """What ``copy`` changed against the elected copy, in plain words: ``digits stripped (n)``,
    ``lines added (n)``, ``lines dropped (n)``, ``sentences changed (n)``, ``cut short``,
    ``other script (traditional)``. None for the elected copy itself or a copy with its very text."""
    if copy.url == elected.url:
        return []
    found = []
    stripped = check_facts(copy.facts, elected.facts).missing_in_first
    if stripped:
        found.append(f"digits stripped ({stripped})")
    cut = cut_short(copy, elected)
    added, dropped, changed = _line_changes(copy, elected, cut=cut)
    found += [f"{what} ({count})" for what, count in (("lines added", added), ("lines dropped", dropped)) if count]
    if changed:
        found.append(f"sentences changed ({changed})")
    if cut:
        found.append("cut short")
    if has_traditional(copy.text) and not has_traditional(elected.text):
        found.append("other script (traditional)")
    return found


# Whether copies belong together: the decision of ``pipelines.dedupe.resolve`` and of a rejudge.


@dataclass(frozen=True, order=True)
class Fit:
    """How well a copy fits a group of copies: the more numbers it states alike, the better; then the
    more of it lies inside the elected text."""

    agreeing: int
    coverage: float


def conflicts(copy: Copy, group: Sequence[Copy]) -> bool:
    """Whether ``copy`` states another number than any copy of ``group`` at the same place: another
    edition of a notice, whichever copy of the group happens to be elected."""
    return any(check_facts(copy.facts, other.facts).conflicting for other in group)


def fit(copy: Copy, group: Sequence[Copy], elected: Copy) -> Fit | None:
    """How ``copy`` fits the article whose copies are ``group`` (``elected`` among them), or None when
    it is another article: not the same text as the elected copy (``same_article``: the smaller
    inside the larger, no long stretch of its own, no differing number), or a number that differs
    from any copy of the group."""
    verdict = same_article(copy.title, copy.text, elected.title, elected.text)
    if not verdict.duplicate or conflicts(copy, group):
        return None
    agreeing = sum(check_facts(copy.facts, other.facts).agreeing for other in group)
    return Fit(agreeing, verdict.overlap.coverage)


def belonging(first: Copy, copies: Sequence[Copy]) -> list[Copy]:
    """The copies of ``copies`` that are one article with ``first``: grown a copy at a time, each
    joining when it is the same article as a copy already in (``same_article``) and states no number
    that differs from any of them. A rejudge keeps these together and splits off the rest."""
    group = [first]
    rest = [copy for copy in copies if copy.url != first.url]
    grew = True
    while grew:
        grew = False
        for copy in list(rest):
            if not conflicts(copy, group) and any(
                same_article(copy.title, copy.text, member.title, member.text).duplicate for member in group
            ):
                group.append(copy)
                rest.remove(copy)
                grew = True
    return group


def partition(copies: Sequence[Copy], elected: Copy) -> list[list[Copy]]:
    """``copies`` as the articles they are: first those :func:`belonging` with ``elected``, then each
    group of the rest around its own best copy."""
    groups = []
    rest = list(copies)
    first = elected
    while rest:
        group = belonging(first, rest)
        groups.append(group)
        taken = {copy.url for copy in group}
        rest = [copy for copy in rest if copy.url not in taken]
        if rest:
            first = elect(rest)
    return groups
