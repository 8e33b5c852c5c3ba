"""Crawl speed and memory: edunews against a bare Scrapy crawl of the same generated local site.

Run: python benchmarks/crawl.py [--articles 5000]

Serves the demo site with N generated articles (plus the bundled ones, listing pages, sitemap and feed)
on 127.0.0.1, then crawls it twice, each in its own process: once with edunews (extraction, cleaning,
deduplication, SQLite storage, WARC archive) and once with a bare Scrapy spider that follows the same
links and does nothing with the pages. Prints pages/second, peak memory and the overhead ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from measure import run_measured  # noqa: E402

from edunews.demo.profile import demo_profile_toml  # noqa: E402
from edunews.demo.site import DemoSite  # noqa: E402

#: The same engine settings for both crawls: no politeness delay against our own local server.
ENGINE_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "DOWNLOAD_TIMEOUT": "5",
    "RETRY_TIMES": "1",
}

BARE_SPIDER = """
import sys
import scrapy
from scrapy.crawler import CrawlerProcess

class Bare(scrapy.Spider):
    name = "bare"
    start_urls = [sys.argv[1] + "/"]

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if url.startswith(sys.argv[1]):
                yield response.follow(url, self.parse)

settings = dict(pair.split("=", 1) for pair in sys.argv[2:])
settings.update(LOG_LEVEL="ERROR", ROBOTSTXT_OBEY=True, TELNETCONSOLE_ENABLED=False)
process = CrawlerProcess(settings)
crawler = process.create_crawler(Bare)
process.crawl(crawler)
process.start()
print(crawler.stats.get_value("downloader/response_count"))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000, help="generated article pages (default 5000)")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="edunews-crawl-bench-") as folder,
        DemoSite(extra_articles=args.articles, slow_seconds=1.0) as site,
    ):
        work = Path(folder)
        (work / "demo.toml").write_text(demo_profile_toml(site.url), encoding="utf-8")
        settings = [arg for name, value in ENGINE_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
        print(f"site: {len(site.article_paths()):,} article pages at {site.url}\n")

        edunews = [
            sys.executable,
            "-m",
            "edunews",
            "crawl",
            "--profile",
            "demo.toml",
            "--db",
            "bench.sqlite",
            "--json",
            *settings,
        ]
        # Exit 1 is expected: the demo site's broken pages (a 404, a 500, a redirect loop, undecodable
        # bodies) fail on purpose, and edunews says so in its exit code.
        seconds, memory, output = run_measured(edunews, work, ok_codes=(0, 1))
        stats = json.loads(output)["stats"]
        pages = stats["downloader/response_count"]
        stored = stats.get("edunews/articles/new", 0)

        # A file, not `python -c`: Scrapy reads a callback's source to check it.
        (work / "bare.py").write_text(BARE_SPIDER, encoding="utf-8")
        bare = [sys.executable, "bare.py", site.url, *(f"{k}={v}" for k, v in ENGINE_SETTINGS.items())]
        bare_seconds, bare_memory, bare_output = run_measured(bare, work)
        bare_pages = int(bare_output.strip().splitlines()[-1])

    rate, bare_rate = pages / seconds, bare_pages / bare_seconds
    print(f"{'crawl':<34}{'pages':>8}{'seconds':>10}{'pages/s':>10}{'peak RSS MB':>14}")
    print(f"{'edunews (extract+dedupe+store)':<34}{pages:>8,}{seconds:>10.1f}{rate:>10.1f}{memory:>14.0f}")
    print(
        f"{'bare Scrapy (follow links only)':<34}{bare_pages:>8,}{bare_seconds:>10.1f}{bare_rate:>10.1f}"
        f"{bare_memory:>14.0f}"
    )
    print(f"\narticles stored by edunews: {stored:,}")
    print(
        f"overhead: edunews takes {bare_rate / rate:.1f}x the time per page of a bare crawl "
        f"and {memory / bare_memory:.1f}x its memory"
    )


if __name__ == "__main__":
    main()
