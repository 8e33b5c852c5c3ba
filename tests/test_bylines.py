"""Bylines read like bylines: labels start a word, authors and 来源 come from the article's header and
closing lines, and what follows a label must look like a person's name (not an outlet, a title, an action
or a file) to be an author."""

from __future__ import annotations

from dataclasses import replace

import pytest
from parsel import Selector

from crawler.extraction import metadata
from crawler.extraction.blocks import Block
from crawler.extraction.extract import extract_article
from crawler.extraction.items import Article
from crawler.extraction.pages import RawPage
from crawler.extraction.processors import (
    clean_name,
    closing_names,
    named_outlet,
    names_in_byline,
    reporter_names,
    split_names,
)

PARAGRAPH = "市教育局今天召开会议，部署今年暑期中小学安全工作，要求各校在放假前完成一次安全隐患排查。"
EMPTY = Selector(text="<html><body></body></html>")


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("王小明", True),
        ("十三", True),
        ("阿依古丽·买买提", True),
        ("阿依古丽•买买提", True),  # a bullet typed for the middle dot
        ("阿依古丽・买买提", True),  # the katakana middle dot
        ("Jane Smith", True),
        ("某市晚报", False),  # an outlet
        ("某市第一中学", False),  # a school
        ("央视", False),
        ("总台央视记者", False),  # an outlet and a role
        ("政策解读", False),  # what a label happened to precede
        ("下载附件", False),
        ("某网新闻王小明", False),  # an outlet before the name: not a name's shape
        ("文丨特约评论员", False),
        ("news_mobile", False),  # an account
        ("103553", False),  # a CMS id
        ("Maria de la Cruz", True),  # particles are no words
        ("View my complete profile", False),  # a link's label
        ("See all stories by Jane Smith »", False),
        ("Harbour Radio (www.harbourradio.com)", False),  # an outlet's credit with its web address
        ("https://news.example.org/staff", False),
        ("作者", False),  # a label alone, whose name did not read as one (作者 admin)
        ("記者", False),
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
        ("本报记者 周明远 何 静", ["周明远", "何静"]),
        ("2023-06-15 08:10 来源：某市新闻网 王芳", ["王芳"]),
        ("2023-06-15 08:10 来源：某市新闻网 政策解读", []),
        ("2023-06-15来源：某市日报作者：王小明", ["王小明"]),  # two spans with no space between
        ("来源：某市日报编者：王小明", []),
        ("文字：王小明 摄影：李华", ["王小明"]),
        ("作者丨王小明", ["王小明"]),
        ("作者 | 王小明 来源 | 某市日报", ["王小明"]),
        ("中文|English", []),
        ("（王小明）", ["王小明"]),
        ("（高清组图）", []),
        ("撰文：王小明", ["王小明"]),
        ("采写：王小明 李华", ["王小明", "李华"]),
        ("文稿：王小明 图片：李华 初审：赵刚", ["王小明"]),  # a school site's credit for the text
        ("记者丨王小明", ["王小明"]),
        ("记者：王小明 编辑：李华", ["王小明"]),  # the editor's label ends the authors
        ("文丨王小明 编辑丨李华 审核丨赵刚", ["王小明"]),
        ("记者 王小明 编辑 李华 审核 赵刚", ["王小明"]),
        ("某经记者 王小明 某经编辑 李华", ["王小明"]),  # the paper's short name before the editor's role
        ("本报记者 王小明 北京报道", ["王小明"]),  # where it was filed from is not a name
        ("记者王小明报道", ["王小明"]),
        ("本报记者 王小明 发自北京", ["王小明"]),
        ("王小明 发自 某地", ["王小明"]),
        ("我们发自内心地感谢", []),  # no surname leads it: a sentence
        ("王小明 李华 报道", ["王小明", "李华"]),  # who reported it, closing a TV or county story
        ("新闻报道", []),
        ("王小明／台中報導", ["王小明"]),
        ("生活中心／綜合報導", []),  # a desk, not a person
        ("某新聞網記者王小明／台北報導", ["王小明"]),
        ("作者 王小明", ["王小明"]),
        ("王小明/文", ["王小明"]),  # signed after the names
        ("王小明 文/图", ["王小明"]),
        ("2026-07-01 09:00　王小明", ["王小明"]),  # a name after the meta line's date
        ("2026-07-01 09:00　金城晚报", []),  # an outlet there is the source
        ("2026-07-01 09:00 | 王小明 | 金城晚报", ["王小明"]),  # the field after the date, where bars part them
        ("2026-07-01 09:00 | 金城晚报 | 王小明", []),
        ("文/图 王小明", ["王小明"]),  # text and pictures by one writer
        ("图文：王小明", ["王小明"]),
        ("图/王小明", []),  # pictures only
        ("本报评论员 王小明", ["王小明"]),
        ("记者 王小明 实习生 李华", ["王小明", "李华"]),
        ("发布时间：2026-07-01 09:00 见习记者 王小明", ["王小明"]),  # a rank before the role, after the date
        ("学生记者 王小明 校园记者 李华", ["王小明", "李华"]),  # school news' student reporters
        ("图文直播", []),
        ("某中文网记者 Jane Smith", ["Jane Smith"]),  # a foreign reporter's name in Latin letters
        ("文/Jane Smith 编辑/李华", ["Jane Smith"]),
        ("文／王小明", ["王小明"]),  # a full-width slash for the colon
        ("作者︱王小明", ["王小明"]),  # the bars of other code points
        ("记者│王小明 李华", ["王小明", "李华"]),
        ("本文作者：王小明", ["王小明"]),
        ("作者：约翰·史密斯", ["约翰·史密斯"]),  # a transliterated name is one name
        ("作者：王小明 约翰·史密斯", ["王小明", "约翰·史密斯"]),
        ("记者 王小明 视频 李华", ["王小明"]),  # a video credit, as a photo credit, names no writer
        ("主笔：王小明", ["王小明"]),
        ("作者：某某大学 王小明", ["王小明"]),  # the writer's school is not a writer
        ("撰文/摄影：王小明", ["王小明"]),  # words and pictures by one writer
        ("文字/摄影：王小明", ["王小明"]),
        ("文字/王小明 图片/李华", ["王小明"]),  # 图片 credits the pictures: no name
        ("记者：王小明 通讯员：李华", ["王小明", "李华"]),  # every writer's label of the line
        ("记者：王小明 编辑：李华 通讯员：赵刚", ["王小明", "赵刚"]),
        ("【作者】王小明", ["王小明"]),  # a bracketed label needs no colon
        ("［作者］王小明 李华", ["王小明", "李华"]),
        ("撰稿：初二（3）班 王小明", ["王小明"]),  # a student writer's class is no name
        ("作者：高三(1)班 王小明 李华", ["王小明", "李华"]),
        ("作者：约翰•史密斯", ["约翰•史密斯"]),  # a transcribed name joined by a bullet is one name
        ("记者 约翰・史密斯 李华", ["约翰・史密斯", "李华"]),
        ("王小明 撰稿", ["王小明"]),  # signed after the names with a writing credit
        ("王小明/执笔", ["王小明"]),
        ("执笔人：王小明", ["王小明"]),
        ("文章作者：王小明", ["王小明"]),  # a word may qualify 作者 or 记者
        ("作者简介：王小明，某某大学教育学院教授。", ["王小明"]),  # the note on the writer closing a column
        ("作者简介：某某大学教授，从事基础教育研究。", []),
        ("本文转自某某日报，作者王小明", ["王小明"]),  # a repost's credit: the label glued to the last name
        ("作者认为这一做法值得推广", []),  # a sentence about the writer
        ("作者姓名：王小明", ["王小明"]),
        ("本网记者：王小明", ["王小明"]),
        ("文字记者：王小明 李华", ["王小明", "李华"]),
        ("优秀教育工作者：张三、李四", []),  # 作者 inside another word
        ("摄影记者：李华", []),  # a photographer
        ("作者：王小明/李华", ["王小明", "李华"]),  # a slash or a semicolon between names
        ("作者：王小明；李华", ["王小明", "李华"]),
        ("作者：王小明等", ["王小明"]),  # "et al." is no part of the name
        ("作者：王小明来源：某市日报", ["王小明"]),  # the next field's label glued to the name
        ("撰稿人：王小明 发布时间：2026-07-01", ["王小明"]),  # the next field's label is no name
        ("文◎王小明", ["王小明"]),  # a printed paper's byline marks
        ("□ 王小明 李华", ["王小明", "李华"]),
        ("◎王小明", ["王小明"]),
        ("王小明 2026-07-01 09:00", ["王小明"]),  # a poster's name before the date
        ("时间 2026-07-01", []),  # a label before the date
        ("作者：未知 来源：网络", []),  # what a content farm's CMS prints where no writer is given
        ("作者：综合 来源：某某网", []),  # a portal's story compiled from several reports
        ("作者：网络", []),
        ("作者：原创", []),
        ("作者：转载", []),
        ("文/王小明 近日，区教育局召开新学期工作会", ["王小明"]),  # a byline glued to the lead
        ("作者：王小明 李华，均为某某中学教师", ["王小明", "李华"]),  # a surname leads the last name
        ("作者：王小明（某某大学）、李华（某某中学）", ["王小明", "李华"]),  # each writer's school after the name
        ("记者 阿不都热合曼·买买提", ["阿不都热合曼·买买提"]),  # a transcribed name's parts run past eight
        ("王小明/文 李华/图", ["王小明"]),  # the photographer signs after the writer
        ("王小明／文", ["王小明"]),
        ("撰稿：Anna Berg、林小华", ["Anna Berg", "林小华"]),  # a list may change script at its 、
        ("撰稿：林小华、Anna Berg", ["林小华", "Anna Berg"]),
        ("作者：王小明 CCTV", ["王小明"]),  # but not at a space
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
        ("記者林小華／台中報導", ["林小華"]),  # the slash bounds the names
        ("〔記者林小華／台中報導〕市府今天宣布", ["林小華"]),
        ("新京报讯（记者王小明 通讯员李华）近日", ["王小明", "李华"]),  # the next role needs no space either
        ("【某时报记者 王小明 李华】", ["王小明", "李华"]),
        ("记者从市教育局获悉，今年秋季学期", []),
        ("（某某時報記者王小明台北報導）", ["王小明"]),  # a Taiwan paper's bracketed byline
        ("【記者王小明╱台北報導】", ["王小明"]),  # the box-drawing slash some papers set for ／
        ("某某报客户端北京7月1日电（某某报·某某网记者 王小明）", ["王小明"]),  # a joint outlet's dot
        ("记者 王小明 摄", []),  # a picture's credit
        ("（新华社记者 王小明 摄）", []),
        ("图为会场。（记者王小明摄）", []),  # the credit glued to the name it closes
        ("（圖／記者林小華攝）", []),
        ("記者阿里·木沙／花蓮報導", ["阿里·木沙"]),  # a transcribed name's parts joined by a dot
        ("記者林小華、陳大明／台中報導", ["林小華", "陳大明"]),
        ("記者林小華，陳大明／台中報導", ["林小華", "陳大明"]),
        ("某某網 | 林小華 綜合報導", ["林小華"]),  # a space for the slash where the report word closes it
        ("生活中心 綜合報導", []),
    ],
)
def test_a_byline_bounded_by_brackets_or_a_slash_needs_no_space_after_the_role(text: str, names: list[str]) -> None:
    assert names_in_byline(text) == names


