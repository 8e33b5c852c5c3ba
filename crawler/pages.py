"""Raw pages: one HTTP response kept whole (URL, status, headers, body bytes, fetch time)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

#: File names of a saved page in a fixture folder (see fixtures/README.md).
BODY_FILE = "body.html"
RESPONSE_FILE = "response.json"


class UnreadablePage(ValueError):
    """A saved page that cannot be read: missing file, bad metadata."""


@dataclass(frozen=True)
class RawPage:
    """What a fetch returned, before any decoding: the input of extraction and replay."""

    url: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    status: int = 200
    fetched_at: datetime | None = None

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
    """Load a fixture folder (``body.html`` + ``response.json``) as the response it records."""
    folder = path if path.is_dir() else path.parent
    try:
        info = json.loads((folder / RESPONSE_FILE).read_text(encoding="utf-8"))
        body = (folder / BODY_FILE).read_bytes()
    except (OSError, json.JSONDecodeError) as error:
        raise UnreadablePage(f"{folder}: {error}") from error
    if not isinstance(info, dict) or not info.get("url"):
        raise UnreadablePage(f"{folder / RESPONSE_FILE}: needs at least a url")
    fetched_at = datetime.fromisoformat(info["fetched_at"]) if info.get("fetched_at") else None
    return RawPage(
        url=info["url"],
        body=body,
        headers=info.get("headers") or {},
        status=int(info.get("status", 200)),
        fetched_at=fetched_at,
    )


def read_html_file(path: Path, url: str | None = None) -> RawPage:
    """A bare HTML file, with no headers: its URL is ``url`` or the file's own ``file://`` address."""
    try:
        body = path.read_bytes()
    except OSError as error:
        raise UnreadablePage(f"{path}: {error.strerror or error}") from error
    return RawPage(url=url or path.resolve().as_uri(), body=body)


def read_page(path: Path, url: str | None = None) -> RawPage:
    """A saved page from a fixture folder or a plain HTML file; ``url`` overrides the recorded one."""
    if is_saved_page(path):
        page = read_saved_page(path)
        return page if url is None else RawPage(url, page.body, page.headers, page.status, page.fetched_at)
    if path.is_dir():
        raise UnreadablePage(f"{path}: a folder without {BODY_FILE} and {RESPONSE_FILE}")
    return read_html_file(path, url)


def saved_page_folders(paths: list[Path]) -> list[Path]:
    """Every saved-page folder under ``paths`` (folders are searched recursively), in a stable order.
    A path that does not exist is an error naming it."""
    folders: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UnreadablePage(f"{path}: no such file or folder")
        if is_saved_page(path):
            folders.append(path if path.is_dir() else path.parent)
        elif path.is_dir():
            folders.extend(sorted(info.parent for info in path.rglob(RESPONSE_FILE) if is_saved_page(info.parent)))
        else:
            raise UnreadablePage(f"{path}: not a saved page (needs {BODY_FILE} and {RESPONSE_FILE})")
    return list(dict.fromkeys(folders))


def iter_saved_pages(folders: list[Path]) -> Iterator[RawPage | UnreadablePage]:
    """Each folder's page, or the error that kept it from being read: one bad folder does not stop
    a replay."""
    for folder in folders:
        try:
            yield read_saved_page(folder)
        except UnreadablePage as error:
            yield error
