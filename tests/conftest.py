"""Fixtures shared by several test modules: a real PostgreSQL server for the session and a database
fixture that runs a test once on SQLite and once on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres import DATABASES, PostgresServer, new_database


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
