"""Behaviour of crawler.archive: raw pages written to WARC files and read back byte for byte."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.archive import (
    ArchivedRecord,
    WarcWriter,
    header_dict,
    header_pairs,
    is_warc,
    iter_warc_inputs,
    iter_warc_pages,
    read_record,
    request_line,
    status_line,
    stored_headers,
    warc_date_of,
)
from crawler.extraction.pages import RawPage, UnreadablePage

#: 镕 is in GBK but not GB2312: the body must survive as the exact bytes, not a re-encoding.
ARTICLE = (
    "<html><head><title>教育部通知</title></head><body><p>朱镕基曾任清华大学经济管理学院首任院长。</p></body></html>"
)
GBK_BODY = ARTICLE.encode("gbk")
FETCHED_AT = datetime(2024, 5, 1, 8, 30, 15, tzinfo=UTC)
BEIJING = timezone(timedelta(hours=8))


def write_page(writer: WarcWriter, url: str, body: bytes = GBK_BODY, **changes: object) -> ArchivedRecord:
    """One ordinary 200 text/html response, with any argument overridden."""
    arguments: dict[str, object] = {
        "url": url,
        "status": 200,
        "reason": "OK",
        "headers": [("Content-Type", "text/html; charset=GBK"), ("Server", "nginx")],
        "body": body,
        "fetched_at": FETCHED_AT,
    }
    arguments.update(changes)
    return writer.write(**arguments)  # type: ignore[arg-type]


def record_types(path: Path) -> list[str]:
    """The WARC-Type of every record in a file, as warcio itself sees them."""
    with path.open("rb") as stream:
        return [record.rec_type for record in ArchiveIterator(stream)]


def incompressible(size: int, seed: int) -> bytes:
    """Bytes gzip cannot shrink, so file sizes (and rotation) are predictable."""
    return random.Random(seed).randbytes(size)


# --- round trips --------------------------------------------------------------------------------------


def test_gbk_page_reads_back_byte_for_byte_with_its_url_status_headers_and_fetch_time(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        archived = write_page(writer, "http://www.moe.gov.cn/jyb_xwfb/202405/t20240501_1.html")

    [page] = list(iter_warc_pages(Path(archived.path)))

    assert page.body == GBK_BODY
    assert page.url == "http://www.moe.gov.cn/jyb_xwfb/202405/t20240501_1.html"
    assert page.status == 200
    assert page.header("content-type") == "text/html; charset=GBK"
    assert page.header("Server") == "nginx"
    assert page.header("Content-Length") == str(len(GBK_BODY))
    assert page.fetched_at == FETCHED_AT
    assert read_record(archived) == page


def test_fetch_time_in_another_timezone_reads_back_as_the_same_instant_in_utc(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        archived = write_page(writer, "http://edu.people.com.cn/n1/a.html", fetched_at=FETCHED_AT.astimezone(BEIJING))

    fetched_at = read_record(archived).fetched_at

    assert fetched_at == FETCHED_AT
    assert fetched_at is not None and fetched_at.utcoffset() == timedelta(0)


def test_gzipped_response_is_stored_decoded_with_headers_that_match_the_stored_body(tmp_path: Path) -> None:
    wire_body = gzip.compress(GBK_BODY)
    received = [
        ("Content-Type", "text/html; charset=GBK"),
        ("Content-Encoding", "gzip"),
        ("Transfer-Encoding", "chunked"),
        ("Content-Length", str(len(wire_body))),
    ]
    with WarcWriter(tmp_path) as writer:
        # Scrapy's HttpCompressionMiddleware hands over the decompressed body.
        archived = write_page(writer, "http://www.jyb.cn/rmtzgjyb/a.html", headers=received)

    page = read_record(archived)

    assert page.body == GBK_BODY
    assert page.header("Content-Encoding") is None
    assert page.header("Transfer-Encoding") is None
    assert page.header("Content-Length") == str(len(GBK_BODY))
    assert page.header("X-Crawler-Content-Encoding") == "gzip"
    assert page.header("X-Crawler-Content-Length") == str(len(wire_body))


def test_redirects_and_missing_pages_are_read_back_with_their_status(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        moved = write_page(
            writer,
            "http://www.eol.cn/old.html",
            body=b"",
            status=301,
            reason="Moved Permanently",
            headers=[("Location", "https://www.eol.cn/new.html")],
        )
        write_page(writer, "http://www.eol.cn/gone.html", body=b"<h1>404</h1>", status=404, reason="")

    pages = list(iter_warc_pages(Path(moved.path)))

    assert [(page.url, page.status) for page in pages] == [
        ("http://www.eol.cn/old.html", 301),
        ("http://www.eol.cn/gone.html", 404),
    ]
    assert pages[0].header("Location") == "https://www.eol.cn/new.html"
    assert pages[1].body == b"<h1>404</h1>"


# --- files: warcinfo, requests, rotation -------------------------------------------------------------


def test_each_file_starts_with_a_warcinfo_record_naming_edunews(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        archived = write_page(writer, "http://www.moe.gov.cn/a.html")

    with open(archived.path, "rb") as stream:
        first = next(iter(ArchiveIterator(stream)))
        info = first.content_stream().read().decode("utf-8")

    assert first.rec_type == "warcinfo"
    assert "software: edunews" in info
    assert "format: WARC File Format 1.0" in info


def test_request_records_are_written_beside_their_response_but_not_yielded_as_pages(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        archived = write_page(
            writer,
            "http://www.moe.gov.cn/s78/list.html?page=2",
            request_headers=[("User-Agent", "edunews"), ("Accept-Encoding", "gzip")],
        )
    path = Path(archived.path)

    with path.open("rb") as stream:
        records = {record.rec_type: (record.rec_headers, record.http_headers) for record in ArchiveIterator(stream)}
    request_warc, request_http = records["request"]
    response_warc, _ = records["response"]

    assert record_types(path) == ["warcinfo", "response", "request"]
    assert request_warc.get_header("WARC-Concurrent-To") == response_warc.get_header("WARC-Record-ID")
    assert request_warc.get_header("WARC-Target-URI") == "http://www.moe.gov.cn/s78/list.html?page=2"
    assert request_http.protocol == "GET"
    assert request_http.statusline == "/s78/list.html?page=2 HTTP/1.1"
    assert request_http.get_header("Host") == "www.moe.gov.cn"
    assert [page.url for page in iter_warc_pages(path)] == ["http://www.moe.gov.cn/s78/list.html?page=2"]


def test_rotation_by_size_makes_files_whose_names_sort_in_write_order(tmp_path: Path) -> None:
    urls = [f"http://www.1xbbk.com/news/{number}.html" for number in range(12)]
    bodies = [incompressible(3000, seed) for seed in range(12)]
    with WarcWriter(tmp_path, prefix="test", max_bytes=8000) as writer:
        archived = [write_page(writer, url, body=body) for url, body in zip(urls, bodies, strict=True)]

    files_in_write_order = list(dict.fromkeys(record.path for record in archived))
    on_disk = sorted(str(path) for path in tmp_path.iterdir())

    assert len(files_in_write_order) >= 3
    assert on_disk == files_in_write_order
    assert all(Path(name).name.startswith("test-") and name.endswith(".warc.gz") for name in on_disk)
    assert [read_record(record).url for record in archived] == urls
    assert [read_record(record).body for record in archived] == bodies
    assert [page.url for name in on_disk for page in iter_warc_pages(Path(name))] == urls


def test_a_file_rotates_only_after_it_reached_the_size_limit(tmp_path: Path) -> None:
    with WarcWriter(tmp_path, max_bytes=10 * 2**20) as writer:
        archived = [write_page(writer, f"http://www.eol.cn/{number}.html") for number in range(20)]

    assert len({record.path for record in archived}) == 1


def test_two_writers_in_one_folder_never_overwrite_each_other(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as first, WarcWriter(tmp_path) as second:
        one = write_page(first, "http://www.moe.gov.cn/1.html")
        two = write_page(second, "http://www.moe.gov.cn/2.html")

    assert one.path != two.path
    assert read_record(one).url == "http://www.moe.gov.cn/1.html"
    assert read_record(two).url == "http://www.moe.gov.cn/2.html"


def test_current_path_is_the_open_file_and_none_once_closed(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path / "new" / "folder")
    assert writer.current_path is None

    archived = write_page(writer, "http://www.moe.gov.cn/a.html")
    assert writer.current_path == Path(archived.path)

    writer.close()
    assert writer.current_path is None


def test_a_response_and_its_request_are_on_disk_whole_when_write_returns(tmp_path: Path) -> None:
    writer = WarcWriter(tmp_path)
    asked = [("User-Agent", "edunews")]
    first = write_page(writer, "http://www.moe.gov.cn/a.html", request_headers=asked)
    second = write_page(writer, "http://www.moe.gov.cn/b.html", body=b"<html>b</html>", request_headers=asked)

    # Read through another handle while the writer still holds the file open, as after a kill -9.
    assert read_record(first).url == "http://www.moe.gov.cn/a.html"
    assert read_record(second).body == b"<html>b</html>"
    assert second.offset > first.offset + first.length  # the request record of a.html lies between
    assert record_types(Path(second.path)) == ["warcinfo", "response", "request", "response", "request"]
    writer.close()


#: Run in a child process whose files the kernel caps at 64 KiB (RLIMIT_FSIZE), as a full disk would
#: refuse them: archives pages until a write is refused, lifts the cap, archives one more, and prints
#: where each page went (``null`` for the refused one).
FULL_DISK_WRITER = """
import json, random, resource, signal, sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from crawler.archive import WarcWriter

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write is an error (EFBIG), not the end
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, hard))
writer = WarcWriter(Path(sys.argv[1]))
placed = []
def archive(number):
    body = random.Random(number).randbytes(20_000)  # incompressible: the fourth page passes the cap
    return writer.write(url=f"http://www.eol.cn/{number}.html", status=200, reason="OK",
                        headers=[("Content-Type", "text/html")], body=body, fetched_at=datetime.now(UTC))