def test_two_lone_characters_are_one_name() -> None:
    assert split_names("周明远 何 静") == ["周明远", "何静"]


@pytest.mark.parametrize(
    ("run", "names"),
    [
        ("王晓峰和李明", ["王晓峰", "李明"]),  # "and" glued between two names
        ("王晓峰与李明", ["王晓峰", "李明"]),
        ("王晓峰 和 李明", ["王晓峰", "李明"]),
        ("王明和李华", ["王明", "李华"]),  # two characters each side: "and", not a name ending in 和
        ("张伟与刘小洋", ["张伟", "刘小洋"]),
        ("李永和 王明", ["李永和", "王明"]),  # a name that ends in 和, parted from the next by a space
    ],
)
def test_names_joined_by_and_are_two_names(run: str, names: list[str]) -> None:
    assert split_names(run) == names


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("某市商报讯（记者 张三）5月20日，市场监管局公布", "某市商报"),
        ("新华社北京5月9日电（记者 张三）", "新华社"),
        ("某某网5月9日电 (记者 张三)", "某某网"),  # a dateline without the place
        ("（中央社記者林小明臺北5日電）市府今天宣布", "中央社"),
        ("本报讯（记者 张三）近日", None),
        ("记者从市教育局获悉，今年秋季学期", None),
        ("某某网消息（记者 张三）：近日", "某某网"),  # a site's lead
        ("某某新闻网消息：近日", "某某新闻网"),
        ("最新消息：截至今天中午", None),  # a phrase, not an outlet's name
        ("【某報專訊】本港今日", "某報"),  # a Hong Kong paper's own report
        ("（中央社臺北5日電）市府今天宣布", "中央社"),  # an agency's dateline with no reporter
        ("某某日报记者 张三 李四", "某某日报"),  # the outlet a reporter's byline names
        ("本报记者 张三", None),
        ("某某報／ 記者張三／新竹即時報導", "某某報"),  # the outlet set off by a slash
        ("某某社記者林小明臺北5日電）市府今天宣布", "某某社"),  # a wire's credit cut from its opening bracket
        ("某某社記者林小明臺北5日電 市府今天宣布", "某某社"),
        ("某某社記者林小明今天在臺北宣布", None),  # no day filed: a sentence
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
        (["【来源】某市日报 【作者】王小明"], "某市日报"),  # a bracketed label needs no colon
        (["【来源：某市日报】"], "某市日报"),  # the bracket closes the source
        (["来源于：某市日报"], "某市日报"),
        (["转载自某市日报"], "某市日报"),  # where a repost was taken from
        (["摘自：某市日报 2024-05-20"], "某市日报"),
        (["本文转载自某市日报"], "某市日报"),
        (["来源：City Morning Post 2024-05-20"], "City Morning Post"),  # an outlet named in Latin words
        (["来源：City Morning Post作者：王小明"], "City Morning Post"),
        (["来源：某市日报 作者：王小明 编辑：李华"], "某市日报"),
        (["本文转自某市日报，作者王小明"], "某市日报"),  # a clause's comma
        (["来源｜某市日报及某某社、某某台等"], "某市日报"),  # the outlets it was taken from: the first
        (["来源：某市日报以及某某网"], "某市日报"),
        (["来源 | 综合某市日报、某某网"], "综合某市日报、某某网"),  # a compilation names no first source
        (["來源：某市家長報 作者：王小明"], "某市家長報"),  # the label in traditional characters
        (["本文转载自公众号“某某成长研究院”（ID：abc123）"], "某某成长研究院"),  # an account named in quotes
        (["来源：“某某教育”"], "某某教育"),
    ],
)
def test_the_source_label_ends_where_a_date_or_label_starts(lines: list[str], source: str) -> None:
    assert metadata.source(EMPTY, lines) == source


