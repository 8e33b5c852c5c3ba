"""Site profiles: per-site selectors, kept as TOML data so users add sites without writing code."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from crawler.extraction.packaged import on_disk
from crawler.extraction.urls import parsed_url
from crawler.extraction.user_patterns import pattern_found, pattern_problem

if TYPE_CHECKING:
    from parsel import Selector

BUNDLED_PROFILES = on_disk(Path(__file__).parent / "profiles")


@dataclass(frozen=True)
class Selectors:
    """CSS selectors (or XPath, when they start with ``/`` or ``(``) for one site's article pages."""

    title: str | None = None
    body: str | None = None
    date: str | None = None
    author: str | None = None
    source: str | None = None


def is_xpath(query: str) -> bool:
    """True for a profile selector written as XPath: one that starts with ``/`` or ``(``."""
    return query.lstrip().startswith(("/", "("))


def select_nodes(selector: Selector, query: str) -> list[Selector]:
    """Run a profile selector: XPath when it starts with ``/`` or ``(``, CSS otherwise."""
    return selector.xpath(query) if is_xpath(query) else selector.css(query)


#: A page to try a profile's selectors on when it is read: parsel compiles a selector only when it runs.
TRIAL_PAGE = "<html><body><p>.</p></body></html>"


def selector_problem(query: str, *, css_only: bool = False) -> str | None:
    """Why ``query`` cannot select anything on any page, or None. A selector that does not compile
    was taken, and then broke the extraction of every page of the crawl (each ``extract-failed``);
    ``css_only`` for the listing's ``next_page``, which the spider runs as CSS alone."""
    # Imported here: the command line imports this module at start-up, which must not load lxml.
    from cssselect import SelectorError
    from parsel import Selector

    trial = Selector(text=TRIAL_PAGE)
    try:
        trial.css(query) if css_only else select_nodes(trial, query)
    except (SelectorError, ValueError) as error:
        kind = "an XPath" if is_xpath(query) and not css_only else "a CSS"
        return f"{query!r} is not {kind} selector ({error})"
    return None


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
    """Regex an article URL matches (run by RE2, see ``crawler.extraction.user_patterns``); when set, other URLs of
    the domain get the generic detector."""
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
        return self.article_url is not None and pattern_found(self.article_url, url)

    def is_listing_url(self, url: str) -> bool:
        return self.crawl.listing_url is not None and pattern_found(self.crawl.listing_url, url)

    def matches(self, url: str) -> bool:
        """True when the profile's selectors apply to ``url``."""
        return self.on_site(url) and (self.article_url is None or self.is_article_url(url))


class ProfileError(ValueError):
    """A profile that cannot be used: its message names the file, the table and the key."""


#: Every key a profile may have, by table, with the type its value must have: a typo or a value of
#: the wrong kind is an error naming where it is, never a setting quietly ignored.
PROFILE_KEYS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "site": {
        "name": str,
        "domains": list,
        "site_name": str,
        "article_url": str,
        "notes": str,
        "local_copies_only": bool,
    },
    "crawl": {
        "start_urls": list,
        "sitemaps": list,
        "feeds": list,
        "listing_url": str,
        "next_page": str,
        "max_listing_pages": int,
        "download_delay": (int, float),
        "concurrency": int,
    },
    "selectors": {field_name: str for field_name in Selectors.__dataclass_fields__},
}
#: The least value of numeric keys: a crawl with no request slot (concurrency = 0) never fetches and
#: never ends.
LEAST = {("crawl", "concurrency"): 1, ("crawl", "download_delay"): 0, ("crawl", "max_listing_pages"): 0}
#: Keys whose value is a regular expression, checked when the profile is read (crawler.extraction.user_patterns).
REGEX_KEYS = {("site", "article_url"), ("crawl", "listing_url")}
#: Keys whose value is a selector, checked when the profile is read: CSS or XPath, and CSS alone for
#: ``next_page`` (see :func:`selector_problem`).
SELECTOR_KEYS = {("selectors", key): False for key in PROFILE_KEYS["selectors"]} | {("crawl", "next_page"): True}


