"""What archiving a fetched page costs the crawl: milliseconds a page to write it (and its request) to the
WARC archive, and the archive's size against the pages' bytes, at the gzip level the crawler uses and at
warcio's own (9) beside it.

Run: python benchmarks/archive.py [--corpus ../shared/devset]

The crawl's own process writes the archive on its one thread, and on a machine of few cores that process
sets a crawl's pace (see benchmarks/crawl.py): each millisecond here is a millisecond of every page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler import archive  # noqa: E402

WARCIO_LEVEL = 9


def archive_pages(bodies: list[bytes], level: int) -> tuple[float, int]:
    """Seconds to archive ``bodies`` at gzip ``level``, and the archive's size in bytes."""
    with (
        tempfile.TemporaryDirectory(prefix="edunews-archive-bench-") as folder,
        mock.patch.object(archive, "GZIP_LEVEL", level),
    ):
        writer = archive.WarcWriter(Path(folder))
        started = time.perf_counter()
        for number, body in enumerate(bodies):
            writer.write(
                url=f"http://127.0.0.1/{number}.html",
                status=200,
                reason="OK",
                headers=[("Content-Type", "text/html; charset=utf-8")],
                body=body,
                fetched_at=datetime.now(UTC),
                request_headers=[("User-Agent", "edunews")],
            )
        seconds = time.perf_counter() - started
        writer.close()
        return seconds, sum(path.stat().st_size for path in Path(folder).iterdir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "devset", help="folders of saved pages")
    args = parser.parse_args()
    bodies = [path.read_bytes() for path in sorted(args.corpus.glob("**/body.html"))]
    if not bodies:
        sys.exit(f"no saved pages (body.html) under {args.corpus}")
    total = sum(map(len, bodies))
    print(f"{len(bodies):,} pages, {total / len(bodies) / 1024:.0f} kB a page on average")
    print(f"{'gzip level':<22}{'ms a page':>10}{'archive / page bytes':>22}")
    for name, level in (
        (f"edunews ({archive.GZIP_LEVEL})", archive.GZIP_LEVEL),
        (f"warcio's ({WARCIO_LEVEL})", WARCIO_LEVEL),
    ):
        seconds, size = archive_pages(bodies, level)
        print(f"{name:<22}{1000 * seconds / len(bodies):>10.2f}{size / total:>22.3f}")


if __name__ == "__main__":
    main()
