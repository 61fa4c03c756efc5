"""The default store: one SQLite file (stdlib sqlite3) in WAL mode, or an in-memory database."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import logging
import math
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar

from sitroom.errors import SchemaVersionError, StoreError
from sitroom.model import (
    Article,
    Event,
    Extraction,
    Figure,
    Place,
    PlaceMention,
    TimeMention,
    Window,
)
from sitroom.record.incidents import (
    FilingTally,
    Incident,
    IncidentReport,
    Report,
    file_reports,
    reports_of,
    source_key,
)
from sitroom.store import LISTING_REACH_DAYS, AddResult, BBox, Counts
from sitroom.store.schema import (
    COLUMNS,
    FACT_TABLES,
    INCIDENTS_VERSION,
    MIGRATIONS,
    MIGRATIONS_TABLE,
    REPORT_COLUMNS,
    SCHEMA_VERSION,
    Fact,
    Migration,
    Row,
    article_from_row,
    article_row,
    event_from_row,
    fact_id,
    fact_row,
    figure_from_row,
    incident_from_row,
    incident_report_from_row,
    incident_report_row,
    incident_row,
    known_place_row,
    place_from_row,
    time_from_row,
)

if TYPE_CHECKING:
    from sitroom.record.duplicates import Fingerprint

__all__ = ["SQLiteStore"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

MEMORY = ":memory:"
#: How long a writer waits for another process's transaction before giving up.
_BUSY_TIMEOUT_MS = 10_000
# SQLite builds before 3.32 allow at most 999 parameters in one statement.
_IDS_PER_QUERY = 500
_FIX = "choose another database with --db or SITROOM_DB"
#: Page cache per connection, in KiB.
_CACHE_KIB = 64 * 1024
#: WAL pages (4 KiB each) written before SQLite copies them back into the database.
_CHECKPOINT_PAGES = 16_384


class SQLiteStore:
    """A `Store` in one SQLite database; every `add` is one transaction."""

    def __init__(self, connection: sqlite3.Connection, *, path: str) -> None:
        self._connection: sqlite3.Connection | None = connection
        self.path = path

    @classmethod
    def open(cls, path: str) -> SQLiteStore:
        """The store at `path` (or `:memory:`), configured and migrated to the current schema."""
        try:
            # isolation_level=None: transactions are begun and ended here, explicitly.
            connection = sqlite3.connect(path, isolation_level=None, timeout=_BUSY_TIMEOUT_MS / 1e3)
        except sqlite3.Error as exc:
            raise _open_error(path, exc) from exc
        try:
            _configure(connection, memory=path == MEMORY)
            older = _migrate(connection, path=path)
            if 0 < older < INCIDENTS_VERSION:
                _record_stored_articles(connection)
        except sqlite3.Error as exc:
            connection.close()
            raise _open_error(path, exc) from exc
        except BaseException:
            connection.close()
            raise
        return cls(connection, path=path)

    # -- writing ---------------------------------------------------------------------------

    def add(self, extractions: Iterable[Extraction]) -> AddResult:
        """Store the extractions in one transaction; articles already stored are left as is."""
        connection = self._live()
        added_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._transaction(connection, doing="write to"):
            present = facts = 0
            new: list[Extraction] = []
            for extraction in extractions:
                _check(extraction)
                if _insert_article(connection, extraction.article, added_at=added_at):
                    new.append(extraction)
                    facts += _insert_facts(connection, extraction)
                else:
                    present += 1
            # Linked and filed in the same transaction: an article never stands stored but
            # unlinked, and its copies count as its outlet's word, not as new sources.
            canonical = _link_duplicates(connection, [e.article for e in new])
            tally = _file_incidents(connection, new, canonical=canonical)
        logger.debug("stored %d new articles (%d present), %d facts", len(new), present, facts)
        return AddResult(
            added=len(new),
            present=present,
            facts=facts,
            duplicates=sum(article_id != c for article_id, c in canonical.items()),
            incidents=tally.opened,
            reports=tally.opened + tally.joined,
        )

    @contextmanager
    def _transaction(self, connection: sqlite3.Connection, *, doing: str) -> Iterator[None]:
        # BEGIN IMMEDIATE takes the write lock at once, so two writers queue instead of
        # deadlocking half-way through a batch.
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield
            connection.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(connection)
            raise self._error(doing, exc) from exc
        except BaseException:
            _rollback(connection)
            raise

    # -- reading ---------------------------------------------------------------------------

    def present_ids(self, article_ids: Iterable[str]) -> frozenset[str]:
        """Which of these article ids the store already holds."""
        ids = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            marks = ", ".join("?" * len(chunk))
            rows = self._query(f"SELECT id FROM articles WHERE id IN ({marks})", chunk)
            found.update(row[0] for row in rows)
        return frozenset(found)

    def articles(
        self,
        *,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        ids: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[Article]:
        """Stored articles by publication date, optionally those mentioning a place."""
        if ids is not None:
            return self._articles_by_id(list(dict.fromkeys(ids)), place, since, until, limit)
        where = _Where()
        if place is not None:
            where.add(
                f"a.id IN (SELECT article_id FROM places p WHERE {_PLACE_MATCH})", *_pat(place)
            )
        where.dates("a", None, since=since, until=until)
        columns = ", ".join(f"a.{column}" for column in COLUMNS["articles"])
        sql = f"SELECT {columns} FROM articles a{where.sql()} ORDER BY a.published, a.id"
        return self._select(sql, where, limit, article_from_row)

    def _articles_by_id(
        self,
        ids: list[str],
        place: str | None,
        since: dt.date | None,
        until: dt.date | None,
        limit: int | None,
    ) -> list[Article]:
        found: list[Article] = []
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            where = _Where()
            where.add(f"a.id IN ({', '.join('?' * len(chunk))})", *chunk)
            if place is not None:
                where.add(
                    f"a.id IN (SELECT article_id FROM places p WHERE {_PLACE_MATCH})", *_pat(place)
                )
            where.dates("a", None, since=since, until=until)
            columns = ", ".join(f"a.{column}" for column in COLUMNS["articles"])
            sql = f"SELECT {columns} FROM articles a{where.sql()}"
            found.extend(self._select(sql, where, None, article_from_row))
        found.sort(key=lambda a: (a.published is not None, a.published or dt.date.min, a.id))
        return found[:limit] if limit is not None else found

    def places(
        self,
        *,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
    ) -> list[PlaceMention]:
        """Stored place mentions, in article and text order."""
        where = _Where(article_id=article_id, table="p")
        if place is not None:
            where.add(_PLACE_MATCH, *_pat(place))
        where.dates("p", None, since=since, until=until)
        return self._list(_PLACES, where, since=since, limit=limit, convert=place_from_row)

    def times(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
    ) -> list[TimeMention]:
        """Stored time mentions, in article and text order."""
        where = _Where(article_id=article_id, table="t")
        where.dates("t", "window", since=since, until=until)
        return self._list(_TIMES, where, since=since, limit=limit, convert=time_from_row)

    def figures(
        self,
        *,
        measure: str | None = None,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
    ) -> list[Figure]:
        """Stored figures, in article and text order."""
        where = _Where(article_id=article_id, table="f")
        listing = _FIGURES
        if measure is not None:
            where.add("f.measure = ?", measure)
            listing = replace(listing, order_index="figures_measure_order")
        if place is not None:
            where.add(_fact_place_match("f"), *_id_and_pat(place))
        where.dates("f", "period", since=since, until=until)
        return self._list(listing, where, since=since, limit=limit, convert=figure_from_row)

    def events(
        self,
        *,
        type: str | None = None,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        """Stored events (`type` matches an event type or sub-type), in article and text order."""
        where = _Where(article_id=article_id, table="e")
        listing = _EVENTS
        if type is not None:
            column = self._event_type_column(type)
            if column is None:
                where.add("(lower(e.type) = lower(?) OR lower(e.subtype) = lower(?))", type, type)
            else:
                # One indexed column, not an OR of two: the listing then walks it in order.
                where.add(f"lower(e.{column}) = lower(?)", type)
                listing = replace(listing, order_index=f"events_{column}_order")
        if place is not None:
            where.add(_fact_place_match("e"), *_id_and_pat(place))
        where.dates("e", "date", since=since, until=until)
        return self._list(listing, where, since=since, limit=limit, convert=event_from_row)

    def _event_type_column(self, name: str) -> str | None:
        """The one column of `events` a type filter can match (type, subtype), or None if both."""
        sql = (
            "SELECT EXISTS (SELECT 1 FROM events WHERE lower(type) = lower(?)), "
            "EXISTS (SELECT 1 FROM events WHERE lower(subtype) = lower(?))"
        )
        is_type, is_subtype = self._query(sql, (name, name))[0]
        if is_type and is_subtype:
            return None
        return "subtype" if is_subtype else "type"

    def _list(
        self,
        listing: _Listing,
        where: _Where,
        *,
        since: dt.date | None,
        limit: int | None,
        convert: Callable[[sqlite3.Row], T],
    ) -> list[T]:
        """A fact listing in its order, read in parts that follow one another in that order."""
        found: list[T] = []
        for part in self._parts(listing, where, since=since):
            left = None if limit is None else limit - len(found)
            walk = not part.by_article and not self._few_match(listing, part)
            found += self._select(listing.sql(part, walk=walk), part, left, convert)
            if limit is not None and len(found) >= limit:
                break
        return found

    def _parts(self, listing: _Listing, where: _Where, *, since: dt.date | None) -> list[_Where]:
        """The filter, split by publication date so that each part's rows are found quickly."""
        if since is None or where.by_article:
            return [where]
        # A fact dated on or after `since` was published at most the longest lead before it:
        # its listing starts there. Facts of undated articles sort first, so they come first.
        start = since - dt.timedelta(days=self._longest_lead(listing))
        parts = [where.extended(f"{listing.alias}.published >= ?", start.isoformat())]
        undated = f"SELECT 1 FROM {listing.table} WHERE published IS NULL LIMIT 1"
        if self._query(undated, ()):
            parts.insert(0, where.extended(f"{listing.alias}.published IS NULL"))
        return parts

    def _few_match(self, listing: _Listing, where: _Where) -> bool:
        """Whether fewer than `_FEW` facts pass the filter: then sorting them beats a walk."""
        if not where.clauses:
            return False
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {listing.table} {listing.alias}{where.sql()} "
            f"LIMIT {_FEW})"
        )
        return int(self._query(sql, where.params)[0][0]) < _FEW

    def _longest_lead(self, listing: _Listing) -> int:
        """The most days any fact's own window ends after its article's publication (>= 0)."""
        if listing.dated is None:
            return 0
        lead = f"julianday({listing.dated}_end) - julianday(published)"
        found = self._query(f"SELECT max({lead}) FROM {listing.table}", ())[0][0]
        return max(0, math.ceil(found or 0))

    def incidents(
        self,
        *,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        type: str | None = None,
        bbox: BBox | None = None,
        reported_since: dt.date | None = None,
        newest_first: bool = False,
        limit: int | None = None,
        offset: int = 0,
        with_reports: bool = True,
    ) -> list[Incident]:
        """Incidents with their reports, by date (then id); see the protocol for the filters."""
        where = _Where()
        if place is not None:
            pattern = _pat(place)[1]
            where.add(_INCIDENT_PLACE_MATCH, place, pattern, pattern, pattern)
        if since is not None:
            # The lower bound on the start keeps the date index's range short: the listing
            # walks it in order and stops at the page's end, however large the store.
            earliest = since - dt.timedelta(days=LISTING_REACH_DAYS)
            where.add(
                "i.date_start >= ? AND i.date_end >= ?", earliest.isoformat(), since.isoformat()
            )
        if until is not None:
            where.add("i.date_start <= ?", until.isoformat())
        if type is not None:
            # One indexed column, not an OR of two: the listing then walks it in date order.
            column = "subtype" if self._is_subtype(type) else "type"
            where.add(f"lower(i.{column}) = lower(?)", type)
        if bbox is not None:
            # A country-level incident has no point of its own to fall inside a box.
            where.add(
                "i.kind <> 'country' AND i.lon BETWEEN ? AND ? AND i.lat BETWEEN ? AND ?",
                bbox.west, bbox.east, bbox.south, bbox.north,
            )  # fmt: skip
        if reported_since is not None:
            where.add("i.first_reported >= ?", reported_since.isoformat())
        order = "DESC" if newest_first else "ASC"
        sql = f"{_INCIDENTS_SQL}{where.sql()} ORDER BY i.date_start {order}, i.id {order}"
        params = list(where.params)
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params += [-1 if limit is None else limit, offset]
        rows = self._query(sql, params)
        if not with_reports:
            return [incident_from_row(row) for row in rows]
        return self._with_reports(rows)

    def _is_subtype(self, name: str) -> bool:
        sql = "SELECT 1 FROM incidents WHERE lower(subtype) = lower(?) LIMIT 1"
        return bool(self._query(sql, (name,)))

    def incident(self, incident_id: str) -> Incident | None:
        """One incident with its reports, or None."""
        found = self._with_reports(self._query(f"{_INCIDENTS_SQL} WHERE i.id = ?", (incident_id,)))
        return found[0] if found else None

    def _with_reports(self, rows: list[sqlite3.Row]) -> list[Incident]:
        reports = self._reports_of([row[0] for row in rows])
        return [incident_from_row(row, tuple(reports.get(row[0], ()))) for row in rows]

    def _reports_of(self, incident_ids: list[str]) -> dict[str, list[IncidentReport]]:
        reports: dict[str, list[IncidentReport]] = {}
        for start in range(0, len(incident_ids), _IDS_PER_QUERY):
            chunk = incident_ids[start : start + _IDS_PER_QUERY]
            sql = (
                f"SELECT {', '.join(REPORT_COLUMNS)} FROM incident_reports ir "
                "JOIN events e ON e.id = ir.event_id JOIN articles a ON a.id = ir.article_id "
                f"WHERE ir.incident_id IN ({', '.join('?' * len(chunk))}) "
                "ORDER BY a.published, ir.article_id, e.span_start, ir.event_id"
            )
            for row in self._query(sql, chunk):
                incident_id, report = incident_report_from_row(row)
                reports.setdefault(incident_id, []).append(report)
        return reports

    def canonical_ids(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Each stored article's canonical article: the first stored one it copies, or itself."""
        ids = list(dict.fromkeys(article_ids))
        found: dict[str, str] = {}
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            sql = (
                "SELECT id, COALESCE(canonical_id, id) FROM articles "
                f"WHERE id IN ({', '.join('?' * len(chunk))})"
            )
            found.update((row[0], row[1]) for row in self._query(sql, chunk))
        return found

    def duplicates_of(self, article_id: str) -> list[str]:
        """The other stored copies of an article's story, canonical first, in the order stored."""
        canonical = self.canonical_ids([article_id]).get(article_id)
        if canonical is None:
            return []
        rows = self._query(
            "SELECT id FROM articles WHERE id = ? OR canonical_id = ? ORDER BY rowid",
            (canonical, canonical),
        )
        return [row[0] for row in rows if row[0] != article_id]

    def resolve_places(self, place_ids: Iterable[str]) -> dict[str, Place]:
        """The gazetteer entries these place ids stand for, as stored with their mentions."""
        ids = list(dict.fromkeys(place_ids))
        found: dict[str, Place] = {}
        columns = ", ".join(COLUMNS["known_places"])
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT {columns} FROM known_places WHERE place_id IN ({marks})"
            for row in self._query(sql, chunk):
                place_id, name, country, admin1, lat, lon, kind, population = row
                found[place_id] = Place(
                    place_id, name, country, admin1, lat, lon, kind, population or 0
                )
        return found

    def counts(self) -> Counts:
        """How many articles and facts the store holds."""
        tables = ("articles", *FACT_TABLES, "incidents")
        sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {table})" for table in tables)
        sql += ", (SELECT count(*) FROM articles WHERE canonical_id IS NOT NULL)"
        row = self._query(sql, ())[0]
        return Counts(*row)

    # -- plumbing --------------------------------------------------------------------------

    def close(self) -> None:
        """Release the database; closing twice is harmless."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> Self:
        """The store itself."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the store."""
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    def _live(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StoreError(f"{self.path}: the store is closed; open it again with open_store()")
        return self._connection

    def _query(self, sql: str, params: Sequence[object]) -> list[sqlite3.Row]:
        try:
            return self._live().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._error("read from", exc) from exc

    def _select(
        self, sql: str, where: _Where, limit: int | None, convert: Callable[[sqlite3.Row], T]
    ) -> list[T]:
        params = list(where.params)
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [convert(row) for row in self._query(sql, params)]

    def _error(self, doing: str, exc: sqlite3.Error) -> StoreError:
        return StoreError(f"{self.path}: cannot {doing} the store ({exc}); {_advice(exc)}")


# A place filter: a place id, or a substring of a resolved name or of the mention's own text.
_PLACE_MATCH = "(p.place_id = ? OR p.name LIKE ? ESCAPE '\\' OR p.text LIKE ? ESCAPE '\\')"


_INCIDENTS_SQL = f"SELECT {', '.join(f'i.{c}' for c in COLUMNS['incidents'])} FROM incidents i"

# An incident filter: its place id, or a name its place, its admin area or its country bears.
# The names are matched among the few known places, then incidents are found by place id.
_INCIDENT_PLACE_MATCH = (
    "i.place_id IN (SELECT k.place_id FROM known_places k WHERE k.place_id = ? "
    "OR k.name LIKE ? ESCAPE '\\' OR k.admin1 LIKE ? ESCAPE '\\' OR k.country IN "
    "(SELECT c.country FROM known_places c WHERE c.kind = 'country' AND c.name LIKE ? "
    "ESCAPE '\\'))"
)


def _fact_place_match(alias: str) -> str:
    # Figures and events hold only a place id; names are found through the place mentions.
    return (
        f"({alias}.place_id = ? OR {alias}.place_id IN "
        f"(SELECT p.place_id FROM places p WHERE {_PLACE_MATCH}))"
    )


def _pat(place: str) -> tuple[str, str, str]:
    escaped = place.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return place, f"%{escaped}%", f"%{escaped}%"


def _id_and_pat(place: str) -> tuple[str, ...]:
    return (place, *_pat(place))


#: A filter that fewer facts than this pass is answered by sorting them all; one that more
#: pass, by walking the listing's order until the page is full.
_FEW = 2_000
#: Listing order: article publication (undated first), article, then text order.
_ORDER = ("published", "article_id", "span_start", "span_end", "id")


@dataclass(frozen=True, slots=True)
class _Listing:
    """One fact table as a listing: its alias, the index holding its order, its window."""

    table: str
    alias: str
    order_index: str
    #: The prefix of the fact's own window columns (`date` -> date_start, date_end).
    dated: str | None = None

    def sql(self, where: _Where, *, walk: bool) -> str:
        """The listing's SELECT: walking `order_index`, or sorting what the filter finds."""
        columns = ", ".join(f"{self.alias}.{column}" for column in COLUMNS[self.table])
        # A unary + keeps SQLite from reading the order index for ORDER BY: the filter's
        # own index finds the few rows, which are then sorted.
        sign = "" if walk else "+"
        order = ", ".join(f"{sign}{self.alias}.{column}" for column in _ORDER)
        source = f"{self.table} {self.alias}"
        if walk:
            source += f" INDEXED BY {self.order_index}"
        return f"SELECT {columns} FROM {source}{where.sql()} ORDER BY {order}"


_PLACES = _Listing("places", "p", "places_order")
_TIMES = _Listing("times", "t", "times_order", dated="window")
_FIGURES = _Listing("figures", "f", "figures_order", dated="period")
_EVENTS = _Listing("events", "e", "events_order", dated="date")


class _Where:
    """WHERE clauses and their parameters, built up filter by filter."""

    def __init__(self, *, article_id: str | None = None, table: str | None = None) -> None:
        self.clauses: list[str] = []
        self.params: list[object] = []
        #: Whether one article's facts are asked for: few, found by the article index.
        self.by_article = article_id is not None
        if article_id is not None:
            self.add(f"{table}.article_id = ?", article_id)

    def extended(self, clause: str, *params: object) -> _Where:
        """A copy with one more clause."""
        copy = _Where()
        copy.clauses, copy.params = [*self.clauses, clause], [*self.params, *params]
        copy.by_article = self.by_article
        return copy

    def add(self, clause: str, *params: object) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def dates(
        self, alias: str, window: str | None, *, since: dt.date | None, until: dt.date | None
    ) -> None:
        """Keep rows whose window (`<window>_start`, `_end`) overlaps `since`..`until`."""
        # A fact without its own window is dated by its article's publication, which the
        # fact's row copies; the `*_days` indexes hold these very expressions.
        start = end = f"{alias}.published"
        if window is not None:
            start = f"COALESCE({alias}.{window}_start, {start})"
            end = f"COALESCE({alias}.{window}_end, {end})"
        if since is not None:
            self.add(f"{end} >= ?", since.isoformat())
        if until is not None:
            self.add(f"{start} <= ?", until.isoformat())

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.clauses) if self.clauses else ""


