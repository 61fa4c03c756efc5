"""Listing indexes held back while a large ingest writes, and built once when it ends.

Keeping an index up row by row costs a B-tree insert at a random place for every row and, at
each commit, a write of every page the batch touched; building it afterwards is one sort.
Measured on generated articles added in batches of 1,000 to a store of 35,000-40,000
(benchmarks/corpus.py): on SQLite, writing the facts took 0.47-0.51 ms of CPU per article with
these 22 indexes kept up and 0.35-0.37 without, the commit 0.41-0.43 and 0.36-0.38; on
PostgreSQL the facts took 1.76 ms per article and 0.93. Building them all again at 40,000
articles took 2.9-3.5 s, under 0.1 ms per article stored.

Only indexes that no write reads and no query names (SQLite's INDEXED BY) are held back, so a
reader gets the same answers meanwhile, only more slowly. The indexes held back are recorded
in the store itself (`deferred_indexes`), with their definitions as the database gives them,
in the transaction that drops them: a process killed meanwhile leaves a store whose next
write (an `add`, or the ingest run again) builds them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitroom.store.sql import Database

__all__ = [
    "DEFERRABLE_INDEXES",
    "BulkLoad",
    "build_deferred_indexes",
    "defer_indexes",
    "indexes",
]

#: The indexes only listings read. Kept up through a bulk load: the band key and incident
#: candidate indexes, which `add` reads, and the listing order indexes, which queries name.
DEFERRABLE_INDEXES = frozenset(
    {
        "articles_canonical",
        "articles_order",
        "places_article",
        "places_place_id",
        "times_article",
        "times_days",
        "times_lead",
        "figures_article",
        "figures_place_id",
        "figures_days",
        "figures_lead",
        "events_article",
        "events_place_id",
        "events_days",
        "events_lead",
        "incidents_date",
        "incidents_place_id",
        "incidents_first_reported",
        "incidents_type",
        "incidents_subtype",
        "incident_reports_article",
        "known_places_kind",
    }
)

#: A bulk load holds indexes back once it has added this share of what the store held at its
#: start (into a new store, from its first batch): the build at its end costs in proportion to
#: the whole store, and a load that small into a large store is cheaper kept up row by row.
AFTER_SHARE = 0.1


@dataclass(slots=True)
class BulkLoad:
    """A bulk load in progress: when it holds the indexes back, and whether it has."""

    #: Articles to add before the indexes are held back.
    after: int
    added: int = 0
    deferred: bool = False

    @classmethod
    def into(cls, stored: int, *, after: int | None = None) -> BulkLoad:
        """A bulk load into a store holding `stored` articles."""
        return cls(after=int(AFTER_SHARE * stored) if after is None else after)

    @property
    def due(self) -> bool:
        """Whether the next batch should hold the indexes back."""
        return not self.deferred and self.added >= self.after


def indexes(db: Database) -> dict[str, str]:
    """The store's indexes by name, each with the statement that builds it, as the database's
    catalogue gives them."""
    return {name: definition for name, definition in db.execute(db.dialect.indexes)}


def defer_indexes(db: Database) -> int:
    """Drop the deferrable indexes the store has and record them; inside a write transaction.
    How many were dropped."""
    held = [(n, definition) for n, definition in indexes(db).items() if n in DEFERRABLE_INDEXES]
    if held:
        db.executemany(
            "INSERT INTO deferred_indexes (name, definition) VALUES (?, ?) "
            "ON CONFLICT (name) DO NOTHING",
            held,
        )
    for name, _ in held:
        db.execute(f"DROP INDEX {name}")
    return len(held)


def build_deferred_indexes(db: Database) -> int:
    """Build every index the store records as held back; inside a write transaction.
    How many were built."""
    held = list(db.execute("SELECT name, definition FROM deferred_indexes ORDER BY name"))
    for name, definition in held:
        db.execute(definition)
        db.execute("DELETE FROM deferred_indexes WHERE name = ?", (name,))
    return len(held)
