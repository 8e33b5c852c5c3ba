"""Splitting a page into blocks: what a class name announces, links around blocks, hidden text."""

from __future__ import annotations

import pytest
from lxml import etree

from crawler.extraction.blocks import Block, Link, furniture_reason, normalize_space, split_blocks
from crawler.extraction.patterns import WHITESPACE

BASE = "http://www.example.edu.cn/news/1.html"


def element(html: str) -> etree._Element:
    return etree.fromstring(f"<html><body>{html}</body></html>", etree.HTMLParser()).find(".//body")[0]


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<div class='bdsharebuttonbox'>微信</div>", "share"),
        ("<div class='related-news'>新闻</div>", "related-list"),
        ("<div class='relatedPosts'>新闻</div>", "related-list"),
        ("<div id='comment_list'>评论</div>", "comments"),
        ("<div id='commentform'><h4>Add a Comment</h4></div>", "comments"),  # WordPress's comment form
        ("<div class='mini-bio'><p>Jane Smith covers schools for the paper.</p></div>", "author-bio"),
        ("<div class='author-box'><p>Tom Reed is a teacher who writes about maths lessons.</p></div>", "author-bio"),
        ("<div id='author'><h4>About Tom Reed</h4><p>Tom teaches maths in the valley.</p></div>", "author-bio"),
        ("<ul class='social-links'><li>Facebook</li><li>X</li></ul>", "share"),
        ("<div id='outbrain_widget_0'>Promoted stories</div>", "related-list"),
        ("<div class='most-popular'><h3>Most read</h3></div>", "related-list"),
        ("<div class='promo-signup'>Get the morning briefing</div>", "ad"),
        ("<ul class='menu'><li>Home</li><li>Schools</li><li>Exams</li></ul>", "navigation"),
        ("<div id='main-nav'><a href='/'>首页</a> <a href='/jy'>教育</a></div>", "navigation"),
        ("<div id='sidebar'><h4>About</h4><p>A blog about the valley's schools.</p></div>", "sidebar"),
        (
            "<p class='postmetadata alt'><small>This entry was posted on Monday, filed under Schools.</small></p>",
            "meta-line",
        ),
        # A layout wrapper named for the sidebar beside the content it also holds.
        ("<div id='content-sidebar-wrap'>" + "<p>很长的正文段落，讲述了学校里发生的事情。</p>" * 80 + "</div>", None),
        # A profile page's whole text in a "bio" element is the page, not a box under a story.
        ("<div class='bio'>" + "<p>很长的正文段落，讲述了学校里发生的事情。</p>" * 80 + "</div>", None),
        ("<div class='mpu_ad_container'>广告</div>", "ad"),
        ("<div class='teads-inread'><div>Advertising</div><a>invented by an ad network</a></div>", "ad"),
        ("<p class='img-caption'>图注</p>", "caption"),
        ("<div class='prev-next'>上一篇</div>", "prev-next"),
        ("<nav>首页 新闻</nav>", "navigation"),
        # ARIA roles mark the same furniture in templates built of <div>s.
        ("<div role='navigation'><a href='/'>首页</a> <a href='/jy'>教育</a></div>", "navigation"),
        ("<div role='search'><input name='q'> 搜索</div>", "navigation"),
        ("<div role='contentinfo'>版权所有 某某教育网</div>", "footer"),
        ("<div role='complementary'><h3>Most read</h3></div>", "related-list"),
        ("<div role='dialog'><p>Sign up for the morning briefing.</p></div>", "dialog"),
        ("<div class='cookie-settings'><div>Strictly necessary</div><div>Performance</div></div>", "dialog"),
        ("<div class='article-player'><div>Now watching</div><div>Up next in 5</div></div>", "video-player"),
        ("<div id='main-player'><style>" + ".vjs-bar{width:4em}" * 200 + "</style>Full screen</div>", "video-player"),
        # A video page: the player's box holds the page's headline.
        ("<div class='player-page'><h1>标题</h1><p>正文</p></div>", None),
        ("<div role='main'><p>正文</p></div>", None),
        ("<div role='banner'><h1>标题</h1></div>", None),  # it holds the headline
        ("<aside>推荐</aside>", "related-list"),
        ("<footer>版权所有</footer>", "footer"),
        ("<div id='copyright'>Example.com is the official site of the league.</div>", "footer"),
        ("<div class='site-footer'>About us</div>", "footer"),
        ("<form action='/subscribe'><p>Get our weekly digest by email.</p><input name='email'></form>", "form"),
        # A whole page wrapped in one form (ASP.NET) is a layout wrapper, not a box set in the page.
        ("<form id='aspnetForm'>" + "<p>很长的正文段落，讲述了学校里发生的事情。</p>" * 80 + "</form>", None),
        # Layout and state classes that merely contain such words.
        ("<div class='position-relative'>正文</div>", None),
        ("<div class='has-ads flag-share-on'>正文</div>", None),
        ("<article class='post tag-sponsoring category-ads'>正文</article>", None),
        # A post filed under its taxonomy: its classes name its writer, they announce no author box.
        ("<div class='hentry post author-admin category-news'><p>The post.</p></div>", None),
        ("<div class='entry-author-tomreed entry-type-post entry'><p>The post.</p></div>", None),
        ("<div class='ad type-banner'>Advertisement</div>", "ad"),  # an advert's type files no post
        ("<div class='header'>正文</div>", None),
        ("<div class='footnotes'>1. 注释正文</div>", None),
        ("<div class='Page-ad-margins'><h1>标题</h1><p>正文</p></div>", None),
        ("<div class='sharing-container'>" + "<p>很长的正文段落，讲述了学校里发生的事情。</p>" * 80 + "</div>", None),
    ],
)
def test_a_class_or_tag_announces_furniture(html: str, reason: str | None) -> None:
    assert furniture_reason(element(html)) == reason