def _configure(connection: sqlite3.Connection, *, memory: bool) -> None:
    connection.row_factory = sqlite3.Row
    connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    if not memory:
        # WAL lets readers (the CLI, the web page) work while an ingest writes.
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode != "wal":
            logger.warning("SQLite refused WAL mode (got %r); writes will block readers", mode)
        # NORMAL is durable against a crashed process in WAL mode, and much faster than FULL.
        connection.execute("PRAGMA synchronous = NORMAL")
        # A batch dirties pages all over the indexes; checkpointing every 64 MB instead of
        # every 4 MB copies each page back once for several batches (measured at 100,000
        # articles: 11.5 -> 9.9 ms per added article).
        connection.execute(f"PRAGMA wal_autocheckpoint = {_CHECKPOINT_PAGES}")
    # Ingest touches index pages all over the record's tables (band keys, candidate incidents):
    # a larger page cache than SQLite's 2 MB default keeps them in memory.
    connection.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")


def _migrate(connection: sqlite3.Connection, *, path: str) -> int:
    """Bring the schema up to date; the version the database had before."""
    version = _user_version(connection)
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path}: the database has schema version {version}, but this sitroom knows only "
            f"up to {SCHEMA_VERSION}; upgrade sitroom, or {_FIX}"
        )
    for number in range(version + 1, SCHEMA_VERSION + 1):
        _apply(connection, MIGRATIONS[number - 1], number=number)
    return version


