"""Raw-page archive in WARC, the web-archive standard: write fetched responses, read them back as RawPages."""

from __future__ import annotations

import contextlib
import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from urllib.parse import urlsplit

from warcio.archiveiterator import WARCIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from crawler.extraction.pages import RawPage, UnreadablePage

logger = logging.getLogger(__name__)

#: File name endings of the archives we read; ARC, the WARC predecessor, is deliberately not among them.
WARC_SUFFIXES = (".warc", ".warc.gz")

#: Written in each file's warcinfo record, so a stranger holding only the file knows where it came from.
WARCINFO = {
    "software": "edunews (warcio)",
    "format": "WARC File Format 1.0",
    "description": "Raw responses fetched by the edunews crawler; bodies are stored decoded "
    "(original Content-Encoding, Transfer-Encoding and Content-Length kept as X-Crawler-* headers).",
}

#: Transport headers that describe the bytes on the wire, not the decoded body we store. Renamed rather
#: than dropped (the Common Crawl convention), so the stored block is consistent and nothing is lost.
WIRE_HEADERS = ("content-encoding", "transfer-encoding")
KEPT_HEADER_PREFIX = "X-Crawler-"

#: How each gzip member of a .warc.gz begins: the gzip magic number and its one compression method.
GZIP_MAGIC = b"\x1f\x8b\x08"
#: How a record of an uncompressed WARC begins after the one before it: that record's closing blank
#: lines, then the version line.
RECORD_BREAK = b"\r\n\r\nWARC/1."
#: warcio's message when a .warc.gz is one gzip stream instead of one gzip member per record.
WHOLE_FILE_GZIP = "non-chunked gzip"

#: What warcio raises on a record whose headers were cut short (a missing WARC-Target-URI surfaces
#: as an AttributeError inside warcio), as opposed to a file that never was a WARC.
DAMAGE = (EOFError, ValueError, AttributeError, zlib.error)

_READ_BLOCK = 64 * 1024

#: The gzip level of each record. warcio's own is 9: archiving the dev set's pages (100 kB on average)
#: took 2.6 ms a page at 9 against 1.0 ms at 3, for an archive 11 % larger (0.238 of the pages' bytes
#: against 0.215; benchmarks/archive.py), and the crawl's own process, which writes the archive on its
#: one thread, is what sets a crawl's pace.
GZIP_LEVEL = 3


@dataclass(frozen=True)
class ArchivedRecord:
    """Where one response record sits: enough to fetch its exact bytes again without scanning the file."""

    path: str
    offset: int
    length: int


