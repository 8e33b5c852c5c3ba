"""The demo site's own pages (home, listings, sitemap, feed, robots.txt, errors) as pure functions of
what the site holds, so the server only routes and the markup can be read and tested on its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape

from edunews.demo.bundle import CHINA

SITE_NAME = "示范教育网"
#: Listing pages hold this many articles, like most Chinese CMS list templates.
PER_PAGE = 10
#: Page numbers shown on each side of the current one in the pagination bar.
PAGE_WINDOW = 4
#: Articles in the RSS feed, newest first.
FEED_SIZE = 20
FOOTER = (
    '<div class="footer"><p><a href="/about.html">关于我们</a> | <a href="/sitemap.xml">网站地图</a> | '
    '<a href="/feed.xml">RSS订阅</a></p><p>主办单位：示范教育网 版权所有 未经书面授权请勿转载</p>'
    "<p>示ICP备00000000号-1</p></div>"
)


@dataclass(frozen=True)
class Entry:
    """One link on a listing: where it goes, its headline and its date."""

    path: str
    title: str
    when: datetime


def listing_href(page: int) -> str:
    """The relative href of listing page ``page`` as written from another listing page."""
    return "./" if page == 1 else f"index_{page}.html"


def listing_path(page: int) -> str:
    """The absolute path of listing page ``page``: ``/news/`` then ``/news/index_2.html`` on."""
    return "/news/" + ("" if page == 1 else f"index_{page}.html")


def page_count(articles: int) -> int:
    """Listing pages needed for ``articles`` articles; an empty site still has its first page."""
    return max(1, -(-articles // PER_PAGE))


def date_span(when: datetime) -> str:
    return f"<span>{when.astimezone(CHINA):%Y-%m-%d}</span>"


def list_items(entries: Sequence[Entry]) -> str:
    return "\n".join(f'<li><a href="{escape(e.path)}">{escape(e.title)}</a>{date_span(e.when)}</li>' for e in entries)


def pagination(page: int, total: int) -> str:
    """``上一页 1 2 3 下一页 共 N 页``: numbered links around the current page, and an ``a.next`` link on
    every page but the last, which is what a crawler follows."""
    parts = [f'<a class="prev" href="{listing_href(page - 1)}">上一页</a>' if page > 1 else "<span>上一页</span>"]
    for number in range(max(1, page - PAGE_WINDOW), min(total, page + PAGE_WINDOW) + 1):
        if number == page:
            parts.append(f'<span class="current">{number}</span>')
        else:
            parts.append(f'<a href="{listing_href(number)}">{number}</a>')
    parts.append(
        f'<a class="next" href="{listing_href(page + 1)}">下一页</a>' if page < total else "<span>下一页</span>"
    )
    parts.append(f"<span>共 {total} 页</span>")
    return '<div class="pages">' + " ".join(parts) + "</div>"


def page_shell(title: str, position: str, content: str) -> str:
    """The furniture every page of the demo site shares: head, top menu, breadcrumb, footer."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{escape(title)}</title>
</head>
<body>
<div class="top"><a href="/">{SITE_NAME}</a> | <a href="/news/">教育新闻</a> | <a href="/notices/">通知公告</a>\
 | <a href="/about.html">用户登录</a></div>
<div class="position">您现在的位置：<a href="/">首页</a>{position}</div>
{content}
{FOOTER}
</body>
</html>
"""


def listing_page(entries: Sequence[Entry], page: int, total: int, hot: Sequence[Entry] = ()) -> str:
    """Listing page ``page`` of ``total``: its ``PER_PAGE`` articles newest first, the pagination bar,
    and on the first page a 热点关注 box of ``hot`` links."""
    hot_box = ""
    if hot:
        hot_box = f'\n<div class="hot"><h3>热点关注</h3>\n<ul class="news-list">\n{list_items(hot)}\n</ul></div>'
    content = (
        f'<div class="list-box"><h2>教育新闻</h2>\n<ul class="news-list">\n{list_items(entries)}\n</ul>\n'
        f"{pagination(page, total)}</div>{hot_box}"
    )
    suffix = "" if page == 1 else f"_第{page}页"
    return page_shell(f"教育新闻{suffix}_{SITE_NAME}", ' &gt; <a href="/news/">教育新闻</a>', content)


def notices_page(entries: Sequence[Entry]) -> str:
    """The 通知公告 column: a one-page listing."""
    content = f'<div class="list-box"><h2>通知公告</h2>\n<ul class="news-list">\n{list_items(entries)}\n</ul></div>'
    return page_shell(f"通知公告_{SITE_NAME}", ' &gt; <a href="/notices/">通知公告</a>', content)


def home_page(latest: Sequence[Entry], extra_links: Sequence[Entry] = ()) -> str:
    """The front page: the two columns, the newest headlines and a few other links."""
    content = (
        '<div class="columns"><a href="/news/">教育新闻</a> <a href="/notices/">通知公告</a></div>\n'
        f'<div class="box"><h3>最新动态</h3>\n<ul class="news-list">\n{list_items(latest)}\n</ul></div>\n'
        f'<div class="box"><h3>服务指南</h3>\n<ul>\n{list_items(extra_links)}\n</ul></div>'
    )
    return page_shell(SITE_NAME, "", content)


def robots_txt(base_url: str) -> str:
    return f"User-agent: *\nDisallow: /private/\n\nSitemap: {base_url}/sitemap.xml\n"


def w3c_datetime(when: datetime) -> str:
    """A sitemap ``<lastmod>``: W3C datetime in Beijing time, to the second."""
    return when.astimezone(CHINA).replace(microsecond=0).isoformat()


def sitemap_xml(base_url: str, entries: Sequence[Entry]) -> str:
    urls = "\n".join(
        f"  <url><loc>{escape(base_url + e.path)}</loc><lastmod>{w3c_datetime(e.when)}</lastmod></url>" for e in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n'
    )


def rfc822(when: datetime) -> str:
    """An RSS ``pubDate``: RFC 822 with the Beijing offset, as Chinese feeds write it."""
    return format_datetime(when.astimezone(CHINA).replace(microsecond=0))


def feed_xml(base_url: str, entries: Sequence[Entry]) -> str:
    """RSS 2.0 of the first ``FEED_SIZE`` entries (give them newest first)."""
    items = "\n".join(
        f"<item><title>{escape(e.title)}</title><link>{escape(base_url + e.path)}</link>"
        f'<guid isPermaLink="true">{escape(base_url + e.path)}</guid><pubDate>{rfc822(e.when)}</pubDate></item>'
        for e in entries[:FEED_SIZE]
    )
    newest = rfc822(entries[0].when) if entries else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        f"<title>{SITE_NAME} 教育新闻</title><link>{escape(base_url)}/news/</link>"
        f"<description>{SITE_NAME}最新教育新闻</description><language>zh-cn</language>"
        f"<lastBuildDate>{newest}</lastBuildDate>\n{items}\n</channel></rss>\n"
    )


def server_error_page() -> str:
    """What a crashed PHP/nginx back end returns: short, no article in it."""
    return (
        "<html>\n<head><title>500 Internal Server Error</title></head>\n<body>\n"
        "<center><h1>500 Internal Server Error</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
    )