@pytest.mark.parametrize(
    ("lines", "source"),
    [
        (["2024-05-20 14:33·某市晚报"], "某市晚报"),
        (["2024-05-20 14:33·王小明"], None),
        ([PARAGRAPH], None),
        (["2023-03-02 09:15:07365某健康网"], "365某健康网"),  # a name that starts with digits, glued to the time
        (["2024年05月16日 17:02 某市晚报作者：某市晚报"], "某市晚报"),  # the next label follows
        (["2018-02-28 14:31某通讯社 某县28日電"], "某通讯社"),  # a wire dateline follows
        (["2024-05-20 14:33 某浪财经"], None),  # not an outlet's name, and no tag says it is one
        (["（某台记者 王小明）", "2024-05-20 14:33 某市晚报"], "某市晚报"),  # the meta line before a wire credit
    ],
)
def test_a_meta_line_names_the_outlet_after_its_date(lines: list[str], source: str | None) -> None:
    assert metadata.named_source(lines) == source


def test_what_follows_the_date_is_an_outlet_when_the_pages_tags_name_it_as_publisher() -> None:
    assert metadata.named_source(["2024-05-20 14:33 某浪财经"], publisher="某浪财经") == "某浪财经"
    assert metadata.named_source(["2024-05-20 14:33 某浪财经"], publisher="王小明") is None


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (PARAGRAPH + "（王小明）", ["王小明"]),
        (PARAGRAPH + "（王小明 李华）", ["王小明", "李华"]),
        ("不过家属另有说法。（王小明／台中報導）《某报》关心你", ["王小明"]),  # says where it was reported from
        (PARAGRAPH + "（有删节）", []),  # not a surname: a bracket with no role word may hold anything
        (PARAGRAPH + "（上）", []),
        ("会上，王小明（左二）介绍了情况，（王小明）这一点很重要。", []),  # a bracket inside the text
        (PARAGRAPH + "（江城晚报）", []),  # an outlet, though it starts like a surname
        (PARAGRAPH + "（某某区教育局 王小明）", ["王小明"]),  # after the writer's office or school
        (PARAGRAPH + "（某某区教育局）", []),
    ],
)
def test_a_bare_credit_names_authors_only_where_it_closes_the_text_or_says_where_it_was_reported(
    text: str, names: list[str]
) -> None:
    assert closing_names(text) == names


def _page_ending_with(last_paragraph: str) -> RawPage:
    html = (
        "<html><head><meta charset='utf-8'><title>市教育局部署暑期安全工作</title></head><body>"
        "<h1>市教育局部署暑期安全工作</h1><p>2026-07-01 09:00 来源：某市日报</p>"
        f"<div class='content'>{f'<p>{PARAGRAPH}</p>' * 5}<p>{last_paragraph}</p></div></body></html>"
    )
    return RawPage("http://www.example.edu.cn/news/2026/0701/2.html", html.encode(), {"Content-Type": "text/html"})


def test_the_last_paragraphs_bare_credit_names_its_author() -> None:
    assert extract_article(_page_ending_with(f"{PARAGRAPH}（钱小红）")).authors == ["钱小红"]


def test_an_editors_credit_closing_the_text_before_a_wires_serial_number_is_cut_off() -> None:
    article = extract_article(_page_ending_with("今年共排查校舍四百余处。（編輯：錢小紅）1130305"))
    assert article.text.endswith("今年共排查校舍四百余处。") and "錢小紅" not in article.text


