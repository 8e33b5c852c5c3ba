"""Posts of one kind on a page: a thread's replies and a blog's comments are counted, not read; a story
stacked above or below the article is not its text; alike sections of one article stay the article."""

from __future__ import annotations

from datetime import datetime

from crawler.extraction.dates import CHINA_TZ
from crawler.extraction.extract import extract_article
from crawler.extraction.pages import RawPage

FETCHED = datetime(2026, 12, 5, 10, 0, tzinfo=CHINA_TZ)
HEADLINE = "我校举办第十届校园读书节"
OPENING = [
    "十一月二十日，我校第十届校园读书节在学校礼堂开幕，全校一千二百多名师生参加了开幕式。",
    "本届读书节以“阅读点亮童年”为主题，将持续一个月，开展好书推荐、亲子共读、读书征文等八项活动。",
]
REPLIES = [
    "我们班的孩子已经开始准备好书推荐了，每个人都要讲三分钟，大家都很期待。",
    "亲子共读这个活动很好，希望以后每个学期都能办一次，也欢迎家长来学校当志愿者。",
    "征文的截止时间是什么时候？孩子想写一篇关于科普书的读后感，需要提前准备。",
]


def page(body: str, title: str = HEADLINE) -> RawPage:
    html = (
        f"<html><head><meta charset='utf-8'><title>{title}_校园新闻_某某小学</title></head><body>"
        "<div class='top'><a href='/'>首页</a> <a href='/news/'>校园新闻</a> <a href='/notice/'>通知公告</a></div>"
        f"{body}<div class='bottom'>版权所有：某某小学 地址：某市人民路1号</div></body></html>"
    )
    return RawPage("http://www.example-xx.edu.cn/news/2026/1120/88.html", html.encode(), fetched_at=FETCHED)


def post(author: str, when: str, paragraphs: list[str], kind: str = "floor") -> str:
    texts = "".join(f"<p>{text}</p>" for text in paragraphs)
    head = f"<div class='floor-head'>{author} 发表于 {when}</div>"
    return f"<div class='{kind}'>{head}<div class='floor-text'>{texts}</div></div>"


def test_a_threads_first_post_is_the_body_and_its_replies_are_counted() -> None:
    replies = "".join(post(f"家长{n}", f"2026-11-2{n} 20:1{n}", [text]) for n, text in enumerate(REPLIES, 1))
    first = post("教务处", "2026-11-20 09:30", OPENING)
    article = extract_article(page(f"<h1>{HEADLINE}</h1><div class='thread'>{first}{replies}</div>"))
    assert article.paragraphs == OPENING
    assert article.comments == 3


def test_a_comment_list_below_a_post_is_left_out_and_counted() -> None:
    replies = "".join(post(f"家长{n}", f"2026-11-2{n} 20:1{n}", [text], "msg") for n, text in enumerate(REPLIES, 1))
    body = f"<div class='main'><h1>{HEADLINE}</h1><div class='info'>2026-11-20 09:30</div>"
    body += "".join(f"<p>{text}</p>" for text in OPENING) + f"<h3>网友留言</h3>{replies}</div>"
    article = extract_article(page(body))
    assert all(reply not in article.text for reply in REPLIES)
    assert OPENING[1] in article.text
    assert article.comments == 3


def test_the_body_ends_where_the_next_story_of_the_same_shape_begins() -> None:
    next_story = [
        "下周，学校将组织三年级学生走进科技馆，开展主题为“探索身边的科学”的研学活动，请家长提前做好准备。"
    ] * 2
    body = (
        f"<div class='stream'><div class='story'><h1>{HEADLINE}</h1><div class='date'>2026-11-20 09:30</div>"
        + "".join(f"<p>{text}</p>" for text in OPENING)
        + "</div><div class='label'>下一篇</div><div class='story'><h2>三年级学生将赴科技馆研学</h2>"
        + "<div class='date'>2026-11-19 16:00</div>"
        + "".join(f"<p>{text}</p>" for text in next_story)
        + "</div></div>"
    )
    article = extract_article(page(body))
    assert article.paragraphs == OPENING
    assert article.comments == 0


def test_dated_sections_of_one_article_stay_in_the_article() -> None:
    """A date line in each of two sections, but not in the same place: a timeline, not posts."""
    body = (
        f"<div class='main'><h1>{HEADLINE}</h1><div class='part'><div class='date'>2026-11-20 09:30</div>"
        f"<p>{OPENING[0]}</p></div><div class='part'><p>{OPENING[1]}</p>"
        "<p class='note'>（2026年11月20日）</p></div></div>"
    )
    article = extract_article(page(body))
    assert article.paragraphs[:2] == OPENING
    assert article.comments == 0
