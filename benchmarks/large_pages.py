"""Extraction time and peak memory on generated pages of 0.1, 1 and 10 MB, and nested 5,000 deep.

Run: python benchmarks/large_pages.py

Each page is extracted in its own process (started through benchmarks/measure.py, so the peak
memory printed is that process's own). A 10 MB page is the crawl's download cap: extraction must
stay linear in page size, so that one such page never stalls a crawl.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from measure import measured_cases, worker_or_main  # noqa: E402

PARAGRAPH = "教育部今天发布通知，要求各地做好中小学暑期安全工作，切实保障学生生命安全，防范溺水等事故发生。"
CASES = ("0.1", "1", "10", "deep5000")


def article_page(megabytes: float) -> bytes:
    """A news page of about ``megabytes``: a headline, paragraphs, and a related list every 20th."""
    related = "".join(f"<li><a href='/news/{n}.html'>相关新闻标题第{n}条，讲的是另一件事</a></li>" for n in range(5))
    parts, size, count = [], 0, 0
    while size < megabytes * 1_000_000:
        part = f"<p>{PARAGRAPH * 3}</p>\n" + (f"<ul>{related}</ul>\n" if count % 20 == 19 else "")
        parts.append(part)
        size += len(part.encode())
        count += 1
    body = "".join(parts)
    return (
        "<html><head><meta charset='utf-8'><title>暑期安全通知_教育新闻网</title></head><body>"
        f"<h1>暑期安全通知</h1><div class='content'>{body}</div></body></html>"
    ).encode()


def deep_page(depth: int) -> bytes:
    paragraphs = f"<p>{PARAGRAPH}</p>" * 5
    return (
        f"<html><body><h1>深层嵌套页面的标题</h1>{'<div>' * depth}{paragraphs}{'</div>' * depth}</body></html>"
    ).encode()


def worker(case: str) -> None:
    """Extract one generated page; print seconds and what came out."""
    from crawler.extraction.extract import NotAnArticle, extract_article
    from crawler.extraction.pages import RawPage

    body = deep_page(5000) if case == "deep5000" else article_page(float(case))
    page = RawPage(
        "http://www.example.edu.cn/news/2026/0701/1.html", body, {"Content-Type": "text/html; charset=utf-8"}
    )
    started = time.perf_counter()
    try:
        outcome = f"article, {len(extract_article(page).text or '')} characters"
    except NotAnArticle as verdict:
        outcome = f"not an article: {verdict}"
    print(f"{len(body)}\t{time.perf_counter() - started:.2f}\t{outcome}")


def main() -> None:
    print(f"{'page':>10} {'bytes':>12} {'seconds':>8} {'peak MB':>8}  outcome")
    for case, peak_mb, (size, seconds, outcome) in measured_cases(__file__, CASES, ROOT):
        label = "5,000 deep" if case == "deep5000" else f"{case} MB"
        print(f"{label:>10} {int(size):>12,} {float(seconds):>8.2f} {peak_mb:>8.0f}  {outcome}")


if __name__ == "__main__":
    worker_or_main(worker, main)
