"""The search index as one entry per article instead of one row per term.

Storing an article wrote ~290 ``search_terms`` rows (Chinese bigrams and words), a third of the time
ingestion took per article. The same terms now go into one entry: on SQLite an FTS5 table holding them
as one space-separated string (the ``ascii`` tokenizer splits it back into exactly those terms; no
positions are kept, since a query only asks which articles hold every term), on PostgreSQL a ``text[]``
column with a GIN index. The entries are built from the stored articles; the downgrade rebuilds the
term rows the same way.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: Articles read and indexed per statement while building an index.
CHUNK = 1000
SQLITE_SEARCH_INDEX = (
    "CREATE VIRTUAL TABLE search_index USING fts5(terms, detail=none, columnsize=0, tokenize='ascii')",
    # An FTS5 table takes no foreign key: the entry goes with its article as a cascade would take it,
    # so an article id SQLite hands out again never finds the terms of the article it belonged to.
    "CREATE TRIGGER search_index_article_deleted AFTER DELETE ON articles "
    "BEGIN DELETE FROM search_index WHERE rowid = old.id; END",
)
#: Adding an entry in this revision's layout (migration 0010 files entries under a rank instead),
#: written here so that the revision builds the same index whatever the current layout is.
ADD_ENTRY = {
    "sqlite": "INSERT INTO search_index (rowid, terms) VALUES (:article_id, :terms)",
    "postgresql": "INSERT INTO search_index (article_id, terms) VALUES (:article_id, CAST(:terms AS text[]))",
}


def _articles() -> Iterator[list[tuple[int, set[str]]]]:
    """(id, search terms) of the stored articles, ``CHUNK`` at a time, by id."""
    from pipelines.search import terms

    articles = sa.table("articles", sa.column("id"), sa.column("title"), sa.column("text"))
    connection = op.get_bind()
    last = 0
    while True:
        query = sa.select(articles.c.id, articles.c.title, articles.c.text).where(articles.c.id > last)
        rows = connection.execute(query.order_by(articles.c.id).limit(CHUNK)).all()
        if not rows:
            return
        yield [(article_id, terms(title + "\n" + text)) for article_id, title, text in rows]
        last = rows[-1][0]


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_SEARCH_INDEX:
            op.execute(statement)
    else:
        op.create_table(
            "search_index",
            sa.Column("article_id", sa.Integer(), nullable=False),
            sa.Column("terms", postgresql.ARRAY(sa.Text()), nullable=False),
            sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("article_id"),
        )
        op.create_index("ix_search_index_terms", "search_index", ["terms"], postgresql_using="gin")
    sqlite = connection.dialect.name == "sqlite"
    add = sa.text(ADD_ENTRY[connection.dialect.name])
    for chunk in _articles():
        rows = [
            {"article_id": article_id, "terms": " ".join(found) if sqlite else list(found)}
            for article_id, found in chunk
        ]
        connection.execute(add, rows)
    op.drop_index("ix_search_terms_article", table_name="search_terms")
    op.drop_table("search_terms")


def downgrade() -> None:
    search_terms = op.create_table(
        "search_terms",
        sa.Column("term", sa.String(length=64), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("term", "article_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_search_terms_article", "search_terms", ["article_id"], unique=False)
    connection = op.get_bind()
    for chunk in _articles():
        rows = [{"term": term, "article_id": article_id} for article_id, found in chunk for term in found]
        if rows:
            connection.execute(sa.insert(search_terms), rows)
    if connection.dialect.name == "sqlite":
        op.execute("DROP TRIGGER search_index_article_deleted")
        op.execute("DROP TABLE search_index")
    else:
        op.drop_index("ix_search_index_terms", table_name="search_index")
        op.drop_table("search_index")
