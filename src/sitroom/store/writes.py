"""What `add` writes inside its transaction, for every SQL backend: articles and their facts,
duplicate links, incident filings, and the back-fill of stores older than the record.

A batch arrives as `ArticleRows` (`sitroom.store.rows`), everything one article decides worked
out before the transaction; each step here is a few lookups for the whole batch and one INSERT
per table."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import logging
from collections.abc import Iterable, Sequence, Sized
from dataclasses import replace
from typing import TYPE_CHECKING

from sitroom.model import Event, Extraction, PlaceMention, Window
from sitroom.record.incidents import (
    FilingTally,
    Incident,
    Report,
    file_reports,
    source_key_of_parts,
)
from sitroom.store.rows import ArticleRows, article_row_at, rows_of
from sitroom.store.schema import (
    COLUMNS,
    FACT_TABLES,
    article_from_row,
    event_from_row,
    fact_id,
    incident_from_row,
    incident_report_row,
    incident_row,
    place_from_row,
)

if TYPE_CHECKING:
    from sitroom.record.duplicates import Fingerprint
    from sitroom.store.sql import Database

__all__ = [
    "IDS_PER_QUERY",
    "StoredFingerprints",
    "file_incidents",
    "find_originals",
    "insert_articles",
    "insert_facts",
    "insert_fingerprints",
    "new_articles",
    "record_stored_articles",
]

logger = logging.getLogger(__name__)

#: Ids bound in one statement: SQLite builds before 3.32 allow at most 999 parameters.
IDS_PER_QUERY = 500


def new_articles(db: Database, batch: Sequence[ArticleRows]) -> list[ArticleRows]:
    """The batch's articles the store does not hold yet, in order, each once."""
    unique: dict[str, ArticleRows] = {}
    for rows in batch:
        unique.setdefault(rows.article_id, rows)
    present = _present(db, list(unique))
    return [rows for article_id, rows in unique.items() if article_id not in present]


def _present(db: Database, article_ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(article_ids):
        rows = db.execute(f"SELECT id FROM articles WHERE id IN ({_marks(chunk)})", chunk)
        found.update(row[0] for row in rows)
    return found


def insert_articles(
    db: Database, new: list[ArticleRows], *, added_at: str, canonical: dict[str, str]
) -> None:
    """Store new articles' rows, each linked to the canonical article it copies, if any."""
    rows = []
    for article in new:
        row = article_row_at(article, added_at)
        original = canonical.get(article.article_id, article.article_id)
        rows.append(row if original == article.article_id else (*row[:-1], original))
    if rows:
        db.executemany(_insert_sql("articles"), rows)


def insert_facts(db: Database, new: list[ArticleRows]) -> int:
    """Store new articles' facts and the places they name; how many facts were written."""
    known = {row[0]: row for article in new for row in article.known_places}
    if known:
        db.executemany(_insert_sql("known_places"), list(known.values()))
    written = 0
    for index, table in enumerate(FACT_TABLES):
        table_rows = [row for article in new for row in article.facts[index]]
        if table_rows:
            written += db.changes_many(_insert_sql(table), table_rows)
    return written


def _insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    marks = ", ".join("?" * len(columns))
    # The same fact twice (same content hash) is stored once; the key is the first column.
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "
        f"ON CONFLICT ({columns[0]}) DO NOTHING"
    )


def _marks(values: Sized) -> str:
    return ", ".join("?" * len(values))


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), IDS_PER_QUERY):
        yield ids[start : start + IDS_PER_QUERY]


# -- incidents ---------------------------------------------------------------------------------


def file_incidents(
    db: Database, new: list[ArticleRows], *, canonical: dict[str, str]
) -> FilingTally:
    """File the events of newly stored articles into incidents, each under its source: a
    copy's under its original's."""
    sources = _source_keys(db, new, canonical)
    reports = [
        report if report.source == sources[article.article_id] else
        replace(report, source=sources[article.article_id])
        for article in new
        for report in article.reports
    ]  # fmt: skip
    return file_reports(_IncidentBook(db), reports)


