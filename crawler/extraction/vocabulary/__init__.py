"""The words extraction looks for, kept as data: one TOML file per language in this folder.

Each file maps a kind of block (the reason a cleaning rule gives when it drops one: ``reprint-notice``,
``related-heading`` …; or what a byline rule reads: ``editor-label``, ``surname``) to its entries,
regular-expression fragments. An entry that few pages use carries the general reason it is there
(why it is the way that kind of block is written, not which page needed it): a group of entries
``{ why = "…", entries = […] }`` in its kind's list, in place, so the order of entries is kept. A
rule in ``crawler.extraction.patterns`` joins the entries of its kind
from every language (:func:`alternation`) inside a frame of its own, so where a phrase must stand
(line start, alone on its line, before a colon) is structure, in code, and only the words are here.
Adding a language is adding a file; ``scripts/vocabulary.py`` prints the size of the vocabulary per
language and kind, and how many pages of a corpus each entry matches.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

#: The languages with a file here, in the order their entries are joined: a rule's alternation tries
#: them in this order (which only matters where a rule reads what matched, as the editor labels do).
LANGUAGES = ("zh", "en", "es", "pt", "fr", "de", "it", "nl", "pl", "neutral")


@cache
def _files() -> dict[str, dict[str, tuple[tuple[str, str | None], ...]]]:
    """Every language's entries by kind, each with its stated reason (``None`` when it has none). Read
    through ``importlib.resources`` so that a project deployed as a zipped egg (Scrapyd) reads them too."""
    folder = resources.files(__name__)
    return {
        language: dict(_flat(tomllib.loads(folder.joinpath(f"{language}.toml").read_text(encoding="utf-8"))))
        for language in LANGUAGES
    }


@cache
def vocabulary() -> dict[str, dict[str, tuple[str, ...]]]:
    """Every language's entries by kind: ``{"zh": {"share": ("分享到", …), …}, …}``."""
    return {
        language: {kind: tuple(entry for entry, _ in listed) for kind, listed in by_kind.items()}
        for language, by_kind in _files().items()
    }


def reasons() -> dict[tuple[str, str, str], str]:
    """The stated reason of every entry that has one, by (language, kind, entry)."""
    return {
        (language, kind, entry): why
        for language, by_kind in _files().items()
        for kind, listed in by_kind.items()
        for entry, why in listed
        if why is not None
    }


def _flat(table: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, tuple[tuple[str, str | None], ...]]]:
    """Kinds with their entries; a table of kinds (``[class-word]`` with ``ad = […]``) gives
    ``class-word/ad``: a family of kinds whose member names are reasons of their own."""
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}/")
        else:
            yield f"{prefix}{key}", tuple(_listed(value))


def _listed(items: list[str | dict[str, Any]]) -> Iterator[tuple[str, str | None]]:
    """A kind's entries in order, a group's entries in its place, each with the group's reason."""
    for item in items:
        if isinstance(item, str):
            yield item, None
        else:
            yield from ((entry, item["why"]) for entry in item["entries"])


def members(family: str) -> dict[str, str]:
    """Every entry of the kinds of ``family`` (``class-word`` → ``class-word/ad``, ``class-word/caption``
    …) mapped to its kind's own name within the family (``ad``, ``caption``), in every language."""
    return {
        entry: kind.split("/", 1)[1]
        for language in LANGUAGES
        for kind, words in vocabulary()[language].items()
        if kind.startswith(f"{family}/")
        for entry in words
    }


def entries(kind: str) -> tuple[str, ...]:
    """The entries of ``kind`` in every language, in :data:`LANGUAGES` order. A kind no language has is
    a typing mistake in a rule, not an empty vocabulary."""
    found = tuple(entry for language in LANGUAGES for entry in vocabulary()[language].get(kind, ()))
    if not found:
        raise KeyError(f"no vocabulary entries of kind {kind!r}")
    return found


def alternation(kind: str) -> str:
    """The entries of ``kind`` as one non-capturing group, for a rule to set in its frame."""
    return "(?:" + "|".join(entries(kind)) + ")"
