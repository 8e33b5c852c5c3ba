"""Moving a test database to a given schema revision, up or down, as edunews's own migration does."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from pipelines.db import MIGRATIONS


def move_to(engine: Engine, revision: str, *, down: bool = False) -> None:
    """Upgrade (or with ``down``, downgrade) the database to ``revision``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
