"""Extraction end to end on pages built in the test: profiles, the generic detector, dates, bad input."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.extraction.dates import CHINA_TZ
from crawler.extraction.encoding import UndecodableBody
from crawler.extraction.extract import NotAnArticle, extract_article
from crawler.extraction.pages import RawPage, read_saved_page
from crawler.extraction.profiles import Selectors, SiteProfile, bundled_profiles, profile_for_url

FIXTURES = Path(__file__).parent.parent / "fixtures"
FETCHED = datetime(2026, 11, 20, 10, 0, tzinfo=CHINA_TZ)
PARAGRAPHS = [
    "重庆市教委与四川省教育厅在渝签署《推动成渝地区双城经济圈建设教育协同发展框架协议》，双方将共建职业教育改革发展试验区。",
    "根据协议，两地将统筹职业院校建立跨省职教集团，共建优势专业、实习实训基地和技术创新中心，推进学分互认。",
    "目前，重庆已联合成立职教联盟9个，协同建设职业教育川渝统筹发展示范区、渝西川南产教融合发展试验区。",
]
SPAM = '<p>北京治疗白癜风要多少费用 <a href="https://m-mip.39.net/bdf/1.html">https://m-mip.39.net/bdf/1.html</a></p>'


def page_html(body: str, head: str = "", title: str = "川渝职教协同发展再出发_教育频道_某某网") -> str:
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/jy/'>教育</a></div>"
        f"<h1>川渝职教协同发展再出发</h1>{body}"
        "<div class='footer'>网站简介 | 广告合作 | 冀ICP备19027023号-7</div></body></html>"
    )


def raw(html: str, url: str = "http://www.zw-demo.cn/jy/2026/1120/1.html", **kwargs: object) -> RawPage:
    return RawPage(url=url, body=html.encode("utf-8"), fetched_at=FETCHED, **kwargs)  # type: ignore[arg-type]


def test_generic_detector_cleans_spam_inside_an_unknown_template() -> None:
    body = "<div class='zw-main'>" + SPAM + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div>"
    article = extract_article(raw(page_html(body)))
    assert article.paragraphs == PARAGRAPHS
    assert article.removed[0]["reason"] == "spam-link"
    assert "白癜风" in article.removed[0]["text"]


def test_a_short_last_paragraph_after_a_spam_line_injected_into_the_story_is_kept() -> None:
    last = "会议还对下一步工作进行了部署。"
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    body = "<div class='zw-main'>" + paragraphs + SPAM + f"<p>{last}</p><p>上一篇：某县召开安全会议</p></div>"
    article = extract_article(raw(page_html(body)))
    assert article.paragraphs == [*PARAGRAPHS, last]
    assert [removed["reason"] for removed in article.removed][0] == "spam-link"


def test_the_dates_of_a_table_of_deadlines_stay_in_the_text() -> None:
    rows = [("报名开始", "2026年3月1日 09:00"), ("报名截止", "2026年3月15日 17:00"), ("考试", "2026年4月8日 08:30")]
    table = "<table>" + "".join(f"<tr><td>{step}</td><td>{when}</td></tr>" for step, when in rows) + "</table>"
    body = "<div class='zw-main'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + table + "</div>"
    article = extract_article(raw(page_html(body)))
    assert all(f"{step}\t{when}" in article.paragraphs for step, when in rows)


def test_a_story_set_straight_in_the_body_inside_an_inline_element_is_found() -> None:
    lines = "<br><br>".join(PARAGRAPHS)
    html = (
        "<html><head><meta charset='utf-8'><title>川渝职教协同发展再出发</title></head><body>"
        f"<div id='headline'>川渝职教协同发展再出发</div><span id='release'>{lines}</span></body></html>"
    )
    assert extract_article(raw(html)).paragraphs == PARAGRAPHS


def test_a_sign_up_form_inside_the_story_is_dropped_and_every_paragraph_kept() -> None:
    form = (
        "<form action='/newsletter' method='post'><h4>订阅每周教育快讯</h4>"
        "<p>每周一早上把最新的教育新闻送到你的邮箱，随时可以退订。</p><input name='email'><button>订阅</button></form>"
    )
    body = "<div class='zw-main'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + form + "</div>"
    article = extract_article(raw(page_html(body)))
    assert article.paragraphs == PARAGRAPHS
    assert [removed["reason"] for removed in article.removed] == ["form"]
    assert "订阅每周教育快讯" in article.removed[0]["text"]


def test_a_video_player_between_paragraphs_is_dropped_and_the_story_runs_on_past_it() -> None:
    labels = ["播放", "静音", "当前时间 0:00", "时长 2:31", "字幕设置", "画质", "1080P", "倍速", "全屏", "正在加载..."]
    player = "<div class='zw-video'><div class='vjs-player'>" + "".join(f"<div>{label}</div>" for label in labels * 8)
    player += "</div></div>"
    body = "<div class='zw-main'>" + f"<p>{PARAGRAPHS[0]}</p>" + player + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:])
    article = extract_article(raw(page_html(body + "</div>")))
    assert article.paragraphs == PARAGRAPHS
    assert {removed["reason"] for removed in article.removed} == {"video-player"}


def test_the_writers_box_under_the_story_is_dropped_and_a_post_named_for_its_writer_kept() -> None:
    box = (
        "<div class='author-box'><img src='/avatar/7.png'><h4>关于作者</h4>"
        "<p>王小明是本站教育记者，长期关注基础教育改革，曾获省新闻奖。</p></div>"
    )
    post = "<div class='hentry post author-wangxm category-jiaoyu'>{}</div>"
    body = post.format("".join(f"<p>{p}</p>" for p in PARAGRAPHS) + box)
    article = extract_article(raw(page_html(body)))
    assert article.paragraphs == PARAGRAPHS
    assert [removed["reason"] for removed in article.removed] == ["author-bio"]


def test_a_page_wrapped_in_one_form_keeps_its_story() -> None:
    body = "<form id='aspnetForm'><div class='zw-main'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div></form>"
    assert extract_article(raw(page_html(body))).paragraphs == PARAGRAPHS


def test_profile_selector_wins_over_the_generic_detector() -> None:
    body = (
        "<div class='zw-main'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div>"
        f"<div class='lead-box'><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></div>"
    )
    profile = SiteProfile(name="zw", domains=("zw-demo.cn",), selectors=Selectors(body="div.lead-box"))
    assert extract_article(raw(page_html(body)), profile).paragraphs == PARAGRAPHS[:2]
    assert extract_article(raw(page_html(body))).paragraphs[:3] == PARAGRAPHS


def test_bundled_profile_is_chosen_by_url() -> None:
    profile = profile_for_url("http://www.1xbbk.net/jwbzn/4984.html")
    assert profile is not None and profile.name == "1xbbk"
    assert profile_for_url("http://www.1xbbk.net/jwbzn/") is None, "list URLs do not match article_url"
    assert all(profile.domains for profile in bundled_profiles())


def test_year_less_date_takes_the_year_of_the_fetch() -> None:
    body = "<div class='info'>发布时间：6月28日 09:30 来源：重庆日报</div>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    article = extract_article(raw(page_html(f"<div class='zw'>{body}</div>")))
    assert article.published_at == "2026-06-28T09:30:00+08:00"
    assert article.source == "重庆日报"


def test_trs_pager_script_gives_the_next_page() -> None:
    script = '<script>createPageHTML(3, 0, "t20220213_552130", "html");</script>'
    body = "<div class='TRS_Editor'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + f"</div>{script}"
    article = extract_article(raw(page_html(body), url="http://jyt.demo.gov.cn/xw/202202/t20220213_552130.html"))
    assert article.next_page_url == "http://jyt.demo.gov.cn/xw/202202/t20220213_552130_1.html"


def test_a_pager_linking_page_two_by_number_and_by_next_gives_the_next_page() -> None:
    # One address behind two inline links, "2" and 下一页: the pager of many Chinese CMSes.
    links = "<a href='#'>上一页</a> <span>1</span> <a href='88_2.html'>2</a> <a href='88_2.html'>下一页</a>"
    pager = f"<div id='pages'>{links}</div>"
    body = "<div class='content'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + f"{pager}</div>"
    article = extract_article(raw(page_html(body), url="http://www.demo-school.cn/news/88.html"))
    assert article.next_page_url == "http://www.demo-school.cn/news/88_2.html"


@pytest.mark.parametrize(
    ("last", "closing"),
    [
        # A paragraph announcing its points with a colon, the points as short dashed lines.
        ("一年来，两地职教协同取得新进展，主要体现在以下方面：", ["——专业共建持续推进", "——学分互认范围扩大"]),
        # A story that ends on its dialogue, each line opened by a dash.
        ("——明年还办联合招生吗？", ["——办，规模还要扩大", "——那我们再来报名"]),
    ],
)
def test_the_short_lines_a_story_ends_on_after_a_colon_or_in_its_dialogue_stay_its_text(
    last: str, closing: list[str]
) -> None:
    body = "<div class='content'>" + "".join(f"<p>{p}</p>" for p in [*PARAGRAPHS, last, *closing]) + "</div>"
    article = extract_article(raw(page_html(body)))
    assert article.paragraphs[-len(closing) :] == closing


def test_a_name_in_the_last_cell_of_a_closing_table_is_the_tables_not_a_signature() -> None:
    rows = "".join(
        f"<tr><td>{school}</td><td>{name}</td></tr>" for school, name in [("一中", "王雨晴"), ("二中", "许诺")]
    )
    body = "<div class='content'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + f"<table>{rows}</table></div>"
    article = extract_article(raw(page_html(body)))
    assert article.authors == [] and article.paragraphs[-1] == "二中\t许诺"


def test_a_notices_issuer_and_date_after_a_call_to_scan_a_code_stay_its_text() -> None:
    closing = ["请各校扫描下方二维码关注。", "某市教育局办公室", "2026年5月6日"]
    body = "<div class='content'>" + "".join(f"<p>{p}</p>" for p in [*PARAGRAPHS, *closing]) + "</div>"
    article = extract_article(raw(page_html(body)))
    assert article.paragraphs[-2:] == closing[1:]


def test_scrapy_alone_garbles_a_utf8_page_with_a_stale_gb2312_meta_but_we_do_not() -> None:
    page = read_saved_page(FIXTURES / "utf8-stale-gb2312-meta")
    scrapy_text = HtmlResponse(url=page.url, body=page.body, headers=dict(page.headers)).text
    article = extract_article(page)
    assert article.title not in scrapy_text, "the trap is real: Scrapy decodes this page as gb18030"
    assert article.encoding == "utf-8"


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"), (b"%PDF-1.4\n%\xe2\xe3", "PDF")],
)
def test_empty_and_binary_bodies_are_refused_with_the_reason(body: bytes, message: str) -> None:
    with pytest.raises(UndecodableBody, match=message):
        extract_article(RawPage(url="http://www.zw-demo.cn/a.html", body=body))


def test_server_error_page_is_not_an_article() -> None:
    body = "<div class='zw'>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div>"
    with pytest.raises(NotAnArticle) as raised:
        extract_article(raw(page_html(body), status=503))
    assert raised.value.reason == "error-page"


def test_malformed_html_still_yields_the_article() -> None:
    broken = "<div class='zw'><p>" + "<p>".join(PARAGRAPHS) + "<div><span><b>未闭合"
    article = extract_article(raw(page_html(broken)))
    assert article.paragraphs[:3] == PARAGRAPHS


def test_page_without_body_text_is_not_an_article() -> None:
    with pytest.raises(NotAnArticle) as raised:
        extract_article(raw(page_html("<div class='zw'><p>敬请期待。</p></div>")))
    assert raised.value.reason == "no-article-body"


def test_an_unmarked_caption_under_a_picture_and_a_closing_note_are_not_article_text() -> None:
    body = (
        "<div class='zw-main'><p><img src='/img/map.png'></p><p>川渝两地职教联盟分布一览。</p>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "<p>感谢张华、李明为本文提供的帮助</p><p>作者 王小明</p><p>责任编辑：周平</p></div>"
    )
    article = extract_article(raw(page_html(body)))
    assert article.paragraphs == PARAGRAPHS
    removed = {entry["text"]: entry["reason"] for entry in article.removed}
    assert removed["川渝两地职教联盟分布一览。"] == "caption"
    assert removed["感谢张华、李明为本文提供的帮助"] == "end-note"


def test_a_notices_record_set_as_a_grid_of_fields_under_its_headline_is_not_text() -> None:
    record = (
        "<table><tr><td>索引号：000000/2026-00012</td><td>主题分类：教育</td></tr>"
        "<tr><td>发文机关：某省教育厅</td><td>发文字号：某教〔2026〕3号</td></tr></table>"
    )
    body = "<div class='zw-main'>" + record + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div>"
    article = extract_article(raw(page_html(body)))
    assert article.paragraphs == PARAGRAPHS
    assert [removed["text"] for removed in article.removed if removed["reason"] == "meta-line"][:1] == [
        "索引号：000000/2026-00012"
    ]


def test_a_table_of_one_fact_a_row_opening_a_notice_stays_in_the_text() -> None:
    facts = ["讲座时间：2026年4月25日 14:30", "讲座地点：图书馆报告厅"]
    table = "<table>" + "".join(f"<tr><td>{fact}</td></tr>" for fact in facts) + "</table>"
    body = "<div class='zw-main'>" + table + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</div>"
    article = extract_article(raw(page_html(body)))
    assert article.paragraphs == [*facts, *PARAGRAPHS]


def _slideshow(count: int) -> str:
    slides = "".join(
        f"<li><h2><span class='counter'>{n}/{count}</span> 某地第{n}所学校新校舍落成</h2>"
        f"<p>该校新建的教学楼和运动场建筑面积约{n}万平方米，可容纳学生两千余人，于本学期正式投入使用，师生已陆续入驻。</p>"
        "<p class='credits'>资料图片</p></li>"
        for n in range(1, count + 1)
    )
    return f"<div class='gallery'><h2>图集：全省新校舍巡礼</h2><ul class='legends'>{slides}</ul></div>"


def test_a_slideshow_set_into_the_story_is_dropped_and_the_story_goes_on_past_it() -> None:
    # Twelve slides of other schools between the story's second and third paragraph: their captions
    # outweigh the story, which still reads on below them.
    body = (
        f"<div class='article'><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>{_slideshow(12)}<p>{PARAGRAPHS[2]}</p></div>"
    )
    article = extract_article(raw(page_html(body)))

    assert article.paragraphs == PARAGRAPHS
    assert sum(entry["reason"] == "slideshow" for entry in article.removed) == 1 + 12 * 3  # its title, then each slide


def test_a_story_told_in_slides_keeps_them() -> None:
    body = f"<div class='article'><p>{PARAGRAPHS[0]}</p>{_slideshow(6)}</div>"
    article = extract_article(raw(page_html(body)))

    assert sum("新校舍落成" in paragraph for paragraph in article.paragraphs) == 6
    assert not any(entry["reason"] == "slideshow" for entry in article.removed)
