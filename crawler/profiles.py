"""Site profiles: per-site selectors, kept as TOML data so users add sites without writing code."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
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
    notes: str = ""

    def matches(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        on_domain = any(host == domain or host.endswith("." + domain) for domain in self.domains)
        return on_domain and (self.article_url is None or re.search(self.article_url, url) is not None)


def profile_from_toml(path: Path) -> SiteProfile:
    """Read one profile file; a missing ``name`` or ``domains`` is an error naming the file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    site = data.get("site", {})
    if not site.get("name") or not site.get("domains"):
        raise ValueError(f"{path}: [site] needs name and domains")
    return SiteProfile(
        name=site["name"],
        domains=tuple(domain.lower() for domain in site["domains"]),
        site_name=site.get("site_name"),
        article_url=site.get("article_url"),
        selectors=Selectors(**data.get("selectors", {})),
        host_aliases={alias.lower(): host.lower() for alias, host in data.get("host_aliases", {}).items()},
        notes=site.get("notes", ""),
    )


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
