"""Listing indexes held back while a large ingest writes, and built once when it ends.

Keeping an index up row by row costs a B-tree insert at a random place for every row and, at
each commit, a write of every page the batch touched; building it afterwards is one sort.
Measured on generated articles added in batches of 1,000 to a store of 35,000-40,000
(benchmarks/corpus.py), for the 22 indexes held back first: on SQLite, writing the facts took
0.47-0.51 ms of CPU per article with them kept up and 0.35-0.37 without, the commit 0.41-0.43
and 0.36-0.38; on PostgreSQL the facts took 1.76 ms per article and 0.93. Building them all
again at 40,000 articles took 2.9-3.5 s, under 0.1 ms per article stored. SQLite builds
them sorting in small runs with helper threads (`Database.sorting`): at 80,000 articles,
6.4-6.7 s instead of 8.5.

A reader gets the same answers meanwhile, only more slowly. A listing walks its order index
(`places_order` and six more, named by SQLite's INDEXED BY) only while the index is there, and
sorts what it finds while a load holds it back; it reads in one snapshot, so an index dropped
half-way through a listing is still there for it. Holding those seven back as well took an
ingest of 100,000 generated articles into SQLite from 450-460 articles/s to 487-493 (two runs
each, side by side; two later runs gave 456 and 467, as this machine drifts): near 90,000
stored, a batch's fact rows took 0.25 s to write instead of 0.41, its commit 0.38 s instead
of 0.60.

The facts' ids and the incident reports' keys (their event's id) are unique by indexes of their
own (migration 0013, `schema.UNIQUE_KEYS`), and a load holds those back too: the ids are
hashes, so a batch's 20,000 facts and 2,400 reports landed all over their key indexes, and
every commit wrote back most of those indexes' pages. Adding batches of 1,000 to a copy of an
80,000-article store, the commit wrote 173-176 MB a batch with every key kept up, 39-40 MB
with the places', times' and figures' held back, and 26 MB with the events' and reports' as
well (now mostly the incidents' own rows and indexes, which filing reads). With the first three
held back, `add` took 0.79-0.94 s of CPU against 0.85-0.98 and 0.83-1.03 s of wall clock
against 1.14-1.29; with two writers taking turns, 1.02-1.11 s against 1.32-1.54. A new
article's facts and reports cannot meet stored ones, so a load adds them without asking
(`insert_facts`, filing); an index checks again when it is built.

The one index a write reads, the band keys' (`article_bands_key`), the load replaces with what
linking reads of the store held in its memory (`sitroom.store.link_memory`): adding 1,000
articles' band rows without it cost half. Another writer beside the load builds it back before
it links.

The indexes held back are recorded in the store itself (`deferred_indexes`), with their
definitions as the database gives them, in the transaction that drops them: a process killed
meanwhile leaves a store whose next write (an `add`, or the ingest run again) builds them back.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitroom.store.link_memory import LinkMemory
    from sitroom.store.sql import Database

__all__ = [
    "BAND_INDEX",
    "DEFERRABLE_INDEXES",
    "LINKS_SHARE",
    "BulkLoad",
    "build_deferred_indexes",
    "defer_indexes",
    "indexes",
]

#: The indexes only listings read, and the band keys' index, which a load reads in its memory.
#: Kept up through a bulk load: the incident candidate indexes, which `add` reads.
DEFERRABLE_INDEXES = frozenset(
    {
        "article_bands_key",
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
        # The fact ids' unique indexes and the reports' (their event's id): a new article's
        # facts meet no stored fact (their ids hash the article's id, which the articles' key
        # keeps unique), nor its events' reports a stored report, so a load adds them without
        # asking the index (`schema.UNIQUE_KEYS`).
        "places_id",
        "times_id",
        "figures_id",
        "events_id",
        "incident_reports_event",
        # The listing order indexes: a listing walks one only while it is there (`_walkable`).
        "places_order",
        "times_order",
        "figures_order",
        "events_order",
        "figures_measure_order",
        "events_type_order",
        "events_subtype_order",
    }
)

#: A bulk load holds indexes back once it has added this share of what the store held at its
#: start (into a new store, from its first batch): the build at its end costs in proportion to
#: the whole store, and a load that small into a large store is cheaper kept up row by row.
AFTER_SHARE = 0.1
#: The band key index is held back, and the load links in its memory, once it has added this
#: share: reading the store into memory and building the index at the end cost about 0.14 ms
#: of CPU per stored article (35,000 stored, a loaded machine), and linking in memory saves
#: about 0.4 ms per article added.
LINKS_SHARE = 0.35
#: The index a load that links in memory holds back (`sitroom.store.links.BAND_INDEX`).
BAND_INDEX = "article_bands_key"


@dataclass(slots=True)
class BulkLoad:
    """A bulk load in progress: when it holds the indexes back and links in memory, and
    whether it does."""

    #: Articles to add before the listing indexes are held back.
    after: int
    #: Articles to add before linking in memory, with the band key index held back.
    links_after: int = 0
    added: int = 0
    deferred: bool = False
    #: What linking reads, once the load links in memory; None again after a failed write,
    #: which may have left it ahead of the store.
    links: LinkMemory | None = None

    @classmethod
    def into(cls, stored: int, *, after: int | None = None) -> BulkLoad:
        """A bulk load into a store holding `stored` articles; `after`, if given, for both."""
        if after is not None:
            return cls(after=after, links_after=after)
        return cls(after=int(AFTER_SHARE * stored), links_after=int(LINKS_SHARE * stored))

    @property
    def due(self) -> bool:
        """Whether the next batch should hold the listing indexes back."""
        return not self.deferred and self.added >= self.after

    @property
    def links_due(self) -> bool:
        """Whether the next batch should link in memory."""
        return self.added >= self.links_after


def indexes(db: Database) -> dict[str, str]:
    """The store's indexes by name, each with the statement that builds it, as the database's
    catalogue gives them."""
    return {name: definition for name, definition in db.execute(db.dialect.indexes)}


def defer_indexes(db: Database, names: Collection[str] = DEFERRABLE_INDEXES) -> int:
    """Drop the deferrable indexes (of `names`) the store has and record them; inside a write
    transaction. How many were dropped."""
    deferrable = DEFERRABLE_INDEXES & set(names)
    held = [(n, definition) for n, definition in indexes(db).items() if n in deferrable]
    if held:
        db.executemany(
            "INSERT INTO deferred_indexes (name, definition) VALUES (?, ?) "
            "ON CONFLICT (name) DO NOTHING",
            held,
        )
    for name, _ in held:
        db.execute(f"DROP INDEX {name}")
    return len(held)


def build_deferred_indexes(db: Database, *, names: Collection[str] | None = None) -> int:
    """Build every index the store records as held back (or those of `names` among them);
    inside a write transaction. How many were built."""
    recorded = db.execute("SELECT name, definition FROM deferred_indexes ORDER BY name")
    held = [(name, definition) for name, definition in recorded if names is None or name in names]
    with db.sorting():
        for name, definition in held:
            db.execute(definition)
            db.execute("DELETE FROM deferred_indexes WHERE name = ?", (name,))
    return len(held)
