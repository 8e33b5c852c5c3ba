"""The search index, one entry per article (an FTS5 table with positions on SQLite, a ``text[]`` column
on PostgreSQL): both databases find exactly the articles that hold every term of a query and pass the
phrase check, and migrations 0006, 0010 and 0011 move stored articles' terms into it and back."""

from __future__ import annotations

import dataclasses

import pytest
from revisions import move_to
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from synthetic import synthetic_article

from crawler.extraction.items import Article as CrawledArticle
from pipelines.db import make_engine, open_database
from pipelines.dedupe import resolve, sign
from pipelines.models import Article
from pipelines.normalize import to_record
from pipelines.search import BREAK, index_text, indexed_terms, search_articles, terms

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


def written(number: int, title: str, body: str, published: str | None) -> CrawledArticle:
    """A crawled article with this headline, publication time and text (then a synthetic article's
    text, so that no two are copies of one another)."""
    whole = body + "\n" + synthetic_article(200 + number).text
    return dataclasses.replace(
        synthetic_article(200 + number), title=title, text=whole, paragraphs=whole.split("\n"), published_at=published
    )


def store_texts(db: str, texts: list[tuple[str, str, str | None]]) -> None:
    """Articles of (headline, text, publication time) stored as a crawl stores them."""
    with open_database(db).begin() as session:
        for number, (title, body, published) in enumerate(texts):
            resolve(session, sign(to_record(written(number, title, body, published), {})))


def titles(session: Session, query: str, **page: int) -> list[str]:
    return [article.title for article in search_articles(session, query, **page)]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("literacy,", ["川渝职教联盟成立"]),
        ("“课后服务”！", ["课后服务"]),
        ("职教、plan.", ["川渝职教联盟成立"]),
        ("literacy...plan", ["川渝职教联盟成立"]),
        ("，。!", []),
    ],
)
def test_punctuation_in_a_query_only_separates_its_words(any_db: str, query: str, found: list[str]) -> None:
    store(any_db, count=0)
    with Session(make_engine(any_db)) as session:
        assert titles(session, query) == found


def test_one_chinese_character_finds_every_article_holding_it_even_inside_a_longer_run(any_db: str) -> None:
    store(any_db)
    with Session(make_engine(any_db)) as session:
        holding = {article.id for article in session.scalars(select(Article)) if "教" in article.title + article.text}
        found = search_articles(session, "教", limit=1000)
    assert {article.id for article in found} == holding
    assert "川渝职教联盟成立" in [article.title for article in found]  # 教 only inside 职教 there


def test_pages_come_newest_first_undated_last_and_offset_and_limit_cut_them_exactly(any_db: str) -> None:
    times = [
        "2024-05-20T08:00:00+08:00",
        None,
        "2024-05-20T08:00:00+08:00",  # the same second as the first: the newer id comes first
        "2026-01-02T00:00:00+00:00",
        "1969-07-20T20:17:40+00:00",
        "2024-05-20T08:00:00.500000+08:00",
        None,
        "2023-12-31T23:59:59+00:00",
    ]
    store_texts(
        any_db, [(f"职教新闻{number}", f"职业教育第{number}篇。", moment) for number, moment in enumerate(times)]
    )
    with Session(make_engine(any_db)) as session:
        stored = list(session.scalars(select(Article).where(Article.title.startswith("职教新闻"))))
        newest_first = sorted(
            stored,
            key=lambda a: (a.published_at is None, -(a.published_at.timestamp() if a.published_at else 0), -a.id),
        )
        everything = [article.title for article in newest_first]
        assert titles(session, "职教", limit=100) == everything
        assert everything[-2:] == ["职教新闻6", "职教新闻1"] and everything[:2] == ["职教新闻3", "职教新闻5"]
        for offset in range(len(times) + 1):
            assert titles(session, "职教", limit=3, offset=offset) == everything[offset : offset + 3]


def test_a_phrase_finds_its_words_in_order_only_and_pages_count_only_those(any_db: str) -> None:
    decoys = [
        (f"安排{number}", "课后活动丰富，饭后服务周到。", f"2025-0{number + 1}-01T00:00:00+00:00")
        for number in range(5)
    ]
    store_texts(any_db, [("课后服务通知", "学校课后服务时间延长。", "2024-01-01T00:00:00+00:00"), *decoys])
    with Session(make_engine(any_db)) as session:
        assert titles(session, "课后 服务", limit=10) == [f"安排{n}" for n in range(4, -1, -1)] + ["课后服务通知"]
        assert titles(session, "课后服务") == ["课后服务通知"]
        assert titles(session, "课后服务", limit=1) == ["课后服务通知"]
        assert titles(session, "课后服务", limit=1, offset=1) == []


