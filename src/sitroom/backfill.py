"""Dask backfill: articles extracted by Dask workers in parallel and stored in input order.

The ingest (`sitroom.engine.ingest`) reads the input once, here in the client, skips what the
store holds, and hands each batch of new articles to this engine. Reading in the client means
every source the local engine reads (files, directories, feeds, URLs, stdin) works unchanged,
and the workers need no access to the client's files.

Where the workers can reach the store (a local cluster; a PostgreSQL server named by a network
address), each batch is stored by the worker that extracted it, after the batch before it: a
store task per batch that depends on its extraction and on the previous batch's store task,
so the writes run one at a time and in input order, and the store comes out as the single
process makes it. One worker's extraction overlaps another's write. A single writer in the
client could not keep up: storing a batch costs about as much CPU as extracting it. On 2
cores, 100,000 generated articles: with the client storing, two workers ingested 287
articles/s, 0.87 times one worker; with the workers storing, 457-538 articles/s over three
runs, 1.56-1.73 times one (the single process: 330-396). Elsewhere (a remote cluster and a
SQLite file, or a server on the client's own loopback address) the client stores what the
workers extract.

Where two workers' time goes (100,000 articles, SQLite; `bench_ingest.py` prints each run's
index build and workers' CPU): one worker ran 218 s, 206 s of it busy, and 13 s building the
held-back indexes at the end; two workers ran 130-137 s, the load's 120 s using 96% of both
cores, then the same build on one core. Their workers took 7-8% more CPU per article than
one worker's, 12 s of it each worker's link memory reading back the batches the other stored
(`sitroom.store.link_memory`), which one worker never does. So each store task now hands the
next the batches linked since that worker's last turn, as their loads recorded them
(`_store_batch`), and the build sorts with helper threads (`sitroom.store.sqlite`). In two
runs, with one of the old code between them (1.64 times one worker; 2.18 ms of worker CPU
per article against 2.04), two workers stored 783 and 818 articles/s, 1.75 and 1.72 times
one, at 2.10 and 2.03 ms per article against 2.11 and 1.98; the build took 12 s, not 15.

A task-stream trace showed two workers waiting between tasks. A worker that had stored a batch
waited for its next one, which the client read and sent only once it had fetched the stored
batch's result (`_in_order` now reads and pickles it ahead, and sends it before the fetch):
30,000 articles, a median 79 ms (61-155) a turn before, 27 ms (12-36) after. And the
scheduler's work stealing gave a store task to a worker that had nothing queued, whose store
then waited 0.5-0.9 s for the batch's extractions to move; a local cluster now starts without
it. 30,000 generated articles, three runs of each in turn: 794, 835 and 844 articles/s before;
835, 856 and 856 without stealing; 877, 881 and 883 with both changes, the workers idle
1.0-1.8 s of the load instead of 1.9-3.6. At 100,000 articles two workers ran as fast with both
changes as without (818 and 821 articles/s against 820 and 815, in turn): there the load is
bound by the CPU the workers and the client use, and a gap one worker leaves, the client or the
other worker takes.

Dask is an optional dependency (`sitroom[dask]`): this module imports it only when an engine
starts, so `import sitroom` and the CLI stay light.
"""

from __future__ import annotations

import itertools
import logging
import pickle
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from uuid import uuid4

from sitroom.cores import usable_cores
from sitroom.engine import ExtractBatches, ExtractFn, StoreBatches, collecting_less
from sitroom.errors import SitroomError
from sitroom.model import Article, Extraction
from sitroom.store import POSTGRES_SCHEMES, AddResult, Store, open_store
from sitroom.store.sql import SQLStore

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["BATCHES_PER_WORKER", "DaskEngine", "dask_engine", "default_workers", "require_dask"]

logger = logging.getLogger(__name__)

#: Batches in flight per worker: one running, one queued behind it so no worker waits for
#: the client, and no more, so a large backfill holds only a few batches in memory.
BATCHES_PER_WORKER = 2

