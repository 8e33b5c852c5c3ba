"""One spelling per page, and which site a host belongs to: the keys requests, stored sightings and
incremental skips are compared by, whoever computes them (the spider, its request fingerprinter,
the normalise pipeline, replay)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from urllib.parse import SplitResult, unquote_plus, urljoin, urlsplit, urlunsplit

import tldextract
from w3lib.url import canonicalize_url as w3lib_canonicalize

#: Query parameters that track a visit rather than name a page, whatever their value.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|spm|fromsource|share_?\w*|isappinstalled|scene|clicktime|enterid|fbclid|gclid|"
    r"yclid|mc_cid|mc_eid|_hsenc|_hsmi|ref_src|wfr|tt_from)$",
    re.IGNORECASE,
)
#: Parameters that track a visit when their value is a word (``from=timeline``, ``ref=weibo``) but name a
#: page when it is a number: ``list.php?cat=3&from=20`` is the listing's second page, not a referrer.
TRACKING_UNLESS_NUMBER = re.compile(r"^(from|ref)$", re.IGNORECASE)
NUMBER = re.compile(r"^\d+$")


def is_tracking(key: str, value: str) -> bool:
    """True when the query parameter ``key=value`` tracks a visit rather than names a page."""
    return bool(TRACKING_PARAMS.match(key)) or bool(TRACKING_UNLESS_NUMBER.match(key) and not NUMBER.match(value))


#: The public-suffix list as tldextract ships it: read from the package, never fetched (crawls and
#: tests must not reach out to the internet to learn what ``edu.cn`` is).
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def parsed_url(url: str) -> SplitResult | None:
    """``url`` split into its parts, or ``None`` when it does not parse: a link written on a page is
    data (``http://[bad/x``, a port of ``99999``), and one that cannot be read must not stop the page's
    extraction (``urlsplit`` raises on brackets only when asked to split, and on the port only when asked
    for it)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it is the check
    except ValueError:
        return None
    return parts


def url_parses(url: str) -> bool:
    """Whether ``url`` parses (see :func:`parsed_url`). Only brackets (an IPv6 host) and a port can make
    ``urlsplit`` fail, so a URL with neither is taken as it stands: this runs for every link of every
    page, and splitting each one cost a crawl about 6 % of its extraction time."""
    host_and_after = url.partition("//")[2]
    host = host_and_after.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if "[" not in url and "]" not in url and ":" not in host:
        return True
    return parsed_url(url) is not None


def host_of(url: str) -> str:
    """The lower-case host name of ``url``; empty for a URL that names none or does not parse."""
    parts = parsed_url(url)
    return (parts.hostname or "") if parts else ""


def joined_url(base_url: str, href: str) -> str | None:
    """``href`` made absolute against ``base_url``, or ``None`` when either does not parse."""
    try:
        url = urljoin(base_url, href)
    except ValueError:
        return None
    return url if url_parses(url) else None


#: URLs whose canonical parts are kept (see :func:`_canonical_parts`); a few hundred kB at most.
CANONICAL_CACHE = 4096


def canonicalize_url(url: str, host_aliases: Mapping[str, str] | None = None) -> str:
    """One spelling per page: w3lib's canonical form (sorted query, normalised escapes) without the
    fragment and tracking parameters (by name, and for ``from`` and ``ref`` by value too), a lower-case
    host without its default port, and a mobile host folded into the desktop one when the site's
    profile says they serve the same pages."""
    scheme, host, port, path, query = _canonical_parts(url.strip())
    host = (host_aliases or {}).get(host, host)
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, path, query, ""))


@lru_cache(maxsize=CANONICAL_CACHE)
def _canonical_parts(url: str) -> tuple[str, str, int | None, str, str]:
    """The scheme, host, port, path and query of :func:`canonicalize_url`'s form, before host aliases.
    Kept for the last few thousand URLs: a crawl canonicalises each page's URL four times (its
    request, its fingerprint, the stitcher, the stored record) and each listing's links again."""
    parts = urlsplit(url)
    # Parameters are judged decoded but kept as written: a GBK-escaped value must not be re-encoded.
    pairs = [(raw, *map(unquote_plus, raw.partition("=")[::2])) for raw in parts.query.split("&") if raw]
    if any(is_tracking(key, value) for _, key, value in pairs):
        url = urlunsplit(
            parts._replace(query="&".join(raw for raw, key, value in pairs if not is_tracking(key, value)))
        )
    parts = urlsplit(w3lib_canonicalize(url, keep_fragments=False))
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port, parts.path or "/", parts.query


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The part of a host name a registrant owns (``m.xxzx.edu.cn`` → ``xxzx.edu.cn``, ``a.b.co.uk`` →
    ``b.co.uk``), from the public-suffix list; an address or a bare name is its own."""
    host = host.lower().strip(".")
    found = _SUFFIXES(host)
    return found.top_domain_under_public_suffix or host


def is_off_site(host: str, page_host: str) -> bool:
    """True when ``host`` belongs to another site than the page."""
    return bool(host) and registrable_domain(host) != registrable_domain(page_host)
