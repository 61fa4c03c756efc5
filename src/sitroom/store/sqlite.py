"""The default store: one SQLite file (stdlib sqlite3) in WAL mode, or an in-memory database."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import Any

from sitroom.cores import usable_cores
from sitroom.errors import StoreError
from sitroom.store.schema import SCHEMA_VERSION, Migration
from sitroom.store.sql import FIX, Dialect, SQLStore, prepare

__all__ = ["SQLITE", "SQLiteStore"]

logger = logging.getLogger(__name__)

MEMORY = ":memory:"
#: How long a writer waits for another process's transaction before giving up.
_BUSY_TIMEOUT_MS = 10_000
#: Page cache per connection, in KiB.
_CACHE_KIB = 64 * 1024
#: Page cache of a connection that bulk loads (`SQLiteStore.bulk`), in KiB: each batch
#: inserts facts at random places in their id indexes, which outgrow the usual cache.
_BULK_CACHE_KIB = 256 * 1024
#: Page cache while indexes are built (`_SQLiteDatabase.sorting`), in KiB: the size of the
#: runs SQLite sorts their keys in, SQLite's default cache.
_SORT_RUN_KIB = 2000
#: WAL pages (4 KiB each) written before SQLite copies them back into the database.
_CHECKPOINT_PAGES = 16_384

SQLITE = Dialect(
    name="sqlite",
    like="LIKE",
    day="julianday({0})",
    no_limit=-1,
    hints=True,
    # Those SQLite makes for UNIQUE and PRIMARY KEY constraints have no statement.
    indexes="SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
)


class SQLiteStore(SQLStore):
    """A `Store` in one SQLite database; every `add` is one transaction."""

    def __init__(self, connection: sqlite3.Connection, *, path: str) -> None:
        super().__init__(_SQLiteDatabase(connection), name=path)
        self.path = path
        self.location = None if path == MEMORY else os.path.abspath(path)
        # A file's commits run on a thread of their own (`add_soon`); an in-memory database
        # lives in its one connection, so nothing could read it beside a running commit.
        self._background_commits = path != MEMORY
        #: Reads while a commit runs (`present_ids`), opened when first needed.
        self._reader: sqlite3.Connection | None = None

    @contextlib.contextmanager
    def bulk(self, *, after: int | None = None, part: bool = False) -> Iterator[None]:
        """`SQLStore.bulk`, with a larger page cache until the load ends (`_BULK_CACHE_KIB`).

        Measured adding 1,000-article batches of generated articles to a copy of a store of
        80,000 (three rounds each, interleaved): `add` took 0.91 s of CPU a batch (median)
        with 256 MB instead of 0.99 with the usual 64 MB, and 1.22 s of wall clock instead of
        1.34. A Dask worker's cache starts empty at every batch another worker wrote before
        it (SQLite's rule for WAL readers), so there the larger cache helps only one worker.
        """
        # A second load at once is refused (`SQLStore.bulk`): the first one's cache stays.
        enlarged = self._bulk is None
        if enlarged:
            self._cache(_BULK_CACHE_KIB)
        try:
            with super().bulk(after=after, part=part):
                yield
        finally:
            if enlarged and self._db is not None:
                self._cache(_CACHE_KIB)

    def _cache(self, kib: int) -> None:
        try:
            # PRAGMA takes no parameters; `kib` is one of this module's constants.
            self._live().execute(f"PRAGMA cache_size = -{int(kib)}")
        except sqlite3.Error as exc:
            raise self._error("configure", exc) from exc

    def _read_beside_commit(self, sql: str, params: Sequence[object]) -> list[Any]:
        # WAL mode: a second connection reads the last committed state while one commits.
        try:
            if self._reader is None:
                self._reader = sqlite3.connect(
                    self.path, timeout=_BUSY_TIMEOUT_MS / 1e3, check_same_thread=False
                )
            return self._reader.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._error("read from", exc) from exc

    def close(self) -> None:
        """Release the database and the reader beside it; closing twice is harmless."""
        try:
            super().close()
        finally:
            if self._reader is not None:
                self._reader.close()
                self._reader = None

    @classmethod
    def open(cls, path: str) -> SQLiteStore:
        """The store at `path` (or `:memory:`), configured and migrated to the current schema."""
        if path != MEMORY and os.path.isdir(path):
            raise StoreError(
                f"{path}: is a directory, not a store file; name a file in it such as "
                f"{os.path.join(path, 'sitroom.db')}, or {FIX}"
            )
        if path != MEMORY and _on_read_only_filesystem(path):
            return cls(_open_frozen(path), path=path)
        try:
            # isolation_level=None: transactions are begun and ended here, explicitly.
            # check_same_thread=False: `add_soon` commits on the store's own thread; the
            # store never uses the connection from two threads at once.
            connection = sqlite3.connect(
                path,
                isolation_level=None,
                timeout=_BUSY_TIMEOUT_MS / 1e3,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise _open_error(path, exc) from exc
        try:
            _configure(connection, memory=path == MEMORY)
            prepare(_SQLiteDatabase(connection), name=path)
        except sqlite3.Error as exc:
            connection.close()
            raise _open_error(path, exc) from exc
        except BaseException:
            connection.close()
            raise
        return cls(connection, path=path)

    def _advice(self, exc: Exception) -> str:
        return _advice(exc)


class _SQLiteDatabase:
    """A sqlite3 connection as a `Database`: its own `?` placeholders, `user_version`."""

    dialect = SQLITE
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor:
        return self.connection.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        self.connection.executemany(sql, rows)

    def inserted(self, sql: str, rows: Sequence[Sequence[object]]) -> set[object]:
        return {row[0] for row in rows if self.connection.execute(sql, row).rowcount == 1}

    def pipeline(self) -> contextlib.nullcontext[None]:
        # An embedded database answers at once: nothing to gain from queueing statements.
        return contextlib.nullcontext()

    def migrating(self) -> contextlib.nullcontext[None]:
        # Each migration's BEGIN IMMEDIATE already keeps other processes out.
        return contextlib.nullcontext()

    def begin_write(self) -> None:
        # BEGIN IMMEDIATE takes the write lock at once, so two writers queue instead of
        # deadlocking half-way through a batch.
        self.connection.execute("BEGIN IMMEDIATE")

    @contextlib.contextmanager
    def sorting(self) -> Iterator[None]:
        # SQLite sorts an index's keys in runs the size of the page cache, merged at the end;
        # with helper threads, a run is sorted in the background while the next is read. One
        # run the size of a bulk load's cache (256 MB) sorts in one thread, its keys spread
        # far beyond the CPU's caches. Building the 35 indexes a load of 80,000 generated
        # articles held back took 8.5 s with that cache, 8.0-8.2 s with 1 MB runs, and
        # 6.4-6.7 s with 1-2 MB runs and two helper threads on 2 cores (10 s of CPU).
        connection = self.connection
        cache = connection.execute("PRAGMA cache_size").fetchone()[0]
        threads = connection.execute("PRAGMA threads").fetchone()[0]
        # PRAGMA takes no parameters; these are ints from this module or from SQLite.
        connection.execute(f"PRAGMA cache_size = -{_SORT_RUN_KIB}")
        connection.execute(f"PRAGMA threads = {_sort_threads()}")
        try:
            yield
        finally:
            connection.execute(f"PRAGMA threads = {int(threads)}")
            connection.execute(f"PRAGMA cache_size = {int(cache)}")

    @contextlib.contextmanager
    def steady_indexes(self) -> Iterator[None]:
        # One read transaction: in WAL mode it reads one snapshot to its end, the schema
        # included, so an index dropped meanwhile is still there for it.
        if self.connection.in_transaction:
            yield
            return
        self.connection.execute("BEGIN")
        try:
            yield
        finally:
            self.rollback()

    def rollback(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    def schema_version(self) -> int:
        return int(self.connection.execute("PRAGMA user_version").fetchone()[0])

    def set_schema_version(self, version: int) -> None:
        # PRAGMA takes no parameters; `version` is an int from this package, never user input.
        self.connection.execute(f"PRAGMA user_version = {int(version)}")

    def migration_statements(self, migration: Migration) -> tuple[str, ...]:
        return migration.statements

    def close(self) -> None:
        self.connection.close()


def _on_read_only_filesystem(path: str) -> bool:
    """Whether an existing store lies on a filesystem mounted read-only."""
    try:
        return os.path.isfile(path) and bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _open_frozen(path: str) -> sqlite3.Connection:
    """A store on a read-only filesystem, for reading: nobody can write it there, so SQLite may
    skip the WAL index it cannot create (`immutable=1`). Writes fail with a clear error."""
    uri = f"file:{urllib.parse.quote(os.path.abspath(path))}?immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None)
        version = _SQLiteDatabase(connection).schema_version()
    except sqlite3.Error as exc:
        raise _open_error(path, exc) from exc
    if version != SCHEMA_VERSION:
        connection.close()
        raise StoreError(
            f"{path}: the store is on a read-only filesystem and has schema version {version}, "
            f"not {SCHEMA_VERSION}; it cannot be migrated there: copy it to a writable disk, "
            f"or {FIX}"
        )
    return connection


def _configure(connection: sqlite3.Connection, *, memory: bool) -> None:
    # Rows stay plain tuples, as PostgreSQL's driver gives them: the store reads columns by
    # position, and a sqlite3.Row costs three times a tuple to fetch (a catch-up's 32,000 band
    # rows: 59 ms against 21).
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


def _sort_threads() -> int:
    """Helper threads an index build may sort with: one per core this process may use, none
    on a single core (where a helper only takes turns with the reader)."""
    cores = usable_cores()
    return min(cores, 8) if cores > 1 else 0


#: Free bytes under which an I/O error on opening is put down to a full disk.
_NEARLY_FULL_BYTES = 1 << 20


def _open_error(path: str, exc: sqlite3.Error) -> StoreError:
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
        return StoreError(f"{path}: not a SQLite database ({exc}); {FIX}, or move this file away")
    if _disk_is_full(path, exc):
        return StoreError(f"{path}: cannot open the store ({exc}); {_FULL}")
    return StoreError(f"{path}: cannot open the store ({exc}); {_advice(exc)}")


def _disk_is_full(path: str, exc: sqlite3.Error) -> bool:
    """Whether an I/O error comes from a full disk: opening in WAL mode must create the
    `-shm` index, and on a full disk that fails as SQLITE_IOERR_* rather than SQLITE_FULL."""
    if not getattr(exc, "sqlite_errorname", "").startswith("SQLITE_IOERR") or path == MEMORY:
        return False
    try:
        return shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


_FULL = f"the disk is full; free some space, or {FIX}"


def _advice(exc: Exception) -> str:
    name = getattr(exc, "sqlite_errorname", "")
    if name in {"SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PERM"}:
        return f"check that the file and its directory exist and are writable, or {FIX}"
    if name == "SQLITE_BUSY":
        return "another process holds the database; wait for it to finish and try again"
    if name == "SQLITE_FULL":
        return _FULL
    return f"check the file, or {FIX}"
