"""What keeps ingestion fast as the store grows: every query the per-record path runs is an indexed
search, never a scan (checked with SQLite's EXPLAIN QUERY PLAN on a migrated database)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ClauseElement

from pipelines import storage
from pipelines.db import open_database
from pipelines.search import SEARCH_INDEXES

#: Each per-record statement and the index SQLite must search it with (one per table it reads).
PER_RECORD_QUERIES = [
    (storage.SIGHTING_BY_URL, "SEARCH sightings USING COVERING INDEX sqlite_autoindex_sightings_1 (url=?)"),
    (storage.ARTICLE_BY_FINGERPRINT, "SEARCH articles USING COVERING INDEX ix_articles_fingerprint (fingerprint=?)"),
    (storage.SIGHTED_ARTICLE_BY_FINGERPRINT, "SEARCH sightings USING INDEX ix_sightings_fingerprint (fingerprint=?)"),
    (
        storage.BAND_CANDIDATES,
        (
            "COMPOUND QUERY",
            "LEFT-MOST SUBQUERY",
            "SEARCH minhash_bands USING PRIMARY KEY (bucket=?)",
            "SEARCH articles USING INTEGER PRIMARY KEY (rowid=?)",
            "UNION ALL",
            "SEARCH minhash_bands_recent USING PRIMARY KEY (bucket=?)",
            "SEARCH articles USING INTEGER PRIMARY KEY (rowid=?)",
        ),
    ),
    (storage.DELETE_BANDS[0], "SEARCH minhash_bands USING COVERING INDEX ix_minhash_bands_article (article_id=?)"),
    (
        storage.DELETE_BANDS[1],
        "SEARCH minhash_bands_recent USING COVERING INDEX ix_minhash_bands_recent_article (article_id=?)",
    ),
    # The recent rows leave in the large table's key order, which is their own: no sort.
    (storage.MOVE_RECENT_BANDS, "SCAN minhash_bands_recent"),
    # FTS5 reports every plan as a SCAN of the virtual table; "0:=" is its lookup of one rowid.
    (SEARCH_INDEXES["sqlite"].remove, "SCAN search_index VIRTUAL TABLE INDEX 0:="),
    (storage.DELETE_REJECT, "SEARCH rejects USING INDEX sqlite_autoindex_rejects_1 (url=?)"),
]


def query_plan(db: Path, statement: ClauseElement) -> list[str]:
    """SQLite's plan for ``statement``, one line per step."""
    engine = open_database(str(db)).kw["bind"]
    compiled = statement.compile(dialect=engine.dialect)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + compiled.string, (1,) * len(compiled.positiontup or compiled.params)
        )
        return [detail for *_, detail in rows]


@pytest.mark.parametrize(("statement", "search"), PER_RECORD_QUERIES)
def test_per_record_queries_search_an_index(
    tmp_path: Path, statement: ClauseElement, search: str | tuple[str, ...]
) -> None:
    expected = [search] if isinstance(search, str) else list(search)
    assert query_plan(tmp_path / "news.sqlite", statement) == expected


def test_many_rows_go_to_sqlite_in_inserts_any_sqlite_takes(tmp_path: Path) -> None:
    """SQLite before 3.32 (still linked by some distributions' Pythons) binds at most 999 values a statement."""
    metadata = MetaData()
    wide = Table("wide", metadata, *(Column(f"c{n}", Integer) for n in range(8)))
    engine = create_engine(f"sqlite:///{tmp_path / 'wide.sqlite'}")
    metadata.create_all(engine)
    rows = [tuple(range(row, row + 8)) for row in range(500)]
    with Session(engine) as session:
        session.connection().connection.driver_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        storage._insert_rows(session, insert(wide), rows)
        session.commit()
        assert session.execute(select(wide)).all() == rows
