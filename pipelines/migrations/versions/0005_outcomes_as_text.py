"""Run outcomes as text of any length.

An outcome names what failed ("failures (http-404 1, http-500 1, redirect-loop 1, undecodable 2)"),
which outgrew the 64 characters its columns declared. SQLite never enforced that width; PostgreSQL
refused to record such a run, so the scheduler lost its outcome there.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 07:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: (table, column) of every run outcome.
OUTCOMES = (("schedules", "last_outcome"), ("schedule_runs", "outcome"))


def upgrade() -> None:
    for table, column in OUTCOMES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(column, type_=sa.Text(), existing_type=sa.String(length=64), existing_nullable=True)


def downgrade() -> None:
    for table, column in OUTCOMES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(column, type_=sa.String(length=64), existing_type=sa.Text(), existing_nullable=True)
