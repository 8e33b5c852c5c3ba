"""Run ``python -m edunews ARGS`` with every SQLite database it opens capped at a number of pages
(``PRAGMA max_page_count``): a database that fills up at a known size, failing its writes with
``SQLITE_FULL`` as on a full disk, without mounting a small file system (which needs root).

Usage: ``python tests/full_database.py PAGES edunews-arguments...``"""

from __future__ import annotations

import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine


def cap_sqlite_pages(pages: int) -> None:
    """Cap every SQLite connection opened from now on at ``pages`` pages."""

    @event.listens_for(Engine, "connect")
    def _cap(connection: object, record: object) -> None:
        cursor = connection.cursor()  # type: ignore[attr-defined]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
        cursor.close()


if __name__ == "__main__":
    cap_sqlite_pages(int(sys.argv[1]))
    from edunews.cli import main

    sys.argv = ["edunews", *sys.argv[2:]]
    main()
