"""The headline a reader sees: agreement between the page's blocks and what its title says."""

from __future__ import annotations

import pytest

from crawler.extraction.blocks import Block, Link
from crawler.extraction.extract import extract_article
from crawler.extraction.headline import agreeing_headline, agreement, heading_above, leads_here
from crawler.extraction.pages import RawPage

BODY = (
    "<p>区教育局日前召开会议，部署新学期校园安全工作，要求各校在开学前完成一次全面的安全隐患排查。</p>"
    "<p>会议强调，各校要落实校园安全主体责任，加强门卫管理和校车管理，确保师生平安开学。</p>"
)


@pytest.mark.parametrize(
    ("block", "candidate", "expected"),
    [
        ("新学期校园安全工作部署会召开", "新学期校园安全工作部署会召开", 1.0),
        ("新学期校园安全工作部署会召开 ", "新学期 校园安全工作部署会召开！", 1.0),
        ("新学期校园安全工作部署会召开播报文章", "新学期校园安全工作部署会召开", 14 / 18),
        ("某区教育局", "新学期校园安全工作部署会召开", 0.0),
        ("首页", "首页", 0.0),
    ],
)
def test_agreement_between_a_block_and_a_title(block: str, candidate: str, expected: float) -> None:
    assert agreement(block, candidate) == pytest.approx(expected)


def test_a_widget_label_glued_to_the_headline_is_left_out() -> None:
    blocks = [Block("某区教育局"), Block("新学期校园安全工作部署会召开播报文章", "h")]
    headline = agreeing_headline(blocks, ["新学期校园安全工作部署会召开", "某区教育局"])
    assert headline is not None and headline.text == "新学期校园安全工作部署会召开" and headline.index == 1


def test_the_site_name_agreeing_with_its_part_of_the_title_loses_to_the_headline() -> None:
    blocks = [Block("某区教育局", "h"), Block("新学期校园安全工作部署会召开", "h")]
    headline = agreeing_headline(blocks, ["某区教育局", "新学期校园安全工作部署会召开"])
    assert headline is not None and headline.text == "新学期校园安全工作部署会召开"


def test_a_list_entry_repeating_the_title_is_not_the_headline() -> None:
    html = "<html><body><ul><li>新学期校园安全工作部署会召开</li></ul></body></html>"
    from lxml import etree

    root = etree.fromstring(html, etree.HTMLParser())
    from crawler.extraction.blocks import split_blocks

    assert agreeing_headline(split_blocks(root, "http://x.cn/"), ["新学期校园安全工作部署会召开"]) is None


def test_a_comment_threads_heading_repeating_the_title_is_not_the_headline() -> None:
    title = "New timetable for the autumn term"
    blocks = [
        Block(title, "h", links=(Link("https://blog.riverside.example/2026/08/timetable", title),)),
        Block("The school will start fifteen minutes later from September, after a year of talks.", "p"),
        Block(f"2 comments to {title}", "h", wrapper="comments"),
        Block("Finally! Our two will be so pleased.", "p", wrapper="comments"),
    ]
    assert agreeing_headline(blocks, [title]) is None


def test_the_heading_above_the_body_is_taken_when_the_title_names_only_the_site() -> None:
    blocks = [
        Block("网站首页"),
        Block("新学期校园安全工作部署会召开", "h"),
        Block("发布时间：2026-08-28"),
        Block("正文"),
    ]
    headline = heading_above(blocks, 3)
    assert headline is not None and headline.text == "新学期校园安全工作部署会召开"


@pytest.mark.parametrize(
    "above",
    [Block("Advertisement", wrapper="ad"), Block("Von Leonora Holling", "h"), Block("By Jane Smith", "h")],
    ids=["advert-label", "german-credit", "english-credit"],
)
def test_the_heading_above_the_body_is_no_advert_label_and_no_writers_credit(above: Block) -> None:
    blocks = [Block("网站首页"), Block("Energy prices: what households can claim", "h"), above, Block("正文")]
    headline = heading_above(blocks, 3)
    assert headline is not None and headline.text == "Energy prices: what households can claim"


