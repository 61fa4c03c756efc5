"""Crash safety of `sitroom ingest` (issue 10, part 5): kill -9 it anywhere, run it again, and
the store holds every article once, with exactly the facts of one clean run.

Each case kills the same ingest five times at seeded random points (a random number more
articles stored, then up to 0.2 s more, so the kill lands anywhere in a batch), checks after
each kill that whatever is stored is whole, then lets the ingest finish and compares the
store with a clean single-process run, part by part. The engines and backends differ in who
writes and how; the promise is the same: a batch is one transaction.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

import pytest

from sitroom.engine import ingest
from sitroom.store import open_store
from sitroom.store.bulk import indexes
from sitroom.store.sql import SQLStore
from test_backfill import FreshStore, assert_same_store, fresh_stores, snapshot, write_corpus

ARTICLES = 240
BATCH = 10
ROUNDS = 5
FACTS = ("places", "times", "figures", "events")


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's SITROOM_DB must never receive test data."""
    monkeypatch.delenv("SITROOM_DB", raising=False)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("crash") / "corpus.jsonl", ARTICLES, seed=17)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_store(request: pytest.FixtureRequest, tmp_path: Path) -> FreshStore:
    """Makes fresh stores of one backend: SQLite files, or PostgreSQL databases."""
    return fresh_stores(request, tmp_path)


def _clean(corpus: Path, url: str) -> dict[str, Any]:
    """The store of one uninterrupted single-process ingest of the corpus."""
    with open_store(url) as store:
        ingest([corpus], store=store, batch_size=BATCH)
        return snapshot(store)


def _stored_articles(url: str) -> int:
    """Articles committed so far, read from outside the ingest; 0 before the schema exists."""
    if url.startswith(("postgresql://", "postgres://")):
        import psycopg

        try:
            with psycopg.connect(url, connect_timeout=5) as connection:
                row = connection.execute("SELECT count(*) FROM articles").fetchone()
                return int(row[0]) if row else 0
        except psycopg.Error:
            return 0
    if not Path(url).exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{url}?mode=ro", uri=True, timeout=5)) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


class Ingest:
    """`sitroom ingest` of the corpus into a store, as a process of its own to kill."""

    def __init__(self, url: str, corpus: Path, engine: tuple[str, ...]) -> None:
        self.command = [sys.executable, "-m", "sitroom", "ingest", "--db", url, *engine]
        self.command += ["--batch-size", str(BATCH), str(corpus)]
        self.url = url

    def start(self) -> subprocess.Popen[bytes]:
        # A session of its own: what it leaves (Dask workers) can be found and reaped.
        return subprocess.Popen(
            self.command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def kill_at_random(self, rng: random.Random) -> int:
        """Start it, SIGKILL it once a random number more articles are stored; that count."""
        already = _stored_articles(self.url)
        target = already + rng.randrange(1, max(2, (ARTICLES - already) // 2))
        process = self.start()
        deadline = time.monotonic() + 300
        while _stored_articles(self.url) < target and process.poll() is None:
            assert time.monotonic() < deadline, "the ingest made no progress"
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.2))  # land anywhere in a batch, not just after a commit
        process.send_signal(signal.SIGKILL)
        process.wait()
        _reap(process)
        return _stored_articles(self.url)

    def finish(self) -> None:
        process = self.start()
        try:
            assert process.wait(timeout=600) == 0
        finally:
            _reap(process)


def _reap(process: subprocess.Popen[bytes]) -> None:
    """Kill what the killed ingest left in its session: Dask's workers, if they outlive it."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _facts_by_article(view: dict[str, Any]) -> dict[str, dict[str, list[Any]]]:
    found: dict[str, dict[str, list[Any]]] = defaultdict(lambda: {kind: [] for kind in FACTS})
    for kind in FACTS:
        for fact in view[kind]:
            found[fact.article_id][kind].append(fact)
    return found


ENGINES = {
    "local": (),
    "dask": ("--engine", "dask", "--workers", "2"),
}


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_kill_9_anywhere_then_again_stores_everything_once(
    engine: str, fresh_store: FreshStore, corpus: Path
) -> None:
    if engine == "dask":
        pytest.importorskip("distributed")
    with fresh_store() as clean_url, fresh_store() as victim_url:
        clean = _clean(corpus, clean_url)
        _kill_and_finish(Ingest(victim_url, corpus, ENGINES[engine]), clean, clean_url)


def _indexes(url: str) -> set[str]:
    """The names of the store's indexes (a PostgreSQL definition names its schema)."""
    with open_store(url) as store:
        assert isinstance(store, SQLStore)
        return set(indexes(store._live()))


def _kill_and_finish(job: Ingest, clean: dict[str, Any], clean_url: str) -> None:
    expected = _facts_by_article(clean)
    # SITROOM_CRASH_SEED=N replays the kills of a failure's message ("seed N, round ...").
    seed = int(os.environ.get("SITROOM_CRASH_SEED") or random.randrange(1 << 30))
    rng = random.Random(seed)
    for round_number in range(ROUNDS):
        stored = job.kill_at_random(rng)
        where = f"seed {seed}, round {round_number}, {stored} articles stored at the kill"
        with open_store(job.url) as store:
            partial = snapshot(store)
        assert partial["counts"].articles == stored, where
        # Whatever was stored at the kill is whole: each article with all of its facts.
        for article_id, facts in _facts_by_article(partial).items():
            assert facts == expected[article_id], (where, article_id)

    job.finish()
    with open_store(job.url) as store:
        final = snapshot(store)
    assert final["counts"].articles == ARTICLES, f"seed {seed}"
    assert_same_store(final, clean)
    # The listing indexes a killed run held back (`sitroom.store.bulk`) are built again.
    assert _indexes(job.url) == _indexes(clean_url), f"seed {seed}"
