"""Copies in a real database: every sighting keeps its text, the article takes the best copy's
whatever the crawl order, editions of a templated notice stay apart, and a rejudge undoes the merges
of older rules without losing a copy. Migration 0007 fills and re-signs what older versions stored."""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import opencc
import pytest
from click.testing import CliRunner
from notices import save_notices
from revisions import move_to
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crawler.extraction.extract import extract_article
from crawler.extraction.items import Article as CrawledArticle
from crawler.extraction.pages import read_saved_page
from edunews.cli import main
from edunews.replay import input_pages, replay_pages
from pipelines import storage
from pipelines.copies import COPY_FIELDS, unpack
from pipelines.db import make_engine, open_database
from pipelines.dedupe import resolve, sign, text_keys
from pipelines.models import Article, MinHashBand, Sighting
from pipelines.neardup import BANDS
from pipelines.normalize import to_record
from pipelines.search import indexed_terms, terms

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures"
TAIWAN = "https://www.edutimes-demo.com.tw/news/detail/20240305-0012"


def replay(db: str, *folders: Path, **options: object) -> None:
    _, pages = input_pages(list(folders))
    replay_pages(pages, db=db, **options)  # type: ignore[arg-type]


def test_migration_0007_keeps_each_articles_own_copy_and_signs_traditional_texts_again(any_db: str) -> None:
    replay(any_db, FIXTURES)
    engine = make_engine(any_db)
    with Session(engine) as session:
        articles = {a.id: (a.fingerprint, a.minhash, a.shingle_count) for a in session.scalars(select(Article))}
        taiwan = session.scalars(select(Sighting).where(Sighting.url == TAIWAN)).one().article_id
    move_to(engine, "0006", down=True)
    with engine.begin() as connection:  # the keys a version before OpenCC folding gave the traditional text
        connection.execute(update(Article).where(Article.id == taiwan).values(fingerprint="0" * 64))
        connection.execute(delete(MinHashBand).where(MinHashBand.article_id == taiwan))

    move_to(engine, "head")
    with Session(engine) as session:
        stored = {a.id: a for a in session.scalars(select(Article))}
        assert {i: (a.fingerprint, a.minhash, a.shingle_count) for i, a in stored.items()} == articles
        bands = [
            bucket
            for table in storage.BAND_TABLES
            for bucket in session.scalars(select(table.bucket).where(table.article_id == taiwan))
        ]
        assert len(bands) == BANDS
        for sighting in session.scalars(select(Sighting)):
            article = stored[sighting.article_id]
            if sighting.url != article.url:
                assert sighting.extracted is None, "a copy whose text was never kept stays empty"
                continue
            copy = unpack(sighting.extracted)
            assert (copy["text"], copy["title"], copy["removed"]) == (article.text, article.title, article.removed)
            assert copy["published_at"] == article.published_at and sighting.fingerprint == article.fingerprint


def test_a_simplified_copy_of_a_traditional_article_joins_it(any_db: str) -> None:
    replay(any_db, FIXTURES / "big5-taiwan")
    page = read_saved_page(FIXTURES / "big5-taiwan")
    simplified = opencc.OpenCC("t2s").convert(page.body.decode("big5"))
    headers = {**page.headers, "Content-Type": "text/html; charset=utf-8"}
    mirror = dataclasses.replace(
        page, url="https://www.edu-mirror.cn/tw/0012.html", body=simplified.encode("utf-8"), headers=headers
    )
    replay_pages([mirror], db=any_db)
    with Session(make_engine(any_db)) as session:
        article = session.scalars(select(Article)).one()
        assert {s.url for s in article.sightings} == {TAIWAN, mirror.url}
        assert all(s.extracted for s in article.sightings)
        assert text_keys(article.title, article.text).fingerprint == article.fingerprint


def test_every_copy_keeps_the_fields_it_was_extracted_with(any_db: str) -> None:
    replay(any_db, FIXTURES / "seed-contentfarm-gbk", FIXTURES / "seed-repost-portal")
    with Session(make_engine(any_db)) as session:
        copies = {s.site: unpack(s.extracted) for s in session.scalars(select(Sighting))}
    assert set(copies) == {"www.1xbbk.net", "www.eduzx.com.cn"}
    assert copies["www.1xbbk.net"]["text"].startswith("年成渝地区")
    assert copies["www.eduzx.com.cn"]["text"].startswith("2021年成渝地区")
    assert [block["reason"] for block in copies["www.eduzx.com.cn"]["removed"]][:2] == ["ad", "spam-link"]
    assert set(copies["www.1xbbk.net"]) == set(COPY_FIELDS)


FARM = "http://www.1xbbk.net/jwbzn/4984.html"
PORTAL = "https://www.eduzx.com.cn/zhijiao/2021/0427/1186523.html"


