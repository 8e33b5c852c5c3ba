"""Site profiles: per-site selectors, kept as TOML data so users add sites without writing code."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BUNDLED_PROFILES = Path(__file__).parent / "profiles"


@dataclass(frozen=True)
class Selectors:
    """CSS selectors (or XPath, when they start with ``/`` or ``(``) for one site's article pages."""

    title: str | None = None
    body: str | None = None
    date: str | None = None
    author: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Crawl:
    """Where a crawl of the site starts and how it walks listing pages."""

    start_urls: tuple[str, ...] = ()
    """Listing pages (news columns) to start from."""
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    """RSS or Atom feeds."""
    listing_url: str | None = None
    """Regex of further listing pages to follow (pagination, sub-columns)."""
    next_page: str | None = None
    """Selector of a listing page's next-page link; without it, links reading 下一页/下页/Next are followed."""
    max_listing_pages: int = 50
    download_delay: float | None = None
    """Seconds between requests to this site (politeness); None keeps the project default."""
    concurrency: int | None = None
    """Parallel requests to this site; None keeps the project default."""


@dataclass(frozen=True)
class SiteProfile:
    """What edunews knows about one site."""

    name: str
    domains: tuple[str, ...]
    """Host names the profile applies to; subdomains match too."""
    site_name: str | None = None
    article_url: str | None = None
    """Regex an article URL matches; when set, other URLs of the domain get the generic detector."""
    selectors: Selectors = field(default_factory=Selectors)
    host_aliases: dict[str, str] = field(default_factory=dict)
    """Other hosts serving the same pages (``m.example.cn = "www.example.cn"``): one article, one URL."""
    crawl: Crawl = field(default_factory=Crawl)
    notes: str = ""
    local_copies_only: bool = False
    """True for profiles written from public knowledge of a site and tested only on local copies."""

    def on_site(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)

    def is_article_url(self, url: str) -> bool:
        return self.article_url is not None and re.search(self.article_url, url) is not None

    def is_listing_url(self, url: str) -> bool:
        return self.crawl.listing_url is not None and re.search(self.crawl.listing_url, url) is not None

    def matches(self, url: str) -> bool:
        """True when the profile's selectors apply to ``url``."""
        return self.on_site(url) and (self.article_url is None or self.is_article_url(url))


def profile_from_toml(path: Path) -> SiteProfile:
    """Read one profile file; a missing ``name`` or ``domains`` is an error naming the file."""
    return profile_from_text(path.read_text(encoding="utf-8"), str(path))


def profile_from_text(text: str, origin: str = "<profile>") -> SiteProfile:
    """A profile from TOML text; errors name ``origin``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{origin}: {error}") from error
    site = data.get("site", {})
    if not site.get("name") or not site.get("domains"):
        raise ValueError(f"{origin}: [site] needs name and domains")
    return SiteProfile(
        name=site["name"],
        domains=tuple(domain.lower() for domain in site["domains"]),
        site_name=site.get("site_name"),
        article_url=site.get("article_url"),
        selectors=Selectors(**data.get("selectors", {})),
        host_aliases={alias.lower(): host.lower() for alias, host in data.get("host_aliases", {}).items()},
        crawl=crawl_from_toml(data.get("crawl", {})),
        notes=site.get("notes", ""),
        local_copies_only=bool(site.get("local_copies_only", False)),
    )


def crawl_from_toml(data: dict[str, Any]) -> Crawl:
    return Crawl(
        start_urls=tuple(data.get("start_urls", ())),
        sitemaps=tuple(data.get("sitemaps", ())),
        feeds=tuple(data.get("feeds", ())),
        listing_url=data.get("listing_url"),
        next_page=data.get("next_page"),
        max_listing_pages=int(data.get("max_listing_pages", 50)),
        download_delay=data.get("download_delay"),
        concurrency=data.get("concurrency"),
    )


def load_profile(name_or_path: str | SiteProfile) -> SiteProfile:
    """A bundled profile by name, or a profile file by path; an unknown name is an error listing the
    known ones."""
    if isinstance(name_or_path, SiteProfile):
        return name_or_path
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.is_file():
        return profile_from_toml(path)
    for profile in bundled_profiles():
        if profile.name == name_or_path:
            return profile
    known = ", ".join(sorted(profile.name for profile in bundled_profiles()))
    raise ValueError(f"no profile named {name_or_path!r} (known: {known}; or give a .toml file)")


def adhoc_profile(url: str) -> SiteProfile:
    """A profile for one start URL and the generic detector: the URL's host, its links, its pages."""
    host = (urlsplit(url).hostname or "").lower()
    return SiteProfile(name=f"adhoc:{host}", domains=(host,), crawl=Crawl(start_urls=(url,)))


@cache
def bundled_profiles() -> tuple[SiteProfile, ...]:
    """The profiles shipped with edunews."""
    return tuple(profile_from_toml(path) for path in sorted(BUNDLED_PROFILES.glob("*.toml")))


def profile_for_url(url: str, profiles: tuple[SiteProfile, ...] | None = None) -> SiteProfile | None:
    """The first profile that claims ``url``, or ``None`` for the generic detector."""
    for profile in bundled_profiles() if profiles is None else profiles:
        if profile.matches(url):
            return profile
    return None
