"""The Dask backfill: batches come back in input order, and its store equals the local one."""

from __future__ import annotations

import itertools
import json
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sitroom.backfill import DaskEngine, dask_engine
from sitroom.cli import main
from sitroom.engine import ExtractBatches, ingest
from sitroom.errors import SitroomError
from sitroom.model import Article, Extraction, PlaceMention, Span
from sitroom.store import Store, open_store
from sitroom.store.sql import SQLStore

TOWNS = ("Kherson", "Aleppo", "Goma", "Marib", "Nyala", "Idlib", "Kharkiv", "Djibo", "Sittwe")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Sentences written for these tests; numbers, towns and days vary so every article differs.
SENTENCES = (
    "Shelling hit {town} on {day}, killing {a} civilians and wounding {b} others, officials said.",
    "More than {c:,} people were displaced from villages near {town} over the past week.",
    "An air strike on a market in {town} killed at least {a} people, residents said on {day}.",
    "Police detained {b} protesters in {town} on {day}, witnesses said.",
    "Aid agencies said about {c:,} people around {town} needed food assistance.",
    "Clashes between the army and rebels near {town} left {a} fighters dead, a monitor said.",
)
BANNER = "This story is part of our continuing coverage of the crisis."


def write_corpus(path: Path, count: int, *, seed: int = 3, copy_rate: float = 0.25) -> Path:
    """`count` JSONL articles; a share `copy_rate` republish an earlier one under a banner."""
    rng = random.Random(seed)
    records: list[dict[str, str]] = []
    for number in range(count):
        if records and rng.random() < copy_rate:
            original = rng.choice(records[-40:])
            text = f"{BANNER}\n\n{original['text']}"
            record = {**original, "title": f"Update: {original['title']}", "text": text}
        else:
            record = _original(rng, number)
        records.append({**record, "id": f"a{number:05d}"})
    with path.open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(record) + "\n" for record in records)
    return path


def _original(rng: random.Random, number: int) -> dict[str, str]:
    town = rng.choice(TOWNS)
    paragraphs = []
    for _ in range(rng.randrange(2, 4)):
        values = {
            "town": rng.choice((town, *TOWNS)),
            "day": rng.choice(DAYS),
            "a": rng.randrange(2, 90),
            "b": rng.randrange(2, 300),
            "c": rng.randrange(1_000, 90_000),
        }
        sentences = rng.sample(SENTENCES, rng.randrange(1, 3))
        paragraphs.append(" ".join(s.format(**values) for s in sentences))
    return {
        "title": f"Report {number} from {town}",
        "published": f"2023-{1 + number % 12:02d}-{1 + number % 28:02d}",
        "text": "\n\n".join(paragraphs),
    }


def snapshot(store: Store) -> dict[str, Any]:
    """Everything the store says, through the interface both backends share."""
    articles = store.articles()
    ids = [article.id for article in articles]
    return {
        "counts": store.counts(),
        "articles": articles,
        "canonical": store.canonical_ids(ids),
        "places": store.places(),
        "times": store.times(),
        "figures": store.figures(),
        "events": store.events(),
        "incidents": store.incidents(),
    }


#: Makes a fresh, empty store of one backend, as a URL, for as long as the context lasts.
FreshStore = Callable[[], AbstractContextManager[str]]


def fresh_stores(request: pytest.FixtureRequest, tmp_path: Path) -> FreshStore:
    """Fresh SQLite files, or fresh PostgreSQL databases (from tests/conftest.py)."""
    if request.param == "sqlite":
        names = itertools.count()
        return lambda: nullcontext(str(tmp_path / f"store{next(names)}.db"))
    try:
        factory: FreshStore = request.getfixturevalue("postgres_schemas")
    except pytest.FixtureLookupError:
        pytest.skip("no postgres_schemas fixture in tests/conftest.py (the PostgreSQL backend)")
    return factory


