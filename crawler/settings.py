"""Every setting edunews reads, in one place: Scrapy's and our own (``EDUNEWS_*``).

Override any of them with ``-s NAME=value`` on a Scrapy command line or, for ``EDUNEWS_DB``, the
environment variable of the same name or the ``--db`` option of the ``edunews`` command."""

from __future__ import annotations

from scrapy.settings import default_settings as scrapy_defaults

BOT_NAME = "edunews"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
#: Scrapy's own commands, less what the project changes: ``scrapy crawl`` checks its ``-a profile``.
COMMANDS_MODULE = "crawler.commands"

# --- Politeness ------------------------------------------------------------------------------------
#: Who to contact about this crawler; put your project's page or address here (or -s EDUNEWS_CONTACT=...).
EDUNEWS_CONTACT = "https://github.com/edunews/edunews"
USER_AGENT = f"edunews/0.1 (+{EDUNEWS_CONTACT}; education-news research crawler)"
ROBOTSTXT_OBEY = True
#: An unreachable robots.txt (5xx, network error) disallows its site (RFC 9309): it is read this many
#: times, this many seconds apart, while the site's requests wait; then they fail as robots-unreachable.
EDUNEWS_ROBOTS_TRIES = 3
EDUNEWS_ROBOTS_RETRY_DELAY = 30.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
#: Retries with backoff for server errors and timeouts; a 4xx other than 408/429 is final.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 30
REDIRECT_MAX_TIMES = 5
#: Pages over 10 MB are not news articles; stop reading them (counted as errors, the crawl goes on).
DOWNLOAD_MAXSIZE = 10 * 2**20
DOWNLOAD_WARNSIZE = 2 * 2**20
COOKIES_ENABLED = False
#: Requests are de-duplicated by canonical URL (tracking parameters, fragments, a profile's host aliases).
REQUEST_FINGERPRINTER_CLASS = "crawler.fingerprint.CanonicalUrlFingerprinter"
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
#: Scrapy's, without making the per-page DEBUG lines a level above DEBUG would drop (crawler/extensions.py).
LOG_FORMATTER = "crawler.extensions.ShownLinesLogFormatter"

DOWNLOADER_MIDDLEWARES = {
    # robots.txt as RFC 9309 reads it, in Scrapy's place (crawler/middlewares.py says how they differ).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsRfc9309Middleware": 100,
    "crawler.middlewares.SkipKnownRedirectMiddleware": 550,
    # Above RedirectMiddleware (600), so it sees a redirect before it is followed.
    "crawler.middlewares.RedirectGuardMiddleware": 610,
    "pipelines.crawling.ConditionalRequestMiddleware": 560,
    "crawler.middlewares.WarcArchiveMiddleware": 580,
    # Scrapy's, without decoding pages that hold no refresh (crawler/middlewares.py).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.MetaRefreshMiddleware": 580,
}
#: Scrapy's own extensions less its remote-control HTTP server: not needed, and a crawl should open no
#: port of its own. Left out of the base rather than set to None or disabled: Scrapy imports every
#: extension named in EXTENSIONS to normalise its key, and this one imports aiohttp (8 MB of the
#: crawl's memory for nothing).
EXTENSIONS_BASE = {
    path: order
    for path, order in scrapy_defaults.EXTENSIONS_BASE.items()
    if path != "scrapy.extensions.remote_control.RemoteControl"
}
EXTENSIONS = {
    "pipelines.crawling.CrawlRunRecorder": 500,
    "pipelines.crawling.ScheduleRunLease": 502,
    "pipelines.crawling.KnownArticlesLoader": 505,
    "crawler.extensions.ProgressReporter": 510,
    "crawler.extensions.CollectorThreshold": 520,
}
#: Allocations between two collections of the youngest generation in a crawl's process (Python's is
#: 700; 0 leaves it): see crawler.extensions.CollectorThreshold.
EDUNEWS_GC_YOUNGEST_THRESHOLD = 20_000
#: Send back ETag / Last-Modified of listing pages, feeds and sitemaps (304 when unchanged).
EDUNEWS_CONDITIONAL_REQUESTS = True
#: Fetch stored articles again after this many days (0: never; sitemap lastmod still triggers a fetch).
EDUNEWS_RECRAWL_AFTER_DAYS = 0
#: A discovered article that failed is fetched again by the next crawl after its first failure, then
#: after this many hours, 3×, 7×… (doubling), at most this many days apart (crawler.incremental.retry_after).
EDUNEWS_LEDGER_RETRY_HOURS = 1.0
EDUNEWS_LEDGER_RETRY_DAYS_AT_MOST = 7.0
#: Folder of the raw-page WARC archive (empty: no archive), and the size at which a file is rotated.
EDUNEWS_ARCHIVE_DIR = "edunews-archive"
EDUNEWS_ARCHIVE_MAX_BYTES = 100 * 2**20
#: Record every crawl in the crawl_runs table.
EDUNEWS_RECORD_RUNS = True
#: The schedule run (``edunews scheduler``) a crawl belongs to, set by the scheduler: the crawl links
#: its crawl run to it as it starts, so how the crawl ended is known even if the scheduler died.
EDUNEWS_SCHEDULE_RUN = None
#: A schedule run is held in the database under a lease, renewed every EDUNEWS_SCHEDULER_HEARTBEAT
#: seconds by its scheduler and by its crawl; one nobody renewed for EDUNEWS_SCHEDULER_LEASE seconds is
#: over, and any scheduler on any host records its end (a Scrapyd job's once Scrapyd says it ended).
EDUNEWS_SCHEDULER_LEASE = 120.0
EDUNEWS_SCHEDULER_HEARTBEAT = 15.0
#: The host a scheduler names in its leases; None means $EDUNEWS_SCHEDULER_HOST, else the host name.
EDUNEWS_SCHEDULER_HOST = None
#: Seconds between progress lines on stderr (0: none).
EDUNEWS_PROGRESS_INTERVAL = 0
#: Processes that extract and sign articles beside the crawl's (or a replay's) own (-1: one per core
#: but one, for a replay one per core; 0: do it in the run's own process). See crawler/workers.py.
EDUNEWS_WORKER_PROCESSES = -1
#: The modules of the workers' work (extraction, signing), imported before the workers are forked so
#: that they share these modules' memory with the crawl's process rather than import copies each.
EDUNEWS_WORKER_MODULES = ["crawler.extraction.extract", "crawler.outcome", "pipelines.dedupe"]
#: Outputs of one callback processed at once. Scrapy starts this many tasks for every response, and a
#: page here yields one article or a listing's links: its default of 100 spent more time starting
#: tasks than the tasks had work (a tenth of a crawl's CPU time).
CONCURRENT_ITEMS = 8
#: Bytes of pages (1 kB at least each) Scrapy's scraper holds in process before it stops downloading;
#: Scrapy's default is 5 MB. A page held keeps its parsed tree, and once the store is behind its
#: article waits there for the database (pipelines/store.py): a 5,000-article crawl's peak was
#: 302 MB at 5 MB and 231 MB at 1 MB, no slower, since the database sets the pace. 1 MB still holds
#: a hundred pages of 10 kB, or a few of the largest portal pages.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000

