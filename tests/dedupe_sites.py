"""Site templates for the dedupe evaluation: each copy of a text is saved as the page a real site of
its kind would serve (portal, education bureau, school news, content farm, English news, blog,
aggregator), in the fixtures' folder format, so a replay meets decoding, furniture and meta lines as
a crawl does. The furniture follows ``shared/ANATOMY.md``; all names and links are invented.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from dedupe_vocabulary import OTHER_RELATED, ZH_RELATED

#: Every page of the evaluation was "fetched" at this time: after every publication date it shows.
FETCHED_AT = datetime(2026, 11, 20, 10, 0, tzinfo=timezone(timedelta(hours=8)))
#: Chinese pages show Beijing time.
CHINA_TIME = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Site:
    """One site: the template it serves pages with, its shown name and its host."""

    template: str
    name: str
    host: str


@dataclass(frozen=True)
class Copy:
    """One copy of a text as a site shows it."""

    site: Site
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    source: str
    """The 来源 / source the page names: the original site for a repost, its own name otherwise."""
    author: str
    number: int
    """The article number in the page's URL (unique within the evaluation)."""


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _paragraphs(copy: Copy, indent: str = "", attrs: str = "") -> str:
    return "\n".join(f"<p{attrs}>{indent}{_esc(text)}</p>" for text in copy.paragraphs)


def _related(copy: Copy, headlines: tuple[str, ...], pattern: str) -> str:
    """A related-articles list of three invented headlines, links on the copy's own site."""
    start = copy.number % len(headlines)
    chosen = [headlines[(start + step) % len(headlines)] for step in range(3)]
    return "\n".join(
        f'<li><a href="{pattern.format(n=copy.number + 7 + i)}">{_esc(h)}</a></li>' for i, h in enumerate(chosen)
    )


def url_of(copy: Copy) -> str:
    """The copy's URL in its site's scheme, canonical already (lower-case host, no query or
    fragment), with the number or date stem the crawler's article detector looks for."""
    day, host, number = copy.published, copy.site.host, copy.number
    patterns = {
        "zh-portal": f"https://{host}/news/{day:%Y}/{day:%m%d}/{number}.html",
        "zh-bureau": f"http://{host}/xwzx/tzgg/{day:%Y%m}/t{day:%Y%m%d}_{number}.html",
        "zh-school": f"https://{host}/info/1044/{number}.htm",
        "zh-farm": f"http://{host}/jyxw/{number}.html",
        "en-news": f"https://{host}/{day:%Y/%m/%d}/story-{number}.html",
        "en-blog": f"https://{host}/posts/{day:%Y}/{number}.html",
        "en-aggregator": f"http://{host}/article/{number}.html",
    }
    return patterns[copy.site.template]