def test_a_link_around_a_whole_teaser_makes_its_blocks_links() -> None:
    blocks = split_blocks(
        element("<div><a href='/2.html'><h3>另一篇新闻的标题</h3><span>2026-11-20</span></a></div>"), BASE
    )
    heading = blocks[0]
    assert heading.text == "另一篇新闻的标题"
    assert heading.link_text_length == len(heading.text)
    assert heading.links[0].href == "http://www.example.edu.cn/2.html"


def test_an_element_in_the_role_of_a_button_is_no_text() -> None:
    blocks = split_blocks(element("<div><div role='button'>Full screen</div><p>正文第一段。</p></div>"), BASE)
    assert [block.text for block in blocks] == ["正文第一段。"]


def test_hidden_text_is_not_a_block_but_visibility_hidden_is() -> None:
    html = (
        "<div><p style='display: none'>隐藏的内容</p><p hidden>也隐藏</p>"
        "<div style='visibility: hidden'><p>脚本显示的正文</p></div></div>"
    )
    assert [block.text for block in split_blocks(element(html), BASE)] == ["脚本显示的正文"]


LONG_PARAGRAPH = "市教育局今天召开会议，部署今年暑期中小学安全工作，要求各校在放假前完成一次安全隐患排查。" * 6


def test_a_second_copy_a_class_hides_is_left_out() -> None:
    html = (
        f"<div><div class='print-copy hidden'><p>{LONG_PARAGRAPH}</p></div>"
        f"<div class='story'><p>{LONG_PARAGRAPH}</p></div></div>"
    )
    assert [block.text for block in split_blocks(element(html), BASE)] == [LONG_PARAGRAPH]


def test_other_text_a_class_hides_is_read_as_a_click_or_a_wider_screen_shows_it() -> None:
    rest = LONG_PARAGRAPH.replace("暑期", "寒假")  # found nowhere else: the rest of a story behind 展开全文
    html = (
        f"<div><p>{LONG_PARAGRAPH}</p><div class='more hidden'><p>{rest}</p></div>"
        "<p class='hide'>记者 王小明</p><p class='d-none d-md-block'>宽屏显示的导语</p></div>"
    )
    expected = [LONG_PARAGRAPH, rest, "记者 王小明", "宽屏显示的导语"]
    assert [block.text for block in split_blocks(element(html), BASE)] == expected


