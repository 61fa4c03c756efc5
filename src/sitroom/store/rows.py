"""An extraction as the rows `Store.add` writes, computed where the article was extracted.

Everything one article alone decides (fact ids and rows, its places, its fingerprint and band
keys, the reports its events make) is worked out here: in a Dask worker, or in the ingest
before the write transaction begins. The writer is left to look up and insert. The rows are
plain tuples of strings and numbers: a tenth of the cost of pickling the `Extraction`.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from sitroom.errors import StoreError
from sitroom.model import Extraction
from sitroom.record.incidents import Report, reports_of, source_key
from sitroom.store.schema import (
    FACT_TABLES,
    Fact,
    Row,
    article_row,
    fact_id,
    fact_row,
    known_place_row,
)

__all__ = ["ArticleRows", "band_key", "check", "rows_of"]


@dataclass(frozen=True, slots=True)
class ArticleRows:
    """One article as the store writes it: its row, its facts' rows, what dedup and incident
    filing need of it. `reports` carry the article's own source key; a copy's reports take
    its original's when they are filed."""

    article_id: str
    #: The `articles` row; its `added_at` is set when the batch is written.
    article: Row
    #: Rows of each of `FACT_TABLES`, in that order.
    facts: tuple[tuple[Row, ...], ...]
    #: `known_places` rows of the gazetteer entries the mentions resolved to.
    known_places: tuple[Row, ...]
    #: The fingerprint (`sitroom.record.duplicates`): text hash and base64 signature.
    exact: str
    signature: str
    #: The fingerprint's band keys as the store keeps them, each once, in band order.
    band_keys: tuple[int, ...]
    #: The article's independent-source key (`sitroom.record.incidents.source_key`).
    source: str
    reports: tuple[Report, ...]

    @property
    def fact_count(self) -> int:
        """How many fact rows the article has."""
        return sum(len(rows) for rows in self.facts)


#: Where `added_at` sits in an `articles` row.
_ADDED_AT = 6


def rows_of(extraction: Extraction) -> ArticleRows:
    """The rows of a valid extraction (`check`); the fingerprint of its text."""
    # Imported here: numpy is loaded only by a process that writes or extracts for a writer.
    from sitroom.record.duplicates import fingerprint

    check(extraction)
    article = extraction.article
    facts: dict[str, list[Row]] = {table: [] for table in FACT_TABLES}
    for fact in _facts(extraction):
        table, row = fact_row(fact, published=article.published)
        facts[table].append(row)
    places = {m.place.id: known_place_row(m.place) for m in extraction.places if m.place}
    fp = fingerprint(article.text)
    source = source_key(article)
    return ArticleRows(
        article_id=article.id,
        article=article_row(article, added_at=""),
        facts=tuple(tuple(facts[table]) for table in FACT_TABLES),
        known_places=tuple(places.values()),
        exact=fp.exact,
        signature=base64.b64encode(fp.signature).decode("ascii"),
        band_keys=tuple(dict.fromkeys(band_key(band) for band in fp.bands())),
        source=source,
        reports=tuple(reports_of(extraction, source=source, event_id=fact_id)),
    )


def article_row_at(rows: ArticleRows, added_at: str) -> Row:
    """The article's row as written at `added_at`."""
    row = rows.article
    return (*row[:_ADDED_AT], added_at, *row[_ADDED_AT + 1 :])


def band_key(band: str) -> int:
    """A band key as a signed 64-bit integer: what BIGINT columns hold, in both backends."""
    digest = hashlib.blake2b(band.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def check(extraction: Extraction) -> None:
    """Refuse facts of another article, or spans past the article's text."""
    article = extraction.article
    for fact in _facts(extraction):
        kind = type(fact).__name__
        if fact.article_id != article.id:
            raise StoreError(
                f"article {article.id}: a {kind} at {fact.span.start}-{fact.span.end} belongs "
                f"to article {fact.article_id}; add facts with the article they came from"
            )
        if fact.span.end > len(article.text):
            raise StoreError(
                f"article {article.id}: a {kind} at {fact.span.start}-{fact.span.end} ends past "
                f"the text ({len(article.text)} characters); spans must index the article text"
            )


def _facts(extraction: Extraction) -> tuple[Fact, ...]:
    return (*extraction.places, *extraction.times, *extraction.figures, *extraction.events)
