"""The one walk of a page's tags that metadata reads: what it collects, in what order, and only once."""

from __future__ import annotations

from parsel import Selector

from crawler.extraction.blocks import text_of
from crawler.extraction.markup import markup


def page(head: str = "", body: str = "") -> Selector:
    return Selector(text=f"<html><head>{head}</head><body>{body}</body></html>")


def texts(elements: list) -> list[str]:
    return [text_of(element).strip() for element in elements]


def test_each_meta_name_keeps_its_first_non_empty_content_whatever_the_case() -> None:
    found = markup(
        page(
            "<meta name='Author' content=' '><meta name='author' content='王某\u3000 某'>"
            "<meta property='og:title' content='标题一'><meta property='og:title' content='标题二'>"
            "<meta itemprop='datePublished' content='2024-05-01'>"
        )
    )
    assert found.metas == {"author": "王某 某", "og:title": "标题一", "datepublished": "2024-05-01"}


def test_the_canonical_link_is_the_first_canonical_link_with_an_address() -> None:
    head = "<link rel='stylesheet' href='/a.css'><link rel='Canonical'><link rel='CANONICAL' href='/news/1.html'>"
    assert markup(page(head)).canonical_href == "/news/1.html"
    assert markup(page("<link rel='alternate' href='/m/1.html'>")).canonical_href is None


def test_scripts_are_kept_as_json_ld_and_as_inline_code() -> None:
    found = markup(
        page(
            '<script type=\'application/ld+json\'>{"datePublished": "2024-05-01"}</script>'
            "<script src='/app.js'></script><script>var ct = '1714550400';</script><script></script>"
        )
    )
    assert found.ld_json == ['{"datePublished": "2024-05-01"}']
    assert found.inline_scripts == ['{"datePublished": "2024-05-01"}', "var ct = '1714550400';"]


def test_times_are_read_as_published_elements_pubdate_times_and_the_first_time() -> None:
    found = markup(
        page(
            body="<time>昨天</time><time datetime='2024-04-30'>4月30日</time>"
            "<time pubdate datetime='2024-05-01T08:00:00+08:00'>5月1日</time>"
            "<span itemprop='datePublished'>2024年5月1日</span>"
        )
    )
    assert found.first_time == "2024-04-30"
    assert found.pubdate_times == ["2024-05-01T08:00:00+08:00"]
    assert texts(found.published) == ["2024年5月1日"]


def test_source_elements_are_shown_elements_inside_the_body_only() -> None:
    found = markup(
        page(
            "<meta name='source' content='某报'>",
            "<div class='article-source'>某日报</div><span id='sourceName'>某网</span>"
            "<img class='source-logo' src='/logo.png'><script class='source'>var a;</script><p>正文</p>",
        )
    )
    assert texts(found.source_named) == ["某日报", "某网"]


def test_account_names_come_most_trusted_marking_first_then_in_page_order() -> None:
    found = markup(
        page(
            body="<div class='rich_media_meta_nickname'>旧账号行</div>"
            "<strong class='profile_nickname card'>名片上的名字</strong><a id='js_name'>标题下的账号</a>"
            "<div class='profile_nickname_extra'>不是账号</div>"
        )
    )
    assert texts(found.account_named) == ["标题下的账号", "名片上的名字", "旧账号行"]


def test_author_elements_are_rel_author_schema_names_and_author_name_classes_in_page_order() -> None:
    found = markup(
        page(
            "<link rel='author' href='/about'>",
            "<a rel='author' href='/u/1'>张三</a>"
            "<div itemprop='author'><span itemprop='name'>李四</span></div>"
            "<span itemprop='name'>某校</span><span class='byline author-name'>王五</span>"
            "<span class='author-names'>不是作者</span>",
        )
    )
    assert texts(found.author_named) == ["", "张三", "李四", "王五"]


def test_a_page_is_walked_once_however_many_readers_ask() -> None:
    selector = page("<meta name='author' content='王某'>")
    assert markup(selector) is markup(selector)
    assert markup(Selector(text="")).metas == {}
