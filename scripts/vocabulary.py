"""The size of extraction's vocabulary, per language and kind, and how widely each entry is used.

Run: python scripts/vocabulary.py [--corpus DIR ...] [--rare N]

Without ``--corpus`` it prints how many entries each language has of each kind (the data files in
``crawler/extraction/vocabulary/``). With ``--corpus`` (a folder of saved pages in the fixtures'
format, or a folder of such sets, e.g. ``../shared/devset``) it also reads every page's blocks as
extraction splits them and lists the entries that match fewer than ``--rare`` pages (3 by default),
each with the general reason its file states for it: a phrase that only one or two pages use was
probably fitted to them, and needs a general reason to stay. Rare entries without one are flagged,
and the script then exits 1. An entry is matched on each block's folded text as written (its own
anchors apply to the block), not inside its rule's frame, so the count is an upper bound of what the
rule sees. Closed lists (surnames, month and weekday names) and the words of class names and of
pages' titles and addresses (not page text) are not counted.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.progress import track  # noqa: E402
from rich.table import Table  # noqa: E402
from rich.text import Text  # noqa: E402

from crawler.extraction.blocks import split_blocks  # noqa: E402
from crawler.extraction.encoding import UndecodableBody  # noqa: E402
from crawler.extraction.extract import parse_html  # noqa: E402
from crawler.extraction.vocabulary import LANGUAGES, reasons, vocabulary  # noqa: E402
from edunews.evaluate import corpus_sets, labelled_pages  # noqa: E402

#: Kinds that are closed lists rather than phrases, or read from class names rather than text: not
#: counted against pages' text.
NOT_COUNTED = re.compile(r"^(surname|month-name|dateutil-month-name|dateutil-weekday|login-word|class-word.*)$")


def size_table() -> Table:
    """Entries per kind (rows) and language (columns), with totals."""
    words = vocabulary()
    kinds = sorted({kind for by_kind in words.values() for kind in by_kind})
    table = Table(title="vocabulary entries by kind and language")
    table.add_column("kind", no_wrap=True)
    for language in (*LANGUAGES, "all"):
        table.add_column(language, justify="right")
    for kind in kinds:
        counts = [len(words[language].get(kind, ())) for language in LANGUAGES]
        table.add_row(kind, *(str(count or "") for count in counts), str(sum(counts)))
    totals = [sum(len(entries) for entries in words[language].values()) for language in LANGUAGES]
    table.add_row("all", *(str(total) for total in totals), str(sum(totals)), style="bold")
    return table


def page_texts(corpus: Path) -> list[list[str]]:
    """Every page's blocks, folded, as extraction splits them."""
    pages = [page for folder in corpus_sets(corpus) for page in labelled_pages(folder)]
    texts = []
    for page in track(pages, description="reading pages"):
        raw = page.raw_page()
        try:
            selector, _ = parse_html(raw)
        except UndecodableBody:
            continue
        if selector.root is not None:
            texts.append([block.folded for block in split_blocks(selector.root, raw.url)])
    return texts


def pages_matched(texts: list[list[str]]) -> Counter[tuple[str, str, str]]:
    """For each (language, kind, entry), the number of pages with a block it matches."""
    found: Counter[tuple[str, str, str]] = Counter()
    for language, by_kind in vocabulary().items():
        for kind, entries in by_kind.items():
            if NOT_COUNTED.match(kind):
                continue
            for entry in entries:
                pattern = re.compile(entry, re.I)
                found[(language, kind, entry)] = sum(any(pattern.search(block) for block in page) for page in texts)
    return found


def rare_table(found: Counter[tuple[str, str, str]], rare: int) -> Table:
    """The rare entries, fewest pages first, with their stated reasons; one without is flagged in red."""
    why = reasons()
    table = Table(title=f"entries matching fewer than {rare} pages", show_lines=True)
    for column in ("language", "kind", "entry", "pages", "why"):
        table.add_column(column, justify="right" if column == "pages" else "left", no_wrap=column != "why")
    for key, pages in sorted(found.items(), key=lambda item: (item[1], item[0])):
        if pages < rare:
            # Entries are patterns ("[/／·、]"), shown as written, never read as rich's markup.
            reason = Text(why[key]) if key in why else Text("no reason stated", style="bold red")
            table.add_row(*map(Text, key), str(pages), reason)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", default=[], help="saved pages to count entries on")
    parser.add_argument("--rare", type=int, default=3, help="list entries matching fewer pages than this")
    args = parser.parse_args()
    console = Console(width=None if sys.stdout.isatty() else 140)  # a table too wide to cut when piped
    console.print(size_table())
    if args.corpus:
        texts = [page for corpus in args.corpus for page in page_texts(corpus)]
        found = pages_matched(texts)
        console.print(rare_table(found, args.rare))
        rare = [key for key, pages in found.items() if pages < args.rare]
        unexplained = sum(key not in reasons() for key in rare)
        console.print(
            f"{len(texts)} pages read; {len(rare)} of {len(found)} counted entries match fewer than {args.rare}, "
            f"{unexplained} of them with no reason stated"
        )
        sys.exit(1 if unexplained else 0)


if __name__ == "__main__":
    main()
