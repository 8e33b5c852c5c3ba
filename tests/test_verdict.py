"""Article or not: pages built in the test, each verdict with the evidence it rests on."""

from __future__ import annotations

import pytest

from crawler.extraction.extract import NotAnArticle, extract_article, not_html_reason
from crawler.extraction.pages import RawPage
from crawler.extraction.verdict import is_search_url

STORY = (
    "<p>省教育厅近日印发通知，要求各地做好今年寒假期间中小学生安全教育工作，压实学校、家庭和社会的安全责任。</p>"
    "<p>通知提出，各地要在放假前组织开展一次安全隐患排查，重点检查校舍、食堂和校车，发现问题立即整改。</p>"
    "<p>通知还要求学校通过家长会、致家长一封信等方式，提醒家长加强对孩子的看护，特别是防溺水和交通安全。</p>"
)
RECORDS = "".join(
    f"<li class='item'><a href='/news/{n}.html'>全省教育系统工作动态第{n}期要闻速览</a>"
    f"<p>本期介绍了各地教育部门的最新工作进展，第{n}期内容包括会议、调研和督导检查等情况。</p></li>"
    for n in range(1, 13)
)


def page(
    body: str, *, title: str = "寒假安全教育工作部署_教育厅", url: str = "http://jyt.example.gov.cn/a/2026/1.html"
) -> RawPage:
    html = f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>"
    return RawPage(url, html.encode(), {"Content-Type": "text/html; charset=utf-8"})


def verdict_of(raw: RawPage) -> str:
    try:
        extract_article(raw)
    except NotAnArticle as not_article:
        return not_article.reason
    return "article"


def test_a_list_of_linked_entries_with_summaries_is_a_list_page_and_says_why() -> None:
    with pytest.raises(NotAnArticle) as raised:
        extract_article(page(f"<div class='list'><ul>{RECORDS}</ul></div>", title="工作动态_教育厅"))
    assert raised.value.reason == "list-page"
    assert "linked records" in raised.value.detail and "no headline shown" in raised.value.detail


def _feed(ending: str) -> str:
    """A feed of story openings: each a plain title, its first sentences cut off, an age and a tag."""
    return "".join(
        f"<div class='feed-item'><div class='t'>全省第{n}批中小学劳动教育实践基地名单公布，覆盖城乡学校</div>"
        f"<div class='s'>记者从省教育厅获悉，第{n}批劳动教育实践基地名单日前公布，基地将向周边中小学开放，"
        f"组织学生参加农业生产、手工制作和社区服务等实践活动，同时要求各地加强安全管理和课程建设{ending}</div>"
        f"<span>{n}小时前</span><span>劳动教育</span></div>"
        for n in range(1, 7)
    )


def test_a_feed_of_story_openings_cut_short_is_a_list_page() -> None:
    assert verdict_of(page(_feed("..."), title="资讯_某教育网")) == "list-page"


def test_a_feed_of_news_flashes_each_under_its_own_bracketed_headline_is_a_list_page() -> None:
    flashes = "".join(
        f"<div class='flash'><span>08:{n}0</span><p>【第{n}批劳动教育实践基地名单公布】某某教育报讯，"
        f"记者从省教育厅获悉，第{n}批劳动教育实践基地名单日前公布，基地将向周边中小学开放，组织学生参加实践活动。</p></div>"
        for n in range(1, 6)
    )
    assert verdict_of(page(flashes, title="7x24快讯_某财经网")) == "list-page"
    # The same brackets heading an unheaded story's sections stand on lines of their own: an article.
    sections = "".join(f"<p>【第{n}部分】</p>{STORY}" for n in range(1, 4))
    assert verdict_of(page(sections, title="资讯_某教育网")) == "article"


def test_an_unheaded_story_whose_paragraphs_trail_off_in_the_writers_own_way_is_an_article() -> None:
    trailing = (STORY * 2).replace("。</p>", "……</p>")
    assert verdict_of(page(trailing, title="资讯_某教育网")) == "article"
    assert verdict_of(page(trailing.replace("……</p>", "...</p>"), title="资讯_某教育网")) == "list-page"


