"""The one form stored text takes, so that copies compare equal and a query meets the text it asks
for: kept apart from the normalise pipeline so that search (and the web page) can fold a query the
same way without loading Scrapy."""

from __future__ import annotations

import re

CJK = r"\u3400-\u9fff\uf900-\ufaff"
#: Half-width punctuation written inside Chinese text (content farms do this), and its full-width form.
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
#: Such punctuation with Chinese on either side. The punctuation comes first, so that the engine skips
#: to it by its character class rather than trying a lookbehind at every position of the text.
HALF_PUNCT_BY_CJK = re.compile(rf"[,;:?!()](?:(?<=[{CJK}].)|(?=[{CJK}]))")
FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
#: Runs of spaces of any kind that become one plain space. A lone plain space is one already: matching
#: it too made English text, a space between every two words, the slowest to normalise.
SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u3000]{2,}|[\t\u00a0\u2002\u2003\u2009\u3000]")


def normalize_text(text: str) -> str:
    """Text in one form: full-width letters and digits made ASCII, half-width punctuation inside
    Chinese made full-width, runs of spaces collapsed, blank lines removed."""
    text = FULLWIDTH_ALNUM.sub(lambda match: chr(ord(match.group()) - 0xFEE0), text)
    text = HALF_PUNCT_BY_CJK.sub(lambda match: HALF_TO_FULL[match.group()], text)
    lines = (line.strip() for line in SPACES.sub(" ", text).splitlines())
    return "\n".join(line for line in lines if line)
