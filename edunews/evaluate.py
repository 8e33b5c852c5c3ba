"""Score extraction against hand-labelled pages (the devset format), the same way for every extractor.

A labelled page is a saved-page folder (``body.html`` + ``response.json``) with a ``truth.json`` beside
it (see ``../shared/devset/README.md``). Any extractor is scored through :class:`Extraction`, the
handful of fields a reader checks: whether the page is an article, its text, title, date, authors and
source. ``benchmarks/quality.py`` runs edunews beside other extractors through this module, and the
quality ratchet test runs edunews alone.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crawler.extraction.pages import RawPage, read_saved_page

TRUTH_FILE = "truth.json"
#: Characters scored one by one: Chinese, Japanese and Korean text has no word spaces.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")
WORD = re.compile(r"\w+")
SPACES = re.compile(r"[\s\u00a0\u3000]+")
#: A text is scored character by character when at least this share of its letters is CJK.
CJK_SHARE = 0.3
#: The two halves of a labelled corpus: rules are tuned looking at ``tune`` pages only, and judged by
#: the figures of ``blind`` pages, so a rule that only fits the pages it was made from shows up.
HALVES = ("tune", "blind")


class LabelError(ValueError):
    """A labelled folder whose ``truth.json`` is missing or malformed."""


@dataclass(frozen=True)
class Truth:
    """The hand labels of one page (``truth.json``)."""

    article: bool
    title: str | None = None
    text: str | None = None
    must_contain: tuple[str, ...] = ()
    must_not_contain: tuple[str, ...] = ()
    published_at: str | None = None
    authors: tuple[str, ...] | None = None
    source: str | None = None


@dataclass(frozen=True)
class LabelledPage:
    """One saved page with its labels."""

    id: str
    folder: Path
    truth: Truth

    def raw_page(self) -> RawPage:
        return read_saved_page(self.folder)


@dataclass
class Extraction:
    """What an extractor made of one page. ``article`` False means it declined the page."""

    article: bool
    text: str = ""
    title: str | None = None
    published_at: str | None = None
    authors: list[str] | None = None
    source: str | None = None
    verdict: str | None = None
    """The extractor's reason for declining, when it gives one."""


@dataclass
class PageScore:
    """How one extraction of one page fared; ``None`` where the page has no label for the measure."""

    page: str
    truth_article: bool
    accepted: bool
    verdict: str | None = None
    f1: float | None = None
    snippets_found: int = 0
    snippets_total: int = 0
    leaks: list[str] = field(default_factory=list)
    leak_checks: int = 0
    title_right: bool | None = None
    title: str | None = None
    date_right: bool | None = None
    published_at: str | None = None
    authors_right: bool | None = None
    authors: list[str] | None = None
    source_right: bool | None = None
    source: str | None = None
    seconds: float = 0.0

    @property
    def missing(self) -> int:
        return self.snippets_total - self.snippets_found


def normalize(text: str | None) -> str:
    """The labels' normalisation: entities decoded, NBSP and U+3000 as spaces, runs of white space
    collapsed."""
    return SPACES.sub(" ", html.unescape(text or "")).strip()


def _squeezed(text: str) -> str:
    """Text without any white space: a snippet matches whatever spacing an extractor put between
    inline pieces (labels were made from rendered text; extractors join ``<span>`` runs differently)."""
    return SPACES.sub("", html.unescape(text))


