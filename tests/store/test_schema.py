"""Schema and migrations: a fresh database gets them all, once, and a newer one is refused."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from sitroom.errors import SchemaVersionError
from sitroom.model import Event, Figure, PlaceMention, Span, TimeMention, Window
from sitroom.store import Fact, fact_id, open_store
from sitroom.store.schema import COLUMNS, MIGRATIONS, SCHEMA_VERSION


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def _migrations(path: Path) -> list[tuple[str, str]]:
    with _raw(path) as connection:
        return connection.execute(
            "SELECT name, applied_at FROM migrations ORDER BY name"
        ).fetchall()


def test_fresh_database_gets_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    open_store(path).close()
    assert [name for name, _ in _migrations(path)] == [m.name for m in MIGRATIONS]
    with _raw(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_reopening_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    open_store(path).close()
    first = _migrations(path)
    open_store(path).close()
    assert _migrations(path) == first


def test_an_older_database_gets_only_the_missing_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.db"
    with monkeypatch.context() as patch:
        patch.setattr("sitroom.store.sql.SCHEMA_VERSION", 1)
        open_store(path).close()
    assert [name for name, _ in _migrations(path)] == [MIGRATIONS[0].name]
    with open_store(path) as store:
        assert store.events(type="Battles") == []
    assert [name for name, _ in _migrations(path)] == [m.name for m in MIGRATIONS]
    with _raw(path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    open_store(path).close()
    with _raw(path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaVersionError, match=rf"s\.db.*version {SCHEMA_VERSION + 1}.*upgrade"):
        open_store(path)


def test_columns_match_the_tables() -> None:
    with sqlite3.connect(":memory:") as connection:
        for migration in MIGRATIONS:
            for statement in migration.statements:
                connection.execute(statement)
        for table, columns in COLUMNS.items():
            info = connection.execute(f"PRAGMA table_info({table})").fetchall()
            assert tuple(row[1] for row in info) == columns


def test_file_store_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as store:
        connection = store._db.connection  # type: ignore[attr-defined]
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    with _raw(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_fact_ids_are_stable_and_distinct() -> None:
    span = Span(3, 8)
    window = Window.day(dt.date(2019, 12, 23))
    facts: list[Fact] = [
        PlaceMention("a1", span, "Idlib", None, 0.5),
        TimeMention("a1", span, "Monda", window, "day"),
        Figure("a1", span, "12", 12, "exact", "people", "killed", Span(0, 10)),
        Figure("a1", span, "12", 12, "exact", "people", "injured", Span(0, 10)),
        Event("a1", span, "Battles", "Armed clash", window),
        PlaceMention("a2", span, "Idlib", None, 0.5),
    ]
    ids = [fact_id(fact) for fact in facts]
    assert len(set(ids)) == len(ids)
    # The id depends on what the fact is, not on how sure the extractor was.
    assert fact_id(PlaceMention("a1", span, "Idlib", None, 0.9)) == ids[0]
    assert ids[0] == fact_id(PlaceMention("a1", Span(3, 8), "Idlib", None, 0.5))
