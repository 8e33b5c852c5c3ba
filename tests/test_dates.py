"""Tests for crawler.extraction.dates: dates as Chinese and English education-news pages write them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo

import pytest
from parsel import Selector

from crawler.extraction import metadata
from crawler.extraction.blocks import Block, split_blocks
from crawler.extraction.dates import (
    CHINA_TZ,
    DateReader,
    date_from_timestamp,
    date_from_url,
    find_date,
    parse_date,
    to_iso,
)

# The crawl time every relative and year-less date below is resolved against.
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=CHINA_TZ)


def iso_or_none(dt: datetime | None) -> str | None:
    return None if dt is None else to_iso(dt)


# --------------------------------------------------------------------------- parse_date: absolute


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Midnight placeholder from CMSs that store dates only: keep it, do not drop the time.
        ("2022-02-13 00:00:00", "2022-02-13T00:00:00+08:00"),
        ("2022-02-13 04:22:18", "2022-02-13T04:22:18+08:00"),
        ("2021-1-29", "2021-01-29T00:00:00+08:00"),
        ("2021-1-29 13:18", "2021-01-29T13:18:00+08:00"),
        ("2025/11/25", "2025-11-25T00:00:00+08:00"),
        ("2025.11.25", "2025-11-25T00:00:00+08:00"),
        ("2026-07-19 07:16", "2026-07-19T07:16:00+08:00"),
        ("2024-03-05 2:30 PM", "2024-03-05T14:30:00+08:00"),
        ("2024年03月05日 14:30", "2024-03-05T14:30:00+08:00"),
        ("2024年3月5日", "2024-03-05T00:00:00+08:00"),
        ("2024年04月24日23:52", "2024-04-24T23:52:00+08:00"),
        ("2024年3月5日 12时30分", "2024-03-05T12:30:00+08:00"),
        ("2024 年 3 月 5 日", "2024-03-05T00:00:00+08:00"),
        ("２０２４年３月５日", "2024-03-05T00:00:00+08:00"),
        ("二〇二四年三月五日", "2024-03-05T00:00:00+08:00"),
        ("二〇二四年十二月二十五日", "2024-12-25T00:00:00+08:00"),
        ("二零二三年十月三十一日", "2023-10-31T00:00:00+08:00"),
        ("二〇二四年十一月十日", "2024-11-10T00:00:00+08:00"),
        ("7/5/2005 9:23:57 PM", "2005-07-05T21:23:57+08:00"),
        ("March 5, 2024", "2024-03-05T00:00:00+08:00"),
        ("5 March 2024", "2024-03-05T00:00:00+08:00"),
        ("Mar 5, 2024 10:00 AM", "2024-03-05T10:00:00+08:00"),
        ("Tuesday, 5 March 2024", "2024-03-05T00:00:00+08:00"),
        ("Sept. 5th, 2024", "2024-09-05T00:00:00+08:00"),
    ],
)
def test_parse_date_reads_absolute_formats_in_china_time(text: str, expected: str) -> None:
    assert iso_or_none(parse_date(text, now=NOW)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年3月5日 上午9:05", "2024-03-05T09:05:00+08:00"),
        ("2024年3月5日 下午2:30", "2024-03-05T14:30:00+08:00"),
        ("2024年3月5日 晚上8:00", "2024-03-05T20:00:00+08:00"),
        ("2024年3月5日 中午12:30", "2024-03-05T12:30:00+08:00"),
        ("2024年3月5日 下午14:30", "2024-03-05T14:30:00+08:00"),
        ("3/5/2024 12:15 AM", "2024-03-05T00:15:00+08:00"),
    ],
)
def test_parse_date_converts_meridiem_to_24_hour_clock(text: str, expected: str) -> None:
    assert iso_or_none(parse_date(text, now=NOW)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05T14:30:00+08:00", "2024-03-05T14:30:00+08:00"),
        ("2024-03-05T14:30:00Z", "2024-03-05T14:30:00+00:00"),
        ("2024-03-05T14:30:00.123456+05:30", "2024-03-05T14:30:00+05:30"),
        ("2024-03-05 14:30:00 +0800", "2024-03-05T14:30:00+08:00"),
        ("2024-03-05 14:30:00 -0500", "2024-03-05T14:30:00-05:00"),
        ("Tue, 05 Mar 2024 06:30:00 GMT", "2024-03-05T06:30:00+00:00"),
        ("Tue, 05 Mar 2024 06:30:00 +0000", "2024-03-05T06:30:00+00:00"),
        # CST on a Chinese site is China Standard Time, not US Central.
        ("2024-03-05 14:30:00 CST", "2024-03-05T14:30:00+08:00"),
    ],
)
def test_parse_date_keeps_explicit_offsets(text: str, expected: str) -> None:
    assert iso_or_none(parse_date(text, now=NOW)) == expected


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("March 5, 2024 10:00 PM CST", UTC, "2024-03-05T22:00:00-06:00"),
        ("March 5, 2024 10:00 PM CST", CHINA_TZ, "2024-03-05T22:00:00+08:00"),
        ("March 5, 2024 10:00 PM EST", CHINA_TZ, "2024-03-05T22:00:00-05:00"),
    ],
)
def test_cst_is_china_time_only_on_a_page_in_china_time(text: str, tz: tzinfo, expected: str) -> None:
    assert iso_or_none(parse_date(text, now=NOW, tz=tz)) == expected


@pytest.mark.parametrize(
    ("lang", "url", "zone"),
    [
        ("zh", "https://www.example.com/a.html", CHINA_TZ),
        ("en", "https://www.example.com.cn/a.html", CHINA_TZ),
        ("en", "https://news.example.hk/a.html", CHINA_TZ),
        ("en", "https://www.example.com/a.html", UTC),
        ("en", "https://www.example.cnn.com/a.html", UTC),
    ],
)
def test_a_page_is_in_china_time_when_it_is_chinese_or_its_site_is(lang: str, url: str, zone: tzinfo) -> None:
    assert metadata.default_timezone(lang, url) == zone


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Updated 3:45 p.m. Dec. 1, 2025", "2025-12-01T15:45:00+00:00"),
        ("Published 9:05 AM EST Dec. 1, 2025", "2025-12-01T09:05:00-05:00"),
        ("Posted at 12:30 p.m., Monday, Dec. 1, 2025", "2025-12-01T12:30:00+00:00"),
        ("Updated Dec. 1, 2025 3:45 p.m.", "2025-12-01T15:45:00+00:00"),
    ],
)
def test_a_time_of_day_before_the_date_is_the_dates_time(line: str, expected: str) -> None:
    assert iso_or_none(find_date(line, now=NOW, tz=UTC)) == expected


def test_parse_date_attaches_the_given_tz_when_text_has_none() -> None:
    result = parse_date("2024-03-05 14:30", now=NOW, tz=UTC)
    assert iso_or_none(result) == "2024-03-05T14:30:00+00:00"


def test_china_tz_is_fixed_utc_plus_eight() -> None:
    assert CHINA_TZ.utcoffset(None) == timedelta(hours=8)
    assert CHINA_TZ.utcoffset(datetime(2024, 7, 1)) == timedelta(hours=8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间：2022-02-13 04:22:18", "2022-02-13T04:22:18+08:00"),
        ("发布时间: 2022-02-13", "2022-02-13T00:00:00+08:00"),
        ("日期: 2024-03-05", "2024-03-05T00:00:00+08:00"),
        ("时间：2024年3月5日", "2024-03-05T00:00:00+08:00"),
        ("发布：2021-1-29 13:18", "2021-01-29T13:18:00+08:00"),
        ("Published: March 5, 2024", "2024-03-05T00:00:00+08:00"),
        ("Published on 5 March 2024", "2024-03-05T00:00:00+08:00"),
        ("\xa0\xa02024-03-05\xa0", "2024-03-05T00:00:00+08:00"),
        ("&nbsp;2024-03-05&nbsp;", "2024-03-05T00:00:00+08:00"),
        ("  \n 2024-03-05 \t", "2024-03-05T00:00:00+08:00"),
        ("[2024-03-05]", "2024-03-05T00:00:00+08:00"),
        ("（2024-03-05）", "2024-03-05T00:00:00+08:00"),
    ],
)
def test_parse_date_trims_labels_brackets_and_nbsp(text: str, expected: str) -> None:
    assert iso_or_none(parse_date(text, now=NOW)) == expected


def test_parse_date_needs_the_whole_string_to_be_a_date() -> None:
    assert parse_date("发布时间：2022-02-13 04:22:18  来源：云南日报", now=NOW) is None


# --------------------------------------------------------------------------- parse_date: relative / year-less


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("刚刚", "2026-11-20T10:00:00+08:00"),
        ("just now", "2026-11-20T10:00:00+08:00"),
        ("30秒前", "2026-11-20T09:59:30+08:00"),
        ("5分钟前", "2026-11-20T09:55:00+08:00"),
        ("2小时前", "2026-11-20T08:00:00+08:00"),
        ("1个小时前", "2026-11-20T09:00:00+08:00"),
        ("半小时前", "2026-11-20T09:30:00+08:00"),
        ("3天前", "2026-11-17T10:00:00+08:00"),
        ("三天前", "2026-11-17T10:00:00+08:00"),
        ("1周前", "2026-11-13T10:00:00+08:00"),
        ("3 days ago", "2026-11-17T10:00:00+08:00"),
        ("an hour ago", "2026-11-20T09:00:00+08:00"),
        ("10 mins ago", "2026-11-20T09:50:00+08:00"),
        ("今天", "2026-11-20T00:00:00+08:00"),
        ("今天 08:15", "2026-11-20T08:15:00+08:00"),
        ("昨天", "2026-11-19T00:00:00+08:00"),
        ("昨天 14:20", "2026-11-19T14:20:00+08:00"),
        ("昨天 下午2:20", "2026-11-19T14:20:00+08:00"),
        ("前天", "2026-11-18T00:00:00+08:00"),
        ("yesterday", "2026-11-19T00:00:00+08:00"),
        ("yesterday at 14:20", "2026-11-19T14:20:00+08:00"),
    ],
)
def test_parse_date_resolves_relative_dates_against_now(text: str, expected: str) -> None:
    assert iso_or_none(parse_date(text, now=NOW)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6月28日", "2026-06-28T00:00:00+08:00"),
        ("6月28日 10:30", "2026-06-28T10:30:00+08:00"),
        ("06-28 10:30", "2026-06-28T10:30:00+08:00"),
        ("06-28", "2026-06-28T00:00:00+08:00"),
        ("十一月二十二日", "2026-11-22T00:00:00+08:00"),  # two days ahead: still this year
        ("11月23日", "2025-11-23T00:00:00+08:00"),  # three days ahead: last year
    ],
)
def test_parse_date_takes_year_of_now_for_yearless_dates(text: str, expected: str) -> None:
    assert iso_or_none(parse_date(text, now=NOW)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12月30日", "2025-12-30T00:00:00+08:00"),
        ("12-30 08:00", "2025-12-30T08:00:00+08:00"),
        ("1月3日", "2026-01-03T00:00:00+08:00"),
        ("1月5日", "2025-01-05T00:00:00+08:00"),
        ("昨天", "2026-01-01T00:00:00+08:00"),
    ],
)
def test_parse_date_rolls_yearless_dates_back_over_new_year(text: str, expected: str) -> None:
    new_year_now = datetime(2026, 1, 2, 9, 0, tzinfo=CHINA_TZ)
    assert iso_or_none(parse_date(text, now=new_year_now)) == expected


def test_parse_date_expresses_now_in_tz_before_resolving_calendar_words() -> None:
    # 2025-12-31 17:00 UTC is already 2026-01-01 01:00 in China, so 昨天 is 2025-12-31 there.
    utc_now = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    assert iso_or_none(parse_date("昨天 23:00", now=utc_now)) == "2025-12-31T23:00:00+08:00"


def test_parse_date_treats_naive_now_as_tz() -> None:
    naive_now = datetime(2026, 11, 20, 10, 0)
    assert iso_or_none(parse_date("2小时前", now=naive_now)) == "2026-11-20T08:00:00+08:00"


def test_parse_date_defaults_now_to_current_time() -> None:
    before = datetime.now(CHINA_TZ).replace(microsecond=0)
    result = parse_date("刚刚")
    after = datetime.now(CHINA_TZ)
    assert result is not None
    assert before <= result <= after
    assert result.utcoffset() == timedelta(hours=8)


# --------------------------------------------------------------------------- parse_date: rejections


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2024-13-45",
        "2024-02-30",
        "2024年2月30日",
        "二〇二四年十三月五日",
        "2024-03-05 25:00",
        "点击：313",
        "313",
        "2024",
        "20240305",
        "15010502000333",
        "010-62345678",
        "1 2 3",
        "1/2/3",
        "12:30",
        "Page 2 of 5",
        "v1.2.3",
        "Monday",
        "第3期",
        "1989-06-01",  # before 1990
        "2028-01-01",  # after now.year + 1
        "100000天前",
        "29 Feb 2023",
    ],
)
def test_parse_date_rejects_garbage_and_impossible_values(text: str) -> None:
    assert parse_date(text, now=NOW) is None


@pytest.mark.parametrize("text", ["2024", "2024年", "2024年3月", "2024-03", "March 2024", "Q1 2024", "May 10"])
def test_parse_date_never_invents_missing_month_or_day(text: str) -> None:
    assert parse_date(text, now=NOW) is None


def test_parse_date_accepts_next_year() -> None:
    assert iso_or_none(parse_date("2027-01-01", now=NOW)) == "2027-01-01T00:00:00+08:00"


# --------------------------------------------------------------------------- find_date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("发布时间：2022-02-13 04:22:18\xa0\xa0来源：云南日报", "2022-02-13T04:22:18+08:00"),
        ("2024年04月24日23:52 | 来源：新华网", "2024-04-24T23:52:00+08:00"),
        ("发布: 2021-1-29 13:18|点击: 313|来自: 互联网", "2021-01-29T13:18:00+08:00"),
        ("来源：教育部 2024年3月5日 下午2:30 浏览次数：1024", "2024-03-05T14:30:00+08:00"),
        ("发布日期：二〇二四年十二月二十五日", "2024-12-25T00:00:00+08:00"),
        ("Posted on Tuesday, 5 March 2024 by Jane Doe", "2024-03-05T00:00:00+08:00"),
        ("Updated: Tue, 05 Mar 2024 06:30:00 GMT | BBC", "2024-03-05T06:30:00+00:00"),
        ("By staff | 7/5/2005 9:23:57 PM | 12 comments", "2005-07-05T21:23:57+08:00"),
        ("<time>2024-03-05T14:30:00+08:00</time>", "2024-03-05T14:30:00+08:00"),
    ],
)
def test_find_date_picks_the_date_out_of_header_lines(line: str, expected: str) -> None:
    assert iso_or_none(find_date(line, now=NOW)) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("教发〔2022〕1号 2022年1月5日", "2022-01-05T00:00:00+08:00"),
        ("京ICP备2020-12-31号 发布时间：2024-03-05", "2024-03-05T00:00:00+08:00"),
        ("京公网安备 11010502000333号 2024-03-05", "2024-03-05T00:00:00+08:00"),
    ],
)
def test_find_date_skips_document_and_registration_numbers(line: str, expected: str) -> None:
    assert iso_or_none(find_date(line, now=NOW)) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("更新于 3天前 原文发布 2024-03-05", "2024-03-05T00:00:00+08:00"),
        ("6月28日 转载自 2024年3月5日 的报道", "2024-03-05T00:00:00+08:00"),
        ("2024-03-05 发布 2024-03-06 更新", "2024-03-05T00:00:00+08:00"),
    ],
)
def test_find_date_prefers_first_full_date_over_relative_or_yearless(line: str, expected: str) -> None:
    assert iso_or_none(find_date(line, now=NOW)) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("6月28日 10:30 来源：中国教育报", "2026-06-28T10:30:00+08:00"),
        ("06-28 10:30 来源", "2026-06-28T10:30:00+08:00"),
        ("昨天 14:20 来源：人民网", "2026-11-19T14:20:00+08:00"),
        ("作者：李明 | 3天前", "2026-11-17T10:00:00+08:00"),
        ("今天 08:15 发布", "2026-11-20T08:15:00+08:00"),
        ("3 days ago · BBC News", "2026-11-17T10:00:00+08:00"),
    ],
)
def test_find_date_falls_back_to_yearless_and_relative(line: str, expected: str) -> None:
    assert iso_or_none(find_date(line, now=NOW)) == expected


@pytest.mark.parametrize(
    "line",
    [
        "",
        "教基〔2022〕1号",
        "国办发〔2024〕12号",
        "京ICP备2020-12-31号",
        "京ICP备05079963号-1",
        "京公网安备 11010502000333号",
        "点击：313 | 来源：新华网",
        "电话：010-62345678",
        "1-2年级 学生",
        "今日头条",
        "2024-13-45 来源：某网",
    ],
)
def test_find_date_returns_none_without_a_date(line: str) -> None:
    assert find_date(line, now=NOW) is None


# --------------------------------------------------------------------------- date_from_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.moe.gov.cn/jyb_xwfb/gzdt/202002/t20200222_423052.html", "2020-02-22T00:00:00+08:00"),
        ("https://news.example.cn/2024/0305/c1006-12345.html", "2024-03-05T00:00:00+08:00"),
        ("https://news.example.cn/2024-03-05/article.html", "2024-03-05T00:00:00+08:00"),
        ("https://news.example.cn/20240305/a1b2c3.html", "2024-03-05T00:00:00+08:00"),
        ("https://www.example.com/2024/03/05/schools-reopen/", "2024-03-05T00:00:00+08:00"),
        ("/2024/3/5/relative-path", "2024-03-05T00:00:00+08:00"),
    ],
)
def test_date_from_url_reads_dates_in_article_paths(url: str, expected: str) -> None:
    assert iso_or_none(date_from_url(url)) == expected


def test_date_from_url_attaches_given_tz() -> None:
    result = date_from_url("https://x.example/2024/03/05/a", tz=UTC)
    assert iso_or_none(result) == "2024-03-05T00:00:00+00:00"


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example.cn/202002/index.html",  # a month, not a day
        "https://news.example.cn/2024/13/45/a.html",
        "https://news.example.cn/a/15010502000333.html",
        "https://news.example.cn/1850/01/01/a.html",
        "https://news.example.cn/list?date=20240305",  # only the path counts
        "https://news.example.cn/",
    ],
)
def test_date_from_url_rejects_urls_without_a_full_date(url: str) -> None:
    assert date_from_url(url) is None


# --------------------------------------------------------------------------- to_iso


@pytest.mark.parametrize(
    ("dt", "expected"),
    [
        (datetime(2024, 3, 5, 14, 30, tzinfo=CHINA_TZ), "2024-03-05T14:30:00+08:00"),
        (datetime(2024, 3, 5, 14, 30, 59, 999999, tzinfo=CHINA_TZ), "2024-03-05T14:30:59+08:00"),
        (datetime(2024, 3, 5, tzinfo=UTC), "2024-03-05T00:00:00+00:00"),
        (datetime(2024, 3, 5, tzinfo=timezone(-timedelta(hours=5))), "2024-03-05T00:00:00-05:00"),
    ],
)
def test_to_iso_writes_seconds_and_offset(dt: datetime, expected: str) -> None:
    assert to_iso(dt) == expected


def test_to_iso_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        to_iso(datetime(2024, 3, 5, 14, 30))


# --------------------------------------------------------------------------- forms templates print


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Clock before the day, with or without the space the template forgot.
        ("15:31 2018/09/16", "2018-09-16T15:31:00+08:00"),
        ("15:312018/09/16 中时", "2018-09-16T15:31:00+08:00"),
        # Time glued to the day, seconds glued to the next word.
        ("2005.08.2605:39", "2005-08-26T05:39:00+08:00"),
        ("2021-01-20 04:29:4439健康网", "2021-01-20T04:29:44+08:00"),
        ("2024-03-05下午2:30 来源：某报", "2024-03-05T14:30:00+08:00"),
        # GMT named in Chinese, before the clock.
        ("更新时间 2012年12月10日, 格林尼治标准时间10:41", "2012-12-10T10:41:00+00:00"),
        # Day-first with dots: no language writes month first that way.
        ("24.01.2022", "2022-01-24T00:00:00+08:00"),
        ("Stand: 24.01.2022 um 17:06", "2022-01-24T17:06:00+08:00"),
        ("3. 5. 2022", "2022-05-03T00:00:00+08:00"),
    ],
)
def test_find_date_reads_forms_templates_print(line: str, expected: str) -> None:
    assert iso_or_none(find_date(line, now=NOW)) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1. Februar 2022 , Redaktion", "2022-02-01T00:00:00+08:00"),
        ("von Redaktion · 22. Oktober 2019", "2019-10-22T00:00:00+08:00"),
        ("22. März 2024 um 17:06 Uhr", "2024-03-22T17:06:00+08:00"),
        ("Publié le 5 mai 2019 à 10:30", "2019-05-05T10:30:00+08:00"),
        ("14 de junio de 2021", "2021-06-14T00:00:00+08:00"),
        ("Publicado em 5 de março de 2022", "2022-03-05T00:00:00+08:00"),
        ("10 dicembre 2019 alle 10:00", "2019-12-10T10:00:00+08:00"),
        ("opublikowano: 7 kwietnia 2021", "2021-04-07T00:00:00+08:00"),
        ("28 września 2020, 10:15", "2020-09-28T10:15:00+08:00"),
    ],
)
def test_find_date_reads_european_month_names(line: str, expected: str) -> None:
    assert iso_or_none(find_date(line, now=NOW)) == expected


@pytest.mark.parametrize("line", ["Mai 2022", "5 Maine 2022", "im Mai", "31. Februar 2022"])
def test_european_month_names_need_day_and_year(line: str) -> None:
    assert find_date(line, now=NOW) is None


@pytest.mark.parametrize("line", ["v1.2.3", "1.2.2024.5", "10:30", "Version 2.10.2024.1"])
def test_find_date_does_not_read_versions_as_dotted_dates(line: str) -> None:
    assert find_date(line, now=NOW) is None


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("04/06/2021 19:48", False, "2021-04-06T19:48:00+08:00"),
        ("04/06/2021 19:48", True, "2021-06-04T19:48:00+08:00"),
        ("11/06/2021 04:17 pm", True, "2021-06-11T16:17:00+08:00"),
        # Year-first forms never change with the language.
        ("2022-05-03", True, "2022-05-03T00:00:00+08:00"),
        ("2022/05/03", True, "2022-05-03T00:00:00+08:00"),
    ],
)
def test_dayfirst_reads_slashed_dates_as_the_page_language_means_them(text: str, dayfirst: bool, expected: str) -> None:
    assert iso_or_none(parse_date(text, now=NOW, dayfirst=dayfirst)) == expected
    assert iso_or_none(find_date(f"Por Redação | {text}", now=NOW, dayfirst=dayfirst)) == expected


@pytest.mark.parametrize("text", ["6月28日", "3天前", "昨天 14:20", "06-28 10:30"])
def test_partial_false_refuses_yearless_and_relative_dates(text: str) -> None:
    assert parse_date(text, now=NOW) is not None
    assert parse_date(text, now=NOW, partial=False) is None
    assert find_date(text, now=NOW, partial=False) is None


def test_find_date_with_partial_false_still_reads_full_dates() -> None:
    assert iso_or_none(find_date("5月18日晚 2024-05-20 09:37", now=NOW, partial=False)) == "2024-05-20T09:37:00+08:00"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://travel.example.cn/txt/2024-05/20/content_117199185.shtml", "2024-05-20T00:00:00+08:00"),
        ("http://www.example.cn/n1/202405/20/c1234.html", "2024-05-20T00:00:00+08:00"),
        ("https://tw.example.com/new/realtime/20160521/867195/", "2016-05-21T00:00:00+08:00"),
        ("http://www.example.gov.cn/zwgk/2024-05/t20240520_123456.html", "2024-05-20T00:00:00+08:00"),
    ],
)
def test_date_from_url_reads_month_folder_and_compact_forms(url: str, expected: str) -> None:
    assert iso_or_none(date_from_url(url)) == expected


def test_date_from_url_refuses_dates_after_the_crawl() -> None:
    assert date_from_url("https://x.example/2026/12/24/a", now=NOW) is None
    assert date_from_url("https://x.example/2026/11/20/a", now=NOW) is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1659274471", "2022-07-31T21:34:31+08:00"),
        (" 1523110915 ", "2018-04-07T22:21:55+08:00"),
        ("1659274471000", None),  # milliseconds
        ("165927447", None),
        ("abc", None),
        ("1999999999", None),  # 2033: after now.year + 1
    ],
)
def test_date_from_timestamp_reads_unix_seconds_in_the_page_zone(value: str, expected: str | None) -> None:
    assert iso_or_none(date_from_timestamp(value, now=NOW)) == expected


def test_date_reader_without_crawl_time_refuses_what_it_cannot_place() -> None:
    archived = DateReader(now=None, tz=CHINA_TZ)
    assert archived.find("6月28日 10:30 来源：某报") is None
    assert archived.parse("3天前") is None
    assert iso_or_none(archived.find("2024-06-28 10:30 来源：某报")) == "2024-06-28T10:30:00+08:00"
    crawled = DateReader(now=NOW, tz=CHINA_TZ)
    assert iso_or_none(crawled.find("6月28日 10:30 来源：某报")) == "2026-06-28T10:30:00+08:00"


def test_date_reader_parse_falls_back_to_a_date_inside_noise() -> None:
    reader = DateReader(now=NOW, tz=UTC)
    assert iso_or_none(reader.parse("2024-03-05T14:30:00Z")) == "2024-03-05T14:30:00+00:00"
    assert iso_or_none(reader.parse("Published 2024-03-05 by staff")) == "2024-03-05T00:00:00+00:00"


# --------------------------------------------------------------------------- metadata.published_at on whole pages
# Small hand-made pages: a sidebar or list with its own dates, a headline, a meta line, the text.

SITE_URL = "https://news.example.cn/a/abc.html"
TEXT = "<p>全市中小学今天开学，各校围绕课后服务、食堂管理和校园安全做了准备，家长普遍表示满意。</p>"


def read_page(html: str) -> tuple[Selector, list[Block]]:
    selector = Selector(text=html)
    return selector, split_blocks(selector.root, SITE_URL)


def index_of(blocks: list[Block], start: str) -> int:
    return next(index for index, block in enumerate(blocks) if block.text.startswith(start))


def published(
    html: str,
    *,
    headline: str | None = "春季开学",
    body: str | None = "全市中小学",
    url: str = SITE_URL,
    now: datetime | None = NOW,
    tz: tzinfo = CHINA_TZ,
) -> str | None:
    selector, blocks = read_page(html)
    header = metadata.header_blocks(
        blocks, index_of(blocks, headline) if headline else None, index_of(blocks, body) if body else None
    )
    found = metadata.published_at(selector, metadata.meta_lines(blocks), url, now=now, tz=tz, header=header)
    return iso_or_none(found)


def test_meta_line_under_the_headline_beats_sidebar_and_list_dates() -> None:
    html = (
        "<html><body><ul><li>往期回顾 2023-09-01</li><li>招生简章 2023-08-15</li></ul>"
        "<h1>春季开学</h1><div>2024-03-05 10:20 来源：江州教育</div>" + TEXT + "<div>相关阅读 2022-01-01</div>"
        "<footer>2021-12-31 版权所有</footer></body></html>"
    )
    assert published(html) == "2024-03-05T10:20:00+08:00"


def test_meta_line_beats_a_structured_date_of_another_day() -> None:
    html = (
        '<html><head><meta property="article:published_time" content="2024-02-01T08:00:00+08:00"></head><body>'
        "<h1>春季开学</h1><p>发布时间：2024-03-05</p>" + TEXT + "</body></html>"
    )
    assert published(html) == "2024-03-05T00:00:00+08:00"


def test_date_printed_above_the_headline_counts() -> None:
    html = "<html><body><div>2024年3月5日 星期二</div><h1>春季开学</h1>" + TEXT + "</body></html>"
    assert published(html) == "2024-03-05T00:00:00+08:00"


def test_meta_zone_ends_at_running_text_when_the_body_starts_at_the_headline() -> None:
    html = (
        "<html><body><h1>春季开学</h1><div>江州教育</div><div>关注</div><div>2024-03-05 10:20</div>"
        + TEXT
        + "<p>校长说，2024-02-20已经完成全部检查。</p></body></html>"
    )
    assert published(html, body="春季开学") == "2024-03-05T10:20:00+08:00"


def test_a_paragraph_that_mentions_a_year_less_date_is_not_the_meta_line() -> None:
    # Running text at the body start: 3月1日 is an event, the date comes from the URL instead.
    html = "<html><body><h1>春季开学</h1><p>江州讯 3月1日起，全市推行课后服务。</p>" + TEXT + "</body></html>"
    assert published(html, body="江州讯", url="https://news.example.cn/2024/0305/c1.html") == (
        "2024-03-05T00:00:00+08:00"
    )


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta property="article:published_time" content="2024-03-05T14:30:00+08:00">', "2024-03-05T14:30:00+08:00"),
        ('<meta name="PubDate" content="2024-03-05 14:30">', "2024-03-05T14:30:00+08:00"),
        ('<meta itemprop="datePublished" content="2024-03-05">', "2024-03-05T00:00:00+08:00"),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-03-05T06:30:00Z"}'
            "</script>",
            "2024-03-05T06:30:00+00:00",
        ),
    ],
)
def test_structured_dates_stand_in_when_no_meta_line_shows_one(head: str, expected: str) -> None:
    html = f"<html><head>{head}</head><body><h1>春季开学</h1>" + TEXT + "</body></html>"
    assert published(html) == expected


@pytest.mark.parametrize(
    "markup",
    [
        '<span itemprop="datePublished" content="2024-03-05T14:30:00+08:00"></span>',
        '<aside><time datetime="2024-03-05T14:30:00+08:00" pubdate>March 5</time></aside>',
    ],
)
def test_structured_dates_in_the_body_markup(markup: str) -> None:
    html = "<html><body><h1>春季开学</h1>" + TEXT + markup + "</body></html>"
    assert published(html) == "2024-03-05T14:30:00+08:00"


def test_a_date_only_line_takes_the_time_of_a_structured_date_on_the_same_day() -> None:
    html = (
        '<html lang="en"><head><meta property="article:published_time" content="2024-03-05 09:53:00 -0400">'
        "</head><body><h1>Schools reopen</h1><div>by Jane Doe March 5, 2024</div>"
        "<p>Schools across the county reopened on Tuesday, with new lunch and safety rules in place.</p>"
        "</body></html>"
    )
    assert published(html, headline="Schools reopen", body="Schools across", tz=UTC) == "2024-03-05T09:53:00-04:00"


def test_a_utc_structured_time_does_not_move_the_day_the_page_shows() -> None:
    # 02:25 UTC on the 6th is the evening of the 5th in New York, the day the page prints.
    html = (
        '<html lang="en"><head><meta property="article:published_time" content="2024-03-06T02:25:00Z"></head>'
        "<body><h1>Schools reopen</h1><div>March 5, 2024</div>"
        "<p>Schools across the county reopened on Tuesday, with new lunch and safety rules in place.</p>"
        "</body></html>"
    )
    found = published(html, headline="Schools reopen", body="Schools across", tz=UTC)
    assert found is not None and found.startswith("2024-03-05T")
    assert datetime.fromisoformat(found) == datetime(2024, 3, 6, 2, 25, tzinfo=UTC)


def test_a_visible_time_element_makes_the_shown_date_exact() -> None:
    html = (
        "<html><body><h1>春季开学</h1>"
        '<div>江州教育 <time datetime="2024-03-05T10:20:30+08:00">2024-03-05</time></div>' + TEXT + "</body></html>"
    )
    assert published(html) == "2024-03-05T10:20:30+08:00"


def test_the_text_wins_over_a_time_element_of_another_day() -> None:
    html = (
        "<html><body><h1>春季开学</h1>"
        '<div><time datetime="2024-03-09T08:00:00+08:00">2024-03-05 10:20</time></div>' + TEXT + "</body></html>"
    )
    assert published(html) == "2024-03-05T10:20:00+08:00"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # The update date is set apart; the structured publication date wins.
        ("Last Updated: March 9, 2024", "2024-03-01T08:00:00+00:00"),
        # Before the label it is still the publication date.
        ("March 4, 2024 / Updated March 9, 2024", "2024-03-04T00:00:00+00:00"),
    ],
)
def test_dates_labelled_as_updates_yield_to_the_publication_date(line: str, expected: str) -> None:
    html = (
        '<html lang="en"><head><meta property="article:published_time" content="2024-03-01T08:00:00Z"></head>'
        f"<body><h1>Schools reopen</h1><div>{line}</div>"
        "<p>Schools across the county reopened on Tuesday, with new lunch and safety rules in place.</p>"
        "</body></html>"
    )
    assert published(html, headline="Schools reopen", body="Schools across", tz=UTC) == expected


def test_a_publication_date_after_an_update_on_one_line_is_the_pages_date() -> None:
    html = (
        "<html><body><h1>春季开学</h1><div><span>更新时间：2024-03-09 16:00</span> "
        "<span>发布时间：2024-03-05 10:20</span></div>" + TEXT + "</body></html>"
    )
    assert published(html) == "2024-03-05T10:20:00+08:00"


def test_an_update_date_is_used_when_the_page_shows_no_other() -> None:
    html = "<html><body><h1>春季开学</h1><div>更新时间：2024-03-09 16:00</div>" + TEXT + "</body></html>"
    assert published(html) == "2024-03-09T16:00:00+08:00"


def test_wechat_posts_take_the_time_their_script_renders() -> None:
    html = (
        '<html><body><h1>春季开学</h1><div>江州教育</div><script>var ct = "1709605800";</script>'
        + TEXT
        + "</body></html>"
    )
    assert published(html) == "2024-03-05T10:30:00+08:00"


def test_a_date_after_the_crawl_is_refused() -> None:
    html = (
        '<html><head><meta name="publishdate" content="2024-03-05"></head><body>'
        "<h1>春季开学</h1><div>2027-01-01 09:00</div>" + TEXT + "</body></html>"
    )
    assert published(html) == "2024-03-05T00:00:00+08:00"


def test_without_a_crawl_time_year_less_dates_are_not_guessed() -> None:
    html = "<html><body><h1>春季开学</h1><div>6月28日 10:30</div>" + TEXT + "</body></html>"
    assert published(html, now=NOW) == "2026-06-28T10:30:00+08:00"
    assert published(html, now=None, url="https://news.example.cn/2024/0628/a.html") == "2024-06-28T00:00:00+08:00"


def test_a_chinese_page_that_claims_english_is_read_in_china_time() -> None:
    html = '<html lang="en"><body><h1>春季开学</h1><div>时间：2024-03-05 17:08</div>' + TEXT + "</body></html>"
    assert published(html, tz=UTC) == "2024-03-05T17:08:00+08:00"


def test_htmldate_is_the_last_resort() -> None:
    # No meta line near the headline, no structured data, no date in the URL: htmldate finds the
    # date the page prints at its foot.
    html = (
        "<html><body><h1>春季开学</h1>" + TEXT + "<p>全市各校还将开展安全教育周活动。</p>"
        '<div class="post-date">Posted 2024-03-05</div></body></html>'
    )
    assert published(html, body="全市中小学") == "2024-03-05T00:00:00+08:00"


def test_no_date_anywhere_gives_none() -> None:
    assert published("<html><body><h1>春季开学</h1>" + TEXT + "</body></html>") is None


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("", False),
        ("en", False),
        ("en-US", False),
        ("zh-CN", False),
        ("ja", False),
        ("en-GB", True),
        ("es", True),
        ("pt-br", True),
        ("de-DE", True),
    ],
)
def test_day_first_follows_the_page_language(lang: str, expected: bool) -> None:
    attribute = f' lang="{lang}"' if lang else ""
    assert metadata.day_first(Selector(text=f"<html{attribute}><body></body></html>")) is expected


@pytest.mark.parametrize(
    ("html", "declared"),
    [
        ('<html lang=" zh_CN "><body></body></html>', "zh-cn"),
        ('<html lang="de" xml:lang="en"><body></body></html>', "de"),
        ("<html><body><p lang='fr'>Bonjour</p></body></html>", ""),
    ],
)
def test_the_declared_language_is_the_html_elements_in_one_spelling(html: str, declared: str) -> None:
    assert metadata.declared_language(Selector(text=html)) == declared


@pytest.mark.parametrize(
    ("text", "chinese"),
    [
        ("教育部召开全国教育工作会议", True),
        ("The 2024 教育 conference opened in Beijing on Monday", False),
        ("教育部召开会议 Ministry", True),
        ("教育部 Ministry of Education", False),
        ("", False),
    ],
)
def test_text_is_read_as_chinese_when_han_makes_a_third_of_its_letters(text: str, chinese: bool) -> None:
    assert metadata.writes_chinese(text) is chinese


def test_the_first_labelled_line_that_shows_a_date_gives_it() -> None:
    reader = DateReader(now=datetime(2024, 6, 1, tzinfo=UTC))
    lines = ["来源：教育部", "发布时间：2024-05-20 10:30", "更新时间：2024-05-21"]
    assert reader.first_in(lines) == datetime(2024, 5, 20, 10, 30, tzinfo=CHINA_TZ)
    assert reader.first_in(["来源：教育部"]) is None


@pytest.mark.parametrize(
    ("scripts", "expected"),
    [
        (['{"@type": "NewsArticle", "datePublished": "2024-03-05"}'], "2024-03-05"),
        (['[{"@type": "WebSite"}, {"@type": "BlogPosting", "datePublished": "2024-03-05"}]'], "2024-03-05"),
        (
            [
                '{"@graph": [{"@type": "WebPage", "datePublished": "2024-03-01"}, '
                '{"@type": "Article", "datePublished": "2024-03-05"}]}'
            ],
            "2024-03-05",
        ),
        # A review nested in the item carries its own, later date.
        (
            [
                '{"@type": "Product", "datePublished": "2024-03-05", '
                '"review": [{"@type": "Review", "datePublished": "2024-04-01"}]}'
            ],
            "2024-03-05",
        ),
        # Not valid JSON (trailing comma): the date is still read.
        (['{"@type": "NewsArticle", "datePublished": "2024-03-05",}'], "2024-03-05"),
        (['{"@type": "Organization", "name": "江州教育"}'], None),
        ([], None),
    ],
)
def test_jsonld_published_finds_the_pages_own_item(scripts: list[str], expected: str | None) -> None:
    assert metadata.jsonld_published(scripts) == expected


def test_header_blocks_are_ordered_nearest_first_and_skip_long_text() -> None:
    long_text = "<p>" + "全市中小学今天开学，各校做了充分准备。" * 8 + "</p>"
    html = (
        "<html><body><div>导航</div><div>上方一</div><h1>春季开学</h1><div>甲</div><div></div><div>乙</div>"
        + long_text
        + "<p>短行</p><p>第三行</p><p>第四行</p></body></html>"
    )
    _, blocks = read_page(html)
    header = metadata.header_blocks(blocks, index_of(blocks, "春季开学"), index_of(blocks, "全市中小学"))
    assert [block.text for block in header] == ["甲", "乙", "短行", "第三行", "上方一", "导航"]


def test_header_blocks_keep_the_end_of_a_long_gap() -> None:
    sidebar = "".join(f"<li>栏目{n}</li>" for n in range(30))
    html = "<html><body><h1>春季开学</h1>" + sidebar + "<div>2024-03-05</div>" + TEXT + "</body></html>"
    _, blocks = read_page(html)
    header = metadata.header_blocks(blocks, index_of(blocks, "春季开学"), index_of(blocks, "全市中小学"))
    texts = [block.text for block in header]
    assert "2024-03-05" in texts and "栏目20" not in texts


def test_header_blocks_need_a_headline_or_a_body() -> None:
    _, blocks = read_page("<html><body><p>2024-03-05</p></body></html>")
    assert metadata.header_blocks(blocks, None, None) == []


ENGLISH_TEXT = (
    "<p>The district board voted on Tuesday to open two new middle schools next autumn, "
    "after a year of crowded classrooms.</p>"
)


def _english_page(meta_time: str, shown: str) -> str:
    return (
        f'<html lang="en"><head><meta property="article:published_time" content="{meta_time}"></head>'
        f"<body><h1>Two new schools</h1><div>{shown}</div>{ENGLISH_TEXT}</body></html>"
    )


@pytest.mark.parametrize(
    ("meta_time", "expected"),
    [
        # The page's own structured time says it is written in China's time: CST is China's.
        ("2024-03-05T09:00:00+08:00", "2024-03-05T22:00:00+08:00"),
        # Written in US Eastern time: CST is US Central.
        ("2024-03-05T09:00:00-05:00", "2024-03-05T22:00:00-06:00"),
        # UTC says nothing of the site (many CMSs store UTC): the language decides, US Central.
        ("2024-03-05T09:00:00Z", "2024-03-05T22:00:00-06:00"),
    ],
)
def test_cst_is_read_in_the_zone_the_page_declares_elsewhere(meta_time: str, expected: str) -> None:
    html = _english_page(meta_time, "March 5, 2024 10:00 PM CST")
    assert published(html, headline="Two new schools", body="The district board", tz=UTC) == expected


def test_a_time_shown_without_a_zone_is_in_the_zone_the_page_declares() -> None:
    jsonld = '<script type="application/ld+json">{"datePublished": "2022-05-03T22:46:00-03:00"}</script>'
    html = _english_page("2022-05-03", "May 3, 2022 at 10:46 pm").replace(
        '<meta property="article:published_time" content="2022-05-03">', jsonld
    )
    assert published(html, headline="Two new schools", body="The district board", tz=UTC) == "2022-05-03T22:46:00-03:00"


def test_a_chinese_page_declaring_a_us_offset_reads_cst_as_us_central() -> None:
    html = (
        '<html lang="zh"><head><meta property="article:published_time" content="2024-03-05T09:00:00-06:00"></head>'
        "<body><h1>春季开学</h1><div>发布时间：2024-03-05 22:00 CST</div>" + TEXT + "</body></html>"
    )
    assert published(html) == "2024-03-05T22:00:00-06:00"
