"""`add_soon`: a SQLite file's or a PostgreSQL store's commit runs beside what comes next, and
nothing is lost by it."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from sitroom.engine import IngestReport, ingest
from sitroom.errors import StoreError
from sitroom.model import Article, Extraction
from sitroom.store import AddResult, open_store
from sitroom.store.postgres import PostgresStore
from sitroom.store.sql import SQLStore


def _extraction(number: int) -> Extraction:
    return Extraction(Article.create(f"Report {number}: shelling near the river crossing."))


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SQLStore]:
    """A store whose `add_soon` leaves work running: a SQLite file, or a PostgreSQL store."""
    url = str(tmp_path / "s.db")
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    with open_store(url) as opened:
        assert isinstance(opened, SQLStore)
        yield opened


def _held_commits(store: SQLStore, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Commits wait until the returned event is set."""
    release = threading.Event()
    commit = store._commit

    def held(*args: Any) -> AddResult:
        assert release.wait(10)
        return commit(*args)

    monkeypatch.setattr(store, "_commit", held)
    return release


def test_the_future_holds_what_add_returns_and_reads_wait_for_the_commit(
    store: SQLStore,
) -> None:
    future = store.add_soon([_extraction(1), _extraction(2)])
    assert store.counts().articles == 2
    assert future.result() == AddResult(added=2, present=0)


def test_present_ids_beside_a_running_commit_sees_what_was_committed_before(
    store: SQLStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _extraction(1), _extraction(2)
    store.add([first])
    release = _held_commits(store, monkeypatch)
    future = store.add_soon([second])
    ids = [first.article.id, second.article.id]
    assert store.present_ids(ids) == {first.article.id}  # answered while the commit waits
    assert not future.done()
    release.set()
    assert future.result().added == 1
    assert store.present_ids(ids) == set(ids)


def _driver_error(store: SQLStore, message: str) -> Exception:
    """An error of the store's driver, as a failing server or disk raises it."""
    if isinstance(store, PostgresStore):
        return psycopg.OperationalError(message)
    return sqlite3.OperationalError(message)


def test_a_failed_commit_is_raised_by_its_future_and_stores_nothing(
    store: SQLStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    db: Any = store._db
    execute = db.execute

    def fail_commit(sql: str, params: Any = ()) -> Any:
        if sql == "COMMIT":
            raise _driver_error(store, "disk I/O error")
        return execute(sql, params)

    monkeypatch.setattr(db, "execute", fail_commit)
    future = store.add_soon([_extraction(1)])
    with pytest.raises(StoreError, match=r"cannot write to the store \(disk I/O error\)"):
        future.result()
    monkeypatch.setattr(db, "execute", execute)
    assert store.counts().articles == 0
    assert store.add([_extraction(1)]).added == 1


def test_a_connection_lost_during_the_commit_fails_its_future_and_keeps_the_batches_before_it(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 10: the commit thread ends the pipeline, so the server's error can come after
    # `add_soon` returned; it reaches the future, and what was stored before stays.
    with open_store(postgres_url) as store:
        assert isinstance(store, PostgresStore)
        store.add([_extraction(1)])
        release = _held_commits(store, monkeypatch)
        future = store.add_soon([_extraction(2), _extraction(3)])
        with psycopg.connect(postgres_url, autocommit=True) as other:
            pid = store._postgres.connection.info.backend_pid
            other.execute("SELECT pg_terminate_backend(%s)", (pid,))
        release.set()
        with pytest.raises(StoreError, match="connection to the server was lost"):
            future.result()
        assert store.counts().articles == 1
        assert store.add([_extraction(2), _extraction(3)]).added == 2
        assert store.counts().articles == 3


def test_ingest_raises_a_failed_commit_and_keeps_the_batches_before_it(
    store: SQLStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[IngestReport] = []
    db: Any = store._db
    execute, commits = db.execute, []

    def fail_second_commit(sql: str, params: Any = ()) -> Any:
        if sql == "COMMIT":
            commits.append(sql)
            if len(commits) == 2:
                raise _driver_error(store, "database or disk is full")
        return execute(sql, params)

    monkeypatch.setattr(db, "execute", fail_second_commit)
    lines = tmp_path / "lines.jsonl"
    lines.write_text(
        "\n".join(f'{{"text": "Report {n}: shelling near the river."}}' for n in range(5))
    )
    with pytest.raises(StoreError, match=r"cannot write to the store \(database or disk"):
        ingest([lines], store=store, batch_size=2, progress=seen.append, extract=Extraction)
    assert [report.added for report in seen] == [2]
    assert store.counts().articles == 2