def profile_from_toml(path: Path) -> SiteProfile:
    """Read one profile file; every problem is an error naming the file, the table and the key."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProfileError(f"{path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        byte = error.object[error.start]
        raise ProfileError(f"{path}: not a profile: not UTF-8 text (byte 0x{byte:02x} at {error.start})") from error
    return profile_from_text(text, str(path))


def profile_from_text(text: str, origin: str = "<profile>") -> SiteProfile:
    """A profile from TOML text, checked strictly; errors name ``origin``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{origin}: {error}") from error
    _check(data, origin)
    site = data["site"]
    profile = SiteProfile(
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
    crawl = profile.crawl
    outside = next(
        (url for url in (*crawl.start_urls, *crawl.sitemaps, *crawl.feeds) if not profile.on_site(url)), None
    )
    if outside:
        domains = ", ".join(profile.domains)
        raise ProfileError(
            f"{origin}: [crawl] {outside!r} is outside [site] domains ({domains}): nothing would be fetched"
        )
    return profile


def _check(data: dict[str, Any], origin: str) -> None:
    """Refuse unknown tables and keys, values of the wrong type and broken regular expressions."""
    for table, values in data.items():
        if table == "host_aliases":
            bad = (
                [key for key, value in values.items() if not isinstance(value, str)] if isinstance(values, dict) else []
            )
            if not isinstance(values, dict) or bad:
                raise ProfileError(f'{origin}: [host_aliases] {bad[0] if bad else ""}: give host = "host" pairs')
            continue
        if table not in PROFILE_KEYS:
            raise ProfileError(
                f"{origin}: unknown table [{table}] (known: {', '.join([*PROFILE_KEYS, 'host_aliases'])})"
            )
        if not isinstance(values, dict):
            raise ProfileError(f"{origin}: [{table}] must be a table")
        for key, value in values.items():
            expected = PROFILE_KEYS[table].get(key)
            if expected is None:
                known = ", ".join(PROFILE_KEYS[table])
                raise ProfileError(f"{origin}: [{table}] unknown key {key!r} (known: {known})")
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise ProfileError(f"{origin}: [{table}] {key}: expected {_type_name(expected)}, got {value!r}")
            if isinstance(value, list) and not all(isinstance(item, str) for item in value):
                raise ProfileError(f"{origin}: [{table}] {key}: expected a list of strings")
            problem = pattern_problem(str(value)) if (table, key) in REGEX_KEYS else None
            if (table, key) in SELECTOR_KEYS:
                problem = selector_problem(str(value), css_only=SELECTOR_KEYS[table, key])
            if (table, key) in LEAST and value < LEAST[table, key]:
                problem = f"must be at least {LEAST[table, key]}, got {value!r}"
            if table == "crawl" and key in START_KEYS:
                problem = next(filter(None, map(start_url_problem, value)), None)
            if problem:
                raise ProfileError(f"{origin}: [{table}] {key}: {problem}")
    site = data.get("site", {})
    if not site.get("name") or not site.get("domains"):
        raise ProfileError(f"{origin}: [site] needs name and domains")


#: The only schemes a crawl fetches: a start URL of any other kind is refused before the crawl starts
#: (Scrapy would try ``ftp://`` three times, and read ``file://`` pages off this machine).
CRAWL_SCHEMES = ("http", "https")
#: The profile keys that name addresses a crawl starts from.
START_KEYS = ("start_urls", "sitemaps", "feeds")


def start_url_problem(url: str) -> str | None:
    """Why ``url`` cannot start a crawl, or None: it needs an http(s) scheme and a host, and must
    parse (``http://[bad/x`` and a port of 99999 do not)."""
    parts = parsed_url(url.strip())
    if parts is None:
        return f"{url!r} is not an address that parses"
    if parts.scheme.lower() not in CRAWL_SCHEMES or not parts.hostname:
        return f"needs an http:// or https:// address with a host name, got {url!r}"
    return None


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "a string", list: "a list", bool: "true or false", int: "a whole number", float: "a number"}
    kinds = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(names[kind] for kind in kinds)


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
    if path.suffix == ".toml":
        raise ProfileError(f"{path}: no such profile file")
    known = ", ".join(sorted(profile.name for profile in bundled_profiles()))
    raise ProfileError(f"no profile named {name_or_path!r} (known: {known}; or give a .toml file)")


def profile_problem(name_or_path: str) -> str | None:
    """Why the profile named ``name_or_path`` cannot be crawled (a typo, a broken file), or None: checked
    before a crawl starts, by ``edunews crawl`` and ``scrapy crawl`` alike, so either says it in one line."""
    try:
        load_profile(name_or_path)
    except ProfileError as error:
        return str(error)
    return None


def adhoc_profile(url: str, article_pattern: str | None = None) -> SiteProfile:
    """A profile for one start URL: the URL's host, its links, its pages; ``article_pattern`` (a regular
    expression searched in each link's URL) says which links are articles, else the generic detector
    judges by the link's path and text."""
    host = (urlsplit(url).hostname or "").lower()
    return SiteProfile(
        name=f"adhoc:{host}", domains=(host,), article_url=article_pattern or None, crawl=Crawl(start_urls=(url,))
    )


@cache
def bundled_profiles() -> tuple[SiteProfile, ...]:
    """The profiles shipped with edunews."""
    return tuple(profile_from_toml(path) for path in sorted(BUNDLED_PROFILES.glob("*.toml")))


def host_aliases(profile: SiteProfile | None) -> dict[str, str]:
    """The host aliases in force for a crawl or a page: every bundled profile's, then the given
    profile's own on top. Spider, request fingerprinter, normalise pipeline and replay all take
    them from here, so the key a crawl skips by is the key it stores under."""
    aliases = {alias: target for bundled in bundled_profiles() for alias, target in bundled.host_aliases.items()}
    return aliases | (profile.host_aliases if profile else {})


def profile_for_url(url: str, profiles: tuple[SiteProfile, ...] | None = None) -> SiteProfile | None:
    """The first profile that claims ``url``, or ``None`` for the generic detector."""
    for profile in bundled_profiles() if profiles is None else profiles:
        if profile.matches(url):
            return profile
    return None
