"""The search index, one entry per article (an FTS5 table on SQLite, a ``text[]`` column on PostgreSQL):
both databases find exactly the articles that hold every term of a query and pass the phrase check,
and migration 0006 moves stored articles' terms into it and back."""

from __future__ import annotations

import dataclasses

import pytest
from revisions import move_to
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from synthetic import synthetic_article

from pipelines.db import make_engine, open_database
from pipelines.dedupe import resolve, sign
from pipelines.models import Article
from pipelines.normalize import to_record
from pipelines.search import indexed_terms, search_articles, terms

#: Articles whose texts tell the index's rules apart: a two-character word, an English word, the same
#: word inside a longer one, a lone Chinese character, bigrams that occur only apart.
TEXTS = [
    ("川渝职教联盟成立", "两地职教联盟今日成立。The Literacy plan starts now."),
    ("扫盲计划", "Illiteracy fell; the plan was praised."),
    ("课后服务", "学校推出课后服务，家长：好 教 育"),
    ("后课安排", "服务课后延时，课程安排公布。"),
]
QUERIES = ["职教", "literacy", "LITERACY plan", "plan", "课后服务", "课后", "教", "职教 plan", "量子计算机", "teracy"]


def store(db: str, count: int = 20) -> None:
    """The handwritten articles of ``TEXTS`` and ``count`` synthetic ones, stored as a crawl stores them."""
    written = [
        dataclasses.replace(synthetic_article(100 + number), title=title, text=body, paragraphs=[body])
        for number, (title, body) in enumerate(TEXTS)
    ]
    with open_database(db).begin() as session:
        for item in written + [synthetic_article(index) for index in range(count)]:
            resolve(session, sign(to_record(item, {})))


def expected(articles: list[Article], query: str) -> set[int]:
    """The articles a search must find, worked out from their text alone."""
    wanted = terms(query)
    phrases = [part.lower() for part in query.split()]
    found = set()
    for article in articles:
        body = article.title + "\n" + article.text
        if wanted and wanted <= terms(body) and all(phrase in body.lower() for phrase in phrases):
            found.add(article.id)
    return found


@pytest.mark.parametrize("query", QUERIES)
def test_both_databases_find_exactly_the_articles_holding_every_query_term(any_db: str, query: str) -> None:
    store(any_db)
    with Session(make_engine(any_db)) as session:
        articles = list(session.scalars(select(Article)))
        assert {article.id for article in search_articles(session, query)} == expected(articles, query)


def test_search_tells_a_word_from_the_same_letters_inside_another(any_db: str) -> None:
    store(any_db, count=0)
    with Session(make_engine(any_db)) as session:
        assert [article.title for article in search_articles(session, "literacy")] == ["川渝职教联盟成立"]
        assert search_articles(session, "teracy") == []
        assert [article.title for article in search_articles(session, "课后服务")] == ["课后服务"]


def test_migration_0006_moves_every_articles_terms_into_the_index_and_back(any_db: str) -> None:
    store(any_db)
    engine = make_engine(any_db)
    with Session(engine) as session:
        stored = session.scalars(select(Article))
        wanted = {article.id: terms(article.title + "\n" + article.text) for article in stored}
        assert {article_id: indexed_terms(session, article_id) for article_id in wanted} == wanted

    move_to(engine, "0005", down=True)
    with engine.connect() as connection:
        rows = set(connection.execute(text("SELECT article_id, term FROM search_terms")))
        tables = set(connection.dialect.get_table_names(connection))
    assert rows == {(article_id, term) for article_id, found in wanted.items() for term in found}
    assert "search_index" not in tables

    move_to(engine, "head")
    with Session(engine) as session:
        assert {article_id: indexed_terms(session, article_id) for article_id in wanted} == wanted
        assert [article.title for article in search_articles(session, "职教 plan")] == ["川渝职教联盟成立"]
    with engine.connect() as connection:
        assert "search_terms" not in set(connection.dialect.get_table_names(connection))


def test_a_deleted_articles_terms_leave_the_index(any_db: str) -> None:
    store(any_db, count=0)
    engine = make_engine(any_db)
    with Session(engine) as session, session.begin():
        article = session.scalars(select(Article).where(Article.title == "课后服务")).one()
        article_id = article.id
        session.execute(text("DELETE FROM sightings WHERE article_id = :id"), {"id": article_id})
        session.execute(text("DELETE FROM articles WHERE id = :id"), {"id": article_id})
    with Session(engine) as session:
        assert indexed_terms(session, article_id) == set()


def test_an_article_stored_then_refreshed_in_one_transaction_is_indexed_by_its_new_text(any_db: str) -> None:
    original = synthetic_article(1)
    added = "记者补充：活动将持续一周。"
    changed = dataclasses.replace(
        original,
        text=original.text + "\n" + added,
        paragraphs=[*original.paragraphs, added],
        fetched_at="2026-11-03T08:00:00+00:00",
    )
    with open_database(any_db).begin() as session:
        outcomes = [resolve(session, sign(to_record(item, {}))).status for item in (original, changed)]
    assert outcomes == ["new", "updated"]
    with Session(make_engine(any_db)) as session:
        article = session.scalars(select(Article)).one()
        assert indexed_terms(session, article.id) == terms(article.title + "\n" + article.text)
        assert [found.id for found in search_articles(session, "持续一周")] == [article.id]


def test_rolled_back_articles_leave_nothing_to_index(any_db: str) -> None:
    sessions = open_database(any_db)
    with sessions() as session:
        for index in (1, 2):
            resolve(session, sign(to_record(synthetic_article(index), {})))
        session.rollback()
        with session.begin():
            kept = resolve(session, sign(to_record(synthetic_article(3), {}))).article_id
    with Session(make_engine(any_db)) as session:
        article = session.scalars(select(Article)).one()
        indexed = {article_id for article_id in range(1, 5) if indexed_terms(session, article_id)}
    assert article.id == kept and indexed == {kept}
