"""The election of an article's best copy and the changes a copy made against it: pure functions over
copies, one table per rule, each with the copy that must win and the one that must not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import opencc
import pytest

from pipelines.copies import COPY_FIELDS, Copy, changes, elect

SEEN = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
#: An invented report, one paragraph a line; the first two state numbers.
LINES = [
    "2024年5月8日，市教育局召开全市中小学安全工作会议，部署暑期防溺水和交通安全工作。",
    "会议通报了今年以来全市校园安全检查情况，共排查隐患312处，已整改到位298处。",
    "会议要求各地各校把学生安全放在首位，落实校长负责制，健全家校联动机制，形成工作合力。",
    "各学校要在放假前开展一次专题安全教育，通过主题班会、致家长的一封信等形式提醒家长履行监护职责。",
    "教育部门将联合公安、交通、应急等部门开展联合检查，对重点水域和路段加强巡查，及时消除安全隐患。",
    "会议强调，暑期是学生溺水事故的高发期，各地要严格落实包保责任，确保每一名学生安全度过假期。",
    "会上，三所学校作了交流发言，介绍了在安全教育课程化、应急演练常态化方面的做法和经验。",
    "各县区教育局分管负责人、市直学校校长和安全办主任参加会议，会议以视频形式开到各乡镇中心校。",
]


def make(url: str, lines: list[str], *, first_seen: datetime = SEEN, **fields: Any) -> Copy:
    """A copy of ``lines`` at ``url`` (host from the URL), fields as an extraction gives them."""
    values: dict[str, Any] = {name: None for name in COPY_FIELDS} | {
        "title": "全市中小学安全工作会议召开",
        "text": "\n".join(lines),
        "paragraphs": lines,
        "authors": [],
        "editors": [],
        "keywords": [],
        "images": [],
        "removed": [],
        "extractor_version": "2026.12.05.1",
    }
    values.update(fields)
    return Copy(url, url.split("/")[2], first_seen, first_seen, values)


def stripped(lines: list[str]) -> list[str]:
    return ["".join(c for c in line if not c.isdigit()) for line in lines]


def spam(*reasons: str) -> list[dict[str, str]]:
    return [{"reason": reason, "text": "..."} for reason in reasons]


EARLY, LATE = datetime(2024, 5, 8, 1, tzinfo=UTC), datetime(2024, 5, 9, 1, tzinfo=UTC)
#: (rule, the copy that must win, the copy that must lose): each pair equal under every earlier rule.
ELECTIONS = [
    (
        "digits intact beat a more complete copy",
        make("http://a.cn/1", LINES),
        make("http://b.cn/1", stripped(LINES) + ["本站编辑整理，欢迎转发分享给更多家长朋友。"]),
    ),
    (
        "a whole copy beats an earlier fragment on the source's site",
        make("http://b.cn/10", LINES, source="临江市教育局", published_at=LATE),
        make("http://jyj.example.cn/10", LINES[:1], site_name="临江市教育局", published_at=EARLY),
    ),
    (
        "on the source's site beats an earlier copy",
        make("http://jyj.example.cn/2", LINES, site_name="临江市教育局", published_at=LATE),
        make("http://b.cn/2", LINES, source="临江市教育局", published_at=EARLY),
    ),
    (
        "published first beats a longer copy of a later day",
        make("http://b.cn/3", LINES, published_at=EARLY),
        make("http://a.cn/3", LINES + ["会议还对近期防汛工作作了安排。"], published_at=LATE),
    ),
    ("published first beats undated", make("http://b.cn/4", LINES, published_at=EARLY), make("http://a.cn/4", LINES)),
    (
        "not cut short beats fewer reposter blocks",
        make("http://a.cn/5", LINES, removed=spam("ad")),
        make("http://b.cn/5", LINES[:3]),
    ),
    (
        "fewer reposter blocks beat a more complete copy",
        make("http://a.cn/6", LINES, removed=spam("footer", "share")),
        make("http://b.cn/6", LINES + ["更多精彩内容请关注本站公众号。"], removed=spam("spam-link")),
    ),
    (
        "the most complete copy beats a shorter one of the same day",
        make("http://b.cn/7", LINES + ["会议还对近期防汛工作作了安排。"], published_at=LATE),
        make("http://a.cn/7", LINES, published_at=LATE + timedelta(hours=3)),
    ),
    (
        "seen first wins a tie",
        make("http://b.cn/8", LINES),
        make("http://a.cn/8", LINES, first_seen=SEEN + timedelta(days=1)),
    ),
    ("the smaller URL decides the rest", make("http://a.cn/9", LINES), make("http://b.cn/9", LINES)),
]


@pytest.mark.parametrize(("rule", "winner", "loser"), ELECTIONS, ids=[rule for rule, _, _ in ELECTIONS])
def test_election_rules(rule: str, winner: Copy, loser: Copy) -> None:
    assert elect([winner, loser]).url == winner.url
    assert elect([loser, winner]).url == winner.url, "whatever the order the copies came in"


def test_an_article_with_no_copy_elects_nothing() -> None:
    with pytest.raises(ValueError, match="nothing to elect"):
        elect([])


ELECTED = make("http://jyj.example.cn/0", LINES)
TRADITIONAL = [opencc.OpenCC("s2t").convert(line) for line in LINES]
CHANGES = [
    ("the elected copy itself", ELECTED, []),
    ("the same text elsewhere", make("http://b.cn/0", LINES), []),
    ("years and counts stripped", make("http://b.cn/1", stripped(LINES)), ["digits stripped (5)"]),
    ("a line added", make("http://b.cn/2", [*LINES[:4], "转载自临江教育公众号。", *LINES[4:]]), ["lines added (1)"]),
    ("a line dropped", make("http://b.cn/3", LINES[:2] + LINES[3:]), ["lines dropped (1)"]),
    (
        "a sentence changed",
        make("http://b.cn/4", [LINES[0].replace("召开", "举行"), *LINES[1:]]),
        ["sentences changed (1)"],
    ),
    ("cut short", make("http://b.cn/5", LINES[:3]), ["cut short"]),
    ("other script", make("http://b.cn/6", TRADITIONAL), ["other script (traditional)"]),
    ("stripped and cut", make("http://b.cn/7", stripped(LINES[:3])), ["digits stripped (5)", "cut short"]),
]


@pytest.mark.parametrize(("case", "copy", "expected"), CHANGES, ids=[case for case, _, _ in CHANGES])
def test_what_a_copy_changed_against_the_elected_one(case: str, copy: Copy, expected: list[str]) -> None:
    assert changes(copy, ELECTED) == expected
