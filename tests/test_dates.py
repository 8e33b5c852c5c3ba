"""Tests for crawler.dates: dates as Chinese and English education-news pages write them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.dates import CHINA_TZ, date_from_url, find_date, parse_date, to_iso

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
