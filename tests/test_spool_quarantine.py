"""The spool never drops a line silently: one that cannot be read is moved to a quarantine file beside
the spool, counted and named in the run's summary, and the run exits 1."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from probes import FIXTURES, edunews

from pipelines import spool
from pipelines.db import database_url
from pipelines.records import Rejected
from pipelines.state import claim

EXIT_FAILURES = 1
DAMAGED = '{"kind": "ArticleRecord", "data": {"url": 1}}'
CUT_SHORT = '{"kind": "Rejected", "data": {"url": "http://www.example.edu.cn/a'


def test_unreadable_lines_go_to_quarantine_and_readable_ones_are_taken(tmp_path: Path) -> None:
    path = tmp_path / "spool.jsonl"
    rejected = Rejected("http://www.example.edu.cn/1.html", "short-text", "", {}, datetime.now(UTC))
    spool.append(path, [rejected])
    with path.open("a", encoding="utf-8") as out:
        out.write(DAMAGED + "\n" + CUT_SHORT)
    spool.quarantined()  # what earlier tests left unreported
    assert [record.url for record in spool.take(path)] == [rejected.url]
    assert spool.quarantine_of(path).read_text(encoding="utf-8").splitlines() == [DAMAGED, CUT_SHORT]
    assert spool.quarantined() == [(spool.quarantine_of(path), 2)]


def test_a_spool_read_twice_before_it_is_cleared_quarantines_its_lines_once(tmp_path: Path) -> None:
    path = tmp_path / "spool.jsonl"
    path.write_text(DAMAGED + "\n", encoding="utf-8")
    spool.take(path)
    spool.take(path)
    assert spool.quarantine_of(path).read_text(encoding="utf-8").splitlines() == [DAMAGED]
    assert spool.quarantined() == [(spool.quarantine_of(path), 1)]  # (reported: not left for a later run here)


def test_a_run_that_meets_unreadable_spool_lines_names_the_quarantine_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "news.sqlite.spool.jsonl").write_text(DAMAGED + "\n" + CUT_SHORT, encoding="utf-8")
    run = edunews("replay", str(FIXTURES / "big5-taiwan"), "--db", "news.sqlite", cwd=tmp_path)
    assert run.code == EXIT_FAILURES, run.err[-3000:]
    assert "spool-unreadable" in run.out and "quarantine" in run.out
    assert "spool-unreadable" in run.err
    quarantine = tmp_path / "news.sqlite.spool.jsonl.quarantine"
    assert quarantine.read_text(encoding="utf-8").splitlines() == [DAMAGED, CUT_SHORT]


def test_the_closing_line_lists_by_reason_every_failure_it_counts(tmp_path: Path) -> None:
    """Two unreadable lines are one quarantine file, one entry of the summary: the closing line still
    says 2 by reason, as it says 2 in all (it said "2 inputs failed (spool-unreadable 1)")."""
    (tmp_path / "news.sqlite.spool.jsonl").write_text(DAMAGED + "\n" + CUT_SHORT, encoding="utf-8")
    run = edunews("replay", str(FIXTURES / "big5-taiwan"), "--db", "news.sqlite", cwd=tmp_path)
    [line] = [line for line in run.err.splitlines() if "failed" in line]
    counted = re.search(r"(\d+) inputs? failed \(([^)]*)\)", line)
    assert counted, line
    by_reason = {reason: int(count) for reason, count in re.findall(r"([\w-]+) (\d+)", counted.group(2))}
    assert by_reason == {"spool-unreadable": 2} and sum(by_reason.values()) == int(counted.group(1))


def test_unreadable_lines_a_gone_process_left_are_kept_after_its_folder_goes(tmp_path: Path) -> None:
    db = tmp_path / "news.sqlite"
    gone = claim(tmp_path / "news.sqlite.state", database_url(str(db)))
    gone.journal.write_text(DAMAGED + "\n", encoding="utf-8")
    gone.lock.close()  # the process that held it is gone
    run = edunews("replay", str(FIXTURES / "big5-taiwan"), "--db", "news.sqlite", "--json", cwd=tmp_path)
    assert run.code == EXIT_FAILURES, run.err[-3000:]
    assert not gone.folder.exists()
    [quarantine] = (tmp_path / "news.sqlite.state").glob("*.quarantine")
    assert quarantine.read_text(encoding="utf-8").splitlines() == [DAMAGED]
    assert quarantine.name in run.out  # named in the summary