_MISSING = (
    "the dask engine needs the packages dask and distributed; install them with "
    "`pip install 'sitroom[dask]'`, or ingest with the default engine (--engine local)"
)


def require_dask() -> None:
    """Import Dask's distributed scheduler, or say clearly how to install it."""
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        raise SitroomError(_MISSING) from exc


def default_workers() -> int:
    """Workers of a local cluster when none is asked for: one per core this process may use."""
    return usable_cores()


@dataclass(frozen=True, slots=True)
class DaskEngine:
    """An `ExtractBatches` running on a Dask client; `workers` is the cluster's thread count.

    `local`: the cluster runs on this machine (started here), so its workers reach what
    this process reaches; as a `sitroom.engine.StoringEngine` they then store the batches.
    """

    client: Client
    workers: int
    extract: ExtractFn | None = None
    local: bool = False

    def __call__(self, batches: Iterable[Sequence[Article]]) -> Iterator[list[Extraction]]:
        """Each batch's extractions in the batches' order, with later batches in flight."""
        return self._in_order(batches, self._submit, empty=[])

    def storing(self, store: Store) -> StoreBatches | None:
        """What extracts batches and stores each on a worker, in input order; None when the
        workers may not reach `store` as this process does (then this process stores)."""
        location = getattr(store, "location", None)
        if location is None or not (self.local or _reachable_from_elsewhere(location)):
            return None
        return lambda batches: self._store(batches, location)

    def _store(self, batches: Iterable[Sequence[Article]], location: str) -> Iterator[AddResult]:
        # Each batch is extracted and stored on one worker, the workers taking turns: moving
        # a batch's extractions to another worker cost more than storing them (0.8-1.1 s for
        # 1,000 articles, the unpickling of their many small objects). A worker that is gone
        # leaves its turns to the others.
        workers: list[list[str] | None] = [[w] for w in self.client.scheduler_info()["workers"]]
        turns = itertools.cycle(workers or [None])
        name = f"sitroom-load-{uuid4().hex}"
        load = _Load(location=location, name=name, others=max(0, len(workers) - 1))
        last: Any = None  # the store task of the batch submitted last

        def submit(batch: bytes) -> Any:
            nonlocal last
            where = {"workers": next(turns), "allow_other_workers": True}
            extracted = self._submit(batch, **where)
            # The last batch's store task is an argument only so that this one waits for it:
            # the writes run in input order, one at a time.
            last = self.client.submit(_store_batch, extracted, last, load, pure=False, **where)
            return last

        try:
            for stored in self._in_order(batches, submit, empty=_Stored(AddResult())):
                yield stored.added
        finally:
            self._end(load)

    def _in_order(
        self,
        batches: Iterable[Sequence[Article]],
        submit: Callable[[bytes], Any],
        *,
        empty: Any,
    ) -> Iterator[Any]:
        """Each batch's result, in the batches' order, with later batches in flight.

        The next batch is read and pickled while the workers work, and sent as soon as the
        oldest is done, before its result is fetched: with two workers each storing in turn,
        a worker that has stored a batch waits for its next one. Read and sent after the
        fetch, it came 59 ms after the store ended in one turn traced (12,000 generated
        articles): 18 ms to fetch the result, 15 to read the batch, 10 to submit it and 14 to
        reach the worker.
        """
        window = max(1, self.workers * BATCHES_PER_WORKER)
        in_flight: deque[Any] = deque()  # a future, or `empty` for a batch with nothing new
        upcoming = _packed(batches)
        unreadable: Exception | None = None
        try:
            while True:
                try:
                    payload = next(upcoming, None)
                except Exception as exc:
                    # An input that fails is raised once the batches read before it are in.
                    payload, unreadable = None, exc
                if payload is None:
                    break
                if len(in_flight) < window:
                    in_flight.append(_send(submit, payload, empty))
                    continue
                oldest = in_flight.popleft()
                if oldest.exception() is None:  # done, its result not fetched yet
                    in_flight.append(_send(submit, payload, empty))
                yield oldest.result()
            while in_flight:
                yield in_flight.popleft().result()
            if unreadable is not None:
                raise unreadable
        finally:
            # A failed or abandoned ingest leaves no work running on a shared cluster.
            pending = [f for f in in_flight if not isinstance(f, _Ready)]
            if pending:
                self.client.cancel(pending)  # type: ignore[no-untyped-call]

    def _submit(self, batch: bytes, **where: Any) -> Any:
        """The batch's extraction (a pickled list of articles), on the workers `where` names
        (Dask's `workers=`), if any."""
        # pure=False: a batch is never served from another ingest's cached result.
        return self.client.submit(_extract_batch, batch, self.extract, pure=False, **where)

    def _end(self, load: _Load) -> None:
        """Close the load's stores on every worker (after the write running there, if any)."""
        try:
            self.client.run(_end_load, load.name)
        except Exception:  # a worker gone is no reason to fail the ingest
            logger.warning("%s: could not close the workers' stores", load.name, exc_info=True)