def test_extraction_takes_the_shown_headline_when_the_title_is_only_the_site_name() -> None:
    html = (
        f"<html><head><title>-某区教育网</title></head><body><h1>新学期校园安全工作部署会召开</h1>{BODY}</body></html>"
    )
    raw = RawPage("http://www.example.edu.cn/a/1.html", html.encode(), {"Content-Type": "text/html; charset=utf-8"})
    assert extract_article(raw).title == "新学期校园安全工作部署会召开"


def test_a_long_headline_in_an_h1_is_the_headline_not_the_site_name_in_the_text() -> None:
    long = (
        "New fire-fighting foam, charcoal made from olive stones and a flow battery for the garden shed – "
        "young researchers present three ideas at the inventors fair in Nuremberg"
    )
    site = "Young Researchers Foundation"
    html = (
        f"<html><head><meta charset='utf-8'><title>{long} - {site}</title>"
        f"<meta property='og:title' content='{long}'></head><body><h1>{long}</h1>"
        "<p>Five prize winners of the national science contest present their projects at the fair from tomorrow, "
        "and visitors can try two of them on the spot.</p>"
        f"<p>{site}</p><p>The foundation runs the contest every year for pupils and students under 21.</p>"
        "</body></html>"
    )
    article = extract_article(RawPage("https://www.example.org/press/1.html", html.encode()))
    assert len(long) > 120 and article.title == long


def test_a_cards_heading_repeating_the_title_inside_a_post_does_not_head_the_post() -> None:
    html = (
        "<html><head><meta charset='utf-8'><title>燕麦能量球 - 二年级班级博客</title></head><body>"
        "<div class='post'><h1>我们的班级烘焙日：给义卖会做燕麦能量球</h1>"
        "<p>每年十二月，我们班都会为学校的冬季义卖会准备点心。今年孩子们选择了不用烤箱的燕麦能量球，每一步都能自己动手完成。</p>"
        "<p>全班分成四个小组，有的称燕麦，有的搅拌蜂蜜和花生酱，有的揉团计数，一上午做了两百多个。</p>"
        "<div class='recipe-card'><h2>燕麦能量球</h2><ol><li>把花生酱、蜂蜜和香草精放进大碗里，搅拌到顺滑为止。</li>"
        "<li>加入燕麦和葡萄干，拌匀，让每一粒燕麦都裹上酱料。</li><li>冷藏二十分钟后，搓成核桃大小的小球。</li></ol></div>"
        "</div></body></html>"
    )
    article = extract_article(RawPage("https://blog.example.edu.cn/2025/12/02/oat-bites.html", html.encode()))
    assert article.title == "我们的班级烘焙日：给义卖会做燕麦能量球"
    assert "把花生酱、蜂蜜和香草精放进大碗里，搅拌到顺滑为止。" in article.text


def test_a_heading_inside_the_body_that_repeats_the_title_does_not_head_the_article() -> None:
    html = (
        "<html><head><meta charset='utf-8'><title>校园安全 - 某区教育网</title></head><body>"
        f"<div class='article'><h1>新学期校园安全工作部署会召开</h1>{BODY}<h3>校园安全</h3>{BODY}</div>"
        "</body></html>"
    )
    article = extract_article(RawPage("https://www.example.edu.cn/news/2025/0901/7.html", html.encode()))
    assert article.title == "新学期校园安全工作部署会召开"
    assert article.paragraphs[0].startswith("区教育局日前召开会议")


@pytest.mark.parametrize(
    ("part", "url", "names"),
    [
        ("The Riverside Learning Journal Blog", "https://blog.riversidelearning.org/2024/05/a.html", True),
        ("EDUWEEKLY.com", "https://news.eduweekly.com/a/1.html", True),
        ("Riverside pupils plant a school orchard", "https://blog.riversidelearning.org/2024/05/a.html", False),
        # A label too short, or without a letter, is found inside ordinary words or numbers.
        ("A quarter of qualified teachers", "https://www.qq.com/a.html", False),
        ("163 schools reopen", "https://www.163.com/a.html", False),
        ("某区教育局", "http://www.xxjy.gov.cn/a/1.html", False),
    ],
)
def test_a_title_part_names_the_site_when_it_holds_the_name_of_the_sites_address(
    part: str, url: str, names: bool
) -> None:
    from crawler.extraction.metadata import names_site, site_label

    assert names_site(part, site_label(url)) is names