def test_a_slot_marked_for_the_author_may_hold_a_whole_byline() -> None:
    page = _page_ending_with(PARAGRAPH)
    slot = "<span class='rich_media_meta_text'>某报记者 孙佳</span><h1>"
    marked = page.body.replace(b"<h1>", slot.encode())
    assert extract_article(replace(page, body=marked)).authors == ["孙佳"]


def test_a_credit_in_square_brackets_after_the_last_sentence_keeps_the_paragraph_and_names_its_writer() -> None:
    article = extract_article(_page_ending_with("今年共排查校舍四百余处。【记者 钱小红】"))
    assert article.authors == ["钱小红"]
    assert "今年共排查校舍四百余处。" in article.text


def test_a_line_that_is_one_bracketed_credit_after_an_office_names_its_writer() -> None:
    line = "（某某中学 王小明 李华）"
    assert metadata.authors(EMPTY, [line], header=[]) == ["王小明", "李华"]


@pytest.mark.parametrize("stated", ["本站原创", "本网原创", "原创", "网络"])
def test_a_source_that_says_the_story_is_the_sites_own_names_no_source(stated: str) -> None:
    assert metadata.source(EMPTY, [f"作者：王小明 来源：{stated} 点击数：88"]) is None


@pytest.mark.parametrize(
    ("lines", "source"),
    [
        (["来源 | 综合某市日报、某省晚报"], "综合某市日报、某省晚报"),
        (["信息来源丨某市教育局"], "某市教育局"),
        (["数据来源 | 某市统计局"], None),  # the label must start a word
    ],
)
def test_a_bar_may_stand_for_the_source_labels_colon(lines: list[str], source: str | None) -> None:
    assert metadata.source(EMPTY, lines) == source


@pytest.mark.parametrize(
    ("html", "account"),
    [
        ("<div id='meta_content'><strong class='profile_nickname'>某城早知道</strong></div>", "某城早知道"),
        (  # newer posts wrap the account line around the whole profile card
            "<span class='rich_media_meta_nickname'><a id='js_name'> 某城早知道 </a>"
            "<span class='profile_meta'>微信号 moucheng 功能介绍 与您一起关注本城，分享新闻与美食。</span></span>",
            "某城早知道",
        ),
        ("<div class='author'>王小明</div>", None),
    ],
)
def test_the_account_that_posted_a_self_media_page_is_read_from_its_account_line(
    html: str, account: str | None
) -> None:
    assert metadata.account_name(Selector(text=f"<html><body>{html}</body></html>")) == account


def test_a_post_with_no_source_label_comes_from_its_account() -> None:
    html = (
        "<html><head><meta charset='utf-8'><title>暑期安全提示</title></head><body>"
        "<h1 class='rich_media_title'>暑期安全提示</h1><div id='meta_content'>"
        "<a class='rich_media_meta_nickname' id='post-user'>某城早知道</a></div>"
        f"<div id='js_content'>{f'<p>{PARAGRAPH}</p>' * 6}</div></body></html>"
    )
    page = RawPage("http://mp.example.com/s?id=1", html.encode(), {"Content-Type": "text/html"})
    assert extract_article(page).source == "某城早知道"


def test_the_sites_and_sources_names_and_the_editors_are_not_authors() -> None:
    assert metadata.people(["某易", "王小明", "刘编辑"], ["某易", None], ["刘编辑"]) == ["王小明"]
    assert metadata.people(["Riverside News", "Jane Doe"], ["Riverside News Online"], []) == ["Jane Doe"]


def test_a_persons_name_inside_the_name_of_their_blog_or_account_stays_their_own() -> None:
    assert metadata.people(["王小明"], ["王小明的博客", "王小明说教育"], []) == ["王小明"]
    # The outlet's whole name, or a part of it that is no person's name, is no author.
    assert metadata.people(["某易", "王小明"], ["某易新闻", "王小明"], []) == []


@pytest.mark.parametrize(
    ("name", "account", "authors"),
    [
        ("青禾", "青禾老师说", ["青禾"]),  # a pen name with no listed surname, inside its writer's account
        ("某城", "某城教育", []),  # the account's short name
        ("春芽", "春芽公益", []),  # an institution's account: its short name in the author slot
        ("某易", "某易新闻", []),
    ],
)
def test_a_pen_name_inside_the_posting_accounts_name_stays_the_writers(
    name: str, account: str, authors: list[str]
) -> None:
    assert metadata.people([name], [None, account], [], account=account) == authors
    assert metadata.people([name], [None, account], []) == []  # a site's name holds no pen name


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


@pytest.mark.parametrize(
    ("closing", "authors"),
    [
        ("<p style='text-align: right'>（王小明）</p>", ["王小明"]),
        ("<p>文字：王小明 摄影：李华</p>", ["王小明"]),
        ("<p>（本文有删节）</p>", []),
        ("<p>记者 王小明 通讯员 李华</p>", ["王小明", "李华"]),  # a line that is only a reporter's byline
        ("<p>记者：王小明 编辑：李华</p>", ["王小明"]),
        ("<p>记者 王小明/文</p>", ["王小明"]),  # signed as the writing's after the names
        ("<p>通讯员 王小明 记者 李华 文/图</p>", ["王小明", "李华"]),
        ("<p>作者：王 明</p>", ["王明"]),
        ("<p>（王小明 撰稿）</p>", ["王小明"]),
        ("<p>本报记者：王小明</p>", ["王小明"]),  # a two-character name spaced to line up with longer ones
        ("<p>记者：王小明\u3000通讯员：李华</p>", ["王小明", "李华"]),
    ],
)
def test_a_signature_under_the_article_names_its_author(closing: str, authors: list[str]) -> None:
    html = (
        "<html><head><meta charset='utf-8'><title>市教育局部署暑期安全工作_某市教育网</title></head><body>"
        "<div class='main'><h1>市教育局部署暑期安全工作</h1><p>2026-07-01 09:00 来源：某市日报</p>"
        f"<div class='content'>{f'<p>{PARAGRAPH}</p>' * 6}{closing}</div></div></body></html>"
    )
    page = RawPage("http://www.example.edu.cn/news/2026/0701/1.html", html.encode(), {"Content-Type": "text/html"})
    assert extract_article(page).authors == authors


