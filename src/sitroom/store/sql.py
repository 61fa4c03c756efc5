"""The store written once over SQL: `Dialect` holds what SQLite and PostgreSQL spell differently,
`Database` is a backend's connection, and `SQLStore` implements every `Store` method on them."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from sitroom.errors import SchemaVersionError, StoreError
from sitroom.model import Article, Event, Extraction, Figure, Place, PlaceMention, TimeMention
from sitroom.record.incidents import Incident, IncidentReport
from sitroom.store import LISTING_REACH_DAYS, AddResult, BBox, Counts, writes
from sitroom.store.bulk import (
    BAND_INDEX,
    DEFERRABLE_INDEXES,
    BulkLoad,
    build_deferred_indexes,
    defer_indexes,
)
from sitroom.store.link_memory import LinkedBatch, LinkMemory
from sitroom.store.links import Fingerprinted
from sitroom.store.prepare import PreparedBatch
from sitroom.store.schema import (
    COLUMNS,
    FACT_TABLES,
    INCIDENTS_VERSION,
    MIGRATIONS,
    MIGRATIONS_TABLE,
    REPORT_COLUMNS,
    SCHEMA_VERSION,
    Migration,
    article_from_row,
    event_from_row,
    figure_from_row,
    incident_from_row,
    incident_report_from_row,
    place_from_row,
    time_from_row,
)
from sitroom.store.writes import IDS_PER_QUERY, check, insert_articles, insert_facts

__all__ = ["FIX", "Cursor", "Database", "Dialect", "SQLStore", "prepare"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: What to do about a store that cannot be used, in every backend's messages.
FIX = "choose another database with --db or SITROOM_DB"


@dataclass(frozen=True, slots=True)
class Dialect:
    """What the backends spell differently in the SQL this module writes."""

    name: str
    #: The case-insensitive pattern match: SQLite's LIKE already folds (ASCII) case.
    like: str
    #: An ISO `YYYY-MM-DD` text as a day number, `{0}` standing for the text.
    day: str
    #: The LIMIT that means none, for an OFFSET without a limit.
    no_limit: int | None
    #: Whether the planner takes hints: SQLite's INDEXED BY and a unary + on sort keys.
    hints: bool
    #: The store's indexes as (name, the statement that creates it), from the catalogue.
    indexes: str
    #: Whether a list binds as one array parameter (unnest(?), LATERAL joins).
    arrays: bool = False
    #: Whether an order must say where NULL goes: SQLite puts it first ascending, last
    #: descending; PostgreSQL the other way round unless told.
    null_order: bool = False

    def order(self, column: str, *, descending: bool = False) -> str:
        """An ORDER BY term for a column that may hold NULL, ordered as SQLite orders it."""
        if not self.null_order:
            return f"{column} DESC" if descending else column
        return f"{column} DESC NULLS LAST" if descending else f"{column} NULLS FIRST"

    def lead(self, end: str, start: str) -> str:
        """Days from the date in column `start` to the date in column `end`."""
        return f"{self.day.format(end)} - {self.day.format(start)}"


class Cursor(Protocol):
    """What this module reads from a DB-API cursor."""

    @property
    def rowcount(self) -> int:
        """Rows the statement changed."""
        ...

    def fetchone(self) -> Any:
        """The next row, or None."""
        ...

    def fetchall(self) -> list[Any]:
        """The remaining rows."""
        ...

    def __iter__(self) -> Iterator[Any]:
        """The remaining rows, one at a time."""
        ...


class Database(Protocol):
    """A backend's open connection, spoken to with `?` placeholders whatever its driver takes."""

    @property
    def dialect(self) -> Dialect:
        """How this database spells what the backends spell differently."""
        ...

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        """The driver's error classes."""
        ...

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor:
        """Run one statement."""
        ...

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        """Run one statement for each row."""
        ...

    def inserted(self, sql: str, rows: Sequence[Sequence[object]]) -> set[object]:
        """Run an INSERT that skips conflicts for each row: the first columns of those stored."""
        ...

    def pipeline(self) -> AbstractContextManager[object]:
        """Statements inside are sent without waiting for each answer until a result is read."""
        ...

    def migrating(self) -> AbstractContextManager[object]:
        """Hold off other processes' migrations and writes while this one migrates."""
        ...

    def begin_write(self) -> None:
        """Begin a transaction that holds the store's write lock: writers queue, never mix."""
        ...

    def sorting(self) -> AbstractContextManager[object]:
        """Index builds inside (CREATE INDEX) sort as fast as this backend can."""
        ...

    def steady_indexes(self) -> AbstractContextManager[object]:
        """Reads inside find the indexes that the first of them found, whatever another
        process drops or builds meanwhile: a statement may name an index it saw held back
        or present (SQLite's INDEXED BY)."""
        ...

    def rollback(self) -> None:
        """End any open transaction; harmless when none is open or the connection is gone."""
        ...

    def schema_version(self) -> int:
        """The schema version the database holds (0 when new)."""
        ...

    def set_schema_version(self, version: int) -> None:
        """Record the schema version, inside the migration's transaction."""
        ...

    def migration_statements(self, migration: Migration) -> tuple[str, ...]:
        """A migration's statements as this backend runs them."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...


def prepare(db: Database, *, name: str) -> None:
    """Migrate to the current schema, then link and file what an older store held."""
    version = db.schema_version()
    if version == SCHEMA_VERSION:
        return
    with db.migrating():
        version = db.schema_version()
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{name}: the database has schema version {version}, but this sitroom knows "
                f"only up to {SCHEMA_VERSION}; upgrade sitroom, or {FIX}"
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            _apply(db, MIGRATIONS[number - 1], number=number)
        if 0 < version < INCIDENTS_VERSION:
            writes.record_stored_articles(db)


def _apply(db: Database, migration: Migration, *, number: int) -> None:
    db.begin_write()
    try:
        # Another process may have migrated while this one waited for the lock.
        if db.schema_version() >= number:
            db.rollback()
            return
        db.execute(MIGRATIONS_TABLE)
        for statement in db.migration_statements(migration):
            db.execute(statement)
        applied_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        db.execute(
            "INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (migration.name, applied_at)
        )
        db.set_schema_version(number)
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise
    logger.info("applied migration %s", migration.name)


class SQLStore:
    """A `Store` over one `Database`; every `add` is one transaction.

    A backend subclasses it to open its connection and to say what its errors mean.
    """

    #: Whether `add_soon` commits on a thread of the store's own; a backend sets it when its
    #: connection may be used from another thread and its commit holds no GIL.
    _background_commits = False
    #: How another process opens this same store (`open_store`): a SQLite file's absolute path,
    #: a PostgreSQL URL; None for one that only this connection sees (`:memory:`).
    location: str | None = None

    def __init__(self, db: Database, *, name: str) -> None:
        self._db: Database | None = db
        #: The commit `add_soon` left running on `_committer`, until the next call waits for it.
        self._pending: Future[AddResult] | None = None
        self._committer: ThreadPoolExecutor | None = None
        #: How messages name the store: a path, or a URL without its password.
        self.name = name
        #: The bulk load in progress (`bulk`), if any.
        self._bulk: BulkLoad | None = None
        #: Whether a write outside a bulk load has built what a killed one held back.
        self._indexes_checked = False

    def _advice(self, exc: Exception) -> str:
        """What to do about a driver error."""
        return f"check the database, or {FIX}"

    # -- writing ---------------------------------------------------------------------------

    def add(self, extractions: Iterable[Extraction]) -> AddResult:
        """Store the extractions in one transaction; articles already stored are left as is."""
        return self.add_soon(extractions).result()

    def add_soon(self, extractions: Iterable[Extraction]) -> Future[AddResult]:
        """`add`, whose commit may still be running when this returns: the future holds what
        `add` returns once committed, or the error `add` would raise. The store's next call
        waits for that commit.

        A file-backed SQLite store commits on a thread of its own: the commit writes the
        batch's pages to the WAL and now and then checkpoints them, all with the GIL
        released, so an ingest extracts the next batch meanwhile (`sitroom.engine`). A
        PostgreSQL store's thread also waits for the statements still queued in the pipeline:
        the server finishes the batch meanwhile.
        """
        db = self._live()
        prints = extractions.prints if isinstance(extractions, PreparedBatch) else None
        batch = list(extractions)
        # The pipeline, left open for the commit thread to end when it commits there.
        pipeline = ExitStack()
        with self._rolled_back_on_failure(db), ExitStack() as writing:
            writing.enter_context(db.pipeline())
            db.begin_write()
            self._hold_or_build_indexes(db)
            result = self._write(db, batch, prints)
            if self._bulk is not None:
                self._bulk.added += result.added
            if self._background_commits:
                pipeline = writing.pop_all()
            else:
                db.execute("COMMIT")
        if not self._background_commits:
            done: Future[AddResult] = Future()
            done.set_result(result)
            return done
        if self._committer is None:
            self._committer = ThreadPoolExecutor(1, thread_name_prefix=f"commit {self.name}")
        self._pending = self._committer.submit(self._commit, db, result, pipeline)
        return self._pending

    def _write(
        self, db: Database, batch: list[Extraction], prints: Mapping[str, Fingerprinted] | None
    ) -> AddResult:
        added_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        for extraction in batch:
            check(extraction)
        new = insert_articles(db, batch, added_at=added_at)
        present = len(batch) - len(new)
        # The batch's facts in one statement per table: far fewer round trips to a server.
        facts = insert_facts(db, new)
        # Linked and filed in the same transaction: an article never stands stored but
        # unlinked, and its copies count as its outlet's word, not as new sources.
        # Called through the module, so that benchmarks can time each half.
        memory = self._bulk.links if self._bulk is not None else None
        canonical = writes.link_duplicates(db, [e.article for e in new], prints, memory=memory)
        tally = writes.file_incidents(db, new, canonical=canonical)
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
    def bulk(self, *, after: int | None = None, part: bool = False) -> Iterator[None]:
        """Add many batches: once `after` articles are added (by default a tenth of what the
        store held), the indexes only listings read are dropped, and built again when the
        block ends, however it ends (`sitroom.store.bulk`). Listings meanwhile give the same
        answers, more slowly. `part`: this load is part of another's (a Dask worker's, of
        its client's ingest), which builds what this one held back when it ends."""
        if self._bulk is not None:
            raise StoreError(f"{self.name}: a bulk load is already in progress")
        stored = self._query("SELECT count(*) FROM articles", ())[0][0]
        self._bulk = BulkLoad.into(int(stored), after=after)
        if part:
            try:
                yield
            finally:
                self._bulk = None
            return
        try:
            yield
        except BaseException:
            self._bulk = None
            try:
                self._build_held_indexes()
            except Exception:
                # The failure that ended the load is the one to report; the indexes are
                # still recorded as held back, and the next write builds them.
                logger.warning("%s: could not build the listing indexes back", self.name)
            raise
        self._bulk = None
        self._build_held_indexes()

    def linked_batch(self) -> LinkedBatch | None:
        """The last batch this store's bulk load linked, as its memory recorded it: for another
        writer's load to meet (`meet`). None outside a load that links in memory."""
        links = self._bulk.links if self._bulk is not None else None
        return links.linked_batch() if links is not None else None

    def meet(self, batches: Iterable[LinkedBatch]) -> None:
        """Batches other writers' bulk loads stored since this one's last, as their memories
        recorded them (`linked_batch`), in the order stored: at its next batch this load takes
        in those that follow on from what it met, and reads the rest back from the store."""
        if self._bulk is not None and self._bulk.links is not None:
            self._bulk.links.meet(batches)

    def _hold_or_build_indexes(self, db: Database) -> None:
        """Inside a write: drop the listing indexes when a bulk load is due to, and link in
        memory once it is due to; or, at a first write outside one, build those a killed bulk
        load left held back."""
        if self._bulk is not None:
            if self._bulk.due:
                held = defer_indexes(db, DEFERRABLE_INDEXES - {BAND_INDEX})
                self._bulk.deferred = True
                logger.info("%s: %d listing indexes held back until the load ends", self.name, held)
            if self._bulk.links_due:
                self._link_in_memory(db, self._bulk)
        elif not self._indexes_checked:
            self._indexes_checked = True
            if built := build_deferred_indexes(db):
                logger.info("%s: built %d listing indexes a bulk load held back", self.name, built)

    def _link_in_memory(self, db: Database, load: BulkLoad) -> None:
        """Bring the load's linking memory up to the store, reading it the first time, when
        the band key index is then held back (`sitroom.store.link_memory`)."""
        first = load.links is None
        load.links = LinkMemory.caught_up(db, load.links)
        if first and defer_indexes(db, {BAND_INDEX}):
            logger.info("%s: duplicates linked in memory until the load ends", self.name)

    def _build_held_indexes(self) -> None:
        """Build what the store records as held back, in a transaction of its own."""
        # Read first: a load that held nothing back takes no write lock at its end.
        if not self._query("SELECT 1 FROM deferred_indexes LIMIT 1", ()):
            return
        db = self._live()
        with self._rolled_back_on_failure(db):
            db.begin_write()
            built = build_deferred_indexes(db)
            db.execute("COMMIT")
        if built:
            logger.info("%s: built %d listing indexes after the bulk load", self.name, built)

    def _commit(self, db: Database, result: AddResult, pipeline: ExitStack) -> AddResult:
        # Ending the pipeline waits for every statement queued before the COMMIT.
        with self._rolled_back_on_failure(db), pipeline:
            db.execute("COMMIT")
        return result

    @contextmanager
    def _rolled_back_on_failure(self, db: Database) -> Iterator[None]:
        """Roll the write back on any failure; a driver's error becomes a StoreError."""
        try:
            yield
        except db.errors as exc:
            db.rollback()
            raise self._error("write to", exc) from exc
        except BaseException:
            db.rollback()
            raise

    def _settle(self) -> None:
        """Wait for the commit `add_soon` left running, if any; its future holds its error."""
        pending, self._pending = self._pending, None
        if pending is not None:
            wait([pending])

    # -- reading ---------------------------------------------------------------------------

    def present_ids(self, article_ids: Iterable[str]) -> frozenset[str]:
        """Which of these article ids the store already holds."""
        ids = list(dict.fromkeys(article_ids))
        found: set[str] = set()
        # Beside a running commit, what is committed so far: an ingest checks the next batch
        # while this one commits; an article in both is extracted twice and stored once.
        running = self._pending is not None and not self._pending.done()
        query = self._read_beside_commit if running else self._query
        for chunk in _chunks(ids):
            rows = query(f"SELECT id FROM articles WHERE id IN ({_marks(chunk)})", chunk)
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
        offset: int = 0,
    ) -> list[Article]:
        """Stored articles by publication date, optionally those mentioning a place."""
        if ids is not None:
            found = self._articles_by_id(list(dict.fromkeys(ids)), place, since, until)
            return found[offset:] if limit is None else found[offset : offset + limit]
        where = self._article_filter(place, since, until)
        order = f"{self._dialect.order('a.published')}, a.id"
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles a{where.sql()} ORDER BY {order}"
        return self._select(sql, where, limit, article_from_row, offset=offset)

    def _article_filter(
        self, place: str | None, since: dt.date | None, until: dt.date | None, *ids: str
    ) -> _Where:
        where = _Where()
        if ids:
            where.add(f"a.id IN ({_marks(ids)})", *ids)
        if place is not None:
            like = self._dialect.like
            where.add(
                f"a.id IN (SELECT article_id FROM places p WHERE {_place_match(like)})",
                *_pat(place),
            )
        where.dates("a", None, since=since, until=until)
        return where

    def _articles_by_id(
        self,
        ids: list[str],
        place: str | None,
        since: dt.date | None,
        until: dt.date | None,
    ) -> list[Article]:
        found: list[Article] = []
        for chunk in _chunks(ids):
            where = self._article_filter(place, since, until, *chunk)
            sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles a{where.sql()}"
            found.extend(self._select(sql, where, None, article_from_row))
        found.sort(key=lambda a: (a.published is not None, a.published or dt.date.min, a.id))
        return found

    def places(
        self,
        *,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[PlaceMention]:
        """Stored place mentions, in article and text order."""
        where = _Where(article_id=article_id, table="p")
        if place is not None:
            where.add(_place_match(self._dialect.like), *_pat(place))
        where.dates("p", None, since=since, until=until)
        return self._list(
            _PLACES, where, since=since, limit=limit, offset=offset, convert=place_from_row
        )

    def times(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[TimeMention]:
        """Stored time mentions, in article and text order."""
        where = _Where(article_id=article_id, table="t")
        where.dates("t", "window", since=since, until=until)
        return self._list(
            _TIMES, where, since=since, limit=limit, offset=offset, convert=time_from_row
        )

    def figures(
        self,
        *,
        measure: str | None = None,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Figure]:
        """Stored figures, in article and text order."""
        where = _Where(article_id=article_id, table="f")
        listing = _FIGURES
        if measure is not None:
            where.add("f.measure = ?", measure)
            listing = replace(listing, order_index="figures_measure_order")
        if place is not None:
            where.add(_fact_place_match("f", self._dialect.like), *_id_and_pat(place))
        where.dates("f", "period", since=since, until=until)
        return self._list(
            listing, where, since=since, limit=limit, offset=offset, convert=figure_from_row
        )

    def events(
        self,
        *,
        type: str | None = None,
        place: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        article_id: str | None = None,
        limit: int | None = None,
        offset: int = 0,
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
            where.add(_fact_place_match("e", self._dialect.like), *_id_and_pat(place))
        where.dates("e", "date", since=since, until=until)
        return self._list(
            listing, where, since=since, limit=limit, offset=offset, convert=event_from_row
        )

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
        offset: int,
        convert: Callable[[Any], T],
    ) -> list[T]:
        """A fact listing in its order, read in parts that follow one another in that order.

        The offset is skipped inside SQL, so a deep page reads no rows before it; a part that
        lies wholly before the offset is counted, not read.
        """
        found: list[T] = []
        with self._live().steady_indexes():
            parts = self._parts(listing, where, since=since)
            walkable = self._walkable(listing)
            for number, part in enumerate(parts):
                if offset and number < len(parts) - 1:
                    rows = self._count(listing, part)
                    if rows <= offset:
                        offset -= rows
                        continue
                left = None if limit is None else limit - len(found)
                walk = walkable and not part.by_article and not self._few_match(listing, part)
                sql = listing.sql(part, walk=walk, dialect=self._dialect)
                found += self._select(sql, part, left, convert, offset=offset)
                offset = 0
                if limit is not None and len(found) >= limit:
                    break
        return found

    def _walkable(self, listing: _Listing) -> bool:
        """Whether the listing may walk its order index: a walk names it (SQLite's INDEXED BY),
        and a bulk load holds it back until it ends (`sitroom.store.bulk`); then it sorts."""
        if not self._dialect.hints:
            return True  # nothing names the index: the planner walks it if it is there
        held = "SELECT 1 FROM deferred_indexes WHERE name = ?"
        return not self._query(held, (listing.order_index,))

    def _count(self, listing: _Listing, where: _Where) -> int:
        sql = f"SELECT count(*) FROM {listing.table} {listing.alias}{where.sql()}"
        return int(self._query(sql, where.params)[0][0])

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
            f"LIMIT {_FEW}) AS few"
        )
        return int(self._query(sql, where.params)[0][0]) < _FEW

    def _longest_lead(self, listing: _Listing) -> int:
        """The most days any fact's own window ends after its article's publication (>= 0)."""
        if listing.dated is None:
            return 0
        # The very expression the `*_lead` index holds, so the maximum is read from it.
        lead = self._dialect.lead(f"{listing.dated}_end", "published")
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
        where = self._incident_filter(place, since, until, type, bbox, reported_since)
        start = self._dialect.order("i.date_start", descending=newest_first)
        then = "i.id DESC" if newest_first else "i.id ASC"
        sql = f"{_INCIDENTS_SQL}{where.sql()} ORDER BY {start}, {then}"
        params = list(where.params)
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params += [self._dialect.no_limit if limit is None else limit, offset]
        rows = self._query(sql, params)
        if not with_reports:
            return [incident_from_row(row) for row in rows]
        return self._with_reports(rows)

    def _incident_filter(
        self,
        place: str | None,
        since: dt.date | None,
        until: dt.date | None,
        type: str | None,
        bbox: BBox | None,
        reported_since: dt.date | None,
    ) -> _Where:
        where = _Where()
        if place is not None:
            pattern = _pat(place)[1]
            where.add(_incident_place_match(self._dialect.like), place, pattern, pattern, pattern)
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
        return where

    def _is_subtype(self, name: str) -> bool:
        sql = "SELECT 1 FROM incidents WHERE lower(subtype) = lower(?) LIMIT 1"
        return bool(self._query(sql, (name,)))

    def incident(self, incident_id: str) -> Incident | None:
        """One incident with its reports, or None."""
        found = self._with_reports(self._query(f"{_INCIDENTS_SQL} WHERE i.id = ?", (incident_id,)))
        return found[0] if found else None

    def _with_reports(self, rows: list[Any]) -> list[Incident]:
        reports = self._reports_of([row[0] for row in rows])
        return [incident_from_row(row, tuple(reports.get(row[0], ()))) for row in rows]

    def _reports_of(self, incident_ids: list[str]) -> dict[str, list[IncidentReport]]:
        reports: dict[str, list[IncidentReport]] = {}
        for chunk in _chunks(incident_ids):
            sql = (
                f"SELECT {', '.join(REPORT_COLUMNS)} FROM incident_reports ir "
                "JOIN events e ON e.id = ir.event_id JOIN articles a ON a.id = ir.article_id "
                f"WHERE ir.incident_id IN ({_marks(chunk)}) "
                f"ORDER BY {self._dialect.order('a.published')}, ir.article_id, e.span_start, "
                "ir.event_id"
            )
            for row in self._query(sql, chunk):
                incident_id, report = incident_report_from_row(row)
                reports.setdefault(incident_id, []).append(report)
        return reports

    def canonical_ids(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Each stored article's canonical article: the first stored one it copies, or itself."""
        ids = list(dict.fromkeys(article_ids))
        found: dict[str, str] = {}
        for chunk in _chunks(ids):
            sql = (
                f"SELECT id, COALESCE(canonical_id, id) FROM articles WHERE id IN ({_marks(chunk)})"
            )
            found.update((row[0], row[1]) for row in self._query(sql, chunk))
        return found

    def duplicates_of(self, article_id: str) -> list[str]:
        """The other stored copies of an article's story, canonical first, in the order stored."""
        canonical = self.canonical_ids([article_id]).get(article_id)
        if canonical is None:
            return []
        # `rowid` is the insertion order: SQLite's own, a generated column in PostgreSQL.
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
        for chunk in _chunks(ids):
            sql = f"SELECT {columns} FROM known_places WHERE place_id IN ({_marks(chunk)})"
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
        return Counts(*(int(value) for value in row))

    # -- plumbing --------------------------------------------------------------------------

    def close(self) -> None:
        """Release the database once a running commit is done; closing twice is harmless."""
        try:
            self._settle()
        finally:
            if self._committer is not None:
                self._committer.shutdown()
                self._committer = None
            if self._db is not None:
                self._db.close()
                self._db = None

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
        return f"{type(self).__name__}({self.name!r})"

    @property
    def _dialect(self) -> Dialect:
        return self._live().dialect

    def _live(self) -> Database:
        if self._db is None:
            raise StoreError(f"{self.name}: the store is closed; open it again with open_store()")
        self._settle()
        return self._db

    def _read_beside_commit(self, sql: str, params: Sequence[object]) -> list[Any]:
        """A read that need not wait for the running commit; this one waits for it. A backend
        that commits in the background reads on a connection of its own instead."""
        return self._query(sql, params)

    def _query(self, sql: str, params: Sequence[object]) -> list[Any]:
        db = self._live()
        try:
            return db.execute(sql, params).fetchall()
        except db.errors as exc:
            db.rollback()
            raise self._error("read from", exc) from exc

    def _select(
        self,
        sql: str,
        where: _Where,
        limit: int | None,
        convert: Callable[[Any], T],
        *,
        offset: int = 0,
    ) -> list[T]:
        params = list(where.params)
        if offset:
            sql += " LIMIT ? OFFSET ?"
            params += [self._dialect.no_limit if limit is None else limit, offset]
        elif limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [convert(row) for row in self._query(sql, params)]

    def _error(self, doing: str, exc: Exception) -> StoreError:
        return StoreError(f"{self.name}: cannot {doing} the store ({exc}); {self._advice(exc)}")


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), IDS_PER_QUERY):
        yield ids[start : start + IDS_PER_QUERY]


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