def is_cjk(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and sum(bool(CJK.match(char)) for char in letters) >= CJK_SHARE * len(letters)


def units(text: str, cjk: bool) -> Counter[str]:
    """What F1 counts: non-space characters for CJK text, word tokens otherwise."""
    if cjk:
        return Counter(char for char in text if not char.isspace())
    return Counter(WORD.findall(text))


def text_f1(extracted: str, truth: str) -> float:
    """F1 of the multiset of units shared by the extracted and the true text."""
    cjk = is_cjk(truth)
    got, want = units(normalize(extracted), cjk), units(normalize(truth), cjk)
    common = sum((got & want).values())
    if not common:
        return 1.0 if not got and not want else 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _parse_when(value: str) -> datetime | date | None:
    value = value.strip().replace("Z", "+00:00")
    value = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value)  # +0100 → +01:00
    value = re.sub(r"(\.\d{6})\d+", r"\1", value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
        return date(int(match[1]), int(match[2]), int(match[3])) if match else None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return parsed.date()
    return parsed


def same_day(extracted: str | None, truth: str) -> bool:
    """True when ``extracted`` falls on the labelled calendar day, read in the label's own offset
    (a page dated 00:30 +08:00 is the previous day in UTC, and a reader means the Beijing day)."""
    want, got = _parse_when(truth), _parse_when(extracted or "")
    if want is None or got is None:
        return False
    if isinstance(want, datetime) and isinstance(got, datetime) and want.tzinfo and got.tzinfo:
        got = got.astimezone(want.tzinfo)
    want_day = want.date() if isinstance(want, datetime) else want
    got_day = got.date() if isinstance(got, datetime) else got
    return want_day == got_day


def _names(values: Iterable[str]) -> set[str]:
    return {normalize(value) for value in values if normalize(value)}


def score_page(
    page: LabelledPage, extraction: Extraction, *, seconds: float = 0.0, labelled: frozenset[str] = frozenset()
) -> PageScore:
    """Compare one extraction with the page's labels. Authors and 来源 are scored only where the set
    labels them (``labelled``, see :func:`labelled_fields`): there an empty label means the page names
    none."""
    truth = page.truth
    score = PageScore(page.id, truth.article, extraction.article, extraction.verdict, seconds=seconds)
    if not truth.article:
        return score
    text = normalize(extraction.text) if extraction.article else ""
    squeezed = _squeezed(text)
    if truth.text is not None:
        score.f1 = text_f1(text, truth.text)
    score.snippets_total = len(truth.must_contain)
    score.snippets_found = sum(_squeezed(snippet) in squeezed for snippet in truth.must_contain)
    score.leak_checks = len(truth.must_not_contain)
    score.leaks = [snippet for snippet in truth.must_not_contain if (piece := _squeezed(snippet)) and piece in squeezed]
    score.title = extraction.title
    if truth.title is not None:
        score.title_right = normalize(extraction.title) == normalize(truth.title)
    score.published_at = extraction.published_at
    if truth.published_at:
        score.date_right = same_day(extraction.published_at, truth.published_at)
    score.authors, score.source = extraction.authors, extraction.source
    if "authors" in labelled and truth.authors is not None:
        score.authors_right = _names(extraction.authors or []) == _names(truth.authors)
    if "source" in labelled:
        score.source_right = normalize(extraction.source) == normalize(truth.source)
    return score


def half_of(page_id: str) -> str:
    """``tune`` or ``blind``, from a hash of the page id: stable across runs, seeds and base counts,
    so a page never moves between halves."""
    return HALVES[hashlib.sha256(page_id.encode("utf-8")).digest()[0] % 2]


def by_half(scores: Sequence[PageScore]) -> dict[str, list[PageScore]]:
    """The scores of each half and of ``all`` pages, so every figure can be read for the pages rules
    were tuned on, for the pages they were not, and for both."""
    halves: dict[str, list[PageScore]] = {half: [] for half in (*HALVES, "all")}
    for score in scores:
        halves[half_of(score.page)].append(score)
        halves["all"].append(score)
    return halves


def _share(values: Sequence[bool | None]) -> float | None:
    counted = [value for value in values if value is not None]
    return sum(counted) / len(counted) if counted else None


def summarize(scores: Sequence[PageScore]) -> dict[str, Any]:
    """Per-set figures: the means and counts a quality table shows (``None`` where nothing is labelled)."""
    articles = [score for score in scores if score.truth_article]
    others = [score for score in scores if not score.truth_article]
    f1s = [score.f1 for score in articles if score.f1 is not None]
    found = sum(score.snippets_found for score in articles)
    total = sum(score.snippets_total for score in articles)
    leaked = sum(len(score.leaks) for score in articles)
    checks = sum(score.leak_checks for score in articles)
    precision = found / (found + leaked) if found + leaked else None
    recall = found / total if total else None
    snippet_f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    seconds = sum(score.seconds for score in scores)
    return {
        "pages": len(scores),
        "articles": len(articles),
        "non_articles": len(others),
        "text_f1": sum(f1s) / len(f1s) if f1s else None,
        "text_f1_pages": len(f1s),
        "snippet_recall": recall,
        "snippet_f1": snippet_f1,
        "leak_share": leaked / checks if checks else None,
        "pages_leaking": sum(bool(score.leaks) for score in articles) / len(articles) if articles else None,
        "articles_rejected": sum(not score.accepted for score in articles),
        "non_articles_accepted": sum(score.accepted for score in others),
        "title": _share([score.title_right for score in articles]),
        "date": _share([score.date_right for score in articles]),
        "authors": _share([score.authors_right for score in articles]),
        "source": _share([score.source_right for score in articles]),
        "pages_per_second": len(scores) / seconds if seconds else None,
    }


def read_truth(folder: Path) -> Truth:
    path = folder / TRUTH_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise LabelError(f"{path}: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("article"), bool):
        raise LabelError(f"{path}: needs at least a boolean 'article'")
    authors = data.get("authors")
    return Truth(
        article=data["article"],
        title=data.get("title"),
        text=data.get("text"),
        must_contain=tuple(data.get("must_contain") or ()),
        must_not_contain=tuple(data.get("must_not_contain") or ()),
        published_at=data.get("published_at"),
        authors=tuple(authors) if isinstance(authors, list) else None,
        source=data.get("source"),
    )


def labelled_pages(corpus: Path) -> list[LabelledPage]:
    """Every labelled page under ``corpus`` (a set folder, or one page folder), in a stable order.
    Page ids are ``<set>/<folder>`` so that sets with the same page names stay apart."""
    if not corpus.is_dir():
        raise LabelError(f"{corpus}: no such folder")
    folders = [corpus] if (corpus / TRUTH_FILE).is_file() else sorted(p.parent for p in corpus.glob(f"*/{TRUTH_FILE}"))
    if not folders:
        raise LabelError(f"{corpus}: no labelled pages (folders with {TRUTH_FILE})")
    return [LabelledPage(f"{folder.parent.name}/{folder.name}", folder, read_truth(folder)) for folder in folders]


def labelled_fields(pages: Sequence[LabelledPage]) -> frozenset[str]:
    """Which of authors and 来源 a set labels: those its labels fill on some page. zh-real names both;
    the English sets name no source, and dragnet and cleanportal no author either (not labelled
    upstream, stored empty): scoring them there would count every byline found as a mistake."""
    return frozenset(field for field in ("authors", "source") if any(getattr(page.truth, field) for page in pages))


def corpus_sets(root: Path) -> list[Path]:
    """The sets of a corpus root such as ``../shared/devset``: its sub-folders that hold labelled pages,
    or the root alone when it is one set (``../shared/devset/zh-real``)."""
    if _holds_pages(root):
        return [root]
    return sorted(path for path in root.iterdir() if path.is_dir() and _holds_pages(path))


def _holds_pages(folder: Path) -> bool:
    """Whether ``folder`` is a set: some folder in it holds a labelled page."""
    return any(folder.glob(f"*/{TRUTH_FILE}"))


#: The figures a quality floor holds, and which way is better: a ratchet fails when one gets worse.
FLOOR_FIGURES: dict[str, str] = {
    "text_f1": "higher",
    "snippet_f1": "higher",
    "title": "higher",
    "date": "higher",
    "authors": "higher",
    "source": "higher",
    "articles_rejected": "lower",
    "non_articles_accepted": "lower",
    "pages_leaking": "lower",
}


def floor_of(summary: dict[str, Any]) -> dict[str, float | int]:
    """The figures of a set's summary that a ratchet holds, rounded the safe way (three places,
    down for higher-is-better ones, up for the others) so that a rerun meets them exactly."""
    floor: dict[str, float | int] = {}
    for key, better in FLOOR_FIGURES.items():
        value = summary.get(key)
        if value is None:
            continue
        if isinstance(value, int):
            floor[key] = value
        else:
            scaled = value * 1000
            floor[key] = (int(scaled) if better == "higher" else -int(-scaled // 1)) / 1000
    return floor


def below_floor(summary: dict[str, Any], floor: dict[str, float | int]) -> list[str]:
    """The figures of ``summary`` that fall short of ``floor``, described for a failure message."""
    worse = []
    for key, limit in floor.items():
        value = summary.get(key)
        if value is None:
            worse.append(f"{key}: not measured (floor {limit})")
        elif FLOOR_FIGURES[key] == "higher" and value < limit:
            worse.append(f"{key}: {value:.3f} < floor {limit}")
        elif FLOOR_FIGURES[key] == "lower" and value > limit:
            worse.append(f"{key}: {value} > floor {limit}")
    return worse


def edunews_extraction(page: RawPage) -> Extraction:
    """edunews' own extraction of a page, as the scorer sees it."""
    from crawler.extraction.encoding import UndecodableBody
    from crawler.extraction.extract import NotAnArticle, extract_article

    try:
        article = extract_article(page)
    except NotAnArticle as verdict:
        return Extraction(False, verdict=str(verdict))
    except UndecodableBody as error:
        return Extraction(False, verdict=f"undecodable: {error}")
    return Extraction(
        True,
        text=article.text or "",
        title=article.title,
        published_at=article.published_at,
        authors=list(article.authors),
        source=article.source,
    )
