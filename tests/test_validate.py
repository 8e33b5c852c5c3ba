"""Validation: what is refused, with which reason, and what passes."""

from __future__ import annotations

import dataclasses

import pytest
from scrapy.exceptions import DropItem

from crawler.config import project_settings
from crawler.extraction.items import Article
from pipelines.base import CountingStats
from pipelines.records import Rejection
from pipelines.validate import Invalid, ValidatePipeline, check_article

TEXT = "重庆市教委与四川省教育厅在渝签署框架协议，双方将共建职业教育改革发展试验区，推动技术技能人才联合培养。"


def good_article(**changes: object) -> Article:
    article = Article(
        url="http://www.eduzx.com.cn/zhijiao/2021/0427/1.html",
        title="吹响川渝职业教育协同发展的嘹亮号角",
        text=TEXT,
        paragraphs=[TEXT],
        published_at="2021-04-27T10:35:21+08:00",
        fetched_at="2026-11-20T10:00:00+08:00",
    )
    return dataclasses.replace(article, **changes)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"title": "  "}, "empty-title"),
        ({"text": "敬请期待。"}, "short-text"),
        ({"url": "/zhijiao/1.html"}, "bad-url"),
        ({"url": "javascript:void(0)"}, "bad-url"),
        ({"published_at": "2027-01-01T00:00:00+08:00"}, "future-date"),
        ({"published_at": "yesterday-ish"}, "bad-date"),
        ({"title": None}, "malformed"),
        ({"authors": "张三"}, "malformed"),
    ],
)
def test_invalid_articles_are_refused_with_a_reason(changes: dict, reason: str) -> None:
    with pytest.raises(Invalid) as raised:
        check_article(dataclasses.asdict(good_article(**changes)))
    assert raised.value.reason == reason


def test_valid_article_passes_unchanged() -> None:
    pipeline = ValidatePipeline(project_settings(), CountingStats())
    article = good_article()
    assert pipeline.process_item(article) is article


def test_rejects_are_dropped_the_scrapy_way_counted_by_reason_and_keep_the_url() -> None:
    stats = CountingStats()
    pipeline = ValidatePipeline(project_settings(), stats)
    with pytest.raises(DropItem) as dropped:
        pipeline.process_item(good_article(title=""))
    assert isinstance(dropped.value, Rejection)
    assert dropped.value.rejected.url == "http://www.eduzx.com.cn/zhijiao/2021/0427/1.html"
    assert stats.get_value("edunews/rejected/empty-title") == 1


def test_something_that_is_not_an_item_is_rejected_as_malformed() -> None:
    stats = CountingStats()
    with pytest.raises(Rejection) as dropped:
        ValidatePipeline(project_settings(), stats).process_item("<html>not an item</html>")
    assert dropped.value.rejected.reason == "malformed"
