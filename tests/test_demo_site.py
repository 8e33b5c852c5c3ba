"""Behaviour of the bundled demo site, checked over real HTTP on 127.0.0.1."""

from __future__ import annotations

import http.client
import itertools
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin

import pytest

from edunews.cli import start_demo_site
from edunews.demo import DemoSite
from edunews.demo.bundle import pages_root
from edunews.demo.generate import DISTINCT_SCHOOLS, generated_article, school_of
from edunews.demo.site import (
    ABOUT_PATH,
    BINARY_PATH,
    BROKEN_PATH,
    EMPTY_PATH,
    GONE_PATH,
    LOOP_A_PATH,
    LOOP_B_PATH,
    OLD_LINK_PATH,
    PRIVATE_PATH,
    PRIVATE_STORY,
    SLOW_PATH,
    SLOW_STORY,
    extra_story_numbers,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SLOW_SECONDS = 0.5
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
LIST_BOX = re.compile(r'<div class="list-box">(.*?)<div class="pages">', re.DOTALL)
HREF = re.compile(r'<a href="([^"]+)"')
NEXT = re.compile(r'<a class="next" href="([^"]+)">下一页</a>')
ARTICLE_CONTENT = re.compile(r'<div class="article-content">(.*?)</div>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hands 3xx responses back to the test instead of following them."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


#: No proxies: a proxy from the environment must never see (or break) requests to 127.0.0.1.
RAW = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)
FOLLOWING = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> tuple[int, Message, bytes]:
    """Status, headers and body of one request, whatever the status."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with RAW.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def fixture_slugs(article: bool) -> list[str]:
    return sorted(
        folder.name
        for folder in FIXTURES.iterdir()
        if (folder / "checks.json").is_file()
        and json.loads((folder / "checks.json").read_text(encoding="utf-8"))["article"] is article
    )


def saved_content_type(slug: str) -> str:
    headers = json.loads((FIXTURES / slug / "response.json").read_text(encoding="utf-8"))["headers"]
    return next(value for name, value in headers.items() if name.lower() == "content-type")


def listing_pages(site: DemoSite) -> list[str]:
    """Every listing page's HTML, reached by following ``a.next`` from ``/news/`` as a crawler would."""
    pages: list[str] = []
    url: str | None = site.url + "/news/"
    while url is not None:
        status, _, body = fetch(url)
        assert status == 200, url
        html = body.decode("utf-8")
        pages.append(html)
        found = NEXT.search(html)
        url = urljoin(url, found.group(1)) if found else None
        assert len(pages) <= 1000, "pagination never ends"
    return pages


def listed_paths(html: str) -> list[str]:
    """The article links of a listing page's main list (not the 热点关注 box)."""
    match = LIST_BOX.search(html)
    assert match, "listing page without its list"
    return HREF.findall(match.group(1))


def article_text(body: bytes) -> str:
    match = ARTICLE_CONTENT.search(body.decode("utf-8"))
    assert match
    return TAG.sub("", match.group(1))


def sentences(text: str) -> set[str]:
    return {part for part in re.split(r"[。！？]", text) if len(part) > 4}


def shingles(text: str, size: int = 5) -> set[str]:
    letters = re.sub(r"[\W_]+", "", text)
    return {letters[i : i + size] for i in range(len(letters) - size + 1)}


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    """A site nobody adds to: shared by the read-only tests."""
    with DemoSite(slow_seconds=SLOW_SECONDS) as running:
        yield running


@pytest.fixture
def fresh_site() -> Iterator[DemoSite]:
    """A site of its own, for tests that publish articles."""
    with DemoSite(extra_articles=25, slow_seconds=SLOW_SECONDS) as running:
        yield running


# -- bundled pages ------------------------------------------------------------------------------------


def test_bundled_pages_are_identical_to_the_repository_fixtures() -> None:
    bundled = {folder.name for folder in pages_root().iterdir() if folder.is_dir()}
    assert set(fixture_slugs(article=True)) <= bundled
    for slug in bundled:
        for name in ("body.html", "response.json"):
            assert (pages_root() / slug / name).read_bytes() == (FIXTURES / slug / name).read_bytes(), (slug, name)


def test_article_pages_are_served_byte_for_byte_with_their_original_content_type(site: DemoSite) -> None:
    for slug in fixture_slugs(article=True):
        status, headers, body = fetch(site.url + site.path_for(slug))
        assert status == 200, slug
        assert body == (FIXTURES / slug / "body.html").read_bytes(), slug
        assert headers["Content-Type"] == saved_content_type(slug), slug
        assert headers["Last-Modified"], slug


def test_a_content_type_without_charset_stays_without_one(site: DemoSite) -> None:
    _, headers, _ = fetch(site.url + site.path_for("seed-contentfarm-gbk"))
    assert headers["Content-Type"] == "text/html"


def test_multipage_article_page_one_reaches_page_two_by_its_relative_link(site: DemoSite) -> None:
    first = site.path_for("portal-multipage-p1")
    assert first == "/news/2024/0305/12345.html"
    _, _, body = fetch(site.url + first)
    assert b"href='12345_2.html'" in body
    second_url = urljoin(site.url + first, "12345_2.html")
    status, _, second = fetch(second_url)
    assert status == 200
    assert second == (FIXTURES / "portal-multipage-p2" / "body.html").read_bytes()
    assert first in site.article_paths()
    assert site.path_for("portal-multipage-p2") not in site.article_paths()


def test_both_copies_of_the_seed_article_are_listed_at_different_paths(site: DemoSite) -> None:
    farm, portal = site.path_for("seed-contentfarm-gbk"), site.path_for("seed-repost-portal")
    assert farm != portal
    assert {farm, portal} <= set(site.article_paths())


def test_non_article_fixtures_are_not_listed(site: DemoSite) -> None:
    for slug in fixture_slugs(article=False):
        with pytest.raises(KeyError):
            site.path_for(slug)


# -- listings, robots, sitemap, feed -------------------------------------------------------------------


def test_listing_pagination_covers_every_article_exactly_once_newest_first(site: DemoSite) -> None:
    pages = listing_pages(site)
    per_page = [listed_paths(html) for html in pages]
    assert [path for page in per_page for path in page] == site.article_paths()
    assert all(len(page) == 10 for page in per_page[:-1])
    assert 1 <= len(per_page[-1]) <= 10
    assert len(pages) == site.listing_page_count()
    assert all(f"共 {len(pages)} 页" in html for html in pages)
    assert 'class="next"' not in pages[-1]


def test_listing_entries_carry_their_dates(site: DemoSite) -> None:
    html = listing_pages(site)[0]
    assert re.search(r'<li><a href="/news/[^"]+">[^<]+</a><span>\d{4}-\d{2}-\d{2}</span></li>', html)


def test_first_listing_page_links_every_trap_a_crawler_must_survive(site: DemoSite) -> None:
    _, _, body = fetch(site.url + "/news/")
    html = body.decode("utf-8")
    for path in (BROKEN_PATH, SLOW_PATH, OLD_LINK_PATH, LOOP_A_PATH, EMPTY_PATH, BINARY_PATH, PRIVATE_PATH):
        assert f'href="{path}"' in html, path


def test_home_page_links_both_columns_and_the_about_page(site: DemoSite) -> None:
    status, _, body = fetch(site.url + "/")
    assert status == 200
    for path in ("/news/", "/notices/", ABOUT_PATH):
        assert f'href="{path}"'.encode() in body


def test_robots_txt_disallows_private_and_names_the_sitemap(site: DemoSite) -> None:
    status, headers, body = fetch(site.url + "/robots.txt")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    lines = body.decode("utf-8").splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /private/" in lines
    assert f"Sitemap: {site.url}/sitemap.xml" in lines


def test_sitemap_lists_every_article_with_a_w3c_lastmod(site: DemoSite) -> None:
    status, _, body = fetch(site.url + "/sitemap.xml")
    assert status == 200
    urls = ET.fromstring(body).findall("sm:url", SITEMAP_NS)
    locs = [url.findtext("sm:loc", namespaces=SITEMAP_NS) for url in urls]
    assert locs == [site.url + path for path in site.article_paths()]
    for url in urls:
        lastmod = datetime.fromisoformat(url.findtext("sm:lastmod", namespaces=SITEMAP_NS) or "")
        assert lastmod.tzinfo is not None


def test_feed_holds_the_twenty_newest_articles_with_pub_dates(fresh_site: DemoSite) -> None:
    status, headers, body = fetch(fresh_site.url + "/feed.xml")
    assert status == 200
    assert "xml" in headers["Content-Type"]
    channel = ET.fromstring(body).find("channel")
    assert channel is not None
    items = channel.findall("item")
    assert [item.findtext("link") for item in items] == [fresh_site.url + p for p in fresh_site.article_paths()[:20]]
    dates = [parsedate_to_datetime(item.findtext("pubDate") or "") for item in items]
    assert dates == sorted(dates, reverse=True)


# -- conditional requests and publishing -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/news/", "/news/index_2.html", "/sitemap.xml", "/feed.xml"])
def test_unchanged_pages_answer_304_with_no_body_to_their_etag(fresh_site: DemoSite, path: str) -> None:
    status, headers, _ = fetch(fresh_site.url + path)
    assert status == 200
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    status, _, body = fetch(fresh_site.url + path, {"If-None-Match": etag})
    assert (status, body) == (304, b"")
    status, _, body = fetch(fresh_site.url + path, {"If-Modified-Since": last_modified})
    assert (status, body) == (304, b"")


def test_a_stale_etag_gets_the_full_page(fresh_site: DemoSite) -> None:
    status, _, body = fetch(fresh_site.url + "/news/", {"If-None-Match": '"not-the-etag"'})
    assert status == 200 and body


def test_article_pages_answer_304_to_if_modified_since(fresh_site: DemoSite) -> None:
    url = fresh_site.url + fresh_site.path_for("gov-trs-province")
    _, headers, _ = fetch(url)
    status, _, body = fetch(url, {"If-Modified-Since": headers["Last-Modified"]})
    assert (status, body) == (304, b"")


def test_adding_an_article_changes_the_listing_so_it_answers_200_again(fresh_site: DemoSite) -> None:
    _, before, _ = fetch(fresh_site.url + "/news/")
    path = fresh_site.add_article("new-teacher-training", "<html><h1>新教师培训开班</h1></html>".encode())
    status, after, body = fetch(
        fresh_site.url + "/news/",
        {"If-None-Match": before["ETag"]},
    )
    assert status == 200
    assert after["ETag"] != before["ETag"]
    assert listed_paths(body.decode("utf-8"))[0] == path
    status, _, _ = fetch(fresh_site.url + "/news/", {"If-Modified-Since": before["Last-Modified"]})
    assert status == 200


def test_an_added_article_is_newest_in_listing_sitemap_and_feed(fresh_site: DemoSite) -> None:
    html = "<html><head><title>乡村学校少年宫开放</title></head><body><h1>乡村学校少年宫开放</h1></body></html>"
    newest_before = fresh_site.article_paths()[0]
    path = fresh_site.add_article("rural-youth-palace", html.encode("gbk"), "text/html; charset=gbk")
    assert path.startswith("/news/") and path.endswith("/rural-youth-palace.html")
    assert fresh_site.article_paths()[:2] == [path, newest_before]

    status, headers, body = fetch(fresh_site.url + path)
    assert (status, headers["Content-Type"], body) == (200, "text/html; charset=gbk", html.encode("gbk"))
    assert "乡村学校少年宫开放" in fetch(fresh_site.url + "/news/")[2].decode("utf-8")

    urls = ET.fromstring(fetch(fresh_site.url + "/sitemap.xml")[2]).findall("sm:url", SITEMAP_NS)
    lastmods = [datetime.fromisoformat(u.findtext("sm:lastmod", namespaces=SITEMAP_NS) or "") for u in urls]
    assert urls[0].findtext("sm:loc", namespaces=SITEMAP_NS) == fresh_site.url + path
    assert lastmods[0] > max(lastmods[1:])

    channel = ET.fromstring(fetch(fresh_site.url + "/feed.xml")[2]).find("channel")
    assert channel is not None
    assert channel.findall("item")[0].findtext("link") == fresh_site.url + path


def test_two_articles_added_in_the_same_second_still_have_increasing_times(fresh_site: DemoSite) -> None:
    first = fresh_site.add_article("first-notice", b"<h1>a</h1>")
    second = fresh_site.add_article("second-notice", b"<h1>b</h1>")
    page_one, page_two = fresh_site.page(first), fresh_site.page(second)
    assert page_one is not None and page_two is not None
    assert page_two.last_modified > page_one.last_modified


def test_add_article_refuses_a_slug_already_on_the_site(fresh_site: DemoSite) -> None:
    with pytest.raises(ValueError):
        fresh_site.add_article("seed-contentfarm-gbk", b"<h1>again</h1>")
    with pytest.raises(ValueError):
        fresh_site.add_article("../escape", b"<h1>nope</h1>")


# -- traps ----------------------------------------------------------------------------------------------


def test_broken_page_answers_500_with_a_short_body(site: DemoSite) -> None:
    status, _, body = fetch(site.url + BROKEN_PATH)
    assert status == 500
    assert 0 < len(body) < 500


def test_old_link_redirects_permanently_to_a_real_article(site: DemoSite) -> None:
    status, headers, _ = fetch(site.url + OLD_LINK_PATH)
    assert status == 301
    assert headers["Location"] == site.url + site.path_for("seed-contentfarm-gbk")


def test_loop_pages_redirect_to_each_other_forever(site: DemoSite) -> None:
    status, headers, _ = fetch(site.url + LOOP_A_PATH)
    assert (status, headers["Location"]) == (302, site.url + LOOP_B_PATH)
    status, headers, _ = fetch(site.url + LOOP_B_PATH)
    assert (status, headers["Location"]) == (302, site.url + LOOP_A_PATH)
    with pytest.raises(urllib.error.HTTPError, match="infinite loop"):
        FOLLOWING.open(site.url + LOOP_A_PATH, timeout=10)


def test_notices_column_links_a_page_that_is_gone(site: DemoSite) -> None:
    status, _, body = fetch(site.url + "/notices/")
    assert status == 200
    assert listed_paths_anywhere(body) == [GONE_PATH]
    status, _, body = fetch(site.url + GONE_PATH)
    assert status == 404
    assert body == (FIXTURES / "error-404" / "body.html").read_bytes()


def listed_paths_anywhere(body: bytes) -> list[str]:
    match = re.search(r'<ul class="news-list">(.*?)</ul>', body.decode("utf-8"), re.DOTALL)
    assert match
    return HREF.findall(match.group(1))


def test_empty_page_answers_200_with_no_bytes(site: DemoSite) -> None:
    status, headers, body = fetch(site.url + EMPTY_PATH)
    assert (status, body, headers["Content-Length"]) == (200, b"", "0")


def test_report_page_is_pdf_bytes_labelled_as_html(site: DemoSite) -> None:
    status, headers, body = fetch(site.url + BINARY_PATH)
    assert status == 200
    assert headers["Content-Type"] == "text/html"
    assert body.startswith(b"%PDF-1.4")


def test_about_page_is_the_saved_login_page(site: DemoSite) -> None:
    status, _, body = fetch(site.url + ABOUT_PATH)
    assert status == 200
    assert body == (FIXTURES / "login-page" / "body.html").read_bytes()


def test_private_page_exists_for_crawlers_to_avoid(site: DemoSite) -> None:
    status, _, body = fetch(site.url + PRIVATE_PATH)
    assert status == 200 and b'class="article-content"' in body


@pytest.mark.parametrize("path", ["/nothing-here.html", "/news/index_999.html", "/news/2021/0426/", "/private/"])
def test_unknown_paths_answer_404(site: DemoSite, path: str) -> None:
    assert fetch(site.url + path)[0] == 404


def test_slow_page_takes_at_least_slow_seconds_then_serves_an_article(site: DemoSite) -> None:
    started = time.monotonic()
    status, _, body = fetch(site.url + SLOW_PATH)
    assert time.monotonic() - started >= SLOW_SECONDS
    assert status == 200 and b'class="article-content"' in body


def test_stop_does_not_wait_for_a_slow_response(capfd: pytest.CaptureFixture[str]) -> None:
    site = DemoSite(slow_seconds=30).start()

    def wait_for_slow_page() -> None:
        try:
            fetch(site.url + SLOW_PATH)
        except (OSError, http.client.IncompleteRead):
            pass  # cut off by stop(), before or after the headers: expected

    waiting = threading.Thread(target=wait_for_slow_page, daemon=True)
    waiting.start()
    time.sleep(0.2)
    started = time.monotonic()
    site.stop()
    assert time.monotonic() - started < 5
    waiting.join(timeout=5)
    assert not waiting.is_alive()
    time.sleep(0.2)  # let the cut-off handler thread finish writing
    assert capfd.readouterr().err == ""


def test_head_requests_get_headers_without_a_body(site: DemoSite) -> None:
    status, headers, body = fetch(site.url + "/news/", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) > 0


# -- generated articles ---------------------------------------------------------------------------------


def test_extra_articles_are_distinct_pages_spread_over_many_listing_pages() -> None:
    with DemoSite(extra_articles=300) as big:
        paths = big.article_paths()
        assert len(paths) == len(set(paths)) == 300 + len(fixture_slugs(article=True)) - 1  # p2 is not listed
        generated = {generated_article(number).path for number in range(1, 301)}
        assert generated <= set(paths)
        assert len({big.page(path).body for path in generated}) == 300  # type: ignore[union-attr]
        assert big.listing_page_count() >= 30
        last = big.listing_page_count()
        assert fetch(f"{big.url}/news/index_{last}.html")[0] == 200
        status, _, body = fetch(big.url + paths[150])
        assert status == 200 and "<h1>" in body.decode("utf-8")


def test_generated_articles_are_the_same_on_every_call() -> None:
    assert generated_article(42) == generated_article(42)
    assert generated_article(42).body != generated_article(43).body


def test_two_generated_articles_share_few_sentences() -> None:
    texts = [article_text(generated_article(number).body) for number in range(1, 61)]
    for a, b in itertools.combinations(texts, 2):
        assert len(sentences(a) & sentences(b)) <= 1


def test_generated_articles_are_far_from_near_duplicates() -> None:
    """The near-duplicate filter compares 5-character shingles and calls 0.5 Jaccard (or 0.6
    containment) a repost; generated articles must stay well below both."""
    grams = [shingles(article_text(generated_article(number).body)) for number in range(1, 121)]
    for a, b in itertools.combinations(grams, 2):
        common = len(a & b)
        assert common / len(a | b) < 0.3
        assert common / min(len(a), len(b)) < 0.45


def test_sites_larger_than_one_round_of_schools_still_list_a_new_school_in_every_article() -> None:
    numbers = extra_story_numbers(2 * DISTINCT_SCHOOLS)
    assert len(set(numbers)) == 2 * DISTINCT_SCHOOLS
    assert SLOW_STORY not in numbers and PRIVATE_STORY not in numbers
    assert len({school_of(number) for number in numbers}) == len(numbers)
    assert numbers[:3] == [1, 2, 3]  # smaller sites keep the articles they always had


def test_articles_a_round_of_schools_apart_are_far_from_near_duplicates() -> None:
    for number in (1, 77, 5000):
        a, b = (shingles(article_text(generated_article(n).body)) for n in (number, number + DISTINCT_SCHOOLS))
        assert len(a & b) / len(a | b) < 0.3


def test_generated_articles_are_realistic_chinese_news_pages() -> None:
    story = generated_article(7)
    html = story.body.decode("utf-8")
    assert f"<h1>{story.title}</h1>" in html
    assert 4 <= html.count('<p style="text-indent:2em;">') <= 6
    assert "发布时间：" in html and "来源：" in html


# -- the server itself ------------------------------------------------------------------------------------


def test_server_binds_only_loopback_and_stop_frees_the_port() -> None:
    site = DemoSite().start()
    assert site.url.startswith("http://127.0.0.1:")
    port = site.port
    assert fetch(site.url + "/robots.txt")[0] == 200
    # Bound to 127.0.0.1 only, the port is closed on every other address, even another loopback one.
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.2", port), timeout=1).close()
    site.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
        again.listen()
    with pytest.raises(RuntimeError):
        _ = site.url


def test_replies_on_a_kept_alive_connection_do_not_wait_for_the_clients_acknowledgement(site: DemoSite) -> None:
    """Headers and body leave in two writes; with Nagle's algorithm the body waited for the client's
    delayed acknowledgement (40 ms on Linux), so every reply took 43 ms and a crawl measured the site."""
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=5)
    times = []
    for path in itertools.islice(itertools.cycle(site.article_paths()), 15):
        started = time.perf_counter()
        connection.request("GET", path)
        reply = connection.getresponse()
        assert reply.status == 200 and reply.read()
        times.append(time.perf_counter() - started)
    connection.close()
    assert sorted(times)[len(times) // 2] < 0.02, "half the delayed acknowledgement, at the median"


def test_a_requested_port_is_used_and_a_taken_one_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    with DemoSite(port=free) as fixed:
        assert fixed.url == f"http://127.0.0.1:{free}"
        with pytest.raises(OSError):
            DemoSite(port=free).start()


def test_the_demo_command_says_when_its_port_is_taken_and_where_the_site_went(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with DemoSite() as holding:  # an earlier demo still running holds the port
        taken = int(holding.url.rsplit(":", 1)[1])
        site = start_demo_site(taken)
        try:
            said = capsys.readouterr().err
            assert site.url != holding.url
            assert said.startswith(f"edunews: port {taken} is taken") and site.url in said
        finally:
            site.stop()


def test_request_log_records_method_path_and_status(fresh_site: DemoSite) -> None:
    fetch(fresh_site.url + "/robots.txt")
    fetch(fresh_site.url + BROKEN_PATH + "?x=1")
    fetch(fresh_site.url + "/news/", method="HEAD")
    assert fresh_site.request_log[-3:] == [
        ("GET", "/robots.txt", 200),
        ("GET", BROKEN_PATH + "?x=1", 500),
        ("HEAD", "/news/", 200),
    ]


def test_serving_writes_nothing_to_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    with DemoSite() as quiet:
        for path in ("/", "/news/", GONE_PATH, BROKEN_PATH, OLD_LINK_PATH):
            fetch(quiet.url + path)
    assert capfd.readouterr().err == ""


def test_concurrent_requests_are_all_logged(fresh_site: DemoSite) -> None:
    before = len(fresh_site.request_log)
    paths = fresh_site.article_paths()[:20]
    threads = [threading.Thread(target=fetch, args=(fresh_site.url + path,)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(p for _, p, _ in fresh_site.request_log[before:]) == sorted(paths)