def test_authors_come_in_reading_order_with_unshown_names_last() -> None:
    text = "本报讯（记者 张三）今天…\n（文/王小明）"
    assert metadata.in_reading_order(["王小明", "Meta Author", "张三"], text) == ["张三", "王小明", "Meta Author"]


@pytest.mark.parametrize(
    ("html", "source"),
    [
        ("<span class='source'>某市晚报</span>", "某市晚报"),
        ("<div class='article-source'><a href='/m/1'>某省新闻网</a></div>", "某省新闻网"),
        ("<span class='index_source_x1'>政事漫谈</span>", None),  # a self-media account, not an outlet's name
        ("<div class='album_read_source'>收录于合集 #校园</div>", None),
        ("<span class='source'>本网</span>", None),
    ],
)
def test_an_element_named_for_the_source_gives_an_outlets_name_only(html: str, source: str | None) -> None:
    assert metadata.source_field(Selector(text=f"<html><body>{html}</body></html>")) == source


def test_a_source_tag_naming_the_site_itself_is_no_source_but_a_line_naming_it_is() -> None:
    tagged = Selector(text="<html><head><meta name='source' content='某市教育网'></head><body></body></html>")
    assert metadata.source(tagged, [], site="某市教育网") is None
    assert metadata.source(tagged, [], site="某省新闻网") == "某市教育网"
    assert metadata.source(tagged, ["来源：某市教育网"], site="某市教育网") == "某市教育网"


@pytest.mark.parametrize(
    ("texts", "source"),
    [
        (["市教育局部署暑期安全工作", "2026-07-01 09:00", "某市晚报", PARAGRAPH], "某市晚报"),
        (["市教育局部署暑期安全工作", "某市晚报", "2026年07月01日", PARAGRAPH], "某市晚报"),
        (["市教育局部署暑期安全工作", "社会新闻", PARAGRAPH], None),  # a channel, beside no date
        (["市教育局部署暑期安全工作", "2026-07-01 09:00", "我要举报", PARAGRAPH], None),  # not an outlet's name
    ],
)
def test_an_outlet_in_its_own_element_beside_the_date_is_the_meta_lines_source(
    texts: list[str], source: str | None
) -> None:
    blocks = [Block(text) for text in texts]
    assert metadata.outlet_beside_date(blocks, blocks[1:-1]) == source


def test_an_outlet_beside_the_date_outside_the_header_is_not_the_source() -> None:
    blocks = [Block(text) for text in ("市教育局部署暑期安全工作", PARAGRAPH, "2026-07-02 10:00", "某县日报")]
    assert metadata.outlet_beside_date(blocks, blocks[1:2]) is None


def test_an_author_tag_naming_an_outlet_gives_the_source_unless_it_is_the_site_itself() -> None:
    tagged = Selector(text="<html><head><meta name='author' content='某市晚报'></head><body></body></html>")
    assert metadata.outlet_as_author(tagged) == "某市晚报"
    assert metadata.outlet_as_author(tagged, site="某市晚报") is None


@pytest.mark.parametrize("tagged", ["本报记者 王小明", "记者：王小明"])
def test_a_byline_put_in_the_author_tag_names_the_writer_not_an_outlet(tagged: str) -> None:
    tag = f"<meta name='author' content='{tagged}'>"
    article = extract_article(_page_with_header("<p>2026-07-01 09:00</p>", head=tag))
    assert article.authors == ["王小明"]
    assert article.source is None


@pytest.mark.parametrize(
    ("marked", "name"),
    [
        ("By Jane Smith", "Jane Smith"),
        ("Posted by Jane Smith", "Jane Smith"),
        ("Por Ana Ruiz", "Ana Ruiz"),
        ("Par Marie Dupont", "Marie Dupont"),
        ("'Jane Smith", "Jane Smith"),  # a quote left from the markup
        ("Di Stefano", "Di Stefano"),  # a name that opens like a byline word
    ],
)
def test_the_word_a_byline_opens_with_is_no_part_of_the_name(marked: str, name: str) -> None:
    assert clean_name(marked) == name


def test_writers_marked_in_teasers_of_other_stories_are_not_the_articles() -> None:
    teasers = "".join(
        f"<li><a href='/news/{n}.html'>Another story from the district, part {n}</a>"
        f" <p>By <a rel='author' href='/author/{who}/'>{name}</a></p></li>"
        for n, (who, name) in enumerate([("treed", "Tom Reed"), ("alee", "Ann Lee")])
    )
    html = (
        "<html><head><title>New timetable for the autumn term</title></head><body>"
        "<h1>New timetable for the autumn term</h1>"
        "<p class='byline'>By <a rel='author' href='/author/jsmith/'>Jane Smith</a> <time>Aug 19, 2026</time></p>"
        "<div class='story'>"
        + "<p>The school will start fifteen minutes later from September, after talks.</p>" * 4
        + f"</div><div class='related-posts'><h3>More stories</h3><ul>{teasers}</ul></div></body></html>"
    )
    page = RawPage("https://news.example.org/2026/08/timetable.html", html.encode(), {"Content-Type": "text/html"})
    assert extract_article(page).authors == ["Jane Smith"]


def _page_with_header(header: str, lead: str = "", head: str = "") -> RawPage:
    html = (
        f"<html><head><meta charset='utf-8'><title>市教育局部署暑期安全工作_某市教育网</title>{head}</head><body>"
        f"<div class='main'><h1>市教育局部署暑期安全工作</h1>{header}"
        f"<div class='content'><p>{lead}{PARAGRAPH}</p>{f'<p>{PARAGRAPH}</p>' * 5}</div></div>"
        "<div class='comments'><span class='author'>赵六</span><p>说得好，支持学校的安排。</p></div></body></html>"
    )
    return RawPage("http://www.example.edu.cn/news/2026/0701/1.html", html.encode(), {"Content-Type": "text/html"})


