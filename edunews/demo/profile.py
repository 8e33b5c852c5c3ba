"""How edunews crawls its own demo site: the site profile and the settings for a local server."""

from __future__ import annotations

from crawler.extraction.profiles import Crawl, SiteProfile

#: The demo site's preferred port: the same port every run keeps article URLs stable, so a second
#: `edunews demo` is an incremental crawl of the same site. Another port is used when it is taken.
DEMO_PORT = 8642

#: A local server needs no politeness delay; the slow page should time out rather than hold the demo.
DEMO_CRAWL_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_TIMEOUT": 2,
    "RETRY_TIMES": 1,
    "HTTPPROXY_ENABLED": False,
}


def demo_profile(base_url: str) -> SiteProfile:
    """The profile of the demo site served at ``base_url``."""
    return SiteProfile(
        name="demo",
        domains=("127.0.0.1",),
        site_name="edunews demo site",
        # The about page (a login form) is a candidate too: crawlers meet non-articles among article links.
        # Listing pages (/news/index_2.html) are not: RE2 has no (?!index_), so a file name may not start
        # with "index".
        article_url=r"/(news|loop|private)/([\w.-]+/)*([^/i]|i[^/n]|in[^/d])[\w.-]*\.html$|/about\.html$",
        crawl=Crawl(
            start_urls=(base_url + "/",),
            sitemaps=(base_url + "/sitemap.xml",),
            feeds=(base_url + "/feed.xml",),
            listing_url=r"/(news|notices)/(index_\d+\.html)?$",
        ),
    )


def demo_profile_toml(base_url: str) -> str:
    """The same profile as a TOML file's text, for ``edunews crawl --profile FILE``."""
    profile = demo_profile(base_url)
    return f"""[site]
name = "{profile.name}"
domains = ["127.0.0.1"]
site_name = "{profile.site_name}"
article_url = '{profile.article_url}'

[crawl]
start_urls = ["{base_url}/"]
sitemaps = ["{base_url}/sitemap.xml"]
feeds = ["{base_url}/feed.xml"]
listing_url = '{profile.crawl.listing_url}'
"""
