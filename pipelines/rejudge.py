"""Rejudging stored articles: the merge decisions of older rules made again from the copies' own
texts, so that a wrong merge can be undone and a missed one made, with no copy's text lost.

Each article is one transaction: its copies are split into the articles they are (those that belong
with the elected copy keep the article, see ``pipelines.copies.partition``); then each article is
joined with the stored articles the band index and ``same_article`` say it is one with; then every
article touched holds its election again. Copies that kept no text (stored before copies were kept)
stay with their article. A second run finds nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pipelines import storage
from pipelines.copies import Copy, conflicts, elect, partition
from pipelines.db import one_writer_at_a_time
from pipelines.dedupe import elect_copy, sign
from pipelines.models import Article
from pipelines.neardup import Signature, same_article

#: Rounds of joining at most: a join can elect a copy whose keys find another article to join.
JOIN_ROUNDS = 5


@dataclass
class RejudgeSummary:
    """What a rejudge did."""

    checked: int = 0
    """Articles whose copies were judged again."""
    split: int = 0
    """New articles made of copies that did not belong where they were."""
    joined: int = 0
    """Articles joined into another (and gone)."""
    reelected: int = 0
    """Articles that now show another copy."""


def _elected(article: Article, copies: list[Copy]) -> Copy | None:
    """The copy the article shows, when it kept its text."""
    return next((copy for copy in copies if copy.url == article.url), None)


def split_article(session: Session, article: Article, summary: RejudgeSummary) -> None:
    """Split off the copies of ``article`` that are other articles, each group an article of its
    own around its best copy, then hold the article's election again."""
    copies = storage.copies_of(article)
    elected = _elected(article, copies)
    if elected is None:
        return
    sightings = {sighting.url: sighting for sighting in article.sightings}
    for group in partition(copies, elected)[1:]:
        storage.split_off(session, [sightings[copy.url] for copy in group], sign(elect(group).record()))
        summary.split += 1
    summary.reelected += elect_copy(session, article)


def joinable(kept: list[Copy], kept_elected: Copy, other: list[Copy], other_elected: Copy) -> bool:
    """Whether two articles are one: their elected texts are the same article and no copy of one
    states a number that differs from a copy of the other."""
    verdict = same_article(other_elected.title, other_elected.text, kept_elected.title, kept_elected.text)
    return verdict.duplicate and not any(conflicts(copy, kept) for copy in other)


def join_article(session: Session, article: Article, summary: RejudgeSummary) -> bool:
    """Join into ``article`` every stored article the band index proposes and :func:`joinable`
    accepts (the older article keeps the copies); returns whether any was joined."""
    copies = storage.copies_of(article)
    elected = _elected(article, copies)
    if elected is None:
        return False
    signed = Signature.from_bytes(article.minhash, article.shingle_count)
    for candidate_id, _ in storage.near_duplicate_candidates(session, signed).duplicates(signed):
        if candidate_id == article.id:
            continue
        other = session.get_one(Article, candidate_id)
        theirs = storage.copies_of(other)
        their_elected = _elected(other, theirs)
        if their_elected is None or not joinable(copies, elected, theirs, their_elected):
            continue
        kept, gone = (article, other) if article.id < other.id else (other, article)
        storage.join(session, kept, gone)
        summary.joined += 1
        summary.reelected += elect_copy(session, kept)
        return True
    return False


def rejudge(sessions: sessionmaker[Session], on_article: Callable[[], None] | None = None) -> RejudgeSummary:
    """Judge every stored article's copies again with the current rules (see the module). Each
    article's split and each join is a transaction of its own."""
    summary = RejudgeSummary()
    with sessions() as session:
        ids = list(session.scalars(select(Article.id).order_by(Article.id)))
    for article_id in ids:
        with sessions.begin() as session:
            one_writer_at_a_time(session)
            article = session.get(Article, article_id)
            if article is not None:
                split_article(session, article, summary)
                summary.checked += 1
        if on_article:
            on_article()
    for _ in range(JOIN_ROUNDS):
        with sessions() as session:
            ids = list(session.scalars(select(Article.id).order_by(Article.id)))
        joined = False
        for article_id in ids:
            with sessions.begin() as session:
                one_writer_at_a_time(session)
                article = session.get(Article, article_id)
                while article is not None and join_article(session, article, summary):
                    joined = True
                    article = session.get(Article, article_id)
        if not joined:
            break
    return summary