def _zh_portal(copy: Copy) -> str:
    """A UTF-8 portal page: nav, breadcrumb, article.article-box with h1 and a meta line, share bar,
    related list, prev/next, ICP footer."""
    site = copy.site
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{_esc(copy.title)}-教育资讯-{_esc(site.name)}</title>
<meta name="keywords" content="教育,资讯,{_esc(site.name)}">
<meta property="og:title" content="{html.escape(copy.title)}">
<link rel="stylesheet" href="https://static.{site.host}/css/main.css">
</head>
<body>
<div class="topbar"><div class="wrap">{_esc(site.name)} — 教育资讯服务平台 <a href="/user/login.html">登录</a> | <a href="/app/">手机版</a></div></div>
<header class="header"><nav class="nav"><ul>
<li><a href="/">首页</a></li><li><a href="/news/">教育要闻</a></li><li><a href="/gaokao/">高考</a></li>
<li><a href="/zhongkao/">中考</a></li><li><a href="/jiazhang/">家长学堂</a></li></ul></nav></header>
<div class="wrap main">
<div class="crumbs">您现在的位置：<a href="/">首页</a> &gt; <a href="/news/">新闻中心</a> &gt; 正文</div>
<article class="article-box">
<h1 class="article-title">{_esc(copy.title)}</h1>
<div class="article-meta"><span class="time">{copy.published:%Y-%m-%d %H:%M:%S}</span>
<span class="source">来源：{_esc(copy.source)}</span> <span class="author">作者：{_esc(copy.author)}</span>
<span class="views">浏览次数：<em id="hits"></em></span></div>
<div class="article-content" id="article-content">
{_paragraphs(copy)}
</div>
<div class="share">分享到：<a class="bds_weixin">微信</a> <a class="bds_tsina">微博</a> <a class="bds_qzone">QQ空间</a></div>
<div class="prenext"><p>上一篇：<a href="/news/{copy.number - 1}.html">{_esc(ZH_RELATED[0])}</a></p>
<p>下一篇：<a href="/news/{copy.number + 1}.html">{_esc(ZH_RELATED[1])}</a></p></div>
</article>
<div class="related"><h3>相关阅读</h3><ul>
{_related(copy, ZH_RELATED, "/news/{n}.html")}
</ul></div>
</div>
<footer class="footer"><p><a href="/about/">关于我们</a> | <a href="/ad/">广告合作</a> | <a href="/map/">网站地图</a> | <a href="/law/">版权声明</a></p>
<p>Copyright © {_esc(site.name)} 版权所有 京ICP备{copy.number % 90000 + 10000}号-2</p></footer>
</body>
</html>
"""


def _zh_bureau(copy: Copy) -> str:
    """A government TRS page (served as GBK, declared gb2312): upper-case tags, a ``PubDate`` meta,
    a title block, a date/source line with a print bar, the body in div.TRS_Editor, and a footer with
    the site code and ICP line."""
    site = copy.site
    body = "\n".join(f'<P style="text-indent: 2em;">{_esc(text)}</P>' for text in copy.paragraphs)
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<HTML><HEAD>
<META http-equiv="Content-Type" content="text/html; charset=gb2312">
<TITLE>{_esc(copy.title)}_{_esc(site.name)}</TITLE>
<META name="ArticleTitle" content="{html.escape(copy.title)}">
<META name="PubDate" content="{copy.published:%Y-%m-%d %H:%M}">
<META name="ContentSource" content="{html.escape(copy.source)}">
<META name="ColumnName" content="通知公告">
</HEAD>
<BODY>
<DIV class=head><DIV class=logo>{_esc(site.name)}</DIV>
<DIV class=nav><A href="/">首页</A> <A href="/xwzx/">新闻中心</A> <A href="/zwgk/">政务公开</A> <A href="/bsfw/">办事服务</A> <A href="/hdjl/">互动交流</A></DIV></DIV>
<DIV class=position>当前位置：<A href="/">首页</A> &gt; <A href="/xwzx/">新闻中心</A> &gt; <A href="/xwzx/tzgg/">通知公告</A></DIV>
<DIV class=article>
<DIV class=title><H1>{_esc(copy.title)}</H1></DIV>
<DIV class=info>发布时间：{copy.published:%Y-%m-%d %H:%M}&nbsp;&nbsp;来源：{_esc(copy.source)}&nbsp;&nbsp;【字体：<A href="#">大</A> <A href="#">中</A> <A href="#">小</A>】</DIV>
<DIV class=TRS_Editor><DIV class=Custom_UnionStyle>
{body}
</DIV></DIV>
<DIV class=tools>【<A href="javascript:window.print()">打印本页</A>】【<A href="javascript:window.close()">关闭窗口</A>】</DIV>
</DIV>
<DIV class=foot>
<P>主办单位：{_esc(site.name)}&nbsp;&nbsp;地址：青原市文化路{copy.number % 200 + 1}号</P>
<P>政府网站标识码：{3600000000 + copy.number % 100000}&nbsp;&nbsp;赣ICP备{copy.number % 9000 + 1000}号-1&nbsp;&nbsp;赣公网安备 {36010002000000 + copy.number % 1000}号</P>
</DIV>
</BODY></HTML>
"""


