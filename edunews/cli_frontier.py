"""``edunews frontier``: look at and empty the shared Redis frontier of distributed crawls."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from edunews.common import fail, json_option

if TYPE_CHECKING:
    from redis import Redis

frontier_option = click.option(
    "--frontier",
    "url",
    envvar="EDUNEWS_FRONTIER",
    required=True,
    metavar="REDIS_URL",
    help="The Redis the crawl workers share. [default: $EDUNEWS_FRONTIER]",
)


@click.group()
def frontier() -> None:
    """Inspect or empty the shared frontier of crawls run by several processes (crawl --frontier)."""


def connected(url: str) -> Redis:
    """The frontier's Redis, or one line naming why it cannot be reached and exit 2."""
    from crawler.frontier import FrontierUnavailable, connect

    try:
        return connect(url)
    except FrontierUnavailable as error:
        fail(str(error))


@frontier.command()
@frontier_option
@json_option
def status(url: str, as_json: bool) -> None:
    """Per crawl: requests queued, fingerprints seen, requests leased by each worker, workers alive.

    \b
    Examples:
      edunews frontier status --frontier redis://127.0.0.1:6379/0
      EDUNEWS_FRONTIER=redis://queue.lan/0 edunews frontier status --json
    """
    from crawler.frontier import SharedFrontier, crawl_names

    client = connected(url)
    found = [SharedFrontier(client, name).status() for name in crawl_names(client)]
    if as_json:
        click.echo(json.dumps([asdict(one) for one in found], indent=2))
        return
    if not found:
        click.echo("no crawl in this frontier")
    for one in found:
        click.echo(f"{one.name}: {one.queued} queued, {one.seen} seen, {len(one.heartbeats)} workers")
        for worker, silent in sorted(one.heartbeats.items()):
            click.echo(f"  {worker}: {one.leases.get(worker, 0)} leased, last heartbeat {silent:.1f} s ago")


@frontier.command()
@frontier_option
@click.option("--name", help="Only this crawl (its profile's name); all crawls otherwise.")
@click.option("--yes", is_flag=True, help="Really delete: queued requests and seen fingerprints are lost.")
def clear(url: str, name: str | None, yes: bool) -> None:
    """Delete the frontier's queue, seen set and leases (stop the workers first).

    \b
    Examples:
      edunews frontier clear --frontier redis://127.0.0.1:6379/0 --name moe --yes
    """
    from crawler.frontier import SharedFrontier, crawl_names

    if not yes:
        fail("clear deletes every queued request and seen fingerprint; add --yes to do it")
    client = connected(url)
    names = [name] if name else crawl_names(client)
    deleted = sum(SharedFrontier(client, one).clear() for one in names)
    click.echo(f"cleared {', '.join(names) or 'nothing'} ({deleted} keys)")
