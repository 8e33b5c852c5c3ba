"""Extraction time and peak memory on hostile pages: lines built to make backtracking patterns blow up,
malformed URLs, and a page past its time budget.

Run: python benchmarks/hostile.py

Each page is extracted in its own process (benchmarks/measure.py gives its peak memory) through the one
page path (``crawler.outcome.page_outcome``), so what a crawl would count is what is printed. Every
page but the last must take well under a second. The last runs the pagination rule as it once was
(``(…|\\d+|…)+$``) on 40 digits and a letter, which would take days: it must end as ``extract-timeout``
within its budget (1 s here).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from measure import measured_cases, worker_or_main  # noqa: E402

PARAGRAPH = "市教育局今天发布暑期安全提示，要求各校做好学生假期安全教育，防范溺水等事故发生，家长要加强看护。"
BAD_URLS = ("http://[bad/x", "//[::1", "http://a:99999/", "http://a:x/", "http://[v1.fe", "javascript:", "http://%zz/")
LINES: dict[str, str] = {
    "30 digits + x": "1" * 30 + "x",
    "40 digits + x": "1" * 40 + "x",
    "1,000 digits + x": "1" * 1000 + "x",
    "30 Weibo tags + x": "#话题#" * 30 + " x",
    "100k digits": "1" * 100_000 + "x",
    "100k spaces": "a" + " " * 100_000 + "x",
    "100k Han": "中" * 100_000,
    "100k letters": "a" * 100_000 + "!",
    "100k #": "#" * 100_000 + " x",
}
BUDGET_CASE = "budget: old rule, 40 digits"
BUDGET_SECONDS = 1.0
BACKTRACKING_PAGINATION = r"^(\s|共\s*\d+\s*页[:：]?|第\s*\d+\s*页|上一页|下一页|\d+|[<>«»|:：])+$"
CASES = (*LINES, "malformed URLs", BUDGET_CASE)


def page_html(case: str) -> bytes:
    story = f"<p>{PARAGRAPH}</p>" * 4
    if case == "malformed URLs":
        links = "".join(f"<p><a href='{url}'>链接{n}</a><img src='{url}'></p>" for n, url in enumerate(BAD_URLS * 20))
        head, body = f"<link rel='canonical' href='{BAD_URLS[0]}'>", story + links
    else:
        line = LINES.get(case, "1" * 40 + "x")
        head, body = "", story + f"<p>{line}</p>" + story
    return (
        f"<html><head><meta charset='utf-8'><title>暑期安全提示_教育网</title>{head}</head><body>"
        f"<h1>暑期安全提示</h1><div class='content'>{body}</div></body></html>"
    ).encode()


def worker(case: str) -> None:
    """Run one hostile page through the page path; print seconds and its outcome."""
    from crawler.extraction import extract, processors  # imported before the clock starts, as in a crawl's workers
    from crawler.extraction.pages import RawPage
    from crawler.outcome import page_outcome

    if case == BUDGET_CASE:
        processors.PAGINATION = re.compile(BACKTRACKING_PAGINATION)  # type: ignore[attr-defined]
    page = RawPage("http://www.example.edu.cn/news/2026/0701/1.html", page_html(case), {"Content-Type": "text/html"})
    extract.profile_for_url(page.url)  # the bundled profiles, read once per process
    started = time.perf_counter()
    outcome = page_outcome(page, budget=BUDGET_SECONDS if case == BUDGET_CASE else None)
    print(f"{len(page.body)}\t{time.perf_counter() - started:.3f}\t{outcome.stat.removeprefix('edunews/')}")


def main() -> None:
    print(f"{'page':>28} {'bytes':>9} {'seconds':>8} {'peak MB':>8}  outcome")
    for case, peak_mb, (size, seconds, outcome) in measured_cases(__file__, CASES, ROOT):
        print(f"{case:>28} {int(size):>9,} {float(seconds):>8.3f} {peak_mb:>8.0f}  {outcome}")


if __name__ == "__main__":
    worker_or_main(worker, main)
