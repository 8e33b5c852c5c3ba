"""Alembic environment: migrations run on the connection edunews hands over at start-up."""

from __future__ import annotations

from alembic import context

from pipelines.db import declared_by_models
from pipelines.models import Base

connection = context.config.attributes["connection"]
#: Called after each migration (pipelines.db.migrate's on_step): a long upgrade shows its progress.
on_step = context.config.attributes.get("on_step")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_name=declared_by_models,
    on_version_apply=(lambda **_: on_step()) if on_step else (),
)
with context.begin_transaction():
    context.run_migrations()
