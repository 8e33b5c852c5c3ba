"""Extraction quality on real labelled pages: edunews beside trafilatura and readability-lxml.

Run: python benchmarks/quality.py [--corpus DIR ...] [--pages] [--only NAME] [--half HALF] [--json]

``--corpus`` is a folder of labelled pages in the devset format (``<id>/body.html``,
``response.json``, ``truth.json``), or a folder of such sets; repeatable. Default: every set in
``../shared/devset/``. Each extractor sees the same pages in the same run; the two anchors get the
text edunews decoded (so they are measured on extraction, not on guessing charsets) and edunews
starts from the raw bytes. The anchors are benchmark extras: ``pip install -e '.[bench]'``.

Every set is split in two halves by a hash of the page id (:func:`edunews.evaluate.half_of`): rules
are tuned looking at ``tune`` pages and judged by the figures of ``blind`` pages, which nobody reads.
The summary shows each set's figures for ``tune``, ``blind`` and ``all`` pages (``--half`` keeps one).

``--pages`` adds, per set, a table of every ``tune`` page edunews got wrong in some way, with the
anchors' F1 beside it; blind pages are never listed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from extras import missing_extras  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from rich.table import Table  # noqa: E402

from crawler.extraction.encoding import UndecodableBody, decode_body  # noqa: E402
from crawler.extraction.pages import RawPage  # noqa: E402
from edunews.evaluate import (  # noqa: E402
    HALVES,
    Extraction,
    LabelError,
    LabelledPage,
    PageScore,
    by_half,
    corpus_sets,
    edunews_extraction,
    floor_of,
    half_of,
    labelled_fields,
    labelled_pages,
    score_page,
    summarize,
)

DEFAULT_CORPUS = ROOT.parent / "shared" / "devset"
Extractor = Callable[[RawPage, str], Extraction]


def run_edunews(page: RawPage, html: str) -> Extraction:
    return edunews_extraction(page)


def run_trafilatura(page: RawPage, html: str) -> Extraction:
    import trafilatura

    document = trafilatura.bare_extraction(html, url=page.url, with_metadata=True)
    if document is None or not document.text:
        return Extraction(False, verdict="no content")
    authors = [name.strip() for name in (document.author or "").split(";") if name.strip()]
    return Extraction(True, document.text, document.title, document.date, authors)


def run_readability(page: RawPage, html: str) -> Extraction:
    from lxml import html as lxml_html
    from readability import Document

    document = Document(html, url=page.url)
    summary = document.summary(html_partial=True)
    root = lxml_html.fromstring(summary) if summary.strip() else None
    text = _block_text(root) if root is not None else ""
    return Extraction(bool(text.strip()), text, document.short_title(), None, None)


_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "br", "pre", "blockquote"}


def _block_text(root) -> str:  # noqa: ANN001 - an lxml element
    """readability's HTML as text, one line per block element."""
    pieces: list[str] = []
    for event, element in _walk(root):
        if event == "text":
            pieces.append(element)
        elif isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            pieces.append("\n")
    return "\n".join(line.strip() for line in "".join(pieces).splitlines() if line.strip())


def _walk(element):  # noqa: ANN001, ANN202
    if isinstance(element.tag, str) and element.tag.lower() in ("script", "style"):
        return
    yield "start", element
    if element.text:
        yield "text", element.text
    for child in element:
        yield from _walk(child)
        if child.tail:
            yield "text", child.tail
    yield "end", element


EXTRACTORS: dict[str, Extractor] = {
    "edunews": run_edunews,
    "trafilatura": run_trafilatura,
    "readability-lxml": run_readability,
}

#: The module each anchor is imported as, and the extra that installs it.
ANCHOR_MODULES = {"trafilatura": ("trafilatura", "bench"), "readability-lxml": ("readability", "bench")}


