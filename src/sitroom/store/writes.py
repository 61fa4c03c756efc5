"""What `add` writes inside its transaction, for every SQL backend: articles and their facts,
duplicate links, incident filings, and the back-fill of stores older than the record."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping, Sequence, Sized
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sitroom.errors import StoreError
from sitroom.model import Article, Event, Extraction, Place, PlaceMention, Window
from sitroom.record.incidents import (
    CONTAINERS,
    FilingTally,
    Incident,
    Lookup,
    Report,
    file_reports,
    reports_of,
    source_key,
)
from sitroom.store.links import Fingerprinted, fingerprinted, link_batch
from sitroom.store.schema import (
    COLUMNS,
    FACT_TABLES,
    Fact,
    Row,
    article_from_row,
    article_row,
    event_from_row,
    event_row,
    fact_id,
    figure_row,
    incident_from_row,
    incident_report_row,
    incident_row,
    known_place_row,
    place_from_row,
    place_row,
    stored_incident,
    time_row,
)

if TYPE_CHECKING:
    from sitroom.store.link_memory import LinkMemory
    from sitroom.store.sql import Database, Dialect

__all__ = [
    "IDS_PER_QUERY",
    "check",
    "file_incidents",
    "insert_articles",
    "insert_facts",
    "link_duplicates",
    "record_stored_articles",
]

logger = logging.getLogger(__name__)

#: Ids bound in one statement: SQLite builds before 3.32 allow at most 999 parameters.
IDS_PER_QUERY = 500


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


def insert_articles(
    db: Database, extractions: list[Extraction], *, added_at: str
) -> list[Extraction]:
    """Store the articles' rows; those that were new, in order (an article twice counts once)."""
    rows = [article_row(e.article, added_at=added_at) for e in extractions]
    stored = db.inserted(_insert_sql("articles"), rows)
    new: list[Extraction] = []
    for extraction in extractions:
        if extraction.article.id in stored:
            stored.discard(extraction.article.id)
            new.append(extraction)
    return new


def insert_facts(db: Database, extractions: list[Extraction]) -> int:
    """Store new articles' facts and the places they name; how many facts were written."""
    places: list[Row] = []
    times: list[Row] = []
    figures: list[Row] = []
    events: list[Row] = []
    known: dict[str, Place] = {}
    for extraction in extractions:
        day = _day(extraction.article.published)
        places += [place_row(mention, day) for mention in extraction.places]
        times += [time_row(mention, day) for mention in extraction.times]
        figures += [figure_row(figure, day) for figure in extraction.figures]
        events += [event_row(event, day) for event in extraction.events]
        known.update((m.place.id, m.place) for m in extraction.places if m.place)
    if known:
        db.executemany(_insert_sql("known_places"), [known_place_row(p) for p in known.values()])
    written = 0
    for table, rows in zip(FACT_TABLES, (places, times, figures, events), strict=True):
        # A new article's facts meet no stored fact (their ids hash the article's id), only
        # each other: the same fact twice is stored once, decided here, so the insert needs no
        # key index (a bulk load holds it back) and a server need not answer before the next.
        unique = _first_of_each_key(rows)
        if unique:
            db.executemany(_insert_new_sql(table), unique)
            written += len(unique)
    return written


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _insert_sql(table: str) -> str:
    # A row whose key (the first column) is stored already is left as it is.
    return f"{_insert_new_sql(table)} ON CONFLICT ({COLUMNS[table][0]}) DO NOTHING"


def _insert_new_sql(table: str) -> str:
    columns = COLUMNS[table]
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({_marks(columns)})"


def _first_of_each_key(rows: list[Row]) -> list[Row]:
    first: dict[object, Row] = {}
    for row in rows:
        first.setdefault(row[0], row)
    return list(first.values())


def _marks(values: Sized) -> str:
    return ", ".join("?" * len(values))


# -- incidents ---------------------------------------------------------------------------------


