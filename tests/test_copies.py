"""Copies in a real database: every sighting keeps its text, the article takes the best copy's
whatever the crawl order, editions of a templated notice stay apart, and a rejudge undoes the merges
of older rules without losing a copy. Migration 0007 fills and re-signs what older versions stored."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import opencc
import pytest
from click.testing import CliRunner
from revisions import move_to
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from crawler.pages import read_saved_page
from edunews.cli import main
from edunews.replay import input_pages, replay_pages
from pipelines.copies import COPY_FIELDS, unpack
from pipelines.db import make_engine
from pipelines.dedupe import text_keys
from pipelines.models import Article, MinHashBand, Sighting
from pipelines.neardup import BANDS
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
        bands = session.scalars(select(MinHashBand.bucket).where(MinHashBand.article_id == taiwan)).all()
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
