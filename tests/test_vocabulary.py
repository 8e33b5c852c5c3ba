"""The vocabulary's data files: every language's file reads, every entry is a pattern, the rules'
kinds are all there, and rare entries carry their reasons."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest
from rich.console import Console

from crawler.extraction.dates import LABEL_RE
from crawler.extraction.extract import NEXT_PAGE_TEXTS
from crawler.extraction.metadata import UPDATED_LABEL
from crawler.extraction.patterns import CAPTION, COUNTER, ERROR_PAGE
from crawler.extraction.vocabulary import LANGUAGES, alternation, entries, members, reasons, vocabulary

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "vocabulary.py"


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


def test_an_entry_of_a_group_keeps_its_place_in_its_kind_and_carries_the_group_reason() -> None:
    headings = vocabulary()["es"]["related-heading"]
    why = reasons()
    assert headings.index("noticias relacionadas") < headings.index("puedes ver(?=\\s*:)")
    assert "Peruvian" in why[("es", "related-heading", "puedes ver(?=\\s*:)")]
    assert ("es", "related-heading", "noticias relacionadas") not in why


def test_every_stated_reason_is_a_sentence() -> None:
    assert all(len(why) > 20 and why.endswith(".") for why in reasons().values())


def test_a_date_label_that_starts_a_longer_one_is_tried_after_it() -> None:
    labels = entries("date-label")
    assert labels.index("发布时间") < labels.index("发布")
    assert LABEL_RE.sub("", "发布时间：2024-05-20", count=1) == "2024-05-20"


@pytest.mark.parametrize(
    ("pattern", "line", "found"),
    [
        (CAPTION, "Students at the fair, Foto: Andina", True),
        (CAPTION, "Zdjęcie: archiwum", True),
        (CAPTION, "（资料图）", True),
        (CAPTION, "The fair drew photos, posters and crowds", False),
        (UPDATED_LABEL, "Aktualisiert am 5. Mai 2024", True),
        (UPDATED_LABEL, "更新时间：2024-05-20", True),
        (UPDATED_LABEL, "学校更新了课程", False),
        (COUNTER, "浏览次数：313", True),
        (ERROR_PAGE, "抱歉，您访问的页面不存在", True),
        (NEXT_PAGE_TEXTS, "下一页", True),
        (NEXT_PAGE_TEXTS, "Next page", True),
    ],
)
def test_rules_built_from_the_vocabulary_read_every_language_of_their_kind(
    pattern: re.Pattern[str], line: str, found: bool
) -> None:
    assert bool(pattern.search(line)) is found


def test_the_script_shows_a_rare_entry_with_its_reason_and_flags_one_without() -> None:
    spec = importlib.util.spec_from_file_location("vocabulary_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    found = Counter(
        {
            ("es", "related-heading", "puedes ver(?=\\s*:)"): 1,
            ("en", "share", "share:"): 0,
            ("zh", "writer-label", "文[/／·、]"): 2,  # a pattern's brackets are not rich's markup
        }
    )
    console = Console(record=True, width=400)
    console.print(script.rare_table(found, 3))
    rows = {line.split("│")[3].strip(): line for line in console.export_text().splitlines() if line.count("│") > 4}
    assert "Peruvian" in rows["puedes ver(?=\\s*:)"]
    assert "no reason stated" in rows["share:"]
    assert "no reason stated" in rows["文[/／·、]"]