def test_an_article_whose_publication_time_changes_is_filed_once_under_its_new_time(any_db: str) -> None:
    store_texts(
        any_db,
        [
            ("旧闻", "职业教育活动。", "2020-01-01T00:00:00+00:00"),
            ("新闻", "职业教育周。", "2024-01-01T00:00:00+00:00"),
        ],
    )
    first = written(0, "旧闻", "职业教育活动。", "2020-01-01T00:00:00+00:00")
    moved = dataclasses.replace(
        first,
        text=first.text + "\n补充。",
        paragraphs=[*first.paragraphs, "补充。"],
        published_at="2025-01-01T00:00:00+00:00",
        fetched_at="2026-11-03T08:00:00+00:00",
    )
    with open_database(any_db).begin() as session:
        assert resolve(session, sign(to_record(moved, {}))).status == "updated"
    with Session(make_engine(any_db)) as session:
        assert titles(session, "职业") == ["旧闻", "新闻"]
        assert session.execute(text("SELECT count(*) FROM search_index")).scalar() == 2


@pytest.mark.parametrize(
    "published", [None, "1901-01-01T00:00:00+00:00", "2024-05-20T08:00:00.750000+08:00", "2199-01-01T00:00:00+00:00"]
)
def test_a_deleted_articles_entry_leaves_the_index_whatever_its_publication_time(
    any_db: str, published: str | None
) -> None:
    store_texts(any_db, [("课后服务", "学校推出课后服务。", published), ("职教", "职教联盟成立，课后服务。", None)])
    engine = make_engine(any_db)
    with Session(engine) as session, session.begin():
        article_id = session.scalars(select(Article.id).where(Article.title == "课后服务")).one()
        session.execute(text("DELETE FROM sightings WHERE article_id = :id"), {"id": article_id})
        session.execute(text("DELETE FROM articles WHERE id = :id"), {"id": article_id})
    with Session(engine) as session:
        assert indexed_terms(session, article_id) == set()
        assert session.execute(text("SELECT count(*) FROM search_index")).scalar() == 1
        assert titles(session, "课后服务") == ["职教"]


def test_migration_0010_indexes_the_articles_of_a_database_at_0008(any_db: str) -> None:
    store(any_db)
    engine = make_engine(any_db)
    move_to(engine, "0008", down=True)
    with engine.connect() as connection:
        column = "rowid" if connection.dialect.name == "sqlite" else "article_id"
        filed = set(connection.execute(text(f"SELECT {column} FROM search_index")).scalars())
        ids = set(connection.execute(text("SELECT id FROM articles")).scalars())
    assert filed == ids  # 0008's layout: an entry per article, under its id

    move_to(engine, "head")
    with Session(engine) as session:
        articles = list(session.scalars(select(Article)))
        assert {article.id: indexed_terms(session, article.id) for article in articles} == {
            article.id: terms(article.title + "\n" + article.text) for article in articles
        }
        assert "川渝职教联盟成立" in titles(session, "教", limit=1000)
        newest_first = sorted(articles, key=lambda a: (a.published_at is None, -a.published_at.timestamp(), -a.id))
        assert (
            titles(session, "合成测试", limit=5, offset=2)
            == [a.title for a in newest_first if "合成测试" in a.title][2:7]
        )


def test_a_phrase_with_letters_is_found_whatever_their_case_and_one_without_as_written(any_db: str) -> None:
    store_texts(
        any_db,
        [
            ("5G网络进校园", "全市中小学5G网络覆盖率达到九成。", "2024-01-01T00:00:00+00:00"),
            ("网络安全课", "学校开设5g相关课程，网络安全教育同步推进。", "2024-02-01T00:00:00+00:00"),
            ("2024年招生", "2024年秋季学期招生工作启动。", "2024-03-01T00:00:00+00:00"),
            ("招生简章", "今年招生计划为2025人，2024年为2000人。", "2024-04-01T00:00:00+00:00"),
        ],
    )
    with Session(make_engine(any_db)) as session:
        assert titles(session, "5G网络") == titles(session, "5g网络") == ["5G网络进校园"]
        assert titles(session, "2024年招生") == ["2024年招生"]