for number in range(10):
    try:
        placed.append(asdict(archive(number)))
    except OSError as error:
        placed.append(None)
        break
resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
placed.append(asdict(archive(99)))
writer.close()
print(json.dumps(placed))
"""


def test_after_the_disk_refuses_a_write_every_page_archived_reads_back_from_where_it_was_placed(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK_WRITER, str(tmp_path)], capture_output=True, text=True, check=True
    )
    placed = json.loads(result.stdout)

    assert placed[-2] is None, "the capped write was refused"
    records = [ArchivedRecord(**where) for where in placed if where is not None]
    assert len(records) >= 3
    # The page after the refusal went to a new file: the broken one is left as a crash leaves one.
    assert records[-1].path != records[-2].path and records[-1].offset > 0
    for record in records:
        page = read_record(record)
        number = page.url.rsplit("/", 1)[-1].removesuffix(".html")
        assert page.body == random.Random(int(number)).randbytes(20_000)


# --- damaged and foreign files ------------------------------------------------------------------------


def test_a_file_cut_short_by_a_crash_yields_the_records_before_the_damage(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        archived = [
            write_page(writer, f"http://www.eol.cn/{number}.html", body=incompressible(2000, number))
            for number in range(3)
        ]
    path = Path(archived[0].path)
    last = archived[-1]
    path.write_bytes(path.read_bytes()[: last.offset + last.length // 2])

    pages = list(iter_warc_pages(path))

    assert [page.url for page in pages] == ["http://www.eol.cn/0.html", "http://www.eol.cn/1.html"]
    with pytest.raises(UnreadablePage, match="ends .* early"):
        read_record(last)


def test_an_uncompressed_file_cut_inside_a_record_header_yields_the_records_before(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        first = write_page(writer, "http://www.eol.cn/0.html")
        write_page(writer, "http://www.eol.cn/1.html")
    plain = gzip.decompress(Path(first.path).read_bytes())
    cut = plain.index(b"WARC-Target-URI: http://www.eol.cn/1.html")
    path = tmp_path / "cut.warc"
    path.write_bytes(plain[:cut])

    assert [page.url for page in iter_warc_pages(path)] == ["http://www.eol.cn/0.html"]
    *_, cut_short = iter_warc_inputs(path)
    assert isinstance(cut_short, UnreadablePage) and cut_short.where.startswith(f"{path}@"), "named, not dropped"


@pytest.mark.parametrize("compressed", [True, False])
def test_a_damaged_record_loses_that_record_and_reading_goes_on_at_the_next(tmp_path: Path, compressed: bool) -> None:
    with WarcWriter(tmp_path) as writer:
        archived = [
            write_page(writer, f"http://www.eol.cn/{number}.html", body=incompressible(3000, number))
            for number in range(5)
        ]
    path = Path(archived[0].path)
    data = bytearray(path.read_bytes())
    if not compressed:
        path = tmp_path / "plain.warc"
        data = bytearray(gzip.decompress(bytes(data)))
    middle = data.index(b"http://www.eol.cn/2.html") if not compressed else archived[2].offset + 40
    data[middle : middle + 200] = b"\x00" * 200
    path.write_bytes(bytes(data))

    found = list(iter_warc_inputs(path))

    urls = [page.url for page in found if isinstance(page, RawPage)]
    assert urls == [
        "http://www.eol.cn/0.html",
        "http://www.eol.cn/1.html",
        "http://www.eol.cn/3.html",
        "http://www.eol.cn/4.html",
    ]
    damage = [each for each in found if isinstance(each, UnreadablePage)]
    assert all(str(path) in str(each) for each in damage)
    assert damage or not compressed, "a damaged gzip member is named"


@pytest.mark.parametrize(
    "name, content",
    [
        ("page.warc", b"<html><body>\xbd\xcc\xd3\xfd</body></html>"),
        ("image.warc.gz", bytes(range(256))),
        ("notes.warc.gz", gzip.compress(b"just some text\nnot an archive\n")),
    ],
)
def test_a_file_that_is_not_a_warc_raises_unreadable_page_naming_it(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(UnreadablePage) as raised:
        list(iter_warc_pages(path))

    message = str(raised.value)
    assert str(path) in message
    assert "\n" not in message and message.isprintable()


def test_a_missing_file_raises_unreadable_page(tmp_path: Path) -> None:
    with pytest.raises(UnreadablePage, match="missing.warc.gz"):
        list(iter_warc_pages(tmp_path / "missing.warc.gz"))


def test_a_record_address_that_points_at_no_response_raises_unreadable_page(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        archived = write_page(writer, "http://www.moe.gov.cn/a.html")

    with pytest.raises(UnreadablePage, match="not a complete HTTP response"):
        read_record(ArchivedRecord(path=archived.path, offset=0, length=archived.offset))


def test_a_warc_written_by_another_crawler_is_read_with_its_bodies_decoded(tmp_path: Path) -> None:
    """As Heritrix, wget or pywb write them: uncompressed, bodies as they came off the wire, and
    records around the responses that are not pages."""
    path = tmp_path / "other-crawler.warc"
    gzipped = gzip.compress(GBK_BODY)
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "wget/1.21"}))
        writer.write_record(
            writer.create_warc_record(
                "dns:www.moe.gov.cn",
                "response",
                payload=BytesIO(b"20240501083015\nwww.moe.gov.cn. 600 IN A 1.2.3.4\n"),
                warc_content_type="text/dns",
            )
        )
        response = writer.create_warc_record(
            "http://www.moe.gov.cn/a.html",
            "response",
            payload=BytesIO(gzipped),
            http_headers=StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=GBK"), ("Content-Encoding", "gzip")],
                protocol="HTTP/1.1",
            ),
            warc_headers_dict={"WARC-Date": "2024-05-01T08:30:15Z"},
        )
        request = writer.create_warc_record(
            "http://www.moe.gov.cn/a.html",
            "request",
            http_headers=StatusAndHeaders("GET /a.html HTTP/1.1", [("Host", "www.moe.gov.cn")], is_http_request=True),
        )
        writer.write_request_response_pair(request, response)
        writer.write_record(
            writer.create_revisit_record(
                "http://www.moe.gov.cn/a.html",
                digest=response.rec_headers.get_header("WARC-Payload-Digest"),
                refers_to_uri="http://www.moe.gov.cn/a.html",
                refers_to_date="2024-05-01T08:30:15Z",
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
            )
        )
        writer.write_record(
            writer.create_warc_record(
                "http://www.moe.gov.cn/b.html",
                "response",
                payload=BytesIO(b"<p>english page</p>"),
                http_headers=StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.0"),
            )
        )
        writer.write_record(
            writer.create_warc_record(
                "http://www.moe.gov.cn/a.html",
                "metadata",
                payload=BytesIO(b"outlink: http://www.moe.gov.cn/b.html\n"),
            )
        )

    pages = list(iter_warc_pages(path))

    assert record_types(path) == ["warcinfo", "response", "response", "request", "revisit", "response", "metadata"]
    assert [(page.url, page.status) for page in pages] == [
        ("http://www.moe.gov.cn/a.html", 200),
        ("http://www.moe.gov.cn/b.html", 404),
    ]
    assert pages[0].body == GBK_BODY
    assert pages[0].header("Content-Encoding") == "gzip"
    assert pages[0].fetched_at == FETCHED_AT
    assert pages[1].body == b"<p>english page</p>"


# --- small pure functions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "received, expected",
    [
        (
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Content-Length", "40")],
            [
                ("Content-Type", "text/html"),
                ("X-Crawler-Content-Encoding", "gzip"),
                ("X-Crawler-Content-Length", "40"),
                ("Content-Length", "100"),
            ],
        ),
        (
            [("transfer-encoding", "chunked"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
            [
                ("X-Crawler-transfer-encoding", "chunked"),
                ("Set-Cookie", "a=1"),
                ("Set-Cookie", "b=2"),
                ("Content-Length", "100"),
            ],
        ),
        # Already true of the stored body: kept as they are.
        (
            [("Content-Encoding", "identity"), ("Content-Length", "100")],
            [("Content-Encoding", "identity"), ("Content-Length", "100")],
        ),
        ([], [("Content-Length", "100")]),
    ],
)
def test_stored_headers_describe_the_decoded_body(
    received: list[tuple[str, str]], expected: list[tuple[str, str]]
) -> None:
    assert stored_headers(received, 100) == expected


@pytest.mark.parametrize(
    "status, reason, expected",
    [(200, "OK", "200 OK"), (404, "", "404 Not Found"), (302, "Found It", "302 Found It"), (599, "", "599")],
)
def test_status_line_fills_in_the_standard_reason_scrapy_does_not_keep(status: int, reason: str, expected: str) -> None:
    assert status_line(status, reason) == expected


@pytest.mark.parametrize(
    "method, url, expected",
    [
        ("GET", "http://www.moe.gov.cn/a.html?x=1&y=2", "GET /a.html?x=1&y=2 HTTP/1.1"),
        ("post", "https://www.eol.cn", "POST / HTTP/1.1"),
        ("GET", "http://www.eol.cn/a.html#top", "GET /a.html HTTP/1.1"),
    ],
)
def test_request_line_sends_path_and_query_but_not_the_fragment(method: str, url: str, expected: str) -> None:
    assert request_line(method, url) == expected


@pytest.mark.parametrize(
    "name, expected",
    [
        ("crawl.warc", True),
        ("crawl.warc.gz", True),
        ("CC-MAIN-2024.WARC.GZ", True),
        ("crawl.arc.gz", False),
        ("crawl.warc.bz2", False),
        ("warc.html", False),
        ("body.html", False),
    ],
)
def test_is_warc_goes_by_the_file_name(name: str, expected: bool) -> None:
    assert is_warc(Path(name)) is expected


def test_header_dict_keeps_the_last_of_repeated_headers_whatever_their_case() -> None:
    headers = header_dict(
        [("Set-Cookie", "a=1"), ("content-type", "text/plain"), ("Set-Cookie", "b=2"), ("Content-Type", "text/html")]
    )

    assert headers == {"Set-Cookie": "b=2", "Content-Type": "text/html"}
    assert RawPage("http://x.cn", b"", headers).header("content-type") == "text/html"


@pytest.mark.parametrize(
    "moment, expected",
    [
        (FETCHED_AT, "2024-05-01T08:30:15Z"),
        (FETCHED_AT.astimezone(BEIJING), "2024-05-01T08:30:15Z"),
        (datetime(2024, 5, 1, 8, 30, 15, 999999), "2024-05-01T08:30:15Z"),
    ],
)
def test_warc_date_is_utc_to_the_second(moment: datetime, expected: str) -> None:
    assert warc_date_of(moment) == expected


def test_header_pairs_read_raw_utf8_header_bytes_as_text_so_they_are_stored_once_encoded(tmp_path: Path) -> None:
    scrapy_items = [
        (b"Location", ["/新闻/1.html".encode()]),
        (b"Set-Cookie", [b"a=1", b"b=2"]),
        (b"X-Legacy", ["教育".encode("gbk")]),
    ]

    pairs = header_pairs(scrapy_items)
    with WarcWriter(tmp_path) as writer:
        archived = write_page(writer, "http://www.eol.cn/a", body=b"", status=302, headers=pairs)

    assert pairs[:3] == [("Location", "/新闻/1.html"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
    assert pairs[3] == ("X-Legacy", "教育".encode("gbk").decode("latin-1"))
    # warcio writes header blocks as ASCII, percent-encoding (RFC 8187) what is not.
    assert read_record(archived).header("Location") == "/%E6%96%B0%E9%97%BB/1.html"