@pytest.mark.parametrize(
    "order", [("seed-contentfarm-gbk", "seed-repost-portal"), ("seed-repost-portal", "seed-contentfarm-gbk")]
)
def test_the_portals_intact_copy_is_elected_whichever_is_crawled_first(any_db: str, order: tuple[str, str]) -> None:
    for folder in order:  # one crawl after the other: the first one is stored alone first
        replay(any_db, FIXTURES / folder)
    with Session(make_engine(any_db)) as session:
        article = session.scalars(select(Article)).one()
        assert (article.url, article.site) == (PORTAL, "www.eduzx.com.cn")
        assert article.text.startswith("2021年成渝地区") and article.title.startswith("重庆：吹响川渝")
        assert article.published_at.isoformat() == "2021-04-27T02:35:21+00:00" and article.editors == ["李想"]
        urls = {"seed-contentfarm-gbk": FARM, "seed-repost-portal": PORTAL}
        assert {s.url: s.match for s in article.sightings} == {urls[order[0]]: "original", urls[order[1]]: "near"}
        assert indexed_terms(session, article.id) == terms(article.title + "\n" + article.text)

    shown = json.loads(CliRunner().invoke(main, ["articles", "show", FARM, "--db", any_db, "--json"]).output)
    copies = {copy["url"]: copy for copy in shown["sightings"]}
    assert copies[PORTAL]["elected"] and copies[PORTAL]["changes"] == []
    assert not copies[FARM]["elected"]
    assert copies[FARM]["changes"] == ["digits stripped (5)", "lines added (12)", "sentences changed (4)"]
    table = CliRunner().invoke(main, ["articles", "show", FARM, "--db", any_db], env={"COLUMNS": "300"}).output
    assert "digits stripped (5)" in table and "elected" in table


@pytest.fixture(scope="module")
def notices(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CrawledArticle]:
    """The two editions of the notice and the farm's digit-stripped copies, extracted from saved pages."""
    pages = save_notices(tmp_path_factory.mktemp("notices"))
    return {name: extract_article(read_saved_page(folder)) for name, folder in pages.items()}


def store(db: str, items: list[CrawledArticle]) -> None:
    with open_database(db).begin() as session:
        for item in items:
            resolve(session, sign(to_record(item, {})))


def groups(db: str) -> set[frozenset[str]]:
    """The stored articles as the sets of their copies' URLs."""
    with Session(make_engine(db)) as session:
        return {frozenset(s.url for s in article.sightings) for article in session.scalars(select(Article))}


def elected_urls(db: str) -> set[str]:
    with Session(make_engine(db)) as session:
        return set(session.scalars(select(Article.url)))


@pytest.mark.parametrize(
    "order", list(itertools.permutations(["bureau-2024", "bureau-2025", "farm-2024", "farm-2025"]))
)
def test_two_editions_of_a_notice_stay_apart_and_each_farm_copy_joins_its_own_in_every_order(
    tmp_path: Path, notices: dict[str, CrawledArticle], order: tuple[str, ...]
) -> None:
    db = str(tmp_path / "news.sqlite")
    store(db, [notices[name] for name in order])
    url = {name: item.url for name, item in notices.items()}
    assert groups(db) == {
        frozenset({url["bureau-2024"], url["farm-2024"]}),
        frozenset({url["bureau-2025"], url["farm-2025"]}),
    }
    assert elected_urls(db) == {url["bureau-2024"], url["bureau-2025"]}, "the copies with their years"


def copy_texts(db: str) -> dict[str, str]:
    with Session(make_engine(db)) as session:
        return {s.url: unpack(s.extracted)["text"] for s in session.scalars(select(Sighting))}


def rejudge_json(db: str) -> dict[str, int]:
    result = CliRunner().invoke(main, ["dedupe", "--rejudge", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_rejudge_splits_a_wrong_merge_of_older_rules_and_every_copy_keeps_its_text(
    any_db: str, notices: dict[str, CrawledArticle]
) -> None:
    store(any_db, [notices["bureau-2024"], notices["farm-2024"]])
    with open_database(any_db).begin() as session:  # what older rules did: the 2025 edition is a repost
        article = session.scalars(select(Article)).one()
        for name in ("bureau-2025", "farm-2025"):
            storage.add_sighting(session, article, sign(to_record(notices[name], {})), "near", 0.62)
    texts = copy_texts(any_db)
    assert len(groups(any_db)) == 1

    assert rejudge_json(any_db) == {"checked": 1, "split": 1, "joined": 0, "reelected": 0}
    url = {name: item.url for name, item in notices.items()}
    assert groups(any_db) == {
        frozenset({url["bureau-2024"], url["farm-2024"]}),
        frozenset({url["bureau-2025"], url["farm-2025"]}),
    }
    assert elected_urls(any_db) == {url["bureau-2024"], url["bureau-2025"]}
    assert copy_texts(any_db) == texts
    with Session(make_engine(any_db)) as session:
        for article in session.scalars(select(Article)):
            assert indexed_terms(session, article.id) == terms(article.title + "\n" + article.text)
            assert {s.match for s in article.sightings if s.url != url["bureau-2024"]} == {"near"}, "how they joined"

    before = groups(any_db), elected_urls(any_db), copy_texts(any_db)
    assert rejudge_json(any_db) == {"checked": 2, "split": 0, "joined": 0, "reelected": 0}
    assert (groups(any_db), elected_urls(any_db), copy_texts(any_db)) == before


def test_a_rejudge_joins_a_missed_repost_and_elects_its_best_copy(
    any_db: str, notices: dict[str, CrawledArticle]
) -> None:
    store(any_db, [notices["farm-2024"]])
    with open_database(any_db).begin() as session:  # stored apart, as if no rule had found the pair
        storage.add_article(session, sign(to_record(notices["bureau-2024"], {})))
    assert len(groups(any_db)) == 2

    assert rejudge_json(any_db) == {"checked": 2, "split": 0, "joined": 1, "reelected": 1}
    url = {name: item.url for name, item in notices.items()}
    assert groups(any_db) == {frozenset({url["bureau-2024"], url["farm-2024"]})}
    assert elected_urls(any_db) == {url["bureau-2024"]}
    assert rejudge_json(any_db) == {"checked": 1, "split": 0, "joined": 0, "reelected": 0}