def _source_keys(db: Database, new: list[ArticleRows], canonical: dict[str, str]) -> dict[str, str]:
    """Each article's independent-source key: that of the article it copies, if any."""
    known = {article.article_id: article.source for article in new}
    originals = [c for c in dict.fromkeys(canonical.values()) if c not in known]
    for chunk in _chunks(originals):
        rows = db.execute(
            f"SELECT id, source, url FROM articles WHERE id IN ({_marks(chunk)})", chunk
        )
        known.update((row[0], source_key_of_parts(row[0], row[1], row[2])) for row in rows)
    return {a.article_id: known[canonical.get(a.article_id, a.article_id)] for a in new}


_CANDIDATES_SQL = (
    f"SELECT {', '.join(COLUMNS['incidents'])} FROM incidents "
    "WHERE family = ? AND country = ? AND date_start BETWEEN ? AND ? AND date_end >= ?"
)
_UPDATE_INCIDENT_SQL = (
    "UPDATE incidents SET "
    + ", ".join(f"{column} = ?" for column in COLUMNS["incidents"][1:])
    + " WHERE id = ?"
)
_SOURCES_SQL = "SELECT count(DISTINCT source) FROM incident_reports WHERE incident_id = ?"


@functools.lru_cache(maxsize=8192)
def _incident_of(row: tuple[object, ...]) -> Incident:
    # The same incidents are candidates for report after report, batch after batch, and an
    # incident's row changes only when a report joins it: read each version of it once.
    return incident_from_row(row)


