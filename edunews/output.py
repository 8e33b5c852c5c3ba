"""How results are shown: readable tables on a terminal, JSON for scripts."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from pipelines.replay import ReplaySummary

#: Summary sections: counter prefix and the heading shown for it.
SUMMARY_SECTIONS = (
    ("edunews/pages", "pages"),
    ("edunews/articles", "articles"),
    ("edunews/duplicates", "duplicates by level"),
    ("edunews/rejected", "rejects by reason"),
    ("edunews/store", "storage"),
)


def summary_rows(summary: ReplaySummary) -> list[tuple[str, str, int]]:
    """(section, counter, value) rows of a replay summary, pages read first."""
    rows = [("pages", "read", summary.pages)]
    for prefix, heading in SUMMARY_SECTIONS:
        rows += [(heading, name, value) for name, value in summary.group(prefix).items()]
    return rows


def print_summary(summary: ReplaySummary, *, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"pages": summary.pages, "stats": summary.stats}, ensure_ascii=False, indent=2))
        return
    table = Table(title="replay summary")
    for column in ("", "", "count"):
        table.add_column(column, justify="right" if column else "left")
    previous = None
    for section, name, value in summary_rows(summary):
        table.add_row(section if section != previous else "", name, str(value))
        previous = section
    Console().print(table)