_ARTICLE_COLUMNS = ", ".join(f"a.{column}" for column in COLUMNS["articles"])


def _place_match(like: str) -> str:
    # A place filter: a place id, or a substring of a resolved name or of the mention's own text.
    return f"(p.place_id = ? OR p.name {like} ? ESCAPE '\\' OR p.text {like} ? ESCAPE '\\')"


_INCIDENTS_SQL = f"SELECT {', '.join(f'i.{c}' for c in COLUMNS['incidents'])} FROM incidents i"


def _incident_place_match(like: str) -> str:
    # An incident filter: its place id, or a name its place, its admin area or its country
    # bears. The names are matched among the few known places, then incidents by place id.
    return (
        f"i.place_id IN (SELECT k.place_id FROM known_places k WHERE k.place_id = ? "
        f"OR k.name {like} ? ESCAPE '\\' OR k.admin1 {like} ? ESCAPE '\\' OR k.country IN "
        f"(SELECT c.country FROM known_places c WHERE c.kind = 'country' AND c.name {like} ? "
        f"ESCAPE '\\'))"
    )


def _fact_place_match(alias: str, like: str) -> str:
    # Figures and events hold only a place id; names are found through the place mentions.
    return (
        f"({alias}.place_id = ? OR {alias}.place_id IN "
        f"(SELECT p.place_id FROM places p WHERE {_place_match(like)}))"
    )


def _pat(place: str) -> tuple[str, str, str]:
    if "\x00" in place:
        # SQLite's LIKE would end the pattern at the NUL and match everything before it.
        raise ValueError(f"place filter {place!r}: a place name cannot contain a NUL character")
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

    def sql(self, where: _Where, *, walk: bool, dialect: Dialect) -> str:
        """The listing's SELECT: walking `order_index`, or sorting what the filter finds."""
        columns = ", ".join(f"{self.alias}.{column}" for column in COLUMNS[self.table])
        source = f"{self.table} {self.alias}"
        sign = ""
        if dialect.hints:
            # A unary + keeps SQLite from reading the order index for ORDER BY: the filter's
            # own index finds the few rows, which are then sorted. PostgreSQL plans by cost.
            sign = "" if walk else "+"
            source += f" INDEXED BY {self.order_index}" if walk else ""
        # Only the publication day may be NULL among the order's columns.
        order = ", ".join(
            dialect.order(f"{sign}{self.alias}.{column}") if column == "published"
            else f"{sign}{self.alias}.{column}"
            for column in _ORDER
        )  # fmt: skip
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