def test_an_article_with_a_login_box_and_a_dense_sidebar_is_an_article() -> None:
    sidebar = f"<div class='side'><form><input type='text'><input type='password'></form><ul>{RECORDS}</ul></div>"
    raw = page(f"<h1>寒假安全教育工作部署</h1><div class='text'>{STORY}</div>{sidebar}")
    article = extract_article(raw)
    assert article.title == "寒假安全教育工作部署"
    assert "headline in <h1>" in (article.evidence or "")


def test_a_sign_in_form_is_a_login_page() -> None:
    form = "<h1>统一身份认证</h1><form><p>账号</p><input type='text'><p>密码</p><input type='password'></form>"
    raw = page(
        f"<div class='login'>{form}<p>首次登录请先激活账号，忘记密码请联系管理员。</p></div>", title="统一身份认证"
    )
    assert verdict_of(raw) == "login-page"


def test_a_search_results_page_is_recognised_by_its_address() -> None:
    raw = page(f"<div class='results'><ul>{RECORDS}</ul></div>", url="http://www.example.edu.cn/search?q=寒假")
    assert verdict_of(raw) == "search-page"


def test_a_few_lines_under_no_headline_are_no_article() -> None:
    assert verdict_of(page("<div><p>欢迎访问本站。</p></div>", title="某市教育网")) == "no-article-body"


def test_a_short_post_whose_page_marks_no_headline_is_an_article() -> None:
    paragraphs = [
        "Our choir sang at the town hall on Saturday, and forty parents came to listen to the spring songs.",
        "Thanks to everyone who baked for the stall afterwards: we raised enough for the new music stands,"
        " which arrive in May, and for a trip to the county festival.",
    ]
    assert 200 < len("".join(paragraphs)) < 300  # shorter than a page under no headline needed before
    post = "<div class='post'>" + "".join(f"<p>{text}</p>" for text in paragraphs) + "</div>"
    assert verdict_of(page(post, title="Valley School Blog")) == "article"


VERSE = [
    "床前明月光照在窗台上",
    "疑是地上结了一层霜",
    "举头望着天上的明月",
    "低头想起远方的故乡",
    "故乡的小河还在流淌",
    "河边的柳树已经很高",
    "儿时的伙伴各奔东西",
    "只有月亮还是那么亮",
    "我把思念写进歌里面",
    "唱给远方的爹和娘听",
    "月亮啊你替我去看看",
    "看看他们是否还安康",
]
#: A song: its verse, then the chorus sung twice, as lyrics pages print them.
POEM = [*VERSE, "(chorus again)", *VERSE, *VERSE]


def test_a_poem_under_its_headline_is_an_article_though_it_has_no_sentences() -> None:
    links = "".join(f"<li><a href='/songs/{n}.html'>另一首歌的歌词第{n}首</a></li>" for n in range(1, 30))
    sidebar = f"<div class='sidebar'><ul>{links}</ul></div>"
    raw = page(f"<h1>月光下的思念</h1><div class='post-body'>{'<br>'.join(POEM)}</div>{sidebar}", title="月光下的思念")
    article = extract_article(raw)
    assert article.paragraphs == POEM
    assert "in 37 short lines" in (article.evidence or "")


def picture_post(pictures: list[str]) -> str:
    """A picture post whose template sets each paragraph in the caption element of its picture."""
    return "<h1>寒假安全教育工作部署</h1>" + "".join(
        f"<div class='caption-image'><img src='/pics/{n}.jpg'><div class='desc'>{paragraph}</div></div>"
        for n, paragraph in enumerate(pictures)
    )