def _apply(connection: sqlite3.Connection, migration: Migration, *, number: int) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have migrated while this one waited for the lock.
        if _user_version(connection) >= number:
            connection.execute("ROLLBACK")
            return
        connection.execute(MIGRATIONS_TABLE)
        for statement in migration.statements:
            connection.execute(statement)
        applied_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        connection.execute(
            "INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (migration.name, applied_at)
        )
        # PRAGMA takes no parameters; `number` is an int from this module, never user input.
        connection.execute(f"PRAGMA user_version = {int(number)}")
        connection.execute("COMMIT")
    except BaseException:
        _rollback(connection)
        raise
    logger.info("applied migration %s", migration.name)


def _user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def _rollback(connection: sqlite3.Connection) -> None:
    if connection.in_transaction:
        connection.execute("ROLLBACK")


def _check(extraction: Extraction) -> None:
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


def _insert_article(connection: sqlite3.Connection, article: Article, *, added_at: str) -> bool:
    row = article_row(article, added_at=added_at)
    cursor = connection.execute(_insert_sql("articles"), row)
    return cursor.rowcount == 1


def _insert_facts(connection: sqlite3.Connection, extraction: Extraction) -> int:
    rows: dict[str, list[Row]] = {table: [] for table in FACT_TABLES}
    for fact in _facts(extraction):
        table, row = fact_row(fact, published=extraction.article.published)
        rows[table].append(row)
    known = {m.place.id: known_place_row(m.place) for m in extraction.places if m.place}
    if known:
        connection.executemany(_insert_sql("known_places"), list(known.values()))
    written = 0
    for table, table_rows in rows.items():
        if table_rows:
            written += connection.executemany(_insert_sql(table), table_rows).rowcount
    return written


