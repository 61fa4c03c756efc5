"""The server's store connections: reads side by side on their own threads, writes apart."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

import sitroom
from sitroom.errors import StoreError
from sitroom.store import Store
from sitroom.web.storage import StorePool, shares_one_database


def _extraction(text: str, article_id: str) -> sitroom.Extraction:
    return sitroom.extract(text, published="2022-05-03", id=article_id)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "pool.db"
    with sitroom.open_store(path) as store:
        store.add([_extraction("Shelling killed 3 people in Kharkiv.", "a1")])
    return path


def test_a_slow_read_does_not_hold_up_the_next_one(db: Path, run: Any) -> None:
    pool = StorePool(str(db), readers=2)
    release = threading.Event()

    def slow(store: Store) -> int:
        release.wait(timeout=10)
        return store.counts().articles

    async def both() -> tuple[int, int, bool]:
        first = asyncio.ensure_future(pool.run(slow))
        second = await pool.run(lambda store: store.counts().articles)
        waiting = not first.done()
        release.set()
        return await first, second, waiting

    try:
        first, second, waiting = run(both())
    finally:
        pool.close()
    assert (first, second) == (1, 1)
    assert waiting, "the second read was answered while the first still ran"


def test_each_reading_thread_has_a_connection_of_its_own(db: Path, run: Any) -> None:
    pool = StorePool(str(db), readers=3)
    barrier = threading.Barrier(3, timeout=10)

    def whose(store: Store) -> tuple[int, int]:
        barrier.wait()  # all three at once: each on its own thread
        return threading.get_ident(), id(store)

    async def three() -> list[tuple[int, int]]:
        return list(await asyncio.gather(*(pool.run(whose) for _ in range(3))))

    try:
        seen = run(three())
    finally:
        pool.close()
    assert len({thread for thread, _ in seen}) == 3
    assert len({store for _, store in seen}) == 3


def test_what_is_written_is_read_on_the_other_threads(db: Path, run: Any) -> None:
    pool = StorePool(str(db), readers=2)

    async def write_then_read() -> int:
        extraction = _extraction("About 2,000 people fled Izium.", "a2")
        await pool.write(lambda store: store.add([extraction]))
        return await pool.run(lambda store: store.counts().articles)

    try:
        assert run(write_then_read()) == 2
    finally:
        pool.close()


def test_an_in_memory_store_is_read_and_written_on_one_connection(run: Any) -> None:
    assert shares_one_database(":memory:") and shares_one_database("sqlite:///:memory:")
    assert not shares_one_database("sitroom.db")
    pool = StorePool(":memory:")

    async def write_then_read() -> int:
        extraction = _extraction("Shelling killed 3 people in Kharkiv.", "m1")
        await pool.write(lambda store: store.add([extraction]))
        return await pool.run(lambda store: store.counts().articles)

    try:
        assert run(write_then_read()) == 1
    finally:
        pool.close()
        pool.close()  # twice is harmless


def test_a_store_that_cannot_be_opened_fails_at_once(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        StorePool(str(tmp_path))


def test_the_pool_reads_what_it_wrote_on_postgresql(postgres_url: str, run: Any) -> None:
    pool = StorePool(postgres_url, readers=2)

    async def write_then_read() -> tuple[int, int]:
        extraction = _extraction("Shelling killed 3 people in Kharkiv.", "p1")
        await pool.write(lambda store: store.add([extraction]))
        counted = [pool.run(lambda store: store.counts().articles) for _ in range(4)]
        first, *others = await asyncio.gather(*counted)
        return first, min(others)

    try:
        assert run(write_then_read()) == (1, 1)
    finally:
        pool.close()
