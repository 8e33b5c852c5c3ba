"""Bylines read like bylines: labels start a word, authors and 来源 come from the article's header and
closing lines, and what follows a label must look like a person's name (not an outlet, a title, an action
or a file) to be an author."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extraction import metadata
from crawler.extraction.extract import extract_article
from crawler.extraction.pages import RawPage
from crawler.extraction.processors import clean_name, named_outlet, names_in_byline, split_names

PARAGRAPH = "市教育局今天召开会议，部署今年暑期中小学安全工作，要求各校在放假前完成一次安全隐患排查。"
EMPTY = Selector(text="<html><body></body></html>")


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("王小明", True),
        ("十三", True),
        ("阿依古丽·买买提", True),
        ("Jane Smith", True),
        ("某市晚报", False),  # an outlet
        ("央视", False),
        ("总台央视记者", False),  # an outlet and a role
        ("政策解读", False),  # what a label happened to precede
        ("下载附件", False),
        ("某网新闻王小明", False),  # an outlet before the name: not a name's shape
        ("文丨特约评论员", False),
        ("news_mobile", False),  # an account
        ("103553", False),  # a CMS id
    ],
)
def test_a_name_must_look_like_a_persons(name: str, kept: bool) -> None:
    assert (clean_name(name) is not None) is kept


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("原文：政策解读", []),
        ("全文：下载附件", []),
        ("作者：王小明", ["王小明"]),
        ("本报记者 王乐文 方 敏", ["王乐文", "方敏"]),
        ("2023-06-15 08:10 来源：某市新闻网 王芳", ["王芳"]),
        ("2023-06-15 08:10 来源：某市新闻网 政策解读", []),
    ],
)
def test_authors_come_from_labels_that_start_a_word_and_from_byline_lines(line: str, names: list[str]) -> None:
    found = [name for name in metadata.authors(EMPTY, [line], header=[line]) if clean_name(name)]
    assert found == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("本报讯（记者李华）近日，市青少年宫启动心理健康项目。", ["李华"]),
        ("（中央社記者林小明臺北5日電）市府今天宣布", ["林小明"]),
        ("（某台记者 赵晓东）", ["赵晓东"]),
        ("（记者 张三 通讯员 李四）", ["张三", "李四"]),
    ],
)
def test_a_bracketed_byline_needs_no_space_after_the_role(text: str, names: list[str]) -> None:
    assert names_in_byline(text) == names


def test_two_lone_characters_are_one_name() -> None:
    assert split_names("王乐文 方 敏") == ["王乐文", "方敏"]


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("某市商报讯（记者 张三）5月20日，市场监管局公布", "某市商报"),
        ("新华社北京5月9日电（记者 张三）", "新华社"),
        ("（中央社記者林小明臺北5日電）市府今天宣布", "中央社"),
        ("本报讯（记者 张三）近日", None),
        ("记者从市教育局获悉，今年秋季学期", None),
    ],
)
def test_the_outlet_a_lead_or_wire_byline_names(text: str, outlet: str | None) -> None:
    assert named_outlet(text) == outlet


@pytest.mark.parametrize(
    ("lines", "source"),
    [
        (["来源：某市日报2024-05-13"], "某市日报"),
        (["本文来源于某市商报 2024-05-20 09:47:48"], "某市商报"),
        (["来源：某市日报 作者：王小明"], "某市日报"),
    ],
)
def test_the_source_label_ends_where_a_date_or_label_starts(lines: list[str], source: str) -> None:
    assert metadata.source(EMPTY, lines) == source


@pytest.mark.parametrize(
    ("lines", "source"),
    [(["2024-05-20 14:33·某市晚报"], "某市晚报"), (["2024-05-20 14:33·王小明"], None), ([PARAGRAPH], None)],
)
def test_a_meta_line_names_the_outlet_after_its_date(lines: list[str], source: str | None) -> None:
    assert metadata.named_source(lines) == source


def test_the_sites_and_sources_names_and_the_editors_are_not_authors() -> None:
    assert metadata.people(["某易", "王小明", "刘编辑"], ["某易", None], ["刘编辑"]) == ["王小明"]
    assert metadata.people(["Riverside News", "Jane Doe"], ["Riverside News Online"], []) == ["Jane Doe"]


def test_labelled_lines_far_from_the_article_give_no_author_or_source() -> None:
    sidebar = "".join(f"<li><a href='/n/{n}.html'>其他新闻标题第{n}条</a></li>" for n in range(8))
    html = (
        "<html><head><meta charset='utf-8'><title>市教育局部署暑期安全工作_某市教育网</title></head><body>"
        "<div class='main'><h1>市教育局部署暑期安全工作</h1><p>2026-07-01 09:00 来源：某市日报</p>"
        f"<div class='content'>{f'<p>{PARAGRAPH}</p>' * 6}</div></div>"
        f"<div class='side'><ul>{sidebar}</ul><p>原文：政策解读</p><p>作者：赵六</p><p>来源：某县广播电视台</p></div>"
        "</body></html>"
    )
    page = RawPage("http://www.example.edu.cn/news/2026/0701/1.html", html.encode(), {"Content-Type": "text/html"})
    article = extract_article(page)
    assert article.authors == []
    assert article.source == "某市日报"


def test_authors_come_in_reading_order_with_unshown_names_last() -> None:
    text = "本报讯（记者 张三）今天…\n（文/王小明）"
    assert metadata.in_reading_order(["王小明", "Meta Author", "张三"], text) == ["张三", "王小明", "Meta Author"]
