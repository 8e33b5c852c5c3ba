"""Fixtures shared by several test modules: a real PostgreSQL server for the session and a database
fixture that runs a test once on SQLite and once on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres import DATABASES, PostgresServer, new_database


@pytest.fixture(scope="session", autouse=True)
def per_user_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Runs into a database server keep their journals in the per-user state folder unless told
    otherwise: in tests that is a temporary one (crawl processes inherit it), not the home folder."""
    before = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("xdg-state"))
    yield
    if before is None:
        del os.environ["XDG_STATE_HOME"]
    else:
        os.environ["XDG_STATE_HOME"] = before


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session, started the first time a test asks for it."""
    with PostgresServer() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty PostgreSQL database for this test."""
    return postgres_server.create_database()


@pytest.fixture(params=DATABASES)
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The test's database, once as a SQLite file and once as a PostgreSQL database: the store must
    behave the same on both."""
    return new_database(request, tmp_path)
