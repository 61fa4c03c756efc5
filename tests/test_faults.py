"""Faults under a store: disk full, read-only, locked, kill -9 mid-ingest, and a PostgreSQL server
restarted mid-ingest (issue 11, item 4).

Each fault must give a clear error (the path, what happened, what to do; exit code 3 from the
CLI) and leave the store as it was before the failed batch: readable, consistent, and able to
take the same ingest again once the fault is gone. Real faults where the machine allows: a
small tmpfs fills up for real and remounts read-only, which needs root (skipped otherwise);
SQLite's own page limit stands in for a full disk everywhere else.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import sitroom
from sitroom.cli import main
from sitroom.errors import StoreError
from sitroom.model import Extraction
from sitroom.sources import article_from_text
from sitroom.store import Counts

EXIT_STORE = 3
TOWNS = ("Kherson", "Aleppo", "Goma", "Marib", "Nyala", "Idlib", "Kharkiv", "Djibo", "Sittwe")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Sentences written for these tests; numbers, towns and days vary so every article differs.
SENTENCES = (
    "Shelling hit {town} on {day}, killing {a} civilians and wounding {b} others, officials said.",
    "More than {c:,} people were displaced from villages near {town} over the past week.",
    "An air strike on a market in {town} killed at least {a} people, residents said on {day}.",
    "Police detained {b} protesters in {town} on {day}, witnesses said.",
    "Aid agencies said about {c:,} people around {town} needed food assistance.",
)


def _article(rng: random.Random, number: int) -> str:
    values = {
        "town": rng.choice(TOWNS),
        "day": rng.choice(DAYS),
        "a": rng.randrange(2, 90),
        "b": rng.randrange(2, 300),
        "c": rng.randrange(1_000, 90_000),
    }
    body = " ".join(rng.choice(SENTENCES).format(**values) for _ in range(rng.randrange(2, 5)))
    return f" date 2023-{1 + number % 12:02d}-{1 + number % 28:02d} Report {number}. {body}\n"


def _write_articles(folder: Path, count: int, *, seed: int = 11) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for number in range(count):
        (folder / f"r{number:05d}.txt").write_text(_article(rng, number), encoding="utf-8")
    return folder


def _extractions(count: int, *, seed: int = 11) -> list[Extraction]:
    rng = random.Random(seed)
    articles = (article_from_text(_article(rng, n)) for n in range(count))
    return [sitroom.extract_article(article) for article in articles]


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _counts(db: Path) -> Counts:
    with sitroom.open_store(db) as store:
        return store.counts()


def _integrity(db: Path) -> list[tuple[Any, ...]]:
    """SQLite's own checks: the file's structure, then the foreign keys between tables."""
    with closing(sqlite3.connect(db)) as connection:
        problems = connection.execute("PRAGMA integrity_check").fetchall()
        return [row for row in problems if row != ("ok",)] + connection.execute(
            "PRAGMA foreign_key_check"
        ).fetchall()


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A developer's SITROOM_DB must never receive test data."""
    monkeypatch.delenv("SITROOM_DB", raising=False)
    yield


# -- a small disk of our own -------------------------------------------------------------------


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs mounted for this test: it fills up and remounts read-only for real."""
    where = tmp_path / "disk"
    where.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; SQLite's page limit covers disk full")
    mounted = _run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(where))
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); needs CAP_SYS_ADMIN")
    try:
        yield where
    finally:
        _run("mount", "-o", "remount,rw", str(where))
        # Lazy: a store a failed assertion left open must not keep the mount alive.
        _run("umount", "-l", str(where))


def _fill(disk: Path) -> Path:
    """Write a file until the disk has no space left; the file, to delete to free it."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, b"\0" * 65536)
    except OSError:
        pass  # ENOSPC: the disk is full, which is the point
    try:
        while True:
            os.write(descriptor, b"\0" * 512)
    except OSError:
        pass
    finally:
        os.close(descriptor)
    return filler


# -- disk full ---------------------------------------------------------------------------------


def _assert_disk_full_error(error: StoreError | str, db: Path) -> None:
    message = str(error)
    assert message.startswith(f"{db}: cannot write to the store"), message
    assert "database or disk is full" in message
    assert "free some space, or choose another database with --db" in message