def _zh_school(copy: Copy) -> str:
    """A university news page (UTF-8): the CMS's div.v_news_content, a meta line with 作者/来源/时间
    and a click counter, 上一条/下一条, and a school footer."""
    site = copy.site
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>{_esc(copy.title)}-{_esc(site.name)}</title>
</head>
<body>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="{html.escape(site.name)}"></div>
<ul class="menu"><li><a href="/">首页</a></li><li><a href="/xxyw.htm">学校要闻</a></li><li><a href="/zhxw.htm">综合新闻</a></li><li><a href="/mtjj.htm">媒体聚焦</a></li></ul></div>
<div class="main">
<div class="location">当前位置: <a href="/">首页</a> &gt;&gt; <a href="/zhxw.htm">综合新闻</a> &gt;&gt; 正文</div>
<form name="_newscontent_fromname">
<div class="content-title"><h1>{_esc(copy.title)}</h1></div>
<div class="content-info">作者：{_esc(copy.author)}&nbsp;&nbsp;来源：{_esc(copy.source)}&nbsp;&nbsp;时间：{copy.published:%Y-%m-%d}&nbsp;&nbsp;点击数：<span id="dynclicks"></span></div>
<div id="vsb_content"><div class="v_news_content">
{_paragraphs(copy, indent="　　")}
</div></div>
<div class="pre-next"><p>上一条：<a href="/info/1044/{copy.number - 1}.htm">{_esc(ZH_RELATED[2])}</a></p>
<p>下一条：<a href="/info/1044/{copy.number + 1}.htm">{_esc(ZH_RELATED[3])}</a></p></div>
</form>
</div>
<div class="footer"><p>版权所有：{_esc(site.name)}　地址：青原市学院路{copy.number % 99 + 1}号　邮编：330000</p>
<p>赣ICP备{copy.number % 90000 + 10000}号</p></div>
</body>
</html>
"""


def _zh_farm(copy: Copy) -> str:
    """A DedeCMS content farm (GBK bytes, gb2312 meta, no charset in the header): breadcrumb, an
    info line with a JS-filled click counter, div.content, 上一篇文章/下一篇文章, a 猜你喜欢 list and
    a footer link row with an ICP line."""
    site = copy.site
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{_esc(copy.title)}_教育新闻_{_esc(site.name)}</title>
<meta name="keywords" content="{html.escape(copy.title)}" />
</head>
<body class="articleview">
<div class="header_top">欢迎光临{_esc(site.name)}，本站致力于分享最新教育资讯与学习资料！<a href="/data/sitemap.html">网站地图</a></div>
<div id="navMenu"><ul><li><a href="/">主页</a></li><li><a href="/jyxw/">教育新闻</a></li><li><a href="/kszl/">考试资料</a></li><li><a href="/xxzl/">学习资料</a></li></ul></div>
<div class="pleft">
<div class="place"><strong>您现在的位置：</strong><a href="/">首页</a> &gt; <a href="/jyxw/">教育新闻</a> &gt; 正文</div>
<div class="viewbox article">
<div class="title"><h2>{_esc(copy.title)}</h2></div>
<div class="info"><small>时间:</small>{copy.published:%Y-%m-%d %H:%M}<small>来源:</small>{_esc(copy.source)} <small>作者:</small>{_esc(copy.author)} <small>点击:</small><script src="/plus/count.php?view=yes&amp;aid={copy.number}" type="text/javascript"></script>次</div>
<div class="content">
{_paragraphs(copy, indent="　　")}
</div>
<div class="context"><ul><li>上一篇文章：<a href="/jyxw/{copy.number - 1}.html">{_esc(ZH_RELATED[4])}</a></li>
<li>下一篇文章：<a href="/jyxw/{copy.number + 1}.html">{_esc(ZH_RELATED[5])}</a></li></ul></div>
</div>
</div>
<div class="pright"><dl class="tbox"><dt><strong>猜你喜欢</strong></dt><dd><ul>
{_related(copy, ZH_RELATED, "/jyxw/{n}.html")}
</ul></dd></dl></div>
<div class="footer"><p><a href="/about.html">网站简介</a> <a href="/ad.html">广告合作</a> <a href="/tk.html">服务条款</a> <a href="/sm.html">版权声明</a></p>
<p>Copyright &copy; {_esc(site.name)} 冀ICP备{copy.number % 90000 + 10000}号-3</p></div>
</body>
</html>
"""


def _en_news(copy: Copy) -> str:
    """An English news site (UTF-8): masthead nav, an h1 with a byline and a dateline, the story in
    div.story-body, a share bar, a 'More stories' list and a footer."""
    site = copy.site
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{_esc(copy.title)} | {_esc(site.name)}</title>
<meta property="og:title" content="{html.escape(copy.title)}">
<meta property="article:published_time" content="{copy.published.isoformat()}">
<meta name="author" content="{html.escape(copy.author)}">
</head>
<body>
<header class="masthead"><a class="logo" href="/">{_esc(site.name)}</a>
<nav><a href="/news/">News</a> <a href="/education/">Education</a> <a href="/sport/">Sport</a> <a href="/opinion/">Opinion</a> <a href="/subscribe/">Subscribe</a></nav></header>
<main>
<div class="breadcrumb"><a href="/">Home</a> / <a href="/education/">Education</a></div>
<article>
<h1>{_esc(copy.title)}</h1>
<div class="byline"><span class="author">By {_esc(copy.author)}</span></div>
<div class="dateline"><time datetime="{copy.published.isoformat()}">{copy.published:%B %d, %Y}</time></div>
<div class="credit">Source: <a href="/source/">{_esc(copy.source)}</a></div>
<div class="story-body">
{_paragraphs(copy)}
</div>
<div class="share-bar">Share this story: <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email</a></div>
</article>
<aside class="more"><h2>More stories</h2><ul>
{_related(copy, OTHER_RELATED, "/news/story-{n}.html")}
</ul></aside>
</main>
<footer><p><a href="/about/">About us</a> | <a href="/contact/">Contact</a> | <a href="/privacy/">Privacy policy</a> | <a href="/terms/">Terms of use</a></p>
<p>&copy; {copy.published:%Y} {_esc(site.name)}. All rights reserved.</p></footer>
</body>
</html>
"""


def _en_blog(copy: Copy) -> str:
    """An English education blog (UTF-8, charset only in the meta tag): sidebar, post header with
    date and author, div.entry-content, tags, previous/next post links and a footer."""
    site = copy.site
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{_esc(copy.title)} - {_esc(site.name)}</title>
</head>
<body class="single-post">
<div id="site-header"><h2 class="site-title"><a href="/">{_esc(site.name)}</a></h2><p class="tagline">Notes on schools, teaching and learning</p>
<ul class="menu"><li><a href="/">Home</a></li><li><a href="/archive/">Archive</a></li><li><a href="/about/">About</a></li></ul></div>
<div id="content">
<div class="post">
<h1 class="entry-title">{_esc(copy.title)}</h1>
<div class="entry-meta"><span class="posted-on">Posted on {copy.published:%d %B %Y}</span></div>
<div class="entry-author">By {_esc(copy.author)}</div>
<div class="entry-content">
{_paragraphs(copy)}
</div>
<div class="entry-source">Source: <a href="/via/">{_esc(copy.source)}</a></div>
<div class="entry-tags">Tags: <a href="/tag/schools/">schools</a>, <a href="/tag/news/">news</a></div>
<div class="post-nav"><a href="/posts/{copy.number - 1}.html">&laquo; Previous post</a> | <a href="/posts/{copy.number + 1}.html">Next post &raquo;</a></div>
</div>
</div>
<div id="sidebar"><h3>Recent posts</h3><ul>
{_related(copy, OTHER_RELATED, "/posts/{n}.html")}
</ul></div>
<div id="footer">Powered by a blog engine. &copy; {_esc(site.name)}</div>
</body>
</html>
"""