def file_incidents(
    db: Database, extractions: list[Extraction], *, canonical: dict[str, str]
) -> FilingTally:
    """File the events of newly stored articles into incidents, each under its source."""
    sources = _source_keys(db, [e.article for e in extractions], canonical)
    reports = [
        report
        for e in extractions
        for report in reports_of(e, source=sources[e.article.id], event_id=fact_id)
    ]
    book = _IncidentBook(db)
    tally = file_reports(book, reports)
    book.write()
    return tally


def _source_keys(
    db: Database, articles: list[Article], canonical: dict[str, str]
) -> dict[str, str]:
    """Each article's independent-source key: that of the article it copies, if any."""
    originals = {canonical.get(a.id, a.id) for a in articles} - {a.id for a in articles}
    known = {a.id: a for a in articles}
    if originals:
        rows = db.execute(
            f"SELECT {', '.join(COLUMNS['articles'])} FROM articles WHERE id IN "
            f"({_marks(originals)})",
            list(originals),
        )
        known.update((a.id, a) for a in map(article_from_row, rows))
    return {a.id: source_key(known[canonical.get(a.id, a.id)]) for a in articles}


#: Lookups answered by one statement: ten parameters each, under SQLite's old limit of 999.
LOOKUPS_PER_QUERY = 99


def _sources_sql(incidents: int) -> str:
    """The sources filed under many incidents (the reports index holds both columns)."""
    marks = ", ".join("?" * incidents)
    return f"SELECT incident_id, source FROM incident_reports WHERE incident_id IN ({marks})"


def _candidates_sql(lookups: int, dialect: Dialect) -> str:
    """Many lookups' candidates (`Lookup`) in one statement, each walking the candidates index
    (which holds every column the walk tests); an incident some of them share comes once for
    each.

    PostgreSQL (`Dialect.arrays`) walks each lookup in a LATERAL subquery that the planner may
    not merge (OFFSET 0): joined plainly, it hashes the lookups and scans every incident for
    each statement (at 22,000 articles stored, 85 ms a statement instead of 5)."""
    values = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * lookups)
    columns = ", ".join(f"i.{column}" for column in COLUMNS["incidents"])
    containers = ", ".join(f"'{kind}'" for kind in CONTAINERS)
    matches = (
        "i.family = q.family AND i.country = q.country AND i.date_start BETWEEN q.low AND q.high "
        f"AND i.date_end >= q.ends_after AND {dialect.lead('i.date_end', 'i.date_start')} < "
        "q.longest AND (q.anywhere = 1 OR i.place_id = q.place_id "
        f"OR i.kind IN ({containers}) OR i.lat BETWEEN q.south AND q.north)"
    )
    walk = (
        f"CROSS JOIN LATERAL (SELECT * FROM incidents i WHERE {matches} OFFSET 0) i"
        if dialect.arrays
        else f"JOIN incidents i ON {matches}"
    )
    return (
        f"WITH q (family, country, low, high, ends_after, longest, place_id, anywhere, south, "
        f"north) AS (VALUES {values}) SELECT {columns} FROM q {walk}"
    )


def _lookup_params(lookup: Lookup) -> Row:
    south, north = lookup.near or (0.0, 0.0)
    starts = lookup.starts
    return (lookup.family, lookup.country, starts.start.isoformat(), starts.end.isoformat(),
            lookup.ends_after.isoformat(), lookup.longest_days, lookup.place_id,
            int(lookup.near is None), south, north)  # fmt: skip


#: Where an incident stands on its shelf: start day (ISO days sort as dates), id, end day, and
#: what `Lookup.reaches` reads of its place: id, kind, latitude.
_Key = tuple[str, str, str, str | None, str | None, float | None]
#: A shelf: the family and country a lookup asks by equality.
_Group = tuple[str, str | None]
#: Where each column stands in an `incidents` row, for the shelf keys read from rows.
_AT = {column: at for at, column in enumerate(COLUMNS["incidents"])}
_FAMILY, _COUNTRY, _START, _END = _AT["family"], _AT["country"], _AT["date_start"], _AT["date_end"]
_PLACE_ID, _KIND, _LAT = _AT["place_id"], _AT["kind"], _AT["lat"]


