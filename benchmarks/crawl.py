"""Crawl speed and memory as a crawl grows: edunews against a bare Scrapy crawl of the same local site.

Run: python benchmarks/crawl.py [--articles 5000 20000 50000] [--compare-with CHECKOUT]

For each size, serves the demo site with N generated articles (plus the bundled ones, listing pages,
sitemap and feed) on 127.0.0.1, then crawls it, each crawl in its own process: once with edunews
(extraction, cleaning, deduplication, SQLite storage, WARC archive) and once with a bare Scrapy spider
that follows the same links and does nothing with the pages. Prints, per size, pages/second and the
peak memory of each crawl's process tree (the crawl and its extraction workers), their ratio, and how
much edunews's peak grew from the smallest size to the largest: a long crawl needs a ceiling, not a
figure that grows with the crawl.

It prints where the CPU went too, in milliseconds a page: the crawl's own process (engine, pipelines,
storage), its extraction workers, and the demo site serving it (this process). The crawl, its workers
and the site share the machine's cores, so their sum bounds pages/second: "most pages/s" is the number
of cores over that sum, what the crawl would reach were it never waiting.

``--compare-with`` also crawls each site with the edunews of another checkout (its source folder, run
with this environment's packages), side by side in the same run, so a change is measured against its
parent under the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from measure import Measured, run_measured  # noqa: E402

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


@dataclass(frozen=True)
class Crawl:
    """One measured crawl: pages, what it measured, CPU seconds the site spent serving it, articles stored."""

    pages: int
    measured: Measured
    site_cpu_seconds: float
    stored: int = 0

    @property
    def rate(self) -> float:
        return self.pages / self.measured.seconds

    def cpu_ms(self) -> tuple[float, float, float]:
        """CPU milliseconds a page of the crawl's own process, of its workers, and of the site."""
        own, tree, per_page = self.measured.own_cpu_seconds, self.measured.cpu_seconds, 1000 / self.pages
        return own * per_page, (tree - own) * per_page, self.site_cpu_seconds * per_page

    def most_rate(self) -> float:
        """Pages/second were every core busy with this crawl and its site the whole time."""
        return (os.cpu_count() or 1) * 1000 / sum(self.cpu_ms())


def measured_crawl(command: list[str], cwd: Path, ok_codes: tuple[int, ...] = (0,)) -> tuple[Measured, float]:
    """``command`` measured, and the CPU seconds this process (the demo site's server) spent meanwhile."""
    site_started = time.process_time()
    measured = run_measured(command, cwd, ok_codes)
    return measured, time.process_time() - site_started


def edunews_crawl(work: Path, checkout: Path | None) -> Crawl:
    """A crawl of the site named in ``work/demo.toml`` by ``edunews crawl`` in a folder of its own
    (database, archive, journal), removed afterwards; from ``checkout``'s source when given, else from
    this one's."""
    folder = Path(tempfile.mkdtemp(dir=work))
    settings = [arg for name, value in ENGINE_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    command = [sys.executable, "-m", "edunews", "crawl", "--profile", str(work / "demo.toml")]
    command += ["--db", "bench.sqlite", "--json", *settings]
    if checkout is not None:
        command = ["env", f"PYTHONPATH={checkout}", *command]
    # Exit 1 is expected: the demo site's broken pages (a 404, a 500, a redirect loop, undecodable
    # bodies) fail on purpose, and edunews says so in its exit code.
    measured, site_cpu = measured_crawl(command, folder, ok_codes=(0, 1))
    shutil.rmtree(folder)
    stats = json.loads(measured.output)["stats"]
    return Crawl(stats["downloader/response_count"], measured, site_cpu, stats.get("edunews/articles/new", 0))


def bare_crawl(work: Path, url: str) -> Crawl:
    """The same site crawled by a bare Scrapy spider that only follows links."""
    # A file, not `python -c`: Scrapy reads a callback's source to check it.
    (work / "bare.py").write_text(BARE_SPIDER, encoding="utf-8")
    command = [sys.executable, "bare.py", url, *(f"{k}={v}" for k, v in ENGINE_SETTINGS.items())]
    measured, site_cpu = measured_crawl(command, work)
    return Crawl(int(measured.output.strip().splitlines()[-1]), measured, site_cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles", type=int, nargs="+", default=[5000, 20000, 50000], help="site sizes (default 5000 20000 50000)"
    )
    parser.add_argument("--compare-with", type=Path, help="another checkout of edunews, also crawled at each size")
    args = parser.parse_args()
    checkouts: list[tuple[str, Path | None]] = [("edunews", None)]
    if args.compare_with:
        checkouts.append((f"edunews at {args.compare_with}", args.compare_with.resolve()))
    rows: list[tuple[int, Crawl, list[Crawl]]] = []
    for size in args.articles:
        with (
            tempfile.TemporaryDirectory(prefix="edunews-crawl-bench-") as folder,
            DemoSite(extra_articles=size, slow_seconds=1.0) as site,
        ):
            work = Path(folder)
            (work / "demo.toml").write_text(demo_profile_toml(site.url), encoding="utf-8")
            print(f"{size:,} articles: {len(site.article_paths()):,} article pages at {site.url}", file=sys.stderr)
            crawls = [edunews_crawl(work, checkout) for _, checkout in checkouts]
            bare = bare_crawl(work, site.url)
        rows.append((size, bare, crawls))
        stored = ", ".join(f"{crawl.stored:,}" for crawl in crawls)
        print(f"  pages {crawls[0].pages:,}, articles stored {stored}", file=sys.stderr)

    print(
        f"{'articles':>9}  {'crawl':<32}{'pages':>8}{'seconds':>9}{'pages/s':>9}{'peak MB':>9}{'x bare':>8}"
        f"  {'CPU ms a page: crawl':>20}{'workers':>9}{'site':>6}{'most pages/s':>14}"
    )
    for size, bare, crawls in rows:
        for name, crawl in [*zip((name for name, _ in checkouts), crawls, strict=True), ("bare Scrapy", bare)]:
            own, workers, site_ms = crawl.cpu_ms()
            print(
                f"{size:>9,}  {name:<32}{crawl.pages:>8,}{crawl.measured.seconds:>9.1f}{crawl.rate:>9.1f}"
                f"{crawl.measured.peak_mb:>9.0f}{crawl.rate / bare.rate:>8.2f}"
                f"  {own:>20.2f}{workers:>9.2f}{site_ms:>6.2f}{crawl.most_rate():>14.0f}"
            )
    if len(rows) > 1:
        (low, low_bare, low_crawls), (high, high_bare, high_crawls) = rows[0], rows[-1]
        pairs = zip(checkouts, low_crawls, high_crawls, strict=True)
        peaks = [(name, small.measured.peak_mb, large.measured.peak_mb) for (name, _), small, large in pairs]
        for name, before, after in [*peaks, ("bare Scrapy", low_bare.measured.peak_mb, high_bare.measured.peak_mb)]:
            print(f"peak growth {low:,} -> {high:,} articles, {name}: {100 * (after / before - 1):+.1f} %")


if __name__ == "__main__":
    main()