def _en_aggregator(copy: Copy) -> str:
    """An English content aggregator (UTF-8): ad slots around the body, a 'You may also like' list,
    a cookie notice and a footer."""
    site = copy.site
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>{_esc(copy.title)}</title>
</head>
<body>
<div class="top-ad"><a href="http://ads.{site.host}/click?id={copy.number}" rel="nofollow">Advertisement</a></div>
<div class="nav"><a href="/">{_esc(site.name)}</a> <a href="/trending/">Trending</a> <a href="/latest/">Latest</a></div>
<div class="container">
<h1 class="headline">{_esc(copy.title)}</h1>
<div class="meta"><span class="date">{copy.published:%Y-%m-%d %H:%M}</span></div>
<div class="article-text">
{_paragraphs(copy)}
</div>
<div class="via">Source: <a href="/via/">{_esc(copy.source)}</a></div>
<div class="also-like"><h3>You may also like</h3><ul>
{_related(copy, OTHER_RELATED, "/article/{n}.html")}
</ul></div>
</div>
<div class="cookie-notice">We use cookies to improve your experience. <a href="/cookies/">Learn more</a></div>
<div class="footer">&copy; {_esc(site.name)} | <a href="/privacy/">Privacy</a> | <a href="/contact/">Contact</a></div>
</body>
</html>
"""


#: Each template: how it renders a copy, and the encoding and Content-Type header its site serves.
#: Government and content-farm sites serve GBK bytes (one with no charset in the header at all).
TEMPLATES: dict[str, tuple[Callable[[Copy], str], str, str]] = {
    "zh-portal": (_zh_portal, "utf-8", "text/html; charset=utf-8"),
    "zh-bureau": (_zh_bureau, "gb18030", "text/html; charset=GBK"),
    "zh-school": (_zh_school, "utf-8", "text/html"),
    "zh-farm": (_zh_farm, "gb18030", "text/html"),
    "en-news": (_en_news, "utf-8", "text/html; charset=utf-8"),
    "en-blog": (_en_blog, "utf-8", "text/html"),
    "en-aggregator": (_en_aggregator, "utf-8", "text/html; charset=UTF-8"),
}


def render(copy: Copy, convert: Callable[[str], str] | None = None) -> tuple[bytes, dict[str, str]]:
    """The page's body bytes and response headers. ``convert`` rewrites the whole page's text before
    encoding (a traditional-character portal converts its labels as well as the story)."""
    template, encoding, content_type = TEMPLATES[copy.site.template]
    page = template(copy)
    if convert is not None:
        page = convert(page)
    return page.encode(encoding, errors="xmlcharrefreplace"), {"Content-Type": content_type}


def save_page(folder: Path, copy: Copy, description: str, convert: Callable[[str], str] | None = None) -> str:
    """Write ``copy`` as a saved-page folder (``body.html`` + ``response.json``) and return its URL."""
    body, headers = render(copy, convert)
    url = url_of(copy)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "body.html").write_bytes(body)
    response = {
        "url": url,
        "status": 200,
        "headers": headers,
        "fetched_at": FETCHED_AT.isoformat(),
        "description": description,
    }
    (folder / "response.json").write_text(json.dumps(response, ensure_ascii=False, indent=2), encoding="utf-8")
    return url