def test_disk_full_is_a_clear_error_and_the_store_stays_intact(small_disk: Path) -> None:
    db = small_disk / "s.db"
    extractions = _extractions(60)
    with sitroom.open_store(db) as store:
        store.add(extractions[:5])
        before = store.counts()
        filler = _fill(small_disk)
        with pytest.raises(StoreError) as caught:
            store.add(extractions[5:])
        _assert_disk_full_error(caught.value, db)
        # The failed batch is gone whole; what was stored before is still there to read.
        assert store.counts() == before
    assert _counts(db) == before and _integrity(db) == []
    filler.unlink()
    with sitroom.open_store(db) as store:
        assert store.add(extractions[5:]).added == 55
    assert _counts(db).articles == 60 and _integrity(db) == []


def test_disk_full_during_cli_ingest_exits_3_and_the_same_ingest_finishes_later(
    small_disk: Path, tmp_path: Path
) -> None:
    db = small_disk / "s.db"
    inbox = _write_articles(tmp_path / "inbox", 200)
    assert (
        _invoke(
            "ingest", "--db", str(db), str(_write_articles(tmp_path / "a", 3, seed=5))
        ).exit_code
        == 0
    )
    before = _counts(db)
    filler = _fill(small_disk)
    # Room to open the store (its WAL index) and store a little, not for 200 articles.
    os.truncate(filler, filler.stat().st_size - 160_000)

    result = _invoke("ingest", "--db", str(db), "--batch-size", "20", str(inbox))
    assert (result.exit_code, result.stdout) == (EXIT_STORE, "")
    error = next(line for line in result.stderr.splitlines() if "sitroom: error:" in line)
    _assert_disk_full_error(error.removeprefix("sitroom: error: "), db)
    kept = re.search(
        rf"(\d+) article\(s\) added before the error stay in {re.escape(str(db))}", result.stderr
    )
    assert kept is not None, result.stderr
    assert _counts(db).articles == before.articles + int(kept.group(1)) < before.articles + 200
    assert _integrity(db) == []

    filler.unlink()
    again = _invoke("ingest", "--db", str(db), "--batch-size", "20", str(inbox))
    assert again.exit_code == 0, again.output
    assert _counts(db).articles == before.articles + 200


def test_a_full_disk_when_the_store_opens_says_the_disk_is_full(small_disk: Path) -> None:
    db = small_disk / "s.db"
    before = _stored(db, 3)
    filler = _fill(small_disk)
    with pytest.raises(StoreError) as caught:
        sitroom.open_store(db)
    assert "disk is full" in str(caught.value)
    filler.unlink()  # reading the store also needs its WAL index, which needs room
    assert _counts(db) == before and _integrity(db) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("output_format", ["json", "jsonl", "table"])
def test_a_full_output_disk_is_one_clear_line_and_exit_1(output_format: str) -> None:
    # /dev/full refuses every write with ENOSPC, as a full disk under `> out.json` does.
    report = Path(__file__).resolve().parents[1] / "examples" / "aleppo-2020-02-10.txt"
    command = [sys.executable, "-m", "sitroom", "extract", "--format", output_format, str(report)]
    with open("/dev/full", "w") as full:
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == "sitroom: error: cannot write the output: No space left on device\n"