class WarcWriter:
    """Writes responses (and their requests) to gzipped WARC files under ``folder``, one gzip member per
    record so any record can be read alone. Rotates to a new file once the current one reaches
    ``max_bytes`` (checked before each response, so a response and its request stay in one file).
    A response and its request are compressed in memory (each its own gzip member, at ``GZIP_LEVEL``)
    and handed to the file in one write, flushed at once, so a crash loses at most the pair being
    written; one system call a page also keeps the crawl's thread from giving up the GIL, and waiting
    for it, several times a page. Not locked: Scrapy calls it from the single Twisted thread."""

    def __init__(self, folder: Path, *, prefix: str = "edunews", max_bytes: int = 100 * 2**20) -> None:
        self._folder = folder
        self._prefix = prefix
        self._max_bytes = max_bytes
        self._serial = 0
        self._file: IO[bytes] | None = None
        self._path: Path | None = None
        #: Bytes written to the current file: where the next record starts.
        self._size = 0
        #: Where warcio writes each record, uncompressed, before it is compressed as a gzip member.
        self._scratch = BytesIO()
        self._warc = WARCWriter(self._scratch, gzip=False)

    @property
    def current_path(self) -> Path | None:
        """The file being written, or None before the first write and after close."""
        return self._path

    def write(
        self,
        *,
        url: str,
        status: int,
        reason: str,
        headers: list[tuple[str, str]],
        body: bytes,
        fetched_at: datetime,
        request_headers: list[tuple[str, str]] | None = None,
        method: str = "GET",
    ) -> ArchivedRecord:
        """Archive one response (body already decoded, as Scrapy hands it over) and, when its headers are
        given, the request that fetched it. Returns where the response record sits."""
        self._file_for_next_record()
        warc = self._warc
        warc_date = warc_date_of(fetched_at)
        response = warc.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(
                status_line(status, reason), stored_headers(headers, len(body)), protocol="HTTP/1.1"
            ),
            warc_headers_dict={"WARC-Date": warc_date},
        )
        members = [self._member(response)]
        archived = ArchivedRecord(path=str(self._path), offset=self._size, length=len(members[0]))
        if request_headers is not None:
            request = warc.create_warc_record(
                url,
                "request",
                http_headers=StatusAndHeaders(
                    request_line(method, url), with_host(request_headers, url), is_http_request=True
                ),
                warc_headers_dict={
                    "WARC-Date": warc_date,
                    "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
                },
            )
            members.append(self._member(request))
        self._write(b"".join(members))
        return archived

    def close(self) -> None:
        """Close the current file; a later write starts a new one."""
        if self._file is not None:
            self._file.close()
        self._file = self._path = None
        self._size = 0

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _file_for_next_record(self) -> None:
        """Have a file open for the next record, rotating first when the current file is full."""
        if self._file is not None and self._size >= self._max_bytes:
            self.close()
        if self._file is None:
            self._open_next_file()

    def _member(self, record: Any) -> bytes:
        """``record`` as warcio writes it, compressed as one gzip member: any record can be read alone."""
        scratch = self._scratch
        scratch.seek(0)
        scratch.truncate()  # and what a write that failed halfway left
        self._warc.write_record(record)
        return zlib.compress(scratch.getvalue(), GZIP_LEVEL, wbits=zlib.MAX_WBITS | 16)

    def _write(self, data: bytes) -> None:
        """Hand compressed records to the file, in one write."""
        assert self._file is not None
        try:
            self._file.write(data)
            self._file.flush()
        except OSError:
            self._abandon_file()
            raise
        self._size += len(data)

    def _abandon_file(self) -> None:
        """Leave the file a write broke off in (a full disk, a size limit) as it is, its last record cut
        short as a crash would leave it, and start the next record in a new file: anything appended
        after the break would sit at offsets this writer did not count."""
        broken, self._file, self._path, self._size = self._file, None, None, 0
        if broken is not None:
            with contextlib.suppress(OSError):  # closing flushes the rest of the record, which fails again
                broken.close()

    def _open_next_file(self) -> None:
        """Create the next file (never overwriting one a previous run left in the same second) and
        start it with a warcinfo record."""
        self._folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        while True:
            path = self._folder / warc_file_name(self._prefix, stamp, self._serial)
            self._serial += 1
            try:
                out = path.open("xb")
            except FileExistsError:
                continue
            break
        self._file, self._path = out, path
        self._write(self._member(self._warc.create_warcinfo_record(path.name, WARCINFO)))


def warc_file_name(prefix: str, stamp: str, serial: int) -> str:
    """``edunews-20240501083000-00000.warc.gz``: fixed-width parts, so names sort in write order."""
    return f"{prefix}-{stamp}-{serial:05d}.warc.gz"


