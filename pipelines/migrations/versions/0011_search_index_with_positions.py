"""On SQLite the search index keeps where each term stands, so that phrases are found in the index.

A query piece such as 课后服务 asks for its bigrams 课后 后服 服务 in a row. An index of term sets finds
the articles holding all three anywhere and must read each one's text to see whether they stand
together: where the bigrams are common and the phrase rare, that is most of a million texts. The FTS5
table now holds each article's index text (``pipelines.search.index_text``: the terms in the text's
order, with a break mark where runs do not touch) with FTS5's full detail, and a phrase is an FTS5
phrase query. PostgreSQL's index is left as it is (a term array; phrases are checked on the text).
The index is rebuilt from the stored articles; the downgrade rebuilds revision 0010's term sets.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 00:00:00.000000
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

WITH_POSITIONS = "CREATE VIRTUAL TABLE search_index USING fts5(terms, columnsize=0, tokenize='ascii')"
TERM_SETS = "CREATE VIRTUAL TABLE search_index USING fts5(terms, detail=none, columnsize=0, tokenize='ascii')"


def _rebuild(create: str, indexed: Callable[[str], str]) -> None:
    """Make the SQLite index table anew with ``create`` and file every article's ``indexed`` text
    under its rank (the trigger that drops a deleted article's entry stays: it goes by rowid)."""
    from pipelines.search import indexed_articles, rank

    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    op.execute("DROP TABLE search_index")
    op.execute(create)
    add = sa.text("INSERT INTO search_index (rowid, terms) VALUES (:rank, :terms)")
    for chunk in indexed_articles(connection):
        rows = [{"rank": rank(published, number), "terms": indexed(whole)} for number, published, whole in chunk]
        connection.execute(add, rows)


def upgrade() -> None:
    from pipelines.search import index_text

    _rebuild(WITH_POSITIONS, index_text)


def downgrade() -> None:
    from pipelines.search import terms

    _rebuild(TERM_SETS, lambda whole: " ".join(terms(whole)))