#: The scheduler's queue keeps this many requests (about a kilobyte each) in memory, up to twice as
#: many, and the older ones on disk: a sitemap of 50,000 articles does not put 50,000 requests in
#: memory at once (crawler/queues.py). Requests leave in Scrapy's order (last in, first out).
SCHEDULER_MEMORY_QUEUE = "crawler.queues.SpillingLifoQueue"
EDUNEWS_QUEUE_IN_MEMORY = 1000

# --- Several crawl processes sharing one crawl (crawler/frontier.py) ----------------------------------
#: Picks the shared Redis frontier when EDUNEWS_FRONTIER is set, Scrapy's own scheduler otherwise.
SCHEDULER = "crawler.frontier.FrontierScheduler"
#: Redis URL of the frontier shared by every worker of a crawl; None means $EDUNEWS_FRONTIER, else none.
EDUNEWS_FRONTIER = None
#: Seconds between a worker's heartbeats.
EDUNEWS_FRONTIER_HEARTBEAT = 1.0
#: A worker silent this many seconds is gone: the requests it had taken go back to the queue.
EDUNEWS_FRONTIER_LEASE_TIMEOUT = 30.0
#: Requests a worker holds at most (taken and not yet handled); 0 means twice CONCURRENT_REQUESTS.
EDUNEWS_FRONTIER_MAX_HELD = 0
#: A worker stops once the queue has been empty, with no request taken anywhere, this many seconds.
EDUNEWS_FRONTIER_IDLE = 5.0

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
#: SQLite's page cache of a crawl's database connection, in MiB. A crawl stores some 60 articles a
#: second, and a cache that has filled is resident memory: 64 MiB (what a batch ingest uses, see
#: pipelines/db.py) made a 5,000-article crawl's process 90 MB larger than 2 MiB did.
EDUNEWS_SQLITE_CACHE_MB = 8
#: Tries, and the first wait in seconds (doubling), when the database is locked or unreachable.
EDUNEWS_DB_RETRIES = 5
EDUNEWS_DB_RETRY_DELAY = 0.2
#: The folder of recovery state: each storing process keeps its journal and spool in a folder of its
#: own there (pipelines/state.py). None means $EDUNEWS_STATE_DIR, else beside the SQLite file
#: (<file>.state), else $XDG_STATE_HOME/edunews (~/.local/state/edunews) for a database server.
EDUNEWS_STATE_DIR = None
#: Refresh stored articles extracted by older rules even when their text is unchanged.
EDUNEWS_REEXTRACT = False
