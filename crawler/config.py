"""The project's settings as one Scrapy ``Settings`` object, for code that runs the crawler's parts
outside ``scrapy crawl`` (replay, the ``edunews`` command, tests)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scrapy.settings import Settings


def project_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """The project's settings (crawler/settings.py) with ``overrides`` on top."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings
