"""The ledger of discovered articles: every article URL a crawl finds, with its state.

A page that failed once was never fetched again while its listing answered 304; a record fetched and
never stored (a full disk, a crash, a lost lease) was lost for good. The ledger keeps each URL until
it is stored (or is no article, or is gone), and every crawl re-queues what is due.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_ledger",
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("fetch_url", sa.String(length=2048), nullable=False),
        sa.Column("profile", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("discovered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("url"),
    )
    with op.batch_alter_table("article_ledger", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_ledger_profile"), ["profile"], unique=False)
        batch_op.create_index(batch_op.f("ix_article_ledger_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_article_ledger_due_at"), ["due_at"], unique=False)


def downgrade() -> None:
    op.drop_table("article_ledger")