def _insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    marks = ", ".join("?" * len(columns))
    # The same fact twice (same content hash) is stored once; the key is the first column.
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) "
        f"ON CONFLICT ({columns[0]}) DO NOTHING"
    )


# -- incidents ---------------------------------------------------------------------------------


def _file_incidents(
    connection: sqlite3.Connection, extractions: list[Extraction], *, canonical: dict[str, str]
) -> FilingTally:
    """File the events of newly stored articles into incidents, each under its source."""
    sources = _source_keys(connection, [e.article for e in extractions], canonical)
    reports = [
        report
        for e in extractions
        for report in reports_of(e, source=sources[e.article.id], event_id=fact_id)
    ]
    return file_reports(_IncidentBook(connection), reports)


def _source_keys(
    connection: sqlite3.Connection, articles: list[Article], canonical: dict[str, str]
) -> dict[str, str]:
    """Each article's independent-source key: that of the article it copies, if any."""
    originals = {canonical.get(a.id, a.id) for a in articles} - {a.id for a in articles}
    known = {a.id: a for a in articles}
    if originals:
        marks = ", ".join("?" * len(originals))
        rows = connection.execute(
            f"SELECT {', '.join(COLUMNS['articles'])} FROM articles WHERE id IN ({marks})",
            list(originals),
        )
        known.update((a.id, a) for a in map(article_from_row, rows))
    return {a.id: source_key(known[canonical.get(a.id, a.id)]) for a in articles}


