"""On SQLite a schedule run's id is never given to another run.

SQLite gives a new row the largest id plus one, so once ``schedule remove`` deleted a schedule's runs,
the next runs of other schedules got the same ids again. The crawl of a removed schedule goes on
(removing a schedule never stops its running crawl) and renews the lease of its run by id, and
records its crawl run against it: under a reused id it kept another schedule's run alive. With
AUTOINCREMENT an id is never reused. PostgreSQL's sequences never reuse one: nothing changes there.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 00:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _recreate(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "schedule_runs", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ) as batch_op:
        batch_op.alter_column("id", autoincrement=True)


def upgrade() -> None:
    _recreate(True)


def downgrade() -> None:
    _recreate(False)
