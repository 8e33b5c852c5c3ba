"""The search index files each entry under its article's rank and holds single Chinese characters.

Search loaded every article holding a query's terms and cut the page in Python: at a million articles
a common word read them all. Entries are now filed under a rank that sorts as results are shown
(publication time, newest first, then id; see ``pipelines.search.rank``): on SQLite it is the FTS5
rowid, which FTS5 walks from the top and stops after the page asked for; on PostgreSQL a ``rank``
column with a b-tree index beside the GIN index of the terms. The terms gain every Chinese character,
so that a one-character query (教) finds the articles where it stands inside a longer run. Both indexes
are rebuilt from the stored articles; the downgrade rebuilds revision 0006's layout the same way.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 14:00:00.000000
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FTS5_TABLE = "CREATE VIRTUAL TABLE search_index USING fts5(terms, detail=none, columnsize=0, tokenize='ascii')"
#: An FTS5 table takes no foreign key: the entry goes with its article as a cascade would take it, so
#: an article id SQLite hands out again never finds the terms of the article it belonged to.
DELETED_TRIGGER = (
    "CREATE TRIGGER search_index_article_deleted AFTER DELETE ON articles "
    "BEGIN DELETE FROM search_index WHERE rowid = {rowid}; END"
)


def _articles() -> Iterator[list[tuple[int, datetime | None, set[str]]]]:
    """(id, publication time, search terms) of the stored articles, a chunk at a time, by id."""
    from pipelines.search import indexed_articles, terms

    for chunk in indexed_articles(op.get_bind()):
        yield [(article_id, published, terms(whole)) for article_id, published, whole in chunk]


def _drop_index(sqlite: bool) -> None:
    if sqlite:
        op.execute("DROP TRIGGER search_index_article_deleted")
        op.execute("DROP TABLE search_index")
    else:
        op.drop_table("search_index")


def _create_postgresql_index(*rank: sa.Column) -> None:
    op.create_table(
        "search_index",
        sa.Column("article_id", sa.Integer(), nullable=False),
        *rank,
        sa.Column("terms", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )
    op.create_index("ix_search_index_terms", "search_index", ["terms"], postgresql_using="gin")


def upgrade() -> None:
    from pipelines.search import SEARCH_INDEXES, SQLITE_OLD_ARTICLE_RANK, rank

    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    _drop_index(sqlite)
    if sqlite:
        op.execute(FTS5_TABLE)
        op.execute(DELETED_TRIGGER.format(rowid=SQLITE_OLD_ARTICLE_RANK))
    else:
        _create_postgresql_index(sa.Column("rank", sa.BigInteger(), nullable=False))
        op.create_index("ix_search_index_rank", "search_index", ["rank"])
    index = SEARCH_INDEXES[connection.dialect.name]
    for chunk in _articles():
        rows = [
            {
                "article_id": article_id,
                "rank": rank(published, article_id),
                "terms": " ".join(found) if sqlite else sorted(found),
            }
            for article_id, published, found in chunk
        ]
        connection.execute(index.add, rows)


def downgrade() -> None:
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    _drop_index(sqlite)
    if sqlite:
        op.execute(FTS5_TABLE)
        op.execute(DELETED_TRIGGER.format(rowid="old.id"))
        add = sa.text("INSERT INTO search_index (rowid, terms) VALUES (:article_id, :terms)")
    else:
        _create_postgresql_index()
        add = sa.text("INSERT INTO search_index (article_id, terms) VALUES (:article_id, CAST(:terms AS text[]))")
    for chunk in _articles():
        rows = [
            {"article_id": article_id, "terms": " ".join(found) if sqlite else sorted(found)}
            for article_id, _, found in chunk
        ]
        connection.execute(add, rows)