class _IncidentBook:
    """The incident tables seen from inside an open transaction (an `IncidentBook`), with the
    batch's changes held in memory and written once at its end (`write`).

    A lookup answers what the tables would hold had each change been written at once: the
    stored incidents the batch has not touched, and the touched ones as they now stand (but
    for their source counts, which filing never reads: those are counted when written).
    An incident joined five times in a batch is written once, in its last state.

    The batch's lookups are read up front (`expect`), a hundred to a statement, and each is
    then answered from memory: the incidents of each family and country sorted by start day
    (a shelf), a stored row made an `Incident` only when a lookup returns it.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        #: Incidents this batch opened or joined, as the tables would give them back.
        self._touched: dict[str, Incident] = {}
        self._opened: set[str] = set()
        #: Each touched incident's independent sources filed in this batch; a stored one's
        #: stored sources join them when the batch is written (`write`).
        self._sources: dict[str, set[str]] = {}
        self._reports: list[Row] = []
        #: Stored rows read by `expect`, and those of them made incidents so far.
        self._rows: dict[str, Sequence[Any]] = {}
        self._read: dict[str, Incident] = {}
        #: The lookups whose stored candidates are all on the shelves.
        self._loaded: set[Lookup] = set()
        #: By family and country, the candidates' keys in order; each id's shelf and key.
        self._shelves: dict[_Group, list[_Key]] = {}
        self._keys: dict[str, tuple[_Group, _Key]] = {}

    def expect(self, lookups: list[Lookup]) -> None:
        """Read the stored candidates of these lookups, so that each is answered from memory."""
        wanted = list(dict.fromkeys(lookup for lookup in lookups if lookup not in self._loaded))
        for start in range(0, len(wanted), LOOKUPS_PER_QUERY):
            chunk = wanted[start : start + LOOKUPS_PER_QUERY]
            params = [value for lookup in chunk for value in _lookup_params(lookup)]
            sql = _candidates_sql(len(chunk), self._db.dialect)
            self._shelve(self._db.execute(sql, params))
        self._loaded.update(wanted)

    def _shelve(self, rows: Iterable[Sequence[Any]]) -> None:
        grown: set[_Group] = set()
        for row in rows:
            incident_id = row[0]
            if incident_id in self._rows or incident_id in self._touched:
                continue
            self._rows[incident_id] = row
            group: _Group = (row[_FAMILY], row[_COUNTRY])
            key: _Key = (row[_START], incident_id, row[_END], row[_PLACE_ID], row[_KIND],
                         row[_LAT])  # fmt: skip
            self._keys[incident_id] = (group, key)
            self._shelves.setdefault(group, []).append(key)
            grown.add(group)
        for group in grown:
            self._shelves[group].sort()

    def candidates(self, lookup: Lookup) -> list[Incident]:
        """The lookup's incidents (`Lookup`), untouched ones as stored, touched ones as now."""
        if lookup not in self._loaded:
            self.expect([lookup])
        shelf = self._shelves.get((lookup.family, lookup.country), [])
        low, high = lookup.starts.start.isoformat(), lookup.starts.end.isoformat()
        after = lookup.ends_after.isoformat()
        found: list[Incident] = []
        for at in range(bisect_left(shelf, (low, "", "", None, None, None)), len(shelf)):
            start, incident_id, end, place_id, kind, lat = shelf[at]
            if start > high:
                break
            if end >= after and lookup.reaches(place_id, kind, lat):
                found.append(self._incident(incident_id))
        return found

    def _incident(self, incident_id: str) -> Incident:
        touched = self._touched.get(incident_id)
        if touched is not None:
            return touched
        read = self._read.get(incident_id)
        if read is None:
            read = self._read[incident_id] = incident_from_row(self._rows[incident_id])
        return read

    def open(self, incident: Incident, report: Report) -> None:
        """Keep a new incident whose first report is `report`."""
        self._opened.add(incident.id)
        self._sources[incident.id] = {report.source}
        self._keep(incident)
        self._reports.append(incident_report_row(incident.id, report))

    def join(self, incident: Incident, report: Report) -> None:
        """Add `report` to the incident, whose summary is now `incident`."""
        # Its source count is set when written: filing never reads it, and the sources of
        # all the batch's stored incidents are then read in a few statements, not one each.
        self._sources.setdefault(incident.id, set()).add(report.source)
        self._keep(incident)
        self._reports.append(incident_report_row(incident.id, report))

    def _keep(self, incident: Incident) -> None:
        # As the tables would give it back, so that the next lookup sees exactly a read's.
        kept = self._touched[incident.id] = stored_incident(incident)
        before = self._keys.pop(kept.id, None)
        if before is not None:
            shelf = self._shelves[before[0]]
            del shelf[bisect_left(shelf, before[1])]
        # An undated incident is no lookup's candidate (nor a row's: BETWEEN passes no NULL).
        if kept.date is not None:
            group, key = _group(kept), _key_of(kept, kept.date)
            self._keys[kept.id] = (group, key)
            insort(self._shelves.setdefault(group, []), key)

    def write(self) -> None:
        """Write the batch's incidents, each in its last state, and its filed reports."""
        self._count_sources()
        opened = [incident_row(i) for i in self._touched.values() if i.id in self._opened]
        if opened:
            self._db.executemany(_insert_sql("incidents"), opened)
        # Each stored incident sets only the columns it changed: an index whose columns keep
        # their values is left alone (setting all columns rewrote all eight of its entries).
        # One statement each (`executemany` is for INSERTs), a few hundred a batch.
        for incident in self._touched.values():
            if incident.id not in self._opened:
                row, before = incident_row(incident), self._rows[incident.id]
                changed = tuple(c for c in range(1, len(row)) if row[c] != before[c])
                if changed:
                    params = (*(row[c] for c in changed), row[0])
                    self._db.execute(_update_sql(changed), params)
        if self._reports:
            # Reports are filed for new articles' events only, which no stored report names.
            self._db.executemany(
                _insert_new_sql("incident_reports"), _first_of_each_key(self._reports)
            )

    def _count_sources(self) -> None:
        """Set each touched incident's source count: its stored sources and the batch's."""
        stored = [i for i in self._touched if i not in self._opened]
        for start in range(0, len(stored), IDS_PER_QUERY):
            chunk = stored[start : start + IDS_PER_QUERY]
            for incident_id, source in self._db.execute(_sources_sql(len(chunk)), chunk):
                self._sources[incident_id].add(source)
        for incident_id, incident in self._touched.items():
            count = len(self._sources[incident_id])
            if count != incident.source_count:
                self._touched[incident_id] = replace(incident, source_count=count)


