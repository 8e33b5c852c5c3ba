"""New band rows gather in a small table of their own before they join the large one.

An article's 64 band rows fall on 64 random pages of ``minhash_bands``'s key, and a transaction
writes every page it changed: at 20,000 articles a batch of 50 rewrote most of the table, and a crawl
of that size wrote 15 GB for a 480 MB database. ``minhash_bands_recent`` takes the rows of the last
thousand articles or so, and the storage moves them into ``minhash_bands`` in one sorted pass
(``pipelines.storage``). Lookups read both. Downgrading moves the recent rows back first.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 00:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "minhash_bands_recent",
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("bucket", "band", "article_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_minhash_bands_recent_article", "minhash_bands_recent", ["article_id"], unique=False)


def downgrade() -> None:
    op.execute(
        "INSERT INTO minhash_bands (bucket, band, article_id)"
        " SELECT bucket, band, article_id FROM minhash_bands_recent ORDER BY bucket, band, article_id"
    )
    op.drop_index("ix_minhash_bands_recent_article", table_name="minhash_bands_recent")
    op.drop_table("minhash_bands_recent")
