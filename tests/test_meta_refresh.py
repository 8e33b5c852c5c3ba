"""Meta refreshes are followed as Scrapy follows them, without decoding the pages that hold none."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares import MetaRefreshMiddleware

PAGE = "http://www.example.edu.cn/news/old-1.html"
REFRESH = "<html><head><meta http-equiv='Refresh' content='0; url=/news/1.html'></head><body></body></html>"
STORY = "<html><head><title>新学期安全工作部署</title></head><body><p>正文。</p></body></html>"


class UndecodedResponse(HtmlResponse):
    """A page whose text must not be asked for: decoding it is the cost the middleware avoids."""

    @property
    def text(self) -> str:
        raise AssertionError("the page was decoded")


def middleware() -> MetaRefreshMiddleware:
    return MetaRefreshMiddleware.from_crawler(get_crawler())


def test_a_meta_refresh_is_followed() -> None:
    response = HtmlResponse(PAGE, body=REFRESH.encode(), encoding="utf-8")
    followed = middleware().process_response(Request(PAGE), response)
    assert isinstance(followed, Request) and followed.url == "http://www.example.edu.cn/news/1.html"


def test_a_page_without_a_refresh_is_passed_on_undecoded() -> None:
    response = UndecodedResponse(PAGE, body=STORY.encode(), encoding="utf-8")
    assert middleware().process_response(Request(PAGE), response) is response


def test_a_wide_encoding_is_decoded_to_look_for_a_refresh() -> None:
    body = b"\xff\xfe" + REFRESH.encode("utf-16-le")  # no ASCII "refresh" in its bytes
    response = HtmlResponse(PAGE, body=body, encoding="utf-16")
    followed = middleware().process_response(Request(PAGE), response)
    assert isinstance(followed, Request) and urlsplit(followed.url).path == "/news/1.html"