@functools.lru_cache(maxsize=256)
def _update_sql(changed: tuple[int, ...]) -> str:
    """The UPDATE of an incident's columns at these places in its row, its id bound last."""
    columns = COLUMNS["incidents"]
    return f"UPDATE incidents SET {', '.join(f'{columns[c]} = ?' for c in changed)} WHERE id = ?"


def _key_of(incident: Incident, date: Window) -> _Key:
    """Where a dated incident stands on its shelf, as its row would put it."""
    place = incident.place
    start, end = date.start.isoformat(), date.end.isoformat()
    if place is None:
        return (start, incident.id, end, None, None, None)
    return (start, incident.id, end, place.id, place.kind, place.lat)


def _group(incident: Incident) -> _Group:
    """What a candidate lookup asks by equality: family and country."""
    return incident.family, incident.place.country if incident.place else None


# -- duplicates --------------------------------------------------------------------------------


def link_duplicates(
    db: Database,
    articles: list[Article],
    prints: Mapping[str, Fingerprinted] | None = None,
    *,
    memory: LinkMemory | None = None,
) -> dict[str, str]:
    """Fingerprint new articles and link each copy to its canonical; id -> canonical id.

    `prints` holds fingerprints already taken (by article id), where the articles were
    extracted (`PreparedBatch`); the others are taken here. `memory` is a bulk load's
    (`sitroom.store.link_memory`).
    """
    known = prints or {}
    taken = [known.get(a.id) or fingerprinted(a.text) for a in articles]
    return link_batch(db, articles, taken, memory=memory) if articles else {}


