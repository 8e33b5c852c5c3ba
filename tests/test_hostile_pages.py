"""Hostile pages: what a page holds never stops its extraction. Links, images and canonical URLs that do
not parse are data (read as text, or left out), never an exception out of extraction."""

from __future__ import annotations

import itertools

import pytest

from crawler.blocks import absolute_url, split_blocks
from crawler.extract import NotAnArticle, extract_article, parse_html
from crawler.pages import RawPage
from crawler.urls import host_of, joined_url, parsed_url

PAGE_URL = "http://www.example.edu.cn/news/2026/0701/1.html"
PARAGRAPH = "市教育局今天发布暑期安全提示，要求各校做好学生假期安全教育，防范溺水等事故发生，家长要加强看护。"
#: Pieces of malformed addresses; the fuzz below joins them in pairs.
URL_PIECES = (
    "http://[",
    "https://]",
    "//[::1",
    "http://[bad/x",
    "http://a:99999/",
    "http://a:x/",
    "http://[v1.fe]/",
    "http://a\x00b/",
    "javascript:void(0)",
    "mailto:",
    "http://%zz/",
    "////",
    ":",
    "[",
    "?from=",
    "http://例子.中国/",
)
MALFORMED_URLS = sorted({"".join(pair) for pair in itertools.product(URL_PIECES, repeat=2)})


def page(body: str, head: str = "") -> RawPage:
    html = (
        f"<html><head><meta charset='utf-8'><title>暑期安全提示_教育网</title>{head}</head><body>"
        f"<h1>暑期安全提示</h1><div class='content'>{body}</div></body></html>"
    )
    return RawPage(PAGE_URL, html.encode(), {"Content-Type": "text/html; charset=utf-8"})


@pytest.mark.parametrize(
    ("url", "readable"),
    [
        ("http://www.example.edu.cn/a.html", True),
        ("http://[::1]/", True),
        ("http://[bad/x", False),
        ("http://a:99999/", False),
        ("http://a:x/", False),
    ],
)
def test_a_url_that_does_not_parse_is_told_apart(url: str, readable: bool) -> None:
    assert (parsed_url(url) is not None) is readable
    assert (joined_url(PAGE_URL, url) is not None) is readable
    assert (absolute_url(PAGE_URL, url) is not None) is readable


def test_the_host_of_a_url_that_does_not_parse_is_empty() -> None:
    assert host_of("http://[bad/x") == ""
    assert host_of("http://WWW.Example.edu.cn/a") == "www.example.edu.cn"


def test_a_link_that_does_not_parse_is_read_as_text() -> None:
    selector, _ = parse_html(page(f"<p><a href='http://[bad/x'>附件下载</a> {PARAGRAPH}</p>"))
    blocks = [block for block in split_blocks(selector.root, PAGE_URL) if "附件下载" in block.text]
    assert blocks and blocks[0].links == ()


def test_an_article_with_a_malformed_link_keeps_its_text() -> None:
    article = extract_article(page(f"<p>{PARAGRAPH}</p>" * 4 + f"<p><a href='http://[bad/x'>链接</a></p><p>{PARAGRAPH}</p>"))
    assert PARAGRAPH in (article.text or "")


@pytest.mark.parametrize("url", MALFORMED_URLS)
def test_no_url_in_a_page_raises_out_of_extraction(url: str) -> None:
    escaped = url.replace("&", "&amp;").replace("'", "&#39;").replace("\x00", "&#0;")
    body = (
        f"<p>{PARAGRAPH}</p>" * 3
        + f"<p><a href='{escaped}'>链接</a></p><p><img src='{escaped}'>图</p>"
        + f"<p><a href='{escaped}'><img src='{escaped}'></a>{PARAGRAPH}</p>"
    )
    head = f"<link rel='canonical' href='{escaped}'><meta property='og:url' content='{escaped}'>"
    try:
        article = extract_article(page(body, head))
    except NotAnArticle:
        return
    assert article.canonical_url is None or parsed_url(article.canonical_url) is not None
