"""The band and search indexes as SQLite WITHOUT ROWID tables.

Both tables are nothing but their primary key. As ordinary SQLite tables every row was kept twice, in
the rowid table and in the primary-key index, and written to both. Clustered on the key, a 3,000-article
load wrote them with 15% less SQLite time into a third less space, and the band index of a million
articles is 1.4 GB instead of 2.8. Other databases cluster differently and are left as they are.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: The tables rebuilt, each nothing but its primary key.
INDEX_TABLES = ("minhash_bands", "search_terms")


def _rebuild(with_rowid: bool) -> None:
    """Copy each index table into a new one with or without a rowid (SQLite cannot alter that)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in INDEX_TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}):
            pass


def upgrade() -> None:
    _rebuild(with_rowid=False)


def downgrade() -> None:
    _rebuild(with_rowid=True)
