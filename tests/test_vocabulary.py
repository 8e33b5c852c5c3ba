"""The vocabulary's data files: every language's file reads, every entry is a pattern, and the rules'
kinds are all there."""

from __future__ import annotations

import re

import pytest

from crawler.extraction.vocabulary import LANGUAGES, alternation, entries, members, vocabulary


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_of_a_language_is_a_pattern_that_compiles(language: str) -> None:
    for kind, words in vocabulary()[language].items():
        for word in words:
            assert re.compile(word), (kind, word)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_listed_twice_under_one_kind(language: str) -> None:
    for kind, words in vocabulary()[language].items():
        assert len(set(words)) == len(words), kind


def test_a_kind_gathers_its_entries_from_every_language_in_order() -> None:
    shares = entries("share")
    assert shares.index("分享到") < shares.index("compartir") < shares.index("teilen")


def test_a_rule_matches_a_phrase_of_any_language_in_its_frame() -> None:
    related = re.compile(r"^\s*+" + alternation("related-heading") + r"\s*[:：]?$", re.I)
    assert all(related.match(line) for line in ("相关阅读", "Read also:", "Lire aussi", "Czytaj także"))
    assert not related.match("Related research suggests otherwise")


def test_a_kind_no_language_has_is_a_mistake_not_an_empty_list() -> None:
    with pytest.raises(KeyError, match="no vocabulary entries"):
        entries("related-headnig")


@pytest.mark.parametrize("language", [language for language in LANGUAGES if "month-name" in vocabulary()[language]])
def test_a_language_names_all_twelve_months_in_order(language: str) -> None:
    assert len(vocabulary()[language]["month-name"]) == 12


def test_a_family_of_kinds_maps_each_entry_to_its_member() -> None:
    words = members("class-word")
    assert (words["guanggao"], words["ads"], words["breadcrumb"]) == ("ad", "ad", "navigation")
