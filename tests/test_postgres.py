"""PostgreSQL as a store shared by many processes: migrations that run once however many workers
start together, and reposts stored by two workers at the same moment that end as one article."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from sqlalchemy import inspect, text

from pipelines.db import known_revisions, make_engine

WORKERS = 4


def start_together(setup: str, action: str, url: str, count: int) -> list[subprocess.Popen[str]]:
    """``count`` Python processes that each run ``setup`` (imports), wait for a shared moment a few
    seconds away, then run ``action``: they hit the database together, not one after another as
    their start-up times would spread them. Both see ``url``."""
    start = time.time() + 4
    wait = f"time.sleep(max(0.0, {start!r} - time.time()))"
    code = f"import time\nurl = {url!r}\n{textwrap.dedent(setup)}\n{wait}\n{textwrap.dedent(action)}"
    return [subprocess.Popen([sys.executable, "-c", code], text=True, stderr=subprocess.PIPE) for _ in range(count)]


def test_four_workers_starting_at_once_migrate_an_empty_database_once(postgres_url: str) -> None:
    setup = "import alembic.command, sqlalchemy.orm, psycopg\nfrom pipelines.db import open_database"
    workers = start_together(setup, "open_database(url, attempts=1)", postgres_url, WORKERS)
    errors = [worker.communicate(timeout=120)[1] for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * WORKERS, "\n".join(errors)
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
            known_revisions()[-1]
        ]
        tables = inspect(connection).get_table_names()
    assert len(tables) == len(set(tables)) and {"articles", "sightings", "minhash_bands", "search_terms"} <= set(tables)