# -- stores older than the record ------------------------------------------------------------


def record_stored_articles(db: Database) -> None:
    """Link and file what a store held before it kept duplicates and incidents.

    Articles are taken in the order they were added, as `add` would have met them; only
    articles without a fingerprint are linked and only unfiled events filed, so a second
    process opening the same store at the same time finds nothing left to do.
    """
    db.begin_write()
    try:
        pending = [row[0] for row in db.execute(_PENDING_SQL)]
        for start in range(0, len(pending), IDS_PER_QUERY):
            chunk = pending[start : start + IDS_PER_QUERY]
            _record_stored_chunk(db, _stored_extractions(db, chunk))
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
    logger.info("linked and filed %d articles stored before incidents were kept", len(pending))


_PENDING_SQL = (
    "SELECT a.id FROM articles a WHERE NOT EXISTS "
    "(SELECT 1 FROM article_fingerprints f WHERE f.article_id = a.id) OR EXISTS "
    "(SELECT 1 FROM events e WHERE e.article_id = a.id AND NOT EXISTS "
    "(SELECT 1 FROM incident_reports r WHERE r.event_id = e.id)) "
    "ORDER BY a.added_at, a.rowid"
)


def _record_stored_chunk(db: Database, extractions: list[Extraction]) -> None:
    ids = [e.article.id for e in extractions]
    marks = _marks(ids)
    linked = {
        row[0]
        for row in db.execute(
            f"SELECT article_id FROM article_fingerprints WHERE article_id IN ({marks})", ids
        )
    }
    filed = {
        row[0]
        for row in db.execute(
            f"SELECT event_id FROM incident_reports WHERE article_id IN ({marks})", ids
        )
    }
    link_duplicates(db, [e.article for e in extractions if e.article.id not in linked])
    unfiled = [
        dataclasses.replace(e, events=tuple(v for v in e.events if fact_id(v) not in filed))
        for e in extractions
    ]
    file_incidents(db, unfiled, canonical=_canonical_ids(db, ids))


def _canonical_ids(db: Database, article_ids: list[str]) -> dict[str, str]:
    sql = f"SELECT id, COALESCE(canonical_id, id) FROM articles WHERE id IN ({_marks(article_ids)})"
    return {row[0]: row[1] for row in db.execute(sql, article_ids)}


def _stored_extractions(db: Database, article_ids: list[str]) -> list[Extraction]:
    """The stored articles with their places and events, in the order of `article_ids`."""
    marks = _marks(article_ids)
    rows = db.execute(
        f"SELECT {', '.join(COLUMNS['articles'])} FROM articles WHERE id IN ({marks})",
        article_ids,
    )
    articles = {article.id: article for article in map(article_from_row, rows)}
    places: dict[str, list[PlaceMention]] = {i: [] for i in article_ids}
    events: dict[str, list[Event]] = {i: [] for i in article_ids}
    order = "ORDER BY article_id, span_start, span_end, id"
    for row in db.execute(
        f"SELECT {', '.join(COLUMNS['places'])} FROM places WHERE article_id IN ({marks}) {order}",
        article_ids,
    ):
        mention = place_from_row(row)
        places[mention.article_id].append(mention)
    for row in db.execute(
        f"SELECT {', '.join(COLUMNS['events'])} FROM events WHERE article_id IN ({marks}) {order}",
        article_ids,
    ):
        event = event_from_row(row)
        events[event.article_id].append(event)
    return [
        Extraction(articles[i], places=tuple(places[i]), events=tuple(events[i]))
        for i in article_ids
    ]
