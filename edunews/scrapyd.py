"""Crawls run by a Scrapyd server instead of a local process: the three calls of Scrapyd's HTTP API the
scheduler needs (schedule a job, ask how it is, cancel it), over the standard library."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

#: The project name ``scrapy.cfg`` deploys under, and the one spider every crawl runs.
PROJECT = "edunews"
SPIDER = "news"
TIMEOUT_SECONDS = 10


class ScrapydError(RuntimeError):
    """Scrapyd could not be reached or refused the call; the message says which, in one line."""


def call(base_url: str, endpoint: str, fields: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """One API call: a POST with ``fields`` (repeated names allowed), or a GET without; Scrapyd's JSON."""
    url = base_url.rstrip("/") + "/" + endpoint
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    try:
        with urllib.request.urlopen(url, data=data, timeout=TIMEOUT_SECONDS) as reply:
            answer = json.loads(reply.read())
    except (OSError, ValueError) as error:
        raise ScrapydError(f"Scrapyd at {base_url} did not answer {endpoint}: {error}") from error
    if answer.get("status") != "ok":
        raise ScrapydError(f"Scrapyd at {base_url} refused {endpoint}: {answer.get('message', answer)}")
    return answer


def schedule_crawl(base_url: str, profile: str, settings: Mapping[str, str]) -> str:
    """Start a crawl of ``profile`` on Scrapyd with these Scrapy settings (``EDUNEWS_DB`` among them);
    returns the job id."""
    fields = [("project", PROJECT), ("spider", SPIDER), ("profile", profile)]
    fields += [("setting", f"{name}={value}") for name, value in settings.items()]
    return str(call(base_url, "schedule.json", fields)["jobid"])


def job_state(base_url: str, job: str) -> str:
    """``pending``, ``running`` or ``finished`` (``""`` when Scrapyd no longer knows the job)."""
    query = urllib.parse.urlencode({"job": job, "project": PROJECT})
    return str(call(base_url, f"status.json?{query}").get("currstate") or "")


def cancel(base_url: str, job: str) -> None:
    """Ask Scrapyd to stop a job (it sends the crawl a SIGINT: Scrapy stops gracefully; asked again,
    it sends another, and the crawl ends at once, its journal left for the next run)."""
    call(base_url, "cancel.json", [("project", PROJECT), ("job", job)])
