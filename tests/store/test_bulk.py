"""Listing indexes held back through a bulk load (`sitroom.store.bulk`, `SQLStore.bulk`)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, closing
from pathlib import Path
from typing import Any

import pytest

from sitroom.engine import IngestReport, ingest
from sitroom.errors import StoreError
from sitroom.extract import run
from sitroom.model import Extraction
from sitroom.sources import read_articles
from sitroom.store import bulk, open_store, sqlite
from sitroom.store import sql as store_sql
from sitroom.store.bulk import BAND_INDEX, DEFERRABLE_INDEXES, BulkLoad
from sitroom.store.schema import COLUMNS, FACT_TABLES, UNIQUE_KEYS
from sitroom.store.sql import SQLStore
from test_backfill import snapshot, write_corpus

#: Indexes a bulk load keeps up, and why: `add` reads them. The band key index, which `add`
#: reads too, is held back: the load reads it in memory.
KEPT = {
    "incidents_candidates": "filing reads the candidate incidents",
    "incident_reports_incident": "filing reads an incident's sources",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Callable[[], AbstractContextManager[str]]:
    """Makes fresh stores of one backend: SQLite files, or PostgreSQL schemas."""
    from test_backfill import fresh_stores

    return fresh_stores(request, tmp_path)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("bulk") / "corpus.jsonl", 60, seed=5)


@pytest.fixture(scope="module")
def extractions(corpus: Path) -> list[Extraction]:
    return [run(article) for article in read_articles([corpus])]


def indexes(store: SQLStore) -> dict[str, str]:
    """The store's indexes by name, with the statement that builds each."""
    return bulk.indexes(store._live())


def held_back(store: SQLStore) -> set[str]:
    return {row[0] for row in store._query("SELECT name FROM deferred_indexes", ())}


def opened(url: str) -> SQLStore:
    store = open_store(url)
    assert isinstance(store, SQLStore)
    return store


def test_every_index_is_held_back_or_kept_for_a_reason(
    fresh_url: Callable[[], AbstractContextManager[str]],
) -> None:
    with fresh_url() as url, closing(opened(url)) as store:
        # PostgreSQL lists its primary keys' indexes too; a new index must be put in one set
        # or the other.
        names = {name for name in indexes(store) if not name.endswith("_pkey")}
        assert names == DEFERRABLE_INDEXES | set(KEPT)
        assert not DEFERRABLE_INDEXES & set(KEPT)


def test_an_ingest_into_a_new_store_holds_indexes_back_and_builds_them_at_its_end(
    fresh_url: Callable[[], AbstractContextManager[str]], corpus: Path
) -> None:
    with fresh_url() as url, closing(opened(url)) as store:
        before = indexes(store)
        seen: list[tuple[set[str], set[str]]] = []

        def look(report: IngestReport) -> None:
            seen.append((set(indexes(store)), held_back(store)))

        report = ingest([corpus], store=store, batch_size=20, progress=look)
        assert report.added == 60 and len(seen) == 3
        for present, recorded in seen:
            assert recorded == DEFERRABLE_INDEXES
            assert present == set(before) - DEFERRABLE_INDEXES
        assert indexes(store) == before
        assert held_back(store) == set()


def test_listings_answer_the_same_while_indexes_are_held_back(
    fresh_url: Callable[[], AbstractContextManager[str]], extractions: list[Extraction]
) -> None:
    with fresh_url() as url, closing(opened(url)) as store:
        store.add(extractions)
        expected = snapshot(store)
        with store.bulk(after=0):
            store.add([])
            assert held_back(store) == DEFERRABLE_INDEXES
            assert snapshot(store) == expected
        assert held_back(store) == set()
        assert snapshot(store) == expected


def filtered(store: SQLStore) -> dict[str, Any]:
    """The listings by measure, event type and sub-type, each of every value stored."""
    figures, events = store.figures(), store.events()
    return {
        "measures": {m: store.figures(measure=m) for m in {f.measure for f in figures}},
        "types": {t: store.events(type=t) for t in {e.type for e in events}},
        "subtypes": {t: store.events(type=t) for t in {e.subtype for e in events}},
    }