def assert_same_store(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    """Part by part, so a failure names what differs."""
    assert expected["counts"].articles > 0
    for part in expected:
        assert actual[part] == expected[part], part


# -- order, look-ahead and failures, on a stand-in client --------------------------------------


def capitalised_places(article: Article) -> Extraction:
    """A stand-in extractor: every capitalised word is an unresolved place mention."""
    places = tuple(
        PlaceMention(article.id, Span(start, start + len(word)), word, None, 0.1)
        for start, word in _capitalised(article.text)
    )
    return Extraction(article=article, places=places)


def _capitalised(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for word in text.split(" "):
        if word[:1].isupper():
            yield start, word
        start += len(word) + 1


@dataclass
class ThreadClient:
    """The part of a Dask client the engine uses, on threads: results finish in any order."""

    pool: ThreadPoolExecutor
    submitted: int = 0
    cancelled: int = 0

    def submit(self, fn: Callable[..., Any], *args: Any, pure: bool = True) -> Future[Any]:
        assert pure is False
        self.submitted += 1
        return self.pool.submit(_late, fn, *args)

    def cancel(self, futures: list[Future[Any]]) -> None:
        self.cancelled += sum(future.cancel() or future.done() for future in futures)


def _late(fn: Callable[..., Any], *args: Any) -> Any:
    # Later batches finish first half the time: the engine must still yield them in order.
    time.sleep(random.choice((0.0, 0.01, 0.03)))
    return fn(*args)


@pytest.fixture
def thread_client() -> Iterator[ThreadClient]:
    with ThreadPoolExecutor(max_workers=3) as pool:
        yield ThreadClient(pool)


def _engine(client: ThreadClient, extract: Callable[[Article], Extraction]) -> DaskEngine:
    return DaskEngine(client=client, workers=3, extract=extract)  # type: ignore[arg-type]


def _batches(count: int, size: int) -> list[list[Article]]:
    articles = [Article(id=f"x{n}", text=f"Shelling hit Town{n} today.") for n in range(count)]
    return [articles[i : i + size] for i in range(0, count, size)]


def test_batches_come_back_in_input_order(thread_client: ThreadClient) -> None:
    batches = [*_batches(95, 7), [], *_batches(20, 5)]
    results = list(_engine(thread_client, capitalised_places)(batches))
    assert [[e.article.id for e in r] for r in results] == [[a.id for a in b] for b in batches]
    assert all(len(e.places) == 2 for r in results for e in r)
    assert thread_client.submitted == len(batches) - 1  # nothing sent for an empty batch


def test_the_engine_reads_only_a_window_of_batches_ahead(thread_client: ThreadClient) -> None:
    read: list[int] = []

    def batches() -> Iterator[Sequence[Article]]:
        for number, batch in enumerate(_batches(100, 5)):
            read.append(number)
            yield batch

    results = _engine(thread_client, capitalised_places)(batches())
    next(results)
    # Three workers, two batches each in flight; the seventh is read while the first is
    # extracted, and sent as soon as the first is done, before its result is given.
    assert (len(read), thread_client.submitted) == (7, 7)
    assert len(list(results)) == 19


def test_the_next_batch_is_sent_before_the_oldest_result_is_fetched(
    thread_client: ThreadClient,
) -> None:
    engine = _engine(thread_client, capitalised_places)
    sent_at_fetch: list[int] = []
    fetch = Future.result

    def counting_fetch(future: Future[Any], timeout: float | None = None) -> Any:
        sent_at_fetch.append(thread_client.submitted)
        return fetch(future, timeout)

    batches = _batches(50, 5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Future, "result", counting_fetch)
        results = list(engine(batches))
    assert [[e.article.id for e in r] for r in results] == [[a.id for a in b] for b in batches]
    # The first fetch waits with the window (six) and the seventh batch in flight.
    assert sent_at_fetch[:5] == [7, 8, 9, 10, 10]


def test_an_unreadable_input_is_raised_after_the_batches_read_before_it(
    thread_client: ThreadClient,
) -> None:
    def batches() -> Iterator[Sequence[Article]]:
        yield from _batches(40, 5)
        raise ValueError("in.jsonl, line 41: not JSON")

    results = _engine(thread_client, capitalised_places)(batches())
    given = []
    with pytest.raises(ValueError, match="line 41"):
        for result in results:
            given.append(result)
    assert [e.article.id for r in given for e in r] == [f"x{n}" for n in range(40)]
    assert thread_client.cancelled == 0


def test_a_failed_batch_raises_in_order_and_cancels_the_rest(thread_client: ThreadClient) -> None:
    def fails_on_x42(article: Article) -> Extraction:
        if article.id == "x42":
            raise RuntimeError("extractor failed on x42")
        return capitalised_places(article)

    results = _engine(thread_client, fails_on_x42)(_batches(100, 10))
    assert len([next(results) for _ in range(4)]) == 4  # batches before the failing one
    with pytest.raises(RuntimeError, match="x42"):
        next(results)
    assert thread_client.cancelled > 0


def test_ingest_with_a_look_ahead_engine_stores_what_the_local_one_does(
    tmp_path: Path, thread_client: ThreadClient
) -> None:
    corpus = write_corpus(tmp_path / "in.jsonl", 120)
    with open_store(":memory:") as local, open_store(":memory:") as ahead:
        ingest([corpus], store=local, extract=capitalised_places, batch_size=7)
        engine = _engine(thread_client, capitalised_places)
        report = ingest([corpus], store=ahead, engine=engine, batch_size=7)
        assert (report.read, report.added, report.batches) == (120, 120, 18)
        assert_same_store(snapshot(ahead), snapshot(local))
        again = ingest([corpus], store=ahead, engine=engine, batch_size=7)
        assert (again.read, again.added, again.present) == (120, 0, 120)


# -- on a real local cluster -------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster_engine() -> Iterator[ExtractBatches]:
    """Two worker processes, started once for this module (a cluster takes seconds to start)."""
    pytest.importorskip("distributed")
    with ExitStack() as cleanup:
        yield dask_engine(workers=2, cleanup=cleanup)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("backfill") / "corpus.jsonl", 120)


@pytest.fixture(scope="module")
def local_snapshot(corpus: Path) -> dict[str, Any]:
    """The store the single-process engine makes of the corpus, with the real pipeline."""
    with open_store(":memory:") as store:
        ingest([corpus], store=store, batch_size=10)
        return snapshot(store)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_store(request: pytest.FixtureRequest, tmp_path: Path) -> FreshStore:
    """Makes fresh stores of one backend: SQLite files, or PostgreSQL databases."""
    return fresh_stores(request, tmp_path)


def test_dask_store_equals_the_single_process_store(
    corpus: Path, fresh_store: FreshStore, cluster_engine: ExtractBatches
) -> None:
    with fresh_store() as local_url, fresh_store() as dask_url:
        with open_store(local_url) as store:
            ingest([corpus], store=store, batch_size=10)
            expected = snapshot(store)
        with open_store(dask_url) as store:
            report = ingest([corpus], store=store, engine=cluster_engine, batch_size=10)
            assert (report.read, report.added, report.batches) == (120, 120, 12)
            assert report.duplicates > 10 and report.incidents > 10
            assert_same_store(snapshot(store), expected)
            again = ingest([corpus], store=store, engine=cluster_engine, batch_size=10)
            assert (again.added, again.present) == (0, 120)


class NoWrites:
    """A store this process must not write: every other call goes to `store`."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name in {"add", "add_soon"}:
            raise AssertionError(f"the client called {name}: the workers were to store")
        return getattr(self._store, name)


def _loads_on_workers(engine: ExtractBatches) -> list[tuple[int, int]]:
    """Each worker's open and ended loads (`sitroom.backfill`), read in the worker."""
    assert isinstance(engine, DaskEngine)

    def loads() -> tuple[int, int]:
        from sitroom import backfill

        return len(backfill._OPEN_LOADS), len(backfill._ENDED_LOADS)

    return list(engine.client.run(loads).values())


def test_a_local_cluster_stores_on_its_workers_and_closes_the_store_after(
    corpus: Path,
    fresh_store: FreshStore,
    cluster_engine: ExtractBatches,
    local_snapshot: dict[str, Any],
) -> None:
    ended = [ended for _, ended in _loads_on_workers(cluster_engine)]
    with fresh_store() as url, open_store(url) as store:
        client_side: Any = NoWrites(store)
        report = ingest([corpus], store=client_side, engine=cluster_engine, batch_size=10)
        assert (report.read, report.added, report.batches) == (120, 120, 12)
        assert_same_store(snapshot(store), local_snapshot)
        # Each worker opened the load's store at most once, and closed it when the ingest ended.
        after = _loads_on_workers(cluster_engine)
        assert after == [(0, count + 1) for count in ended]
        assert not _deferred(store)  # the indexes the load held back are built again


def test_a_local_cluster_never_moves_a_task_from_the_worker_it_was_given(
    cluster_engine: ExtractBatches,
) -> None:
    # Work stealing moved store tasks, and a batch's extractions with them (`dask_engine`).
    assert isinstance(cluster_engine, DaskEngine)
    extensions = cluster_engine.client.run_on_scheduler(  # type: ignore[no-untyped-call]
        lambda dask_scheduler: set(dask_scheduler.extensions)
    )
    assert "stealing" not in extensions
    assert "semaphores" in extensions  # the scheduler's other extensions are there


def _count_catch_ups(on: bool) -> tuple[int, int]:
    """Runs on a worker: count the articles its loads' memories take in as another worker's
    load recorded them and those they read back from the store (from `on`), or stop counting;
    the counts so far."""
    from sitroom.store.link_memory import LinkMemory

    counts: dict[str, int] = globals().setdefault("_CATCH_UPS", {"taken": 0, "read": 0})
    original = globals().setdefault("_CATCH_UP_METHODS", (LinkMemory._take, LinkMemory._read))
    take, read = original

    def counted_take(memory: LinkMemory, batch: Any) -> None:
        counts["taken"] += len(batch.ids)
        take(memory, batch)

    def counted_read(memory: LinkMemory, *args: Any) -> int:
        found: int = read(memory, *args)
        counts["read"] += found
        return found

    setattr(LinkMemory, "_take", counted_take if on else take)  # noqa: B010
    setattr(LinkMemory, "_read", counted_read if on else read)  # noqa: B010
    return counts["taken"], counts["read"]


def test_workers_meet_each_others_batches_as_recorded_not_read_back(
    corpus: Path, fresh_store: FreshStore, cluster_engine: ExtractBatches
) -> None:
    assert isinstance(cluster_engine, DaskEngine)
    client = cluster_engine.client
    before = client.run(_count_catch_ups, True)
    try:
        with fresh_store() as url, open_store(url) as store:
            ingest([corpus], store=store, engine=cluster_engine, batch_size=10)
    finally:
        after = client.run(_count_catch_ups, False)
    taken = sum(after[w][0] - before[w][0] for w in after)
    read = sum(after[w][1] - before[w][1] for w in after)
    # Twelve batches of ten, the workers taking turns. The second worker's load, into a store
    # of ten articles, links in memory once it has added a third of that (`LINKS_SHARE`):
    # from its second batch on, when it reads the whole store. It has no record of its first
    # batch to give, so that one is read back; the second to the last but one are taken in.
    assert (taken, read) == (80, 10)


def _deferred(store: Store) -> list[Any]:
    assert isinstance(store, SQLStore)
    return list(store._query("SELECT name FROM deferred_indexes", ()))


def test_a_batch_the_store_refuses_stops_the_workers_after_the_batches_before_it(
    corpus: Path, tmp_path: Path, cluster_engine: ExtractBatches, local_snapshot: dict[str, Any]
) -> None:
    db = tmp_path / "s.db"
    refuse = (
        "CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.id = 'a00057' "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    )
    with open_store(db) as store:
        store._live().execute(refuse)  # type: ignore[attr-defined]
        with pytest.raises(SitroomError, match="refused by the test"):
            ingest([corpus], store=store, engine=cluster_engine, batch_size=10)
        # The five batches before a00057's are stored; its batch and every later one are not.
        stored = sorted(article.id for article in store.articles())
        assert stored == [f"a{n:05d}" for n in range(50)]
        store._live().execute("DROP TRIGGER refuse")  # type: ignore[attr-defined]
        report = ingest([corpus], store=store, engine=cluster_engine, batch_size=10)
        assert (report.added, report.present) == (70, 50)
        assert_same_store(snapshot(store), local_snapshot)
    assert all(opened == 0 for opened, _ in _loads_on_workers(cluster_engine))


@pytest.mark.parametrize(
    ("local", "location", "stores"),
    [
        (True, "/data/conflict.db", True),
        (True, "postgresql://sitroom@localhost/sitroom", True),
        (True, None, False),  # an in-memory store
        (False, "/data/conflict.db", False),  # a remote worker has no such file
        (False, "postgresql://sitroom@localhost/sitroom", False),  # each its own localhost
        (False, "postgresql://sitroom@127.0.0.1:5432/sitroom", False),
        (False, "postgresql:///sitroom?host=/var/run/postgresql", False),
        (False, "postgresql://sitroom@db.example.org/sitroom", True),
        (False, "postgresql://sitroom:secret@10.0.0.5:5432/sitroom", True),
    ],
)
def test_workers_store_only_where_they_reach_the_store_as_the_client_does(
    local: bool, location: str | None, stores: bool
) -> None:
    engine = DaskEngine(client=None, workers=2, local=local)  # type: ignore[arg-type]

    @dataclass
    class Located:
        location: str | None

    assert (engine.storing(Located(location)) is not None) is stores  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("head", "head_batch", "batch"),
    [(0, 0, 1), (0, 0, 7), (0, 0, 1000), (53, 7, 1000), (61, 1000, 3)],
)
def test_the_store_is_the_same_however_the_input_is_cut_into_batches(
    corpus: Path,
    tmp_path: Path,
    fresh_store: FreshStore,
    local_snapshot: dict[str, Any],
    head: int,
    head_batch: int,
    batch: int,
) -> None:
    # Duplicate links and incidents must not depend on where a batch ends, nor on where a
    # crashed ingest stopped (the first `head` articles stored, then the whole input again).
    lines = corpus.read_text("utf-8").splitlines(keepends=True)
    (tmp_path / "head.jsonl").write_text("".join(lines[:head]), "utf-8")
    with fresh_store() as url, open_store(url) as store:
        if head:
            ingest([tmp_path / "head.jsonl"], store=store, batch_size=head_batch)
        report = ingest([corpus], store=store, batch_size=batch)
        assert (report.read, report.added) == (120, 120 - head)
        assert report.duplicates > 10 and report.incidents > 0
        assert_same_store(snapshot(store), local_snapshot)


