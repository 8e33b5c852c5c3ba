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
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

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


#: How soon the alarm rings again after its exception was swallowed (seconds).
AGAIN_SECONDS = 0.01


def _over_budget(signum: int, frame: FrameType | None) -> None:
    raise OverBudget


def _ringing_again(previous: Callable[[Any], object]) -> Callable[[Any], object]:
    """``sys.unraisablehook`` that, for an :class:`OverBudget` swallowed, sets the alarm to ring again
    instead of printing it; ``previous`` for anything else."""

    def hook(unraisable: Any) -> object:
        if not isinstance(unraisable.exc_value, OverBudget):
            return previous(unraisable)
        signal.setitimer(signal.ITIMER_REAL, AGAIN_SECONDS)
        return None

    return hook


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`OverBudget` inside the block once it has run ``seconds``. Alarms reach only the
    main thread: elsewhere (and with ``seconds`` 0) the block runs unbounded.

    The alarm's handler runs in whatever Python code runs when it rings, and that may be a weak
    reference's callback or a ``__del__`` that the garbage collector called midway through the
    extraction: Python reports an exception raised there as unraisable ("Exception ignored in ...")
    and goes on, and the page ran unbounded (a 10 MB page, 1 time in 2, once a replay's pages ran as
    event-loop tasks, whose registry is a weak set). Inside the block, such a swallowed
    :class:`OverBudget` sets the alarm to ring again, ``AGAIN_SECONDS`` later, and is not reported."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _over_budget)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _ringing_again(previous_hook)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = previous_hook
