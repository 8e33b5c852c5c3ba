"""Finding the article on pages built in the test: below its headline, whole, and nothing else."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.extraction.blocks import Block, split_blocks
from crawler.extraction.dates import CHINA_TZ
from crawler.extraction.extract import extract_article, parse_html
from crawler.extraction.locate import _reach, locate
from crawler.extraction.pages import RawPage

FETCHED = datetime(2026, 11, 20, 10, 0, tzinfo=CHINA_TZ)
STORY = [
    "市教育局今天召开新闻发布会，介绍今年秋季学期中小学课后服务的安排，全市三百多所学校将全部开展课后服务。",
    "据介绍，课后服务以学生自愿参加为原则，学校将开设体育、艺术、科技等社团活动，并安排教师辅导学生完成作业。",
    "为保障服务质量，市里将课后服务纳入学校年度考核，并通过问卷调查收集家长意见，及时调整服务内容。",
    "市教育局有关负责人表示，下一步将继续完善经费保障机制，鼓励学校引入校外优质资源，丰富课后服务供给。",
]
HEADLINE = "全市中小学全面开展课后服务"
TEASERS = "".join(
    f"<li><a href='/news/2026/11{day:02d}/{day}.html'>其他学校新闻标题第{day}条内容</a>"
    f"<p>这是另一篇新闻的摘要，讲的是别的学校的事情，第{day}条，读者可以点击标题阅读全文。</p></li>"
    for day in range(1, 9)
)
LINKS = "".join(f"<a href='/news/{n}.html'>其他新闻标题第{n}条</a> " for n in range(1, 9))


def page(body: str, title: str = f"{HEADLINE}_教育新闻_某市教育网") -> RawPage:
    html = (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        "<div class='top'><a href='/'>首页</a> <a href='/news/'>新闻</a> <a href='/notice/'>通知公告</a></div>"
        f"{body}"
        "<div class='bottom'>主办单位：某市教育局 地址：某市人民路1号，联系电话：0000-12345678。</div>"
        "</body></html>"
    )
    return RawPage("http://jyj.example.gov.cn/news/2026/1120/5.html", html.encode(), fetched_at=FETCHED)


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def test_article_below_the_headline_is_found_beside_a_sidebar_of_teasers() -> None:
    body = (
        f"<div class='main'><h1>{HEADLINE}</h1><div class='info'>发布时间：2026-11-20 09:00</div>"
        f"<div class='text'>{paragraphs(STORY)}</div></div><div class='side'><ul>{TEASERS}</ul></div>"
    )
    assert extract_article(page(body)).paragraphs == STORY


def test_a_short_story_is_not_outweighed_by_a_wordy_footer() -> None:
    notes = ["本站所刊登的各种新闻、信息和各种专题专栏资料，均为本网版权所有，如需使用请与我们联系，谢谢合作。"] * 2
    footer = f"<div class='copy'>{paragraphs(notes)}</div>"
    body = f"<h1>{HEADLINE}</h1><div class='text'><p>{STORY[0]}</p></div><ul>{TEASERS}</ul>{footer}"
    assert extract_article(page(body)).paragraphs == [STORY[0]]


def test_an_auto_loaded_second_article_after_another_headline_is_not_the_body() -> None:
    second = ["另一篇文章的正文在这里开始，它讲的是完全不同的事情，和上面的新闻没有关系，只是被页面自动加载出来。"] * 4
    body = (
        f"<div class='a1'><h1>{HEADLINE}</h1>{paragraphs(STORY[:2])}</div>"
        f"<div class='a2'><h1>另一篇完全不同的文章标题</h1>{paragraphs(second)}</div>"
    )
    assert extract_article(page(body)).paragraphs == STORY[:2]


def test_an_article_split_by_a_newsletter_box_is_found_whole() -> None:
    box = "<div class='promo'><a href='/subscribe'>订阅我们的教育资讯周刊，每周一送达您的邮箱</a></div>"
    body = (
        f"<h1>{HEADLINE}</h1><div class='wrap'><div class='part1'>{paragraphs(STORY[:2])}</div>{box}"
        f"<div class='part2'>{paragraphs(STORY[2:])}</div></div>"
    )
    assert extract_article(page(body)).paragraphs == STORY


def test_teasers_after_a_related_list_are_not_the_article() -> None:
    body = f"<div class='content'><h1>{HEADLINE}</h1>{paragraphs(STORY)}<h3>相关新闻</h3><ul>{TEASERS}</ul></div>"
    article = extract_article(page(body))
    assert article.paragraphs == STORY
    assert any(item["reason"] == "related-list" for item in article.removed)


def test_a_headline_repeated_in_a_sticky_header_does_not_cut_the_article() -> None:
    body = (
        f"<div class='sticky'><h1>{HEADLINE}</h1></div><div class='main'><h1>{HEADLINE}</h1>{paragraphs(STORY)}</div>"
    )
    assert extract_article(page(body)).paragraphs == STORY


def test_a_page_nested_five_thousand_deep_still_gives_its_text() -> None:
    body = f"<h1>{HEADLINE}</h1>" + "<div>" * 5000 + paragraphs(STORY) + "</div>" * 5000
    assert extract_article(page(body)).paragraphs == STORY


def test_a_copy_of_the_headline_closing_the_body_does_not_hide_the_body_above_it() -> None:
    copy = "课后服务怎么开展？"
    footer = "本站所刊登的各种新闻、信息和各种专题专栏资料，均为本网版权所有，如需使用请与我们联系，谢谢合作。" * 2
    links = "".join(f"<li><a href='/news/{day}.html'>其他学校新闻标题第{day}条内容</a></li>" for day in range(1, 30))
    html = (
        f"<html><body><div id='content'>{paragraphs(STORY * 2)}<div class='nav-copy'>{copy}</div></div>"
        f"<div class='sitemap'><ul>{links}</ul></div><div id='footer'><p>{footer}</p></div></body></html>"
    )
    selector, _ = parse_html(RawPage("http://jyj.example.gov.cn/news/5.html", html.encode()))
    blocks = split_blocks(selector.root, "http://jyj.example.gov.cn/news/5.html")
    headline = next(index for index, block in enumerate(blocks) if block.text == copy)
    location = locate(selector.root, blocks, headline)
    assert location is not None
    held = set(location.container.iter())
    assert all(block.node in held for block in blocks[:headline])


def test_the_article_runs_on_past_a_list_of_short_items_to_the_next_paragraph() -> None:
    lead = Block("A glass cloche terrarium is pleasing to the eye, and it keeps a bit of nature indoors all year. " * 3)
    related = [Block(f"Another terrarium idea number {n}", wrapper="related-list") for n in range(4)]
    items = ["Glass jar", "Tray", "Potting mix", "Ruler", "Scissors", "Spoon", "Gravel", "String", "Moss"]
    items += ["Sand", "Tongs", "Bark chips", "Stones", "Seedlings"]
    labels = [Block("You will want:"), *(Block(item, tag="li") for item in items), Block("Step 1")]
    step = Block(
        "Measure the rim of the cloche and cut the foam a little smaller, so that it sits inside the glass. " * 2
    )
    blocks = [lead, *related, *labels, step]
    assert _reach(blocks, 0, 1, len(blocks) - 1) == len(blocks) - 1
    assert _reach([lead, *related * 5, step], 0, 1, 21) == 0, "a long link list still ends the article"


def test_comments_inside_the_article_container_do_not_outweigh_the_article() -> None:
    comments = "".join(
        f"<div class='comment-text'><p>读者留言第{n}条：这篇报道写得很详细，"
        "我们学校也在做类似的课后服务，希望能多交流经验。</p></div>"
        for n in range(1, 31)
    )
    body = (
        f"<div class='entry'><h2><a href='/news/5.html'>{HEADLINE}</a></h2>"
        f"<span>{paragraphs(STORY * 2)}{comments}</span></div>"
    )
    article = extract_article(page(body))
    assert article.paragraphs[: len(STORY)] == STORY


def test_a_headline_that_reads_like_a_sentence_does_not_pull_the_meta_line_into_the_body() -> None:
    headline = "课后服务：全市三百多所学校全面开展"  # a colon: weighed as running text
    body = (
        f"<div class='post'><h2>{headline}</h2>"
        "<div class='meta'><span>原创</span> <em>2026-11-20</em> <em>某城教育</em></div>"
        f"<div class='text'>{paragraphs(STORY)}</div></div><div class='links'>{LINKS}</div>"
    )
    article = extract_article(page(body, title=headline))
    assert article.paragraphs == STORY
    assert article.title == headline


@pytest.mark.parametrize(
    "closing",
    [
        "<div class='commentform'><h4>Leave a reply</h4><label>Name</label><input name='author'>"
        "<span>We welcome comments that stay on topic; please be civil and keep replies short.</span>"
        "<label>Comment</label><textarea></textarea></div>",
        "<nav class='post-navigation'><a href='/2026/11/bus-routes/'>« Two bus routes merge next fall</a> "
        "<a href='/2026/11/lunch-menu/'>New lunch menu tested in three schools »</a></nav>",
        "<div class='share-bar'><a href='/share?to=mail'>Email</a> <a href='/share?to=print'>Print</a> "
        "<a href='/share?to=feed'>Follow this blog</a></div>",
    ],
    ids=["comment-form", "post-navigation", "share-bar"],
)
def test_the_article_does_not_run_on_past_its_closing_furniture_into_the_column_beside_it(closing: str) -> None:
    story = [
        "The district board voted on Tuesday to move the start of the high-school day to half past eight, "
        "after two years of surveys of parents, teachers and the students who ride the earliest buses.",
        "Board members said the change would cost about two hundred thousand dollars a year in bus contracts, "
        "money they expect to find by merging two routes that carry fewer than twenty riders each morning.",
        "Teachers asked the board to keep the length of the day as it is, and the schedule adopted on Tuesday "
        "does so by ending classes later, which moves sports practices back by the same amount of time.",
    ]
    about = (
        "<div class='rail'><h3>About this blog</h3><a href='/feed/'>RSS</a>"
        "<p>The school-news desk writes this blog from the city hall press room, where it has followed the "
        "district board's meetings since 2009; also posting are three reporters of the education team.</p></div>"
    )
    # The headline inside the story's own element: its column is not known, the furniture ends the run.
    body = (
        "<div class='page'><div class='story'><h1>Board moves the high-school day later</h1>"
        f"{paragraphs(story * 2)}</div>{closing}{about}</div>"
    )
    assert extract_article(page(body, title="Board moves the high-school day later")).paragraphs == story * 2


@pytest.mark.parametrize("length", [2, 4, 6])
def test_the_article_does_not_run_on_into_the_column_beside_the_one_its_headline_heads(length: int) -> None:
    # Two paragraphs of story weigh no more than the school's introduction beside them.
    story = [*STORY, *(text.replace("市", "区") for text in STORY)][:length]
    school = (
        "某某实验小学创办于1952年，是市教育局直属的公办小学。学校现有教学班36个，学生1600余人，教职工98人。"
        "学校秉承“让每个孩子都得到发展”的办学理念，先后获得省文明校园、市教育科研先进单位等荣誉。"
    )
    latest = "".join(f"<li><a href='/news/{n}.html'>我校开展第{n}期教师培训活动</a></li>" for n in range(1, 9))
    body = (
        f"<div class='wrap'><div class='left'><h1>{HEADLINE}</h1><div class='info'>发布时间：2026-11-20 09:00</div>"
        f"<div class='text'>{paragraphs(story)}</div></div>"
        f"<div class='right'><h3>学校简介</h3><p>{school}</p><h3>最新动态</h3><ul>{latest}</ul></div></div>"
    )
    assert extract_article(page(body)).paragraphs == story


def test_a_deck_above_the_story_column_does_not_bring_in_the_rail_of_teasers_beside_it() -> None:
    # The headline and its deck stand in a header above two columns: the story's and a rail of
    # teasers. Reaching up to the deck takes in their common parent, the rail with it.
    story = [*STORY, *(text.replace("市", "区") for text in STORY)]
    deck = "全市三百多所中小学将在秋季学期全部开展课后服务，学生自愿参加，学校不得以此名义收取额外费用。"
    teasers = "".join(
        f"<h4><a href='/news/2026/11{day:02d}/{day}.html'>其他学校新闻标题第{day}条内容</a></h4>"
        f"<p>这是另一篇新闻的摘要，讲的是别的学校第{day}条的事情：该校本周组织学生参观科技馆，并邀请专家开设讲座，"
        f"家长普遍反映良好。<a href='/news/{day}.html'>详细</a></p>"
        for day in (1, 2)
    )
    rail = f"<div class='right'><div class='box'><h3>热点新闻</h3>{teasers}</div><p>{LINKS}</p><p>{LINKS}</p></div>"
    body = (
        f"<div class='story'><div class='head'><h1>{HEADLINE}</h1><h3 class='deck'>{deck}</h3></div>"
        f"<div class='left'><div class='media'><img src='/img/1.jpg'></div><div class='text'>{paragraphs(story)}</div>"
        f"<div class='tools'>分享到：<a href='#'>微信</a> <a href='#'>微博</a></div></div>{rail}</div>"
    )
    article = extract_article(page(body))

    assert article.paragraphs == [deck, *story]
    assert {entry["reason"] for entry in article.removed if "别的学校" in entry["text"]} == {"outside-article"}


def test_a_short_post_under_its_headline_is_the_article_not_the_wordier_widget_beside_it() -> None:
    # A blog's two-paragraph post, and a sidebar widget of the site's own longer notes: the widget
    # weighs more, but the headline heads the post.
    about = [
        "本站是一个由退休教师维护的个人网站，记录本市中小学的校园新闻、课程改革和家校合作的点滴故事。",
        "网站内容均为作者原创，转载请与作者联系；如发现文中有错误，欢迎留言指正，我们会尽快核实并更正。",
        "本站不接受任何形式的商业广告，也不代表任何学校或机构的立场，文中观点仅供读者参考和讨论交流。",
    ]
    menus = "".join(f"<h3>栏目{n}</h3><p>{LINKS}</p>" for n in range(1, 4))
    body = (
        f"<div class='wrap'><div class='main'><div class='post'><h2 class='post-title'>{HEADLINE}</h2>"
        f"<div class='entry'>{paragraphs(STORY[:2])}</div></div></div>"
        f"<div class='side'>{menus}<div class='widget'><div class='text'>{paragraphs(about)}</div></div>"
        f"{menus}</div></div>"
    )
    assert extract_article(page(body)).paragraphs == STORY[:2]