def test_a_half_stored_input_is_finished_without_extracting_the_stored_part_again(
    corpus: Path, tmp_path: Path, cluster_engine: ExtractBatches, local_snapshot: dict[str, Any]
) -> None:
    head = tmp_path / "head.jsonl"
    head.write_text("".join(corpus.read_text("utf-8").splitlines(keepends=True)[:70]), "utf-8")
    with open_store(tmp_path / "s.db") as store:
        ingest([head], store=store, batch_size=10)
        report = ingest([corpus], store=store, engine=cluster_engine, batch_size=10)
        assert (report.read, report.added, report.present) == (120, 50, 70)
        assert_same_store(snapshot(store), local_snapshot)


def test_cli_dask_engine_on_a_scheduler_makes_the_same_store(
    corpus: Path, tmp_path: Path, cluster_engine: ExtractBatches, local_snapshot: dict[str, Any]
) -> None:
    assert isinstance(cluster_engine, DaskEngine)
    assert cluster_engine.client.scheduler is not None
    scheduler = str(cluster_engine.client.scheduler.address)
    db = tmp_path / "s.db"
    command = ["ingest", "--engine", "dask", "--scheduler", scheduler, "--db", str(db)]
    result = CliRunner().invoke(main, [*command, str(corpus)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "read 120 article(s): 120 added" in " ".join(result.stderr.split())
    assert "INFO" not in result.stderr  # the cluster's own chatter stays out of the way
    with open_store(db) as store:
        assert_same_store(snapshot(store), local_snapshot)


@pytest.mark.parametrize(
    "options",
    [("--workers", "2"), ("--scheduler", "tcp://127.0.0.1:8786"), ("--engine", "dask",
     "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786")],
)  # fmt: skip
def test_cli_refuses_cluster_options_that_do_not_apply(tmp_path: Path, options: tuple[str]) -> None:
    command = ["ingest", *options, "--db", str(tmp_path / "s.db"), str(tmp_path)]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 2
    assert "--workers" in result.stderr or "--scheduler" in result.stderr
    assert not (tmp_path / "s.db").exists()


def test_without_dask_the_dask_engine_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(SitroomError, match=r"pip install 'sitroom\[dask\]'"):
        dask_engine(cleanup=ExitStack())
    corpus = write_corpus(tmp_path / "in.jsonl", 3)
    command = ["ingest", "--engine", "dask", "--db", str(tmp_path / "s.db"), str(corpus)]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1
    assert "the dask engine needs the packages dask and distributed" in result.stderr


def test_the_engine_never_extracts_on_the_reading_thread(thread_client: ThreadClient) -> None:
    threads: set[int] = set()

    def record_thread(article: Article) -> Extraction:
        threads.add(threading.get_ident())
        return capitalised_places(article)

    list(_engine(thread_client, record_thread)(_batches(30, 5)))
    assert threading.get_ident() not in threads


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    distributed = pytest.importorskip("distributed")

    def refuse(address: str) -> None:
        raise OSError(f"Timed out trying to connect to {address} after 30 s")

    monkeypatch.setattr(distributed, "Client", refuse)
    with pytest.raises(SitroomError, match=r"^tcp://10.0.0.9:8786: cannot reach the Dask sched"):
        dask_engine(scheduler="tcp://10.0.0.9:8786", cleanup=ExitStack())
