"""``edunews serve``: the read-only web page over the database."""

from __future__ import annotations

import click

from edunews.common import EXIT_UNUSABLE, db_option, fail, open_for_reading

__all__ = ["serve"]


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (keep it local).")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option("--quiet", is_flag=True, help="Do not log each request on stderr.")
def serve(db: str | None, host: str, port: int, quiet: bool) -> None:
    """Serve a read-only web page over the database until Ctrl-C.

    Articles with site and date filters, search, each article's clean text beside the blocks that
    were removed and why, every copy seen, crawl runs and schedules. Nothing can be changed from it.

    \b
    Examples:
      edunews serve                          # http://127.0.0.1:8000/ over ./edunews.sqlite
      edunews serve --db sqlite:///data/news.db --port 8080
    """
    from edunews.web import make_app, make_server, read_only_sessions
    from pipelines.db import database_url, shown_url

    open_for_reading(db)
    try:
        server = make_server(make_app(read_only_sessions(db)), host, port, quiet=quiet)
    except (OSError, ValueError) as error:  # ValueError: an address that is no host (256.1.1.1)
        fail(f"cannot listen on {host}:{port}: {getattr(error, 'strerror', None) or error}", EXIT_UNUSABLE)
    shown_host = f"[{host}]" if ":" in host else host
    served = shown_url(database_url(db))
    click.echo(f"serving {served} read-only at http://{shown_host}:{server.server_port}/  (Ctrl-C to stop)")
    try:
        server.serve_forever()  # returns on Ctrl-C
    except KeyboardInterrupt:  # one that came before serving began
        pass
    finally:
        server.shutdown()
    click.echo("stopped")
