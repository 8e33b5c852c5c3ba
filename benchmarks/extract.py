"""Extraction speed and memory: edunews against trafilatura run bare on the same fixture pages.

Run: python benchmarks/extract.py [--rounds N]

Each contender runs in its own process, so peak memory (max RSS) is its own. Pages are read into memory
first; the timing covers decoding, parsing, extraction and cleaning only.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
sys.path.insert(0, str(ROOT / "benchmarks"))

from extras import missing_extras  # noqa: E402

CONTENDERS = ("edunews", "trafilatura")


def load_pages():  # noqa: ANN201 - list of RawPage, imported lazily so the worker measures imports
    from crawler.extraction.pages import read_saved_page

    return [read_saved_page(path.parent) for path in sorted(FIXTURES.glob("*/response.json"))]


def edunews_extract(page) -> None:  # noqa: ANN001
    from crawler.extraction.extract import NotAnArticle, extract_article

    try:
        extract_article(page)
    except NotAnArticle:
        pass


def trafilatura_extract(page) -> None:  # noqa: ANN001
    import trafilatura

    trafilatura.extract(page.body, url=page.url, with_metadata=True, output_format="json")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(contender: str, rounds: int) -> dict[str, float]:
    """Extract every page ``rounds`` times; report throughput and memory as JSON."""
    extract = edunews_extract if contender == "edunews" else trafilatura_extract
    pages = load_pages()
    for page in pages:  # warm-up: imports, compiled patterns, profile loading
        extract(page)
    started = time.perf_counter()
    for _ in range(rounds):
        for page in pages:
            extract(page)
    seconds = time.perf_counter() - started
    count = rounds * len(pages)
    return {
        "pages": count,
        "seconds": seconds,
        "pages_per_second": count / seconds,
        "peak_rss_mb": max_rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="times each page is extracted (default 10)")
    parser.add_argument("--worker", choices=CONTENDERS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.rounds)))
        return
    if missing := missing_extras({"trafilatura": "bench"}):
        parser.error(missing)
    fixtures = len(list(FIXTURES.glob("*/response.json")))
    print(f"extracting {fixtures} fixture pages x {args.rounds} rounds per contender\n")
    print(f"{'contender':<22}{'pages/s':>10}{'ms/page':>10}{'peak RSS MB':>14}")
    for contender in CONTENDERS:
        command = [sys.executable, __file__, "--worker", contender, "--rounds", str(args.rounds)]
        output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        label = "edunews (full)" if contender == "edunews" else "trafilatura (bare)"
        print(
            f"{label:<22}{figures['pages_per_second']:>10.1f}{1000 / figures['pages_per_second']:>10.2f}"
            f"{figures['peak_rss_mb']:>14.1f}"
        )


if __name__ == "__main__":
    main()
