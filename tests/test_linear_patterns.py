"""Every regular expression that reads page text runs in linear time on adversarial lines.

The patterns are found, not listed: every compiled pattern at module level in ``crawler`` and
``pipelines`` (alone or inside a tuple, list or dict), so a rule added tomorrow is checked too. Each is
searched in lines built to make backtracking engines blow up: long runs of one character class, runs of
tokens a pattern could cut many ways (digits, tags, separators), each followed by a character that makes
the match fail at the end. A linear pattern searches 100,000 characters in about a millisecond; a
quadratic one takes seconds and an exponential one would never end, so an alarm stops each search."""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal
import time
from collections.abc import Iterator

import pytest

import crawler
import pipelines

#: Pieces that adversarial lines repeat: character classes and tokens the vocabulary is written in.
UNITS = (
    "1",
    " ",
    "\u3000",
    "\n",
    "中",
    "a",
    "A",
    "#",
    ".",
    "-",
    "/",
    ":",
    "：",
    "、",
    "，",
    "【",
    "（",
    "·",
    "#话题#",
    "#a ",
    "1 ",
    "第1页",
    "共",
    "记者",
    "张三 ",
    "2024-05-13",
    "http://a",
    "﹒a",
    "Ab ",
    "a.",
    "& ",
)
#: What follows the run: nothing, or a character no rule expects there.
TAILS = ("", "x", " x", "!")
SHORT, LONG = 5_000, 100_000
#: Units whose 100,000-character runs are checked too (one class each).
LONG_UNITS = ("1", " ", "中", "a", "#")
#: A search of a linear pattern over 100,000 characters takes about a millisecond of CPU; these leave
#: room and still fail a quadratic pattern (0.1 s at 4,000 characters is 60 s at 100,000). Both count
#: the process's CPU time, not the clock's, so a busy machine that leaves the test waiting for a core
#: does not make a linear pattern look slow.
LIMIT_SECONDS = 0.25
ALARM_SECONDS = 2


def _patterns_in(value: object) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _patterns_in(item)
    elif isinstance(value, dict):
        for item in (*value.keys(), *value.values()):
            yield from _patterns_in(item)
    elif hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        for name in value.__dataclass_fields__:
            yield from _patterns_in(getattr(value, name))


def vocabulary() -> dict[str, re.Pattern[str]]:
    """Every module-level pattern of ``crawler`` and ``pipelines``, by ``module.NAME``."""
    found: dict[str, re.Pattern[str]] = {}
    seen: set[tuple[str, int]] = set()
    for package in (crawler, pipelines):
        for module_info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".migrations" in module_info.name:
                continue
            module = importlib.import_module(module_info.name)
            for name, value in vars(module).items():
                for index, pattern in enumerate(_patterns_in(value)):
                    key = (pattern.pattern, pattern.flags)
                    if key not in seen:
                        seen.add(key)
                        found[f"{module_info.name}.{name}[{index}]"] = pattern
    return found


class _Alarm(Exception):
    pass


def _raise_alarm(signum: int, frame: object) -> None:
    raise _Alarm


def adversarial_lines() -> Iterator[str]:
    for unit in UNITS:
        for tail in TAILS:
            yield unit * (SHORT // len(unit)) + tail
            if unit in LONG_UNITS:
                yield unit * LONG + tail


def slowest_search(pattern: re.Pattern[str]) -> tuple[float, str]:
    """The longest one search of ``pattern`` took over the adversarial lines, and the line's start."""
    previous = signal.signal(signal.SIGPROF, _raise_alarm)
    worst = (0.0, "")
    try:
        for line in adversarial_lines():
            started = time.process_time()
            signal.setitimer(signal.ITIMER_PROF, ALARM_SECONDS)
            try:
                pattern.search(line)
            except _Alarm:
                pass
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
            worst = max(worst, (time.process_time() - started, f"{line[:24]!r}… ({len(line)} characters)"))
    finally:
        signal.signal(signal.SIGPROF, previous)
    return worst


VOCABULARY = vocabulary()


def test_the_vocabulary_is_found() -> None:
    assert len(VOCABULARY) > 100
    assert any(name.startswith("crawler.extraction.patterns.PAGINATION") for name in VOCABULARY)


@pytest.mark.parametrize("name", sorted(VOCABULARY))
def test_pattern_runs_in_linear_time_on_adversarial_lines(name: str) -> None:
    seconds, line = slowest_search(VOCABULARY[name])
    assert seconds < LIMIT_SECONDS, f"{name} took {seconds:.2f} s on {line}"


def test_the_check_fails_a_backtracking_pattern() -> None:
    # Nested quantifiers over overlapping classes, as the pagination rule once was.
    seconds, _ = slowest_search(re.compile(r"^(\s|\d+|page)+$"))
    assert seconds >= LIMIT_SECONDS
