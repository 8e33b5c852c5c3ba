"""A time budget per page: extraction that runs past it is abandoned, whatever made it slow.

The cleaning patterns are linear by construction (tests/test_linear_patterns.py), but one page must
never stop a crawl for any cause, a rule written tomorrow included. The budget is a real-time alarm in
the process that extracts (a worker, or the run's own process when ``EDUNEWS_WORKER_PROCESSES=0`` and in
``edunews extract``): Python's regular-expression engine and every Python line check for it, so the page
is given up within the limit and the process goes on with the next one.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: The environment variable that sets the budget, in seconds (0 turns it off).
BUDGET_ENV = "EDUNEWS_EXTRACT_TIMEOUT"
#: A page extracts in about 10 ms and a 10 MB one in about 2 s: five seconds is a page gone wrong.
DEFAULT_BUDGET_SECONDS = 5.0


class OverBudget(BaseException):
    """Extraction ran past its budget. A ``BaseException``, like ``KeyboardInterrupt``, so that no
    ``except Exception`` inside extraction takes it for an error of the page and goes on."""


def extract_budget() -> float:
    """Seconds one page's extraction may take: ``EDUNEWS_EXTRACT_TIMEOUT``, else the default."""
    value = os.environ.get(BUDGET_ENV, "").strip()
    try:
        return max(float(value), 0.0) if value else DEFAULT_BUDGET_SECONDS
    except ValueError:
        return DEFAULT_BUDGET_SECONDS


def _over_budget(signum: int, frame: FrameType | None) -> None:
    raise OverBudget


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`OverBudget` inside the block once it has run ``seconds``. Alarms reach only the
    main thread: elsewhere (and with ``seconds`` 0) the block runs unbounded."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _over_budget)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
