"""Raw pages: one HTTP response kept whole (URL, status, headers, body bytes, fetch time)."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

#: File names of a saved page in a fixture folder (see fixtures/README.md).
BODY_FILE = "body.html"
RESPONSE_FILE = "response.json"
#: Content-Encodings a saved body may still carry, and the zlib window that reads each (gzip, zlib).
CONTENT_ENCODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
GZIP_MAGIC = b"\x1f\x8b"


class UnreadablePage(ValueError):
    """A saved page that cannot be read: missing file, bad metadata. ``where`` names it (the folder,
    the file, or ``file.warc.gz@offset``) so a run's summary can list it."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where


@dataclass(frozen=True)
class RawPage:
    """What a fetch returned, before any decoding: the input of extraction and replay."""

    url: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    status: int = 200
    fetched_at: datetime | None = None
    origin: str = field(default="", compare=False)
    """Where a saved page was read from (its folder, ``file.warc.gz@offset``); empty for a live fetch.
    Not part of what the page is: the same response read from two places is the same page."""

    def header(self, name: str) -> str | None:
        """A response header, looked up without regard to case."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None


def is_saved_page(path: Path) -> bool:
    """True for a fixture folder (or its body file) that has response metadata beside the body."""
    folder = path if path.is_dir() else path.parent
    return (folder / BODY_FILE).is_file() and (folder / RESPONSE_FILE).is_file()


def read_saved_page(path: Path) -> RawPage:
    """Load a fixture folder (``body.html`` + ``response.json``) as the response it records. Every way
    the folder can be broken is an :class:`UnreadablePage` naming the folder and the fault."""
    folder = path if path.is_dir() else path.parent
    where = str(folder)
    try:
        info = json.loads((folder / RESPONSE_FILE).read_text(encoding="utf-8"))
        body = (folder / BODY_FILE).read_bytes()
    except (OSError, ValueError) as error:  # ValueError: bad JSON, or a response.json not in UTF-8
        raise UnreadablePage(f"{folder}: {_reading_error(error)}", where) from error
    if not isinstance(info, dict) or not info.get("url"):
        raise UnreadablePage(f"{folder / RESPONSE_FILE}: needs at least a url", where)
    try:
        headers = _headers(info.get("headers") or {})
        return RawPage(
            url=_text(info["url"], "url"),
            body=content_decoded(body, headers),
            headers=headers,
            status=_status(info.get("status", 200)),
            fetched_at=_fetched_at(info.get("fetched_at")),
            origin=where,
        )
    except ValueError as error:
        raise UnreadablePage(f"{folder / RESPONSE_FILE}: {error}", where) from error


def _reading_error(error: Exception) -> str:
    """One line for an error met reading a saved page's files."""
    if isinstance(error, OSError):
        return f"{Path(error.filename).name if error.filename else 'file'}: {error.strerror or error}"
    if isinstance(error, UnicodeDecodeError):
        return f"{RESPONSE_FILE} is not UTF-8 text"
    return f"{RESPONSE_FILE} is not JSON ({error})"


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, got {value!r}"[:200])
    return value


def _status(value: Any) -> int:
    """The HTTP status, a number (or a numeric string, as some tools write it)."""
    try:
        status = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"status must be a number, got {value!r}"[:200]) from None
    if not 100 <= status <= 999:
        raise ValueError(f"status {status} is not an HTTP status")
    return status


def _headers(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError(f"headers must be an object of text values, got {value!r}"[:200])
    return value


def _fetched_at(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(_text(value, "fetched_at"))
    except ValueError:
        raise ValueError(f"fetched_at must be an ISO 8601 time, got {value!r}"[:200]) from None


def content_decoded(body: bytes, headers: Mapping[str, Any]) -> bytes:
    """The body without the Content-Encoding a saving tool kept on it (gzip, deflate): a body saved
    as it came off the wire is still the page its headers describe. A body already decoded (the header
    kept, the bytes not) is returned as it is."""
    encoding = next((str(v) for k, v in headers.items() if str(k).lower() == "content-encoding"), "")
    window = CONTENT_ENCODINGS.get(encoding.strip().lower())
    if window is None or (window != zlib.MAX_WBITS and not body.startswith(GZIP_MAGIC)):
        return body
    try:
        return zlib.decompress(body, window)
    except zlib.error as error:
        if window == zlib.MAX_WBITS:
            return body  # "deflate" that is not zlib data: most likely decoded already
        raise ValueError(f"{BODY_FILE} says Content-Encoding {encoding} but is damaged gzip ({error})") from error


def read_html_file(path: Path, url: str | None = None) -> RawPage:
    """A bare HTML file, with no headers: its URL is ``url`` or the file's own ``file://`` address."""
    try:
        body = path.read_bytes()
    except OSError as error:
        raise UnreadablePage(f"{path}: {error.strerror or error}", str(path)) from error
    return RawPage(url=url or path.resolve().as_uri(), body=body, origin=str(path))


def read_page(path: Path, url: str | None = None) -> RawPage:
    """A saved page from a fixture folder or a plain HTML file; ``url`` overrides the recorded one."""
    if is_saved_page(path):
        page = read_saved_page(path)
        return page if url is None else replace(page, url=url)
    if path.is_dir():
        raise UnreadablePage(f"{path}: a folder without {BODY_FILE} and {RESPONSE_FILE}")
    return read_html_file(path, url)


def files_under(folder: Path) -> tuple[list[Path], list[Path]]:
    """Every file under ``folder`` in a stable order, through linked folders too (each real folder
    once, so a link to a parent ends), and the folders that could not be listed (no permission):
    ``Path.rglob`` passes over both without a word."""
    files: list[Path] = []
    unlisted: list[Path] = []
    seen: set[str] = set()
    for root, folders, names in os.walk(
        folder, onerror=lambda error: unlisted.append(Path(error.filename)), followlinks=True
    ):
        real = os.path.realpath(root)
        if real in seen:
            folders.clear()
            continue
        seen.add(real)
        folders.sort()
        files.extend(Path(root, name) for name in sorted(names))
    return files, unlisted


def saved_page_folders(paths: list[Path]) -> list[Path]:
    """Every saved-page folder under ``paths`` (folders are searched recursively, through links), in a
    stable order. A folder holding only one of the two files is included, and so is a folder that
    could not be listed, so that reading it names what is wrong instead of passing it over in silence.
    A path that does not exist is an error naming it."""
    folders: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UnreadablePage(f"{path}: no such file or folder", str(path))
        if is_saved_page(path):
            folders.append(path if path.is_dir() else path.parent)
        elif path.is_dir():
            files, unlisted = files_under(path)
            found = {file.parent for file in files if file.name in (RESPONSE_FILE, BODY_FILE)}
            folders.extend(sorted(found.union(unlisted)))
        else:
            raise UnreadablePage(f"{path}: not a saved page (needs {BODY_FILE} and {RESPONSE_FILE})", str(path))
    return list(dict.fromkeys(folders))


def iter_saved_pages(folders: list[Path]) -> Iterator[RawPage | UnreadablePage]:
    """Each folder's page, or the error that kept it from being read: one bad folder does not stop
    a replay."""
    for folder in folders:
        try:
            yield read_saved_page(folder)
        except UnreadablePage as error:
            yield error
