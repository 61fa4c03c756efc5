"""The default store: one SQLite file (stdlib sqlite3) in WAL mode, or an in-memory database."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Self, TypeVar

from sitroom.errors import SchemaVersionError, StoreError
from sitroom.model import Article, Event, Extraction, Figure, PlaceMention, TimeMention
from sitroom.store import AddResult, Counts
from sitroom.store.schema import (
    COLUMNS,
    FACT_TABLES,
    MIGRATIONS,
    MIGRATIONS_TABLE,
    SCHEMA_VERSION,
    Fact,
    Migration,
    Row,
    article_from_row,
    article_row,
    event_from_row,
    fact_row,
    figure_from_row,
    place_from_row,
    time_from_row,
)

__all__ = ["SQLiteStore"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

MEMORY = ":memory:"
#: How long a writer waits for another process's transaction before giving up.
_BUSY_TIMEOUT_MS = 10_000
# SQLite builds before 3.32 allow at most 999 parameters in one statement.
_IDS_PER_QUERY = 500
_FIX = "choose another database with --db or SITROOM_DB"


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
            _migrate(connection, path=path)
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
            added = present = facts = 0
            for extraction in extractions:
                _check(extraction)
                if _insert_article(connection, extraction.article, added_at=added_at):
                    added += 1
                    facts += _insert_facts(connection, extraction)
                else:
                    present += 1
        logger.debug("stored %d new articles (%d present), %d facts", added, present, facts)
        return AddResult(added=added, present=present, facts=facts)

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
        limit: int | None = None,
    ) -> list[Article]:
        """Stored articles by publication date, optionally those mentioning a place."""
        where = _Where()
        if place is not None:
            where.add(
                f"a.id IN (SELECT article_id FROM places p WHERE {_PLACE_MATCH})", *_pat(place)
            )
        where.dates("a.published", "a.published", since=since, until=until)
        columns = ", ".join(f"a.{column}" for column in COLUMNS["articles"])
        sql = f"SELECT {columns} FROM articles a{where.sql()} ORDER BY a.published, a.id"
        return self._select(sql, where, limit, article_from_row)

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
        where.dates("a.published", "a.published", since=since, until=until)
        return self._select(_facts_sql("places", "p", where), where, limit, place_from_row)

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
        where.dates("t.window_start", "t.window_end", since=since, until=until)
        return self._select(_facts_sql("times", "t", where), where, limit, time_from_row)

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
        if measure is not None:
            where.add("f.measure = ?", measure)
        if place is not None:
            where.add(_fact_place_match("f"), *_id_and_pat(place))
        where.dates("f.period_start", "f.period_end", since=since, until=until)
        return self._select(_facts_sql("figures", "f", where), where, limit, figure_from_row)

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
        if type is not None:
            where.add("(lower(e.type) = lower(?) OR lower(e.subtype) = lower(?))", type, type)
        if place is not None:
            where.add(_fact_place_match("e"), *_id_and_pat(place))
        where.dates("e.date_start", "e.date_end", since=since, until=until)
        return self._select(_facts_sql("events", "e", where), where, limit, event_from_row)

    def counts(self) -> Counts:
        """How many articles and facts the store holds."""
        tables = ("articles", *FACT_TABLES)
        sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {table})" for table in tables)
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


def _facts_sql(table: str, alias: str, where: _Where) -> str:
    columns = ", ".join(f"{alias}.{column}" for column in COLUMNS[table])
    return (
        f"SELECT {columns} FROM {table} {alias} JOIN articles a ON a.id = {alias}.article_id"
        f"{where.sql()} ORDER BY a.published, a.id, {alias}.span_start, {alias}.span_end, "
        f"{alias}.id"
    )


class _Where:
    """WHERE clauses and their parameters, built up filter by filter."""

    def __init__(self, *, article_id: str | None = None, table: str | None = None) -> None:
        self.clauses: list[str] = []
        self.params: list[object] = []
        if article_id is not None:
            self.add(f"{table}.article_id = ?", article_id)

    def add(self, clause: str, *params: object) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def dates(self, start: str, end: str, *, since: dt.date | None, until: dt.date | None) -> None:
        # A fact without its own dates is dated by its article's publication.
        if since is not None:
            self.add(f"COALESCE({end}, a.published) >= ?", since.isoformat())
        if until is not None:
            self.add(f"COALESCE({start}, a.published) <= ?", until.isoformat())

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


def _migrate(connection: sqlite3.Connection, *, path: str) -> None:
    version = _user_version(connection)
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path}: the database has schema version {version}, but this sitroom knows only "
            f"up to {SCHEMA_VERSION}; upgrade sitroom, or {_FIX}"
        )
    for number in range(version + 1, SCHEMA_VERSION + 1):
        _apply(connection, MIGRATIONS[number - 1], number=number)


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
        table, row = fact_row(fact)
        rows[table].append(row)
    written = 0
    for table, table_rows in rows.items():
        if table_rows:
            written += connection.executemany(_insert_sql(table), table_rows).rowcount
    return written


def _insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    marks = ", ".join("?" * len(columns))
    # The same fact twice (same content hash) is stored once.
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) ON CONFLICT (id) DO NOTHING"
    )


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
