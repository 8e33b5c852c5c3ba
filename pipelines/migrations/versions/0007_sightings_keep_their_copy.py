"""Every sighting keeps its own copy, and stored keys are made again in the folded script.

A sighting kept only its URL, headline and fingerprint: a second edition of a notice merged into the
first lost its text for good, and the article's text could only ever be the first copy crawled. Each
sighting now keeps the fields it was extracted with (``sightings.extracted``, see
``pipelines.copies``). The article's own copy is filled from the article's fields; the other copies
of older databases were never kept and stay empty.

Near-duplicate keys now fold traditional characters into simplified ones (``neardup.fold``): keys
made before differ from new ones for texts holding traditional characters, so a traditional repost
would never meet its original. Those articles get new keys (fingerprint, signature, band rows), and
so does their own sighting; a text that folding leaves as it was keeps keys that are still right, so
only the texts that change are signed again (signing every text of a large store takes minutes).

The downgrade drops the copies; the keys stay folded (older code compares them as it would its own,
only traditional texts now match simplified ones).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 10:00:00.000000
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: Articles read and written per round.
CHUNK = 500


#: The tables as this revision knows them (not the models, which later revisions may change).
JSON_FIELDS = ("paragraphs", "authors", "editors", "keywords", "images", "removed")
ARTICLES = sa.table(
    "articles",
    sa.column("id", sa.Integer()),
    sa.column("url", sa.Text()),
    sa.column("fingerprint", sa.Text()),
    sa.column("minhash", sa.LargeBinary()),
    sa.column("shingle_count", sa.Integer()),
)
SIGHTINGS = sa.table(
    "sightings",
    sa.column("article_id", sa.Integer()),
    sa.column("url", sa.Text()),
    sa.column("fingerprint", sa.Text()),
    sa.column("extracted", sa.LargeBinary()),
)
BANDS = sa.table(
    "minhash_bands",
    sa.column("bucket", sa.BigInteger()),
    sa.column("band", sa.Integer()),
    sa.column("article_id", sa.Integer()),
)


def _articles() -> Iterator[list[dict[str, Any]]]:
    """The stored articles' copy fields with id and URL, ``CHUNK`` at a time, by id."""
    from pipelines.copies import COPY_FIELDS
    from pipelines.models import UTCDateTime

    kinds = {name: sa.JSON() for name in JSON_FIELDS} | {"published_at": UTCDateTime()}
    fields = [sa.column(name, kinds.get(name, sa.Text())) for name in COPY_FIELDS]
    table = sa.table("articles", sa.column("id", sa.Integer()), sa.column("url", sa.Text()), *fields)
    connection = op.get_bind()
    last = 0
    while True:
        query = sa.select(table).where(table.c.id > last).order_by(table.c.id).limit(CHUNK)
        rows = [dict(row._mapping) for row in connection.execute(query)]
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def upgrade() -> None:
    from pipelines.copies import pack
    from pipelines.dedupe import text_keys
    from pipelines.neardup import has_traditional

    op.add_column("sightings", sa.Column("extracted", sa.LargeBinary(), nullable=True))
    connection = op.get_bind()
    own = (SIGHTINGS.c.article_id == sa.bindparam("id")) & (SIGHTINGS.c.url == sa.bindparam("own_url"))
    for chunk in _articles():
        blobs = [{"id": row["id"], "own_url": row["url"], "blob": pack(row)} for row in chunk]
        connection.execute(SIGHTINGS.update().where(own).values(extracted=sa.bindparam("blob")), blobs)
        for row in chunk:
            # Keys before 0007 were of the NFKC text: they differ where OpenCC changes that text.
            if not has_traditional(unicodedata.normalize("NFKC", row["title"] + "\n" + row["text"])):
                continue
            keys = text_keys(row["title"], row["text"])
            signed, where = keys.signature, {"id": row["id"], "own_url": row["url"]}
            connection.execute(
                ARTICLES.update().where(ARTICLES.c.id == row["id"]),
                {"fingerprint": keys.fingerprint, "minhash": signed.to_bytes(), "shingle_count": signed.size},
            )
            connection.execute(SIGHTINGS.update().where(own).values(fingerprint=keys.fingerprint), where)
            connection.execute(BANDS.delete().where(BANDS.c.article_id == row["id"]))
            bands = [{"bucket": bucket, "band": band, "article_id": row["id"]} for band, bucket in signed.buckets]
            if bands:
                connection.execute(BANDS.insert(), bands)


def downgrade() -> None:
    with op.batch_alter_table("sightings") as batch_op:
        batch_op.drop_column("extracted")