# -- duplicates --------------------------------------------------------------------------------

#: Articles compared under one band key, the newest, as `sitroom.record.duplicates` does.
_KEY_CAPACITY = 8


def _link_duplicates(connection: sqlite3.Connection, articles: list[Article]) -> dict[str, str]:
    """Fingerprint new articles and link each copy to its canonical; id -> canonical id."""
    if not articles:
        return {}
    # Imported here: numpy is loaded only by a store that writes.
    from sitroom.record.duplicates import fingerprint

    canonical: dict[str, str] = {}
    for article in articles:
        fp = fingerprint(article.text)
        keys = list(dict.fromkeys(_band_key(band) for band in fp.bands()))
        postings = _postings(connection, keys)
        original = _original_of(connection, fp, [i for ids in postings.values() for i in ids])
        if original is not None:
            connection.execute(
                "UPDATE articles SET canonical_id = ? WHERE id = ?", (original, article.id)
            )
        canonical[article.id] = original or article.id
        connection.execute(
            _insert_sql("article_fingerprints"),
            (article.id, fp.exact, base64.b64encode(fp.signature).decode("ascii")),
        )
        rows = [(key, article.id) for key in keys]
        connection.executemany("INSERT INTO article_bands (key, article_id) VALUES (?, ?)", rows)
    return canonical


