"""Regular expressions that users write (a profile's ``article_url`` and ``listing_url``, ``crawl --url
--article-pattern``), run by RE2, whose matching time is linear in the length of the URL whatever the
pattern: Python's ``re`` backtracks, and ``(a+)+$`` against a link of 34 "a"s held a crawl at 100 % CPU
past every signal. RE2 has no lookarounds and no backreferences (which cannot run in linear time):
a pattern using them is refused when the profile or the option is read, saying so."""

from __future__ import annotations

import re

import re2  # type: ignore[import-untyped]

#: RE2's options for users' patterns: a pattern it cannot compile is an error we word ourselves, not
#: a log line of RE2's own on stderr.
OPTIONS = re2.Options()
OPTIONS.log_errors = False


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used, in words a user can act on, or None: not a regular expression at
    all (Python's own reading, the syntax users know), or one RE2 cannot run."""
    try:
        re.compile(pattern)
    except re.error as error:
        return f"not a regular expression ({error})"
    try:
        re2.compile(pattern, OPTIONS)
    except re2.error as error:
        reason = error.args[0].decode() if error.args and isinstance(error.args[0], bytes) else str(error)
        return (
            f"cannot be matched in linear time ({reason}): lookarounds such as (?!...) and backreferences "
            "such as \\1 are not supported, write the pattern without them"
        )
    return None


def pattern_found(pattern: str, text: str) -> bool:
    """True when ``pattern`` (checked with :func:`pattern_problem`) matches somewhere in ``text``;
    compiled patterns are cached by RE2's module."""
    return re2.search(pattern, text, OPTIONS) is not None