class _IncidentBook:
    """The incident tables seen from inside an open transaction (an `IncidentBook`)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def candidates(
        self, *, family: str, country: str, starts: Window, ends_after: dt.date
    ) -> list[Incident]:
        """Incidents of a family in a country starting within `starts`, ending on or after."""
        params = (family, country, starts.start.isoformat(), starts.end.isoformat())
        rows = self._db.execute(_CANDIDATES_SQL, (*params, ends_after.isoformat()))
        return [_incident_of(tuple(row)) for row in rows]

    def open(self, incident: Incident, report: Report) -> None:
        """Keep a new incident whose first report is `report`."""
        self._db.execute(_insert_sql("incidents"), incident_row(incident))
        self._file(incident.id, report)

    def join(self, incident: Incident, report: Report) -> None:
        """Add `report` to the stored incident, whose summary is now `incident`."""
        self._file(incident.id, report)
        found = self._db.execute(_SOURCES_SQL, (incident.id,)).fetchone()
        sources = int(found[0]) if found else 0
        row = incident_row(replace(incident, source_count=sources))
        self._db.execute(_UPDATE_INCIDENT_SQL, (*row[1:], incident.id))

    def _file(self, incident_id: str, report: Report) -> None:
        row = incident_report_row(incident_id, report)
        self._db.execute(_insert_sql("incident_reports"), row)


# -- duplicates --------------------------------------------------------------------------------

#: Articles compared under one band key, the newest, as `sitroom.record.duplicates` does.
_KEY_CAPACITY = 8
#: Band keys looked up in one statement: SQLite joins at most 500 SELECTs by UNION ALL.
_KEYS_PER_QUERY = 250

# `rowid` is the insertion order: SQLite's own, a generated column of that name in PostgreSQL.
_NEWEST_SQL = (
    "SELECT * FROM (SELECT key, rowid, article_id FROM article_bands WHERE key = ? "
    f"ORDER BY rowid DESC LIMIT {_KEY_CAPACITY}) AS newest"
)
# The same for every key at once, as one statement of one parameter: one round trip to a
# server, which prepares it once.
_NEWEST_OF_ARRAY_SQL = (
    "SELECT k.key, n.rowid, n.article_id FROM unnest(?::bigint[]) AS k (key) CROSS JOIN LATERAL "
    "(SELECT rowid, article_id FROM article_bands b WHERE b.key = k.key "
    f"ORDER BY b.rowid DESC LIMIT {_KEY_CAPACITY}) AS n"
)
_FINGERPRINTS_OF_ARRAY_SQL = (
    "SELECT article_id, exact, signature FROM article_fingerprints "
    "WHERE article_id = ANY(?::text[])"
)
_CANONICAL_SQL = (
    "SELECT a.id, c.id, c.rowid FROM articles a "
    "JOIN articles c ON c.id = COALESCE(a.canonical_id, a.id) WHERE a.id IN "
)


class StoredFingerprints:
    """What the writer has read of stored articles' fingerprints and canonical articles.

    Both are fixed once an article is stored, and the newest articles under a band key are
    asked for batch after batch: kept here, most of them are read from the database once.
    Only what earlier transactions committed is kept, never the batch being written.
    """

    def __init__(self, *, capacity: int = 200_000) -> None:
        self.capacity = capacity
        self._fingerprints: dict[str, Fingerprint] = {}
        self._canonical: dict[str, tuple[str, int]] = {}

    def fingerprints(self, db: Database, article_ids: Iterable[str]) -> dict[str, Fingerprint]:
        """The fingerprints of these stored articles (those that have one)."""
        ids = set(article_ids)
        missing = sorted(ids - self._fingerprints.keys())
        if missing:
            self._make_room(len(missing))
            self._fingerprints.update(_read_fingerprints(db, missing))
        return {i: self._fingerprints[i] for i in ids if i in self._fingerprints}

    def canonical(self, db: Database, article_ids: Iterable[str]) -> dict[str, tuple[str, int]]:
        """Each stored article's canonical article and that one's place in insertion order."""
        ids = set(article_ids)
        missing = sorted(ids - self._canonical.keys())
        for chunk in _chunks(missing):
            rows = db.execute(f"{_CANONICAL_SQL}({_marks(chunk)})", chunk)
            self._canonical.update((row[0], (row[1], int(row[2]))) for row in rows)
        return {i: self._canonical[i] for i in ids if i in self._canonical}

    def _make_room(self, wanted: int) -> None:
        if len(self._fingerprints) + wanted > self.capacity:
            # The oldest half goes: under a band key only the newest articles are asked for.
            for article_id in list(self._fingerprints)[: len(self._fingerprints) // 2]:
                del self._fingerprints[article_id]
                self._canonical.pop(article_id, None)


def _read_fingerprints(db: Database, article_ids: list[str]) -> dict[str, Fingerprint]:
    from sitroom.record.duplicates import Fingerprint

    if db.dialect.arrays:
        rows = list(db.execute(_FINGERPRINTS_OF_ARRAY_SQL, (article_ids,)))
    else:
        rows = []
        for chunk in _chunks(article_ids):
            sql = (
                "SELECT article_id, exact, signature FROM article_fingerprints "
                f"WHERE article_id IN ({_marks(chunk)})"
            )
            rows += db.execute(sql, chunk)
    return {i: Fingerprint(exact=exact, signature=base64.b64decode(sig)) for i, exact, sig in rows}


def find_originals(
    db: Database,
    new: list[ArticleRows],
    *,
    stored: StoredFingerprints | None = None,
    rowids: dict[str, int] | None = None,
) -> dict[str, str]:
    """Each new article's canonical article: the first stored one it copies, or itself.

    The batch is looked up at once, and each article compared, in order, with the newest
    `_KEY_CAPACITY` articles under each of its band keys among those stored and the batch's
    earlier ones: what storing them one by one would find. `stored` keeps what was read for
    later batches; `rowids` places articles already stored (a back-fill) in insertion order.
    """
    from sitroom.record.duplicates import Fingerprint

    book = stored if stored is not None else StoredFingerprints()
    newest = _stored_under(db, sorted({key for article in new for key in article.band_keys}))
    known = book.fingerprints(db, {i for ids in newest.values() for i in ids})
    # A candidate's canonical article and where that stands in insertion order: stored ones
    # (0, rowid), then the batch's own (1, position).
    ranks: dict[str, tuple[str, tuple[int, int]]] = {}
    under: dict[int, list[str]] = {}  # key -> the batch's articles under it, in order
    canonical: dict[str, str] = {}
    for position, article in enumerate(new):
        found = _newest_for(article, newest, under)
        fp = Fingerprint(exact=article.exact, signature=base64.b64decode(article.signature))
        matches = _matches(fp, [i for i in found if i in known], known)
        book_ids = [i for i in matches if i not in ranks]
        for i, (original, rowid) in book.canonical(db, book_ids).items():
            ranks[i] = (original, (0, rowid))
        first = min((ranks[i] for i in matches), key=lambda rank: rank[1], default=None)
        own = (0, rowids[article.article_id]) if rowids else (1, position)
        canonical[article.article_id], rank = first or (article.article_id, own)
        ranks[article.article_id] = (canonical[article.article_id], rank)
        known[article.article_id] = fp
    return canonical


def _newest_for(
    article: ArticleRows, stored: dict[int, list[str]], under: dict[int, list[str]]
) -> list[str]:
    """The newest articles under each of the article's keys, stored or earlier in the batch;
    then the article is put under its keys."""
    found: dict[str, None] = {}
    for key in article.band_keys:
        earlier = under.get(key)
        if earlier is None:
            # Most keys: no article of the batch came under them before this one.
            under[key] = [article.article_id]
            found.update(dict.fromkeys(stored.get(key, ())))
            continue
        room = _KEY_CAPACITY - len(earlier)
        if room > 0:
            found.update(dict.fromkeys(stored.get(key, [])[-room:]))
        found.update(dict.fromkeys(earlier[-_KEY_CAPACITY:]))
        earlier.append(article.article_id)
    return list(found)


def _matches(fp: Fingerprint, candidates: list[str], known: dict[str, Fingerprint]) -> list[str]:
    from sitroom.record.duplicates import near_duplicates

    hits = near_duplicates(fp, [known[i] for i in candidates])
    return [i for i, hit in zip(candidates, hits, strict=True) if hit]


def _stored_under(db: Database, keys: list[int]) -> dict[int, list[str]]:
    """The newest stored articles under each band key, oldest first: a walk down the key index,
    never a scan. Copies of a story arrive within days of it, so the newest articles under
    a key are the ones worth comparing; a key that template text shares with thousands of
    articles costs no more than any other."""
    if not keys:
        return {}
    if db.dialect.arrays:
        rows = list(db.execute(_NEWEST_OF_ARRAY_SQL, (keys,)))
    else:
        rows = []
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start : start + _KEYS_PER_QUERY]
            rows += db.execute(" UNION ALL ".join([_NEWEST_SQL] * len(chunk)), chunk)
    under: dict[int, list[tuple[int, str]]] = {}
    for key, rowid, article_id in rows:
        under.setdefault(key, []).append((rowid, article_id))
    return {key: [i for _, i in sorted(found)] for key, found in under.items()}


def insert_fingerprints(db: Database, new: list[ArticleRows]) -> None:
    """Keep new articles' fingerprints and band keys, for the articles that come after."""
    if not new:
        return
    db.executemany(
        _insert_sql("article_fingerprints"),
        [(article.article_id, article.exact, article.signature) for article in new],
    )
    bands = [(key, article.article_id) for article in new for key in article.band_keys]
    db.executemany("INSERT INTO article_bands (key, article_id) VALUES (?, ?)", bands)


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
    unfiled = [
        rows_of(replace(e, events=tuple(v for v in e.events if fact_id(v) not in filed)))
        for e in extractions
    ]
    unlinked = [article for article in unfiled if article.article_id not in linked]
    rowids = {row[0]: int(row[1]) for row in db.execute(
        f"SELECT id, rowid FROM articles WHERE id IN ({marks})", ids
    )}  # fmt: skip
    for article_id, original in find_originals(db, unlinked, rowids=rowids).items():
        if original != article_id:
            db.execute("UPDATE articles SET canonical_id = ? WHERE id = ?", (original, article_id))
    insert_fingerprints(db, unlinked)
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