def test_the_title_part_naming_the_site_is_not_taken_for_the_headline_even_when_longer() -> None:
    headline = "Pupils plant an orchard"
    site = "The Riverside Learning Journal Blog"
    html = (
        f"<html><head><meta charset='utf-8'><title>{headline} | {site}</title></head><body>"
        f"<h1 class='site-title'>{site}</h1><ul><li><a href='/'>Home</a></li><li><a href='/about'>About</a></li></ul>"
        f"<div class='post'><h2>{headline}</h2>"
        "<p>Forty pupils of the primary school planted twelve apple and pear trees behind the sports hall on "
        "Friday, with help from parents and a local gardening club.</p>"
        "<p>The orchard will be looked after by the school's eco-council, and the first fruit is expected in "
        "two or three years, the head teacher said.</p></div>"
        "<div class='sidebar'><h6>Happy readers</h6><p>Thanks for the lovely stories every week.</p></div>"
        "</body></html>"
    )
    article = extract_article(RawPage("https://blog.riversidelearning.org/2024/05/orchard.html", html.encode()))
    assert article.title == headline and article.site_name == site
    assert article.text.startswith("Forty pupils")


POST_URL = "https://blog.riverside.example/2026/08/timetable/"
POST_TITLE = "New timetable for the autumn term"


def _blog_page(
    heading: str,
    sidebar_heading: str = "",
    title: str = f"{POST_TITLE} | Riverside Parents",
    blog: str = "Riverside Parents",
) -> RawPage:
    """A blog post of two short paragraphs whose sidebar (an about box, recent posts) says more."""
    about = " ".join(
        f"We write about the schools of the valley, part {n}: their teachers and pupils, and the decisions"
        " of the district board that shape their days."
        for n in range(5)
    )
    recent = "".join(
        f"<li><a href='/2026/0{n}/post/'>Notes from the board meeting, month {n}</a></li>" for n in range(8)
    )
    sidebar = f"<div class='widget'><h4>About this blog</h4><p>{about}</p></div><ul class='recent'>{recent}</ul>"
    html = (
        f"<html><head><title>{title}</title></head><body>"
        f"<div class='header'><h1><a href='/'>{blog}</a></h1></div>"
        f"<div class='post'>{heading}<div class='entry'>"
        "<p>The school will start fifteen minutes later from September, after a year of talks with parents.</p>"
        "<p>Buses will leave the depot at the new time, and the breakfast club opens as before.</p>"
        f"</div></div><div class='sidebar'>{sidebar_heading}{sidebar}</div></body></html>"
    )
    return RawPage(POST_URL, html.encode(), {"Content-Type": "text/html; charset=utf-8"})


def test_a_posts_title_linking_to_the_post_itself_is_its_headline() -> None:
    page = _blog_page(f"<h3><a href='{POST_URL}#more' rel='bookmark'>{POST_TITLE}</a></h3>")
    headline = agreeing_headline_of(page)
    assert headline is not None and (headline.text, headline.tag) == (POST_TITLE, "h3")
    article = extract_article(page)
    assert "headline in <h3>" in (article.evidence or "") and article.text.startswith("The school will start")


def test_a_heading_linking_to_its_posts_permalink_heads_the_post_reached_by_another_address() -> None:
    # Reached through a mirror, a feed's redirect or an archive: the post's own address is not the page's.
    heading = f"<h3><a href='https://old.riverside.example/?p=88'{{}}>{POST_TITLE}</a></h3>"
    marked, unmarked = _blog_page(heading.format(" rel='bookmark'")), _blog_page(heading.format(""))
    headline = agreeing_headline_of(marked)
    assert headline is not None and (headline.text, headline.tag) == (POST_TITLE, "h3")
    assert agreeing_headline_of(unmarked) is None


def test_a_heading_linking_elsewhere_is_no_headline_and_a_plain_one_beats_a_self_link() -> None:
    elsewhere = _blog_page(f"<h3><a href='/2026/07/other/'>{POST_TITLE}</a></h3>")
    assert agreeing_headline_of(elsewhere) is None
    # A "most read" teaser of the post itself, in a stronger heading than the post's own plain one.
    teaser = f"<h2><a href='{POST_URL}'>{POST_TITLE}</a></h2>"
    both = _blog_page(f"<h3>{POST_TITLE}</h3>", sidebar_heading=teaser)
    headline = agreeing_headline_of(both)
    assert headline is not None and headline.tag == "h3"