def test_a_picture_post_whose_every_paragraph_is_a_caption_is_an_article_of_those_paragraphs() -> None:
    paragraphs = STORY.split("</p>")[:-1]
    menu = "<div class='nav'>" + "".join(f"<a href='/c/{n}.html'>栏目{n}</a>" for n in range(8)) + "</div>"
    article = extract_article(page(menu + picture_post([p + "</p>" for p in paragraphs])))
    assert article.title == "寒假安全教育工作部署"
    assert len(article.paragraphs) == 3 and article.paragraphs[0].startswith("省教育厅近日印发通知")


def test_a_list_page_with_captions_is_still_refused_for_what_it_is() -> None:
    # Reading its captions as text does not make a list page an article: the first refusal stands.
    caption = "<div class='caption'><img src='/pics/1.jpg'><p>图为学生参加活动。</p></div>"
    with pytest.raises(NotAnArticle) as refused:
        extract_article(page(f"{caption}<div class='list'><ul>{RECORDS}</ul></div>", title="工作动态_教育厅"))
    assert refused.value.reason == "list-page" and "linked records" in refused.value.detail


def test_a_caption_beside_running_text_is_still_no_part_of_it() -> None:
    caption = "<div class='caption'><img src='/pics/1.jpg'><p>图为学生在校园内参加安全教育活动。</p></div>"
    article = extract_article(page(f"<h1>寒假安全教育工作部署</h1>{caption}<div class='text'>{STORY}</div>"))
    assert "图为学生" not in article.text and len(article.paragraphs) == 3


def test_a_few_short_lines_under_a_headline_are_still_no_article() -> None:
    raw = page(f"<h1>月光下的思念</h1><div class='post-body'>{'<br>'.join(POEM[:3])}</div>", title="月光下的思念")
    assert verdict_of(raw) == "no-article-body"


def test_an_error_status_is_an_error_page() -> None:
    raw = page(f"<h1>寒假安全教育工作部署</h1>{STORY}")
    assert verdict_of(RawPage(raw.url, raw.body, raw.headers, status=404)) == "error-page"


@pytest.mark.parametrize(
    ("content_type", "text", "reason"),
    [
        ("application/javascript", "var a = 1;", "served as application/javascript"),
        ("text/css", "body { color: red }", "served as text/css"),
        (None, 'function f() { document.write("hi"); }', "no HTML tag in the first 65536 characters"),
        (None, '{"title": "not a page"}', "a JSON document"),
        ("text/html", '{"html": "<div><p>a story</p></div>"}', "a JSON document"),  # its HTML is data
        ("text/html", "[1, 2, 3]", "a JSON document"),
        ("text/html", '<rss version="2.0"><item><description><![CDATA[<p>x</p>]]>', "an XML <rss> document"),
        ("text/xml", "<!-- generator --><urlset><url><loc>http://a/</loc></url></urlset>", "served as text/xml"),
        (None, "<!-- generator -->\n<urlset><url><loc>http://a/</loc></url></urlset>", "an XML <urlset> document"),
        ("text/html", "[一则通知] <p>市教育局召开会议</p>", None),  # a page that opens with a bracket is a page
        ("text/html", "<!-- x -->" * 5000 + "<p>many comments</p>", None),  # read in linear time
    ],
)
def test_scripts_and_data_are_not_html(content_type: str | None, text: str, reason: str | None) -> None:
    assert not_html_reason(content_type, text) == reason


def test_a_script_saved_as_a_page_gets_the_not_html_verdict() -> None:
    raw = RawPage("http://www.example.edu.cn/static/app.js", b"var x = 1; function go() { return x; }")
    assert verdict_of(raw) == "not-html"


@pytest.mark.parametrize(
    ("url", "is_search"),
    [
        ("http://www.example.edu.cn/search?q=高考", True),
        ("http://www.example.edu.cn/s?wd=招生", True),
        ("http://www.example.edu.cn/search/", False),
        ("http://www.example.edu.cn/news/2026/1120/5.html?from=search", False),
    ],
)
def test_search_addresses(url: str, is_search: bool) -> None:
    assert is_search_url(url) is is_search