def _packed(batches: Iterable[Sequence[Article]]) -> Iterator[bytes]:
    """Each batch pickled, b"" for an empty one. The scheduler passes the bytes on as they
    are: given the articles, it unpickled and pickled them again on its way to a worker."""
    for batch in batches:
        yield pickle.dumps(list(batch), protocol=pickle.HIGHEST_PROTOCOL) if batch else b""


def _send(submit: Callable[[bytes], Any], payload: bytes, empty: Any) -> Any:
    """The batch's future, or `empty` at once for a batch with nothing new."""
    return submit(payload) if payload else _Ready(empty)


@dataclass(frozen=True, slots=True)
class _Ready:
    """A batch's result known without the cluster: a batch with nothing new."""

    value: Any

    def result(self) -> Any:
        return self.value

    def exception(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class _Load:
    """One ingest's writes on the workers: the store they open, the name each worker keeps
    its open store under until the ingest ends, and how many other workers take turns."""

    location: str
    name: str
    others: int = 0


@dataclass(frozen=True, slots=True)
class _Stored:
    """A batch stored on a worker: what `add` said, and the batches linked last (the other
    workers' turns and this one, newest last), each as its worker's load recorded it
    (`sitroom.store.link_memory.LinkedBatch`), pickled."""

    added: AddResult
    linked: tuple[bytes, ...] = ()


def _reachable_from_elsewhere(location: str) -> bool:
    """Whether a remote cluster's workers can open the store at `location` as this process
    does: a PostgreSQL server named by a network address, not by this machine's loopback or
    a local socket (there, each worker would find its own machine's server, or none)."""
    scheme, sep, _ = location.partition("://")
    if not sep or scheme not in POSTGRES_SCHEMES:
        return False
    host = urlsplit(location).hostname or ""
    return host not in {"", "localhost", "127.0.0.1", "::1"} and not host.startswith("/")


def dask_engine(
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    extract: ExtractFn | None = None,
    cleanup: ExitStack,
) -> ExtractBatches:
    """An engine on the Dask cluster at `scheduler`, or on a local cluster of `workers`
    processes (one per core by default); `cleanup` closes what it starts."""
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    require_dask()
    import dask
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = cleanup.enter_context(Client(scheduler))  # type: ignore[no-untyped-call]
        except (OSError, ValueError) as exc:
            raise SitroomError(
                f"{scheduler}: cannot reach the Dask scheduler ({exc}); check the address, or "
                f"leave out --scheduler to extract on a local cluster"
            ) from exc
        threads = sum(client.nthreads().values())
        logger.info("dask scheduler %s: %d worker thread(s)", scheduler, threads)
        return DaskEngine(client=client, workers=max(1, threads), extract=extract)
    count = workers if workers is not None else default_workers()
    # No work stealing: a worker with nothing queued took a store task from another, and
    # moving the batch's extractions to it took 0.5-0.9 s (`_store`).
    with dask.config.set({"distributed.scheduler.work-stealing": False}):
        # One thread per process: extraction is pure Python and holds the GIL.
        cluster = cleanup.enter_context(
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=count,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                # Its HTTP endpoints on any free port: two backfills on one machine never clash.
                scheduler_kwargs={"dashboard_address": ":0"},
                silence_logs=logging.WARNING,
            )
        )
    client = cleanup.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
    logger.info("local dask cluster: %d worker process(es)", count)
    return DaskEngine(client=client, workers=count, extract=extract, local=True)