@pytest.mark.parametrize(
    ("header", "authors"),
    [
        ("<p><span>2026-07-01 09:00</span> <span class='author'>王小明</span></p>", ["王小明"]),
        ("<p><span>2026-07-01 09:00</span> <span class='author'>某市日报 王小明</span></p>", ["王小明"]),
        ("<p><span>2026-07-01 09:00</span> <span class='author'>选稿：王小明</span></p>", []),  # labelled: not a writer
        ("<p><span>2026-07-01 09:00</span></p>", []),  # the comment's author element is not in the header
        ("<p><span>2026-07-01 09:00</span> <span class='author'>Jane Smith</span></p>", ["Jane Smith"]),
        ("<p><span>2026-07-01 09:00</span> <span class='author'>《某某时报》 Jane Smith</span></p>", ["Jane Smith"]),
    ],
)
def test_an_element_named_for_the_byline_in_the_header_gives_its_names(header: str, authors: list[str]) -> None:
    assert extract_article(_page_with_header(header)).authors == authors


@pytest.mark.parametrize(
    ("lead", "authors"),
    [
        ("本报讯 记者王小明 通讯员李华 ", ["王小明", "李华"]),  # a space closes each name
        ("本报讯 记者 王小明 通讯员 李华 ", ["王小明", "李华"]),
        ("本报讯 通讯员李华报道：", ["李华"]),
        ("本报北京7月1日讯 记者王小明 ", ["王小明"]),  # a dated dateline
        ("首席记者 王小明 ", ["王小明"]),  # a rank before the role
        ("本报讯（王小明 李华）", ["王小明", "李华"]),  # bare names in the brackets after 讯
        ("本报讯（高清组图）", []),
        ("本报讯 记者近日 从市里获悉，", []),  # no surname starts what follows the role word
        ("本报讯 记者 王晓峰 和 李明 近日，", ["王晓峰", "李明"]),  # "and" for the next role
        ("本报讯 记者王晓峰和李明 近日，", ["王晓峰", "李明"]),  # "and" glued between the names
        ("本报讯 记者张伟与刘洋 通讯员陈敏 近日，", ["张伟", "刘洋", "陈敏"]),
        ("本报讯 记者王晓峰 与市教育局 近日，", ["王晓峰"]),
        ("本报讯 记者荀晓峰 近日，", ["荀晓峰"]),  # a rare surname: a full name's three characters
        ("本报讯 记者 荀晓峰 近日，", ["荀晓峰"]),
        ("本报讯 记者荀晓峰 通讯员檀丽 近日，", ["荀晓峰", "檀丽"]),  # role after role: a run of credits
        ("本报讯 记者获悉 近日，", []),  # two characters after a lone role may be a verb
        ("本报讯 记者了解到 近日，", []),  # a phrase's character
        ("某某社北京7月1日电 记者王小明 ", ["王小明"]),  # a wire's dateline
        ("某某社記者林小明臺北17日電）市府今天宣布", ["林小明"]),  # a wire's credit without its opening bracket
        ("記者林小明臺北17日電 市府今天宣布", ["林小明"]),
        ("某某社記者林小明今天在臺北宣布，", []),  # no day filed: a sentence
        ("本报记者从省教育厅12日电视电话会议上获悉，", []),  # 日电 running on into a word: a sentence
    ],
)
def test_a_byline_opening_the_lead_unbracketed_or_after_its_dateline_names_the_writers(
    lead: str, authors: list[str]
) -> None:
    assert extract_article(_page_with_header("<p>2026-07-01 09:00</p>", lead=lead)).authors == authors


@pytest.mark.parametrize(
    ("header", "authors"),
    [
        ("<p>2026-07-01 作者：王晓峰和李明</p>", ["王晓峰", "李明"]),
        ("<p>2026-07-01 记者 王晓峰与李明</p>", ["王晓峰", "李明"]),
        ("<p>2026-07-01 记者 王明和李华</p>", ["王明", "李华"]),
    ],
)
def test_a_header_byline_of_two_names_joined_by_and_names_both(header: str, authors: list[str]) -> None:
    assert extract_article(_page_with_header(header)).authors == authors


def test_writers_credited_on_an_editors_line_are_authors_and_not_editors() -> None:
    page = _page_with_header("<p>2026-07-01 09:00</p><p>策划：赵刚 记者：王小明 李华</p>")
    article = extract_article(page)
    assert (article.authors, article.editors) == (["王小明", "李华"], ["赵刚"])


def test_a_reported_byline_opening_the_lead_without_brackets_names_its_author() -> None:
    page = _page_with_header("<p>2026-07-01 09:00</p>", lead="記者林小華／台中報導　")
    assert extract_article(page).authors == ["林小華"]


@pytest.mark.parametrize(
    ("ld", "authors"),
    [
        ('{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe"}}', ["Jane Doe"]),
        ('{"@type": "NewsArticle", "author": [{"name": "王小明"}, "李华"]}', ["王小明", "李华"]),
        ('{"@type": "NewsArticle", "author": {"@type": "Organization", "name": "某市日报"}}', []),
        ('{"@type": "WebPage", "author": "Jane Doe"}', []),  # not the article's own item
        ('{"@type": "BlogPosting", "author": "riverhandle"}', []),  # an account's handle
    ],
)
def test_schema_org_authors_are_read_where_the_page_names_none(ld: str, authors: list[str]) -> None:
    head = f"<script type='application/ld+json'>{ld}</script>"
    assert extract_article(_page_with_header("<p>2026-07-01 09:00</p>", head=head)).authors == authors


def test_the_pages_own_byline_wins_over_schema_org() -> None:
    head = """<script type='application/ld+json'>{"@type": "NewsArticle", "author": "王 小明"}</script>"""
    page = _page_with_header("<p>2026-07-01 09:00 作者：王小明</p>", head=head)
    assert extract_article(page).authors == ["王小明"]