def test_filtered_listings_answer_the_same_while_their_order_is_held_back(
    fresh_url: Callable[[], AbstractContextManager[str]],
    extractions: list[Extraction],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every filter counts as matching many facts: each listing would walk its own order index.
    monkeypatch.setattr(store_sql, "_FEW", 1)
    with fresh_url() as url, closing(opened(url)) as store:
        store.add(extractions)
        expected = filtered(store)
        assert all(expected.values())
        with store.bulk(after=0):
            store.add([])
            assert {"figures_measure_order", "events_type_order"} <= held_back(store)
            assert filtered(store) == expected


def test_a_listing_walks_an_order_index_that_a_load_drops_half_way_through(
    tmp_path: Path, extractions: list[Extraction], monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite names the index it walks: a reader that found it there must still find it.
    path = str(tmp_path / "s.db")
    with closing(opened(path)) as reader, closing(opened(path)) as loader:
        loader.add(extractions)
        expected = reader.places()
        walkable = reader._walkable

        def then_held_back(listing: Any) -> bool:
            answer = walkable(listing)
            db = loader._live()
            db.begin_write()
            bulk.defer_indexes(db)
            db.execute("COMMIT")
            return answer

        monkeypatch.setattr(reader, "_walkable", then_held_back)
        assert reader.places() == expected
        assert "places_order" in held_back(loader)


def test_a_sqlite_load_reads_through_a_larger_page_cache_until_it_ends(
    tmp_path: Path, extractions: list[Extraction]
) -> None:
    with closing(opened(str(tmp_path / "s.db"))) as store:

        def cache_kib() -> int:
            return -int(store._query("PRAGMA cache_size", ())[0][0])

        usual = cache_kib()
        with store.bulk():
            store.add(extractions[:10])
            assert cache_kib() > usual
        assert cache_kib() == usual
        with pytest.raises(RuntimeError, match="failed"), store.bulk():
            assert cache_kib() > usual
            raise RuntimeError("failed")
        assert cache_kib() == usual


def test_a_sqlite_build_sorts_in_small_runs_with_helper_threads_then_restores_the_cache(
    tmp_path: Path, extractions: list[Extraction], monkeypatch: pytest.MonkeyPatch
) -> None:
    with closing(opened(str(tmp_path / "s.db"))) as store:
        db = store._live()
        assert isinstance(db, sqlite._SQLiteDatabase)
        connection = db.connection

        def settings() -> tuple[int, int]:
            cache = connection.execute("PRAGMA cache_size").fetchone()[0]
            return int(cache), int(connection.execute("PRAGMA threads").fetchone()[0])

        usual = settings()
        while_building: list[tuple[int, int]] = []
        execute = db.execute

        def watched(sql: str, params: Sequence[object] = ()) -> sqlite3.Cursor:
            if sql.startswith("CREATE INDEX"):
                while_building.append(settings())
            return execute(sql, params)

        monkeypatch.setattr(db, "execute", watched)
        with store.bulk():
            store.add(extractions[:10])
        assert while_building
        assert set(while_building) == {(-sqlite._SORT_RUN_KIB, sqlite._sort_threads())}
        assert settings() == usual
        with pytest.raises(RuntimeError, match="failed"), db.sorting():
            raise RuntimeError("failed")
        assert settings() == usual


def test_a_load_that_fails_still_builds_the_indexes_it_held_back(
    fresh_url: Callable[[], AbstractContextManager[str]], extractions: list[Extraction]
) -> None:
    with fresh_url() as url, closing(opened(url)) as store:
        before = indexes(store)
        with pytest.raises(RuntimeError, match="extractor failed"), store.bulk():
            store.add(extractions[:30])
            assert held_back(store) == DEFERRABLE_INDEXES
            raise RuntimeError("extractor failed")
        assert indexes(store) == before
        assert store.counts().articles == 30


def test_a_load_that_is_part_of_another_leaves_the_build_to_that_one(
    fresh_url: Callable[[], AbstractContextManager[str]], extractions: list[Extraction]
) -> None:
    # A Dask worker's load is part of its client's: the client builds, once, at its end.
    with fresh_url() as url, closing(opened(url)) as client, closing(opened(url)) as worker:
        before = indexes(client)
        with client.bulk():
            for part in (extractions[:30], extractions[30:]):
                with worker.bulk(after=0, part=True):
                    worker.add(part)
                assert held_back(client) == DEFERRABLE_INDEXES  # the part left them held back
        assert indexes(client) == before
        assert held_back(client) == set()
        assert client.counts().articles == 60


def test_a_small_load_into_a_larger_store_keeps_its_indexes_up(
    fresh_url: Callable[[], AbstractContextManager[str]], extractions: list[Extraction]
) -> None:
    with fresh_url() as url, closing(opened(url)) as store:
        store.add(extractions[:50])
        with store.bulk():
            store.add(extractions[50:54])  # fewer than a tenth of the 50 stored
            store.add(extractions[54:55])
            assert held_back(store) == set()
            store.add(extractions[55:56])  # 5 added by now: a tenth
            # The band key index only once linking in memory pays for reading the store.
            assert held_back(store) == DEFERRABLE_INDEXES - {BAND_INDEX}
            assert store._bulk is not None and store._bulk.links is None
        assert held_back(store) == set()


def test_a_larger_load_links_in_memory_after_a_third_of_what_the_store_held(
    fresh_url: Callable[[], AbstractContextManager[str]], extractions: list[Extraction]
) -> None:
    with fresh_url() as url, closing(opened(url)) as store:
        store.add(extractions[:40])
        with store.bulk():
            store.add(extractions[40:44])  # 4 added by now: a tenth of the 40 stored
            store.add(extractions[44:54])
            assert held_back(store) == DEFERRABLE_INDEXES - {BAND_INDEX}
            store.add(extractions[54:])  # 14 added by now: .35 of the 40 stored
            assert held_back(store) == DEFERRABLE_INDEXES
            assert store._bulk is not None and store._bulk.links is not None
        assert held_back(store) == set()


@pytest.mark.parametrize(
    ("stored", "after", "links_after"),
    [(0, 0, 0), (9, 0, 3), (10, 1, 3), (40_000, 4_000, 14_000)],
)
def test_a_load_holds_back_after_a_tenth_of_what_the_store_held(
    stored: int, after: int, links_after: int
) -> None:
    load = BulkLoad.into(stored)
    assert (load.after, load.links_after) == (after, links_after)
    assert BulkLoad.into(stored, after=7) == BulkLoad(after=7, links_after=7)
    assert not BulkLoad(after=5, added=4).due
    assert BulkLoad(after=5, added=5).due
    assert not BulkLoad(after=5, added=9, deferred=True).due
    assert not BulkLoad(after=5, links_after=9, added=8).links_due
    assert BulkLoad(after=5, links_after=9, added=9).links_due


def test_a_second_load_on_the_same_store_is_refused(tmp_path: Path) -> None:
    with closing(opened(str(tmp_path / "s.db"))) as store, store.bulk():
        cache = store._query("PRAGMA cache_size", ())
        with pytest.raises(StoreError, match="already in progress"), store.bulk():
            pass
        assert store._query("PRAGMA cache_size", ()) == cache  # the first load's, still


def _killed_in_a_load(url: str, corpus: Path) -> dict[str, str]:
    """A process that holds the indexes back, stores a batch and dies without cleaning up;
    the new store's indexes before it."""
    with closing(opened(url)) as store:
        before = indexes(store)
    script = textwrap.dedent(
        f"""
        import os
        from sitroom.extract import run
        from sitroom.sources import read_articles
        from sitroom.store import open_store
        store = open_store({url!r})
        load = store.bulk(after=0)
        load.__enter__()
        store.add([run(a) for a in read_articles([{str(corpus)!r}])][:20])
        os._exit(9)
        """
    )
    assert subprocess.run([sys.executable, "-c", script], check=False).returncode == 9
    return before


def test_the_next_write_builds_what_a_killed_load_held_back(
    fresh_url: Callable[[], AbstractContextManager[str]],
    corpus: Path,
    extractions: list[Extraction],
) -> None:
    with fresh_url() as url:
        before = _killed_in_a_load(url, corpus)
        with closing(opened(url)) as store:
            assert held_back(store) == DEFERRABLE_INDEXES
            # Readers work meanwhile: nothing they name is missing.
            listed: dict[str, Any] = snapshot(store)
            assert listed["counts"].articles == 20
            store.add(extractions[20:30])
            assert indexes(store) == before
            assert held_back(store) == set()
            assert store.counts().articles == 30


def test_an_ingest_run_again_after_a_kill_builds_the_indexes(
    fresh_url: Callable[[], AbstractContextManager[str]], corpus: Path
) -> None:
    with fresh_url() as url:
        before = _killed_in_a_load(url, corpus)
        with closing(opened(url)) as store:
            report = ingest([corpus], store=store, batch_size=25)
            assert (report.added, report.present) == (40, 20)
            assert indexes(store) == before
            assert held_back(store) == set()


def test_a_store_from_before_the_unique_keys_keeps_its_rows_and_gets_keys_a_load_holds_back(
    fresh_url: Callable[[], AbstractContextManager[str]],
    extractions: list[Extraction],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Migration 0013 copies the facts and incident reports into tables whose key is unique by
    # an index; here over a store a killed load left with its listing indexes held back.
    copied = tuple(UNIQUE_KEYS)
    with fresh_url() as url, fresh_url() as alone_url:
        with monkeypatch.context() as patch:
            patch.setattr("sitroom.store.sql.SCHEMA_VERSION", 12)
            with closing(opened(url)) as store:
                store.add(extractions[:30])
                db = store._live()
                db.begin_write()
                bulk.defer_indexes(db)
                db.execute("COMMIT")
                held = held_back(store)
                rows = {t: sorted(store._query(f"SELECT * FROM {t}", ())) for t in copied}
        assert {f"{t}_order" for t in FACT_TABLES} <= held
        assert all(len(rows[t]) > 20 for t in copied)
        with closing(opened(url)) as store:
            assert {t: sorted(store._query(f"SELECT * FROM {t}", ())) for t in copied} == rows
            keys = {index for _, index in UNIQUE_KEYS.values()}
            assert keys | {f"{t}_order" for t in FACT_TABLES} <= set(indexes(store))
            assert held_back(store) == {name for name in held if not name.startswith(copied)}
            db = store._live()
            for table in copied:
                columns = ", ".join(COLUMNS[table])
                with pytest.raises(db.errors):
                    db.execute(f"INSERT INTO {table} SELECT {columns} FROM {table} LIMIT 1")
                db.rollback()
            store.add(extractions[30:])
            assert held_back(store) == set()
            with closing(opened(alone_url)) as alone:
                alone.add(extractions)
                assert snapshot(store) == snapshot(alone)
                # PostgreSQL names each index's schema, which differs from store to store.
                assert _unqualified(indexes(store)) == _unqualified(indexes(alone))


def _unqualified(definitions: dict[str, str]) -> dict[str, str]:
    return {name: re.sub(r" ON \w+\.", " ON ", text) for name, text in definitions.items()}