def warc_date_of(moment: datetime) -> str:
    """WARC-Date (UTC, second precision as WARC 1.0 has it). A naive datetime is taken to be UTC
    already, as ``datetime.utcnow()`` and most crawl timestamps are."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return str(datetime_to_iso_date(moment))


def status_line(status: int, reason: str) -> str:
    """``200 OK``; Scrapy does not keep the reason phrase, so a missing one is the standard phrase."""
    if not reason:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    return f"{status} {reason}".rstrip()


def stored_headers(headers: list[tuple[str, str]], body_length: int) -> list[tuple[str, str]]:
    """The response headers made true of the stored, decoded body: Content-Encoding and
    Transfer-Encoding (unless ``identity``) and a differing Content-Length are renamed to
    ``X-Crawler-*``, and Content-Length is the body's length. Otherwise readers would try to
    un-gzip or de-chunk bytes that are neither."""
    kept: list[tuple[str, str]] = []
    for name, value in headers:
        lowered = name.lower()
        if lowered in WIRE_HEADERS and value.strip().lower() != "identity":
            kept.append((KEPT_HEADER_PREFIX + name, value))
        elif lowered == "content-length":
            if value.strip() != str(body_length):
                kept.append((KEPT_HEADER_PREFIX + name, value))
        else:
            kept.append((name, value))
    kept.append(("Content-Length", str(body_length)))
    return kept


def header_pairs(headers: Iterable[tuple[bytes, list[bytes]]]) -> list[tuple[str, str]]:
    """Scrapy's ``response.headers.items()`` (bytes, one list per name) as the text pairs ``write``
    takes. Values are read as UTF-8 (as warcio reads them back), else Latin-1: Chinese sites send raw
    UTF-8 in Location and Content-Disposition, and Latin-1 text would be percent-encoded twice."""
    return [(name.decode("latin-1"), header_text(value)) for name, values in headers for value in values]


def header_text(value: bytes) -> str:
    """One header value as text: UTF-8 when it is valid UTF-8, otherwise Latin-1 (which never fails)."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def request_line(method: str, url: str) -> str:
    """``GET /path?query HTTP/1.1``: the origin-form target a client sends for ``url``."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return f"{method.upper()} {target} HTTP/1.1"


def with_host(headers: list[tuple[str, str]], url: str) -> list[tuple[str, str]]:
    """The request headers plus Host when missing: Scrapy's request headers leave it to Twisted, but
    it was on the wire and a request record without it does not say which site was asked."""
    if any(name.lower() == "host" for name, _ in headers):
        return list(headers)
    return [("Host", urlsplit(url).netloc), *headers]


def is_warc(path: Path) -> bool:
    """True for a file named like a WARC (``.warc`` or ``.warc.gz``), whatever its case."""
    return path.name.lower().endswith(WARC_SUFFIXES)


def iter_warc_pages(path: Path) -> Iterator[RawPage]:
    """Every HTTP response in a WARC file, ours or another crawler's (gzip per record or uncompressed);
    request, warcinfo, metadata, revisit and non-HTTP (``dns:``) records are skipped. Damage (a file
    cut short by a crash, bytes overwritten) is logged as a warning and reading goes on at the next
    record. A file that is not a WARC raises UnreadablePage."""
    for found in iter_warc_inputs(path):
        if isinstance(found, UnreadablePage):
            logger.warning("%s", found)
        else:
            yield found


def iter_warc_inputs(path: Path) -> Iterator[RawPage | UnreadablePage]:
    """As :func:`iter_warc_pages`, for a replay that names every input: each page knows its place
    (``file.warc.gz@offset``), and damage is yielded as an :class:`UnreadablePage` naming its offset.
    Reading then goes on at the next place a record can begin (the next gzip member of a
    ``.warc.gz``, written one per record; the next ``WARC/1.`` line of an uncompressed file): one
    damaged record loses that record, not the rest of the file."""
    try:
        stream = path.open("rb")
    except OSError as error:
        raise UnreadablePage(f"{path}: {error.strerror or error}", str(path)) from error
    with stream:
        gzipped = stream.read(2) == GZIP_MAGIC[:2]
        base: int | None = 0
        first = True
        while base is not None:
            stream.seek(base)
            records = WARCIterator(stream)
            damage, last = None, None
            while True:
                try:
                    record = next(records)
                except StopIteration:
                    break
                except ArchiveLoadFailed as error:
                    if first or WHOLE_FILE_GZIP in str(error):
                        raise UnreadablePage(f"{path}: {unreadable_reason(error)}", str(path)) from error
                    damage = unreadable_reason(error)
                    break
                except DAMAGE:
                    damage = "damaged record"
                    break
                first = False
                page = page_of_record(record)
                if not read_to_end(record):
                    damage = "record cut short"
                    break
                last = records.get_record_offset()  # (asked once the record is read: it reads to its end)
                if page is not None:
                    yield replace(page, origin=f"{path}@{last}")
            if last is not None:
                # Read on from the record after the last one read: damage met further on, or an end
                # met before the file's, may come from a record read wrong (a length torn by a crash,
                # a header cut short in an uncompressed file), and the records after it are whole.
                base = _record_start(stream, last + 1, gzipped)
                continue
            if damage is None and base == 0:
                return  # an empty file
            # Nothing could be read where a record begins: that record is lost, the next one is tried.
            yield _damage(path, base, damage or "record cut short")
            base = _record_start(stream, base + 1, gzipped)


def _record_start(stream: IO[bytes], after: int, gzipped: bool) -> int | None:
    """The first offset from ``after`` where a record can begin, or None."""
    marker = GZIP_MAGIC if gzipped else RECORD_BREAK
    stream.seek(after)
    kept, position = b"", after
    while chunk := stream.read(2**20):
        data = kept + chunk
        found = data.find(marker)
        if found >= 0:
            return position - len(kept) + found + (0 if gzipped else len(RECORD_BREAK) - len(b"WARC/1."))
        kept = data[-(len(marker) - 1) :]
        position += len(chunk)
    return None


def _damage(path: Path, offset: int, why: str) -> UnreadablePage:
    return UnreadablePage(f"{path}: {why} at offset {offset}", f"{path}@{offset}")


def read_record(record: ArchivedRecord) -> RawPage:
    """The page stored at ``record``, read with one seek: lets a stored article point back to the
    exact bytes it came from."""
    try:
        with open(record.path, "rb") as stream:
            stream.seek(record.offset)
            data = stream.read(record.length)
    except OSError as error:
        raise UnreadablePage(f"{record.path}: {error.strerror or error}") from error
    where = f"{record.path} at offset {record.offset}"
    if len(data) < record.length:
        raise UnreadablePage(f"{where}: file ends {record.length - len(data)} bytes early")
    try:
        found = next(WARCIterator(BytesIO(data)), None)
        page = page_of_record(found) if found is not None else None
        complete = found is not None and read_to_end(found)
    except (ArchiveLoadFailed, *DAMAGE) as error:
        raise UnreadablePage(f"{where}: {unreadable_reason(error)}") from error
    if page is None or not complete:
        raise UnreadablePage(f"{where}: not a complete HTTP response record")
    return replace(page, origin=f"{record.path}@{record.offset}")


def page_of_record(record: Any) -> RawPage | None:
    """The RawPage of a warcio response record with HTTP headers, or None for any other record.
    The body is what ``content_stream()`` gives: de-chunked and un-gzipped when the stored headers say
    the payload is still chunked or compressed (other crawlers store it as it came off the wire)."""
    if record.rec_type != "response" or not record.http_headers:
        return None
    status = status_code(record.http_headers.get_statuscode())
    if status is None:
        return None
    return RawPage(
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        body=record.content_stream().read(),
        headers=header_dict(record.http_headers.headers),
        status=status,
        fetched_at=parse_warc_date(record.rec_headers.get_header("WARC-Date")),
    )


def read_to_end(record: Any) -> bool:
    """Consume the rest of the record; True when it held every byte its Content-Length promised.
    A crash mid-write leaves a last record that is shorter, and it must not pass for a page."""
    stream = record.raw_stream
    while stream.read(_READ_BLOCK):
        pass
    return getattr(stream, "limit", 0) == 0


def status_code(code: str) -> int | None:
    """The numeric status of an HTTP status line's code, or None when another tool wrote garbage."""
    try:
        return int(code)
    except (TypeError, ValueError):
        return None


def header_dict(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Headers as a dict; of repeated names (in any case) the last wins, so ``RawPage.header`` sees
    the same value whatever the case it asks in."""
    result: dict[str, str] = {}
    for name, value in headers:
        for existing in [key for key in result if key.lower() == name.lower()]:
            del result[existing]
        result[name] = value
    return result


def parse_warc_date(value: str | None) -> datetime | None:
    """A WARC-Date as an aware UTC datetime; None when missing or malformed."""
    if not value:
        return None
    try:
        parsed: datetime = iso_date_to_datetime(value, tz_aware=True)
    except (TypeError, ValueError):
        return None
    return parsed


def unreadable_reason(error: Exception) -> str:
    """One line saying why a file cannot be read, without warcio's multi-line advice."""
    if WHOLE_FILE_GZIP in str(error):
        return "gzipped as a whole instead of one gzip member per record (`warcio recompress` fixes it)"
    words = " ".join(str(error).split())
    text = "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in words)
    return f"not a WARC file ({text[:100]})" if text else "not a WARC file"