def score_set(pages: list[LabelledPage], names: list[str], progress: Progress | None) -> dict[str, list[PageScore]]:
    """Every extractor over every page of one set; errors count as a declined page, never stop the run."""
    labelled = labelled_fields(pages)
    scores: dict[str, list[PageScore]] = {name: [] for name in names}
    task = progress.add_task(pages[0].folder.parent.name, total=len(pages)) if progress else None
    for page in pages:
        raw = page.raw_page()
        try:
            html = decode_body(raw.body, raw.header("Content-Type")).text
        except UndecodableBody:
            html = ""
        for name in names:
            started = time.perf_counter()
            try:
                extraction = EXTRACTORS[name](raw, html)
            except Exception as error:  # noqa: BLE001 - a crash is a declined page, and is shown
                extraction = Extraction(False, verdict=f"crash: {type(error).__name__}: {error}"[:200])
            seconds = time.perf_counter() - started
            scores[name].append(score_page(page, extraction, seconds=seconds, labelled=labelled))
        if progress is not None and task is not None:
            progress.advance(task)
    return scores


def warm_up(page: LabelledPage, names: list[str]) -> None:
    """Pay one-off costs before timing: imports, compiled patterns, and dateparser, which htmldate
    (used by trafilatura and by edunews as a fallback) loads on first use for several seconds."""
    import dateparser

    dateparser.parse("1 January 2020")
    score_set([page], names, None)


def _fmt(value: float | int | None, kind: str = "ratio") -> str:
    if value is None:
        return "–"
    if kind == "count":
        return str(value)
    if kind == "percent":
        return f"{100 * value:.1f} %"
    if kind == "rate":
        return f"{value:.1f}"
    return f"{value:.3f}"


COLUMNS = (
    ("text F1", "text_f1", "ratio"),
    ("snippet F1", "snippet_f1", "ratio"),
    ("must_contain", "snippet_recall", "ratio"),
    ("pages leaking", "pages_leaking", "percent"),
    ("articles rejected", "articles_rejected", "count"),
    ("non-articles accepted", "non_articles_accepted", "count"),
    ("title", "title", "ratio"),
    ("date (day)", "date", "ratio"),
    ("authors", "authors", "ratio"),
    ("source", "source", "ratio"),
    ("pages/s", "pages_per_second", "rate"),
)


#: Figures per set, per half (``tune``, ``blind``, ``all``), per extractor.
Results = dict[str, dict[str, dict[str, dict]]]


def overall_speed(results: Results) -> dict[str, float]:
    """Pages per second over the whole corpus, per extractor: all pages over all the time spent."""
    speed: dict[str, float] = {}
    whole_sets = [halves_of_set["all"] for halves_of_set in results.values()]
    for name in next(iter(whole_sets), {}):
        pages = sum(by_extractor[name]["pages"] for by_extractor in whole_sets)
        seconds = sum(
            by_extractor[name]["pages"] / by_extractor[name]["pages_per_second"]
            for by_extractor in whole_sets
            if by_extractor[name]["pages_per_second"]
        )
        speed[name] = pages / seconds if seconds else 0.0
    return speed


def summary_table(results: Results, halves: list[str]) -> Table:
    speed = overall_speed(results)
    anchors = [rate for name, rate in speed.items() if name != "edunews"]
    ratio = f"; edunews {speed['edunews'] / max(anchors):.2f}x the fastest other" if anchors and max(anchors) else ""
    caption = "whole corpus, pages/s: " + ", ".join(f"{name} {rate:.1f}" for name, rate in speed.items()) + ratio
    table = Table(title="extraction quality, same pages, same run", caption=caption)
    table.add_column("set")
    table.add_column("half")
    table.add_column("extractor")
    for heading, _, _ in COLUMNS:
        table.add_column(heading, justify="right")
    for set_name, halves_of_set in results.items():
        for half in halves:
            first = True
            for name, summary in halves_of_set[half].items():
                label = f"{set_name} ({summary['articles']}+{summary['non_articles']})" if first else ""
                row = (_fmt(summary[key], kind) for _, key, kind in COLUMNS)
                table.add_row(label, half if first else "", name, *row)
                first = False
            table.add_section()
    return table