def test_the_index_text_keeps_term_order_and_breaks_where_runs_do_not_touch() -> None:
    def parts(text: str) -> tuple[str, set[str]]:
        """The terms in the text's order, and the characters listed after the last break."""
        in_order, _, characters = index_text(text).rpartition(f" {BREAK} ")
        return in_order, set(characters.split())

    assert parts("课后服务") == ("课后 后服 服务", set("课后服务"))
    assert parts("5G网络 进校园") == (f"5g 网络 {BREAK} 进校 校园", set("网络进校园"))
    assert parts("课后a服务") == (f"课后 {BREAK} 服务", set("课后服务"))  # a lone letter is no term
    assert index_text("Reading, literacy 2024") == "reading literacy 2024"  # two words never meet in a phrase
    assert index_text("教") == "教" and index_text("") == ""


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("课后服务", ["一起"]),
        ("5G网络", ["一起"]),
        ("网络5g", ["倒过来"]),
        ("教育局", ["一起"]),
    ],
)
def test_a_phrase_is_not_found_across_punctuation_a_space_or_a_lone_letter(
    any_db: str, query: str, found: list[str]
) -> None:
    store_texts(
        any_db,
        [
            ("一起", "学校课后服务覆盖全区，5G网络进校园，市教育局通报。", "2024-01-01T00:00:00+00:00"),
            ("分开", "学校课后，服务覆盖全区；5G 网络进校园，市教育a局通报。", "2024-02-01T00:00:00+00:00"),
            ("倒过来", "校园网络5G覆盖，课后x服务。", "2024-03-01T00:00:00+00:00"),
        ],
    )
    with Session(make_engine(any_db)) as session:
        assert titles(session, query) == found


@pytest.mark.parametrize("query", ["2024年", "行2025", "2024年江", "举行2025届"])
def test_a_phrase_opening_or_closing_on_one_chinese_character_is_found_inside_a_longer_run(
    any_db: str, query: str
) -> None:
    store_texts(
        any_db,
        [
            ("一起", "2024年江西新高考落地，学校举行2025届毕业典礼。", "2024-01-01T00:00:00+00:00"),
            ("分开", "2024，年江西新高考落地，学校举行 2025 届毕业典礼。", "2024-02-01T00:00:00+00:00"),
        ],
    )
    with Session(make_engine(any_db)) as session:
        assert titles(session, query) == ["一起"]


def test_full_width_letters_and_digits_in_a_query_find_the_ascii_ones_stored_texts_have(any_db: str) -> None:
    store_texts(any_db, [("标题", "ＰＩＳＡ 2024 results: literacy rose.", None)])
    with Session(make_engine(any_db)) as session:
        assert titles(session, "ＬＩＴＥＲＡＣＹ") == titles(session, "２０２４") == titles(session, "pisa") == ["标题"]


def test_a_lone_character_of_the_text_makes_no_phrase_with_the_characters_listed_after_it(any_db: str) -> None:
    store_texts(any_db, [("标题", "他说：好 课后服务", None)])
    with Session(make_engine(any_db)) as session:
        assert titles(session, "好课") == []  # 好 ends the runs, 课 begins the index's list of characters
        assert titles(session, "好") == titles(session, "课后服务") == ["标题"]


def test_migration_0011_gives_an_sqlite_index_positions_and_0010s_term_sets_back(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'news.sqlite'}"
    store(db)
    store_texts(db, [("分开", "学校课后，服务覆盖全区。", None)])
    engine = make_engine(db)
    with Session(engine) as session:
        articles = list(session.scalars(select(Article)))
        wanted = {article.id: terms(article.title + "\n" + article.text) for article in articles}
    move_to(engine, "0010", down=True)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT terms FROM search_index")).scalars().all()
    assert sorted(sorted(entry.split()) for entry in stored) == sorted(sorted(found) for found in wanted.values())

    move_to(engine, "head")
    with Session(engine) as session:
        assert {article_id: indexed_terms(session, article_id) for article_id in wanted} == wanted
        assert titles(session, "课后服务") == ["课后服务"]  # not 分开: its bigrams stand apart
        assert "川渝职教联盟成立" in titles(session, "教", limit=1000)
