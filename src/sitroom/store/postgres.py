"""The shared store: a PostgreSQL database (psycopg 3) that several analysts and workers write to.

The tables, migrations and queries are the SQLite store's (`sitroom.store.sql`); this module
connects, keeps the schema version in a table, translates what PostgreSQL spells differently
in the migrations, and says what the server's errors mean.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.types.numeric import Int8Dumper

from sitroom.errors import StoreError
from sitroom.store import redact_url
from sitroom.store.schema import Migration
from sitroom.store.sql import FIX, Dialect, SQLStore, prepare

__all__ = ["POSTGRES", "PostgresStore"]

logger = logging.getLogger(__name__)

#: Seconds to wait for the server to answer a connection.
_CONNECT_TIMEOUT_S = 10
#: The advisory lock every writing transaction holds, as SQLite's BEGIN IMMEDIATE does: two
#: ingests queue batch by batch instead of filing the same incident twice side by side.
_WRITE_LOCK = 0x5174_726F_6F6D

# make_date and substr are immutable, as an index expression must be; a cast of text to date
# is not (it depends on DateStyle), though ISO text always reads the same.
_DAY = "make_date(substr({0}, 1, 4)::int, substr({0}, 6, 2)::int, substr({0}, 9, 2)::int)"
POSTGRES = Dialect(
    name="postgresql",
    like="ILIKE",
    day=_DAY,
    no_limit=None,
    hints=False,
    indexes="SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()",
    arrays=True,
    null_order=True,
)

_Cursor = psycopg.Cursor[tuple[Any, ...]]
_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
# SQLite's rowid is the insertion order that duplicate links are ordered by; PostgreSQL rows
# get a generated column of the same name, so the queries read the same in both.
_ROWID = "BIGINT GENERATED ALWAYS AS IDENTITY"
_AFTER = {
    "CREATE TABLE articles": f"ALTER TABLE articles ADD COLUMN rowid {_ROWID}",
    "CREATE TABLE article_bands": f"ALTER TABLE article_bands ADD COLUMN rowid {_ROWID}",
}
# The newest articles under a band key are read in rowid order, which SQLite's key index holds.
_INSTEAD = {
    "CREATE INDEX article_bands_key ON article_bands (key)": (
        "CREATE INDEX article_bands_key ON article_bands (key, rowid)"
    ),
}
_INSERT = re.compile(
    r"INSERT INTO (?P<table>\w+) \((?P<columns>[\w, ]+)\) VALUES \([?, ]+\)(?P<tail>.*)", re.DOTALL
)
# Listings order by these with NULL first (SQLite's way); their indexes must hold that order.
_NULLABLE_ORDER = {"published", "date_start"}
_INDEX = re.compile(r"(?P<head>CREATE INDEX \w+ ON \w+ )\((?P<terms>.*)\)\s*$", re.DOTALL)
_JULIANDAY = re.compile(r"julianday\((\w+)\)")
# Byte order, as SQLite compares text: ids and names sort and fold case (ASCII only) the same
# in both backends, whatever locale the database was created with.
_TEXT = re.compile(r"\bTEXT\b")


class PostgresStore(SQLStore):
    """A `Store` in a PostgreSQL database; every `add` is one transaction."""

    # The pipeline's last statements (the incidents, the reports) and the COMMIT's WAL flush
    # are the server's: the commit thread waits for them while the next batch is extracted,
    # holding no GIL meanwhile.
    _background_commits = True

    def __init__(self, db: _PostgresDatabase) -> None:
        super().__init__(db, name=redact_url(db.url))
        self._postgres = db
        self.location = db.url
        #: Reads beside a running commit (`present_ids`), opened when first needed.
        self._reader: psycopg.Connection[tuple[Any, ...]] | None = None

    @classmethod
    def open(cls, url: str) -> PostgresStore:
        """The store in the database at `url`, migrated to the current schema."""
        db = _PostgresDatabase(url)
        try:
            prepare(db, name=redact_url(url))
        except psycopg.Error as exc:
            db.close()
            raise StoreError(
                f"{redact_url(url)}: cannot open the store ({_message(exc)}); {_advice(exc)}"
            ) from exc
        except BaseException:
            db.close()
            raise
        return cls(db)

    def _live(self) -> _PostgresDatabase:
        super()._live()
        # A server restart breaks the connection; the next call opens a new one, so a
        # long-running `serve` or `watch` carries on once the server is back.
        if self._postgres.connection.broken:
            logger.warning("%s: the connection was lost; connecting again", self.name)
            self._postgres.reconnect()
        return self._postgres

    def _read_beside_commit(self, sql: str, params: Sequence[object]) -> list[Any]:
        # A connection of its own sees what was committed before the running commit.
        try:
            if self._reader is None or self._reader.broken:
                self._reader = _connect(self._postgres.url)
            return self._reader.execute(_placeholders(sql), params).fetchall()
        except psycopg.Error as exc:
            raise self._error("read from", exc) from exc

    def close(self) -> None:
        """Release the connection and the reader beside it; closing twice is harmless."""
        try:
            super().close()
        finally:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    def _advice(self, exc: Exception) -> str:
        return _advice(exc)

    def _error(self, doing: str, exc: Exception) -> StoreError:
        return StoreError(
            f"{self.name}: cannot {doing} the store ({_message(exc)}); {_advice(exc)}"
        )


class _PostgresDatabase:
    """A psycopg connection as a `Database`: `?` becomes `%s`, the version lives in a table."""

    dialect = POSTGRES
    errors: tuple[type[Exception], ...] = (psycopg.Error,)

    def __init__(self, url: str) -> None:
        self.url = url
        self.connection = _connect(url)

    def reconnect(self) -> None:
        self.connection.close()
        self.connection = _connect(self.url)

    def execute(self, sql: str, params: Sequence[object] = ()) -> _Cursor:
        return self.connection.execute(_placeholders(sql), params)

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        self._insert_many(sql, rows)

    def inserted(self, sql: str, rows: Sequence[Sequence[object]]) -> set[object]:
        first = _INSERT.match(sql)
        if first is None:
            raise ValueError(f"not an INSERT of one row's values: {sql}")
        returning = f" RETURNING {first['columns'].split(',')[0].strip()}"
        return {row[0] for row in self._insert_many(sql + returning, rows).fetchall()}

    def _insert_many(self, sql: str, rows: Sequence[Sequence[object]]) -> _Cursor:
        # All rows in one statement, as a JSON array read into the table's row type: one
        # round trip and one short, prepared statement, where an INSERT per row or a
        # VALUES list per batch cost the server (or psycopg's parser) many times more.
        insert = _INSERT.match(sql)
        if insert is None:
            raise ValueError(f"not an INSERT of one row's values: {sql}")
        table, columns, tail = insert["table"], insert["columns"], insert["tail"]
        names = [name.strip() for name in columns.split(",")]
        document = json.dumps([dict(zip(names, row, strict=True)) for row in rows])
        statement = (
            f"INSERT INTO {table} ({columns}) SELECT {columns} "
            f"FROM json_populate_recordset(NULL::{table}, ?::json){tail}"
        )
        return self.execute(statement, (document,))

    @contextmanager
    def pipeline(self) -> Iterator[None]:
        # Inside `add`, statements whose answer is not read go out without waiting for it.
        try:
            with self.connection.pipeline():
                yield
        except psycopg.OperationalError as exc:
            cause = _cause_of_leaving(exc)
            if cause is exc:
                raise
            raise cause from None

    @contextmanager
    def migrating(self) -> Iterator[None]:
        # Held across transactions, so each migration's transaction begins after the last
        # opener's commit and sees the tables it made (a lock taken inside would not).
        self.connection.execute("SELECT pg_advisory_lock(%s)", (_WRITE_LOCK,))
        try:
            yield
        finally:
            if not self.connection.broken:
                self.connection.execute("SELECT pg_advisory_unlock(%s)", (_WRITE_LOCK,))

    def sorting(self) -> nullcontext[None]:
        # The server sorts an index build in parallel workers of its own already.
        return nullcontext()

    def steady_indexes(self) -> nullcontext[None]:
        # The planner takes no hints: no statement names an index that may be gone.
        return nullcontext()

    def begin_write(self) -> None:
        self.connection.execute("BEGIN")
        self.connection.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))

    def rollback(self) -> None:
        connection = self.connection
        if connection.broken or connection.info.transaction_status == TransactionStatus.IDLE:
            return
        try:
            connection.execute("ROLLBACK")
        except psycopg.Error:
            logger.debug("rollback failed; the server ends the transaction with the connection")

    def schema_version(self) -> int:
        found = self.connection.execute("SELECT to_regclass('schema_version')").fetchone()
        if found is None or found[0] is None:
            return 0
        row = self.connection.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0) if row else 0

    def set_schema_version(self, version: int) -> None:
        self.connection.execute(_VERSION_TABLE)
        self.connection.execute("DELETE FROM schema_version")
        self.connection.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))

    def migration_statements(self, migration: Migration) -> tuple[str, ...]:
        statements: list[str] = []
        for statement in migration.statements:
            key = statement.strip()
            translated = _INSTEAD.get(key, key)
            translated = _JULIANDAY.sub(lambda m: _DAY.format(m[1]), translated)
            translated = _nulls_first(translated)
            statements.append(_TEXT.sub('TEXT COLLATE "C"', translated))
            statements += [extra for start, extra in _AFTER.items() if key.startswith(start)]
        return tuple(statements)

    def close(self) -> None:
        self.connection.close()


def _nulls_first(statement: str) -> str:
    """An index statement with NULL first in its date columns, as the listings order them."""
    index = _INDEX.match(statement)
    if index is None:
        return statement
    terms: list[str] = []
    depth = start = 0
    body = index["terms"]
    for at, char in enumerate(body + ","):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            terms.append(body[start:at].strip())
            start = at + 1
    ordered = [f"{term} NULLS FIRST" if term in _NULLABLE_ORDER else term for term in terms]
    return f"{index['head']}({', '.join(ordered)})"


@functools.lru_cache(maxsize=512)
def _placeholders(sql: str) -> str:
    # psycopg takes %s; a literal % must be doubled. No statement here has a ? inside a string.
    return sql.replace("%", "%%").replace("?", "%s")


def _connect(url: str) -> psycopg.Connection[tuple[Any, ...]]:
    try:
        # autocommit: transactions are begun and ended explicitly, as in the SQLite store.
        connection = psycopg.connect(
            url, autocommit=True, connect_timeout=_CONNECT_TIMEOUT_S, application_name="sitroom"
        )
    except psycopg.Error as exc:
        raise StoreError(
            f"{redact_url(url)}: cannot connect to PostgreSQL ({_message(exc)}); "
            f"{_connect_advice(exc)}"
        ) from exc
    # Every Python int as BIGINT: a multi-row INSERT then gives each column one type, where
    # smallint, integer and bigint parameters side by side may settle on too small a type.
    connection.adapters.register_dumper(int, Int8Dumper)
    return connection


def _cause_of_leaving(exc: psycopg.OperationalError) -> psycopg.Error:
    """The error that broke a pipeline, rather than libpq's refusal to leave it after.

    When a server shuts down while a pipeline's results are still due, psycopg reads the
    shutdown notice (AdminShutdown), then asks libpq to leave pipeline mode with the other
    results unread; libpq refuses ("cannot exit pipeline mode while busy"), and that refusal is
    what escapes, with the shutdown only as its context. Measured: 9 of 60 terminated pipelines.
    """
    cause = exc.__context__
    if "pipeline mode" in str(exc) and isinstance(cause, psycopg.Error):
        return cause
    return exc


def _message(exc: Exception) -> str:
    # The server's messages run over several lines; one line reads better in an error.
    return " ".join(str(exc).split()) or type(exc).__name__


def _connect_advice(exc: psycopg.Error) -> str:
    text = str(exc)
    if "password authentication failed" in text or "no password supplied" in text:
        return "check the user name and password in the URL (or in PGPASSWORD or ~/.pgpass)"
    if re.search(r'role ".*" does not exist', text):
        return "check the user name in the URL, or create the role (createuser)"
    if re.search(r'database ".*" does not exist', text):
        return "create the database (createdb -O USER NAME), or name an existing one in the URL"
    if isinstance(exc, psycopg.ProgrammingError) or "invalid" in text:
        return "check the URL: postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
    return "check that the server is running and reachable at the URL's host and port"


def _advice(exc: Exception) -> str:
    if isinstance(exc, psycopg.OperationalError) and (
        "connection" in str(exc) or "terminating" in str(exc)
    ):
        return (
            "the connection to the server was lost; check that the server is up and run the "
            "same command again (articles already stored are skipped)"
        )
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return f"the database user lacks a privilege; grant it, or {FIX}"
    if isinstance(exc, psycopg.errors.DiskFull):
        return f"the server's disk is full; free some space, or {FIX}"
    if isinstance(exc, psycopg.errors.ReadOnlySqlTransaction):
        return f"the server takes no writes (a standby?); point at the primary, or {FIX}"
    return f"check the server's log, or {FIX}"
