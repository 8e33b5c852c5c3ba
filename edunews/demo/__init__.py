"""A local education-news website that ``edunews demo`` and the end-to-end tests crawl for real."""

from __future__ import annotations

from edunews.demo.site import DemoPage, DemoSite

__all__ = ["DemoPage", "DemoSite"]
