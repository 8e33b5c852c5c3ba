"""Schedule runs held under leases in the database, one run per due slot, and their Scrapyd job ids.

A run was held by a process id, checked on the scheduler's own machine: a scheduler on another host
freed a schedule whose crawl still ran elsewhere, and a restarted scheduler forgot the Scrapyd jobs it
had tracked in memory, so the same schedule could run twice. A run now carries a lease (its owner
and when it lapses) that its scheduler and its crawl renew, the slot it was started for (unique per
schedule) and its Scrapyd job id.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("scrapyd_job", sa.String(length=100), nullable=True))
        batch_op.create_index("ix_schedule_runs_due", ["schedule_id", "due_at"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_schedule_runs_due")
        batch_op.drop_column("scrapyd_job")
        batch_op.drop_column("lease_expires_at")
        batch_op.drop_column("lease_owner")
        batch_op.drop_column("due_at")