@pytest.mark.parametrize(
    ("meta", "authors"),
    [
        (
            '<em id="post-date" class="rich_media_meta rich_media_meta_text">2026-07-01</em>'
            '<em class="rich_media_meta rich_media_meta_text">青山客</em>'
            '<a class="rich_media_meta rich_media_meta_link rich_media_meta_nickname" id="post-user">某城教育</a>',
            ["青山客"],
        ),
        (
            '<span class="rich_media_meta rich_media_meta_text" id="js_author_name">王小明</span>'
            '<span class="rich_media_meta rich_media_meta_nickname"><a id="js_name">某城教育</a></span>',
            ["王小明"],
        ),
        (
            '<em id="post-date" class="rich_media_meta rich_media_meta_text">2026-07-01</em>'
            '<em class="rich_media_meta rich_media_meta_text">点击上方关注☞</em>'
            '<a class="rich_media_meta rich_media_meta_link rich_media_meta_nickname" id="post-user">某城教育</a>',
            [],  # the slot holds any text a post puts there: only a name is an author
        ),
    ],
)
def test_a_wechat_posts_author_slot_names_its_writer(meta: str, authors: list[str]) -> None:
    article = _wechat_post(meta)
    assert article.authors == authors
    assert article.source == "某城教育"


@pytest.mark.parametrize(
    ("author", "account", "authors", "source"),
    [
        ("青禾", "青禾老师说", ["青禾"], None),  # the writer's own account is no source
        ("明德", "明德教育", ["明德"], "明德教育"),  # an institution's account, its short name as author
        ("蒲公英", "蒲公英计划", ["蒲公英"], "蒲公英计划"),
    ],
)
def test_a_wechat_pen_name_inside_a_writers_account_is_the_writer_and_the_account_no_source(
    author: str, account: str, authors: list[str], source: str | None
) -> None:
    meta = (
        f'<span class="rich_media_meta rich_media_meta_text"><span id="js_author_name">{author}</span></span>'
        f'<span class="rich_media_meta rich_media_meta_nickname"><a id="js_name">{account}</a></span>'
    )
    article = _wechat_post(meta)
    assert article.authors == authors
    assert article.source == source


@pytest.mark.parametrize(
    ("header", "authors"),
    [
        ("<p>本报记者</p><p>王小明 李华</p>", ["王小明", "李华"]),  # the role and the names in two elements
        ("<p>作者：</p><p>王小明</p>", ["王小明"]),
        ("<p>作者：</p><p>来源：某市日报</p>", []),  # an empty field before the next one
    ],
)
def test_a_role_set_apart_from_its_names_in_the_header_still_names_the_writers(header: str, authors: list[str]) -> None:
    assert extract_article(_page_with_header(f"<p>2026-07-01 09:00</p>{header}")).authors == authors


def test_a_student_reports_adviser_is_not_its_author() -> None:
    page = _page_with_header("<p>2026-07-01 09:00</p><p>学生记者 王小明 李华 指导老师 赵刚</p>")
    assert extract_article(page).authors == ["王小明", "李华"]


def test_labels_and_values_in_cells_of_their_own_give_the_date_and_source() -> None:
    html = (
        "<html><head><meta charset='utf-8'><title>市教育局部署暑期安全工作</title></head><body>"
        "<h1>市教育局部署暑期安全工作</h1><table class='info'><tr><td>发布日期：</td><td>2026年06月20日</td>"
        "<td>信息来源：</td><td>某区教育局</td></tr></table>"
        f"<div class='content'>{f'<p>{PARAGRAPH}</p>' * 5}</div></body></html>"
    )
    article = extract_article(RawPage("http://www.example.edu.cn/news/a.html", html.encode(), {}))
    assert article.source == "某区教育局" and (article.published_at or "").startswith("2026-06-20")


@pytest.mark.parametrize("label", ["来源", "信息来源"])
def test_a_bare_label_in_a_cell_of_its_own_gives_the_source_in_the_next(label: str) -> None:
    page = _page_with_header(
        f"<table><tr><th>{label}</th><td>某省日报</td><th>发布日期</th><td>2026-07-01</td></tr></table>"
    )
    assert extract_article(page).source == "某省日报"


@pytest.mark.parametrize(
    ("header", "source", "authors"),
    [
        # each field in an element of its own, no space between, the next label one no list names
        (
            "<p><span>来源：某省日报</span><span>作者：王小明</span><span>字号：大 中 小</span></p>",
            "某省日报",
            ["王小明"],
        ),
        ("<p><span>作者：王小明</span><span>来源：某省日报</span><span>访问量：88</span></p>", "某省日报", ["王小明"]),
        ("<p>来源：<a href='/a'>某省新闻网</a><a href='/b'>举报</a></p>", "某省新闻网", []),  # a button beside it
        ("<p><time>2026-07-01 09:00</time><span>某時報／記者王小明／台北報導</span></p>", "某時報", ["王小明"]),
        (  # an unlabelled field after a labelled one, each behind an icon
            "<p><span><i class='icon-paper'></i>来源：某省日报</span><span><i class='icon-user'></i>王小明</span></p>",
            "某省日报",
            ["王小明"],  # a reporter named after the source
        ),
    ],
)
def test_fields_set_in_elements_of_their_own_are_read_apart(header: str, source: str, authors: list[str]) -> None:
    article = extract_article(_page_with_header(header))
    assert (article.source, article.authors) == (source, authors)


@pytest.mark.parametrize(
    ("header", "source", "authors"),
    [
        ("<p>2026-07-01 作者：暂无 来源：本站整理</p>", None, []),
        ("<p>2026-07-01 作者：管理员 来源：转载</p>", None, []),
        ("<p>2026-07-01 作者：佚名 来源：网络整理</p>", None, []),
    ],
)
def test_a_placeholder_is_neither_a_writer_nor_a_source(header: str, source: str | None, authors: list[str]) -> None:
    article = extract_article(_page_with_header(header))
    assert (article.source, article.authors) == (source, authors)


@pytest.mark.parametrize(
    "last_paragraph",
    ["转载请注明出处：某某资料网 http://www.example.com/", "图片来源：某某图库"],
)
def test_a_source_label_inside_a_longer_word_names_no_source(last_paragraph: str) -> None:
    page = _page_with_header("<p>2026-07-01 来源：网络</p>")
    closing = f"<p>{last_paragraph}</p></div>".encode()
    assert (
        extract_article(replace(page, body=page.body.replace(b"</div></div>", closing + b"</div>", 1))).source is None
    )


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("本月推荐书目：《某某的故事》，作者：王小明；《某某之歌》，作者：李华。", []),  # a work's writer
        ("记者：近年来，我市在乡村教师队伍建设方面做了哪些工作？", []),  # an interviewer's question
    ],
)
def test_a_writers_label_in_a_reading_list_or_a_question_names_no_author(line: str, names: list[str]) -> None:
    assert metadata.authors(EMPTY, [line], header=[line]) == names


