"""The read-only web page over the database (``edunews serve``)."""

from __future__ import annotations

from edunews.web.app import PAGE_SIZE, WebApp, make_app, make_server, read_only_sessions

__all__ = ["PAGE_SIZE", "WebApp", "make_app", "make_server", "read_only_sessions"]