def test_a_posts_permalink_heads_it_when_the_title_names_only_the_blog() -> None:
    page = _blog_page(f"<h2><a href='{POST_URL}' rel='bookmark'>{POST_TITLE}</a></h2>", title="Riverside Parents")
    article = extract_article(page)
    # Two short paragraphs under no shown headline would be refused as no article body.
    assert article.title == POST_TITLE and "headline in <h2>" in (article.evidence or "")


def test_a_blogs_name_before_the_colon_of_the_title_is_left_out_when_the_page_links_it_home() -> None:
    # Blog platforms title a post "Blog Name: Post title"; the header links the blog's name home.
    blog = "Notes of the Riverside Parents' Association"
    page = _blog_page(f"<h3 class='post-title'>{POST_TITLE}</h3>", title=f"{blog}: {POST_TITLE}", blog=blog)
    article = extract_article(page)
    assert article.title == POST_TITLE and "headline in <h3>" in (article.evidence or "")


@pytest.mark.parametrize(
    ("href", "home"), [("/", True), ("http://[bad/", False), ("https://other.example/", False), ("/archive/", False)]
)
def test_only_a_link_home_makes_the_part_before_the_colon_the_sites_name(href: str, home: bool) -> None:
    # An address that does not parse, another site's home, a page of the site: none is its home page.
    from crawler.extraction.extract import parse_html
    from crawler.extraction.metadata import title_candidates, title_tag

    blog = "Notes of the Riverside Parents' Association"
    raw = _blog_page(f"<h3 class='post-title'>{POST_TITLE}</h3>", title=f"{blog}: {POST_TITLE}", blog=blog)
    raw = RawPage(raw.url, raw.body.replace(b"href='/'>", f"href='{href}'>".encode()), raw.headers)
    selector, _ = parse_html(raw)
    assert (POST_TITLE in title_candidates(selector, title_tag(selector), raw.url)) is home


def test_a_title_whose_part_before_the_colon_is_not_the_sites_linked_name_is_kept_whole() -> None:
    title = f"Riverside schools: {POST_TITLE}"
    page = _blog_page(f"<h3 class='post-title'>{title}</h3>", title=title)
    assert extract_article(page).title == title


@pytest.mark.parametrize("href", ["#", "#comments", ""])
def test_a_heading_linking_to_a_place_on_the_page_is_no_permalink(href: str) -> None:
    page = _blog_page(f"<h2><a href='{href}'>{POST_TITLE}</a></h2>", title="Riverside Parents")
    assert agreeing_headline_of(page) is None


@pytest.mark.parametrize(
    ("href", "here"),
    [
        ("https://news.example.org/view/3485-falcons", True),
        ("http://news.example.org/view/3485-falcons/", True),
        ("https://news.example.org/view/3485-falcons?xid=home", False),
        ("https://news.example.org/view/3486-saints", False),
        ("https://other.example.org/view/3485-falcons", False),
        ("http://[broken/view", False),
    ],
)
def test_a_link_leads_here_without_the_campaign_tag_the_pages_address_adds(href: str, here: bool) -> None:
    assert leads_here(href, "https://news.example.org/view/3485-falcons?xid=nfl") is here


def test_a_link_leads_here_only_with_the_same_page_parameters() -> None:
    assert leads_here("https://school.example.cn/view.php?id=5", "https://school.example.cn/view.php?id=5&from=rss")
    assert not leads_here("https://school.example.cn/view.php?id=6", "https://school.example.cn/view.php?id=5")


def agreeing_headline_of(page: RawPage):  # noqa: ANN201 - a test helper
    from crawler.extraction.blocks import split_blocks
    from crawler.extraction.extract import find_headline, parse_html
    from crawler.extraction.metadata import title_tag

    selector, _ = parse_html(page)
    return find_headline(selector, split_blocks(selector.root, page.url), title_tag(selector), None, page.url)
