"""Turn one raw page into one clean ``Article``, or say why the page is not an article."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler import metadata
from crawler.blocks import Block, normalize_space, split_blocks
from crawler.dates import to_iso
from crawler.encoding import decode_body
from crawler.generic import cms_container_blocks, container_blocks, select_nodes, trafilatura_blocks
from crawler.items import Article
from crawler.loaders import ArticleLoader
from crawler.pages import RawPage
from crawler.patterns import ERROR_PAGE, MAX_LINK_DENSITY, MIN_ARTICLE_CHARS
from crawler.profiles import SiteProfile, profile_for_url

#: Link texts that point to the next page of a multi-page article.
NEXT_PAGE_TEXTS = re.compile(r"^\s*(下一页|下页|后一页|next( page)?|›|»|>)\s*$", re.I)
#: TRS CMS pagination script: createPageHTML(pages, current, "t20220213_552130", "html").
TRS_PAGER = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
#: A page with this many headline-sized links and no article body is a list page.
MIN_LIST_LINKS = 12


class NotAnArticle(Exception):
    """The page is readable but is not one article (a list, login or error page)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def parse_html(page: RawPage) -> tuple[Selector, str]:
    """Decode the body (see crawler.encoding) and parse it; returns the selector and the codec used."""
    decoded = decode_body(page.body, page.header("Content-Type"))
    text = XML_DECLARATION.sub("", decoded.text)
    return Selector(text=text, base_url=page.url), decoded.encoding


def body_blocks(selector: Selector, html: str, url: str, profile: SiteProfile | None) -> list[Block]:
    """The article container's blocks: the profile's selector when it matches, else a known CMS
    container, else trafilatura."""
    if profile and profile.selectors.body:
        blocks = container_blocks(selector, profile.selectors.body, url)
        if blocks:
            return blocks
    return cms_container_blocks(selector, url) or trafilatura_blocks(selector, html, url) or []


def _profile_text(selector: Selector, query: str | None) -> str | None:
    if not query:
        return None
    nodes = select_nodes(selector, query)
    return normalize_space(nodes[0].xpath("string(.)").get() or "") if nodes else None


def next_page_url(blocks: list[Block], html: str, url: str) -> str | None:
    """The next page of a multi-page article, from its page list or the TRS pager script."""
    for block in blocks:
        if block.reason != "pagination":
            continue
        for link in block.links:
            if NEXT_PAGE_TEXTS.match(link.text) and link.href.split("#")[0] not in ("", url):
                return link.href
    pager = TRS_PAGER.search(html)
    if pager:
        pages, current, stem, extension = int(pager[1]), int(pager[2]), pager[3], pager[4]
        if current + 1 < pages:
            return urljoin(url, f"{stem}_{current + 1}.{extension}")
    return None


def classify_non_article(page: RawPage, selector: Selector, article: Article) -> str | None:
    """Why the page is not an article, or ``None`` when it is one."""
    if page.status >= 400:
        return "error-page"
    text_length = len("".join(article.paragraphs))
    if selector.css("input[type=password]") and text_length < 400:
        return "login-page"
    if text_length < MIN_ARTICLE_CHARS:
        heading = " ".join([metadata.title_tag(selector), *selector.css("h1 ::text").getall()])
        if ERROR_PAGE.search(heading):
            return "error-page"
        return "list-page" if _headline_links(selector) >= MIN_LIST_LINKS else "no-article-body"
    return None


def _headline_links(selector: Selector) -> int:
    return sum(len(normalize_space(text)) >= 8 for text in selector.css("a::text").getall())


def _link_density(blocks: list[Block]) -> float:
    kept = [block for block in blocks if block.kept]
    total = sum(len(block.text) for block in kept) or 1
    return sum(block.link_text_length for block in kept) / total


def extract_article(page: RawPage, profile: SiteProfile | None = None) -> Article:
    """Extract the article on ``page``. Raises ``NotAnArticle`` with a reason for other pages and
    ``crawler.encoding.UndecodableBody`` for empty or binary bodies.

    ``profile`` defaults to the bundled profile that claims the URL."""
    profile = profile or profile_for_url(page.url)
    selector, encoding = parse_html(page)
    html = selector.get()
    page_title = metadata.title_tag(selector)
    page_blocks = split_blocks(selector.root, page.url) if selector.root is not None else []
    lines = metadata.meta_lines(page_blocks)
    text_sample = " ".join(block.text for block in page_blocks[:200])
    lang = metadata.language(selector, text_sample)
    tz = metadata.default_timezone(lang)
    selectors = profile.selectors if profile else None
    title = (selectors and _profile_text(selector, selectors.title)) or metadata.headline(selector, page_title)
    site = (profile and profile.site_name) or metadata.site_name(selector, page_title, page.url)

    loader = ArticleLoader(title=title, page_host=urlsplit(page.url).hostname or "")
    loader.add_value("url", page.url)
    loader.add_value("canonical_url", metadata.canonical_url(selector, page.url))
    loader.add_value("title", title)
    loader.add_value("site_name", site)
    loader.add_value("language", lang)
    loader.add_value("encoding", encoding)
    loader.add_value("fetched_at", to_iso(page.fetched_at) if page.fetched_at else None)
    loader.add_value("keywords", metadata.keywords(selector))
    published = metadata.published_at(
        selector,
        lines,
        page.url,
        now=page.fetched_at,
        tz=tz,
        profile_text=_profile_text(selector, selectors.date) if selectors else None,
    )
    loader.add_value("published_at", to_iso(published) if published else None)
    loader.add_value(
        "source", metadata.source(selector, lines, _profile_text(selector, selectors.source) if selectors else None)
    )
    loader.add_value(
        "authors", metadata.authors(selector, lines, _profile_text(selector, selectors.author) if selectors else None)
    )
    loader.add_value("editors", metadata.page_editors(block.text for block in page_blocks))
    blocks = body_blocks(selector, html, page.url, profile)
    loader.add_value("body", blocks)
    article = loader.load_item()

    cleaned = loader.get_collected_values("body")
    article.next_page_url = next_page_url(cleaned, html, page.url)
    reason = classify_non_article(page, selector, article)
    if reason is None and _link_density(cleaned) > MAX_LINK_DENSITY:
        reason = "list-page"
    if reason:
        raise NotAnArticle(reason, f"{page.url} ({len(article.text or '')} characters of article text)")
    return article