def test_a_list_of_links_a_class_hides_is_left_out() -> None:
    teasers = "".join(f"<li><a href='/news/{n}.html'>另一所学校举行开学典礼第{n}场</a></li>" for n in range(6))
    html = f"<div><p>{LONG_PARAGRAPH}</p><div class='tab-panel hidden'><ul>{teasers}</ul></div></div>"
    assert [block.text for block in split_blocks(element(html), BASE)] == [LONG_PARAGRAPH]


def test_nesting_thousands_deep_is_walked_without_recursion() -> None:
    root = etree.Element("div")
    node = root
    for _ in range(20_000):
        node = etree.SubElement(node, "div")
    node.text = "最深处的正文"
    assert [block.text for block in split_blocks(root, BASE)] == ["最深处的正文"]


def test_mathml_is_not_read_as_words_but_the_sentence_around_it_is() -> None:
    html = (
        "<div><p>Suppose <math><mi>a</mi><mo>≠</mo><mn>0</mn></math>; then the equation "
        "<math><msup><mi>x</mi><mn>2</mn></msup><mo>=</mo><mi>a</mi></math> has two roots.</p></div>"
    )
    assert [block.text for block in split_blocks(element(html), BASE)] == ["Suppose ; then the equation has two roots."]


def test_ruby_readings_do_not_break_the_words_they_annotate() -> None:
    html = (
        "<div><p><ruby>学校<rp>(</rp><rt>がっこう</rt><rp>)</rp></ruby>の"
        "<ruby>図書館<rt>としょかん</rt></ruby>が新しくなる</p></div>"
    )
    assert [block.text for block in split_blocks(element(html), BASE)] == ["学校の図書館が新しくなる"]


def test_a_form_inside_an_advert_stays_part_of_the_advert() -> None:
    html = "<div><div class='ad-banner'><form><p>Accept cookies to read on.</p><input type='submit'></form></div></div>"
    assert [block.wrapper for block in split_blocks(element(html), BASE)] == ["ad"]


@pytest.mark.parametrize(
    ("text", "links", "share", "mostly"),
    [
        ("相关新闻：教育部发布通知", ("教育部发布通知",), 0.5, True),
        ("教育部发布通知，全文见附件一和附件二", ("附件一",), 0.5, False),
        ("more: Ministry news", ("Ministry news",), 0.6, True),
        ("read the Ministry news", ("Ministry news",), 0.6, False),
        ("没有链接的一句话。", (), 0.5, False),
    ],
)
def test_a_block_is_mostly_links_from_the_share_of_its_text_in_them(
    text: str, links: tuple[str, ...], share: float, mostly: bool
) -> None:
    block = Block(text, links=tuple(Link("http://www.example.edu.cn/a.html", link) for link in links))
    assert block.mostly_links(share) is mostly


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("\u3000\u3000全角缩进的段落", "全角缩进的段落"),
        ("某某\xa0\xa0教育局\n\t通知", "某某 教育局 通知"),
        ("零\u200b宽\ufeff空格", "零 宽 空格"),
        ("  Two\u2002kinds\u2009of   space  ", "Two kinds of space"),
        ("", ""),
    ],
)
def test_every_kind_of_white_space_collapses_to_one_space(text: str, normalized: str) -> None:
    assert normalize_space(text) == normalized


def test_white_space_is_what_the_whitespace_pattern_matches_for_every_character() -> None:
    """The fast path (``str.split``) must collapse exactly the characters the pattern names."""
    for code in range(0x10000):
        text = f"a{chr(code)}b"
        assert normalize_space(text) == WHITESPACE.sub(" ", text).strip(), hex(code)
