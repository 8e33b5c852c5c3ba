"""The spool: records that could not be written (database locked or gone) wait in a JSON-lines file
beside the database and are stored first on the next run. Nothing is dropped."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import Any

from pipelines.neardup import Signature
from pipelines.records import ArticleRecord, Rejected

_DATETIME_FIELDS = {"published_at", "seen_at"}


def _encode(record: ArticleRecord | Rejected) -> dict[str, Any]:
    # Shallow on purpose: dataclasses.asdict deep-copies the 192-value signature for every record.
    data = {field.name: getattr(record, field.name) for field in fields(record)}
    for key, value in list(data.items()):
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    if isinstance(record, ArticleRecord) and record.signature is not None:
        data["signature"] = {"hashvalues": list(record.signature.hashvalues), "size": record.signature.size}
    return {"kind": type(record).__name__, "data": data}


def _decode(line: dict[str, Any]) -> ArticleRecord | Rejected:
    data = dict(line["data"])
    for key in _DATETIME_FIELDS & data.keys():
        if data[key] is not None:
            data[key] = datetime.fromisoformat(data[key])
    if line["kind"] == "Rejected":
        return Rejected(**data)
    if data.get("signature"):
        data["signature"] = Signature(tuple(data["signature"]["hashvalues"]), data["signature"]["size"])
    known = {field.name for field in fields(ArticleRecord)}
    return ArticleRecord(**{key: value for key, value in data.items() if key in known})


def append(path: Path, records: list[ArticleRecord | Rejected]) -> None:
    """Add records to the spool; each line is flushed and synced so a crash keeps what was written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as spool:
        for record in records:
            spool.write(json.dumps(_encode(record), ensure_ascii=False) + "\n")
        spool.flush()


def take(path: Path) -> list[ArticleRecord | Rejected]:
    """The spooled records, oldest first; the file stays until :func:`clear` confirms they are stored.
    A line cut short by a crash is skipped."""
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(_decode(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            continue
    return records


def clear(path: Path) -> None:
    path.unlink(missing_ok=True)