def page_table(set_name: str, scores: dict[str, list[PageScore]]) -> Table | None:
    """Tune pages edunews got wrong: verdict, F1, missing snippets, leaks, title, date, authors, 来源.
    Blind pages are left out, so that rules are made without reading the pages that judge them."""
    table = Table(title=f"{set_name}: tune pages edunews gets wrong")
    table.add_column("page")
    table.add_column("F1", justify="right")
    anchors = [name for name in scores if name != "edunews"]
    for name in anchors:
        table.add_column(f"{name} F1", justify="right")
    table.add_column("what went wrong")
    rows = 0
    for index, score in enumerate(scores["edunews"]):
        if half_of(score.page) != "tune":
            continue
        problems = []
        if score.truth_article and not score.accepted:
            problems.append(f"rejected: {score.verdict}")
        if not score.truth_article and score.accepted:
            problems.append("non-article accepted")
        if score.truth_article and score.accepted:
            if score.f1 is not None and score.f1 < 0.9:
                problems.append("low F1")
            if score.missing:
                problems.append(f"{score.missing}/{score.snippets_total} must_contain missing")
            if score.leaks:
                problems.append("leaks " + " | ".join(leak[:30] for leak in score.leaks))
            if score.title_right is False:
                problems.append(f"title {score.title!r}"[:80])
            if score.date_right is False:
                problems.append(f"date {score.published_at}")
            if score.authors_right is False:
                problems.append(f"authors {score.authors}"[:80])
            if score.source_right is False:
                problems.append(f"source {score.source!r}"[:80])
        if not problems:
            continue
        rows += 1
        anchor_f1 = [_fmt(scores[name][index].f1) for name in anchors]
        table.add_row(score.page.split("/", 1)[1], _fmt(score.f1), *anchor_f1, "; ".join(problems))
    return table if rows else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", type=Path, help="labelled pages (repeatable)")
    parser.add_argument("--pages", action="store_true", help="per-page table of what edunews got wrong")
    parser.add_argument("--only", action="append", choices=list(EXTRACTORS), help="run only these extractors")
    parser.add_argument("--half", choices=[*HALVES, "all"], help="show one half's figures only (default: all three)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--write-floor", type=Path, help="write edunews' figures as the quality floor (JSON)")
    args = parser.parse_args(argv)
    names = args.only or list(EXTRACTORS)
    if "edunews" not in names:
        names.insert(0, "edunews")
    if missing := missing_extras(dict(ANCHOR_MODULES[name] for name in names if name in ANCHOR_MODULES)):
        parser.error(f"{missing} (or measure edunews alone: --only edunews)")

    corpora = args.corpus or [DEFAULT_CORPUS]
    sets: list[Path] = []
    for corpus in corpora:
        if not corpus.is_dir():
            parser.error(f"{corpus}: no such folder")
        found = corpus_sets(corpus)
        sets += found or [corpus]
    try:  # a folder of no labelled pages (--corpus fixtures) is one line, as a missing one is
        labelled = {folder: labelled_pages(folder) for folder in sets}
    except LabelError as error:
        parser.error(str(error))
    console = Console(stderr=True)
    warm_up(labelled[sets[0]][0], names)
    results: Results = {}
    tables: list[Table] = []
    with Progress(console=console, transient=True) as progress:
        for folder, pages in labelled.items():
            scores = score_set(pages, names, progress)
            halves = {name: by_half(page_scores) for name, page_scores in scores.items()}
            results[folder.name] = {
                half: {name: summarize(by_name[half]) for name, by_name in halves.items()} for half in (*HALVES, "all")
            }
            if args.pages and (table := page_table(folder.name, scores)) is not None:
                tables.append(table)
    if args.write_floor:
        floor = {
            name: {half: floor_of(by_extractor["edunews"]) for half, by_extractor in halves_of_set.items()}
            for name, halves_of_set in results.items()
        }
        args.write_floor.write_text(json.dumps(floor, indent=2) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    out = Console(width=None if sys.stdout.isatty() else 200)
    for table in tables:
        out.print(table)
    out.print(summary_table(results, [args.half] if args.half else [*HALVES, "all"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