def _band_key(band: str) -> int:
    # A band key as a signed 64-bit integer: what BIGINT columns hold, in both backends.
    digest = hashlib.blake2b(band.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _postings(connection: sqlite3.Connection, keys: list[int]) -> dict[int, list[str]]:
    """The newest stored articles under each band key: a walk down the key index, never a scan.

    Copies of a story arrive within days of it, so the newest articles under a key are the
    ones worth comparing; a key that template text shares with thousands of articles costs
    no more than any other.
    """
    newest = (
        "SELECT * FROM (SELECT key, article_id FROM article_bands WHERE key = ? "
        f"ORDER BY rowid DESC LIMIT {_KEY_CAPACITY})"
    )
    found: dict[int, list[str]] = {}
    for key, article_id in connection.execute(" UNION ALL ".join([newest] * len(keys)), keys):
        found.setdefault(key, []).append(article_id)
    return found


def _original_of(
    connection: sqlite3.Connection, fp: Fingerprint, candidates: list[str]
) -> str | None:
    """The canonical article the fingerprinted text copies, the first stored one if several."""
    from sitroom.record.duplicates import Fingerprint, is_near_duplicate

    matches: list[str] = []
    unique = list(dict.fromkeys(candidates))
    if unique:
        marks = ", ".join("?" * len(unique))
        sql = (
            "SELECT article_id, exact, signature FROM article_fingerprints "
            f"WHERE article_id IN ({marks})"
        )
        for article_id, exact, signature in connection.execute(sql, unique):
            other = Fingerprint(exact=exact, signature=base64.b64decode(signature))
            if is_near_duplicate(fp, other):
                matches.append(article_id)
    if not matches:
        return None
    marks = ", ".join("?" * len(matches))
    first = connection.execute(
        "SELECT c.id FROM articles a JOIN articles c ON c.id = COALESCE(a.canonical_id, a.id) "
        f"WHERE a.id IN ({marks}) ORDER BY c.rowid LIMIT 1",
        matches,
    ).fetchone()
    return str(first[0])


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


class _IncidentBook:
    """The incident tables seen from inside an open transaction (an `IncidentBook`)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def candidates(
        self, *, family: str, country: str, starts: Window, ends_after: dt.date
    ) -> list[Incident]:
        """Incidents of a family in a country starting within `starts`, ending on or after."""
        params = (family, country, starts.start.isoformat(), starts.end.isoformat())
        rows = self._connection.execute(_CANDIDATES_SQL, (*params, ends_after.isoformat()))
        return [incident_from_row(row) for row in rows]

    def open(self, incident: Incident, report: Report) -> None:
        """Keep a new incident whose first report is `report`."""
        self._connection.execute(_insert_sql("incidents"), incident_row(incident))
        self._file(incident.id, report)

    def join(self, incident: Incident, report: Report) -> None:
        """Add `report` to the stored incident, whose summary is now `incident`."""
        self._file(incident.id, report)
        sources = self._connection.execute(_SOURCES_SQL, (incident.id,)).fetchone()[0]
        row = incident_row(replace(incident, source_count=sources))
        self._connection.execute(_UPDATE_INCIDENT_SQL, (*row[1:], incident.id))

    def _file(self, incident_id: str, report: Report) -> None:
        row = incident_report_row(incident_id, report)
        self._connection.execute(_insert_sql("incident_reports"), row)


def _record_stored_articles(connection: sqlite3.Connection) -> None:
    """Link and file what a store held before it kept duplicates and incidents.

    Articles are taken in the order they were added, as `add` would have met them; only
    articles without a fingerprint are linked and only unfiled events filed, so a second
    process opening the same store at the same time finds nothing left to do.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        pending = [row[0] for row in connection.execute(_PENDING_SQL)]
        for start in range(0, len(pending), _IDS_PER_QUERY):
            chunk = pending[start : start + _IDS_PER_QUERY]
            _record_stored_chunk(connection, _stored_extractions(connection, chunk))
        connection.execute("COMMIT")
    except BaseException:
        _rollback(connection)
        raise
    logger.info("linked and filed %d articles stored before incidents were kept", len(pending))


_PENDING_SQL = (
    "SELECT a.id FROM articles a WHERE NOT EXISTS "
    "(SELECT 1 FROM article_fingerprints f WHERE f.article_id = a.id) OR EXISTS "
    "(SELECT 1 FROM events e WHERE e.article_id = a.id AND NOT EXISTS "
    "(SELECT 1 FROM incident_reports r WHERE r.event_id = e.id)) "
    "ORDER BY a.added_at, a.rowid"
)


def _record_stored_chunk(connection: sqlite3.Connection, extractions: list[Extraction]) -> None:
    ids = [e.article.id for e in extractions]
    marks = ", ".join("?" * len(ids))
    linked = {
        row[0]
        for row in connection.execute(
            f"SELECT article_id FROM article_fingerprints WHERE article_id IN ({marks})", ids
        )
    }
    filed = {
        row[0]
        for row in connection.execute(
            f"SELECT event_id FROM incident_reports WHERE article_id IN ({marks})", ids
        )
    }
    _link_duplicates(connection, [e.article for e in extractions if e.article.id not in linked])
    unfiled = [
        dataclasses.replace(e, events=tuple(v for v in e.events if fact_id(v) not in filed))
        for e in extractions
    ]
    _file_incidents(connection, unfiled, canonical=_canonical_ids(connection, ids))


def _canonical_ids(connection: sqlite3.Connection, article_ids: list[str]) -> dict[str, str]:
    marks = ", ".join("?" * len(article_ids))
    sql = f"SELECT id, COALESCE(canonical_id, id) FROM articles WHERE id IN ({marks})"
    return {row[0]: row[1] for row in connection.execute(sql, article_ids)}


def _stored_extractions(connection: sqlite3.Connection, article_ids: list[str]) -> list[Extraction]:
    """The stored articles with their places and events, in the order of `article_ids`."""
    marks = ", ".join("?" * len(article_ids))
    articles = {
        article.id: article
        for article in map(
            article_from_row,
            connection.execute(
                f"SELECT {', '.join(COLUMNS['articles'])} FROM articles WHERE id IN ({marks})",
                article_ids,
            ),
        )
    }
    places: dict[str, list[PlaceMention]] = {i: [] for i in article_ids}
    events: dict[str, list[Event]] = {i: [] for i in article_ids}
    order = "ORDER BY article_id, span_start, span_end, id"
    for row in connection.execute(
        f"SELECT {', '.join(COLUMNS['places'])} FROM places WHERE article_id IN ({marks}) {order}",
        article_ids,
    ):
        mention = place_from_row(row)
        places[mention.article_id].append(mention)
    for row in connection.execute(
        f"SELECT {', '.join(COLUMNS['events'])} FROM events WHERE article_id IN ({marks}) {order}",
        article_ids,
    ):
        event = event_from_row(row)
        events[event.article_id].append(event)
    return [
        Extraction(articles[i], places=tuple(places[i]), events=tuple(events[i]))
        for i in article_ids
    ]


def _open_error(path: str, exc: sqlite3.Error) -> StoreError:
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
        return StoreError(f"{path}: not a SQLite database ({exc}); {_FIX}, or move this file away")
    return StoreError(f"{path}: cannot open the store ({exc}); {_advice(exc)}")


def _advice(exc: sqlite3.Error) -> str:
    name = getattr(exc, "sqlite_errorname", "")
    if name in {"SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM"}:
        return f"check that the file and its directory exist and are writable, or {_FIX}"
    if name == "SQLITE_BUSY":
        return "another process holds the database; wait for it to finish and try again"
    if name == "SQLITE_FULL":
        return f"the disk is full; free some space, or {_FIX}"
    return f"check the file, or {_FIX}"