def _extract_batch(batch: bytes, extract: ExtractFn | None) -> list[Extraction]:
    """Runs on a worker, on a pickled list of articles (`_packed`): the default pipeline
    loads once per worker process, on first use.

    The batch comes back prepared for storing (fingerprints and band keys taken, a quarter
    of a millisecond an article): the writes, which run one batch at a time, then only write.
    """
    from sitroom.store.prepare import prepare_batch

    articles: list[Article] = pickle.loads(batch)
    with collecting_less():
        if extract is None:
            from sitroom.extract import default_pipeline

            return prepare_batch(default_pipeline().run_many(articles))
        return prepare_batch(extract(article) for article in articles)


#: The stores this worker process writes, by load name (`_Load`): opened at the load's first
#: batch here, in a bulk load that is part of the client's, and closed when the ingest ends.
_OPEN_LOADS: dict[str, tuple[Store, ExitStack]] = {}
#: Loads ended here: a store task the cluster still ran after the end opens nothing again.
_ENDED_LOADS: set[str] = set()
#: Held while a batch is stored: the end of a failed ingest, whose running store task the
#: cluster cannot stop, closes the store only once that write is over.
_WRITING = threading.Lock()


def _store_batch(batch: list[Extraction], previous: _Stored | None, load: _Load) -> _Stored:
    """Runs on a worker once the batch before is stored (`previous`): this batch stored.

    The worker's load meets the batches the other workers stored since its last turn as their
    loads recorded them, not reading them back from the store: the one cost of linking that
    two workers pay and one does not, 0.085 ms of thread CPU per article read back and 0.025
    taken in, recording and pickling included (`benchmarks/bench_catch_up.py`, 20 batches
    of 1,000; 0.039 when the record was tuples, `sitroom.store.link_memory.LinkedBatch`). They
    come pickled (`_Stored`): the client, which fetches every result, receives them as bytes,
    not objects to rebuild.
    """
    with _WRITING, collecting_less():
        if load.name in _ENDED_LOADS:
            raise SitroomError(f"{load.name}: the ingest ended before this batch was stored")
        if load.name not in _OPEN_LOADS:
            _OPEN_LOADS[load.name] = _open_load(load.location)
        store, _ = _OPEN_LOADS[load.name]
        if not isinstance(store, SQLStore) or not load.others:
            return _Stored(store.add(batch))
        if previous is not None:
            store.meet(pickle.loads(linked) for linked in previous.linked)
        added = store.add(batch)
        own = store.linked_batch()
        if own is None:
            return _Stored(added)
        recent = (*(previous.linked if previous else ()), pickle.dumps(own))
        return _Stored(added, recent[-load.others :])


def _open_load(location: str) -> tuple[Store, ExitStack]:
    """The store at `location`, and what closes it."""
    ends = ExitStack()
    store = ends.enter_context(open_store(location))
    try:
        # Listing indexes held back and duplicates linked in this worker's memory, which
        # catches up on what the other workers store meanwhile. The client's own bulk load
        # builds what was held back, once, when the ingest ends (`sitroom.engine.ingest`).
        if isinstance(store, SQLStore):
            ends.enter_context(store.bulk(part=True))
    except BaseException:
        ends.close()
        raise
    return store, ends


def _end_load(name: str) -> None:
    """Runs on each worker when the ingest ends: the load's store, if opened here, closed."""
    with _WRITING:
        _ENDED_LOADS.add(name)
        opened = _OPEN_LOADS.pop(name, None)
        if opened is not None:
            opened[1].close()
