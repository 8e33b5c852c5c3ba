"""Every setting edunews reads, in one place: Scrapy's and our own (``EDUNEWS_*``).

Override any of them with ``-s NAME=value`` on a Scrapy command line or, for ``EDUNEWS_DB``, the
environment variable of the same name or the ``--db`` option of the ``edunews`` command."""

from __future__ import annotations

BOT_NAME = "edunews"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Ingestion pipelines (pipelines/), in order: refuse, normalise, fingerprint, store -----------
ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.normalize.NormalizePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.store.StorePipeline": 400,
}
#: SQLAlchemy URL or SQLite file path; None means $EDUNEWS_DB, else ./edunews.sqlite.
EDUNEWS_DB = None
#: Records written per transaction.
EDUNEWS_BATCH_SIZE = 50
#: Tries, and the first wait in seconds (doubling), when the database is locked or unreachable.
EDUNEWS_DB_RETRIES = 5
EDUNEWS_DB_RETRY_DELAY = 0.2
#: Where records wait when the database stays unavailable; None means beside the SQLite file.
EDUNEWS_SPOOL = None
#: Refresh stored articles extracted by older rules even when their text is unchanged.
EDUNEWS_REEXTRACT = False
