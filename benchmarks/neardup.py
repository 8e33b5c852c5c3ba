"""Near-duplicate detection quality and speed on the labelled repost set built from the fixtures.

Run: python benchmarks/neardup.py [--seed N] [--rounds N]

A pair is predicted a repost when its two signatures share a band bucket and ``compare`` accepts it,
which is what the stored band index does. Prints pairs by kind, precision/recall/F1, recall per kind,
every error, how many negative pairs the banding makes candidates, and the time to sign one article.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from neardup_cases import Verdict, fixture_articles, judge, labelled_pairs, scores  # noqa: E402

from pipelines import neardup  # noqa: E402

#: Characters of a text shown for each error.
SNIPPET_CHARS = 40


def snippet(text: str) -> str:
    return text[:SNIPPET_CHARS].replace("\n", " / ")


def print_parameters() -> None:
    print(
        f"shingle={neardup.SHINGLE_SIZE} perm={neardup.NUM_PERM} bands={neardup.BANDS}x{neardup.ROWS} "
        f"jaccard>={neardup.JACCARD_THRESHOLD} containment>={neardup.CONTAINMENT_THRESHOLD} "
        f"size ratio>={neardup.MIN_SIZE_RATIO}"
    )


def print_quality(verdicts: list[Verdict]) -> None:
    kinds = Counter(v.pair.kind for v in verdicts)
    positives = sum(v.pair.duplicate for v in verdicts)
    print(f"\npairs: {len(verdicts)} ({positives} reposts, {len(verdicts) - positives} different articles)")
    for kind, count in sorted(kinds.items()):
        print(f"  {kind:28s} {count:4d}")

    score = scores(verdicts)
    print(f"\nprecision {score.precision:.4f}  recall {score.recall:.4f}  F1 {score.f1:.4f}")

    by_kind: dict[str, list[Verdict]] = defaultdict(list)
    for verdict in verdicts:
        if verdict.pair.duplicate:
            by_kind[verdict.pair.kind].append(verdict)
    print("\nrecall by kind (lowest estimated jaccard / containment in brackets):")
    for kind, group in sorted(by_kind.items()):
        found = sum(v.predicted for v in group)
        lowest_j = min(v.match.jaccard for v in group)
        lowest_c = min(v.match.containment for v in group)
        print(f"  {kind:28s} {found / len(group):.3f} ({found}/{len(group)})  [J {lowest_j:.2f} / C {lowest_c:.2f}]")

    negatives = [v for v in verdicts if not v.pair.duplicate]
    highest_j = max(v.match.jaccard for v in negatives)
    highest_c = max(v.match.containment for v in negatives)
    print(f"\nnegatives: highest estimated jaccard {highest_j:.2f}, containment {highest_c:.2f}")

    errors = [v for v in verdicts if v.predicted != v.pair.duplicate]
    print(f"\nerrors: {len(errors)}")
    for verdict in errors:
        label = "false positive" if verdict.predicted else "false negative"
        reason = "" if verdict.candidate or verdict.predicted else " (no shared bucket)"
        print(
            f"  {label}{reason} {verdict.pair.kind}: J={verdict.match.jaccard:.2f} C={verdict.match.containment:.2f}\n"
            f"    original:  {snippet(verdict.pair.original)}\n    candidate: {snippet(verdict.pair.candidate)}"
        )


def print_candidate_rate(verdicts: list[Verdict]) -> None:
    """How much work the band index leaves to ``compare``: negatives that share a bucket."""
    negatives = [v for v in verdicts if not v.pair.duplicate]
    rate = sum(v.candidate for v in negatives) / len(negatives)
    print(f"\ncandidate rate of the banding (negatives sharing a bucket): {rate:.3f}")
    for kind in sorted({v.pair.kind for v in negatives}):
        group = [v for v in negatives if v.pair.kind == kind]
        print(f"  {kind:28s} {sum(v.candidate for v in group) / len(group):.3f} ({len(group)} pairs)")
    positives = [v for v in verdicts if v.pair.duplicate]
    missed = sum(not v.candidate for v in positives)
    print(f"  reposts without a shared bucket: {missed}/{len(positives)}")


def print_speed(rounds: int) -> None:
    texts = [doc.text for doc in fixture_articles()]
    neardup.signature(texts[0])  # warm-up: permutations are drawn once per process
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            neardup.signature(text)
    seconds = time.perf_counter() - started
    average_chars = sum(len(text) for text in texts) / len(texts)
    milliseconds = 1000 * seconds / (rounds * len(texts))
    print(
        f"\nsignature time: {milliseconds:.2f} ms per article ({len(texts)} articles, {average_chars:.0f} chars each)"
    )
    longest = max(texts, key=len)
    started = time.perf_counter()
    for _ in range(rounds):
        neardup.signature(longest)
    print(f"  longest article ({len(longest)} chars): {1000 * (time.perf_counter() - started) / rounds:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7, help="seed of the labelled set (default 7, the test's)")
    parser.add_argument("--rounds", type=int, default=20, help="timing rounds over all articles")
    args = parser.parse_args()
    print_parameters()
    verdicts = judge(labelled_pairs(args.seed))
    print_quality(verdicts)
    print_candidate_rate(verdicts)
    print_speed(args.rounds)


if __name__ == "__main__":
    main()