def test_store_size_limit_is_the_same_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Runs everywhere: SQLite refuses to grow the file past max_page_count with SQLITE_FULL,
    # the error a full disk gives. The cap is set on every connection the store opens.
    db = tmp_path / "s.db"
    extractions = _extractions(40)
    with sitroom.open_store(db) as store:
        store.add(extractions[:3])
        before = store.counts()
    connect = sqlite3.connect

    def capped(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection: sqlite3.Connection = connect(*args, **kwargs)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {int(pages)}")
        return connection

    monkeypatch.setattr(sqlite3, "connect", capped)
    with sitroom.open_store(db) as store, pytest.raises(StoreError) as caught:
        store.add(extractions[3:])
    _assert_disk_full_error(caught.value, db)
    monkeypatch.undo()
    assert _counts(db) == before and _integrity(db) == []
    with sitroom.open_store(db) as store:
        assert store.add(extractions[3:]).added == 37


# -- read-only ---------------------------------------------------------------------------------


def _stored(db: Path, count: int) -> Counts:
    with sitroom.open_store(db) as store:
        store.add(_extractions(count))
        return store.counts()


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_read_only_filesystem_is_a_clear_error_and_changes_nothing(
    small_disk: Path, tmp_path: Path
) -> None:
    db = small_disk / "s.db"
    before = _stored(db, 3)
    files = _files(small_disk)
    assert _run("mount", "-o", "remount,ro", str(small_disk)).returncode == 0
    with (
        sitroom.open_store(db) as store,
        pytest.raises(StoreError, match=rf"^{db}: cannot write to the store .*writable"),
    ):
        store.add(_extractions(5)[3:])
    inbox = _write_articles(tmp_path / "inbox", 2, seed=12)  # articles not stored yet
    result = _invoke("ingest", "--db", str(db), str(inbox))
    assert (result.exit_code, result.stdout) == (EXIT_STORE, "")
    assert f"sitroom: error: {db}: cannot write to the store" in result.stderr
    assert _files(small_disk) == files
    assert _run("mount", "-o", "remount,rw", str(small_disk)).returncode == 0
    assert _counts(db) == before and _integrity(db) == []


def test_read_only_filesystem_store_can_still_be_listed(small_disk: Path) -> None:
    db = small_disk / "s.db"
    _stored(db, 3)
    assert _run("mount", "-o", "remount,ro", str(small_disk)).returncode == 0
    result = _invoke("articles", "--db", str(db), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1 + 3


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """Mark files immutable with chattr +i (even root cannot write them), undone afterwards."""
    marked: list[Path] = []

    def mark(path: Path) -> None:
        result = _run("chattr", "+i", str(path))
        if result.returncode != 0:
            pytest.skip(f"chattr +i is not possible here ({result.stderr.strip()})")
        marked.append(path)

    try:
        yield mark
    finally:
        for path in marked:
            _run("chattr", "-i", str(path))


def test_immutable_store_file_reads_but_refuses_writes_clearly(
    tmp_path: Path, immutable: Callable[[Path], None]
) -> None:
    db = tmp_path / "s.db"
    before = _stored(db, 3)
    content = db.read_bytes()
    immutable(db)
    with sitroom.open_store(db) as store:
        assert store.counts() == before
        with pytest.raises(StoreError, match=rf"^{db}: cannot write to the store .*readonly"):
            store.add(_extractions(5))
    inbox = _write_articles(tmp_path / "inbox", 2, seed=3)
    result = _invoke("ingest", "--db", str(db), str(inbox))
    assert result.exit_code == EXIT_STORE
    assert "attempt to write a readonly database" in result.stderr
    assert "check that the file and its directory exist and are writable" in result.stderr
    assert db.read_bytes() == content
    assert _counts(db) == before


# -- locked by another writer ------------------------------------------------------------------

_HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


@pytest.fixture
def other_writer() -> Iterator[Callable[[Path, float], subprocess.Popen[str]]]:
    """Start another process that holds the store's write lock for some seconds."""
    started: list[subprocess.Popen[str]] = []

    def hold(db: Path, seconds: float) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", _HOLD_LOCK, str(db), str(seconds)],
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        assert process.stdout is not None and process.stdout.readline().strip() == "locked"
        return process

    yield hold
    for process in started:
        process.kill()
        process.wait()


def test_a_locked_store_waits_for_the_other_writer(
    tmp_path: Path, other_writer: Callable[[Path, float], subprocess.Popen[str]]
) -> None:
    db = tmp_path / "s.db"
    before = _stored(db, 2)
    extractions = _extractions(4, seed=5)
    with sitroom.open_store(db) as store:
        holder = other_writer(db, 1.5)
        started = time.monotonic()
        # Reading is not blocked (WAL); writing waits for the lock, then goes through.
        assert store.counts() == before
        assert store.add(extractions).added == 4
        assert time.monotonic() - started >= 1.0
        assert holder.wait(timeout=30) == 0
    assert _counts(db).articles == before.articles + 4


@pytest.mark.slow
def test_a_store_locked_past_the_busy_timeout_is_a_clear_error(
    tmp_path: Path, other_writer: Callable[[Path, float], subprocess.Popen[str]]
) -> None:
    db = tmp_path / "s.db"
    before = _stored(db, 2)
    extractions = _extractions(4, seed=5)
    holder = other_writer(db, 600)
    with sitroom.open_store(db) as store:
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            store.add(extractions)
        waited = time.monotonic() - started
        assert waited >= 9, f"gave up after {waited:.1f} s, before the 10 s busy timeout"
        assert str(caught.value) == (
            f"{db}: cannot write to the store (database is locked); another process holds the "
            f"database; wait for it to finish and try again"
        )
        inbox = _write_articles(tmp_path / "inbox", 2, seed=7)
        result = _invoke("ingest", "--db", str(db), str(inbox))
        assert (result.exit_code, result.stdout) == (EXIT_STORE, "")
        assert "another process holds the database" in result.stderr
        assert store.counts() == before
        holder.kill()
        holder.wait()
        assert store.add(extractions).added == 4
    assert _integrity(db) == []


# -- kill -9 mid-ingest ------------------------------------------------------------------------

ARTICLES = 400


def _ingest_process(db: Path, inbox: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "sitroom", "ingest", "--db", str(db), "--batch-size", "10"]
    return subprocess.Popen(
        [*command, str(inbox)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _stored_articles(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created or not migrated yet


def _kill_mid_ingest(db: Path, inbox: Path, rng: random.Random) -> int:
    """Start an ingest, SIGKILL it once a random number more articles are stored; that count."""
    already = _stored_articles(db)
    target = already + rng.randrange(1, max(2, (ARTICLES - already) // 2))
    process = _ingest_process(db, inbox)
    deadline = time.monotonic() + 300
    while _stored_articles(db) < target and process.poll() is None:
        assert time.monotonic() < deadline, "the ingest made no progress"
        time.sleep(0.02)
    time.sleep(rng.uniform(0, 0.2))  # land anywhere in a batch, not just after a commit
    process.send_signal(signal.SIGKILL)
    process.wait()
    return _stored_articles(db)


def _facts_by_article(db: Path) -> dict[str, tuple[int, ...]]:
    tables = ("places", "times", "figures", "events")
    with closing(sqlite3.connect(db)) as connection:
        found: dict[str, list[int]] = {
            row[0]: [0] * len(tables) for row in connection.execute("SELECT id FROM articles")
        }
        for column, table in enumerate(tables):
            sql = f"SELECT article_id, count(*) FROM {table} GROUP BY article_id"
            for article_id, count in connection.execute(sql):
                found[article_id][column] = count
    return {article_id: tuple(counts) for article_id, counts in found.items()}


_TABLES = (
    "articles", "places", "times", "figures", "events", "incidents", "incident_reports",
    "article_fingerprints", "article_bands",
)  # fmt: skip


def _contents(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table, sorted, without the time each article was added."""
    contents: dict[str, list[tuple[Any, ...]]] = {}
    with closing(sqlite3.connect(db)) as connection:
        for table in _TABLES:
            cursor = connection.execute(f"SELECT * FROM {table}")
            keep = [i for i, column in enumerate(cursor.description) if column[0] != "added_at"]
            contents[table] = sorted(tuple(row[i] for i in keep) for row in cursor)
    return contents


@pytest.mark.slow
def test_kill_9_mid_ingest_loses_nothing_and_stores_nothing_twice(tmp_path: Path) -> None:
    inbox = _write_articles(tmp_path / "inbox", ARTICLES)
    clean, victim = tmp_path / "clean.db", tmp_path / "victim.db"
    assert _ingest_process(clean, inbox).wait(timeout=600) == 0
    expected = _facts_by_article(clean)
    assert len(expected) == ARTICLES

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    for round_number in range(5):
        stored = _kill_mid_ingest(victim, inbox, rng)
        where = f"seed {seed}, round {round_number}, {stored} articles stored at the kill"
        assert _integrity(victim) == [], where
        # Whatever was stored at the kill is whole: each article with all of its facts.
        for article_id, counts in _facts_by_article(victim).items():
            assert counts == expected[article_id], (where, article_id)

    assert _ingest_process(victim, inbox).wait(timeout=600) == 0, f"seed {seed}"
    assert _facts_by_article(victim) == expected, f"seed {seed}"
    assert _counts(victim) == _counts(clean), f"seed {seed}"
    # Row for row, bands and fingerprints too (the bands table has no key to stop a double).
    victim_rows, clean_rows = _contents(victim), _contents(clean)
    for table in _TABLES:
        more = Counter(victim_rows[table]) - Counter(clean_rows[table])
        fewer = Counter(clean_rows[table]) - Counter(victim_rows[table])
        assert not more and not fewer, (
            f"seed {seed}: {table} has {sum(more.values())} rows more and "
            f"{sum(fewer.values())} fewer than after one clean ingest: {list(more)[:2]}, "
            f"{list(fewer)[:2]}"
        )
    assert _integrity(victim) == []


# -- PostgreSQL restarted mid-ingest -----------------------------------------------------------

RESTART_ENV = "SITROOM_TEST_POSTGRES_RESTART"


@pytest.fixture
def restart_postgres() -> Callable[[], None]:
    """Restarts the test server with `$SITROOM_TEST_POSTGRES_RESTART` (CI sets it)."""
    command = os.environ.get(RESTART_ENV, "")
    if not command:
        pytest.skip(f"{RESTART_ENV} is unset: no command to restart the PostgreSQL server with")

    def restart() -> None:
        subprocess.run(command, shell=True, check=True, timeout=120, capture_output=True)

    return restart


def _postgres_facts_by_article(url: str) -> dict[str, tuple[int, ...]]:
    import psycopg

    tables = ("places", "times", "figures", "events")
    with closing(psycopg.connect(url)) as connection:
        found: dict[str, list[int]] = {
            row[0]: [0] * len(tables) for row in connection.execute("SELECT id FROM articles")
        }
        for column, table in enumerate(tables):
            sql = f"SELECT article_id, count(*) FROM {table} GROUP BY article_id"
            for article_id, count in connection.execute(sql):
                found[article_id][column] = count
    return {article_id: tuple(counts) for article_id, counts in found.items()}


def _postgres_articles(url: str) -> int:
    import psycopg

    try:
        with closing(psycopg.connect(url, connect_timeout=5)) as connection:
            row = connection.execute("SELECT count(*) FROM articles").fetchone()
            return int(row[0]) if row else 0
    except psycopg.Error:
        return 0  # not migrated yet, or the server is restarting


@pytest.mark.slow
def test_postgres_restarted_mid_ingest_fails_clearly_and_the_rerun_stores_each_article_once(
    postgres_url: str, restart_postgres: Callable[[], None], tmp_path: Path
) -> None:
    # Issue 11 part 4: the batch in flight is rolled back, the ingest says what happened, and
    # running it again stores what is missing, each article once and whole.
    inbox = _write_articles(tmp_path / "inbox", 200)
    clean = tmp_path / "clean.db"
    assert _ingest_process(clean, inbox).wait(timeout=600) == 0
    command = [sys.executable, "-m", "sitroom", "ingest", "--db", postgres_url]
    process = subprocess.Popen(
        [*command, "--batch-size", "10", str(inbox)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while _postgres_articles(postgres_url) < 30 and process.poll() is None:
        assert time.monotonic() < deadline, "the ingest made no progress"
        time.sleep(0.05)
    restart_postgres()
    _, stderr = process.communicate(timeout=600)
    if process.returncode != 0:  # it may also have finished before the restart reached it
        assert process.returncode == EXIT_STORE, stderr
        errors = [line for line in stderr.splitlines() if line.startswith("sitroom: error:")]
        assert errors and "connection to the server was lost" in errors[0], stderr
        assert re.match(r"sitroom: error: postgresql://[^:/]+(:\*\*\*)?@", errors[0]), stderr
    stored = _postgres_facts_by_article(postgres_url)
    expected = _facts_by_article(clean)
    assert all(stored[article_id] == expected[article_id] for article_id in stored)

    rerun = subprocess.run([*command, str(inbox)], capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert _postgres_facts_by_article(postgres_url) == expected
    with sitroom.open_store(postgres_url) as store:
        assert store.counts() == _counts(clean)
