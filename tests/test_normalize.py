"""Normalisation: one spelling for URLs, text and times, so copies of a page compare equal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extraction.profiles import host_aliases
from crawler.extraction.urls import canonicalize_url
from pipelines.normalize import normalize_text, split_published


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://www.eduzx.com.cn/a/1.html#comments", "http://www.eduzx.com.cn/a/1.html"),
        ("http://www.eduzx.com.cn/a/1.html?utm_source=wx&id=3&spm=a.b", "http://www.eduzx.com.cn/a/1.html?id=3"),
        ("HTTP://WWW.EDUZX.COM.CN:80/a/1.html", "http://www.eduzx.com.cn/a/1.html"),
        ("https://news.xx.edu.cn/list.htm?b=2&a=1", "https://news.xx.edu.cn/list.htm?a=1&b=2"),
        ("http://www.eduzx.com.cn/a/%e6%95%99.html", "http://www.eduzx.com.cn/a/%E6%95%99.html"),
        ("http://www.eduzx.com.cn", "http://www.eduzx.com.cn/"),
        ("http://www.eduzx.com.cn/list.php?cat=3&from=20", "http://www.eduzx.com.cn/list.php?cat=3&from=20"),
        ("http://www.eduzx.com.cn/list.php?cat=3&from=timeline", "http://www.eduzx.com.cn/list.php?cat=3"),
        ("http://www.eduzx.com.cn/a/1.html?ref=weibo&id=3", "http://www.eduzx.com.cn/a/1.html?id=3"),
        ("http://www.eduzx.com.cn/a/1.html?ref=2", "http://www.eduzx.com.cn/a/1.html?ref=2"),
        ("http://www.eduzx.com.cn/s.php?q=%D6%D0&from=app", "http://www.eduzx.com.cn/s.php?q=%D6%D0"),
    ],
)
def test_url_canonical_form_drops_tracking_and_fragments(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical


def test_mobile_host_folds_into_desktop_host_when_a_profile_says_so() -> None:
    aliases = host_aliases(None)
    assert aliases["m.eduzx.com.cn"] == "www.eduzx.com.cn"
    assert (
        canonicalize_url("https://m.eduzx.com.cn/zhijiao/1.html", aliases) == "https://www.eduzx.com.cn/zhijiao/1.html"
    )
    assert canonicalize_url("https://m.other.cn/1.html", aliases) == "https://m.other.cn/1.html"


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("开幕式集表演,双城携手弘扬劳动光荣", "开幕式集表演，双城携手弘扬劳动光荣"),
        ("推进学分互认(产教联盟):共建", "推进学分互认（产教联盟）：共建"),
        ("ＡＩ与５Ｇ专业", "AI与5G专业"),
        ("  第一段  \n\n\n　　第二段  ", "第一段\n第二段"),
        ("Growth was 2.4%, up from 1.9%.", "Growth was 2.4%, up from 1.9%."),
        # Only punctuation touching Chinese on one side or the other changes: not between digits.
        ("全市共3,500所学校,其中(2024年)新建", "全市共3,500所学校，其中（2024年）新建"),
        ("(见附件)", "（见附件）"),
        # Any run of spaces, of any kind, is one plain space; a lone odd space becomes a plain one too.
        ("one \u3000two\tthree  four\u00a0five", "one two three four five"),
    ],
)
def test_text_normal_form(text: str, normalized: str) -> None:
    assert normalize_text(text) == normalized


def test_published_time_becomes_utc_and_keeps_its_offset() -> None:
    moment, offset = split_published("2021-04-26T09:12:00+08:00")
    assert moment == datetime(2021, 4, 26, 1, 12, tzinfo=UTC)
    assert offset == "+08:00"
    assert split_published(None) == (None, None)
