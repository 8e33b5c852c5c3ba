"""The quality scorer: the same measures for every extractor, as the devset README defines them."""

from __future__ import annotations

from pathlib import Path

import pytest

from edunews.evaluate import (
    Extraction,
    LabelledPage,
    PageScore,
    Truth,
    below_floor,
    by_half,
    corpus_sets,
    floor_of,
    half_of,
    labelled_fields,
    same_day,
    score_page,
    text_f1,
)


@pytest.mark.parametrize(
    ("extracted", "truth", "expected"),
    [
        ("教育部发布通知", "教育部发布通知", 1.0),
        ("教育部 发布\n通知", "教育部发布通知", 1.0),  # characters, whatever the spacing
        ("教育部", "教育部发布通知", 2 * (3 / 3) * (3 / 7) / (1 + 3 / 7)),
        ("the school opened", "The school opened today", 2 * (2 / 3) * (2 / 4) / (2 / 3 + 2 / 4)),  # words, case kept
        ("", "教育部发布通知", 0.0),
    ],
)
def test_text_f1_counts_characters_for_chinese_and_words_otherwise(extracted: str, truth: str, expected: float) -> None:
    assert text_f1(extracted, truth) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("extracted", "truth", "right"),
    [
        ("2024-05-20T14:33:00+08:00", "2024-05-20T14:33:00+08:00", True),
        ("2024-05-19T16:30:00+00:00", "2024-05-20T00:30:00+08:00", True),  # the label's own day
        ("2024-05-20T00:00:00+08:00", "2024-05-20", True),
        ("2024-05-21", "2024-05-20T23:00:00+08:00", False),
        (None, "2024-05-20", False),
    ],
)
def test_a_date_is_right_on_the_labelled_day(extracted: str | None, truth: str, right: bool) -> None:
    assert same_day(extracted, truth) is right


def test_a_floor_is_met_by_the_figures_it_was_made_from_and_not_by_worse_ones() -> None:
    summary = {"text_f1": 0.98765, "articles_rejected": 0, "pages_leaking": 0.0484, "date": None}
    floor = floor_of(summary)
    assert floor == {"text_f1": 0.987, "articles_rejected": 0, "pages_leaking": 0.049}
    assert below_floor(summary, floor) == []
    worse = {**summary, "text_f1": 0.95, "articles_rejected": 1}
    assert [line.split(":")[0] for line in below_floor(worse, floor)] == ["text_f1", "articles_rejected"]


def test_every_page_falls_in_one_stable_half_and_all_holds_both() -> None:
    scores = [PageScore(f"some-set/page-{number}", True, True) for number in range(40)]
    halves = by_half(scores)
    assert {half_of(score.page) for score in halves["tune"]} == {"tune"}
    assert {half_of(score.page) for score in halves["blind"]} == {"blind"}
    assert len(halves["tune"]) + len(halves["blind"]) == len(halves["all"]) == 40
    assert halves["tune"] and halves["blind"]
    # A hash of the id alone: the same page is in the same half in every run and every benchmark.
    assert [half_of(f"some-set/page-{number}") for number in range(4)] == ["blind", "blind", "tune", "tune"]


def test_authors_and_sources_are_scored_only_in_sets_that_label_them() -> None:
    def labelled(number: int, authors: tuple[str, ...], source: str | None) -> LabelledPage:
        truth = Truth(True, text="市教育局召开会议。", authors=authors, source=source)
        return LabelledPage(f"some-set/page-{number}", Path("."), truth)

    named = [labelled(1, ("王小明",), "某市日报"), labelled(2, (), None)]
    unnamed = [labelled(3, (), None), labelled(4, (), None)]  # authors not labelled upstream, stored empty
    assert labelled_fields(named) == {"authors", "source"}
    assert labelled_fields(unnamed) == frozenset()
    byline = Extraction(True, text="市教育局召开会议。", authors=["李华"])
    scored = score_page(named[1], byline, labelled=labelled_fields(named))
    assert (scored.authors_right, scored.source_right) == (False, True)  # the page names no one: a byline is wrong
    assert score_page(unnamed[0], byline, labelled=labelled_fields(unnamed)).authors_right is None


def test_a_corpus_is_a_folder_of_sets_or_one_set(tmp_path: Path) -> None:
    for set_name in ("news", "blogs"):
        page = tmp_path / "corpus" / set_name / "page-1"
        page.mkdir(parents=True)
        (page / "truth.json").write_text('{"article": true}', encoding="utf-8")
    (tmp_path / "corpus" / "notes").mkdir()  # a folder of no labelled pages is no set
    corpus = tmp_path / "corpus"
    assert corpus_sets(corpus) == [corpus / "blogs", corpus / "news"]
    assert corpus_sets(corpus / "news") == [corpus / "news"]
    assert corpus_sets(corpus / "notes") == []
