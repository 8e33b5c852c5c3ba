"""Migration 0004: the band and search indexes become SQLite WITHOUT ROWID tables, and a database
made before it keeps every index row through the upgrade (and the downgrade)."""

from __future__ import annotations

from pathlib import Path

from revisions import move_to
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from synthetic import synthetic_article

from pipelines.db import make_engine, migrate
from pipelines.dedupe import resolve, sign
from pipelines.normalize import to_record

INDEX_TABLES = ("minhash_bands", "search_terms")


def index_rows(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {table: sorted(connection.exec_driver_sql(f"SELECT * FROM {table}")) for table in INDEX_TABLES}


def without_rowid(engine: Engine) -> dict[str, bool]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        return {name: sql.rstrip().endswith("WITHOUT ROWID") for name, sql in rows if name in INDEX_TABLES}


def test_index_tables_are_rebuilt_without_rowid_keeping_their_rows(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "news.sqlite"))
    migrate(engine)
    with Session(engine) as session, session.begin():
        for index in range(30):
            resolve(session, sign(to_record(synthetic_article(index), {})))
    move_to(engine, "0003", down=True)  # the schema before 0004, its term rows rebuilt by 0006's downgrade
    before = index_rows(engine)
    assert without_rowid(engine) == {"minhash_bands": False, "search_terms": False}
    assert all(before.values())

    move_to(engine, "0005")
    assert without_rowid(engine) == {"minhash_bands": True, "search_terms": True}
    assert index_rows(engine) == before

    move_to(engine, "0003", down=True)
    assert without_rowid(engine) == {"minhash_bands": False, "search_terms": False}
    assert index_rows(engine) == before