def test_a_writer_who_also_edits_the_story_stays_its_author() -> None:
    credits = "".join(
        f"<p>{line}</p>"
        for line in ["撰稿：王小明", "摄影：李华", "初审：赵刚", "复审：钱红", "审核：孙丽", "编辑：王小明"]
    )
    page = _page_with_header("<p>2026-07-01 09:00</p>")
    article = extract_article(
        replace(page, body=page.body.replace(b"</div></div>", credits.encode() + b"</div></div>", 1))
    )
    assert article.authors == ["王小明"]
    assert "王小明" in article.editors


def _english_page(header: str) -> RawPage:
    paragraph = "The district will open two new primary schools next autumn, the board said on Tuesday."
    html = (
        "<html><head><meta charset='utf-8'><title>District to open two schools</title></head><body>"
        f"<article><h1>District to open two schools</h1>{header}{f'<p>{paragraph}</p>' * 5}</article>"
        "<aside><h3>More stories</h3><p><a href='/staff/77/tom-brown/'>Tom Brown</a></p></aside></body></html>"
    )
    return RawPage("https://news.example.org/2026/07/schools.html", html.encode(), {"Content-Type": "text/html"})


@pytest.mark.parametrize(
    ("header", "authors"),
    [
        ("<div class='meta'>Story by <a href='/authors/jane-smith/'>Jane Smith</a></div>", ["Jane Smith"]),
        ("<div>Posted on July 1, 2026 by <a href='/author/lwei/'>Li Wei</a></div>", ["Li Wei"]),
        # a page that marks its writer: a link to another person's page credits something else
        (
            "<p>Words by <a rel='author' href='/people/jane-smith/'>Jane Smith</a>, "
            "art by <a href='/people/li-wei/'>Li Wei</a></p>",
            ["Jane Smith"],
        ),
        ("<div>Filed under <a href='/topics/schools/'>Schools</a></div>", []),
    ],
)
def test_a_link_to_a_writers_page_in_the_header_names_the_writer(header: str, authors: list[str]) -> None:
    assert extract_article(_english_page(header)).authors == authors


@pytest.mark.parametrize("signed", ["二〇二六年六月三十日", "2026年6月30日"])
def test_a_notice_signed_with_a_date_and_showing_no_other_is_dated_by_it(signed: str) -> None:
    paragraph = "各区教育局、各直属学校：为做好今年暑期学生安全工作，现将有关事项通知如下，请认真贯彻执行。"
    html = (
        "<html><head><meta charset='utf-8'><title>关于做好暑期学生安全工作的通知</title></head><body>"
        f"<h1>关于做好暑期学生安全工作的通知</h1><div class='content'>{f'<p>{paragraph}</p>' * 4}"
        f"<p style='text-align:right'>某市教育局</p><p style='text-align:right'>{signed}</p></div></body></html>"
    )
    article = extract_article(RawPage("http://jyj.example.gov.cn/tzgg/notice-88.html", html.encode(), {}))
    assert (article.published_at or "").startswith("2026-06-30")


def test_a_meta_line_of_date_outlet_and_reporter_is_not_text_and_names_both() -> None:
    meta = "<p><span>2026-07-01 09:30</span><span>某時報／記者王小明、李華／台中報導</span></p>"
    article = extract_article(_page_with_header(meta))
    assert (article.source, article.authors) == ("某時報", ["王小明", "李華"])
    assert "記者" not in article.text


def test_a_utc_time_element_on_the_shown_day_is_told_in_the_pages_zone() -> None:
    meta = "<p><time datetime='2026-06-30T22:30:00Z'>2026年7月1日 上午6:30</time></p>"
    assert extract_article(_page_with_header(meta)).published_at == "2026-07-01T06:30:00+08:00"


def test_writers_labelled_in_teasers_under_a_related_heading_are_not_the_articles() -> None:
    cards = "".join(
        f"<div class='card'><a href='/news/{n}.html'>另一条教育新闻{n}</a>"
        f"<span>作者：{name}</span><span>06-3{n}</span></div>"
        for n, name in enumerate(["赵六", "钱七"])
    )
    html = (
        "<html><head><meta charset='utf-8'><title>市教育局部署暑期安全工作</title></head><body><div class='main'>"
        "<h1>市教育局部署暑期安全工作</h1><p>2026-07-01 09:00 作者：王小明</p>"
        f"{f'<p>{PARAGRAPH}</p>' * 4}<h3>推荐阅读</h3>{cards}</div></body></html>"
    )
    page = RawPage("http://www.example.edu.cn/news/2026/0701/1.html", html.encode(), {"Content-Type": "text/html"})
    assert extract_article(page).authors == ["王小明"]


@pytest.mark.parametrize(
    ("closing", "authors"),
    [
        ("■某市晚报记者 王小明", ["王小明"]),  # a printed paper's mark before the outlet
        ("（据某市日报 记者王小明）", ["王小明"]),  # the outlet whose reporter it was taken from
    ],
)
def test_a_marked_or_attributed_reporters_byline_names_the_reporter(closing: str, authors: list[str]) -> None:
    assert (reporter_names(closing) or names_in_byline(closing)) == authors


def _wechat_post(meta: str) -> Article:
    """A WeChat post whose meta line under the headline is ``meta``, read by the extractor."""
    html = (
        "<html><head><meta charset='utf-8'><title>市教育局部署暑期安全工作</title></head><body>"
        "<div id='img-content'><h1 class='rich_media_title' id='activity-name'>市教育局部署暑期安全工作</h1>"
        f"<div id='meta_content' class='rich_media_meta_list'>{meta}</div>"
        f"<div class='rich_media_content' id='js_content'>{f'<p>{PARAGRAPH}</p>' * 5}</div></div></body></html>"
    )
    return extract_article(RawPage("https://mp.weixin.qq.com/s/AbCdEf", html.encode(), {"Content-Type": "text/html"}))
